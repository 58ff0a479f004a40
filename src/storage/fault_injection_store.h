// A Store decorator that injects the faults a real disk has, for recovery tests and the
// simulator (after leveldb's fault_injection_test Env).
//
// Two faults:
//  - Failed writes: after FailNextWrites(n), the next n calls to Write return STORAGE_ERROR
//    and apply nothing (the base store is not touched).
//  - Lost unsynced writes: a write with sync=false is applied to the base store at once (so
//    reads see it), but remembered together with what it overwrote. A write with sync=true
//    makes it and every earlier write durable, as an fsync of the write-ahead log does, and
//    forgets them. SimulateCrash() undoes the writes made since the last synced one, newest
//    first, so they vanish from reads: over a MemoryStore this models the machine losing
//    its page cache. A crash may also keep a prefix of the unsynced writes (a torn log tail
//    that was partly flushed), never a subset with a gap: writes reach the log in order.
//
// Reads go straight to the base store. Failures of the base store are passed through.
//
// Thread safety: as Store. Write and SimulateCrash are serialized by an internal mutex; a
// reader running during SimulateCrash may see some of the dropped writes already undone.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "storage/store.h"

namespace tradeledger::storage {

class FaultInjectionStore final : public Store {
 public:
  // `base` is borrowed and must outlive this object. Unsynced writes recorded before this
  // object existed are not tracked: only writes made through it can be dropped.
  explicit FaultInjectionStore(Store& base);
  ~FaultInjectionStore() override = default;

  core::Result<std::optional<core::Bytes>> Get(core::ByteSpan key) const override;
  core::Status Write(const WriteBatch& batch, WriteOptions options) override;
  std::unique_ptr<Iterator> Scan(core::ByteSpan prefix) const override;
  core::Result<std::optional<core::Bytes>> Last(core::ByteSpan prefix) const override;

  // The next `n` writes fail with STORAGE_ERROR and apply nothing. Replaces any count left.
  void FailNextWrites(size_t n);

  // Drops every write made with sync=false since the last write made with sync=true, except
  // the first `keep_unsynced` of them (in the order they were made). Afterwards the store
  // behaves as after a restart: the surviving writes count as durable. Fails only if the
  // base store fails to apply the undo (then some dropped writes may still be visible).
  [[nodiscard]] core::Status SimulateCrash(size_t keep_unsynced = 0);

  // Number of writes that SimulateCrash() would drop now.
  size_t unsynced_write_count() const;
  // Number of writes failed on purpose so far.
  size_t injected_failure_count() const;

 private:
  Store& base_;
  mutable std::mutex mu_;
  size_t fail_next_ = 0;          // guarded by mu_
  size_t injected_failures_ = 0;  // guarded by mu_
  // For each unsynced write, oldest first: the batch that restores what it overwrote.
  std::vector<WriteBatch> undo_;  // guarded by mu_
};

}  // namespace tradeledger::storage
