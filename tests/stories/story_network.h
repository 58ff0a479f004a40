// A throw-away ledger-clock network for the story tests: `tradeledger net init --ledger-clock
// --validators N` in a fresh /tmp directory on free ports, then `net up`. The destructor runs
// `net down` (killing each node by its pid file if that fails) and removes the directory, so a
// failing test leaves no process or directory behind. Every command is bounded in time.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace tradeledger::stories_test {

struct CommandResult {
  int exit_code = -1;  // exit status, or 128+signal
  bool timed_out = false;
  std::string output;  // stdout and stderr, interleaved
};

// Runs `argv` with stdin from /dev/null; kills it after `timeout`.
CommandResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout);

// $TL_BINARY_DIR/src/cli/tradeledger.
std::string TradeledgerBinary();

class StoryNetwork {
 public:
  // Creates and starts a network of `validators` (1, or 4 and more: `net init`'s rule);
  // check ok() / error().
  explicit StoryNetwork(const std::string& ledger_clock_start, int validators = 1);
  ~StoryNetwork();
  StoryNetwork(const StoryNetwork&) = delete;
  StoryNetwork& operator=(const StoryNetwork&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // node1's URL; urls() has every validator's, in node order (node1 first).
  const std::string& url() const { return urls_.front(); }
  const std::vector<std::string>& urls() const { return urls_; }
  int validators() const { return validators_; }
  std::filesystem::path dir() const { return root_ / "net"; }
  // DIR/nodeI for I = 1..validators(): config, key, log and data/ of each validator.
  std::vector<std::filesystem::path> node_dirs() const;
  std::string validators_file() const { return (dir() / "validators.json").string(); }
  std::string customs_key_file() const { return (dir() / "customs" / "admin.key").string(); }

  // Runs `net down` now and keeps the directory until destruction, so a test can look at
  // the stopped validators' files. The destructor then only removes the directory.
  CommandResult Stop();

 private:
  std::filesystem::path root_;
  int validators_ = 1;
  std::vector<std::string> urls_ = {""};
  std::string error_;
  bool started_ = false;
};

}  // namespace tradeledger::stories_test
