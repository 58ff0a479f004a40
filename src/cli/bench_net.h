// Internals of the bench driver (bench_driver.h): connections to the nodes, the event-stream
// listeners that time commits, and the hook runner.
//
// Thread safety: a Connections object belongs to one thread. CommitListener and HookRunner
// own their threads; their methods are called from the thread that made them.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/http/http_client.h"
#include "cli/bench_driver.h"
#include "core/result.h"
#include "ledger/ids.h"

namespace tradeledger::cli::bench {

using Clock = std::chrono::steady_clock;

struct NodeTarget {
  std::string url;
  api::http::ParsedUrl parsed;
  api::http::ClientTls tls;
  std::shared_ptr<const ReadIdentity> reader;  // null: unsigned reads
};

// The read-signature headers for GET `path` (no query) as `target`'s reader; none without one.
api::http::Headers ReadHeaders(const NodeTarget& target, const std::string& path);
// INVALID_URL if any does not parse.
core::Result<std::vector<NodeTarget>> ParseTargets(const std::vector<std::string>& urls);

// One keep-alive connection per node, made on first use.
class Connections {
 public:
  explicit Connections(const std::vector<NodeTarget>& targets) : targets_(targets) {
    clients_.resize(targets.size());
  }
  // POSTs `envelope` (application/octet-stream) to node `i`, with wait=commit if `wait` > 0.
  core::Result<api::http::Response> Post(size_t i, const core::Bytes& envelope,
                                         std::chrono::milliseconds wait);
  core::Result<api::http::Response> Get(size_t i, const std::string& path);
  size_t size() const { return targets_.size(); }

 private:
  api::http::Client& At(size_t i);
  const std::vector<NodeTarget>& targets_;
  std::vector<std::unique_ptr<api::http::Client>> clients_;
};

// What a node had written when asked (GET /metrics): its committed transactions and the
// bytes of its blocks' synced batches, by part (node/write_volume.h).
struct NodeWrites {
  uint64_t transactions = 0;
  std::map<std::string, uint64_t> bytes;  // part -> bytes
};
// What a node's process had spent when asked: its CPU time and minor page faults
// (node/process_stats.h).
struct NodeProcess {
  double cpu_seconds = 0;
  uint64_t minor_faults = 0;
  // CPU seconds of the node's live threads by role (tradeledger_thread_cpu_seconds_total);
  // empty from a node that does not export them.
  std::map<std::string, double> thread_cpu_seconds = {};
};
// Node `i`'s Prometheus text (GET /metrics); METRICS_UNAVAILABLE if it does not serve it on
// its API (a node configured with a separate metrics port).
core::Result<std::string> ReadMetrics(Connections& connections, size_t i);
// The figures from that text; METRICS_UNAVAILABLE if they are missing or malformed.
core::Result<NodeWrites> ParseNodeWrites(std::string_view metrics);
core::Result<NodeProcess> ParseNodeProcess(std::string_view metrics);

// The result code of a 200 answer about a committed transaction, else "HTTP <status> <CODE>".
std::string CodeOf(const api::http::Response& r);

// Listens to every node's event stream (one thread each, reconnecting while it runs) and
// records, for each transaction of `ids`, the first time a block naming it was announced.
class CommitListener {
 public:
  // `commit_ns` has one slot per id, each -1; slots are set once, by whichever stream is first.
  CommitListener(const std::vector<NodeTarget>& targets,
                 const std::unordered_map<ledger::TxId, uint32_t>& ids,
                 std::vector<std::atomic<int64_t>>& commit_ns, Clock::time_point start);
  ~CommitListener();
  CommitListener(const CommitListener&) = delete;
  CommitListener& operator=(const CommitListener&) = delete;

  // Waits until every stream is open or `timeout` passes; returns, per node, whether it is.
  std::vector<size_t> WaitConnected(std::chrono::milliseconds timeout);
  // Blocks announced per node since construction.
  std::vector<size_t> blocks() const;
  void Stop();

 private:
  void Listen(size_t node);

  const std::vector<NodeTarget>& targets_;
  const std::unordered_map<ledger::TxId, uint32_t>& ids_;
  std::vector<std::atomic<int64_t>>& commit_ns_;
  const Clock::time_point start_;
  std::atomic<bool> stop_{false};
  std::vector<std::atomic<size_t>> connected_;
  std::vector<std::atomic<size_t>> blocks_;
  std::vector<std::thread> threads_;
};

// Runs each hook's command at its time from `start` on one thread, in time order.
class HookRunner {
 public:
  HookRunner(std::vector<Hook> hooks, Clock::time_point start);
  ~HookRunner();
  HookRunner(const HookRunner&) = delete;
  HookRunner& operator=(const HookRunner&) = delete;
  // Stops waiting (a command already running is finished) and reports every hook.
  std::vector<HookRun> Finish();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::vector<HookRun> runs_;
  Clock::time_point start_;
  std::thread thread_;
};

}  // namespace tradeledger::cli::bench
