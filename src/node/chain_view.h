// consensus::LedgerView over a node's committed chain: what the consensus core reads back after
// the driver carries out its Commit actions.
//
// A read that fails in storage aborts the process (TL_CHECK): the core cannot go on without
// its own committed chain, and a node whose disk fails must stop rather than guess.
//
// Pinned (Pin), the view reports the chain as it was at the pin, though blocks go on committing
// on another thread (node/commit_pipeline.h): the executed height, its log and everything below
// it, which never changes once committed. Unpinned, every call reads the chain's tip afresh.
//
// Thread safety: as LedgerStore and Chain; the consensus thread is its only user (Chain::Commit
// may run on another).
#pragma once

#include <optional>

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

  // Fixes the view to the chain's tip now, until the next Pin.
  void Pin() { pinned_ = chain_.tip(); }

 private:
  ChainTip Tip() const { return pinned_ ? *pinned_ : chain_.tip(); }

  const LedgerStore& store_;
  const Chain& chain_;
  std::optional<ChainTip> pinned_;
};

}  // namespace tradeledger::node
