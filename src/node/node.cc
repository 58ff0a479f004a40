#include "node/node.h"

#include <spdlog/spdlog.h>

namespace tradeledger::node {

using Clock_ = std::chrono::steady_clock;

core::Result<std::unique_ptr<Node>> Node::Create(LedgerStore& store, Chain& chain,
                                                 crypto::KeyPair key, const Clock& clock,
                                                 NodeOptions options, Metrics& metrics) {
  const ledger::ValidatorSet& set = chain.genesis().validator_set;
  if (!set.Contains(key.public_key)) {
    return core::Fail("NODE_NOT_VALIDATOR", "the node key is not in the genesis validator set");
  }
  if (set.size() != 1) {
    return core::Fail("NODE_NOT_VALIDATOR",
                      "this build runs single-validator networks only; the genesis names " +
                          std::to_string(set.size()) + " validators");
  }
  return std::unique_ptr<Node>(new Node(store, chain, std::move(key), clock, options, metrics));
}

Node::Node(LedgerStore& store, Chain& chain, crypto::KeyPair key, const Clock& clock,
           NodeOptions options, Metrics& metrics)
    : store_(store),
      chain_(chain),
      key_(std::move(key)),
      clock_(clock),
      options_(options),
      metrics_(metrics),
      mempool_(options.mempool) {
  metrics_.height = chain_.tip().height.value;
}

Node::~Node() { Stop(); }

void Node::Start() {
  if (running_.exchange(true)) return;
  producer_ = std::thread([this] { Run(); });
}

void Node::Stop() {
  running_ = false;
  mempool_.Interrupt();
  if (producer_.joinable()) producer_.join();
  ExpireWaiters(/*all=*/true);
}

core::Result<Node::Admission> Node::Submit(ledger::SignedTransaction tx) {
  if (tx.payload().chain_id != chain_.genesis().chain_id) {
    return core::Fail("WRONG_CHAIN",
                      "transaction is signed for chain " + tx.payload().chain_id.hex());
  }
  TL_RETURN_IF_ERROR(tx.VerifySignature());
  TL_ASSIGN_OR_RETURN(std::optional<TxIndexEntry> entry, store_.ReadTxIndex(tx.id()));
  if (entry) return Admission{TxStatus::kCommitted, entry};
  if (!healthy_) return core::Fail("NODE_UNAVAILABLE", "the node stopped after a storage failure");
  ledger::TxId id = tx.id();
  {
    std::lock_guard lock(mu_);
    since_.try_emplace(id, Clock_::now());
  }
  auto added = mempool_.Add(std::move(tx));
  if (!added) {
    std::lock_guard lock(mu_);
    since_.erase(id);
    return core::Fail(added.error());
  }
  if (*added == Mempool::AddResult::kAdded) {
    ++metrics_.transactions_received;
    metrics_.mempool_size = mempool_.size();
  }
  return Admission{};
}

void Node::WaitForCommit(const ledger::TxId& id, Clock_::time_point deadline, CommitCallback done) {
  {
    std::lock_guard lock(mu_);
    if (running_) {
      waiters_[id].push_back(Waiter{deadline, std::move(done)});
      done = nullptr;
    }
  }
  if (done) {  // stopped: answer now with what the index says
    auto entry = store_.ReadTxIndex(id);
    done(entry ? *entry : std::nullopt);
    return;
  }
  // The transaction may have committed before the waiter was registered.
  auto entry = store_.ReadTxIndex(id);
  if (entry && *entry) {
    std::vector<Waiter> ready;
    {
      std::lock_guard lock(mu_);
      auto it = waiters_.find(id);
      if (it != waiters_.end()) {
        ready = std::move(it->second);
        waiters_.erase(it);
      }
    }
    for (Waiter& w : ready) w.done(*entry);
  }
}

core::Result<std::pair<TxStatus, std::optional<TxIndexEntry>>> Node::Status(
    const ledger::TxId& id) const {
  TL_ASSIGN_OR_RETURN(std::optional<TxIndexEntry> entry, store_.ReadTxIndex(id));
  if (entry) return std::pair{TxStatus::kCommitted, entry};
  std::lock_guard lock(mu_);
  if (since_.contains(id)) return std::pair{TxStatus::kPending, std::optional<TxIndexEntry>()};
  return std::pair{TxStatus::kUnknown, std::optional<TxIndexEntry>()};
}

void Node::Run() {
  while (running_) {
    auto txs = mempool_.Take(options_.max_block_transactions, options_.idle_wait);
    metrics_.mempool_size = mempool_.size();
    // A header commits the state of the block before it, so after a block that changed the
    // state, an empty block follows when nothing else arrives: it certifies that state.
    ChainTip tip = chain_.tip();
    bool state_uncertified = tip.height.value > 0 &&
                             tip.state_height_of_tip.value < tip.height.value &&
                             tip.log_size > tip_log_size_certified_;
    if (!txs.empty()) {
      ProduceBlock(std::move(txs), /*allow_empty=*/false);
    } else if (state_uncertified) {
      ProduceBlock({}, /*allow_empty=*/true);
    }
    ExpireWaiters(/*all=*/false);
  }
}

void Node::ProduceBlock(std::vector<ledger::SignedTransaction> txs, bool allow_empty) {
  // A transaction resubmitted while its first copy was being committed is dropped here.
  std::erase_if(txs, [&](const ledger::SignedTransaction& tx) {
    auto entry = store_.ReadTxIndex(tx.id());
    return !entry || entry->has_value();
  });
  if (txs.empty() && !allow_empty) return;
  auto started = Clock_::now();
  if (txs.empty()) tip_log_size_certified_ = chain_.tip().log_size;

  ledger::StoredBlock block;
  block.header = chain_.BuildHeader(txs, clock_.Now(), key_.public_key);
  block.transactions = std::move(txs);
  block.certificate.height = block.header.height;
  block.certificate.view = core::View(block.header.height.value);
  block.certificate.block_hash = block.header.Hash();
  block.certificate.AddSignature(chain_.genesis().chain_id, key_);

  auto entries = chain_.Commit(block, /*verify_signatures=*/false);
  if (!entries) {
    spdlog::critical("commit of block {} failed: {}; the node stops producing blocks",
                     block.header.height.value, entries.error().ToString());
    healthy_ = false;
    running_ = false;
    ExpireWaiters(/*all=*/true);
    return;
  }
  auto committed = Clock_::now();
  metrics_.block_commit_seconds.Observe(std::chrono::duration<double>(committed - started).count());
  metrics_.height = block.header.height.value;
  ++metrics_.blocks_committed;
  metrics_.transactions_committed += entries->size();

  std::vector<std::pair<Waiter, TxIndexEntry>> ready;
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < entries->size(); ++i) {
      const ledger::TxId& id = block.transactions[i].id();
      const TxIndexEntry& entry = (*entries)[i];
      if (entry.result_code != "OK") ++metrics_.transactions_failed;
      if (auto it = since_.find(id); it != since_.end()) {
        metrics_.commit_latency_seconds.Observe(
            std::chrono::duration<double>(committed - it->second).count());
        since_.erase(it);
      }
      if (auto it = waiters_.find(id); it != waiters_.end()) {
        for (Waiter& w : it->second) ready.emplace_back(std::move(w), entry);
        waiters_.erase(it);
      }
    }
  }
  for (auto& [waiter, entry] : ready) waiter.done(entry);
  if (listener_) listener_(block);
}

void Node::ExpireWaiters(bool all) {
  auto now = Clock_::now();
  std::vector<Waiter> expired;
  {
    std::lock_guard lock(mu_);
    for (auto it = waiters_.begin(); it != waiters_.end();) {
      auto& list = it->second;
      for (auto w = list.begin(); w != list.end();) {
        if (all || w->deadline <= now) {
          expired.push_back(std::move(*w));
          w = list.erase(w);
        } else {
          ++w;
        }
      }
      it = list.empty() ? waiters_.erase(it) : std::next(it);
    }
  }
  for (Waiter& w : expired) w.done(std::nullopt);
}

}  // namespace tradeledger::node
