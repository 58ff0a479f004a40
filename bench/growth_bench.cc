// Scenario (f) of the benchmarking issue: growth (doc/performance.md, "Growth to 1,000,000
// transactions (scenario f)").
//
//  1. Builds a data directory holding --transactions committed document anchors through the
//     real node::Chain::Commit on RocksDB (bench/growth_bench_build.h), recording the raw
//     transaction bytes (the sum of the envelopes).
//  2. Measures the data directory as it is after the build (no manual compaction).
//  3. Starts the real `tradeledger node` on it --restarts times (SIGTERM between), timing each
//     start until GET /health answers 200 (bench/growth_bench_node.h). The first start finds
//     the build's write-ahead log still to replay, as after a node stopped under load.
//  4. With the last one running, times --requests document reads, inclusion proofs and state
//     proofs over HTTP across the whole history (bench/growth_bench_reads.h), noting how much
//     of the data directory was in the page cache when they began.
//  5. Unless --no-breakdown, scans the stopped store for the logical bytes per namespace.
// Prints a human summary against the targets, then the JSON report. --reuse DIR skips step 1
// on a directory kept (--keep) by an earlier run.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

#include "bench/growth_bench_build.h"
#include "bench/growth_bench_node.h"
#include "bench/growth_bench_reads.h"
#include "cli/bench_limits.h"
#include "crypto/sha256.h"

namespace tradeledger::bench {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The targets of the benchmarking issue at 1,000,000 committed transactions.
constexpr double kRestartTargetS = 10;
constexpr double kReadTargetP99Ms = 5;
constexpr double kDiskTargetRatio = 3;

struct Options {
  GrowthSpec spec;
  std::string dir = "/tmp/tl-growth";
  bool keep = false;
  bool reuse = false;
  bool breakdown = true;
  std::string binary = "build/release/src/cli/tradeledger";
  size_t requests = 1000;
  int restarts = 3;
  std::string json_path;
};

// The node of the run; stopped on every way out.
struct RunningNode {
  pid_t pid = -1;
  double Stop() {
    double s = pid > 0 ? StopNode(pid, std::chrono::seconds(60)) : 0;
    pid = -1;
    return s;
  }
  ~RunningNode() { Stop(); }
};

// Removes the network directory on every way out, unless it is to be kept.
struct DirectoryCleanup {
  fs::path dir;
  bool remove = false;
  ~DirectoryCleanup() {
    std::error_code ec;
    if (remove) fs::remove_all(dir, ec);
  }
};

cli::bench::MachineLimits Limits(const std::string& fsync_dir) {
  std::vector<ledger::SignedTransaction> sample;
  crypto::KeyPair key = crypto::KeyPair::Generate();
  for (uint64_t i = 0; i < 64; ++i) {
    ledger::TxPayload p;
    p.type = "document.anchor";
    p.nonce = i + 1;
    p.body = core::ToBytes(
        json{{"docId", GrowthDocId(i)}, {"contentHash", crypto::Sha256Of({}).hex()}}.dump());
    sample.push_back(ledger::SignedTransaction::Sign(p, key));
  }
  return cli::bench::MeasureLimits(sample, fsync_dir, std::chrono::milliseconds(1000));
}

int Report(const core::Error& e) {
  std::fprintf(stderr, "growth_bench: %s\n", e.ToString().c_str());
  return 1;
}

int Run(const Options& o) {
  GrowthPaths paths{fs::absolute(o.dir)};
  std::error_code ec;
  if (!o.reuse && fs::exists(paths.dir, ec) && !fs::is_empty(paths.dir, ec)) {
    return Report({"GROWTH_DIR_EXISTS", paths.dir.string() + " is not empty (use --reuse)"});
  }
  DirectoryCleanup cleanup{paths.dir, !o.keep && !o.reuse};  // destroyed after the node stops
  fs::create_directories(paths.dir, ec);
  std::fprintf(stderr, "measuring the machine's limits...\n");
  cli::bench::MachineLimits limits = Limits(paths.dir.string());

  GrowthManifest m;
  if (o.reuse) {
    auto read = ReadManifest(paths);
    if (!read) return Report(read.error());
    m = *read;
  } else {
    std::fprintf(stderr, "building %llu anchors in %s...\n",
                 static_cast<unsigned long long>(o.spec.transactions), paths.dir.c_str());
    auto built = BuildDataDir(o.spec, paths);
    if (!built) return Report(built.error());
    m = *built;
  }
  DiskUsage disk = MeasureDisk(paths.data().string());
  auto targets = PickTargets(m, o.requests, 20261129);
  if (!targets) return Report(targets.error());
  auto port = FreePort();
  if (!port) return Report(port.error());
  if (auto ok = WriteNodeConfig(paths, *port); !ok) return Report(ok.error());
  RunningNode node;
  std::vector<double> restarts;
  std::vector<double> stops;
  for (int i = 0; i < o.restarts; ++i) {
    if (node.pid > 0) stops.push_back(node.Stop());
    auto started = StartNode(o.binary, paths, *port, std::chrono::seconds(120));
    if (!started) return Report(started.error());
    node.pid = started->pid;
    restarts.push_back(started->seconds_to_serving);
    std::fprintf(stderr, "restart %d: serving after %.3f s\n", i + 1, restarts.back());
  }
  double resident = ResidentFraction(paths.data().string());
  auto reads = MeasureReads(paths, m, *port, *targets);
  if (!reads) return Report(reads.error());
  stops.push_back(node.Stop());
  json breakdown = json::object();
  if (o.breakdown) {
    std::fprintf(stderr, "scanning the store by namespace...\n");
    auto scanned = ScanNamespaces(paths.data().string());
    if (!scanned) return Report(scanned.error());
    for (const auto& [ns, b] : *scanned) {
      breakdown[std::string(1, ns)] = {
          {"keys", b.keys},
          {"bytes", b.bytes},
          {"bytes_per_tx", static_cast<double>(b.bytes) / static_cast<double>(m.committed)}};
    }
  }
  DiskUsage disk_after = MeasureDisk(paths.data().string());

  double raw = static_cast<double>(m.raw_tx_bytes);
  double tx = static_cast<double>(m.committed);
  double ratio = static_cast<double>(disk.allocated) / raw;
  std::vector<double> sorted_restarts = restarts;
  std::sort(sorted_restarts.begin(), sorted_restarts.end());
  double median_restart = sorted_restarts[sorted_restarts.size() / 2];
  json reads_json = json::array();
  for (const ReadKind& r : *reads) {
    reads_json.push_back({{"kind", r.name},
                          {"count", r.latency.count},
                          {"p50_ms", r.latency.p50},
                          {"p99_ms", r.latency.p99},
                          {"max_ms", r.latency.max},
                          {"mean_ms", r.latency.mean},
                          {"errors", r.errors},
                          {"first_error", r.first_error},
                          {"mean_response_bytes", r.mean_response_bytes},
                          {"verified", r.verified}});
  }
  json report = {{"scenario", "f: growth"},
                 {"build",
                  {{"anchors", m.spec.transactions},
                   {"committed_transactions", m.committed},
                   {"blocks", m.blocks},
                   {"per_block", m.spec.per_block},
                   {"signers", m.spec.orgs * m.spec.keys_per_org},
                   {"raw_tx_bytes", m.raw_tx_bytes},
                   {"mean_envelope_bytes", raw / tx},
                   {"seconds", m.build_seconds},
                   {"commit_seconds", m.commit_seconds},
                   {"wait_for_signing_seconds", m.wait_seconds},
                   {"tx_per_s_by_tenth", m.tx_per_s_by_tenth},
                   {"reused", o.reuse}}},
                 {"disk",
                  {{"measured", "as left by the build: no manual compaction"},
                   {"allocated_bytes", disk.allocated},
                   {"apparent_bytes", disk.apparent},
                   {"files", disk.files},
                   {"write_ahead_log_bytes", disk.wal_bytes},
                   {"bytes_per_tx", static_cast<double>(disk.allocated) / tx},
                   {"ratio_to_raw", ratio},
                   {"allocated_bytes_after_restarts_and_reads", disk_after.allocated},
                   {"logical_bytes_by_namespace", breakdown}}},
                 {"restart_to_serving_s", restarts},
                 {"page_cache_resident_fraction_before_reads", resident},
                 {"stop_s", stops},
                 {"reads", reads_json},
                 {"targets",
                  {{"restart_s", kRestartTargetS},
                   {"read_p99_ms", kReadTargetP99Ms},
                   {"disk_ratio", kDiskTargetRatio}}},
                 {"machine_limits",
                  {{"cores", limits.cores},
                   {"ed25519_verify_per_s_all_cores", limits.verify_all_cores_per_s},
                   {"sha256_mb_per_s", limits.sha256_mb_per_s},
                   {"fsyncs_per_s", limits.fsyncs_per_s},
                   {"fsync_dir", limits.fsync_dir}}}};

  auto verdict = [](bool ok) { return ok ? "meets" : "MISSES"; };
  std::printf(
      "growth: %llu transactions committed (%llu anchors) in %llu blocks, built in %.0f s\n",
      static_cast<unsigned long long>(m.committed),
      static_cast<unsigned long long>(m.spec.transactions),
      static_cast<unsigned long long>(m.blocks), m.build_seconds);
  std::printf("  restart to serving  ");
  for (double s : restarts) std::printf("%.3f s  ", s);
  std::printf(
      "(median %.3f s; the first replayed %.1f MB of write-ahead log; target <= %.0f s "
      "each: %s)\n",
      median_restart, static_cast<double>(disk.wal_bytes) / 1e6, kRestartTargetS,
      verdict(sorted_restarts.back() <= kRestartTargetS));
  std::printf(
      "  disk                %.0f bytes/tx, %.2f x the raw %.0f bytes/tx (target <= %.0f x: %s)\n",
      static_cast<double>(disk.allocated) / tx, ratio, raw / tx, kDiskTargetRatio,
      verdict(ratio <= kDiskTargetRatio));
  for (const auto& [ns, b] : breakdown.items()) {
    std::printf("    '%s' %12llu keys %10.0f logical bytes/tx\n", ns.c_str(),
                static_cast<unsigned long long>(b["keys"].get<uint64_t>()),
                b["bytes_per_tx"].get<double>());
  }
  std::printf(
      "  reads               1 connection, one request at a time; %.0f%% of the data "
      "directory in the page cache when they began\n",
      resident * 100);
  for (const ReadKind& r : *reads) {
    std::printf(
        "  %-24s p50 %.2f ms  p99 %.2f ms  max %.2f ms  (%zu ok, %zu errors; target p99 <= %.0f "
        "ms: %s)\n",
        r.name.c_str(), r.latency.p50, r.latency.p99, r.latency.max, r.latency.count, r.errors,
        kReadTargetP99Ms, verdict(r.latency.p99 <= kReadTargetP99Ms && r.errors == 0));
    if (!r.first_error.empty()) std::printf("    first error: %s\n", r.first_error.c_str());
    if (!r.verified.empty()) std::printf("    offline check: %s\n", r.verified.c_str());
  }
  std::printf(
      "  limits              Ed25519 verify %.0f/s (all cores), SHA-256 %.0f MB/s, %.0f fsyncs/s\n",
      limits.verify_all_cores_per_s, limits.sha256_mb_per_s, limits.fsyncs_per_s);
  std::printf("%s\n", report.dump(2).c_str());
  if (!o.json_path.empty()) std::ofstream(o.json_path) << report.dump(2) << "\n";
  return 0;
}

}  // namespace
}  // namespace tradeledger::bench

int main(int argc, char** argv) {
  tradeledger::bench::Options o;
  CLI::App app{"growth_bench: a ledger of N transactions, restarted and read (scenario f)"};
  app.add_option("--transactions", o.spec.transactions, "document anchors to commit")
      ->check(CLI::PositiveNumber);
  app.add_option("--per-block", o.spec.per_block, "anchors per block")->check(CLI::Range(1, 10000));
  app.add_option("--orgs", o.spec.orgs, "organisations")->check(CLI::Range(1, 100));
  app.add_option("--keys-per-org", o.spec.keys_per_org, "member keys per organisation")
      ->check(CLI::Range(1, 64));
  app.add_option("--dir", o.dir, "the network directory (built here; removed unless --keep)");
  app.add_flag("--keep", o.keep, "keep the directory");
  app.add_flag("--reuse", o.reuse, "use the directory an earlier run kept; skip the build");
  app.add_flag("!--no-breakdown", o.breakdown, "skip the scan of the store by namespace");
  app.add_option("--binary", o.binary, "the tradeledger binary");
  app.add_option("--requests", o.requests, "requests of each kind")
      ->check(CLI::Range(size_t{1}, tradeledger::bench::kSampledTxIds));
  app.add_option("--restarts", o.restarts, "times the node is started (the last serves the reads)")
      ->check(CLI::Range(1, 20));
  app.add_option("--json", o.json_path, "also write the JSON report here");
  CLI11_PARSE(app, argc, argv);
  return tradeledger::bench::Run(o);
}
