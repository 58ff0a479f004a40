// One simulated validator: the real consensus core driven over the real node::Chain on a
// storage::MemoryStore, with its persisted safety state.
//
// What survives a crash is exactly what a real node keeps on disk: the MemoryStore (every
// committed block, the transaction log and the state) and the last Persist payload. The core,
// its block tree, mempool and vote collections live in memory and are lost; Restart rebuilds
// the Chain from the store and the core from the persisted safety state.
//
// Thread safety: single-threaded, like the simulator.
#pragma once

#include <map>
#include <memory>
#include <optional>

#include "consensus/replica.h"
#include "node/chain.h"
#include "node/chain_view.h"
#include "node/genesis.h"
#include "node/ledger_store.h"
#include "storage/memory_store.h"

namespace tradeledger::sim {

class SimReplica {
 public:
  // Opens the chain and creates the core. Aborts on failure: the simulator's own setup.
  SimReplica(const node::Genesis& genesis, consensus::ReplicaConfig config, crypto::KeyPair key);
  SimReplica(const SimReplica&) = delete;
  SimReplica& operator=(const SimReplica&) = delete;

  bool up() const { return core_ != nullptr; }
  consensus::Replica& core() { return *core_; }
  const consensus::Replica& core() const { return *core_; }
  const crypto::KeyPair& key() const { return key_; }
  node::Chain& chain() { return *chain_; }
  // The executed tip's state root (as node::ChainTip).
  node::ChainTip tip() const { return chain_->tip(); }

  // Drops everything in memory; the store and the persisted safety state remain.
  void Crash();
  // Reopens the chain from the store and rebuilds the core from the persisted state.
  void Restart();
  // Keeps what the node driver keeps: the safety state and the proposals of the lock.
  void Persist(const consensus::Persist& p);

  // What the core reads back: the node's own ChainView over this replica's chain and store.
  const consensus::LedgerView& ledger_view() const { return *view_; }

 private:
  void Open();

  const node::Genesis& genesis_;
  const consensus::ReplicaConfig config_;
  const crypto::KeyPair key_;
  storage::MemoryStore store_;  // the disk
  node::LedgerStore ledger_{store_};
  core::Bytes persisted_;                                   // the safety state file
  std::map<ledger::BlockHash, core::Bytes> locked_blocks_;  // kept beside it
  std::unique_ptr<node::Chain> chain_;
  std::unique_ptr<node::ChainView> view_;
  std::unique_ptr<consensus::Replica> core_;
};

}  // namespace tradeledger::sim
