// A network of n validators made by `tradeledger net init --validators n`, each validator a
// `tradeledger node` child of the test (so that a test can SIGKILL any one of them), on ports
// chosen free at construction. Everything is bounded in time; the destructor kills every node
// and removes the directory.
#pragma once

#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/e2e/test_network.h"

namespace tradeledger::e2e {

class BftNetwork {
 public:
  // Runs `net init --validators n` (with --bare unless `bare` is false: then the network has a
  // customs authority whose admin key is customs_key()) and rewrites each node's ports to free
  // ones; check ok() / init_result(). With `config_overrides`, each node's config.json is
  // merged with it (e.g. {"consensus": {"base_timeout_ms": 500}}).
  explicit BftNetwork(int n, const nlohmann::json& config_overrides = nlohmann::json::object(),
                      bool bare = true);
  ~BftNetwork();
  BftNetwork(const BftNetwork&) = delete;
  BftNetwork& operator=(const BftNetwork&) = delete;

  bool ok() const { return ok_; }
  const CommandResult& init_result() const { return init_result_; }
  int size() const { return static_cast<int>(nodes_.size()); }

  std::filesystem::path dir() const { return root_.path() / "net"; }
  // Validator i (0-based) lives in DIR/node<i+1>.
  std::filesystem::path node_dir(int i) const;
  std::filesystem::path data_dir(int i) const { return node_dir(i) / "data"; }
  std::filesystem::path log_file(int i) const { return node_dir(i) / "node.log"; }
  std::filesystem::path customs_key() const { return dir() / "customs" / "admin.key"; }
  uint16_t http_port(int i) const { return nodes_[i].http_port; }
  uint16_t p2p_port(int i) const { return nodes_[i].p2p_port; }
  ledger::ChainId chain_id() const;

  // Starts validator i and waits for its /health (its HTTP listener, not consensus progress).
  bool Start(int i, std::chrono::milliseconds timeout = 60s);
  bool StartAll();
  // Stops validator i with `signal` (SIGKILL by default); returns its exit code.
  int Stop(int i, int signal = SIGKILL);
  bool running(int i) const { return nodes_[i].process->pid().has_value(); }

  std::optional<nlohmann::json> Health(int i, std::chrono::milliseconds timeout = 2s) const;
  uint64_t Height(int i) const;
  // Waits until each validator in `which` reports a height of at least `height`.
  bool WaitForHeight(const std::vector<int>& which, uint64_t height,
                     std::chrono::milliseconds timeout);
  // The header hash of validator i's block at `height` (GET /v1/blocks/h), or nullopt.
  std::optional<std::string> BlockHash(int i, uint64_t height) const;
  // `tradeledger audit --data` on validator i's data directory (the node must be stopped).
  CommandResult Audit(int i) const;
  // The last `bytes` of validator i's log, for failure messages.
  std::string LogTail(int i, size_t bytes = 4000) const;

 private:
  struct Member {
    uint16_t http_port = 0;
    uint16_t p2p_port = 0;
    std::unique_ptr<NodeProcess> process;
  };
  TempDir root_;
  CommandResult init_result_;
  bool ok_ = false;
  std::vector<Member> nodes_;
};

// The validators in 0..n-1 other than those listed.
std::vector<int> AllBut(int n, const std::vector<int>& excluded);

}  // namespace tradeledger::e2e
