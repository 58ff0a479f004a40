// Samples each watched node's /health, /health/ready and /metrics every `interval` on a thread
// of its own (a node that does not answer costs its timeout here, not in the indexer's main
// loop) and writes node_samples rows through a database connection of its own.
//
// Thread safety: construction and destruction from one thread; the rest is internal.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "api/http/http_client.h"

namespace tradeledger::index {

class NodeSampler {
 public:
  NodeSampler(std::vector<std::string> urls, api::http::ClientTls tls, std::string db,
              std::chrono::milliseconds interval, std::function<void(const std::string&)> log);
  ~NodeSampler();  // stops the thread after the sample in progress
  NodeSampler(const NodeSampler&) = delete;
  NodeSampler& operator=(const NodeSampler&) = delete;

 private:
  void Run();

  std::vector<std::string> urls_;
  api::http::ClientTls tls_;
  std::string db_;
  std::chrono::milliseconds interval_;
  std::function<void(const std::string&)> log_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The value of a sample line of Prometheus text whose name (with labels) is `name`, e.g.
// `tradeledger_proofs_verified_total{result="ok"}`.
std::optional<std::string> MetricValue(const std::string& text, const std::string& name);

}  // namespace tradeledger::index
