// The arithmetic of `tradeledger bench` (cli/bench.h): latency percentiles, the open-loop
// schedule and throughput over time windows. Pure functions of their arguments, so the unit
// test (bench_test.cc) checks them exactly.
//
// Times are nanoseconds from the start of the measured run; -1 means "did not happen"
// (never sent, never seen committed).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tradeledger::cli::bench {

// Percentiles of a set of latencies, in milliseconds. A transaction that never committed
// counts as an infinite latency, so a percentile that falls among them is +infinity rather
// than the latency of a survivor. All zero when there are no values.
struct LatencySummary {
  size_t count = 0;          // finite values (committed transactions)
  size_t not_committed = 0;  // infinite values
  double p50 = 0;
  double p95 = 0;
  double p99 = 0;
  double max = 0;
  double mean = 0;  // of the finite values
};

// The nearest-rank percentile of ascending `sorted`: the smallest value such that at least
// p % of the values are at or below it (p in (0, 100]); 0 for an empty span. No interpolation:
// every reported figure is a latency that some transaction actually had.
double Percentile(std::span<const double> sorted, double p);

// Sorts `values` (+infinity for a transaction that never committed) and summarises them.
LatencySummary Summarize(std::vector<double> values);

// The intended send time of the i-th transaction of an open loop offering `rate` transactions
// per second: i / rate seconds after the start. A function of the index alone, never of when
// earlier requests were answered, so a slow server cannot slow the offered load down
// (no coordinated omission): latency is measured from this time, not from the actual send.
int64_t IntendedSendNs(size_t index, double rate);

// How many transactions an open loop at `rate` schedules in [0, duration_ns).
size_t ScheduledCount(double rate, int64_t duration_ns);

// Committed transactions in [from_s, to_s) of the run.
struct Window {
  double from_s = 0;
  double to_s = 0;
  size_t committed = 0;
  double tx_per_s = 0;
};

// One window between each pair of consecutive `boundaries_s` (ascending), counting the
// commit times (ns, -1 = not committed) that fall in it.
std::vector<Window> Windows(std::span<const int64_t> commit_ns,
                            std::span<const double> boundaries_s);

// Commits in each whole second of the run, [0, 1), [1, 2), ... up to the last commit.
std::vector<size_t> CommitsPerSecond(std::span<const int64_t> commit_ns);

// The latencies of the transactions that started in each whole second of the run, [0, 1),
// [1, 2), ... up to the last start: where in a run the slow ones were. `start_ns[i]` is
// transaction i's start (-1: never sent, skipped) and `latency_ms[i]` its latency (+infinity:
// never committed). The spans have the same size.
std::vector<LatencySummary> LatencyBySecond(std::span<const int64_t> start_ns,
                                            std::span<const double> latency_ms);

}  // namespace tradeledger::cli::bench
