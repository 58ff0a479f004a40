// One validator of consensus_net_bench (scenario e, doc/performance.md): the node's consensus
// driver (node::Driver, node/driver.h) on a real net::Transport over 127.0.0.1, with execution
// bypassed.
//
// This is a benchmark harness, not product code. The driver is the node's own: the same
// persistence order, the same core configuration, the same handling of every action. The
// thread around it mirrors node::Node::Run (src/node/node.cc): the same frames
// (node/peer_frames.h), the inbox drained before local transactions are handed over, the view
// timer, an empty ClientBatch as a tick. It leaves out everything that is not consensus or
// network: admission, gossip (every replica receives every payload directly, pre-verified),
// execution and RocksDB. The driver's storage (BenchStorage) appends a committed block to an
// in-memory ledger (MemoryLedger): the state root never changes, IsCommitted is a hash-set
// lookup and the transaction log is appended leaf by leaf, so the core's own checks (tx root,
// log root, no repeats) still run; the locked blocks are kept in memory.
//
// The safety state goes to memory by default (a copy of the bytes: no durability), or, with a
// directory, through node::SafetyFile exactly as a node writes it.
//
// Thread safety: a BenchReplica's driver thread owns the core and the ledger. Wake(), the
// atomic counters and Start()/Stop() are safe from any thread; the accessors marked "after
// Stop()" read what the driver thread wrote and must wait for it to end.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_set>
#include <vector>

#include "consensus/replica.h"
#include "net/transport.h"
#include "node/driver.h"
#include "node/safety_file.h"

namespace tradeledger::bench {

// The executed chain of a replica whose execution is bypassed.
class MemoryLedger final : public consensus::LedgerView {
 public:
  // Reserves room for `expected` committed transactions up front, so that no rehash of the
  // committed-id set (tens of milliseconds at a million ids) stalls the driver mid-run.
  explicit MemoryLedger(size_t expected) { committed_.reserve(expected); }

  core::Height ExecutedHeight() const override { return core::Height(blocks_.size()); }
  // One constant root: nothing is executed.
  std::optional<core::Hash32> StateRoot(core::Height height) const override;
  bool IsCommitted(const ledger::TxId& id) const override { return committed_.contains(id); }
  std::optional<ledger::StoredBlock> CommittedBlock(core::Height height) const override;
  ledger::MerkleLog CommittedLog() const override { return log_; }

  void Append(ledger::StoredBlock block);

 private:
  std::vector<ledger::StoredBlock> blocks_;
  std::unordered_set<ledger::TxId> committed_;
  ledger::MerkleLog log_;
  std::vector<ledger::LogNode> scratch_;
};

// The payloads every replica hands to its core: signed once up front, released over time by
// the load loop (consensus_net_bench.cc). Read-only but for `released`.
struct PayloadFeed {
  std::vector<ledger::SignedTransaction> pool;  // the nonce of pool[i] is i + 1
  std::atomic<size_t> released{0};              // pool[0, released) may be handed over
};

struct ReplicaOptions {
  ledger::ValidatorSet validators;
  node::DriverOptions driver;
  crypto::KeyPair key;
  std::string fsync_dir;  // empty: persist to memory
  bool record_latency = false;
  int transport_threads = 1;
};

class BenchReplica final : private node::DriverEffects {
 public:
  // Binds the transport on 127.0.0.1 (any port) and creates the core. Peers are set later.
  static core::Result<std::unique_ptr<BenchReplica>> Create(ReplicaOptions options,
                                                            const PayloadFeed& feed);
  ~BenchReplica() override;
  BenchReplica(const BenchReplica&) = delete;
  BenchReplica& operator=(const BenchReplica&) = delete;

  uint16_t port() const { return transport_->port(); }
  const crypto::PublicKey& public_key() const { return key_.public_key; }
  void SetPeers(std::vector<net::PeerAddress> peers) { transport_->SetPeers(std::move(peers)); }
  size_t ConnectedPeers() const { return transport_->ConnectedPeers(); }
  // Frames and payload bytes this replica's transport has sent so far.
  std::pair<uint64_t, uint64_t> SentTotals() const;

  void Start();
  void Stop();
  // Tells the driver that more payloads were released.
  void Wake();

  // Blocks and payloads committed so far (any thread).
  uint64_t blocks() const { return blocks_.load(); }
  uint64_t payloads() const { return payloads_.load(); }
  // From now on, record hand-over-to-commit latency of blocks committed (record_latency only).
  void StartMeasuring() { measuring_ = true; }
  void StopMeasuring() { measuring_ = false; }

  // After Stop(): latencies (ms) of the payloads committed while measuring.
  const std::vector<double>& latencies_ms() const { return latencies_ms_; }
  // After Stop(): the core's and the transport's rejections, and persist statistics.
  std::map<std::string, uint64_t> Rejections() const;
  uint64_t persists() const { return persists_; }
  double persist_seconds() const { return persist_seconds_; }
  bool failed() const { return failed_.load(); }

 private:
  struct Inbound {
    crypto::PublicKey from;
    core::Bytes message;
  };
  // The driver's storage: the in-memory ledger, the locked blocks in memory, the safety state
  // in memory or in a SafetyFile.
  class BenchStorage final : public node::DriverStorage {
   public:
    BenchStorage(BenchReplica& owner, size_t expected) : owner_(owner), ledger_(expected) {}
    const consensus::LedgerView& view() const override { return ledger_; }
    core::Result<node::Chain::Validators> NextValidators() const override;
    core::Result<std::vector<node::TxIndexEntry>> Commit(const ledger::StoredBlock& block) override;
    core::Result<core::Bytes> ReadSafetyState() override { return persisted_; }
    core::Status WriteSafetyState(core::ByteSpan state) override;
    core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>> ReadLockedBlocks()
        override;
    core::Status UpdateLockedBlocks(
        const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
        const std::vector<ledger::BlockHash>& remove) override;

   private:
    BenchReplica& owner_;
    MemoryLedger ledger_;
    core::Bytes persisted_;
    std::map<ledger::BlockHash, core::Bytes> locked_;
  };
  BenchReplica(ReplicaOptions options, const PayloadFeed& feed);

  // DriverEffects.
  void Send(const crypto::PublicKey& to, const core::Bytes& message) override;
  void Broadcast(const core::Bytes& message) override;
  void Committed(const ledger::StoredBlock& block, const std::vector<node::TxIndexEntry>& entries,
                 std::chrono::steady_clock::duration took) override;

  void OnFrame(const crypto::PublicKey& from, core::Bytes frame);
  void Run();
  void Step(consensus::Input input);
  void HandOver();
  core::TimestampMs Now() const;

  const crypto::KeyPair key_;
  const ledger::ValidatorSet validators_;
  const PayloadFeed& feed_;
  const bool record_latency_;
  std::optional<node::SafetyFile> safety_file_;
  std::unique_ptr<net::Transport> transport_;
  BenchStorage storage_;                  // driver thread
  std::unique_ptr<node::Driver> driver_;  // driver thread
  size_t cursor_ = 0;                     // driver thread: pool[0, cursor_) handed over
  std::vector<int64_t> handed_ns_;        // driver thread: hand-over time per payload
  std::vector<double> latencies_ms_;      // driver thread
  uint64_t persists_ = 0;                 // driver thread
  double persist_seconds_ = 0;            // driver thread
  std::atomic<uint64_t> blocks_{0};
  std::atomic<uint64_t> payloads_{0};
  std::atomic<bool> measuring_{false};
  std::atomic<bool> running_{false};
  std::atomic<bool> failed_{false};
  std::thread thread_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Inbound> inbox_;  // guarded by mu_
};

}  // namespace tradeledger::bench
