#include "node/state_value_cache.h"

#include "trade/json_fields.h"

namespace tradeledger::node {

size_t StateValueCache::Cost(std::string_view key, const Entry& entry) {
  size_t value = entry.value ? entry.value->size() : 0;
  return key.size() + value * (entry.parsed ? 1 + kParseFactor : 1) + kEntryOverhead;
}

core::Result<StateValueCache::Entry*> StateValueCache::Find(
    core::ByteSpan key, std::optional<core::Bytes>* uncached) const {
  std::string_view text = core::AsStringView(key);
  if (auto it = entries_.find(text); it != entries_.end()) {
    ++hits_;
    return &it->second;
  }
  ++misses_;
  TL_ASSIGN_OR_RETURN(*uncached, base_.Get(key));
  Entry entry{std::move(*uncached), nullptr};
  size_t cost = Cost(text, entry);
  if (cost > capacity_bytes_) {
    *uncached = std::move(entry.value);
    return nullptr;
  }
  if (bytes_ + cost > capacity_bytes_) {
    entries_.clear();
    bytes_ = 0;
  }
  bytes_ += cost;
  return &entries_.emplace(std::string(text), std::move(entry)).first->second;
}

core::Result<std::optional<core::Bytes>> StateValueCache::Get(core::ByteSpan key) const {
  std::optional<core::Bytes> uncached;
  TL_ASSIGN_OR_RETURN(Entry * entry, Find(key, &uncached));
  if (entry == nullptr) return uncached;
  return entry->value;
}

core::Result<std::shared_ptr<const trade::Json>> StateValueCache::GetJson(
    core::ByteSpan key) const {
  std::optional<core::Bytes> uncached;
  TL_ASSIGN_OR_RETURN(Entry * entry, Find(key, &uncached));
  const std::optional<core::Bytes>& value = entry != nullptr ? entry->value : uncached;
  if (!value) return std::shared_ptr<const trade::Json>();
  if (entry != nullptr && entry->parsed != nullptr) return entry->parsed;
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const trade::Json> parsed, trade::ReadStateValue(*value));
  if (entry != nullptr) {
    std::string_view text = core::AsStringView(key);
    size_t before = Cost(text, *entry);
    entry->parsed = parsed;
    size_t after = Cost(text, *entry);
    if (bytes_ - before + after > capacity_bytes_) {
      entry->parsed = nullptr;  // kept as text only
    } else {
      bytes_ = bytes_ - before + after;
    }
  }
  return parsed;
}

void StateValueCache::Apply(const trade::WorkingState::Writes& writes) {
  for (const auto& [key, value] : writes) {
    auto it = entries_.find(core::AsStringView(key));
    if (it == entries_.end()) continue;
    size_t old_cost = Cost(it->first, it->second);
    Entry updated{value, nullptr};
    size_t new_cost = Cost(it->first, updated);
    if (bytes_ - old_cost + new_cost > capacity_bytes_) {
      entries_.erase(it);
      bytes_ -= old_cost;
      continue;
    }
    it->second = std::move(updated);
    bytes_ = bytes_ - old_cost + new_cost;
  }
}

void StateValueCache::Clear() {
  entries_.clear();
  bytes_ = 0;
}

}  // namespace tradeledger::node
