// Which state tree nodes the chain wrote at recent heights, kept in memory so that state
// pruning need not read a node back to learn its birth (node/state_pruning.h, ADR 0028).
//
// Pruning height j deletes a node listed as stale at j unless a block after j wrote it again
// (nodes are content-addressed, so a key set back to an earlier value re-creates its leaf).
// Without this record it reads the node's birth from the store: one random read per stale
// node, which at a few million keys cost more than the block's own update
// (doc/performance.md, scenario f). The record answers the same question from memory.
//
// It keeps, for each height it covers, the 64-bit prefixes of the hashes of the nodes written
// there, and a hash table holding each of them once per write over all covered heights. A
// prefix is a fingerprint: two different nodes may share one, so a hit means "perhaps
// written" (the caller then reads the birth, as before) and a miss means "not written at any
// covered height" — exact, because every node written at a covered height is in the table.
//
// Coverage is contiguous: from covered_from() up to the last recorded height. It starts at
// the first height recorded after the chain opened (a node that restarts reads births back
// for the heights it did not see), and Forget drops heights from the bottom. Memory is 8 bytes
// per recorded node plus the table, 8 bytes a slot at a load of 3/8 to 3/4: 19-29 bytes per
// node. The caller bounds it by forgetting.
//
// Thread safety: none; the chain's writer thread owns it.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <vector>

#include "core/bytes.h"
#include "core/strong_types.h"

namespace tradeledger::node {

class RecentNodeWrites {
 public:
  // Records the nodes written at `height`, which must be the height after the last recorded
  // one (or any height if none is recorded; coverage then restarts there).
  void Record(core::Height height, const std::vector<core::Hash32>& written);

  // Whether a node with this hash may have been written at a height in [from, last recorded]:
  // nullopt if the record does not cover all of them (from < covered_from()), false if it
  // certainly was not, true if it may have been.
  std::optional<bool> MayHaveWrittenSince(const core::Hash32& node_hash, core::Height from) const;

  // Drops the recorded heights up to and including `height`; coverage then starts above it.
  void Forget(core::Height height);
  // Drops every recorded height.
  void Clear();

  // The lowest covered height; nullopt if nothing is recorded.
  std::optional<core::Height> covered_from() const;
  // Recorded node writes, over all covered heights.
  size_t size() const { return entries_; }

 private:
  static uint64_t Fingerprint(const core::Hash32& hash);
  size_t Find(uint64_t fingerprint) const;  // its first slot, or the empty slot ending its run
  void Insert(uint64_t fingerprint);
  void Erase(uint64_t fingerprint);  // one occurrence, which must be present
  void Grow();

  std::deque<std::vector<uint64_t>> heights_;  // front: covered_from_
  uint64_t covered_from_ = 0;
  // Open addressing with linear probing, a power of two in size, 0 marking an empty slot; a
  // multiset (one slot per recorded write). It grows and never shrinks but on Clear.
  std::vector<uint64_t> slots_;
  size_t entries_ = 0;
};

}  // namespace tradeledger::node
