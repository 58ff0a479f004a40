// The validator's DriverStorage (node/driver.h): blocks are executed and stored by node::Chain
// in the LedgerStore, the locked blocks are kept in the LedgerStore, and the safety state in a
// SafetyStore (the node's SafetyFile). The node and the simulator both use it; the simulator
// over a storage::MemoryStore.
//
// Thread safety: as Chain: one writer (the driver's thread, or the CommitQueue's thread that
// calls Commit); view() is safe to read from the driver's thread.
#pragma once

#include "node/chain.h"
#include "node/chain_view.h"
#include "node/driver.h"
#include "node/ledger_store.h"
#include "node/safety_file.h"

namespace tradeledger::node {

class ChainStorage final : public DriverStorage {
 public:
  // Borrows all three; they must outlive it.
  ChainStorage(LedgerStore& store, Chain& chain, SafetyStore& safety)
      : store_(store), chain_(chain), safety_(safety), view_(store, chain) {}

  const consensus::LedgerView& view() const override { return view_; }
  core::Result<Chain::Validators> NextValidators() const override {
    return chain_.NextValidators();
  }
  // Chain::Commit without signature checks: a validator verified every transaction's
  // signature on admission or when a peer gossiped it, and the core checks the certificate.
  core::Result<std::vector<TxIndexEntry>> Commit(const ledger::StoredBlock& block) override {
    return chain_.Commit(block, /*verify_signatures=*/false);
  }
  core::Result<core::Bytes> ReadSafetyState() override { return safety_.Read(); }
  core::Status WriteSafetyState(core::ByteSpan state) override { return safety_.Write(state); }
  core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>> ReadLockedBlocks() override {
    return store_.ReadLockedBlocks();
  }
  core::Status UpdateLockedBlocks(const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
                                  const std::vector<ledger::BlockHash>& remove) override {
    return store_.UpdateLockedBlocks(add, remove);
  }
  void PinView() override { view_.Pin(); }

 private:
  LedgerStore& store_;
  Chain& chain_;
  SafetyStore& safety_;
  ChainView view_;
};

}  // namespace tradeledger::node
