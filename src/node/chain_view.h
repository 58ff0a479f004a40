// consensus::LedgerView over a node's committed chain: what the consensus core reads back after
// the driver carries out its Commit actions.
//
// A read that fails in storage aborts the process (TL_CHECK): the core cannot go on without
// its own committed chain, and a node whose disk fails must stop rather than guess.
//
// Thread safety: as LedgerStore and Chain; the consensus thread is its only user.
#pragma once

#include "consensus/replica.h"
#include "node/chain.h"
#include "node/ledger_store.h"

namespace tradeledger::node {

class ChainView final : public consensus::LedgerView {
 public:
  // Borrows both; they must outlive the view.
  ChainView(const LedgerStore& store, const Chain& chain) : store_(store), chain_(chain) {}

  core::Height ExecutedHeight() const override;
  std::optional<core::Hash32> StateRoot(core::Height height) const override;
  bool IsCommitted(const ledger::TxId& id) const override;
  std::optional<ledger::StoredBlock> CommittedBlock(core::Height height) const override;
  ledger::MerkleLog CommittedLog() const override;

 private:
  const LedgerStore& store_;
  const Chain& chain_;
};

}  // namespace tradeledger::node
