#include "node/state_value_cache.h"

namespace tradeledger::node {

size_t StateValueCache::Cost(std::string_view key, const std::optional<core::Bytes>& value) {
  return key.size() + (value ? value->size() : 0) + kEntryOverhead;
}

core::Result<std::optional<core::Bytes>> StateValueCache::Get(core::ByteSpan key) const {
  std::string_view text = core::AsStringView(key);
  if (auto it = entries_.find(text); it != entries_.end()) {
    ++hits_;
    return it->second;
  }
  ++misses_;
  core::Result<std::optional<core::Bytes>> read = base_.Get(key);
  if (!read) return read;
  size_t cost = Cost(text, *read);
  if (cost > capacity_bytes_) return read;
  if (bytes_ + cost > capacity_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  entries_.emplace(std::string(text), *read);
  bytes_ += cost;
  return read;
}

void StateValueCache::Apply(const trade::WorkingState::Writes& writes) {
  for (const auto& [key, value] : writes) {
    auto it = entries_.find(core::AsStringView(key));
    if (it == entries_.end()) continue;
    size_t old_cost = Cost(it->first, it->second);
    size_t new_cost = Cost(it->first, value);
    if (bytes_ - old_cost + new_cost > capacity_bytes_) {
      entries_.erase(it);
      bytes_ -= old_cost;
      continue;
    }
    it->second = value;
    bytes_ = bytes_ - old_cost + new_cost;
  }
}

void StateValueCache::Clear() {
  entries_.clear();
  bytes_ = 0;
}

}  // namespace tradeledger::node
