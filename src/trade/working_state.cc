#include "trade/working_state.h"

namespace tradeledger::trade {

core::Result<std::optional<core::Bytes>> WorkingState::Get(core::ByteSpan key) const {
  auto it = writes_.find(core::Bytes(key.begin(), key.end()));
  if (it != writes_.end()) return it->second;
  return base_.Get(key);
}

void WorkingState::Put(core::ByteSpan key, core::Bytes value) {
  writes_[core::Bytes(key.begin(), key.end())] = std::move(value);
}

void WorkingState::Delete(core::ByteSpan key) {
  writes_[core::Bytes(key.begin(), key.end())] = std::nullopt;
}

void WorkingState::MergeInto(WorkingState& parent) && {
  TL_CHECK(&parent == &base_);
  for (auto& [key, value] : writes_) parent.writes_[key] = std::move(value);
  writes_.clear();
}

}  // namespace tradeledger::trade
