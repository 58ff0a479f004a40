#include "node/metrics.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <string>
#include <tuple>

#include "node/process_stats.h"

namespace tradeledger::node {
namespace {

void Line(std::string* out, const std::string& name, const std::string& type,
          const std::string& help, uint64_t value) {
  *out += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  *out += name + " " + std::to_string(value) + "\n";
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

}  // namespace

void Histogram::Observe(double seconds) {
  std::lock_guard lock(mu_);
  for (size_t i = 0; i < kBounds.size(); ++i) {
    if (seconds <= kBounds[i]) ++buckets_[i];
  }
  ++count_;
  sum_ += seconds;
}

void Histogram::Render(const std::string& name, const std::string& help, std::string* out) const {
  std::lock_guard lock(mu_);
  *out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  for (size_t i = 0; i < kBounds.size(); ++i) {
    *out +=
        name + "_bucket{le=\"" + Number(kBounds[i]) + "\"} " + std::to_string(buckets_[i]) + "\n";
  }
  *out += name + "_bucket{le=\"+Inf\"} " + std::to_string(count_) + "\n";
  *out += name + "_sum " + Number(sum_) + "\n";
  *out += name + "_count " + std::to_string(count_) + "\n";
}

namespace {
// Logged at the 1st, 2nd, 4th, 8th, ... occurrence of each reason: a flood of bad input
// leaves a bounded trail, a first occurrence always leaves one.
bool LogThisOne(uint64_t count) { return (count & (count - 1)) == 0; }
}  // namespace

void Metrics::CountRejection(const std::string& reason) {
  uint64_t count = 0;
  {
    std::lock_guard lock(mu_);
    count = ++rejected_[reason];
  }
  if (LogThisOne(count)) spdlog::info("rejected a client request: {} ({} so far)", reason, count);
}

void Metrics::CountPeerRejection(const std::string& reason) {
  uint64_t count = 0;
  {
    std::lock_guard lock(mu_);
    count = ++peer_rejected_["node"][reason];
  }
  if (LogThisOne(count)) spdlog::warn("rejected a peer message: {} ({} so far)", reason, count);
}

void Metrics::SetPeerRejections(const std::string& source, std::map<std::string, uint64_t> totals) {
  std::lock_guard lock(mu_);
  peer_rejected_[source] = std::move(totals);
}

void Metrics::SetWriteVolume(const WriteVolume& volume) {
  std::lock_guard lock(mu_);
  written_ = volume;
}

std::string Metrics::Render() const {
  std::string out;
  Line(&out, "tradeledger_height", "gauge", "Height of the latest committed block.", height);
  if (int64_t days = holiday_calendar_days_left.load(); days != kNoCalendar) {
    out +=
        "# HELP tradeledger_holiday_calendar_days_left Days until the holiday calendar's last "
        "covered day (business-day deadlines after it are refused; warn below 90).\n"
        "# TYPE tradeledger_holiday_calendar_days_left "
        "gauge\ntradeledger_holiday_calendar_days_left " +
        std::to_string(days) + "\n";
  }
  Line(&out, "tradeledger_blocks_committed_total", "counter", "Blocks committed by this node.",
       blocks_committed);
  Line(&out, "tradeledger_transactions_committed_total", "counter",
       "Transactions committed (any result).", transactions_committed);
  Line(&out, "tradeledger_transactions_failed_total", "counter",
       "Committed transactions whose result is a reason code other than OK.", transactions_failed);
  Line(&out, "tradeledger_transactions_received_total", "counter",
       "Transactions admitted to the mempool.", transactions_received);
  Line(&out, "tradeledger_mempool_transactions", "gauge", "Transactions waiting to be committed.",
       mempool_size);
  Line(&out, "tradeledger_mempool_bytes", "gauge", "Bytes of transactions waiting in the mempool.",
       mempool_bytes);
  Line(&out, "tradeledger_http_requests_total", "counter", "HTTP requests served.", http_requests);
  out +=
      "# HELP tradeledger_proofs_verified_total Proof bundles checked by POST /v1/proofs/verify, "
      "by result.\n# TYPE tradeledger_proofs_verified_total counter\n"
      "tradeledger_proofs_verified_total{result=\"ok\"} " +
      std::to_string(proofs_verified.load()) +
      "\ntradeledger_proofs_verified_total{result=\"invalid\"} " +
      std::to_string(proofs_rejected.load()) + "\n";
  Line(&out, "tradeledger_consensus_view", "gauge", "The consensus core's current view.", view);
  Line(&out, "tradeledger_peers_connected", "gauge",
       "Other validators this node has an authenticated connection to.", peers_connected);
  {
    std::lock_guard lock(mu_);
    out +=
        "# HELP tradeledger_requests_rejected_total Requests and transactions rejected, by "
        "reason code.\n# TYPE tradeledger_requests_rejected_total counter\n";
    for (const auto& [reason, n] : rejected_) {
      out += "tradeledger_requests_rejected_total{reason=\"" + reason + "\"} " + std::to_string(n) +
             "\n";
    }
    out +=
        "# HELP tradeledger_peer_messages_rejected_total Messages from other validators "
        "rejected, by component and reason code.\n# TYPE tradeledger_peer_messages_rejected_total "
        "counter\n";
    for (const auto& [source, totals] : peer_rejected_) {
      for (const auto& [reason, n] : totals) {
        out += "tradeledger_peer_messages_rejected_total{source=\"" + source + "\",reason=\"" +
               reason + "\"} " + std::to_string(n) + "\n";
      }
    }
    // One counter family per field of a part, each labelled by part.
    for (auto [name, help, field] :
         {std::tuple{"tradeledger_block_write_bytes_total",
                     "Key and value bytes of the committed blocks' synced batches, by part.",
                     &WriteVolume::Part::bytes},
          std::tuple{"tradeledger_block_write_ops_total",
                     "Puts and deletes in the committed blocks' synced batches, by part.",
                     &WriteVolume::Part::ops}}) {
      const std::string family = name;
      const auto member = field;
      out += "# HELP " + family + " " + help + "\n# TYPE " + family + " counter\n";
      written_.ForEachPart([&](const char* part, const WriteVolume::Part& p) {
        out += family + "{part=\"" + part + "\"} " + std::to_string(p.*member) + "\n";
      });
    }
  }
  // Threads first: the process, read after them, has spent at least as much as they have.
  std::map<std::string, double> threads = ReadThreadCpu();
  const std::optional<ProcessStats> process = ReadProcessStats();
  if (process) {
    char cpu[32];  // to the clock tick (10 ms), however long the node has run
    std::snprintf(cpu, sizeof cpu, "%.2f", process->cpu_seconds);
    out +=
        "# HELP process_cpu_seconds_total User and system CPU time of the node process.\n"
        "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total " +
        std::string(cpu) + "\n";
    Line(&out, "process_resident_memory_bytes", "gauge", "Resident memory of the node process.",
         process->resident_bytes);
    Line(&out, "tradeledger_process_minor_faults_total", "counter",
         "Page faults of the node process served without I/O (first touches of memory).",
         process->minor_faults);
  }
  // By thread role; "other" is the process's time less the named roles', so that it keeps
  // the time of threads that have exited (the named threads live as long as the node), and
  // never less than it was last exported, so that it never goes down.
  if (process) {
    double named = 0;
    for (const auto& [role, seconds] : threads) named += seconds;
    {
      std::lock_guard lock(mu_);
      other_thread_cpu_ = std::max(other_thread_cpu_, process->cpu_seconds - named);
      threads["other"] = other_thread_cpu_;
    }
    out +=
        "# HELP tradeledger_thread_cpu_seconds_total User and system CPU time of the node's "
        "live threads, by role.\n"
        "# TYPE tradeledger_thread_cpu_seconds_total counter\n";
    for (const auto& [role, seconds] : threads) {
      char cpu[32];
      std::snprintf(cpu, sizeof cpu, "%.2f", seconds);
      out += "tradeledger_thread_cpu_seconds_total{role=\"" + role + "\"} " + cpu + "\n";
    }
  }
  block_commit_seconds.Render("tradeledger_block_commit_seconds",
                              "Time to execute and durably write one block.", &out);
  commit_latency_seconds.Render("tradeledger_commit_latency_seconds",
                                "Time from admission to commit of a transaction.", &out);
  return out;
}

}  // namespace tradeledger::node
