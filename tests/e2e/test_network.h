// Helpers for the end-to-end tests: real `tradeledger` processes in throw-away directories.
//
// Everything here is bounded in time (a hung child is killed and reported as a timeout) and
// cleans up after itself in destructors, so a failing test neither hangs CI nor leaves node
// processes or directories behind.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "api/http/http_client.h"
#include "crypto/ed25519.h"
#include "ledger/ids.h"
#include "ledger/transaction.h"

namespace tradeledger::e2e {

using namespace std::chrono_literals;

// The `tradeledger` binary of this build ($TL_BINARY_DIR/src/cli/tradeledger).
std::string TradeledgerBinary();

struct CommandResult {
  int exit_code = -1;  // the exit status, or 128+signal if killed
  bool timed_out = false;
  std::string out;
  std::string err;
  // Both streams, for failure messages.
  std::string Describe() const;
};

// Runs `argv` (argv[0] is a path) with stdin from /dev/null, capturing stdout and stderr.
// Kills it and sets timed_out if it has not finished within `timeout`.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         std::chrono::milliseconds timeout = 60s);
// RunCommand({TradeledgerBinary(), args...}).
CommandResult RunTradeledger(const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout = 60s);

// A TCP port on 127.0.0.1 that was free a moment ago (bound, then released); 0 if none was
// found. It is chosen below the kernel's ephemeral range, so no outgoing connection can take
// it meanwhile, and claimed for the rest of this process's life (tests/port_claim.h), so no
// other test process picks it too.
uint16_t FreePort();

// A fresh directory /tmp/tl-e2e-XXXXXX, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Writes `text` to `path` (truncating); true on success.
bool WriteFile(const std::filesystem::path& path, const std::string& text);
std::string ReadFileOrEmpty(const std::filesystem::path& path);

// `tradeledger node --config FILE` as a child of the test, its output appended to a log file.
// The destructor kills it (SIGKILL) if it still runs.
class NodeProcess {
 public:
  NodeProcess() = default;
  ~NodeProcess() { Stop(SIGKILL); }
  NodeProcess(const NodeProcess&) = delete;
  NodeProcess& operator=(const NodeProcess&) = delete;

  // Starts the node and waits until GET /health on `http_port` answers 200. Returns the pid,
  // or nullopt (the child is killed) if it exits or is not healthy within `timeout`.
  std::optional<pid_t> Start(const std::filesystem::path& config, const std::filesystem::path& log,
                             uint16_t http_port, std::chrono::milliseconds timeout = 60s);
  // Sends `signal` and reaps the child (SIGKILL after `timeout`). Returns its exit code
  // (128+signal if killed), or -1 if there is no child.
  int Stop(int signal, std::chrono::milliseconds timeout = 30s);
  std::optional<pid_t> pid() const { return pid_; }

 private:
  std::optional<pid_t> pid_;
};

// GET /health on 127.0.0.1:`port` within `timeout`: the JSON body of a 200, or nullopt.
std::optional<nlohmann::json> HealthOf(uint16_t port, std::chrono::milliseconds timeout = 5s);

// A one-validator network made by `tradeledger net init` in its own temporary directory, on a
// free port. The node runs either through `net up` / `net down`, or as a direct child of the
// test (StartNode) when the test needs its pid. The destructor kills any node still running
// and removes the directory.
class TestNetwork {
 public:
  // Runs `net init`; check init_result() / ok(). A bare network (`net init --bare`) names no
  // customs authority or participants, so any key may anchor documents.
  explicit TestNetwork(bool bare = true);
  ~TestNetwork();
  TestNetwork(const TestNetwork&) = delete;
  TestNetwork& operator=(const TestNetwork&) = delete;

  bool ok() const { return init_result_.exit_code == 0; }
  const CommandResult& init_result() const { return init_result_; }

  // DIR/net: the network directory (DIR/net does not exist before net init).
  std::filesystem::path dir() const { return root_.path() / "net"; }
  std::filesystem::path node_dir() const { return dir() / "node1"; }
  std::filesystem::path data_dir() const { return node_dir() / "data"; }
  std::filesystem::path config_file() const { return node_dir() / "config.json"; }
  std::filesystem::path validators_file() const { return dir() / "validators.json"; }
  std::filesystem::path log_file() const { return node_dir() / "node.log"; }
  // A scratch directory beside the network for the test's own files.
  std::filesystem::path scratch() const { return root_.path(); }
  uint16_t port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  CommandResult Up(std::chrono::milliseconds timeout = 90s);
  CommandResult Down(std::chrono::milliseconds timeout = 60s);
  CommandResult Audit(std::chrono::milliseconds timeout = 120s);

  // Starts `tradeledger node --config` as a child of this process (output appended to
  // node.log) and waits until /health answers 200. Returns the pid, or nullopt (the child is
  // killed) if the node is not healthy within `timeout`.
  std::optional<pid_t> StartNode(std::chrono::milliseconds timeout = 60s);
  // Sends `signal` to the child started by StartNode and reaps it (SIGKILL after `timeout`).
  // Returns its exit code (128+signal if killed), or -1 if there is no child.
  int StopNode(int signal, std::chrono::milliseconds timeout = 30s);
  std::optional<pid_t> child_pid() const { return child_.pid(); }

  // GET /health within `timeout`; 200 with a JSON body. Returns the body or nullopt.
  std::optional<nlohmann::json> Health(std::chrono::milliseconds timeout = 5s) const;
  // /health once the height has not moved for `quiet` (the node follows a block that changed
  // the state with an empty block certifying that state); nullopt if not settled in `timeout`.
  std::optional<nlohmann::json> SettledHealth(std::chrono::milliseconds quiet = 600ms,
                                              std::chrono::milliseconds timeout = 20s) const;
  // http.max_body_bytes from the node's config.json (0 if absent).
  size_t MaxBodyBytes() const;
  // The chain id named by validators.json.
  ledger::ChainId chain_id() const;

 private:
  TempDir root_;
  uint16_t port_ = 0;
  CommandResult init_result_;
  NodeProcess child_;
};

// True if a process with this pid exists and is not a zombie.
bool ProcessAlive(pid_t pid);

// A document.anchor transaction for document `doc_id`.
ledger::SignedTransaction AnchorTransaction(const ledger::ChainId& chain,
                                            const crypto::KeyPair& key, uint64_t nonce,
                                            const std::string& doc_id);

struct SubmitResult {
  int status = 0;  // HTTP status, 0 if the call failed (connection refused, timeout...)
  nlohmann::json body;
  std::string error;  // transport error, if status is 0
};
// POST /v1/transactions?wait=commit with {"transaction": base64(envelope)}.
SubmitResult SubmitAndWait(api::http::Client& client, const ledger::SignedTransaction& tx,
                           std::chrono::milliseconds timeout = 30s);
// A JSON request; status 0 if the call failed.
SubmitResult SendJson(api::http::Client& client, std::string_view method, std::string_view target,
                      std::string_view body = {}, std::chrono::milliseconds timeout = 10s);
// A GET of `target` (path and optional query) signed by `key` (api/read_auth.h).
SubmitResult SignedGetJson(api::http::Client& client, const ledger::ChainId& chain,
                           const crypto::KeyPair& key, std::string_view target,
                           std::chrono::milliseconds timeout = 10s);

}  // namespace tradeledger::e2e
