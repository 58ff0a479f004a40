#include "node/mempool.h"

#include <algorithm>

namespace tradeledger::node {

core::Result<Mempool::AddResult> Mempool::Add(ledger::SignedTransaction tx) {
  std::lock_guard lock(mu_);
  if (ids_.contains(tx.id())) return AddResult::kAlreadyPending;
  size_t size = tx.envelope().size();
  if (queue_.size() >= limits_.max_transactions || bytes_ + size > limits_.max_bytes) {
    return core::Fail("MEMPOOL_FULL", "the node has too many pending transactions; retry later");
  }
  size_t& mine = per_signer_[tx.signer()];
  if (mine >= limits_.max_per_signer) {
    return core::Fail("MEMPOOL_SIGNER_LIMIT", "too many pending transactions from this signer");
  }
  ++mine;
  bytes_ += size;
  ids_.insert(tx.id());
  queue_.push_back(std::move(tx));
  cv_.notify_one();
  return AddResult::kAdded;
}

std::vector<ledger::SignedTransaction> Mempool::Take(size_t max, std::chrono::milliseconds wait) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, wait, [&] { return !queue_.empty() || interrupted_; });
  interrupted_ = false;
  std::vector<ledger::SignedTransaction> out;
  size_t n = std::min(max, queue_.size());
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    ledger::SignedTransaction& tx = queue_.front();
    ids_.erase(tx.id());
    bytes_ -= tx.envelope().size();
    auto it = per_signer_.find(tx.signer());
    if (--it->second == 0) per_signer_.erase(it);
    out.push_back(std::move(tx));
    queue_.pop_front();
  }
  lock.unlock();
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    if (a.signer() != b.signer()) return a.signer() < b.signer();
    return a.payload().nonce < b.payload().nonce;
  });
  return out;
}

bool Mempool::Contains(const ledger::TxId& id) const {
  std::lock_guard lock(mu_);
  return ids_.contains(id);
}

size_t Mempool::size() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

size_t Mempool::bytes() const {
  std::lock_guard lock(mu_);
  return bytes_;
}

void Mempool::Interrupt() {
  std::lock_guard lock(mu_);
  interrupted_ = true;
  cv_.notify_all();
}

}  // namespace tradeledger::node
