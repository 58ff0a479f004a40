// Scenario (e) of the benchmarking issue: consensus and network alone, to set beside the
// figures other BFT libraries publish for small dummy commands (doc/performance.md, "Consensus
// and network alone (scenario e)").
//
// One process runs n validators (bench/consensus_net_bench_replica.h): each a real consensus
// core on a real authenticated, encrypted transport over 127.0.0.1, with execution bypassed.
// The payloads are minimal transactions (an 8-byte body in a signed envelope), signed once
// before the run and handed to every replica's core pre-verified, either at a fixed offered
// rate (--rate) or closed loop (--rate 0: at most --window payloads released and not yet
// committed at replica 0). After --warmup-s, the run measures for --duration-s: committed
// payloads and blocks per second, mean block size, hand-over-to-commit latency at replica 0,
// and messages and bytes per block (every frame every replica's transport sent). The machine's
// limits are measured first, in the same run. Prints a human summary, then the JSON report.
#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "bench/consensus_net_bench_replica.h"
#include "cli/bench_limits.h"
#include "cli/bench_stats.h"
#include "crypto/sha256.h"
#include "node/clock.h"

namespace tradeledger::bench {
namespace {

using Steady = std::chrono::steady_clock;
using nlohmann::json;

struct Options {
  int n = 4;
  double duration_s = 10;
  double warmup_s = 3;
  uint32_t batch = 1000;
  double rate = 0;
  size_t window = 0;  // 0: 2 * batch (see doc/performance.md)
  size_t pool = 0;    // 0: enough for the rate (closed loop: 100,000/s) and duration
  std::string fsync_dir;
  std::string json_path;
};

struct Snapshot {
  Steady::time_point at;
  uint64_t blocks = 0;
  uint64_t payloads = 0;
  uint64_t frames = 0;
  uint64_t bytes = 0;
  double cpu_s = 0;
};

double CpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  auto s = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
  return s(u.ru_utime) + s(u.ru_stime);
}

Snapshot Take(const std::vector<std::unique_ptr<BenchReplica>>& replicas) {
  Snapshot s{Steady::now(), replicas[0]->blocks(), replicas[0]->payloads(), 0, 0, CpuSeconds()};
  for (const auto& r : replicas) {
    auto [frames, bytes] = r->SentTotals();
    s.frames += frames;
    s.bytes += bytes;
  }
  return s;
}

// The payloads, signed on every core: an 8-byte body, nonce i + 1 for pool[i].
std::vector<ledger::SignedTransaction> SignPool(size_t count, const ledger::ChainId& chain) {
  crypto::KeyPair client = crypto::KeyPair::Generate();
  unsigned threads = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::vector<ledger::SignedTransaction>> parts(threads);
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (size_t i = t; i < count; i += threads) {
        ledger::TxPayload p;
        p.chain_id = chain;
        p.type = "bench.noop";
        p.nonce = i + 1;
        char body[9];
        std::snprintf(body, sizeof body, "%08zu", i % 100'000'000);
        p.body = core::ToBytes(std::string_view(body, 8));
        parts[t].push_back(ledger::SignedTransaction::Sign(p, client));
      }
    });
  }
  for (auto& w : workers) w.join();
  std::vector<ledger::SignedTransaction> pool;
  pool.reserve(count);
  for (size_t i = 0; i < count; ++i) pool.push_back(std::move(parts[i % threads][i / threads]));
  return pool;
}

json LimitsJson(const cli::bench::MachineLimits& m) {
  json j = {{"cores", m.cores},
            {"ed25519_verify_per_s_one_core", m.verify_one_core_per_s},
            {"ed25519_verify_per_s_all_cores", m.verify_all_cores_per_s},
            {"sha256_mb_per_s", m.sha256_mb_per_s},
            {"fsyncs_per_s", m.fsyncs_per_s},
            {"fsync_dir", m.fsync_dir}};
  if (!m.fsync_error.empty()) j["fsync_error"] = m.fsync_error;
  return j;
}

int Run(const Options& o) {
  node::SystemClock clock;
  ledger::ChainId chain{crypto::Sha256Of(core::AsBytes("consensus_net_bench"))};
  size_t window = o.window != 0 ? o.window : 2 * static_cast<size_t>(o.batch);
  size_t pool_size = o.pool;
  if (pool_size == 0) {
    // A closed loop is assumed to commit at most 100,000 payloads/s with 4 or more validators
    // (about 95,000 on the two-vCPU machine of doc/performance.md), 400,000 with one.
    double rate = o.rate > 0 ? o.rate : (o.n == 1 ? 400'000 : 100'000);
    pool_size = static_cast<size_t>(rate * (o.warmup_s + o.duration_s + 2));
  }
  pool_size = std::max<size_t>(pool_size, 256);
  std::fprintf(stderr, "signing %zu payloads...\n", pool_size);
  PayloadFeed feed;
  feed.pool = SignPool(pool_size, chain);

  std::string fsync_probe = o.fsync_dir.empty() ? "/tmp" : o.fsync_dir;
  std::error_code ec;
  std::filesystem::create_directories(fsync_probe, ec);
  std::fprintf(stderr, "measuring the machine's limits...\n");
  std::vector<ledger::SignedTransaction> sample(
      feed.pool.begin(), feed.pool.begin() + std::min<ptrdiff_t>(256, std::ssize(feed.pool)));
  cli::bench::MachineLimits limits =
      cli::bench::MeasureLimits(sample, fsync_probe, std::chrono::milliseconds(1000));

  std::vector<crypto::KeyPair> keys;
  std::vector<crypto::PublicKey> publics;
  for (int i = 0; i < o.n; ++i) keys.push_back(crypto::KeyPair::Generate());
  std::sort(keys.begin(), keys.end(),
            [](const auto& a, const auto& b) { return a.public_key < b.public_key; });
  for (const auto& k : keys) publics.push_back(k.public_key);
  auto set = ledger::ValidatorSet::Create(publics);
  if (!set) {
    std::fprintf(stderr, "consensus_net_bench: %s\n", set.error().ToString().c_str());
    return 1;
  }
  std::vector<std::unique_ptr<BenchReplica>> replicas;
  const core::TimestampMs genesis_time = clock.Now();
  for (int i = 0; i < o.n; ++i) {
    ReplicaOptions r;
    r.validators = *set;
    r.driver.chain_id = chain;
    r.driver.genesis_time = genesis_time;
    r.driver.max_block_transactions = static_cast<uint32_t>(o.batch);
    r.driver.max_mempool = std::max<size_t>(20'000, 4 * static_cast<size_t>(o.batch));
    r.driver.propose_when_idle = false;  // as node::Node
    r.driver.heartbeat_ms = 500;         // as node::Node (default 500 ms; none with n = 1)
    r.key = keys[i];
    if (!o.fsync_dir.empty()) r.fsync_dir = o.fsync_dir;
    r.record_latency = i == 0;
    auto created = BenchReplica::Create(std::move(r), feed);
    if (!created) {
      std::fprintf(stderr, "consensus_net_bench: %s\n", created.error().ToString().c_str());
      return 1;
    }
    replicas.push_back(std::move(*created));
  }
  for (int i = 0; i < o.n; ++i) {
    std::vector<net::PeerAddress> peers;
    for (int j = 0; j < o.n; ++j) {
      if (j != i) peers.push_back({publics[j], "127.0.0.1", replicas[j]->port()});
    }
    replicas[i]->SetPeers(std::move(peers));
  }
  for (auto& r : replicas) r->Start();
  auto connect_deadline = Steady::now() + std::chrono::seconds(10);
  while (Steady::now() < connect_deadline &&
         std::any_of(replicas.begin(), replicas.end(), [&](const auto& r) {
           return r->ConnectedPeers() + 1 < static_cast<size_t>(o.n);
         })) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }

  auto start = Steady::now();
  auto warm_end = start + std::chrono::duration_cast<Steady::duration>(
                              std::chrono::duration<double>(o.warmup_s));
  auto end = warm_end + std::chrono::duration_cast<Steady::duration>(
                            std::chrono::duration<double>(o.duration_s));
  std::optional<Snapshot> first;
  bool exhausted = false;
  while (Steady::now() < end) {
    auto now = Steady::now();
    if (!first && now >= warm_end) {
      first = Take(replicas);
      replicas[0]->StartMeasuring();
    }
    size_t target =
        o.rate > 0
            ? static_cast<size_t>(o.rate * std::chrono::duration<double>(now - start).count())
            : static_cast<size_t>(replicas[0]->payloads()) + window;
    if (target > feed.pool.size()) {
      exhausted = exhausted || first.has_value();
      target = feed.pool.size();
    }
    if (target > feed.released.load()) {
      feed.released = target;
      for (auto& r : replicas) r->Wake();
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  Snapshot last = Take(replicas);
  replicas[0]->StopMeasuring();
  for (auto& r : replicas) r->Stop();
  if (!first) first = last;

  double secs = std::chrono::duration<double>(last.at - first->at).count();
  double blocks = static_cast<double>(last.blocks - first->blocks);
  double payloads = static_cast<double>(last.payloads - first->payloads);
  auto lat = cli::bench::Summarize(replicas[0]->latencies_ms());
  std::map<std::string, uint64_t> rejections;
  uint64_t persists = 0;
  double persist_s = 0;
  bool failed = false;
  for (const auto& r : replicas) {
    for (const auto& [code, count] : r->Rejections()) rejections[code] += count;
    persists += r->persists();
    persist_s += r->persist_seconds();
    failed = failed || r->failed();
  }
  auto per_block = [&](double v) { return blocks > 0 ? v / blocks : 0.0; };
  json report = {
      {"scenario", "e: consensus and network alone"},
      {"config",
       {{"n", o.n},
        {"batch", o.batch},
        {"mode", o.rate > 0 ? "open loop" : "closed loop"},
        {"rate", o.rate},
        {"window", o.rate > 0 ? 0 : window},
        {"warmup_s", o.warmup_s},
        {"duration_s", secs},
        {"persist", o.fsync_dir.empty() ? "memory" : "fsync to " + o.fsync_dir},
        {"payload_body_bytes", 8},
        {"payload_envelope_bytes", feed.pool[0].envelope().size()},
        {"pool", feed.pool.size()}}},
      {"results",
       {{"payloads_per_s", payloads / secs},
        {"blocks_per_s", blocks / secs},
        {"mean_block_payloads", per_block(payloads)},
        {"latency_ms",
         {{"count", lat.count},
          {"p50", lat.p50},
          {"p99", lat.p99},
          {"max", lat.max},
          {"mean", lat.mean}}},
        {"messages_per_block", per_block(static_cast<double>(last.frames - first->frames))},
        {"bytes_per_block", per_block(static_cast<double>(last.bytes - first->bytes))},
        {"cpu_cores_busy", (last.cpu_s - first->cpu_s) / secs},
        {"persists", persists},
        {"persist_ms_mean", persists > 0 ? persist_s * 1e3 / static_cast<double>(persists) : 0},
        {"pool_exhausted", exhausted},
        {"failed", failed}}},
      {"machine_limits", LimitsJson(limits)},
      {"rejections", rejections}};

  const json& r = report["results"];
  std::printf(
      "consensus and network alone: n=%d, batch %u, %s, %.1f s measured after %.1f s warm-up\n",
      o.n, o.batch,
      o.rate > 0 ? ("open loop at " + std::to_string(o.rate) + "/s").c_str()
                 : ("closed loop, window " + std::to_string(window)).c_str(),
      secs, o.warmup_s);
  std::printf("  committed  %.0f payloads/s, %.1f blocks/s, %.0f payloads/block\n",
              r["payloads_per_s"].get<double>(), r["blocks_per_s"].get<double>(),
              r["mean_block_payloads"].get<double>());
  std::printf(
      "  latency    hand-over to commit at replica 0: p50 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      lat.p50, lat.p99, lat.max);
  std::printf("  per block  %.1f messages, %.0f bytes (payload %zu B envelopes of 8 B bodies)\n",
              r["messages_per_block"].get<double>(), r["bytes_per_block"].get<double>(),
              feed.pool[0].envelope().size());
  std::printf("  cpu        %.2f of %u cores busy; persist to %s\n",
              r["cpu_cores_busy"].get<double>(), limits.cores,
              o.fsync_dir.empty() ? "memory" : o.fsync_dir.c_str());
  std::printf(
      "  limits     Ed25519 verify %.0f/s (all cores), SHA-256 %.0f MB/s, %.0f fsyncs/s in %s\n",
      limits.verify_all_cores_per_s, limits.sha256_mb_per_s, limits.fsyncs_per_s,
      fsync_probe.c_str());
  if (exhausted) std::printf("  WARNING    the payload pool ran out: raise --pool\n");
  if (failed) std::printf("  WARNING    a replica failed to persist its safety state\n");
  std::printf("%s\n", report.dump(2).c_str());
  if (!o.json_path.empty()) std::ofstream(o.json_path) << report.dump(2) << "\n";
  return failed ? 1 : 0;
}

}  // namespace
}  // namespace tradeledger::bench

int main(int argc, char** argv) {
  tradeledger::bench::Options o;
  CLI::App app{"consensus_net_bench: consensus and network alone (scenario e)"};
  app.add_option("--n", o.n, "validators (1 or 4..64)")->check(CLI::Range(1, 64));
  app.add_option("--duration-s", o.duration_s, "measured seconds")->check(CLI::PositiveNumber);
  app.add_option("--warmup-s", o.warmup_s, "seconds before measuring");
  app.add_option("--batch", o.batch, "max_block_transactions")->check(CLI::Range(1, 10000));
  app.add_option("--rate", o.rate, "offered payloads/s; 0: closed loop");
  app.add_option("--window", o.window, "closed loop: payloads outstanding (default 2 x batch)");
  app.add_option("--pool", o.pool, "payloads signed up front (default: enough for the run)");
  app.add_option("--fsync", o.fsync_dir, "persist the safety state with fsync in this directory");
  app.add_option("--json", o.json_path, "also write the JSON report here");
  CLI11_PARSE(app, argc, argv);
  if (o.n == 2 || o.n == 3) {
    std::fprintf(stderr, "consensus_net_bench: --n must be 1 or at least 4\n");
    return 1;
  }
  return tradeledger::bench::Run(o);
}
