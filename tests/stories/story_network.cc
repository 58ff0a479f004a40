#include "story_network.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "tests/port_claim.h"

namespace tradeledger::stories_test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

bool CanBind(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

// A base port below the kernel's ephemeral range such that the `count` HTTP ports from it and
// the `count` transport ports from it + 100 (`net init`'s default) were free a moment ago, each
// claimed for the rest of this process's life so that no other test process picks it
// (tests/port_claim.h). A base whose ports could not all be claimed keeps the claims it got.
uint16_t FreeBasePort(int count) {
  static std::mt19937 random(static_cast<uint32_t>(::getpid()) ^
                             static_cast<uint32_t>(Clock::now().time_since_epoch().count()));
  std::uniform_int_distribution<int> in_range(20000, 32000);
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto base = static_cast<uint16_t>(in_range(random));
    bool free = true;
    for (int i = 0; i < count && free; ++i) {
      const auto http = static_cast<uint16_t>(base + i);
      const auto p2p = static_cast<uint16_t>(base + 100 + i);
      free = test_support::ClaimPort(http) && CanBind(http) &&
             (count == 1 || (test_support::ClaimPort(p2p) && CanBind(p2p)));
    }
    if (free) return base;
  }
  return 0;
}

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string TradeledgerBinary() {
  const char* dir = std::getenv("TL_BINARY_DIR");
  return std::string(dir ? dir : ".") + "/src/cli/tradeledger";
}

CommandResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  CommandResult result;
  char pattern[] = "/tmp/tl-stories-out-XXXXXX";
  int out = ::mkstemp(pattern);
  if (out < 0) return result;
  pid_t pid = ::fork();
  if (pid == 0) {
    int in = ::open("/dev/null", O_RDONLY);
    ::dup2(in, 0);
    ::dup2(out, 1);
    ::dup2(out, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(out);
  auto deadline = Clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t done = pid > 0 ? ::waitpid(pid, &status, WNOHANG) : -1;
    if (done == pid || done < 0) break;
    if (Clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) result.exit_code = 128 + WTERMSIG(status);
  result.output = ReadAll(pattern);
  ::unlink(pattern);
  return result;
}

std::vector<fs::path> StoryNetwork::node_dirs() const {
  std::vector<fs::path> out;
  for (int i = 1; i <= validators_; ++i) out.push_back(dir() / ("node" + std::to_string(i)));
  return out;
}

StoryNetwork::StoryNetwork(const std::string& ledger_clock_start, int validators)
    : validators_(validators) {
  char pattern[] = "/tmp/tl-stories-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    error_ = "no temporary directory";
    return;
  }
  root_ = pattern;
  uint16_t port = FreeBasePort(validators_);
  if (port == 0) {
    error_ = "no free port";
    return;
  }
  const std::string bin = TradeledgerBinary();
  CommandResult init = RunCommand(
      {bin, "net", "init", "--validators", std::to_string(validators_), "--dir", dir().string(),
       "--base-port", std::to_string(port), "--ledger-clock", ledger_clock_start},
      std::chrono::seconds(60));
  if (init.exit_code != 0) {
    error_ = "net init failed: " + init.output;
    return;
  }
  started_ = true;  // from here on, the destructor runs net down
  // `net up` is retried: it can report a node that is starting as "did not start" when it
  // looks at /proc/<pid>/cmdline while the child is still exec'ing (a race in
  // cli::IsRunningTradeledger); a second `net up` adopts the running nodes from their pid files.
  CommandResult up;
  for (int attempt = 0; attempt < 3; ++attempt) {
    up = RunCommand({bin, "net", "up", "--dir", dir().string()}, std::chrono::seconds(90));
    if (up.exit_code == 0) break;
  }
  if (up.exit_code != 0) {
    error_ = "net up failed: " + up.output;
    for (const fs::path& node : node_dirs()) {
      error_ += "\n" + node.filename().string() + " log:\n" + ReadAll(node / "node.log");
    }
    return;
  }
  // One line per node: "nodeI http://127.0.0.1:PORT" (sorted by name, so node10 before node2).
  urls_.assign(static_cast<size_t>(validators_), "");
  std::istringstream lines(up.output);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name, url;
    if (!(words >> name >> url) || !name.starts_with("node") || !url.starts_with("http://")) {
      continue;
    }
    int i = std::atoi(name.c_str() + 4);
    if (i >= 1 && i <= validators_) urls_[static_cast<size_t>(i - 1)] = url;
  }
  for (int i = 1; i <= validators_; ++i) {
    if (urls_[static_cast<size_t>(i - 1)].empty()) {
      error_ = "net up printed no URL for node" + std::to_string(i) + ": " + up.output;
      urls_.assign(1, "");
      return;
    }
  }
}

CommandResult StoryNetwork::Stop() {
  CommandResult down = RunCommand({TradeledgerBinary(), "net", "down", "--dir", dir().string()},
                                  std::chrono::seconds(30 * validators_ + 20));
  if (down.exit_code == 0) started_ = false;
  return down;
}

StoryNetwork::~StoryNetwork() {
  if (started_) {
    CommandResult down = RunCommand({TradeledgerBinary(), "net", "down", "--dir", dir().string()},
                                    std::chrono::seconds(30 * validators_ + 20));
    if (down.exit_code != 0) {
      // Last resort: each node's own pid, never a broad kill.
      for (const fs::path& node : node_dirs()) {
        std::ifstream pid_file(node / "node.pid");
        pid_t pid = 0;
        if (pid_file >> pid && pid > 0) ::kill(pid, SIGKILL);
      }
    }
  }
  if (!root_.empty()) {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
}

}  // namespace tradeledger::stories_test
