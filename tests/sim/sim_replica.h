// One simulated validator: the node's own consensus driver (node::Driver, node/driver.h) over
// the real node::Chain on a storage::MemoryStore, through the node's ChainStorage, with its
// safety state in memory.
//
// What survives a crash is exactly what a real node keeps on disk: the MemoryStore (every
// committed block, the transaction log, the state, the locked blocks) and the last safety
// state written. The driver, its core, block tree, mempool and vote collections live in memory
// and are lost; Restart rebuilds the Chain from the store and a new driver from what was
// stored, as a restarted node does.
//
// Crash points: ArmCrash(k) makes the k-th storage write from now (each safety-state write,
// locked-blocks update and block commit is one) the replica's last. The write is either carried
// out whole or not at all (both are what a crash around an atomic write leaves), then fails
// with SIM_CRASH, so the driver stops where a killed node would have stopped.
//
// Thread safety: single-threaded, like the simulator.
#pragma once

#include <memory>
#include <optional>

#include "node/chain.h"
#include "node/chain_storage.h"
#include "node/driver.h"
#include "node/genesis.h"
#include "node/ledger_store.h"
#include "node/memory_safety_store.h"
#include "storage/memory_store.h"

namespace tradeledger::sim {

// The error code of a write the simulator crashed the replica at.
inline constexpr const char* kSimCrash = "SIM_CRASH";

class SimReplica {
 public:
  // Opens the chain and creates the driver. Aborts on failure: the simulator's own setup.
  // Borrows `genesis` and `effects`.
  SimReplica(const node::Genesis& genesis, node::DriverOptions options, crypto::KeyPair key,
             node::DriverEffects& effects);
  ~SimReplica();
  SimReplica(const SimReplica&) = delete;
  SimReplica& operator=(const SimReplica&) = delete;

  // Up: has a driver that is running.
  bool up() const { return driver_ != nullptr; }
  node::Driver& driver() { return *driver_; }
  consensus::Replica& core() { return driver_->core(); }
  const consensus::Replica& core() const { return driver_->core(); }
  const crypto::KeyPair& key() const { return key_; }
  node::Chain& chain() { return *chain_; }
  // The executed tip's state root (as node::ChainTip); valid while up.
  node::ChainTip tip() const { return chain_->tip(); }
  // The executed height as stored (valid up or down).
  uint64_t stored_height();

  // Drops everything in memory; the store and the safety state remain.
  void Crash();
  // Reopens the chain from the store and creates a new driver from what was stored. False if
  // this replica is no longer in the validator set in force (the driver is not created).
  bool Restart();
  // The k-th write from now (k >= 1) is this replica's last; `applied`: whether it is carried
  // out before the crash.
  void ArmCrash(uint64_t k, bool applied) { crash_ = CrashPoint{k, applied}; }
  bool crash_armed() const { return crash_.has_value(); }
  void Disarm() { crash_.reset(); }

  // What the core reads back: the node's own ChainView over this replica's chain and store.
  const consensus::LedgerView& ledger_view() const { return chain_storage_->view(); }

 private:
  struct CrashPoint {
    uint64_t countdown;
    bool applied;
  };
  class CrashingStorage;
  // Opens the chain and the driver; false (nothing open) if NODE_NOT_VALIDATOR.
  bool Open();

  const node::Genesis& genesis_;
  const node::DriverOptions options_;
  const crypto::KeyPair key_;
  node::DriverEffects& effects_;
  storage::MemoryStore store_;  // the disk
  node::LedgerStore ledger_{store_};
  node::MemorySafetyStore safety_;  // the safety state file
  std::optional<CrashPoint> crash_;
  std::unique_ptr<node::Chain> chain_;
  std::unique_ptr<node::ChainStorage> chain_storage_;
  std::unique_ptr<CrashingStorage> storage_;
  std::unique_ptr<node::Driver> driver_;
};

}  // namespace tradeledger::sim
