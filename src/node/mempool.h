// Transactions admitted but not yet committed.
//
// Bounded in count, in bytes and per signer; a full pool refuses new transactions with a reason
// (MEMPOOL_FULL, MEMPOOL_SIGNER_LIMIT) rather than growing. Duplicates (same tx id) are
// accepted once. Take() hands out the oldest transactions, ordered within the batch by signer
// and nonce so that one signer's transactions execute in nonce order.
//
// Thread safety: all methods are safe from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "ledger/transaction.h"

namespace tradeledger::node {

struct MempoolLimits {
  size_t max_transactions = 100'000;
  size_t max_bytes = 256u << 20;
  size_t max_per_signer = 10'000;
};

class Mempool {
 public:
  explicit Mempool(MempoolLimits limits) : limits_(limits) {}

  enum class AddResult { kAdded, kAlreadyPending };
  core::Result<AddResult> Add(ledger::SignedTransaction tx);

  // Up to `max` transactions, oldest first; waits up to `wait` for the first one to arrive.
  std::vector<ledger::SignedTransaction> Take(size_t max, std::chrono::milliseconds wait);

  bool Contains(const ledger::TxId& id) const;
  size_t size() const;
  size_t bytes() const;
  // Wakes a Take() that is waiting.
  void Interrupt();

 private:
  const MempoolLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<ledger::SignedTransaction> queue_;
  std::unordered_set<ledger::TxId> ids_;
  std::map<ledger::PublicKey, size_t> per_signer_;
  size_t bytes_ = 0;
  bool interrupted_ = false;
};

}  // namespace tradeledger::node
