// The persistent, append-only RFC 9162 Merkle log over every transaction on the ledger.
//
// Storage model. The log stores the root of every *complete* subtree: the node at
// (level L, index i) is MTH of leaves [i * 2^L, (i + 1) * 2^L), and it is written once, when its
// last leaf is appended, and never changes. Level 0 holds the leaf hashes. A log of n leaves
// stores 2n - popcount(n) nodes. Every root, inclusion proof and consistency proof for any
// size <= n is assembled from O(log n) of these nodes, because each subtree that RFC 9162's
// recursion visits is either complete or ends at the tree's right edge, and a right-edge subtree
// splits into at most log2(n) complete ones.
//
// `MerkleLog` keeps only the frontier: the roots of the complete subtrees along the right
// edge, one per set bit of the size (largest first). That is enough to compute the current root
// and to append; it never reads storage except in Restore. Storage is reached through the
// `LogNodeReader` seam, so the same code runs over RocksDB, over `MemoryLogNodes` in tests and
// the simulator, or over a fault-injecting decorator.
//
// Thread safety: MerkleLog is a value type; const methods may run concurrently, Append needs
// exclusive access. The free functions are safe from any thread if the reader is.
// MemoryLogNodes: concurrent Node() calls are safe; Add() needs exclusive access.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "ledger/merkle.h"

namespace tradeledger::ledger {

// One stored complete-subtree root.
struct LogNode {
  uint32_t level = 0;  // subtree height; 0 = leaf
  uint64_t index = 0;  // position among the nodes of this level, from the left
  Hash32 hash;

  bool operator==(const LogNode&) const = default;
};

// Read access to stored complete-subtree nodes.
class LogNodeReader {
 public:
  virtual ~LogNodeReader();
  // The hash of node (level, index). NOT_FOUND if it is not stored (for example the subtree is
  // not complete yet), STORAGE_ERROR if the store failed.
  virtual core::Result<Hash32> Node(uint32_t level, uint64_t index) const = 0;
};

class MerkleLog {
 public:
  // An empty log (size 0, root EmptyRoot()).
  MerkleLog() = default;

  // A log of `size` leaves from its frontier: the roots of the complete right-edge subtrees,
  // largest first, one per set bit of `size`. LOG_FRONTIER_INVALID if the count is wrong.
  static core::Result<MerkleLog> FromFrontier(uint64_t size, std::vector<Hash32> frontier);
  // Rebuilds the frontier of a log of `size` leaves with popcount(size) reads. Propagates the
  // reader's NOT_FOUND / STORAGE_ERROR. It cannot detect a corrupted node: callers compare
  // Root() with the root recorded in the last committed header.
  static core::Result<MerkleLog> Restore(uint64_t size, const LogNodeReader& nodes);

  uint64_t size() const { return size_; }
  // The current root; O(log n) hashing, no I/O.
  Hash32 Root() const;
  const std::vector<Hash32>& frontier() const { return frontier_; }

  // Appends one leaf (already LeafHash-ed). Appends to *new_nodes (which it does not clear) the
  // leaf node and every parent it completes, lowest level first; the caller must persist them
  // atomically with whatever records the new size. `new_nodes` must not be null. Aborts if the
  // log already holds 2^64 - 1 leaves.
  void Append(const Hash32& leaf_hash, std::vector<LogNode>* new_nodes);

 private:
  uint64_t size_ = 0;
  std::vector<Hash32> frontier_;  // invariant: frontier_.size() == popcount(size_)
};

// The following read only complete-subtree nodes, at most about 2 * log2(tree_size) of them.
// They trust the reader: a size beyond what it has stored surfaces as the reader's NOT_FOUND,
// and its STORAGE_ERROR is propagated.

// MTH of the first `tree_size` leaves; EmptyRoot() for 0.
core::Result<Hash32> RootAt(uint64_t tree_size, const LogNodeReader& nodes);

// Inclusion proof of leaf `leaf_index` in the tree of the first `tree_size` leaves.
// INVALID_ARGUMENT if leaf_index >= tree_size.
core::Result<InclusionProof> ProveInclusion(uint64_t leaf_index, uint64_t tree_size,
                                            const LogNodeReader& nodes);

// Consistency proof from the first `old_size` leaves to the first `new_size` leaves. The path is
// empty when old_size is 0 or equals new_size (see VerifyConsistency).
// INVALID_ARGUMENT if old_size > new_size.
core::Result<ConsistencyProof> ProveConsistency(uint64_t old_size, uint64_t new_size,
                                                const LogNodeReader& nodes);

// An in-memory node store for tests and the simulator.
class MemoryLogNodes : public LogNodeReader {
 public:
  // Stores the nodes. Nodes are immutable: re-adding an identical node is a no-op, re-adding a
  // node with a different hash is a bug and aborts.
  void Add(const std::vector<LogNode>& nodes);
  core::Result<Hash32> Node(uint32_t level, uint64_t index) const override;
  // The number of nodes stored.
  size_t node_count() const { return nodes_.size(); }

 private:
  struct Key {
    uint32_t level;
    uint64_t index;
    bool operator==(const Key&) const = default;
  };
  struct KeyHash {
    size_t operator()(const Key& k) const noexcept;
  };
  std::unordered_map<Key, Hash32, KeyHash> nodes_;
};

}  // namespace tradeledger::ledger
