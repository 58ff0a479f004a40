// The consensus driver: the one piece of code that runs the consensus core (consensus/replica.h)
// for the validator node (node/node.cc), the deterministic simulator (tests/sim) and the
// network benchmark (bench/consensus_net_bench_replica.cc), so that the simulator's seed sweep
// and the benchmark run what ships: the same persistence order, the same commit path and the
// same validator set changes (doc/adr/0027-one-consensus-driver.md).
//
// Step() passes one input to the core and carries out its actions in order:
//  - Persist: the proposals of the lock first (DriverStorage::UpdateLockedBlocks), then the
//    safety state (WriteSafetyState, durable before it returns), before anything later in the
//    same step is sent;
//  - Send / Broadcast: to DriverEffects, by validator key;
//  - SetTimer: kept as timer(), for the caller's clock;
//  - Decide: told to DriverEffects;
//  - Commit: DriverStorage::Commit executes and stores the block before the next action;
//    then DriverEffects::Committed. If the block changed the validator set (NextValidators
//    names a new epoch), what the old core still asked for is void: a new core is created for
//    the new set from the persisted state, started, and handed the transactions the old core
//    held for proposing.
//    With a CommitQueue (the node: node/commit_pipeline.h, ADR 0032), the block is queued
//    instead, to be executed on the queue's thread while the core goes on ordering; only a
//    block with a validator.set transaction is waited for (the queue drained) before the next
//    action, so that a set change is seen exactly where it is without a queue. The core reads
//    a view pinned at the start of each Step (DriverStorage::PinView), so that blocks executed
//    beside a Step do not change what it reads within it.
// A storage failure stops the step at the failing write (with a CommitQueue, a queued commit
// that failed stops the next Step before it starts); nothing after it is carried out and
// the driver stays failed (the node stops; the simulator treats it as a crash and restarts a
// new driver from what was stored).
//
// Thread safety: none; one thread (the node's consensus thread) owns a Driver.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "consensus/replica.h"
#include "crypto/ed25519.h"
#include "node/chain.h"

namespace tradeledger::node {

// What the driver reads and writes: the node's chain and safety file (ChainStorage), or a
// benchmark's in-memory log.
class DriverStorage {
 public:
  virtual ~DriverStorage() = default;
  // What the core reads back: the committed chain, reflecting every Commit so far.
  virtual const consensus::LedgerView& view() const = 0;
  // The validator set that certifies the next block.
  virtual core::Result<Chain::Validators> NextValidators() const = 0;
  // Executes and stores a committed block durably; one index entry per transaction.
  virtual core::Result<std::vector<TxIndexEntry>> Commit(const ledger::StoredBlock& block) = 0;
  // The last safety state written; empty if none was.
  virtual core::Result<core::Bytes> ReadSafetyState() = 0;
  // Replaces the safety state; durable when it returns.
  virtual core::Status WriteSafetyState(core::ByteSpan state) = 0;
  // The proposals of the lock kept for a restart (consensus::Persist).
  virtual core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>>
  ReadLockedBlocks() = 0;
  virtual core::Status UpdateLockedBlocks(
      const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
      const std::vector<ledger::BlockHash>& remove) = 0;
  // Fixes what view() reports as executed to what is executed now, until the next call (a
  // driver with a CommitQueue calls it before each Step). Never called: view() follows every
  // Commit as it happens.
  virtual void PinView() {}
};

// Where a driver's Commit actions go to be executed on another thread (node/commit_pipeline.h):
// each queued block is passed to DriverStorage::Commit in the order queued, and then to
// DriverEffects::Committed, on that thread.
class CommitQueue {
 public:
  struct Failure {
    std::string what;  // "commit of block <height>"
    core::Error error;
  };
  virtual ~CommitQueue() = default;
  // Queues `block` after those queued before it; waits while the queue is full. Ignored once a
  // commit has failed.
  virtual void Enqueue(ledger::StoredBlock block) = 0;
  // Waits until every queued block is committed, or a commit failed.
  virtual void Drain() = 0;
  // The first failed commit; nothing queued after it is committed.
  virtual std::optional<Failure> failure() const = 0;
  // The height of the last block queued (0 if none was).
  virtual core::Height queued_height() const = 0;
};

// Where the driver's output goes. Called on the driver's thread, during Step(); Committed, with
// a CommitQueue, on the queue's thread.
class DriverEffects {
 public:
  virtual ~DriverEffects() = default;
  // A consensus message for one validator of the set in force.
  virtual void Send(const crypto::PublicKey& to, const core::Bytes& message) = 0;
  // A consensus message for every other validator of the set in force.
  virtual void Broadcast(const core::Bytes& message) = 0;
  // A block is decided (before it is executed).
  virtual void Decided(const consensus::Decide& decide) { (void)decide; }
  // A block is executed and stored; `entries` are its transactions' index entries, `took`
  // how long DriverStorage::Commit took (wall time, for metrics only).
  virtual void Committed(const ledger::StoredBlock& block, const std::vector<TxIndexEntry>& entries,
                         std::chrono::steady_clock::duration took) {
    (void)block;
    (void)entries;
    (void)took;
  }
  // A validator set is in force (on Create, and after each change this node stays in).
  virtual void EpochEntered(const Chain::Validators& validators) { (void)validators; }
};

// The longest a leader may pace its batch (ADR 0037) in views of `base_timeout_ms`: a
// follower's view timer runs while the next leader paces, so an interval near the timeout
// would time views out. The node's configuration refuses more; the driver takes more as this.
constexpr uint64_t MaxBlockIntervalMs(uint64_t base_timeout_ms) { return base_timeout_ms / 4; }

struct DriverOptions {
  ledger::ChainId chain_id;
  core::TimestampMs genesis_time;
  consensus::PacemakerConfig pacemaker;
  uint32_t max_block_transactions = 2000;
  size_t max_mempool = 20'000;
  // consensus::ReplicaConfig::propose_when_idle and heartbeat_ms; the heartbeat applies only
  // to a set of several validators (a network of one leads every view, so an idle timeout
  // costs it nothing).
  bool propose_when_idle = false;
  uint64_t heartbeat_ms = 0;
  // consensus::ReplicaConfig::min_block_interval_ms (ADR 0037); 0: no pacing. At most
  // MaxBlockIntervalMs(pacemaker.base_timeout_ms); a larger value is taken as that.
  uint64_t min_block_interval_ms = 0;
  // consensus::ReplicaConfig::admissible (node: trade::CheckAdmission).
  std::function<core::Status(const ledger::SignedTransaction&)> admissible;
  // Where Commit actions go (borrowed; must outlive the driver). Null: each is executed before
  // the next action (the simulator and the consensus benchmark, which are single-threaded).
  // With a queue, proposals claim the state one executed block back
  // (consensus::ReplicaConfig::state_claim_lag).
  CommitQueue* commit_queue = nullptr;
};

class Driver {
 public:
  enum class State {
    kRunning,
    kFailed,   // a write failed: see failure()
    kRemoved,  // a validator set change left this node out; it no longer validates
  };

  // Creates the core for the validator set in force, from the stored safety state and locked
  // blocks. Fails with NODE_NOT_VALIDATOR if `key` is not in that set, or with what storage
  // reported. Calls effects.EpochEntered. Borrows `storage` and `effects`.
  static core::Result<std::unique_ptr<Driver>> Create(DriverStorage& storage, crypto::KeyPair key,
                                                      DriverOptions options,
                                                      DriverEffects& effects);

  // One input through the core, then its actions in order (see the top of this file). Does
  // nothing unless running.
  State Step(consensus::Input input);
  // A consensus message from the validator with key `from`: stepped as a PeerMessage from its
  // index in the set in force. False, with nothing stepped, if `from` is not another member
  // of that set (its message belonged to an earlier set).
  bool StepPeer(core::TimestampMs now, const crypto::PublicKey& from, core::Bytes message);

  State state() const { return state_; }
  // What made the driver fail, with what it was doing ("writing the consensus safety state").
  const std::optional<std::pair<std::string, core::Error>>& failure() const { return failure_; }
  // The view timer the core armed last, if it has not fired (the caller clears it when it
  // steps the TimerFired).
  std::optional<consensus::SetTimer>& timer() { return timer_; }
  // The epoch of the set in force and the core for it.
  uint64_t epoch() const { return epoch_; }
  consensus::Replica& core() { return *core_; }
  const consensus::Replica& core() const { return *core_; }
  // Writes carried out so far: each safety-state write, locked-blocks update and block commit
  // counts one (the simulator crashes replicas at chosen writes).
  uint64_t writes() const { return writes_; }

 private:
  Driver(DriverStorage& storage, crypto::KeyPair key, DriverOptions options,
         DriverEffects& effects);
  core::Status EnterEpoch(Chain::Validators validators);
  bool Apply(consensus::Action& action);
  bool Persist(const consensus::Persist& persist);
  bool CommitBlock(const ledger::StoredBlock& block);
  // With a CommitQueue: false (and failed) if a queued commit failed.
  bool CheckQueue();
  // After a block changed the validator set: a new core, started; false if the node stops.
  bool Reconfigure(core::TimestampMs now);
  void Fail(std::string what, core::Error error);

  // The view the core reads: the storage's, and with a CommitQueue the height queued up to.
  class CoreView final : public consensus::LedgerView {
   public:
    CoreView(const consensus::LedgerView& base, const CommitQueue* queue)
        : base_(base), queue_(queue) {}
    core::Height ExecutedHeight() const override { return base_.ExecutedHeight(); }
    std::optional<core::Hash32> StateRoot(core::Height height) const override {
      return base_.StateRoot(height);
    }
    bool IsCommitted(const ledger::TxId& id) const override { return base_.IsCommitted(id); }
    std::optional<ledger::StoredBlock> CommittedBlock(core::Height height) const override {
      return base_.CommittedBlock(height);
    }
    ledger::MerkleLog CommittedLog() const override { return base_.CommittedLog(); }
    core::Height CommitTakenHeight() const override;

   private:
    const consensus::LedgerView& base_;
    const CommitQueue* const queue_;
  };

  DriverStorage& storage_;
  CoreView core_view_;
  const crypto::KeyPair key_;
  const DriverOptions options_;
  DriverEffects& effects_;
  std::unique_ptr<consensus::Replica> core_;
  uint64_t epoch_ = 0;
  std::vector<ledger::BlockHash> locked_stored_;  // sorted: the locked blocks kept in storage
  bool epoch_changed_ = false;
  std::optional<consensus::SetTimer> timer_;
  State state_ = State::kRunning;
  std::optional<std::pair<std::string, core::Error>> failure_;
  uint64_t writes_ = 0;
};

}  // namespace tradeledger::node
