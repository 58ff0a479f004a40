#include "simulation.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <queue>
#include <set>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "crypto/sha256.h"
#include "node/genesis.h"
#include "sim_replica.h"
#include "trade/admission.h"
#include "trade/participants.h"

namespace tradeledger::sim {
namespace {

using consensus::ReplicaId;
using InputEvent = decltype(consensus::Input::event);

constexpr uint64_t kGenesisTimeMs = 1'700'000'000'000;
constexpr uint32_t kClients = 3;

struct Event {
  enum Kind {
    kStart,
    kDeliver,
    kTimer,
    kClient,
    kTick,
    kCrash,
    kRestart,
    kPartition,
    kPartitionHeal,
    kHeal,
    kByzantineTick,
    kValidatorSet,
    kPacingWake,
  };
  uint64_t time = 0;
  uint64_t seq = 0;
  Kind kind = kStart;
  uint32_t replica = 0;
  uint32_t from = 0;
  uint64_t generation = 0;  // timer generation (kPacingWake: the due time); view in `view`
  core::View view;
  core::Bytes bytes;
};

Event MakeEvent(uint64_t time, Event::Kind kind, uint32_t replica = 0) {
  Event ev;
  ev.time = time;
  ev.kind = kind;
  ev.replica = replica;
  return ev;
}

struct Later {
  bool operator()(const Event& a, const Event& b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

class Simulator;

// Where replica i's driver sends its output: into the simulator (defined below it).
class Effects final : public node::DriverEffects {
 public:
  Effects(Simulator& sim, uint32_t i) : sim_(sim), i_(i) {}
  void Send(const crypto::PublicKey& to, const core::Bytes& message) override;
  void Broadcast(const core::Bytes& message) override;
  void Decided(const consensus::Decide& decide) override;
  void Committed(const ledger::StoredBlock& block, const std::vector<node::TxIndexEntry>& entries,
                 std::chrono::steady_clock::duration took) override;
  void EpochEntered(const node::Chain::Validators& validators) override;

 private:
  Simulator& sim_;
  const uint32_t i_;
};

struct Node {
  std::unique_ptr<Effects> effects;
  std::unique_ptr<SimReplica> replica;
  std::unique_ptr<Adversary> adversary;  // set for Byzantine replicas
  int64_t skew = 0;
  uint64_t timer_generation = 0;
  std::optional<consensus::SetTimer> scheduled;  // the driver's timer, as last scheduled
  std::optional<core::TimestampMs> wake_due;     // the held batch's due time, as last scheduled
  bool restart_pending = false;
  bool removed = false;  // a validator set change left it out: it no longer validates
  // The set in force for its next block (certificates are checked against it).
  ledger::ValidatorSet validators;
  std::vector<crypto::PublicKey> members;                      // of that set
  std::unordered_map<ledger::BlockHash, uint64_t> decided_at;  // hash -> global time
  uint64_t reached_target_at = 0;
};

crypto::KeyPair DeterministicKey(uint64_t seed, const std::string& label, uint32_t i) {
  std::string material = label + "/" + std::to_string(seed) + "/" + std::to_string(i);
  core::Hash32 digest = crypto::Sha256Of(core::AsBytes(material));
  return crypto::KeyPair::FromSeed(digest);
}

class Simulator {
 public:
  friend class Effects;
  explicit Simulator(const SimOptions& o)
      : o_(o), rng_(o.seed), trace_(std::getenv("TL_SIM_TRACE") != nullptr) {}

  SimResult Run() {
    Setup();
    end_time_ = kGenesisTimeMs + o_.fault_ms + o_.calm_ms;
    while (!queue_.empty() && result_.ok) {
      Event ev = queue_.top();
      queue_.pop();
      if (ev.time > end_time_) break;
      now_ = ev.time;
      Handle(ev);
      ++result_.stats.steps;
      if (o_.max_steps && result_.stats.steps >= o_.max_steps) break;
      if (o_.liveness_bound_ms && healed_ && AllReachedTarget())
        break;  // liveness shown; nothing more to learn
    }
    Finish();
    return result_;
  }

 private:
  void Setup() {
    uint32_t f = (o_.n - 1) / 3;
    TL_CHECK(o_.byzantine <= f);
    std::vector<crypto::KeyPair> keys;
    std::vector<node::GenesisValidator> validators;
    for (uint32_t i = 0; i < o_.n; ++i) {
      keys.push_back(DeterministicKey(o_.seed, "validator", i));
      validators.push_back({"validator-" + std::to_string(i), keys.back().public_key});
    }
    customs_ = DeterministicKey(o_.seed, "customs", 0);
    nlohmann::ordered_json extra;
    extra["customs_authority"] =
        trade::RenderCustomsAuthority({.admin_key = customs_.public_key, .roles = {"CBP_ADMIN"}});
    auto genesis = node::Genesis::Parse(node::Genesis::Render(
        "sim-" + std::to_string(o_.seed), core::TimestampMs(kGenesisTimeMs), validators, extra));
    TL_CHECK(genesis.has_value());
    genesis_ = std::move(*genesis);
    for (uint32_t i = 0; i < kClients; ++i)
      clients_.push_back(DeterministicKey(o_.seed, "client", i));
    client_nonce_.assign(kClients, 0);

    // As the node sets its driver up (node/node.cc), but for the simulator's pacing.
    node::DriverOptions d;
    d.chain_id = genesis_.chain_id;
    d.genesis_time = genesis_.genesis_time;
    d.pacemaker.base_timeout_ms = o_.base_timeout_ms;
    d.pacemaker.max_backoff_exponent = o_.max_backoff_exponent;
    d.max_block_transactions = 500;
    d.propose_when_idle = o_.idle_heartbeat_ms == 0;
    d.heartbeat_ms = o_.idle_heartbeat_ms;
    d.min_block_interval_ms = o_.min_block_interval_ms;
    d.admissible = [](const ledger::SignedTransaction& tx) {
      return trade::CheckAdmission(tx.payload().type, tx.payload().body);
    };

    // Replica i is the i-th key of the sorted validator set.
    std::vector<crypto::KeyPair> sorted;
    for (const auto& pk : genesis_.validator_set.validators()) {
      for (const auto& k : keys) {
        if (k.public_key == pk) sorted.push_back(k);
      }
    }
    std::vector<uint32_t> order(o_.n);
    for (uint32_t i = 0; i < o_.n; ++i) order[i] = i;
    for (uint32_t i = o_.n; i > 1; --i) std::swap(order[i - 1], order[rng_.Below(i)]);
    nodes_.resize(o_.n);
    for (uint32_t i = 0; i < o_.n; ++i) {
      index_of_[sorted[i].public_key] = i;
      members_.push_back(sorted[i].public_key);
    }
    for (uint32_t i = 0; i < o_.n; ++i) {
      Node& node = nodes_[i];
      node.effects = std::make_unique<Effects>(*this, i);
      node.replica = std::make_unique<SimReplica>(genesis_, d, sorted[i], *node.effects);
      node.skew = static_cast<int64_t>(rng_.Between(0, 2 * o_.max_skew_ms)) -
                  static_cast<int64_t>(o_.max_skew_ms);
    }
    for (uint32_t k = 0; k < o_.byzantine; ++k) {
      uint32_t i = order[k];
      nodes_[i].adversary = std::make_unique<Adversary>(ReplicaId(i), o_.n, genesis_.chain_id,
                                                        sorted[i], o_.behaviours, rng_.Next());
      Schedule(MakeEvent(kGenesisTimeMs + 100, Event::kByzantineTick, i));
    }
    for (uint32_t i = 0; i < o_.n; ++i) {
      Schedule(MakeEvent(kGenesisTimeMs + rng_.Below(20), Event::kStart, i));
    }
    Schedule(MakeEvent(kGenesisTimeMs + 50, Event::kClient));
    if (o_.idle_heartbeat_ms > 0) Schedule(MakeEvent(kGenesisTimeMs + o_.tick_ms, Event::kTick));
    Schedule(MakeEvent(kGenesisTimeMs + o_.fault_ms, Event::kHeal));
    chaos_ = true;
    if (o_.partitions) {
      Schedule(MakeEvent(kGenesisTimeMs + rng_.Between(500, 3000), Event::kPartition));
    }
    if (o_.crashes) {
      Schedule(MakeEvent(kGenesisTimeMs + rng_.Between(500, 3000), Event::kCrash));
    }
    for (uint32_t k = 0; k < o_.validator_changes && o_.fault_ms > 0; ++k) {
      Schedule(MakeEvent(kGenesisTimeMs + rng_.Between(300, o_.fault_ms), Event::kValidatorSet));
    }
    if (o_.crash_at_write > 0) {
      nodes_[o_.crash_replica].replica->ArmCrash(o_.crash_at_write, o_.crash_write_applied);
    }
  }

  void Schedule(Event ev) {
    ev.seq = seq_++;
    queue_.push(std::move(ev));
  }

  bool Correct(uint32_t i) const { return nodes_[i].adversary == nullptr; }

  void Violation(const std::string& what) {
    if (!result_.ok) return;
    result_.ok = false;
    result_.violation = what + " (t=" + std::to_string(now_ - kGenesisTimeMs) + "ms, step " +
                        std::to_string(result_.stats.steps) + ")";
  }

  void Handle(const Event& ev) {
    switch (ev.kind) {
      case Event::kStart:
        Step(ev.replica, consensus::Start{});
        break;
      case Event::kValidatorSet:
        SubmitValidatorSet();
        break;
      case Event::kDeliver: {
        Node& to = nodes_[ev.replica];
        if (!to.replica->up()) return;
        if (partitioned_ && group_[ev.from] != group_[ev.replica]) return;
        if (to.adversary) {
          std::vector<Outgoing> extra;
          bool drop = to.adversary->Intercept(to.replica->core(), ev.bytes, &extra);
          for (Outgoing& out : extra) Transmit(ev.replica, out.to.value, std::move(out.bytes));
          if (drop) return;
        }
        Step(ev.replica, consensus::PeerMessage{ReplicaId(ev.from), ev.bytes});
        break;
      }
      case Event::kTimer: {
        Node& node = nodes_[ev.replica];
        if (!node.replica->up() || ev.generation != node.timer_generation) return;
        node.replica->driver().timer().reset();
        node.scheduled.reset();
        Step(ev.replica, consensus::TimerFired{ev.view});
        break;
      }
      case Event::kPacingWake: {
        Node& node = nodes_[ev.replica];
        // Stale: the replica is down, has proposed, or has a later due time since.
        if (!node.replica->up() || !node.wake_due || node.wake_due->value != ev.generation) return;
        node.wake_due.reset();
        if (Correct(ev.replica)) ++result_.stats.pacing_wakes;
        Step(ev.replica, consensus::ClientBatch{});  // checked in Step: the batch is not held on
        break;
      }
      case Event::kClient:
        SubmitBatch();
        Schedule(MakeEvent(now_ + o_.client_interval_ms, Event::kClient));
        break;
      case Event::kTick:
        for (uint32_t i = 0; i < o_.n; ++i) {
          if (nodes_[i].replica->up()) Step(i, consensus::ClientBatch{});
        }
        Schedule(MakeEvent(now_ + o_.tick_ms, Event::kTick));
        break;
      case Event::kCrash:
        CrashSomeone();
        break;
      case Event::kRestart:
        Restart(ev.replica);
        break;
      case Event::kPartition:
        StartPartition();
        break;
      case Event::kPartitionHeal:
        partitioned_ = false;
        if (chaos_ && o_.partitions) {
          Schedule(MakeEvent(now_ + rng_.Between(500, 3000), Event::kPartition));
        }
        break;
      case Event::kHeal:
        Heal();
        break;
      case Event::kByzantineTick: {
        Node& node = nodes_[ev.replica];
        if (node.replica->up()) {
          for (Outgoing& out : node.adversary->Tick(node.replica->core(), now_)) {
            Transmit(ev.replica, out.to.value, std::move(out.bytes));
          }
        }
        Schedule(MakeEvent(now_ + rng_.Between(50, 200), Event::kByzantineTick, ev.replica));
        break;
      }
    }
  }

  void Step(uint32_t i, InputEvent event);

  void StartPartition() {
    if (!chaos_) return;
    group_.assign(o_.n, 0);
    uint32_t ones = 0;
    for (uint32_t i = 0; i < o_.n; ++i) {
      group_[i] = static_cast<uint8_t>(rng_.Below(2));
      ones += group_[i];
    }
    if (ones == 0) group_[rng_.Below(o_.n)] = 1;
    if (ones == o_.n) group_[rng_.Below(o_.n)] = 0;
    partitioned_ = true;
    Schedule(MakeEvent(now_ + rng_.Between(300, 3000), Event::kPartitionHeal));
  }

  void CrashSomeone() {
    if (!chaos_) return;
    std::vector<uint32_t> candidates;
    bool someone_down = false;
    for (uint32_t i = 0; i < o_.n; ++i) {
      if (!Correct(i) || nodes_[i].removed) continue;
      if (!nodes_[i].replica->up() || nodes_[i].replica->crash_armed()) someone_down = true;
      candidates.push_back(i);
    }
    if (!someone_down && !candidates.empty()) {
      uint32_t i = candidates[rng_.Below(candidates.size())];
      if (rng_.Chance(0.5)) {
        // Dies at one of its next writes, with or without that write done.
        nodes_[i].replica->ArmCrash(rng_.Between(1, 6), rng_.Chance(0.5));
      } else {
        CrashNow(i);
      }
    }
    Schedule(MakeEvent(now_ + rng_.Between(1000, 4000), Event::kCrash));
  }

  void CrashNow(uint32_t i) {
    Node& node = nodes_[i];
    node.replica->Crash();
    ++node.timer_generation;
    node.scheduled.reset();
    node.restart_pending = true;
    Schedule(MakeEvent(now_ + rng_.Between(300, 3000), Event::kRestart, i));
  }

  void Restart(uint32_t i) {
    Node& node = nodes_[i];
    if (node.replica->up() || node.removed) return;
    node.restart_pending = false;
    if (!node.replica->Restart()) {
      node.removed = true;  // the set in force no longer names it
      return;
    }
    ++node.timer_generation;
    node.scheduled.reset();
    Step(i, consensus::Start{});
  }

  void Heal() {
    chaos_ = false;
    partitioned_ = false;
    for (uint32_t i = 0; i < o_.n; ++i) {
      if (nodes_[i].replica->up()) nodes_[i].replica->Disarm();
      if (!nodes_[i].replica->up()) Restart(i);
    }
    healed_ = true;
    heal_time_ = now_;
    uint64_t max_height = 0;
    for (uint32_t i = 0; i < o_.n; ++i) {
      if (Live(i)) max_height = std::max(max_height, nodes_[i].replica->tip().height.value);
    }
    target_height_ = max_height + 1;
  }

  bool AllReachedTarget() const {
    for (uint32_t i = 0; i < o_.n; ++i) {
      if (Live(i) && nodes_[i].reached_target_at == 0) return false;
    }
    return true;
  }

  // Correct and a member of the newest validator set any replica has entered: owed liveness.
  // (A replica a change left out may never execute that change: the others stop talking to
  // it, so it need not learn it was removed.)
  bool Live(uint32_t i) const {
    return Correct(i) && !nodes_[i].removed && newest_members_.contains(i);
  }

  // Customs changes the validator set: the first change of a set of five or more leaves one
  // validator out (it stops validating); every other change keeps the members (a new epoch:
  // new views, a new core on every validator, the lock carried over).
  void SubmitValidatorSet() {
    if (members_.size() > 4 && changes_ == 0) {
      members_.erase(members_.begin() + static_cast<ptrdiff_t>(rng_.Below(members_.size())));
    }
    ++changes_;
    nlohmann::json list = nlohmann::json::array();
    for (const crypto::PublicKey& key : members_) {
      uint32_t i = index_of_.at(key);
      list.push_back({{"name", "validator-" + std::to_string(i)},
                      {"publicKey", key.hex()},
                      {"address", "10.0.0." + std::to_string(i + 1) + ":7000"}});
    }
    ledger::TxPayload p;
    p.chain_id = genesis_.chain_id;
    p.type = "validator.set";
    p.nonce = ++customs_nonce_;
    p.body = core::ToBytes(nlohmann::json{{"validators", list}}.dump());
    auto tx = ledger::SignedTransaction::Sign(p, customs_);
    submitted_.insert(tx.id());
    consensus::ClientBatch batch;
    batch.transactions.push_back(std::move(tx));
    for (uint32_t i = 0; i < o_.n; ++i) {
      if (nodes_[i].replica->up()) Step(i, batch);
    }
  }

  void SubmitBatch() {
    consensus::ClientBatch batch;
    for (uint32_t k = 0; k < o_.txs_per_batch; ++k) {
      uint32_t c = static_cast<uint32_t>(rng_.Below(kClients));
      ledger::TxPayload p;
      p.chain_id = genesis_.chain_id;
      p.type = "document.anchor";
      p.nonce = ++client_nonce_[c];
      std::string doc = "D-" + std::to_string(o_.seed) + "-" + std::to_string(tx_counter_++);
      p.body = core::ToBytes(R"({"docId":")" + doc + R"(","docType":"INVOICE","contentHash":")" +
                             std::string(64, 'a') + R"(","issuer":"ACME"})");
      auto tx = ledger::SignedTransaction::Sign(p, clients_[c]);
      submitted_.insert(tx.id());
      batch.transactions.push_back(std::move(tx));
    }
    for (uint32_t i = 0; i < o_.n; ++i) {
      if (nodes_[i].replica->up()) Step(i, batch);
    }
  }

  void Transmit(uint32_t from, uint32_t to, core::Bytes bytes) {
    if (Correct(from)) {
      ++result_.stats.messages;
      result_.stats.bytes += bytes.size();
    }
    if (chaos_ && rng_.Chance(o_.loss)) return;
    int copies = chaos_ && rng_.Chance(o_.duplicate) ? 2 : 1;
    for (int c = 0; c < copies; ++c) {
      Event ev =
          MakeEvent(now_ + rng_.Between(o_.min_delay_ms, o_.max_delay_ms), Event::kDeliver, to);
      ev.from = from;
      ev.bytes = c + 1 < copies ? bytes : std::move(bytes);
      Schedule(std::move(ev));
    }
  }

  void Send(uint32_t from, std::vector<ReplicaId> targets, const core::Bytes& bytes) {
    Node& node = nodes_[from];
    if (node.adversary) {
      for (Outgoing& out :
           node.adversary->Transform(node.replica->core(), node.replica->ledger_view(),
                                     std::move(targets), bytes, now_)) {
        Transmit(from, out.to.value, std::move(out.bytes));
      }
      return;
    }
    for (ReplicaId to : targets) Transmit(from, to.value, bytes);
  }

  void OnDecide(uint32_t i, const consensus::Decide& d);
  void OnCommit(uint32_t i, const ledger::StoredBlock& block);

  void Finish() {
    SimStats& s = result_.stats;
    s.sim_time_ms = now_ - kGenesisTimeMs;
    s.removed = static_cast<uint32_t>(o_.n - newest_members_.size());
    s.min_height = UINT64_MAX;
    for (uint32_t i = 0; i < o_.n; ++i) {
      if (!Live(i)) continue;
      Node& node = nodes_[i];
      uint64_t h = node.replica->up() ? node.replica->tip().height.value : 0;
      s.min_height = std::min(s.min_height, h);
      if (h > s.max_height) {
        s.max_height = h;
        s.transactions_committed = node.replica->tip().log_size;
      }
      if (node.replica->up()) {
        for (const auto& [code, count] : node.replica->core().rejections())
          s.rejections[code] += count;
      }
    }
    if (o_.verbose) {
      for (uint32_t i = 0; i < o_.n; ++i) {
        const Node& node = nodes_[i];
        if (!node.replica->up()) continue;
        const auto& core = node.replica->core();
        std::fprintf(stderr,
                     "  replica %u%s: view %llu decided %llu executed %llu tree %zu locked %llu "
                     "last_voted %llu\n",
                     i, Correct(i) ? "" : " (byzantine)",
                     static_cast<unsigned long long>(core.current_view().value),
                     static_cast<unsigned long long>(core.decided_height().value),
                     static_cast<unsigned long long>(node.replica->tip().height.value),
                     core.tree().size(),
                     static_cast<unsigned long long>(core.safety_state().high_qc.view.value),
                     static_cast<unsigned long long>(core.safety_state().last_voted_view.value));
      }
    }
    if (decide_samples_) s.mean_decide_latency_ms = decide_latency_sum_ / decide_samples_;
    if (commit_samples_) s.mean_commit_latency_ms = commit_latency_sum_ / commit_samples_;
    if (!result_.ok || o_.liveness_bound_ms == 0) return;
    if (!healed_) return;  // stopped early by max_steps
    for (uint32_t i = 0; i < o_.n; ++i) {
      if (!Live(i)) continue;
      uint64_t at = nodes_[i].reached_target_at;
      if (at == 0 || at - heal_time_ > o_.liveness_bound_ms) {
        Violation("liveness: replica " + std::to_string(i) + " did not execute height " +
                  std::to_string(target_height_) + " within " +
                  std::to_string(o_.liveness_bound_ms) + "ms of the heal (at height " +
                  std::to_string(nodes_[i].replica->tip().height.value) + ")");
        return;
      }
      s.recovery_ms = std::max(s.recovery_ms, at - heal_time_);
    }
  }

  const SimOptions o_;
  Rng rng_;
  const bool trace_;
  node::Genesis genesis_;
  std::vector<Node> nodes_;
  std::vector<crypto::KeyPair> clients_;
  std::vector<uint64_t> client_nonce_;
  crypto::KeyPair customs_;
  uint64_t customs_nonce_ = 0;
  uint32_t changes_ = 0;
  std::map<crypto::PublicKey, uint32_t> index_of_;  // validator key -> replica index
  std::vector<crypto::PublicKey> members_;          // the set the next change names
  uint64_t newest_epoch_ = 0;                       // the newest set any replica entered
  std::set<uint32_t> newest_members_;               // and its members
  uint64_t tx_counter_ = 0;
  std::unordered_set<ledger::TxId> submitted_;
  std::unordered_set<ledger::TxId> signature_checked_;
  std::priority_queue<Event, std::vector<Event>, Later> queue_;
  uint64_t seq_ = 0;
  uint64_t now_ = kGenesisTimeMs;
  uint64_t end_time_ = 0;
  bool chaos_ = false;
  bool partitioned_ = false;
  std::vector<uint8_t> group_;
  bool healed_ = false;
  uint64_t heal_time_ = 0;
  uint64_t target_height_ = 0;
  // The first decision / execution by a correct replica at each height.
  // Keyed by (validator epoch, height): a core decides only for its own epoch. Blocks an
  // epoch's core decided above the block that ended the epoch are void (the driver never
  // executes them; the next epoch certifies its own blocks from that one, ADR 0027).
  std::map<std::pair<uint64_t, uint64_t>, std::pair<ledger::BlockHash, uint32_t>> decided_;
  struct Executed {
    ledger::BlockHash hash;
    core::Hash32 state_root;
    uint32_t replica;
  };
  std::map<uint64_t, Executed> executed_;
  double decide_latency_sum_ = 0;
  double commit_latency_sum_ = 0;
  uint64_t decide_samples_ = 0;
  uint64_t commit_samples_ = 0;
  SimResult result_;
};

void Simulator::Step(uint32_t i, InputEvent event) {
  Node& node = nodes_[i];
  if (!node.replica->up()) return;
  int64_t local = static_cast<int64_t>(now_) + node.skew;
  consensus::Input input{core::TimestampMs(static_cast<uint64_t>(local)), std::move(event)};
  if (trace_) {
    std::string what = std::visit(
        [](const auto& e) -> std::string {
          using T = std::decay_t<decltype(e)>;
          if constexpr (std::is_same_v<T, consensus::PeerMessage>) {
            auto m = consensus::DecodeMessage(e.bytes);
            std::string name = m ? consensus::KindName(*m) : "garbage";
            if (m) {
              if (auto* p = std::get_if<consensus::Proposal>(&*m)) {
                name += " v" + p->view.ToString() + " h" + p->header.height.ToString() + " qc" +
                        p->justify.view.ToString() + (p->tc ? " tc" : "");
              } else if (auto* v = std::get_if<consensus::Vote>(&*m)) {
                name += " v" + v->view.ToString() + " by" + v->author.ToString();
              } else if (auto* t = std::get_if<consensus::Timeout>(&*m)) {
                name += " v" + t->view.ToString() + " by" + t->author.ToString();
              }
            }
            return "from " + e.from.ToString() + " " + name;
          } else if constexpr (std::is_same_v<T, consensus::TimerFired>) {
            return "timer v" + e.view.ToString();
          } else if constexpr (std::is_same_v<T, consensus::ClientBatch>) {
            return "client";
          } else {
            return "start";
          }
        },
        input.event);
    if (what != "client") {
      std::fprintf(stderr, "%6llu r%u view=%llu exec=%llu: %s\n",
                   static_cast<unsigned long long>(now_ - kGenesisTimeMs), i,
                   static_cast<unsigned long long>(node.replica->core().current_view().value),
                   static_cast<unsigned long long>(node.replica->tip().height.value), what.c_str());
    }
  }
  node::Driver& driver = node.replica->driver();
  if (auto* m = std::get_if<consensus::PeerMessage>(&input.event)) {
    driver.StepPeer(input.now, nodes_[m->from.value].replica->key().public_key,
                    std::move(m->bytes));
  } else {
    driver.Step(std::move(input));
  }
  switch (driver.state()) {
    case node::Driver::State::kRunning:
      break;
    case node::Driver::State::kFailed: {
      const auto& [what, error] = *driver.failure();
      if (error.code != kSimCrash && Correct(i)) {
        return Violation("replica " + std::to_string(i) + ": " + what +
                         " failed: " + error.ToString());
      }
      return CrashNow(i);
    }
    case node::Driver::State::kRemoved:
      node.removed = true;
      node.replica->Crash();
      ++node.timer_generation;
      return;
  }
  // The view timer the driver holds: scheduled again whenever it changed.
  const auto& timer = driver.timer();
  if (timer && (!node.scheduled || node.scheduled->view != timer->view ||
                node.scheduled->deadline != timer->deadline)) {
    node.scheduled = *timer;
    ++node.timer_generation;
    int64_t global = static_cast<int64_t>(timer->deadline.value) - node.skew;
    Event ev = MakeEvent(std::max<uint64_t>(now_, static_cast<uint64_t>(global)), Event::kTimer, i);
    ev.generation = node.timer_generation;
    ev.view = timer->view;
    Schedule(std::move(ev));
  }
  // A leader pacing its batch proposes at its first step from the due time on (ADR 0037); the
  // node's loop wakes for it, so the simulator schedules that step. wake_due follows the core
  // at every step, so a proposal or a new due time cancels it; a replica that is down ignores
  // it, and a restarted one has a new core, which holds nothing at first.
  // A due time the core reports anew is after its clock (it holds only until then); one at or
  // before it, after the wake step of that very due time, is a batch held past its due time,
  // and no wake could release it (Byzantine replicas run the same core: not rescheduled).
  const auto due = node.replica->core().proposal_due();
  const bool changed = due != node.wake_due;
  node.wake_due = due;
  if (due && changed) {
    if (static_cast<int64_t>(due->value) <= local) {
      if (Correct(i)) {
        return Violation("replica " + std::to_string(i) + " still holds a batch due at " +
                         std::to_string(due->value) + " after a step at " + std::to_string(local));
      }
    } else {
      int64_t global = static_cast<int64_t>(due->value) - node.skew;
      Event ev =
          MakeEvent(std::max<uint64_t>(now_, static_cast<uint64_t>(global)), Event::kPacingWake, i);
      ev.generation = due->value;  // the due time it is for
      Schedule(std::move(ev));
    }
  }
  if (Correct(i)) {
    const auto& rejections = node.replica->core().rejections();
    if (auto it = rejections.find("SAFETY_CONFLICTING_COMMIT"); it != rejections.end()) {
      Violation("replica " + std::to_string(i) +
                " saw its commit rule fire for a block conflicting with its decided chain");
    }
  }
}

void Effects::Send(const crypto::PublicKey& to, const core::Bytes& message) {
  sim_.Send(i_, {ReplicaId(sim_.index_of_.at(to))}, message);
}

void Effects::Broadcast(const core::Bytes& message) {
  std::vector<ReplicaId> targets;
  for (const crypto::PublicKey& key : sim_.nodes_[i_].members) {
    uint32_t j = sim_.index_of_.at(key);
    if (j != i_) targets.push_back(ReplicaId(j));
  }
  sim_.Send(i_, std::move(targets), message);
}

void Effects::Decided(const consensus::Decide& decide) {
  if (sim_.Correct(i_)) sim_.OnDecide(i_, decide);
}

void Effects::Committed(const ledger::StoredBlock& block, const std::vector<node::TxIndexEntry>&,
                        std::chrono::steady_clock::duration) {
  sim_.OnCommit(i_, block);
}

void Effects::EpochEntered(const node::Chain::Validators& validators) {
  Node& node = sim_.nodes_[i_];
  node.validators = validators.set;
  node.members = validators.set.validators();
  sim_.result_.stats.max_epoch = std::max(sim_.result_.stats.max_epoch, validators.epoch);
  if (validators.epoch >= sim_.newest_epoch_) {
    sim_.newest_epoch_ = validators.epoch;
    sim_.newest_members_.clear();
    for (const crypto::PublicKey& key : node.members) {
      sim_.newest_members_.insert(sim_.index_of_.at(key));
    }
  }
}

void Simulator::OnDecide(uint32_t i, const consensus::Decide& d) {
  nodes_[i].decided_at[d.hash] = now_;
  const uint64_t epoch = nodes_[i].replica->driver().epoch();
  auto [it, inserted] =
      decided_.emplace(std::pair{epoch, d.height.value}, std::make_pair(d.hash, i));
  if (!inserted && it->second.first != d.hash) {
    Violation("agreement: replicas " + std::to_string(it->second.second) + " and " +
              std::to_string(i) + " decided different blocks at height " + d.height.ToString() +
              " (" + it->second.first.hex().substr(0, 12) + " vs " + d.hash.hex().substr(0, 12) +
              ")");
  }
}

void Simulator::OnCommit(uint32_t i, const ledger::StoredBlock& block) {
  Node& node = nodes_[i];
  if (!Correct(i)) return;
  const uint64_t h = block.header.height.value;
  if (auto v = block.certificate.Verify(genesis_.chain_id, node.validators); !v) {
    return Violation("replica " + std::to_string(i) + ": certificate at height " +
                     std::to_string(h) + " does not verify");
  }
  node::ChainTip tip = node.replica->tip();
  ledger::BlockHash hash = block.header.Hash();
  auto [it, inserted] = executed_.emplace(h, Executed{hash, tip.state_root, i});
  if (!inserted) {
    if (it->second.hash != hash) {
      return Violation("prefix: replicas " + std::to_string(it->second.replica) + " and " +
                       std::to_string(i) + " executed different blocks at height " +
                       std::to_string(h));
    }
    if (it->second.state_root != tip.state_root) {
      return Violation("state: replicas " + std::to_string(it->second.replica) + " and " +
                       std::to_string(i) + " have different state roots at height " +
                       std::to_string(h));
    }
  }
  if (auto d = decided_.find({node.replica->driver().epoch(), h});
      d != decided_.end() && d->second.first != hash) {
    return Violation("replica " + std::to_string(i) + " executed a block other than the one " +
                     "decided at height " + std::to_string(h));
  }
  for (const auto& tx : block.transactions) {
    if (!submitted_.contains(tx.id())) {
      return Violation("committed transaction " + tx.id().hex() + " was never submitted");
    }
    if (!signature_checked_.contains(tx.id())) {
      if (!tx.VerifySignature()) {
        return Violation("committed transaction " + tx.id().hex() + " has a bad signature");
      }
      signature_checked_.insert(tx.id());
    }
  }
  // Latency from the proposer's stamp (its clock is skewed by at most max_skew_ms).
  double stamp = static_cast<double>(block.header.timestamp.value);
  commit_latency_sum_ += static_cast<double>(now_) - stamp;
  ++commit_samples_;
  if (auto at = node.decided_at.find(hash); at != node.decided_at.end()) {
    decide_latency_sum_ += static_cast<double>(at->second) - stamp;
    ++decide_samples_;
    node.decided_at.erase(at);
  }
  if (healed_ && node.reached_target_at == 0 && h >= target_height_) node.reached_target_at = now_;
}

}  // namespace

SimResult RunSimulation(const SimOptions& options) { return Simulator(options).Run(); }

std::string ReplayCommand(const SimOptions& o) {
  // The running `sim`/`sim_teeth` names itself in TL_SIM_BINARY; tests run under ctest,
  // which sets TL_BINARY_DIR.
  const char* binary = std::getenv("TL_SIM_BINARY");
  const char* dir = std::getenv("TL_BINARY_DIR");
  std::ostringstream cmd;
  if (binary != nullptr) {
    cmd << binary;
  } else {
    cmd << (dir ? std::string(dir) : std::string("build")) << "/tests/sim/sim";
  }
  cmd << " --seed " << o.seed << " --n " << o.n << " --byzantine " << o.byzantine << " --fault-ms "
      << o.fault_ms << " --calm-ms " << o.calm_ms << " --loss " << o.loss << " --duplicate "
      << o.duplicate << " --skew-ms " << o.max_skew_ms << " --timeout-ms " << o.base_timeout_ms
      << " --liveness-ms " << o.liveness_bound_ms << " --client-ms " << o.client_interval_ms;
  if (o.idle_heartbeat_ms > 0) cmd << " --idle-heartbeat-ms " << o.idle_heartbeat_ms;
  if (o.min_block_interval_ms > 0) cmd << " --pacing-ms " << o.min_block_interval_ms;
  if (!o.partitions) cmd << " --no-partitions";
  if (!o.crashes) cmd << " --no-crashes";
  if (o.validator_changes) cmd << " --validator-changes " << o.validator_changes;
  if (o.crash_at_write) {
    cmd << " --crash-at-write " << o.crash_replica << ":" << o.crash_at_write << ":"
        << (o.crash_write_applied ? "applied" : "lost");
  }
  if (o.max_steps) cmd << " --steps " << o.max_steps;
  cmd << " --verbose";
  return cmd.str();
}

std::string Summary(const SimOptions& o, const SimResult& r) {
  const SimStats& s = r.stats;
  std::ostringstream out;
  out << "seed=" << o.seed << " n=" << o.n << " byzantine=" << o.byzantine
      << (r.ok ? " OK" : " FAILED") << " steps=" << s.steps << " sim_ms=" << s.sim_time_ms
      << " height=" << s.min_height << ".." << s.max_height << " txs=" << s.transactions_committed
      << " msgs=" << s.messages << " bytes=" << s.bytes << " recovery_ms=" << s.recovery_ms;
  if (o.validator_changes > 0) out << " epoch=" << s.max_epoch << " removed=" << s.removed;
  if (o.min_block_interval_ms > 0) out << " pacing_wakes=" << s.pacing_wakes;
  if (!r.ok) out << "\n  violation: " << r.violation << "\n  replay: " << ReplayCommand(o);
  return out.str();
}

}  // namespace tradeledger::sim
