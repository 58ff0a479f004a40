#include "state/node_cache.h"

#include <cstring>

namespace tradeledger::state {

size_t NodeCache::HashOfHash::operator()(const core::Hash32& h) const noexcept {
  size_t out;
  std::memcpy(&out, h.data.data(), sizeof(out));  // already uniformly distributed
  return out;
}

NodeCache::NodeCache(const NodeReader& base, size_t capacity_bytes)
    : base_(base), capacity_(capacity_bytes) {}

core::Result<std::optional<core::Bytes>> NodeCache::Get(const core::Hash32& node_hash) const {
  if (auto it = index_.find(node_hash); it != index_.end()) {
    ++hits_;
    lru_.splice(lru_.begin(), lru_, it->second);
    return std::optional<core::Bytes>(it->second->encoded);
  }
  ++misses_;
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> found, base_.Get(node_hash));
  if (found) Insert(node_hash, *found);
  return found;
}

void NodeCache::Add(const std::vector<NodeWrite>& writes) {
  for (const NodeWrite& w : writes) Insert(w.hash, w.encoded);
}

void NodeCache::Insert(const core::Hash32& hash, core::Bytes encoded) const {
  if (capacity_ == 0 || encoded.size() > kMaxCachedNode) return;
  if (auto it = index_.find(hash); it != index_.end()) {
    lru_.splice(lru_.begin(), lru_, it->second);
    return;  // same hash, same bytes
  }
  bytes_ += encoded.size() + kEntryOverhead;
  lru_.push_front(Entry{hash, std::move(encoded)});
  index_.emplace(hash, lru_.begin());
  EvictToCapacity();
}

void NodeCache::EvictToCapacity() const {
  while (bytes_ > capacity_ && !lru_.empty()) {
    Entry& last = lru_.back();
    bytes_ -= last.encoded.size() + kEntryOverhead;
    index_.erase(last.hash);
    lru_.pop_back();
  }
}

}  // namespace tradeledger::state
