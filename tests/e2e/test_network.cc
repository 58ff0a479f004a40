#include "tests/e2e/test_network.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include "api/http/url.h"
#include "api/read_auth.h"
#include "core/bytes.h"
#include "tests/port_claim.h"

namespace tradeledger::e2e {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

// Waits for `pid` until `deadline`; returns its wait status, or nullopt if still running.
std::optional<int> WaitUntil(pid_t pid, Clock::time_point deadline) {
  while (true) {
    int status = 0;
    pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid) return status;
    if (r < 0 && errno != EINTR) return 0;  // not our child any more
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(10ms);
  }
}

// Forks and execs `argv` with stdin /dev/null and stdout/stderr on `out_fd`/`err_fd`.
// Everything the child runs between fork and exec is async-signal-safe.
pid_t Spawn(const std::vector<std::string>& argv, int out_fd, int err_fd) {
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

std::string TradeledgerBinary() {
  const char* dir = std::getenv("TL_BINARY_DIR");
  return std::string(dir ? dir : ".") + "/src/cli/tradeledger";
}

std::string CommandResult::Describe() const {
  std::ostringstream s;
  s << "exit " << exit_code << (timed_out ? " (timed out)" : "") << "\n--- stdout ---\n"
    << out << "--- stderr ---\n"
    << err;
  return s.str();
}

CommandResult RunCommand(const std::vector<std::string>& argv, std::chrono::milliseconds timeout) {
  CommandResult result;
  int out_pipe[2], err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return result;
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return result;
  }
  auto deadline = Clock::now() + timeout;
  pid_t pid = Spawn(argv, out_pipe[1], err_pipe[1]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  if (pid < 0) {
    ::close(out_pipe[0]);
    ::close(err_pipe[0]);
    result.err = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&result.out, &result.err};
  int open_fds = 2;
  while (open_fds > 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      break;
    }
    int n = ::poll(fds, 2, static_cast<int>(std::min<int64_t>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        sinks[i]->append(buf, static_cast<size_t>(got));
      } else if (got == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  for (auto& f : fds) {
    if (f.fd >= 0) ::close(f.fd);
  }
  std::optional<int> status = WaitUntil(pid, result.timed_out ? Clock::now() : deadline);
  if (!status) {
    result.timed_out = true;
    ::kill(pid, SIGKILL);
    status = WaitUntil(pid, Clock::now() + 10s);
  }
  result.exit_code = status ? ExitCodeOf(*status) : -1;
  return result;
}

CommandResult RunTradeledger(const std::vector<std::string>& args,
                             std::chrono::milliseconds timeout) {
  std::vector<std::string> argv = {TradeledgerBinary()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, timeout);
}

namespace {

// True if a listening socket could bind 127.0.0.1:`port` now (0: any); sets `port` to it.
bool CanBind(uint16_t& port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  socklen_t len = sizeof addr;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
  if (ok) port = ntohs(addr.sin_port);
  ::close(fd);
  return ok;
}

}  // namespace

uint16_t FreePort() {
  // Below Linux's ephemeral range (32768-60999), so that no outgoing connection of any
  // process can take the port between this check and the node's bind; claimed, so that no
  // other test process picks it too (tests/port_claim.h).
  static std::mt19937 random(static_cast<uint32_t>(::getpid()) ^
                             static_cast<uint32_t>(Clock::now().time_since_epoch().count()));
  std::uniform_int_distribution<int> in_range(20000, 32000);
  for (int attempt = 0; attempt < 200; ++attempt) {
    auto port = static_cast<uint16_t>(in_range(random));
    if (test_support::ClaimPort(port) && CanBind(port)) return port;
  }
  return 0;  // the tests fail on a 0 port, with the node's bind error
}

TempDir::TempDir() {
  std::string pattern = "/tmp/tl-e2e-XXXXXX";
  if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
}

TempDir::~TempDir() {
  if (path_.empty()) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

bool WriteFile(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

std::string ReadFileOrEmpty(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

bool ProcessAlive(pid_t pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  std::string stat = ReadFileOrEmpty("/proc/" + std::to_string(pid) + "/stat");
  auto close_paren = stat.rfind(')');
  return !(close_paren != std::string::npos && close_paren + 2 < stat.size() &&
           stat[close_paren + 2] == 'Z');
}

TestNetwork::TestNetwork(bool bare) {
  port_ = FreePort();
  if (root_.path().empty() || port_ == 0) {
    init_result_.err = "no temporary directory or free port";
    return;
  }
  std::vector<std::string> args = {"net",   "init",         "--validators", "1",
                                   "--dir", dir().string(), "--base-port",  std::to_string(port_)};
  if (bare) args.push_back("--bare");
  init_result_ = RunTradeledger(args);
}

TestNetwork::~TestNetwork() {
  StopNode(SIGKILL);
  // A node started by `net up` is not our child: stop it by the pid its pid file names, once
  // we have checked that the pid is a node of this network (its command line names our dir).
  auto pid_text = ReadFileOrEmpty(node_dir() / "node.pid");
  pid_t pid = static_cast<pid_t>(std::atol(pid_text.c_str()));
  if (pid > 0 && ProcessAlive(pid)) {
    std::string cmdline = ReadFileOrEmpty("/proc/" + std::to_string(pid) + "/cmdline");
    if (cmdline.find(dir().string()) != std::string::npos) {
      ::kill(pid, SIGKILL);
      for (int i = 0; i < 500 && ProcessAlive(pid); ++i) std::this_thread::sleep_for(10ms);
    }
  }
}

CommandResult TestNetwork::Up(std::chrono::milliseconds timeout) {
  CommandResult r = RunTradeledger({"net", "up", "--dir", dir().string()}, timeout);
  if (r.exit_code != 0) r.err += "--- node.log ---\n" + ReadFileOrEmpty(log_file());
  return r;
}

CommandResult TestNetwork::Down(std::chrono::milliseconds timeout) {
  return RunTradeledger({"net", "down", "--dir", dir().string()}, timeout);
}

CommandResult TestNetwork::Audit(std::chrono::milliseconds timeout) {
  return RunTradeledger({"audit", "--data", data_dir().string()}, timeout);
}

std::optional<pid_t> NodeProcess::Start(const fs::path& config, const fs::path& log_path,
                                        uint16_t http_port, std::chrono::milliseconds timeout) {
  if (pid_) return std::nullopt;
  int log = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return std::nullopt;
  pid_t pid = Spawn({TradeledgerBinary(), "node", "--config", config.string()}, log, log);
  ::close(log);
  if (pid < 0) return std::nullopt;
  pid_ = pid;
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (HealthOf(http_port, 1s)) return pid;
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid) {  // the node exited
      pid_.reset();
      return std::nullopt;
    }
    std::this_thread::sleep_for(50ms);
  }
  Stop(SIGKILL);
  return std::nullopt;
}

int NodeProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  if (!pid_) return -1;
  pid_t pid = *pid_;
  pid_.reset();
  ::kill(pid, signal);
  std::optional<int> status = WaitUntil(pid, Clock::now() + timeout);
  if (!status) {
    ::kill(pid, SIGKILL);
    status = WaitUntil(pid, Clock::now() + 10s);
  }
  return status ? ExitCodeOf(*status) : -1;
}

std::optional<nlohmann::json> HealthOf(uint16_t port, std::chrono::milliseconds timeout) {
  api::http::Client client("127.0.0.1", port);
  auto r = client.Send("GET", "/health", {}, "application/json", timeout);
  if (!r || r->status != 200) return std::nullopt;
  auto body = nlohmann::json::parse(r->body, nullptr, false);
  if (body.is_discarded()) return std::nullopt;
  return body;
}

std::optional<pid_t> TestNetwork::StartNode(std::chrono::milliseconds timeout) {
  return child_.Start(config_file(), log_file(), port_, timeout);
}

int TestNetwork::StopNode(int signal, std::chrono::milliseconds timeout) {
  return child_.Stop(signal, timeout);
}

std::optional<nlohmann::json> TestNetwork::Health(std::chrono::milliseconds timeout) const {
  return HealthOf(port_, timeout);
}

std::optional<nlohmann::json> TestNetwork::SettledHealth(std::chrono::milliseconds quiet,
                                                         std::chrono::milliseconds timeout) const {
  auto deadline = Clock::now() + timeout;
  std::optional<nlohmann::json> last;
  auto since = Clock::now();
  while (Clock::now() < deadline) {
    auto now = Health(2s);
    if (!now) return std::nullopt;
    if (!last || (*now)["height"] != (*last)["height"]) {
      last = now;
      since = Clock::now();
    } else if (Clock::now() - since >= quiet) {
      return last;
    }
    std::this_thread::sleep_for(50ms);
  }
  return std::nullopt;
}

size_t TestNetwork::MaxBodyBytes() const {
  auto j = nlohmann::json::parse(ReadFileOrEmpty(config_file()), nullptr, false);
  if (j.is_discarded() || !j.contains("http") || !j["http"].contains("max_body_bytes")) return 0;
  return j["http"]["max_body_bytes"].get<size_t>();
}

ledger::ChainId TestNetwork::chain_id() const {
  auto j = nlohmann::json::parse(ReadFileOrEmpty(validators_file()), nullptr, false);
  if (j.is_discarded() || !j.contains("chain_id")) return {};
  auto id = ledger::ChainId::FromHex(j["chain_id"].get<std::string>());
  return id ? *id : ledger::ChainId{};
}

ledger::SignedTransaction AnchorTransaction(const ledger::ChainId& chain,
                                            const crypto::KeyPair& key, uint64_t nonce,
                                            const std::string& doc_id) {
  ledger::TxPayload p;
  p.chain_id = chain;
  p.type = "document.anchor";
  p.nonce = nonce;
  p.body = core::ToBytes(nlohmann::json{
      {"docId", doc_id},
      {"docType", "CERT_OF_ORIGIN"},
      {"contentHash", std::string(64, 'c')},
      {"issuer",
       "E2E-EXPORTER"}}.dump());
  return ledger::SignedTransaction::Sign(p, key);
}

SubmitResult SendJson(api::http::Client& client, std::string_view method, std::string_view target,
                      std::string_view body, std::chrono::milliseconds timeout) {
  SubmitResult out;
  auto r = client.Send(method, target, body, "application/json", timeout);
  if (!r) {
    out.error = r.error().ToString();
    return out;
  }
  out.status = r->status;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nlohmann::json{{"raw", r->body}};
  return out;
}

SubmitResult SignedGetJson(api::http::Client& client, const ledger::ChainId& chain,
                           const crypto::KeyPair& key, std::string_view target,
                           std::chrono::milliseconds timeout) {
  SubmitResult out;
  auto parsed = api::http::ParseTarget(target);
  if (!parsed) {
    out.error = parsed.error().ToString();
    return out;
  }
  uint64_t now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  auto signed_headers = api::SignReadHeaders(chain, key, now, "GET", parsed->path, parsed->query);
  api::http::Headers headers(signed_headers.begin(), signed_headers.end());
  auto r = client.Send("GET", target, {}, "application/json", timeout, headers);
  if (!r) {
    out.error = r.error().ToString();
    return out;
  }
  out.status = r->status;
  out.body = nlohmann::json::parse(r->body, nullptr, false);
  if (out.body.is_discarded()) out.body = nlohmann::json{{"raw", r->body}};
  return out;
}

SubmitResult SubmitAndWait(api::http::Client& client, const ledger::SignedTransaction& tx,
                           std::chrono::milliseconds timeout) {
  nlohmann::json body = {{"transaction", core::ToBase64(tx.envelope())}};
  // The server waits a little less than the client, so a slow commit is a 202, not a timeout.
  auto server_wait = std::max<int64_t>(timeout.count() - 2000, 1000);
  return SendJson(client, "POST",
                  "/v1/transactions?wait=commit&timeout_ms=" + std::to_string(server_wait),
                  body.dump(), timeout);
}

}  // namespace tradeledger::e2e
