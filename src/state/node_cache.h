// A bounded in-memory cache of state tree nodes in front of a NodeReader.
//
// Nodes are content-addressed and immutable (state_tree.h), so a cached node can never be
// stale: the bytes under a hash are the same wherever and whenever they were read. The cache
// therefore needs no invalidation, only eviction. It holds what a block's update will read
// next: the nodes the previous blocks read or wrote.
//
// The executor of a chain keeps one: every update reads the path of each changed key from the
// root down, and without a cache each of those ~log2(keys) nodes is a RocksDB point lookup.
//
// Get and Read on a miss read through to the base and keep what they found once it has been
// checked against its hash (DecodeNode); absent nodes, store errors and corrupt bytes are not
// remembered. A page the base holds in its stored form (kind 3, whose decode must hash) is kept
// in its full form. So the cache holds only verified bytes (or those Add was given, which
// ApplyUpdates or EncodeLeafNode produced with their hash), and Read decodes a hit without hashing
// it again (DecodeVerifiedNode) and without copying its bytes. Encodings longer than kMaxCachedNode
// (leaves holding large values) are never kept: each is read once per update of its own key, and
// keeping them would evict the pages that every update reads. Add records nodes just written to the
// base (or about to be, in the same batch), so the next block finds them here.
//
// Eviction is CLOCK (second chance), an approximation of least-recently-used: a hit only sets
// the node's referenced bit, and the clock hand, looking for room, evicts the first node it
// finds unreferenced, clearing the bits it passes. A node read or added since the hand last
// passed it survives the next pass. The entries sit in one array of slots, indexed by an
// open-addressing table of slot numbers sized once for the most nodes the capacity can hold:
// a hit touches one table entry and one slot, with no allocation and no list to relink, and the
// table is never rehashed (doc/performance.md, "State node cache").
//
// Thread safety: none; one thread uses a cache (Get is const for the NodeReader interface,
// but updates the referenced bits and, on a miss, the contents).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
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
  core::Result<TreeNode> Read(const core::Hash32& node_hash) const override;
  // Remembers nodes written to the base, as referenced. Each write's hash must be the one
  // ApplyUpdates or EncodeLeafNode gave.
  void Add(const std::vector<NodeWrite>& writes);
  // Add for the pages among `writes` only: an update reads the pages on its paths and no leaf
  // (a page records its leaves' paths and value hashes, ADR 0031), so a just-written leaf would
  // only take the room of a page.
  void AddPages(const std::vector<NodeWrite>& writes);

  size_t bytes() const { return bytes_; }
  size_t size() const { return live_; }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

  // Bookkeeping counted against the capacity for each node, besides its encoding: the slot,
  // the allocation holding the encoding and the node's share of the index.
  static constexpr size_t kEntryOverhead = 96;
  static constexpr size_t kMaxCachedNode = kMaxPageBytes;  // every page; leaves up to that

 private:
  struct Slot {
    core::Hash32 hash;
    core::Bytes encoded;
    bool live = false;
    bool referenced = false;
  };
  // An index entry: the upper 32 bits are the node's 32-bit hash code (its home position is
  // that code masked), the lower 32 the slot number plus one; 0 is an empty position.
  using IndexEntry = uint64_t;
  // The index is an anonymous mapping of `bytes`, returned with munmap.
  struct Unmap {
    size_t bytes;
    void operator()(IndexEntry* p) const noexcept;
  };

  static uint32_t CodeOf(const core::Hash32& hash);
  // The index position of `hash`, or the empty position where it would go.
  size_t Position(const core::Hash32& hash, uint32_t code) const;
  // The live slot holding `hash` (marked referenced and counted as a hit), or nullptr (counted
  // as a miss).
  const Slot* Lookup(const core::Hash32& hash) const;
  void Insert(const core::Hash32& hash, const core::Bytes& encoded) const;
  // Inserts `encoded`, just read from the base and decoded to `node`: a stored page in its full
  // form.
  void InsertRead(const core::Hash32& hash, const core::Bytes& encoded, const TreeNode& node) const;
  // Evicts unreferenced nodes, advancing the hand, until `incoming` more bytes fit.
  void MakeRoom(size_t incoming) const;
  void Evict(uint32_t slot) const;

  const NodeReader& base_;
  const size_t capacity_;
  size_t mask_ = 0;  // index size - 1 (a power of two); the index is empty when capacity_ is 0
  std::unique_ptr<IndexEntry[], Unmap> index_;
  mutable std::vector<Slot> slots_;
  mutable std::vector<uint32_t> free_slots_;
  mutable size_t hand_ = 0;
  mutable size_t live_ = 0;
  mutable size_t bytes_ = 0;
  mutable uint64_t hits_ = 0;
  mutable uint64_t misses_ = 0;
};

}  // namespace tradeledger::state
