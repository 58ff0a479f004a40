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

// A port below the kernel's ephemeral range that was free a moment ago.
uint16_t FreePort() {
  static std::mt19937 random(static_cast<uint32_t>(::getpid()) ^
                             static_cast<uint32_t>(Clock::now().time_since_epoch().count()));
  std::uniform_int_distribution<int> in_range(20000, 32000);
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto port = static_cast<uint16_t>(in_range(random));
    if (CanBind(port)) return port;
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

StoryNetwork::StoryNetwork(const std::string& ledger_clock_start) {
  char pattern[] = "/tmp/tl-stories-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    error_ = "no temporary directory";
    return;
  }
  root_ = pattern;
  uint16_t port = FreePort();
  if (port == 0) {
    error_ = "no free port";
    return;
  }
  const std::string bin = TradeledgerBinary();
  CommandResult init =
      RunCommand({bin, "net", "init", "--validators", "1", "--dir", dir().string(), "--base-port",
                  std::to_string(port), "--ledger-clock", ledger_clock_start},
                 std::chrono::seconds(60));
  if (init.exit_code != 0) {
    error_ = "net init failed: " + init.output;
    return;
  }
  started_ = true;  // from here on, the destructor runs net down
  // `net up` is retried: it can report a node that is starting as "did not start" when it
  // looks at /proc/<pid>/cmdline while the child is still exec'ing (a race in
  // cli::IsRunningTradeledger); a second `net up` adopts the running node from its pid file.
  CommandResult up;
  for (int attempt = 0; attempt < 3; ++attempt) {
    up = RunCommand({bin, "net", "up", "--dir", dir().string()}, std::chrono::seconds(90));
    if (up.exit_code == 0) break;
  }
  if (up.exit_code != 0) {
    error_ =
        "net up failed: " + up.output + "\nnode log:\n" + ReadAll(dir() / "node1" / "node.log");
    return;
  }
  // "node1 http://127.0.0.1:PORT"
  auto at = up.output.find("http://");
  if (at == std::string::npos) {
    error_ = "net up printed no URL: " + up.output;
    return;
  }
  url_ = up.output.substr(at, up.output.find_first_of(" \n", at) - at);
}

CommandResult StoryNetwork::Stop() {
  CommandResult down = RunCommand({TradeledgerBinary(), "net", "down", "--dir", dir().string()},
                                  std::chrono::seconds(40));
  if (down.exit_code == 0) started_ = false;
  return down;
}

StoryNetwork::~StoryNetwork() {
  if (started_) {
    CommandResult down = RunCommand({TradeledgerBinary(), "net", "down", "--dir", dir().string()},
                                    std::chrono::seconds(40));
    if (down.exit_code != 0) {
      // Last resort: the node's own pid, never a broad kill.
      std::ifstream pid_file(dir() / "node1" / "node.pid");
      pid_t pid = 0;
      if (pid_file >> pid && pid > 0) ::kill(pid, SIGKILL);
    }
  }
  if (!root_.empty()) {
    std::error_code ec;
    fs::remove_all(root_, ec);
  }
}

}  // namespace tradeledger::stories_test
