#include "node/node.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/thread_name.h"
#include "node/peer_frames.h"
#include "trade/admission.h"
#include "trade/holiday_calendar.h"
#include "trade/ledger_clock.h"
#include "trade/time_util.h"

namespace tradeledger::node {

using Steady = std::chrono::steady_clock;

namespace {

// Most consecutive steps a network of one takes without new input: it certifies its own
// blocks at once, and each step may propose once (consensus/replica.h).
constexpr int kMaxSelfSteps = 8;
// How often the core's and the transport's rejection totals are copied into the metrics.
constexpr auto kPublishEvery = std::chrono::seconds(1);

}  // namespace

core::Result<std::unique_ptr<Node>> Node::Create(LedgerStore& store, Chain& chain,
                                                 crypto::KeyPair key, const Clock& clock,
                                                 NodeOptions options, Metrics& metrics,
                                                 SafetyFile& safety, PeerLinks* links) {
  TL_ASSIGN_OR_RETURN(Chain::Validators validators, chain.NextValidators());
  if (validators.set.size() > 1 && links == nullptr) {
    return core::Fail("NODE_NOT_VALIDATOR", "a network of several validators needs peer links");
  }
  std::unique_ptr<Node> node(new Node(store, chain, key, clock, options, metrics, safety, links));
  DriverOptions d;
  d.chain_id = chain.genesis().chain_id;
  d.genesis_time = chain.genesis().genesis_time;
  d.pacemaker = options.pacemaker;
  d.max_block_transactions = static_cast<uint32_t>(options.max_block_transactions);
  d.max_mempool = std::max<size_t>(20'000, 4 * options.max_block_transactions);
  d.propose_when_idle = false;
  d.heartbeat_ms = options.heartbeat_ms;
  d.min_block_interval_ms = options.min_block_interval_ms;
  d.admissible = [](const ledger::SignedTransaction& tx) {
    return trade::CheckAdmission(tx.payload().type, tx.payload().body);
  };
  DriverEffects& effects = *node;
  node->pipeline_ = std::make_unique<CommitPipeline>(node->storage_, effects);
  d.commit_queue = node->pipeline_.get();
  TL_ASSIGN_OR_RETURN(node->driver_,
                      Driver::Create(node->storage_, std::move(key), std::move(d), *node));
  return node;
}

void Node::EpochEntered(const Chain::Validators& validators) {
  {
    std::lock_guard lock(validators_mu_);
    validators_ =
        std::make_shared<const std::vector<crypto::PublicKey>>(validators.set.validators());
  }
  if (links_ != nullptr && !validators.entries.empty()) {
    std::vector<PeerEndpoint> peers;
    for (const trade::ValidatorEntry& v : validators.entries) {
      if (v.public_key != key_.public_key) peers.push_back({v.public_key, v.host, v.port});
    }
    links_->SetPeers(std::move(peers));
  }
  if (driver_ != nullptr) {
    spdlog::info("validator set epoch {} in force from height {}: {} validators", validators.epoch,
                 chain_.tip().height.value + 1, validators.set.size());
  }
}

void Node::Send(const crypto::PublicKey& to, const core::Bytes& message) {
  if (links_ != nullptr) links_->Send(to, ConsensusFrame(message));
}

void Node::Broadcast(const core::Bytes& message) {
  if (links_ != nullptr) links_->Broadcast(ConsensusFrame(message));
}

Node::Node(LedgerStore& store, Chain& chain, crypto::KeyPair key, const Clock& clock,
           NodeOptions options, Metrics& metrics, SafetyFile& safety, PeerLinks* links)
    : store_(store),
      chain_(chain),
      key_(std::move(key)),
      clock_(clock),
      options_(options),
      metrics_(metrics),
      links_(links),
      storage_(store, chain, safety),
      mempool_(options.mempool) {
  metrics_.height = chain_.tip().height.value;
}

Node::~Node() { Stop(); }

void Node::Start() {
  if (running_.exchange(true)) return;
  thread_ = std::thread([this] { Run(); });
}

void Node::Stop() {
  running_ = false;
  inbox_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (pipeline_ != nullptr) pipeline_->Drain();
  ExpireWaiters(/*all=*/true);
}

core::Result<Node::Admission> Node::Submit(ledger::SignedTransaction tx) {
  if (tx.payload().chain_id != chain_.genesis().chain_id) {
    return core::Fail("WRONG_CHAIN",
                      "transaction is signed for chain " + tx.payload().chain_id.hex());
  }
  TL_RETURN_IF_ERROR(tx.VerifySignature());
  TL_RETURN_IF_ERROR(trade::CheckAdmission(tx.payload().type, tx.payload().body));
  TL_ASSIGN_OR_RETURN(std::optional<TxIndexEntry> entry, store_.ReadTxIndex(tx.id()));
  if (entry) return Admission{TxStatus::kCommitted, entry};
  if (!healthy_) return core::Fail("NODE_UNAVAILABLE", "the node stopped after a storage failure");
  ledger::TxId id = tx.id();
  {
    std::lock_guard lock(mu_);
    since_.try_emplace(id, Steady::now());
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
    std::lock_guard lock(inbox_mu_);
    wake_ = true;
    inbox_cv_.notify_one();
  }
  return Admission{};
}

void Node::WaitForCommit(const ledger::TxId& id, Steady::time_point deadline, CommitCallback done) {
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

void Node::OnPeerFrame(const crypto::PublicKey& from, core::Bytes frame) {
  std::shared_ptr<const std::vector<crypto::PublicKey>> validators;
  {
    std::lock_guard lock(validators_mu_);
    validators = validators_;
  }
  auto it = std::find(validators->begin(), validators->end(), from);
  if (it == validators->end() || *it == key_.public_key) {
    return metrics_.CountPeerRejection("PEER_NOT_VALIDATOR");
  }
  auto parsed = ParsePeerFrame(frame);
  if (!parsed) return metrics_.CountPeerRejection(parsed.error().code);
  Inbound in{from, {}, {}};
  if (parsed->channel == PeerChannel::kConsensus) {
    in.message.assign(parsed->body.begin(), parsed->body.end());
  } else {
    auto txs = DecodeTransactions(parsed->body);
    if (!txs) return metrics_.CountPeerRejection("GOSSIP_MALFORMED");
    for (auto& tx : *txs) {
      if (tx.payload().chain_id != chain_.genesis().chain_id) {
        metrics_.CountPeerRejection("GOSSIP_WRONG_CHAIN");
      } else if (!tx.VerifySignature()) {
        metrics_.CountPeerRejection("GOSSIP_BAD_SIGNATURE");
      } else if (!trade::CheckAdmission(tx.payload().type, tx.payload().body)) {
        metrics_.CountPeerRejection("GOSSIP_TX_INADMISSIBLE");
      } else {
        in.gossip.push_back(std::move(tx));
      }
    }
    if (in.gossip.empty()) return;
  }
  std::lock_guard lock(inbox_mu_);
  if (inbox_bytes_ + frame.size() > options_.max_inbox_bytes) {
    return metrics_.CountPeerRejection("INBOX_FULL");
  }
  inbox_bytes_ += frame.size();
  inbox_.push_back(std::move(in));
  inbox_cv_.notify_one();
}

void Node::Run() {
  core::NameThisThread("consensus");
  if (!Step({clock_.Now(), consensus::Start{}})) return;
  auto last_publish = Steady::now();
  while (running_) {
    std::deque<Inbound> batch;
    {
      std::unique_lock lock(inbox_mu_);
      // Until the next tick, the view timer's deadline, or the due time of a leader pacing
      // its batch (ADR 0037), which proposes at its first Step from then on.
      const uint64_t now = clock_.Now().value;
      const auto until = [now](core::TimestampMs deadline) {
        return std::chrono::milliseconds(deadline.value > now ? deadline.value - now : 0);
      };
      std::chrono::milliseconds wait = options_.tick;
      if (const auto& timer = driver_->timer()) wait = std::min(wait, until(timer->deadline));
      if (const auto due = driver_->core().proposal_due()) wait = std::min(wait, until(*due));
      inbox_cv_.wait_for(lock, wait, [&] { return !inbox_.empty() || wake_ || !running_; });
      batch.swap(inbox_);
      inbox_bytes_ = 0;
      wake_ = false;
    }
    if (!running_) break;
    bool ok = true;
    for (Inbound& in : batch) {
      if (!ok) break;
      if (in.gossip.empty()) {
        // A sender outside the set now in force spoke for an earlier set: dropped.
        if (!driver_->StepPeer(clock_.Now(), in.from, std::move(in.message))) continue;
        ok = AfterStep();
        // Only now, with seen_height_ updated from what the peer said: readiness must not
        // count a peer heard whose height it has not yet taken into account.
        if (ok) heard_from_peer_ = true;
      } else {
        ok = Step({clock_.Now(), consensus::ClientBatch{std::move(in.gossip), true}});
      }
    }
    // Local transactions: forward them once to every other validator, then to the core.
    const consensus::Replica& core = driver_->core();
    size_t room =
        core.config().max_mempool - std::min(core.config().max_mempool, core.mempool_size());
    if (ok && room > 0) {
      auto txs =
          mempool_.Take(std::min<size_t>(room, kMaxGossipBatch), std::chrono::milliseconds(0));
      metrics_.mempool_size = mempool_.size();
      metrics_.mempool_bytes = mempool_.bytes();
      if (!txs.empty() && links_ != nullptr) links_->Broadcast(TransactionsFrame(txs));
      if (!txs.empty()) ok = Step({clock_.Now(), consensus::ClientBatch{std::move(txs), true}});
    }
    std::optional<consensus::SetTimer>& timer = driver_->timer();
    if (ok && timer && clock_.Now() >= timer->deadline) {
      core::View timer_view = timer->view;
      timer.reset();
      if (driver_->core().config().validators.size() > 1) {
        // With several validators an idle leader sends heartbeats: a timeout means the leader
        // of this view is slow, down or cut off.
        spdlog::warn("view {} timed out without progress; moving to the next view",
                     timer_view.value);
      }
      ok = Step({clock_.Now(), consensus::TimerFired{timer_view}});
    }
    // A tick: an idle leader looks again; a network of one goes on certifying its own blocks.
    for (int i = 0; ok && i < kMaxSelfSteps; ++i) {
      core::View before = driver_->core().last_proposed_view();
      ok = Step({clock_.Now(), consensus::ClientBatch{}});
      if (driver_->core().config().validators.size() > 1 ||
          driver_->core().last_proposed_view() == before) {
        break;
      }
    }
    if (!ok) break;
    ExpireWaiters(/*all=*/false);
    if (Steady::now() - last_publish >= kPublishEvery) {
      PublishRejections();
      last_publish = Steady::now();
    }
  }
  PublishRejections();
  if (!healthy_) ExpireWaiters(/*all=*/true);
}

bool Node::Step(consensus::Input input) {
  driver_->Step(std::move(input));
  return AfterStep();
}

bool Node::AfterStep() {
  switch (driver_->state()) {
    case Driver::State::kRunning:
      break;
    case Driver::State::kFailed:
      Fail(driver_->failure()->first, driver_->failure()->second);
      return false;
    case Driver::State::kRemoved:
      spdlog::warn(
          "the validator set in force from height {} (after epoch {}) does not include this "
          "node; it stops validating",
          chain_.tip().height.value + 1, driver_->epoch());
      removed_ = true;
      running_ = false;
      return false;
  }
  view_ = driver_->core().current_view().value;
  seen_height_ = driver_->core().max_seen_height().value;
  metrics_.view = view_.load();
  return true;
}

std::vector<crypto::PublicKey> Node::validators() const {
  std::lock_guard lock(validators_mu_);
  return validators_ ? *validators_ : std::vector<crypto::PublicKey>{};
}

Node::Readiness Node::readiness() const {
  Readiness r;
  r.height = chain_.tip().height.value;
  r.seen_height = std::max(seen_height_.load(), r.height);
  r.connected_peers = links_ != nullptr ? links_->ConnectedPeers() : 0;
  std::shared_ptr<const std::vector<crypto::PublicKey>> validators;
  {
    std::lock_guard lock(validators_mu_);
    validators = validators_;
  }
  r.validators = validators ? validators->size() : 1;
  const size_t quorum = r.validators - (r.validators - 1) / 3;
  if (!healthy()) {
    r.reason = "FAILED";
  } else if (removed_.load()) {
    r.reason = "NOT_A_VALIDATOR";
  } else if (r.validators > 1 && !heard_from_peer_.load()) {
    r.reason = "NO_PEER_MESSAGE";
  } else if (r.validators > 1 && r.connected_peers + 1 < quorum) {
    r.reason = "TOO_FEW_PEERS";
  } else if (r.seen_height > r.height + kReadyLag) {
    r.reason = "CATCHING_UP";
  } else {
    r.ready = true;
  }
  return r;
}

void Node::Committed(const ledger::StoredBlock& block, const std::vector<TxIndexEntry>& entries,
                     Steady::duration took) {
  auto committed = Steady::now();
  metrics_.block_commit_seconds.Observe(std::chrono::duration<double>(took).count());
  LogProgress(block, entries.size(), took);
  metrics_.height = block.header.height.value;
  ++metrics_.blocks_committed;
  metrics_.transactions_committed += entries.size();
  metrics_.SetWriteVolume(chain_.written());

  std::vector<std::pair<Waiter, TxIndexEntry>> ready;
  {
    std::lock_guard lock(mu_);
    for (size_t i = 0; i < entries.size(); ++i) {
      const ledger::TxId& id = block.transactions[i].id();
      const TxIndexEntry& entry = entries[i];
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
  // The core may be holding a proposal, or a proposal of its own, until this state is executed.
  std::lock_guard lock(inbox_mu_);
  wake_ = true;
  inbox_cv_.notify_one();
}

void Node::LogProgress(const ledger::StoredBlock& block, size_t transactions,
                       std::chrono::steady_clock::duration took) {
  const uint64_t height = block.header.height.value;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  if (ms >= kSlowCommitMs) {
    spdlog::warn("slow commit: block {} with {} transaction(s) took {} ms", height, transactions,
                 ms);
  }
  const uint64_t seen = seen_height_.load();
  if (seen > height + kReadyLag) {
    if (!catching_up_ || height % 100 == 0) {
      spdlog::info("catching up: at height {}, the network is at {}", height, seen);
    }
    catching_up_ = true;
  } else if (catching_up_) {
    catching_up_ = false;
    spdlog::info("caught up at height {}", height);
  }
  CheckCalendar(block);
}

void Node::CheckCalendar(const ledger::StoredBlock& block) {
  const trade::StateReader& state = store_.flat_state();
  auto end = trade::CalendarEnd(state);
  auto now = trade::TradeTime(state, block.header.timestamp);
  if (!end || !now || !*end) return;  // no calendar; a read failure shows on the next commit
  const int64_t today = *now / trade::kMsPerDay;
  const int64_t left = **end - today;
  metrics_.holiday_calendar_days_left = left;
  if (left < kCalendarWarningDays && today != calendar_warned_day_) {
    calendar_warned_day_ = today;
    spdlog::warn(
        "the holiday calendar ends on {} ({} day(s) from the ledger's date): business-day "
        "deadlines after it are refused (CALENDAR_NOT_COVERED) until customs extends it with "
        "calendar.amend",
        trade::FormatDate(**end * trade::kMsPerDay), left);
  }
}

void Node::Fail(const std::string& what, const core::Error& error) {
  spdlog::critical("{} failed: {}; the node stops", what, error.ToString());
  healthy_ = false;
  running_ = false;
}

void Node::PublishRejections() {
  metrics_.SetPeerRejections("consensus", driver_->core().rejections());
  if (links_ != nullptr) {
    metrics_.peers_connected = links_->ConnectedPeers();
    metrics_.SetPeerRejections("transport", links_->Rejections());
  }
}

void Node::ExpireWaiters(bool all) {
  auto now = Steady::now();
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
