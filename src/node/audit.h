// `tradeledger audit`: re-verifies a stopped node's data directory from genesis.
//
// The audit replays every stored block into a fresh in-memory chain, which re-checks each
// header's hash link, certificate quorum, transaction signatures, transaction root, log size
// and root, and state root. It then compares everything the node derived and stored — the
// transaction index, the state roots, the log nodes, the flat state, and the state tree nodes,
// stale-node lists and state horizon of a pruned store (ADR 0019: the replay keeps the same
// heights' trees, so every retained tree must be whole and nothing pruned may remain) — with
// what the replay derived, and requires every stored record to be in its canonical encoding. The
// first discrepancy fails the audit with AUDIT_FAILED and the height it concerns.
#pragma once

#include <functional>

#include "core/result.h"
#include "node/genesis.h"
#include "storage/store.h"

namespace tradeledger::node {

struct AuditReport {
  core::Height tip;
  uint64_t transactions = 0;
  core::Hash32 state_root;
  core::Hash32 log_root;
};

struct AuditFailure {
  core::Height height;  // the first bad height (0: the genesis records)
  std::string reason;
};

// Audits `store` against `genesis`; reads `store` only. `progress` (optional) is called after each
// block.
std::expected<AuditReport, AuditFailure> Audit(
    storage::Store& store, const Genesis& genesis,
    const std::function<void(core::Height)>& progress = {});

}  // namespace tradeledger::node
