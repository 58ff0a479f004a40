#include "node/state_pruning.h"

#include <unordered_set>

namespace tradeledger::node {
core::Result<StatePrunePlan> PlanStatePruning(const LedgerStore& store, core::Height height,
                                              uint64_t retention,
                                              const std::vector<state::NodeWrite>& new_nodes,
                                              const RecentNodeWrites* recent) {
  TL_CHECK(retention >= 1);
  StatePrunePlan plan;
  if (height.value <= retention) return plan;
  const uint64_t last = height.value - retention;
  TL_ASSIGN_OR_RETURN(core::Height horizon, store.ReadStateHorizon());
  if (horizon.value >= last) return plan;

  std::unordered_set<core::Hash32, core::DigestHash> written;
  written.reserve(new_nodes.size());
  for (const state::NodeWrite& n : new_nodes) written.insert(n.hash);
  const uint64_t end = std::min(last, horizon.value + kMaxPrunedHeightsPerBlock);
  for (uint64_t j = horizon.value + 1; j <= end; ++j) {
    TL_ASSIGN_OR_RETURN(std::vector<core::Hash32> stale, store.ReadStaleNodes(core::Height(j)));
    for (const core::Hash32& h : stale) {
      if (written.contains(h)) continue;  // this block re-creates it
      if (recent) {
        // Not written at j or after (j's own writes cannot list it: it was in the tree before
        // j and is not after), so its birth is below j.
        std::optional<bool> rewritten = recent->MayHaveWrittenSince(h, core::Height(j));
        if (rewritten == false) {
          plan.delete_nodes.push_back(h);
          continue;
        }
      }
      TL_ASSIGN_OR_RETURN(std::optional<core::Height> birth, store.ReadNodeBirth(h));
      if (!birth) {
        return core::Fail("STORAGE_CORRUPT", "state node " + h.hex() + ", made stale at height " +
                                                 std::to_string(j) + ", is missing");
      }
      if (birth->value < j) plan.delete_nodes.push_back(h);
    }
    plan.heights.emplace_back(j);
  }
  return plan;
}

void NoteCommittedBlock(RecentNodeWrites& recent, core::Height height, const BlockWrite& write,
                        size_t limit) {
  std::vector<core::Hash32> written;
  written.reserve(write.state_nodes.size());
  for (const state::NodeWrite& n : write.state_nodes) written.push_back(n.hash);
  recent.Record(height, written);
  // Pruning asks about heights above the horizon only.
  if (!write.prune.heights.empty()) recent.Forget(write.prune.heights.back());
  while (recent.size() > limit) recent.Forget(*recent.covered_from());
}

}  // namespace tradeledger::node
