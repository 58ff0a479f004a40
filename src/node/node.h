// A validator node: admits signed transactions, orders them into blocks, certifies, executes
// and commits them, and tells waiting clients when their transactions commit.
//
// This is the single-validator driver: the node is the whole validator set, so it proposes
// every block and its own signature is the quorum of the commit certificate. The block
// format and certificate are those of the multi-validator network.
//
// Threads: Start() runs one producer thread that owns block building and the Chain's writer
// side. Submit/WaitForCommit/Status are safe from any thread (the HTTP threads call them).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "crypto/ed25519.h"
#include "node/chain.h"
#include "node/clock.h"
#include "node/mempool.h"
#include "node/metrics.h"

namespace tradeledger::node {

struct NodeOptions {
  // Most transactions per block.
  size_t max_block_transactions = 2000;
  // How long the producer waits for a first transaction before looking again (also the
  // granularity of wait deadlines).
  std::chrono::milliseconds idle_wait{20};
  MempoolLimits mempool;
};

enum class TxStatus { kUnknown, kPending, kCommitted };

class Node {
 public:
  using CommitCallback = std::function<void(std::optional<TxIndexEntry>)>;

  // Borrows everything but the key; they must outlive the Node. Fails with
  // NODE_NOT_VALIDATOR if `key` is not the genesis validator set's only member.
  static core::Result<std::unique_ptr<Node>> Create(LedgerStore& store, Chain& chain,
                                                    crypto::KeyPair key, const Clock& clock,
                                                    NodeOptions options, Metrics& metrics);
  ~Node();
  Node(const Node&) = delete;
  Node& operator=(const Node&) = delete;

  void Start();
  // Stops the producer after the block in progress; wakes every waiter with nullopt.
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

  // Called on the producer thread after each block is durably committed. Set before Start().
  void SetCommitListener(std::function<void(const ledger::StoredBlock&)> listener) {
    listener_ = std::move(listener);
  }

  // False once the node has hit a storage failure and stopped producing blocks.
  bool healthy() const { return healthy_.load(); }

 private:
  Node(LedgerStore& store, Chain& chain, crypto::KeyPair key, const Clock& clock,
       NodeOptions options, Metrics& metrics);
  void Run();
  void ProduceBlock(std::vector<ledger::SignedTransaction> txs, bool allow_empty);
  void ExpireWaiters(bool all);

  struct Waiter {
    std::chrono::steady_clock::time_point deadline;
    CommitCallback done;
  };

  LedgerStore& store_;
  Chain& chain_;
  const crypto::KeyPair key_;
  const Clock& clock_;
  const NodeOptions options_;
  Metrics& metrics_;
  Mempool mempool_;

  std::atomic<bool> running_{false};
  std::atomic<bool> healthy_{true};
  std::thread producer_;
  std::function<void(const ledger::StoredBlock&)> listener_;
  uint64_t tip_log_size_certified_ = 0;  // producer thread only: log size whose state is certified

  mutable std::mutex mu_;
  std::unordered_map<ledger::TxId, std::vector<Waiter>> waiters_;                  // guarded
  std::unordered_map<ledger::TxId, std::chrono::steady_clock::time_point> since_;  // guarded
};

}  // namespace tradeledger::node
