// Deleting the state tree nodes that only old trees need (ADR 0019).
//
// Executing block h makes some nodes stale: in the tree after h-1, not in the tree after h
// (state::ApplyUpdates reports them; the block's write records them under 'Z' h). The node
// keeps the trees of the last `retention` heights whole: when it commits height h, it deletes
// the nodes made stale at heights up to h - retention, so the trees after heights
// h - retention .. h stay complete and older ones lose nodes (the state horizon).
//
// Nodes are content-addressed, so a node made stale at j can be written again by a later
// block (a key set back to an earlier value re-creates its leaf, and perhaps internal nodes
// above it). Each stored node carries its birth, the last height that wrote it; a node listed
// as stale at j is deleted only if its birth is below j (nothing re-created it since), and
// never if the committing block itself writes it. A node re-created and made stale again is
// listed again at that later height, and deleted then.
//
// A node's birth is read from the store only if `recent` (the chain's in-memory record of the
// nodes recent heights wrote, node/recent_node_writes.h) does not cover the heights after the
// stale list, or says the node may have been written again since: a committing validator
// reads almost nothing back (ADR 0028). On the fast path a listed node is not checked for
// presence: deleting a key that is absent changes nothing.
//
// Thread safety: reads the store only; call it on the writer thread, before the block's write.
#pragma once

#include <cstdint>
#include <vector>

#include "core/result.h"
#include "core/strong_types.h"
#include "node/ledger_store.h"
#include "node/recent_node_writes.h"
#include "state/state_tree.h"

namespace tradeledger::node {

// Heights whose trees a node keeps whole by default: far more than consensus pipelining lets
// a header's state height trail the tip (a state proof is anchored at the tip header's), and
// small enough that superseded nodes stay a small part of the disk (doc/performance.md).
inline constexpr uint64_t kDefaultStateRetention = 128;
// At most this many heights' stale lists are consumed per block, so a lowered retention is
// caught up over several blocks instead of in one huge batch.
inline constexpr uint64_t kMaxPrunedHeightsPerBlock = 2;

// The pruning the block at `height` does with `retention` (>= 1), given the nodes it writes.
// Reads the horizon, the stale lists above it up to height - retention (at most
// kMaxPrunedHeightsPerBlock of them) and the births of the listed nodes that `recent` (may be
// null) cannot rule out. STORAGE_CORRUPT if a node whose birth it reads is missing.
core::Result<StatePrunePlan> PlanStatePruning(const LedgerStore& store, core::Height height,
                                              uint64_t retention,
                                              const std::vector<state::NodeWrite>& new_nodes,
                                              const RecentNodeWrites* recent = nullptr);

// After `write` (the block at `height`) is durable: records its new nodes in `recent`, forgets
// the heights its pruning finished, and forgets the oldest heights while `recent` holds more
// than `limit` nodes (pruning then reads their nodes back).
void NoteCommittedBlock(RecentNodeWrites& recent, core::Height height, const BlockWrite& write,
                        size_t limit);

}  // namespace tradeledger::node
