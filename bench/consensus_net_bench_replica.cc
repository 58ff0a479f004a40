#include "bench/consensus_net_bench_replica.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "ledger/merkle.h"
#include "node/peer_frames.h"

namespace tradeledger::bench {
namespace {

using Steady = std::chrono::steady_clock;

// The driver wakes at least this often (node::NodeOptions::tick is 20 ms; shorter here so that
// an idle tick never hides a release of payloads for long).
constexpr auto kTick = std::chrono::milliseconds(5);
// As node.cc: most consecutive steps a network of one takes without new input.
constexpr int kMaxSelfSteps = 8;

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Steady::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<core::Hash32> MemoryLedger::StateRoot(core::Height height) const {
  if (height > ExecutedHeight()) return std::nullopt;
  return core::Hash32{};
}

std::optional<ledger::StoredBlock> MemoryLedger::CommittedBlock(core::Height height) const {
  if (height.value == 0 || height > ExecutedHeight()) return std::nullopt;
  return blocks_[height.value - 1];
}

void MemoryLedger::Append(ledger::StoredBlock block) {
  for (const auto& tx : block.transactions) {
    committed_.insert(tx.id());
    log_.Append(ledger::LeafHash(tx.id().hash.span()), &scratch_);
    scratch_.clear();
  }
  blocks_.push_back(std::move(block));
}

core::Result<std::unique_ptr<BenchReplica>> BenchReplica::Create(ReplicaOptions options,
                                                                 const PayloadFeed& feed) {
  std::unique_ptr<BenchReplica> r(new BenchReplica(options, feed));
  net::TransportOptions t;
  t.key = options.key;
  t.chain_id = options.config.chain_id.hash;
  t.threads = options.transport_threads;
  BenchReplica* self = r.get();
  TL_ASSIGN_OR_RETURN(r->transport_,
                      net::Transport::Create(
                          std::move(t), [self](const crypto::PublicKey& from, core::Bytes frame) {
                            self->OnFrame(from, std::move(frame));
                          }));
  if (!options.fsync_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(options.fsync_dir, ec);
    r->safety_file_.emplace((std::filesystem::path(options.fsync_dir) /
                             ("replica-" + options.key.public_key.hex().substr(0, 8)))
                                .string());
  }
  TL_ASSIGN_OR_RETURN(
      r->core_, consensus::Replica::Create(options.config, options.key, r->ledger_, core::Bytes{}));
  return r;
}

BenchReplica::BenchReplica(ReplicaOptions options, const PayloadFeed& feed)
    : key_(std::move(options.key)),
      config_(std::move(options.config)),
      feed_(feed),
      record_latency_(options.record_latency),
      ledger_(feed.pool.size()) {
  if (record_latency_) handed_ns_.assign(feed.pool.size(), -1);
}

BenchReplica::~BenchReplica() { Stop(); }

std::pair<uint64_t, uint64_t> BenchReplica::SentTotals() const {
  uint64_t frames = 0;
  uint64_t bytes = 0;
  for (const auto& p : transport_->Peers()) {
    frames += p.frames_sent;
    bytes += p.bytes_sent;
  }
  return {frames, bytes};
}

void BenchReplica::Start() {
  running_ = true;
  transport_->Start();
  thread_ = std::thread([this] { Run(); });
}

void BenchReplica::Stop() {
  {
    std::lock_guard lock(mu_);
    running_ = false;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  if (transport_) transport_->Stop();
}

void BenchReplica::Wake() {
  std::lock_guard lock(mu_);
  cv_.notify_one();
}

std::map<std::string, uint64_t> BenchReplica::Rejections() const {
  std::map<std::string, uint64_t> out = core_->rejections();
  for (const auto& [code, count] : transport_->Rejections()) out["transport:" + code] += count;
  return out;
}

// As node::Node::OnPeerFrame for the consensus channel.
void BenchReplica::OnFrame(const crypto::PublicKey& from, core::Bytes frame) {
  const auto& keys = config_.validators.validators();
  auto it = std::find(keys.begin(), keys.end(), from);
  auto parsed = node::ParsePeerFrame(frame);
  if (it == keys.end() || !parsed || parsed->channel != node::PeerChannel::kConsensus) return;
  Inbound in{consensus::ReplicaId(static_cast<uint32_t>(it - keys.begin())),
             core::Bytes(parsed->body.begin(), parsed->body.end())};
  std::lock_guard lock(mu_);
  inbox_.push_back(std::move(in));
  cv_.notify_one();
}

core::TimestampMs BenchReplica::Now() const {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return core::TimestampMs(static_cast<uint64_t>(ms.count()));
}

// As node::Node::Run, less admission, gossip, waiters and metrics.
void BenchReplica::Run() {
  Step({Now(), consensus::Start{}});
  while (running_ && !failed_) {
    std::deque<Inbound> batch;
    {
      std::unique_lock lock(mu_);
      auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(kTick);
      if (timer_) {
        uint64_t now = Now().value;
        uint64_t until = timer_->deadline.value > now ? timer_->deadline.value - now : 0;
        wait = std::min(wait, std::chrono::milliseconds(until));
      }
      cv_.wait_for(lock, wait,
                   [&] { return !inbox_.empty() || feed_.released.load() > cursor_ || !running_; });
      batch.swap(inbox_);
    }
    if (!running_) break;
    for (Inbound& in : batch) Step({Now(), consensus::PeerMessage{in.from, std::move(in.message)}});
    HandOver();
    if (timer_ && Now() >= timer_->deadline) {
      core::View view = timer_->view;
      timer_.reset();
      Step({Now(), consensus::TimerFired{view}});
    }
    // A tick: an idle leader looks again; a network of one goes on certifying its own blocks.
    for (int i = 0; i < kMaxSelfSteps; ++i) {
      core::View before = core_->last_proposed_view();
      Step({Now(), consensus::ClientBatch{}});
      if (config_.validators.size() > 1 || core_->last_proposed_view() == before) break;
    }
  }
}

// Hands released payloads to the core, pre-verified, as far as its mempool has room.
void BenchReplica::HandOver() {
  size_t released = std::min(feed_.released.load(), feed_.pool.size());
  size_t room = config_.max_mempool - std::min(config_.max_mempool, core_->mempool_size());
  size_t count = std::min(
      {released - std::min(released, cursor_), room, static_cast<size_t>(node::kMaxGossipBatch)});
  if (count == 0) return;
  std::vector<ledger::SignedTransaction> txs(
      feed_.pool.begin() + static_cast<ptrdiff_t>(cursor_),
      feed_.pool.begin() + static_cast<ptrdiff_t>(cursor_ + count));
  if (record_latency_) {
    int64_t now = NowNs();
    std::fill(handed_ns_.begin() + static_cast<ptrdiff_t>(cursor_),
              handed_ns_.begin() + static_cast<ptrdiff_t>(cursor_ + count), now);
  }
  cursor_ += count;
  Step({Now(), consensus::ClientBatch{std::move(txs), true}});
}

void BenchReplica::Step(consensus::Input input) {
  if (failed_) return;
  std::vector<consensus::Action> actions = core_->Step(input);
  for (consensus::Action& action : actions) Apply(action);
}

// As node::Node::Apply; Commit appends to the in-memory ledger instead of Chain::Commit.
void BenchReplica::Apply(consensus::Action& action) {
  if (auto* p = std::get_if<consensus::Persist>(&action)) {
    ++persists_;
    if (!safety_file_) {
      persisted_ = std::move(p->safety_state);
      return;
    }
    auto started = Steady::now();
    if (auto written = safety_file_->Write(p->safety_state); !written) {
      std::fprintf(stderr, "consensus_net_bench: %s\n", written.error().ToString().c_str());
      failed_ = true;
    }
    persist_seconds_ += std::chrono::duration<double>(Steady::now() - started).count();
  } else if (auto* s = std::get_if<consensus::Send>(&action)) {
    transport_->Send(config_.validators.validators()[s->to.value], node::ConsensusFrame(s->bytes));
  } else if (auto* b = std::get_if<consensus::Broadcast>(&action)) {
    transport_->Broadcast(node::ConsensusFrame(b->bytes));
  } else if (auto* t = std::get_if<consensus::SetTimer>(&action)) {
    timer_ = *t;
  } else if (auto* c = std::get_if<consensus::Commit>(&action)) {
    OnCommit(std::move(c->block));
  }
}

void BenchReplica::OnCommit(ledger::StoredBlock block) {
  if (record_latency_ && measuring_) {
    int64_t now = NowNs();
    for (const auto& tx : block.transactions) {
      uint64_t seq = tx.payload().nonce - 1;
      if (seq < handed_ns_.size() && handed_ns_[seq] >= 0) {
        latencies_ms_.push_back(static_cast<double>(now - handed_ns_[seq]) / 1e6);
      }
    }
  }
  payloads_ += block.transactions.size();
  ++blocks_;
  ledger_.Append(std::move(block));
}

}  // namespace tradeledger::bench
