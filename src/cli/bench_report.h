// The output of `tradeledger bench`: a JSON document with every figure of the run and a short
// human summary, both from the same computed figures.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli/bench_driver.h"
#include "cli/bench_limits.h"
#include "cli/bench_net.h"
#include "cli/bench_stats.h"
#include "cli/bench_workload.h"

namespace tradeledger::cli::bench {

// What the first node wrote per transaction it committed during the load (GET /metrics before
// and after): key and value bytes of its blocks' synced batches, by part and in all.
struct WritesPerTx {
  uint64_t transactions = 0;
  std::map<std::string, double> bytes;  // part -> bytes per transaction
  double total = 0;
};
// The difference of two readings of one node; no transactions if none committed between.
WritesPerTx WritesOver(const NodeWrites& before, const NodeWrites& after);

// What the nodes' processes spent per transaction committed during the load (GET /metrics
// before and after, on every node that serves it): CPU time and minor page faults, summed over
// those nodes. Every validator executes every transaction, so on one machine this is what the
// network pays for one.
struct NodesCpu {
  size_t nodes = 0;  // nodes read both times
  uint64_t transactions = 0;
  double cpu_ms_per_tx = 0;
  double minor_faults_per_tx = 0;
  // The same CPU by thread role (NodeProcess::thread_cpu_seconds), for the roles every node
  // read both times reported; empty if none did.
  std::map<std::string, double> cpu_ms_per_tx_by_role;
};
// `before` and `after` hold one reading per node (nullopt where it failed); no nodes if no
// node was read both times, nothing per transaction if `transactions` is 0.
NodesCpu CpuOver(const std::vector<std::optional<NodeProcess>>& before,
                 const std::vector<std::optional<NodeProcess>>& after, uint64_t transactions);

// Everything a run produced, as the report reads it.
struct BenchRun {
  std::string label;  // free text naming the scenario, e.g. "b: 4 validators, closed loop"
  DriverOptions driver;
  size_t validator_count = 1;
  WorkloadSpec spec;
  size_t groups = 0;
  size_t setup_transactions = 0;
  double presign_s = 0;
  double setup_s = 0;
  MachineLimits limits;
  RunResult run;
  std::optional<WritesPerTx> writes;  // the first node's, over the load; none if unreadable
  std::optional<NodesCpu> cpu;        // none if no node's process figures were readable
};

// The figures derived from a run.
struct Figures {
  size_t attempted = 0;
  size_t committed = 0;       // attempted transactions seen committed
  size_t not_ok = 0;          // checked result codes other than OK
  double tx_per_s = 0;        // committed / (first send .. last commit)
  double bound_tx_per_s = 0;  // all-core verifications/s / validators
  double fraction_of_bound = 0;
  // Submit (open loop: intended send) to commit, ms; a transaction that never committed
  // counts as infinite.
  LatencySummary latency;
  LatencySummary lag;  // open loop: actual send - intended send, ms
  std::map<std::string, LatencySummary> latency_by_kind;
  std::vector<Window> windows;  // split at the hooks' times
  std::vector<size_t> per_second;
  // By the second each transaction started in (open loop: its intended send time).
  std::vector<LatencySummary> latency_by_second;
};

Figures ComputeFigures(const BenchRun& run, std::span<const MeasuredTx> load);
nlohmann::ordered_json ReportJson(const BenchRun& run, const Figures& f);
std::string Summary(const BenchRun& run, const Figures& f);
// The transactions known to be committed, one hex id per line: every setup transaction (setup
// succeeds only if each committed with OK), then each measured one seen committed, in workload
// order. What a soak checks against the validators' chains (scripts/soak.sh).
std::string CommittedIds(const Workload& workload, const RunResult& result);

}  // namespace tradeledger::cli::bench
