#include "storage/fault_injection_store.h"

#include <set>
#include <utility>

namespace tradeledger::storage {

FaultInjectionStore::FaultInjectionStore(Store& base) : base_(base) {}

core::Result<std::optional<core::Bytes>> FaultInjectionStore::Get(core::ByteSpan key) const {
  return base_.Get(key);
}

std::unique_ptr<Iterator> FaultInjectionStore::Scan(core::ByteSpan prefix) const {
  return base_.Scan(prefix);
}

core::Result<std::optional<core::Bytes>> FaultInjectionStore::Last(core::ByteSpan prefix) const {
  return base_.Last(prefix);
}

core::Status FaultInjectionStore::Write(const WriteBatch& batch, WriteOptions options) {
  std::lock_guard lock(mu_);
  if (fail_next_ > 0) {
    --fail_next_;
    ++injected_failures_;
    return core::Fail("STORAGE_ERROR", "injected write failure");
  }
  if (options.sync) {
    TL_RETURN_IF_ERROR(base_.Write(batch, options));
    undo_.clear();  // this write and every earlier one are durable now
    return core::Ok();
  }
  // Record, for each key the batch touches, the value it had before the batch. Writes are
  // serialized by mu_ (and the Store contract allows one writer), so the base cannot change
  // between these reads and the write.
  WriteBatch undo;
  std::set<core::Bytes> seen;
  for (const WriteBatch::Op& op : batch.ops()) {
    if (!seen.emplace(op.key.begin(), op.key.end()).second) continue;
    TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> before, base_.Get(op.key));
    if (before) {
      undo.Put(op.key, *before);
    } else {
      undo.Delete(op.key);
    }
  }
  TL_RETURN_IF_ERROR(base_.Write(batch, options));
  undo_.push_back(std::move(undo));
  return core::Ok();
}

void FaultInjectionStore::FailNextWrites(size_t n) {
  std::lock_guard lock(mu_);
  fail_next_ = n;
}

core::Status FaultInjectionStore::SimulateCrash(size_t keep_unsynced) {
  std::lock_guard lock(mu_);
  while (undo_.size() > keep_unsynced) {
    // The restored values are the durable ones: make them durable in the base as well.
    TL_RETURN_IF_ERROR(base_.Write(undo_.back(), WriteOptions{.sync = true}));
    undo_.pop_back();
  }
  undo_.clear();  // the survivors are what a restarted node finds on disk
  return core::Ok();
}

size_t FaultInjectionStore::unsynced_write_count() const {
  std::lock_guard lock(mu_);
  return undo_.size();
}

size_t FaultInjectionStore::injected_failure_count() const {
  std::lock_guard lock(mu_);
  return injected_failures_;
}

}  // namespace tradeledger::storage
