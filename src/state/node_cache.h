// A bounded in-memory cache of state tree nodes in front of a NodeReader.
//
// Nodes are content-addressed and immutable (state_tree.h), so a cached node can never be
// stale: the bytes under a hash are the same wherever and whenever they were read. The cache
// therefore needs no invalidation, only eviction. It holds what a block's update will read
// next: the nodes the previous blocks read or wrote, most recently used first.
//
// The executor of a chain keeps one: every update reads the path of each changed key from the
// root down, and without a cache each of those ~log2(keys) nodes is a RocksDB point lookup.
//
// Get on a miss reads through to the base and keeps what it found; absent nodes are not
// remembered. Encodings longer than kMaxCachedNode (leaves holding large values) are never
// kept: each is read once per update of its own key, and keeping them would evict the
// internal nodes that every update reads. Add records nodes just written to the base (or about to
// be, in the same batch), so the next block finds them here.
//
// Thread safety: none; one thread uses a cache (Get is const for the NodeReader interface,
// but updates the recency order).
#pragma once

#include <cstddef>
#include <list>
#include <unordered_map>
#include <vector>

#include "state/state_tree.h"

namespace tradeledger::state {

class NodeCache : public NodeReader {
 public:
  // `base` must outlive the cache. `capacity_bytes` bounds the cached encodings plus a fixed
  // per-node overhead (kEntryOverhead); 0 disables caching (every Get reads the base).
  NodeCache(const NodeReader& base, size_t capacity_bytes);
  NodeCache(const NodeCache&) = delete;
  NodeCache& operator=(const NodeCache&) = delete;

  core::Result<std::optional<core::Bytes>> Get(const core::Hash32& node_hash) const override;
  // Remembers nodes written to the base, as the most recently used.
  void Add(const std::vector<NodeWrite>& writes);

  size_t bytes() const { return bytes_; }
  size_t size() const { return index_.size(); }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

  // Bookkeeping counted against the capacity for each node, besides its encoding.
  static constexpr size_t kEntryOverhead = 96;
  static constexpr size_t kMaxCachedNode = 512;

 private:
  struct Entry {
    core::Hash32 hash;
    core::Bytes encoded;
  };
  struct HashOfHash {
    size_t operator()(const core::Hash32& h) const noexcept;
  };
  using Lru = std::list<Entry>;  // front = most recently used

  void Insert(const core::Hash32& hash, core::Bytes encoded) const;
  void EvictToCapacity() const;

  const NodeReader& base_;
  const size_t capacity_;
  mutable Lru lru_;
  mutable std::unordered_map<core::Hash32, Lru::iterator, HashOfHash> index_;
  mutable size_t bytes_ = 0;
  mutable uint64_t hits_ = 0;
  mutable uint64_t misses_ = 0;
};

}  // namespace tradeledger::state
