#include "trade/working_state.h"

#include "trade/json_fields.h"

namespace tradeledger::trade {

core::Result<std::shared_ptr<const Json>> StateReader::GetJson(core::ByteSpan key) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, Get(key));
  if (!raw) return std::shared_ptr<const Json>();
  return ReadStateValue(*raw);
}

const std::optional<core::Bytes>* WorkingState::Written(core::ByteSpan key) const {
  auto it = writes_.find(core::Bytes(key.begin(), key.end()));
  return it != writes_.end() ? &it->second : nullptr;
}

core::Result<std::optional<core::Bytes>> WorkingState::Get(core::ByteSpan key) const {
  if (const std::optional<core::Bytes>* written = Written(key)) return *written;
  return base_.Get(key);
}

core::Result<std::shared_ptr<const Json>> WorkingState::GetJson(core::ByteSpan key) const {
  const std::optional<core::Bytes>* written = Written(key);
  if (written == nullptr) return base_.GetJson(key);
  if (!*written) return std::shared_ptr<const Json>();
  return ReadStateValue(**written);
}

void WorkingState::Put(core::ByteSpan key, core::Bytes value) {
  writes_[core::Bytes(key.begin(), key.end())] = std::move(value);
}

void WorkingState::Delete(core::ByteSpan key) {
  writes_[core::Bytes(key.begin(), key.end())] = std::nullopt;
}

void WorkingState::MergeInto(WorkingState& parent) && {
  TL_CHECK(&parent == &base_);
  // Moves the entries of the keys the parent lacks, without copying them; what stays behind
  // are this layer's writes to keys the parent also wrote, and this layer's win.
  parent.writes_.merge(writes_);
  for (auto& [key, value] : writes_) parent.writes_.find(key)->second = std::move(value);
  writes_.clear();
}

}  // namespace tradeledger::trade
