#include "cli/process.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

namespace tradeledger::cli {

std::string SelfExecutable() {
  char buf[4096];
  ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return "tradeledger";
  buf[n] = '\0';
  return buf;
}

core::Result<pid_t> SpawnDetached(const std::vector<std::string>& argv,
                                  const std::string& log_file) {
  int log = ::open(log_file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return core::Fail("SPAWN_FAILED", log_file + ": " + std::strerror(errno));
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log);
    return core::Fail("SPAWN_FAILED", std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    ::setsid();
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::execv(args[0], args.data());
    std::fprintf(stderr, "exec %s: %s\n", args[0], std::strerror(errno));
    ::_exit(127);
  }
  ::close(log);
  return pid;
}

bool IsRunningTradeledger(pid_t pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(stat, line);
  auto close_paren = line.rfind(')');
  if (close_paren != std::string::npos && close_paren + 2 < line.size() &&
      line[close_paren + 2] == 'Z') {
    return false;  // a zombie has ended
  }
  std::ifstream cmd("/proc/" + std::to_string(pid) + "/cmdline");
  std::string cmdline((std::istreambuf_iterator<char>(cmd)), {});
  // An empty command line is a process between fork and exec: a node we are starting.
  return cmdline.empty() || cmdline.find("tradeledger") != std::string::npos;
}

bool StopProcess(pid_t pid, std::chrono::milliseconds grace) {
  if (!IsRunningTradeledger(pid)) return true;
  ::kill(pid, SIGTERM);
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!IsRunningTradeledger(pid)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ::kill(pid, SIGKILL);
  for (int i = 0; i < 100 && IsRunningTradeledger(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return !IsRunningTradeledger(pid);
}

std::optional<pid_t> ReadPidFile(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  return static_cast<pid_t>(pid);
}

core::Status WritePidFile(const std::string& path, pid_t pid) {
  std::ofstream out(path, std::ios::trunc);
  out << pid << "\n";
  if (!out) return core::Fail("PID_FILE_FAILED", "cannot write " + path);
  return core::Ok();
}

}  // namespace tradeledger::cli
