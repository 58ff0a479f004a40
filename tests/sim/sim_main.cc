// The `sim` command: runs the deterministic simulator for one seed or a range of seeds.
//
//   sim --seed 17                      one seed, default faults, n = 4
//   sim --seed 1 --seeds 5000 --n 7 --byzantine 2      the long sweep (doc/simulation.md)
//   sim --perf --n 16 --calm-ms 30000  fault-free figures for doc/performance-consensus.md
//
// Exit status 0 if every seed passed; 1 on the first failure, after printing the violation
// and the command that replays it.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "simulation.h"

namespace {

void Usage() {
  std::cerr << "usage: sim [--seed S] [--seeds N] [--n N] [--byzantine B] [--steps K]\n"
               "           [--fault-ms MS] [--calm-ms MS] [--loss P] [--duplicate P]\n"
               "           [--skew-ms MS] [--timeout-ms MS] [--liveness-ms MS]\n"
               "           [--client-ms MS] [--idle-heartbeat-ms MS] [--pacing-ms MS]\n"
               "           [--validator-changes K] [--crash-at-write R:W:applied|lost]\n"
               "           [--no-partitions] [--no-crashes] [--perf] [--verbose]\n";
}

}  // namespace

int main(int argc, char** argv) {
  using tradeledger::sim::SimOptions;
  SimOptions o;
  uint64_t seeds = 1;
  bool perf = false;
  setenv("TL_SIM_BINARY", argv[0], 1);  // so failures print a replay command for this binary
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        Usage();
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--seed")
      o.seed = std::stoull(value());
    else if (a == "--seeds")
      seeds = std::stoull(value());
    else if (a == "--n")
      o.n = static_cast<uint32_t>(std::stoul(value()));
    else if (a == "--byzantine")
      o.byzantine = static_cast<uint32_t>(std::stoul(value()));
    else if (a == "--steps")
      o.max_steps = std::stoull(value());
    else if (a == "--fault-ms")
      o.fault_ms = std::stoull(value());
    else if (a == "--calm-ms")
      o.calm_ms = std::stoull(value());
    else if (a == "--loss")
      o.loss = std::stod(value());
    else if (a == "--duplicate")
      o.duplicate = std::stod(value());
    else if (a == "--skew-ms")
      o.max_skew_ms = std::stoull(value());
    else if (a == "--timeout-ms")
      o.base_timeout_ms = std::stoull(value());
    else if (a == "--liveness-ms")
      o.liveness_bound_ms = std::stoull(value());
    else if (a == "--client-ms")
      o.client_interval_ms = std::stoull(value());
    else if (a == "--idle-heartbeat-ms")
      o.idle_heartbeat_ms = std::stoull(value());
    else if (a == "--pacing-ms")
      o.min_block_interval_ms = std::stoull(value());
    else if (a == "--no-partitions")
      o.partitions = false;
    else if (a == "--no-crashes")
      o.crashes = false;
    else if (a == "--validator-changes")
      o.validator_changes = static_cast<uint32_t>(std::stoul(value()));
    else if (a == "--crash-at-write") {
      // REPLICA:WRITE:applied|lost
      std::string v = value();
      auto c1 = v.find(':');
      auto c2 = v.find(':', c1 == std::string::npos ? c1 : c1 + 1);
      if (c1 == std::string::npos || c2 == std::string::npos) {
        Usage();
        return 2;
      }
      o.crash_replica = static_cast<uint32_t>(std::stoul(v.substr(0, c1)));
      o.crash_at_write = std::stoull(v.substr(c1 + 1, c2 - c1 - 1));
      o.crash_write_applied = v.substr(c2 + 1) == "applied";
    } else if (a == "--perf")
      perf = true;
    else if (a == "--verbose")
      o.verbose = true;
    else {
      Usage();
      return 2;
    }
  }
  if (o.n < 1 || o.byzantine > (o.n - 1) / 3) {
    std::cerr << "need n >= 1 and byzantine <= (n-1)/3\n";
    return 2;
  }
  if (o.crash_at_write > 0 && o.crash_replica >= o.n) {
    std::cerr << "--crash-at-write names replica " << o.crash_replica << " of " << o.n << "\n";
    return 2;
  }
  if (perf) {
    // Fault-free steady state: no loss, partitions, crashes, skew or Byzantine replicas.
    o.fault_ms = 0;
    o.loss = o.duplicate = 0;
    o.partitions = o.crashes = false;
    o.max_skew_ms = 0;
    o.byzantine = 0;
    o.liveness_bound_ms = 0;
    auto r = tradeledger::sim::RunSimulation(o);
    const auto& s = r.stats;
    double mean_delay = static_cast<double>(o.min_delay_ms + o.max_delay_ms) / 2;
    double blocks = static_cast<double>(s.max_height ? s.max_height : 1);
    std::printf(
        "n=%u blocks=%llu msgs/block=%.1f bytes/block=%.0f decide_latency=%.2f delays "
        "commit_latency=%.2f delays (mean delay %.0f ms, sim %llu ms, txs %llu)%s\n",
        o.n, static_cast<unsigned long long>(s.max_height),
        static_cast<double>(s.messages) / blocks, static_cast<double>(s.bytes) / blocks,
        s.mean_decide_latency_ms / mean_delay, s.mean_commit_latency_ms / mean_delay, mean_delay,
        static_cast<unsigned long long>(s.sim_time_ms),
        static_cast<unsigned long long>(s.transactions_committed), r.ok ? "" : " FAILED");
    if (!r.ok) std::printf("%s\n", tradeledger::sim::Summary(o, r).c_str());
    return r.ok ? 0 : 1;
  }
  uint64_t first = o.seed;
  uint64_t worst_recovery = 0, worst_seed = 0, total_blocks = 0;
  for (uint64_t s = first; s < first + seeds; ++s) {
    o.seed = s;
    auto r = tradeledger::sim::RunSimulation(o);
    total_blocks += r.stats.max_height;
    if (r.stats.recovery_ms > worst_recovery) {
      worst_recovery = r.stats.recovery_ms;
      worst_seed = s;
    }
    if (o.verbose || !r.ok || seeds <= 20) {
      std::printf("%s\n", tradeledger::sim::Summary(o, r).c_str());
      if (o.verbose) {
        for (const auto& [code, count] : r.stats.rejections) {
          std::printf("  rejected %s: %llu\n", code.c_str(),
                      static_cast<unsigned long long>(count));
        }
      }
    }
    if (!r.ok) return 1;
  }
  std::printf(
      "all %llu seeds passed; %llu blocks; slowest recovery after heal %llu ms (seed %llu)\n",
      static_cast<unsigned long long>(seeds), static_cast<unsigned long long>(total_blocks),
      static_cast<unsigned long long>(worst_recovery), static_cast<unsigned long long>(worst_seed));
  return 0;
}
