// A validator node: admits signed transactions, runs the consensus core with the other
// validators through the consensus driver (node/driver.h: persistence order, commit path and
// validator set changes, shared with the simulator and the benchmark), and tells waiting
// clients when their transactions commit.
//
// The same node runs a network of one (the node is the whole validator set and certifies its
// own blocks) and of n = 3f+1. The driver's Send/Broadcast go to the PeerLinks; its view timer
// is fired by the consensus thread; each committed block (one synced RocksDB batch through
// Chain::Commit) answers its waiters before the next input.
//
// Transactions: Submit() checks the chain id and signature, then queues the transaction in a
// bounded Mempool (MEMPOOL_FULL / MEMPOOL_SIGNER_LIMIT when full). The consensus thread moves
// queued transactions to the core, forwarding each once to every other validator; transactions
// forwarded by peers are verified on the receiving thread (OnPeerFrame) and offered to the
// core directly. Each validator therefore verifies each transaction's signature once.
//
// Threads: Start() runs the consensus thread, the only one that touches the driver and writes
// the chain. Submit/WaitForCommit/Status/OnPeerFrame are safe from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "consensus/replica.h"
#include "crypto/ed25519.h"
#include "node/chain.h"
#include "node/chain_storage.h"
#include "node/clock.h"
#include "node/commit_pipeline.h"
#include "node/driver.h"
#include "node/mempool.h"
#include "node/metrics.h"
#include "node/safety_file.h"

namespace tradeledger::node {

// Another validator's transport address.
struct PeerEndpoint {
  crypto::PublicKey key;
  std::string host;
  uint16_t port = 0;
};

// The node's side of the validator network (net::Transport in production, direct links in
// tests). Sends are fire-and-forget: consensus tolerates loss, and a full link drops.
class PeerLinks {
 public:
  virtual ~PeerLinks() = default;
  // After a validator set change: connect to exactly these validators.
  virtual void SetPeers(std::vector<PeerEndpoint> peers) = 0;
  virtual void Send(const crypto::PublicKey& to, core::Bytes frame) = 0;
  virtual void Broadcast(const core::Bytes& frame) = 0;
  // For metrics: validators with an authenticated link, and what the links rejected.
  virtual size_t ConnectedPeers() const = 0;
  virtual std::map<std::string, uint64_t> Rejections() const = 0;
};

struct NodeOptions {
  // Most transactions per block.
  size_t max_block_transactions = 2000;
  MempoolLimits mempool;
  consensus::PacemakerConfig pacemaker;
  // With several validators, an idle leader proposes an empty block this long after the last
  // one, so that views keep their leaders (consensus::ReplicaConfig::heartbeat_ms); 0: never.
  // A network of one never does.
  uint64_t heartbeat_ms = 500;
  // A leader holding fewer transactions than a full block proposes them only once the last
  // block is this old (consensus::ReplicaConfig::min_block_interval_ms, ADR 0037); 0: at once.
  // The node's configuration file defaults it to NodeConfig's value; tests that build
  // NodeOptions directly run without pacing.
  uint64_t min_block_interval_ms = 0;
  // The consensus thread wakes at least this often (idle ticks, waiter deadlines).
  std::chrono::milliseconds tick{20};
  // Most peer input (frames) queued for the consensus thread; beyond it frames are dropped
  // and counted as INBOX_FULL.
  size_t max_inbox_bytes = 256u << 20;
};

enum class TxStatus { kUnknown, kPending, kCommitted };

class Node final : private DriverEffects {
 public:
  using CommitCallback = std::function<void(std::optional<TxIndexEntry>)>;

  // Borrows everything but the key and options; they must outlive the Node. `links` may be
  // null for a network of one. Fails with NODE_NOT_VALIDATOR if `key` is not in the genesis
  // validator set, SAFETY_FILE_IO / SAFETY_STATE_CORRUPT if the safety file cannot be used.
  static core::Result<std::unique_ptr<Node>> Create(LedgerStore& store, Chain& chain,
                                                    crypto::KeyPair key, const Clock& clock,
                                                    NodeOptions options, Metrics& metrics,
                                                    SafetyFile& safety, PeerLinks* links);
  ~Node() override;
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  void Start();
  // Stops the consensus thread after the step in progress, lets the blocks it queued for
  // execution commit, then wakes every waiter still waiting with nullopt.
  void Stop();

  // Admits a transaction. Checks its chain id (WRONG_CHAIN) and signature (BAD_SIGNATURE);
  // returns its status: committed (with the index entry) if it already is, else pending.
  // Mempool limits give MEMPOOL_FULL / MEMPOOL_SIGNER_LIMIT.
  struct Admission {
    TxStatus status = TxStatus::kPending;
    std::optional<TxIndexEntry> entry;
  };
  core::Result<Admission> Submit(ledger::SignedTransaction tx);

  // Calls `done` exactly once, on some thread: with the index entry once `id` is committed
  // (at once if it already is), or with nullopt when `deadline` passes or the node stops.
  void WaitForCommit(const ledger::TxId& id, std::chrono::steady_clock::time_point deadline,
                     CommitCallback done);

  core::Result<std::pair<TxStatus, std::optional<TxIndexEntry>>> Status(
      const ledger::TxId& id) const;

  // A frame from validator `from`, as authenticated by the transport. Malformed frames, frames
  // from keys outside the validator set and transactions with bad signatures are counted as
  // rejections and dropped. Cheap for consensus frames (queued); gossip is verified here.
  void OnPeerFrame(const crypto::PublicKey& from, core::Bytes frame);

  // Called on the commit pipeline's thread (node/commit_pipeline.h) after each block is durably
  // committed, one block at a time. Set before Start().
  void SetCommitListener(std::function<void(const ledger::StoredBlock&)> listener) {
    listener_ = std::move(listener);
  }

  // False once the node has hit a storage failure and stopped.
  bool healthy() const { return healthy_.load(); }
  // Readiness (GET /health/ready): whether this node is caught up with the network and can
  // serve current reads. Not ready, with `reason`: FAILED (storage failure), NOT_A_VALIDATOR
  // (a validator set change removed it: it no longer follows the chain), NO_PEER_MESSAGE
  // (several validators, none heard from since start), TOO_FEW_PEERS (fewer links than a
  // quorum needs), CATCHING_UP (the network is more than kReadyLag blocks ahead).
  // The commit rule alone keeps a node in step 2 to 3 blocks below the highest certificate it
  // has seen (a block commits once two certified descendants extend it, and the next proposal
  // already carries the next certificate); the soak (doc/simulation.md) saw that lag, 1 to 3,
  // on every validator under load. A limit of 2 made healthy validators flap between ready and
  // CATCHING_UP under load; 5 left room for the commit rule and a block being executed, and
  // the commit pipeline's queue (ADR 0032) adds the blocks that may wait to be executed.
  static constexpr uint64_t kReadyLag = 5 + CommitPipeline::kDefaultCapacity;
  // A block commit slower than this is logged as a warning.
  static constexpr int64_t kSlowCommitMs = 1000;
  // The holiday calendar ending within this many days is logged as a warning (daily).
  static constexpr int64_t kCalendarWarningDays = 90;
  struct Readiness {
    bool ready = false;
    std::string reason;
    uint64_t height = 0;       // this node's committed height
    uint64_t seen_height = 0;  // the highest height it has seen from the network
    size_t connected_peers = 0;
    size_t validators = 0;
  };
  Readiness readiness() const;
  // The validator set in force, in the consensus core's order.
  std::vector<crypto::PublicKey> validators() const;

  // The consensus core's current view (for metrics and tests).
  uint64_t view() const { return view_.load(); }
  const crypto::PublicKey& public_key() const { return key_.public_key; }

 private:
  Node(LedgerStore& store, Chain& chain, crypto::KeyPair key, const Clock& clock,
       NodeOptions options, Metrics& metrics, SafetyFile& safety, PeerLinks* links);

  struct Inbound {
    crypto::PublicKey from;
    core::Bytes message;                            // a consensus message, or
    std::vector<ledger::SignedTransaction> gossip;  // verified transactions from a peer
  };
  struct Waiter {
    std::chrono::steady_clock::time_point deadline;
    CommitCallback done;
  };

  void Run();
  // One input through the driver; false once the node stops (a storage failure, or a validator
  // set change that left it out).
  bool Step(consensus::Input input);
  // After the driver stepped: stops the node if it failed or was removed, else copies the
  // view and the highest height seen. False if the node stops.
  bool AfterStep();
  // DriverEffects.
  void Send(const crypto::PublicKey& to, const core::Bytes& message) override;
  void Broadcast(const core::Bytes& message) override;
  void Committed(const ledger::StoredBlock& block, const std::vector<TxIndexEntry>& entries,
                 std::chrono::steady_clock::duration took) override;
  void EpochEntered(const Chain::Validators& validators) override;
  // Sets the holiday-calendar gauge after a commit and warns, once per ledger day, when the
  // calendar ends within kCalendarWarningDays.
  void CheckCalendar(const ledger::StoredBlock& block);
  // Logs a slow commit, and catch-up progress while the network is ahead.
  void LogProgress(const ledger::StoredBlock& block, size_t transactions,
                   std::chrono::steady_clock::duration took);
  void Fail(const std::string& what, const core::Error& error);
  void ExpireWaiters(bool all);
  void PublishRejections();

  LedgerStore& store_;
  Chain& chain_;
  const crypto::KeyPair key_;
  const Clock& clock_;
  const NodeOptions options_;
  Metrics& metrics_;
  PeerLinks* const links_;
  ChainStorage storage_;
  Mempool mempool_;
  std::unique_ptr<Driver> driver_;  // consensus thread only (after Create)
  mutable std::mutex validators_mu_;
  std::shared_ptr<const std::vector<crypto::PublicKey>> validators_;  // guarded; core's order

  std::atomic<bool> running_{false};
  std::atomic<bool> healthy_{true};
  std::atomic<uint64_t> view_{0};
  std::atomic<uint64_t> seen_height_{0};
  bool catching_up_ = false;                  // commit pipeline thread only
  int64_t calendar_warned_day_ = INT64_MIN;   // commit pipeline thread only
  std::atomic<bool> heard_from_peer_{false};  // set after a peer's message has been stepped
  std::atomic<bool> removed_{false};          // a validator set change left this node out
  std::thread thread_;
  std::function<void(const ledger::StoredBlock&)> listener_;

  std::mutex inbox_mu_;
  std::condition_variable inbox_cv_;
  std::deque<Inbound> inbox_;  // guarded by inbox_mu_
  size_t inbox_bytes_ = 0;     // guarded by inbox_mu_
  bool wake_ = false;  // guarded by inbox_mu_: local transactions wait, or a block committed

  mutable std::mutex mu_;
  std::unordered_map<ledger::TxId, std::vector<Waiter>> waiters_;                  // guarded
  std::unordered_map<ledger::TxId, std::chrono::steady_clock::time_point> since_;  // guarded

  // Last: its thread calls Committed, which uses the members above, so it stops first.
  std::unique_ptr<CommitPipeline> pipeline_;
};

}  // namespace tradeledger::node
