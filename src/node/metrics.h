// Node metrics in the Prometheus text exposition format (GET /metrics).
//
// Counters and gauges are atomics; labelled counters (rejections by reason) and histograms
// take a mutex. Names follow Prometheus conventions: tradeledger_<what>_<unit>[_total]. Render
// also reads the process's CPU time, resident memory and minor faults (node/process_stats.h)
// and exports the first two under Prometheus's standard process_* names, and the CPU time by
// thread role (tradeledger_thread_cpu_seconds_total{role}).
//
// Thread safety: all methods are safe from any thread.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "node/write_volume.h"

namespace tradeledger::node {

// A cumulative histogram with fixed bucket bounds (seconds).
class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                     0.1,   0.25,   0.5,   1.0,  2.5,   5.0};
  void Observe(double seconds);
  void Render(const std::string& name, const std::string& help, std::string* out) const;

 private:
  mutable std::mutex mu_;
  std::array<uint64_t, kBounds.size()> buckets_{};
  uint64_t count_ = 0;
  double sum_ = 0;
};

class Metrics {
 public:
  std::atomic<uint64_t> height{0};
  std::atomic<uint64_t> blocks_committed{0};
  std::atomic<uint64_t> transactions_committed{0};
  std::atomic<uint64_t> transactions_failed{0};  // committed with a reason code other than OK
  std::atomic<uint64_t> transactions_received{0};
  std::atomic<uint64_t> mempool_size{0};
  std::atomic<uint64_t> http_requests{0};
  std::atomic<uint64_t> view{0};             // the consensus core's current view
  std::atomic<uint64_t> peers_connected{0};  // validators with an authenticated link
  std::atomic<uint64_t> mempool_bytes{0};
  // POST /v1/proofs/verify answers: valid proofs, and bundles found invalid.
  std::atomic<uint64_t> proofs_verified{0};
  std::atomic<uint64_t> proofs_rejected{0};
  // Days from the ledger's date at the tip to the last day the holiday calendar covers
  // (trade/holiday_calendar.h); negative once past it; kNoCalendar (not rendered) without one.
  static constexpr int64_t kNoCalendar = INT64_MIN;
  std::atomic<int64_t> holiday_calendar_days_left{kNoCalendar};
  Histogram block_commit_seconds;    // execution + durable write of one block
  Histogram commit_latency_seconds;  // admission to commit, per transaction

  void CountRejection(const std::string& reason);
  // Peer messages rejected by the node or its consensus core, by reason code.
  void CountPeerRejection(const std::string& reason);
  // Replaces the counters owned by another component (the consensus core, the transport),
  // which keeps its own running totals: `source` is a label ("consensus", "transport").
  void SetPeerRejections(const std::string& source, std::map<std::string, uint64_t> totals);
  // Replaces the write volume, which the chain keeps as running totals (Chain::written).
  void SetWriteVolume(const WriteVolume& volume);
  std::string Render() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, uint64_t> rejected_;                              // by reason code
  std::map<std::string, std::map<std::string, uint64_t>> peer_rejected_;  // source -> reason
  WriteVolume written_;                                                   // guarded by mu_
  // The "other" thread role's last exported time (guarded by mu_): a tick a named thread
  // gets between the threads' read and the process's is first counted as "other" and then
  // moves to its role, so the difference alone could go down.
  mutable double other_thread_cpu_ = 0;
};

}  // namespace tradeledger::node
