#include "node/node.h"

#include <spdlog/spdlog.h>

#include <algorithm>

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
  if (!validators.set.Contains(key.public_key)) {
    return core::Fail("NODE_NOT_VALIDATOR",
                      "the node key is not in the validator set in force (epoch " +
                          std::to_string(validators.epoch) + ")");
  }
  if (validators.set.size() > 1 && links == nullptr) {
    return core::Fail("NODE_NOT_VALIDATOR", "a network of several validators needs peer links");
  }
  std::unique_ptr<Node> node(new Node(store, chain, key, clock, options, metrics, safety, links));
  TL_RETURN_IF_ERROR(node->EnterEpoch(std::move(validators)));
  return node;
}

core::Status Node::EnterEpoch(Chain::Validators validators) {
  TL_ASSIGN_OR_RETURN(core::Bytes persisted, safety_.Read());
  TL_ASSIGN_OR_RETURN(auto stored_locked, store_.ReadLockedBlocks());
  std::vector<core::Bytes> locked;
  locked_stored_.clear();
  for (auto& [hash, proposal] : stored_locked) {
    locked_stored_.insert(hash);
    locked.push_back(std::move(proposal));
  }
  consensus::ReplicaConfig config;
  config.chain_id = chain_.genesis().chain_id;
  config.validators = validators.set;
  config.first_view = core::View(validators.epoch == 0 ? 1 : validators.epoch << 32);
  config.genesis_time = chain_.genesis().genesis_time;
  config.pacemaker = options_.pacemaker;
  config.max_block_transactions = static_cast<uint32_t>(options_.max_block_transactions);
  config.max_mempool = std::max<size_t>(20'000, 4 * options_.max_block_transactions);
  config.propose_when_idle = false;
  // A network of one needs no heartbeat: it leads every view, so a view that times out idle
  // costs nothing, and its chain stays still while nothing happens.
  config.heartbeat_ms = validators.set.size() > 1 ? options_.heartbeat_ms : 0;
  config.admissible = [](const ledger::SignedTransaction& tx) {
    return trade::CheckAdmission(tx.payload().type, tx.payload().body);
  };
  TL_ASSIGN_OR_RETURN(core_, consensus::Replica::Create(std::move(config), key_, view_of_chain_,
                                                        persisted, locked));
  epoch_ = validators.epoch;
  {
    std::lock_guard lock(validators_mu_);
    validators_ =
        std::make_shared<const std::vector<crypto::PublicKey>>(validators.set.validators());
    validators_epoch_ = validators.epoch;
  }
  if (links_ != nullptr && !validators.entries.empty()) {
    std::vector<PeerEndpoint> peers;
    for (const trade::ValidatorEntry& v : validators.entries) {
      if (v.public_key != key_.public_key) peers.push_back({v.public_key, v.host, v.port});
    }
    links_->SetPeers(std::move(peers));
  }
  return core::Ok();
}

Node::Node(LedgerStore& store, Chain& chain, crypto::KeyPair key, const Clock& clock,
           NodeOptions options, Metrics& metrics, SafetyFile& safety, PeerLinks* links)
    : store_(store),
      chain_(chain),
      key_(std::move(key)),
      clock_(clock),
      options_(options),
      metrics_(metrics),
      safety_(safety),
      links_(links),
      view_of_chain_(store, chain),
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
  uint64_t epoch = 0;
  {
    std::lock_guard lock(validators_mu_);
    validators = validators_;
    epoch = validators_epoch_;
  }
  auto it = std::find(validators->begin(), validators->end(), from);
  if (it == validators->end() || *it == key_.public_key) {
    return metrics_.CountPeerRejection("PEER_NOT_VALIDATOR");
  }
  consensus::ReplicaId id(static_cast<uint32_t>(it - validators->begin()));
  auto parsed = ParsePeerFrame(frame);
  if (!parsed) return metrics_.CountPeerRejection(parsed.error().code);
  Inbound in{id, epoch, {}, {}};
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
  if (!Step({clock_.Now(), consensus::Start{}})) return;
  auto last_publish = Steady::now();
  while (running_) {
    std::deque<Inbound> batch;
    {
      std::unique_lock lock(inbox_mu_);
      auto wait = options_.tick;
      if (timer_) {
        uint64_t now = clock_.Now().value;
        uint64_t until = timer_->deadline.value > now ? timer_->deadline.value - now : 0;
        wait = std::min<std::chrono::milliseconds>(wait, std::chrono::milliseconds(until));
      }
      inbox_cv_.wait_for(lock, wait, [&] { return !inbox_.empty() || wake_ || !running_; });
      batch.swap(inbox_);
      inbox_bytes_ = 0;
      wake_ = false;
    }
    if (!running_) break;
    bool ok = true;
    for (Inbound& in : batch) {
      if (!ok) break;
      if (in.epoch != epoch_) continue;  // the sender's index was of the previous validator set
      if (in.gossip.empty()) {
        ok = Step({clock_.Now(), consensus::PeerMessage{in.from, std::move(in.message)}});
        // Only now, with seen_height_ updated from what the peer said: readiness must not
        // count a peer heard whose height it has not yet taken into account.
        if (ok) heard_from_peer_ = true;
      } else {
        ok = Step({clock_.Now(), consensus::ClientBatch{std::move(in.gossip), true}});
      }
    }
    // Local transactions: forward them once to every other validator, then to the core.
    size_t room =
        core_->config().max_mempool - std::min(core_->config().max_mempool, core_->mempool_size());
    if (ok && room > 0) {
      auto txs =
          mempool_.Take(std::min<size_t>(room, kMaxGossipBatch), std::chrono::milliseconds(0));
      metrics_.mempool_size = mempool_.size();
      metrics_.mempool_bytes = mempool_.bytes();
      if (!txs.empty() && links_ != nullptr) links_->Broadcast(TransactionsFrame(txs));
      if (!txs.empty()) ok = Step({clock_.Now(), consensus::ClientBatch{std::move(txs), true}});
    }
    if (ok && timer_ && clock_.Now() >= timer_->deadline) {
      core::View timer_view = timer_->view;
      timer_.reset();
      if (core_->config().validators.size() > 1) {
        // With several validators an idle leader sends heartbeats: a timeout means the leader
        // of this view is slow, down or cut off.
        spdlog::warn("view {} timed out without progress; moving to the next view",
                     timer_view.value);
      }
      ok = Step({clock_.Now(), consensus::TimerFired{timer_view}});
    }
    // A tick: an idle leader looks again; a network of one goes on certifying its own blocks.
    for (int i = 0; ok && i < kMaxSelfSteps; ++i) {
      core::View before = core_->last_proposed_view();
      ok = Step({clock_.Now(), consensus::ClientBatch{}});
      if (core_->config().validators.size() > 1 || core_->last_proposed_view() == before) break;
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
  std::vector<consensus::Action> actions = core_->Step(input);
  for (consensus::Action& action : actions) {
    if (!Apply(action)) return false;
    if (epoch_changed_) {
      // The block just executed changed the validator set: what the old epoch's core still
      // asked for (later commits, votes) is void. A new core takes over from this block.
      epoch_changed_ = false;
      return Reconfigure();
    }
  }
  view_ = core_->current_view().value;
  seen_height_ = core_->max_seen_height().value;
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

bool Node::Apply(consensus::Action& action) {
  if (auto* p = std::get_if<consensus::Persist>(&action)) {
    // The blocks of the lock first (unsynced: process-crash durable), then the safety state.
    std::set<ledger::BlockHash> keep(p->locked.begin(), p->locked.end());
    std::vector<ledger::BlockHash> remove;
    for (const ledger::BlockHash& hash : locked_stored_) {
      if (!keep.contains(hash)) remove.push_back(hash);
    }
    if (auto stored = store_.UpdateLockedBlocks(p->new_locked, remove); !stored) {
      Fail("storing the locked blocks", stored.error());
      return false;
    }
    locked_stored_ = std::move(keep);
    if (auto written = safety_.Write(p->safety_state); !written) {
      Fail("writing the consensus safety state", written.error());
      return false;
    }
  } else if (auto* s = std::get_if<consensus::Send>(&action)) {
    const auto& keys = core_->config().validators.validators();
    if (links_ != nullptr) links_->Send(keys[s->to.value], ConsensusFrame(s->bytes));
  } else if (auto* b = std::get_if<consensus::Broadcast>(&action)) {
    if (links_ != nullptr) links_->Broadcast(ConsensusFrame(b->bytes));
  } else if (auto* t = std::get_if<consensus::SetTimer>(&action)) {
    timer_ = *t;
  } else if (auto* c = std::get_if<consensus::Commit>(&action)) {
    return CommitBlock(c->block);
  }
  return true;
}

bool Node::CommitBlock(const ledger::StoredBlock& block) {
  auto started = Steady::now();
  auto entries = chain_.Commit(block, /*verify_signatures=*/false);
  if (!entries) {
    Fail("commit of block " + block.header.height.ToString(), entries.error());
    return false;
  }
  auto committed = Steady::now();
  metrics_.block_commit_seconds.Observe(std::chrono::duration<double>(committed - started).count());
  LogProgress(block, entries->size(), committed - started);
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
  auto next = chain_.NextValidators();
  if (!next) {
    Fail("reading the validator set", next.error());
    return false;
  }
  epoch_changed_ = next->epoch != epoch_;
  return true;
}

void Node::LogProgress(const ledger::StoredBlock& block, size_t transactions,
                       std::chrono::steady_clock::duration took) {
  const uint64_t height = block.header.height.value;
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
  if (ms >= kSlowCommitMs) {
    spdlog::warn("slow commit: block {} with {} transaction(s) took {} ms", height, transactions,
                 ms);
  }
  const uint64_t seen = core_->max_seen_height().value;
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

bool Node::Reconfigure() {
  auto next = chain_.NextValidators();
  if (!next) {
    Fail("reading the validator set", next.error());
    return false;
  }
  uint64_t epoch = next->epoch;
  if (!next->set.Contains(key_.public_key)) {
    spdlog::warn(
        "validator set epoch {} from height {} does not include this node; it stops validating",
        epoch, chain_.tip().height.value + 1);
    removed_ = true;
    running_ = false;
    return false;
  }
  timer_.reset();
  if (auto entered = EnterEpoch(std::move(*next)); !entered) {
    Fail("entering validator epoch " + std::to_string(epoch), entered.error());
    return false;
  }
  spdlog::info("validator set epoch {} in force from height {}: {} validators", epoch,
               chain_.tip().height.value + 1, core_->config().validators.size());
  return Step({clock_.Now(), consensus::Start{}});
}

void Node::Fail(const std::string& what, const core::Error& error) {
  spdlog::critical("{} failed: {}; the node stops", what, error.ToString());
  healthy_ = false;
  running_ = false;
}

void Node::PublishRejections() {
  metrics_.SetPeerRejections("consensus", core_->rejections());
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
