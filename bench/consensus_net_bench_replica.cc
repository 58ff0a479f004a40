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

core::Result<node::Chain::Validators> BenchReplica::BenchStorage::NextValidators() const {
  node::Chain::Validators v;
  v.set = owner_.validators_;
  return v;
}

core::Result<std::vector<node::TxIndexEntry>> BenchReplica::BenchStorage::Commit(
    const ledger::StoredBlock& block) {
  std::vector<node::TxIndexEntry> entries(block.transactions.size());
  ledger_.Append(block);
  return entries;
}

core::Status BenchReplica::BenchStorage::WriteSafetyState(core::ByteSpan state) {
  ++owner_.persists_;
  if (!owner_.safety_file_) {
    persisted_.assign(state.begin(), state.end());
    return core::Ok();
  }
  auto started = Steady::now();
  core::Status written = owner_.safety_file_->Write(state);
  owner_.persist_seconds_ += std::chrono::duration<double>(Steady::now() - started).count();
  if (written) persisted_.assign(state.begin(), state.end());
  return written;
}

core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>>
BenchReplica::BenchStorage::ReadLockedBlocks() {
  return std::vector<std::pair<ledger::BlockHash, core::Bytes>>(locked_.begin(), locked_.end());
}

core::Status BenchReplica::BenchStorage::UpdateLockedBlocks(
    const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
    const std::vector<ledger::BlockHash>& remove) {
  for (const ledger::BlockHash& hash : remove) locked_.erase(hash);
  for (const auto& [hash, proposal] : add) locked_[hash] = proposal;
  return core::Ok();
}

core::Result<std::unique_ptr<BenchReplica>> BenchReplica::Create(ReplicaOptions options,
                                                                 const PayloadFeed& feed) {
  node::DriverOptions driver = options.driver;
  const std::string fsync_dir = options.fsync_dir;
  const int transport_threads = options.transport_threads;
  std::unique_ptr<BenchReplica> r(new BenchReplica(std::move(options), feed));
  net::TransportOptions t;
  t.key = r->key_;
  t.chain_id = driver.chain_id.hash;
  t.threads = transport_threads;
  BenchReplica* self = r.get();
  TL_ASSIGN_OR_RETURN(r->transport_,
                      net::Transport::Create(
                          std::move(t), [self](const crypto::PublicKey& from, core::Bytes frame) {
                            self->OnFrame(from, std::move(frame));
                          }));
  if (!fsync_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(fsync_dir, ec);
    r->safety_file_.emplace(
        (std::filesystem::path(fsync_dir) / ("replica-" + r->key_.public_key.hex().substr(0, 8)))
            .string());
  }
  TL_ASSIGN_OR_RETURN(r->driver_,
                      node::Driver::Create(r->storage_, r->key_, std::move(driver), *r));
  return r;
}

BenchReplica::BenchReplica(ReplicaOptions options, const PayloadFeed& feed)
    : key_(options.key),
      validators_(options.validators),
      feed_(feed),
      record_latency_(options.record_latency),
      storage_(*this, feed.pool.size()) {
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
  std::map<std::string, uint64_t> out = driver_->core().rejections();
  for (const auto& [code, count] : transport_->Rejections()) out["transport:" + code] += count;
  return out;
}

// As node::Node::OnPeerFrame for the consensus channel; the driver maps the key to its index.
void BenchReplica::OnFrame(const crypto::PublicKey& from, core::Bytes frame) {
  auto parsed = node::ParsePeerFrame(frame);
  if (!parsed || parsed->channel != node::PeerChannel::kConsensus) return;
  Inbound in{from, core::Bytes(parsed->body.begin(), parsed->body.end())};
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
      if (const auto& timer = driver_->timer()) {
        uint64_t now = Now().value;
        uint64_t until = timer->deadline.value > now ? timer->deadline.value - now : 0;
        wait = std::min(wait, std::chrono::milliseconds(until));
      }
      cv_.wait_for(lock, wait,
                   [&] { return !inbox_.empty() || feed_.released.load() > cursor_ || !running_; });
      batch.swap(inbox_);
    }
    if (!running_) break;
    for (Inbound& in : batch) driver_->StepPeer(Now(), in.from, std::move(in.message));
    HandOver();
    std::optional<consensus::SetTimer>& timer = driver_->timer();
    if (timer && Now() >= timer->deadline) {
      core::View view = timer->view;
      timer.reset();
      Step({Now(), consensus::TimerFired{view}});
    }
    // A tick: an idle leader looks again; a network of one goes on certifying its own blocks.
    for (int i = 0; i < kMaxSelfSteps; ++i) {
      core::View before = driver_->core().last_proposed_view();
      Step({Now(), consensus::ClientBatch{}});
      if (validators_.size() > 1 || driver_->core().last_proposed_view() == before) break;
    }
    if (driver_->state() != node::Driver::State::kRunning) {
      const auto& failure = driver_->failure();
      std::fprintf(stderr, "consensus_net_bench: %s failed: %s\n",
                   failure ? failure->first.c_str() : "the driver",
                   failure ? failure->second.ToString().c_str() : "stopped");
      failed_ = true;
    }
  }
}

// Hands released payloads to the core, pre-verified, as far as its mempool has room.
void BenchReplica::HandOver() {
  const consensus::Replica& core = driver_->core();
  size_t released = std::min(feed_.released.load(), feed_.pool.size());
  size_t room =
      core.config().max_mempool - std::min(core.config().max_mempool, core.mempool_size());
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

void BenchReplica::Step(consensus::Input input) { driver_->Step(std::move(input)); }

void BenchReplica::Send(const crypto::PublicKey& to, const core::Bytes& message) {
  transport_->Send(to, node::ConsensusFrame(message));
}

void BenchReplica::Broadcast(const core::Bytes& message) {
  transport_->Broadcast(node::ConsensusFrame(message));
}

void BenchReplica::Committed(const ledger::StoredBlock& block,
                             const std::vector<node::TxIndexEntry>&,
                             std::chrono::steady_clock::duration) {
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
}

}  // namespace tradeledger::bench
