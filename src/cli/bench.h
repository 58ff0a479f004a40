// `tradeledger bench`: a load generator that measures committed transactions per second and
// submit-to-commit latency of a running network, beside the machine's own limits measured in
// the same run (doc/performance.md, "End-to-end: load generator").
//
// One run: measure the limits (bench_limits.h), sign the workload (bench_workload.h), commit
// its setup, drive the measured load closed- or open-loop (bench_driver.h), then print a
// summary and write the JSON report (bench_report.h). The network must run on validator
// clocks (the default of `net init`): the workload's dates derive from the system clock.
//
// Exit codes: 0 every measured transaction committed with OK; 3 some did not (the report says
// which codes); 1 invalid options; 2 the network could not be used (unreachable, wrong chain,
// setup refused).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tradeledger::cli {

struct BenchOptions {
  std::vector<std::string> nodes;  // node API URLs; load is spread over all of them
  std::string validators_file;     // the network's validators.json (chain id, validator count)
  std::string customs_key_file;    // empty: <dir of validators_file>/customs/admin.key
  size_t transactions = 0;         // 0: rate x duration (open loop with --duration), else 10,000
  size_t signers = 1024;
  std::string mix = "cert,entry,licence";
  size_t goods_per_cert = 4;
  size_t lines_per_entry = 5;
  size_t concurrency = 0;       // 0: 512 submitters (closed loop), 32 senders (open loop)
  double rate = 0;              // offered tx/s (open loop); 0: closed loop
  double duration_s = 0;        // 0: until every transaction is sent
  double drain_s = 30;          // open loop: how long to wait for commits after the last send
  std::vector<std::string> at;  // hooks "SECONDS:COMMAND", run during the load
  std::string data_dir;         // where fsync/s is measured (the validators' disk)
  size_t validator_count = 0;   // for the bound; 0: the validators file's count
  double limits_s = 1;          // time spent on each machine limit
  size_t check_sample = 300;    // open loop: result codes read back
  std::string out;              // JSON report file; empty: the JSON follows the summary
  std::string committed_out;    // file of the ids seen committed (setup and measured); "": none
  std::string label = "run";
};

// Declares the options of `bench` on `command`, bound to `options`.
void AddBenchOptions(CLI::App* command, BenchOptions& options);
int Bench(const BenchOptions& options);

}  // namespace tradeledger::cli
