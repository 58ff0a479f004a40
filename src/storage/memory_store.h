// An in-memory Store: a std::map under a reader-writer mutex.
//
// For unit tests and the deterministic simulator, where it stands for a node's disk (wrap it
// in a FaultInjectionStore to model losing unsynced writes). Nothing is persisted; `sync` is
// accepted and ignored, and Write never fails.
//
// Thread safety: as Store. Readers share the lock; a Write holds it exclusively, so a batch
// is applied atomically with respect to every reader. Scan copies the matching entries under
// the lock (O(matching entries) time and memory), which gives the iterator its snapshot.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>

#include "storage/store.h"

namespace tradeledger::storage {

class MemoryStore final : public Store {
 public:
  MemoryStore() = default;
  ~MemoryStore() override = default;

  core::Result<std::optional<core::Bytes>> Get(core::ByteSpan key) const override;
  core::Status Write(const WriteBatch& batch, WriteOptions options) override;
  std::unique_ptr<Iterator> Scan(core::ByteSpan prefix) const override;
  core::Result<std::optional<core::Bytes>> Last(core::ByteSpan prefix) const override;

  // Number of entries; for tests.
  size_t size() const;

 private:
  mutable std::shared_mutex mu_;
  std::map<core::Bytes, core::Bytes> entries_;  // guarded by mu_
};

}  // namespace tradeledger::storage
