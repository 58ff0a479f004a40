#include "bench/growth_bench_node.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "api/http/http_client.h"
#include "node/config.h"
#include "storage/rocksdb_store.h"

namespace tradeledger::bench {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;

bool Serving(uint16_t port) {
  api::http::Client client("127.0.0.1", port);
  auto r = client.Send("GET", "/health", {}, "application/json", std::chrono::milliseconds(500));
  return r && r->status == 200;
}

// True once `pid` has exited (and is reaped).
bool Reaped(pid_t pid) {
  int status = 0;
  return ::waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

core::Result<uint16_t> FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return core::Fail("GROWTH_IO", std::string("socket: ") + std::strerror(errno));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    return core::Fail("GROWTH_IO", std::string("bind: ") + std::strerror(errno));
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

core::Status WriteNodeConfig(const GrowthPaths& paths, uint16_t http_port) {
  node::NodeConfig config;
  config.data_dir = "data";
  config.key_file = "validator.key";
  config.genesis_file = "../genesis.json";
  config.genesis_signoffs_file = "../genesis-signoffs.json";
  config.http_port = http_port;
  std::ofstream out(paths.config(), std::ios::trunc);
  out << config.Render();
  if (!out) return core::Fail("GROWTH_IO", "cannot write " + paths.config().string());
  return core::Ok();
}

core::Result<StartedNode> StartNode(const std::string& binary, const GrowthPaths& paths,
                                    uint16_t http_port, std::chrono::seconds timeout) {
  std::string config = paths.config().string();
  std::vector<char*> argv = {const_cast<char*>(binary.c_str()), const_cast<char*>("node"),
                             const_cast<char*>("--config"), config.data(), nullptr};
  int log = ::open(paths.log().c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log < 0) return core::Fail("GROWTH_IO", paths.log().string() + ": " + std::strerror(errno));
  auto started = Steady::now();
  pid_t pid = ::fork();
  if (pid < 0) {
    ::close(log);
    return core::Fail("GROWTH_NODE_FAILED", std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
    ::dup2(log, STDOUT_FILENO);
    ::dup2(log, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(log);
  while (Steady::now() - started < timeout) {
    if (Serving(http_port)) {
      return StartedNode{pid, std::chrono::duration<double>(Steady::now() - started).count()};
    }
    if (Reaped(pid)) {
      return core::Fail("GROWTH_NODE_FAILED",
                        "the node exited before serving; see " + paths.log().string());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  StopNode(pid, std::chrono::seconds(1));
  return core::Fail("GROWTH_NODE_FAILED",
                    "the node did not serve within " + std::to_string(timeout.count()) + " s");
}

double StopNode(pid_t pid, std::chrono::seconds grace) {
  auto started = Steady::now();
  ::kill(pid, SIGTERM);
  while (!Reaped(pid)) {
    if (Steady::now() - started > grace) {
      ::kill(pid, SIGKILL);
      int status = 0;
      ::waitpid(pid, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::chrono::duration<double>(Steady::now() - started).count();
}

DiskUsage MeasureDisk(const std::string& dir) {
  DiskUsage d;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    struct stat st {};
    if (!it->is_regular_file() || ::lstat(it->path().c_str(), &st) != 0) continue;
    d.allocated += static_cast<uint64_t>(st.st_blocks) * 512;
    d.apparent += static_cast<uint64_t>(st.st_size);
    if (it->path().extension() == ".log") d.wal_bytes += static_cast<uint64_t>(st.st_size);
    ++d.files;
  }
  return d;
}

double ResidentFraction(const std::string& dir) {
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  uint64_t pages = 0;
  uint64_t resident = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    int fd = ::open(it->path().c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (fd < 0 || ::fstat(fd, &st) != 0 || st.st_size == 0) {
      if (fd >= 0) ::close(fd);
      continue;
    }
    size_t size = static_cast<size_t>(st.st_size);
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
    ::close(fd);
    if (map == MAP_FAILED) continue;
    std::vector<unsigned char> in_core((size + page - 1) / page);
    if (::mincore(map, size, in_core.data()) == 0) {
      pages += in_core.size();
      for (unsigned char c : in_core) resident += c & 1;
    }
    ::munmap(map, size);
  }
  return pages == 0 ? 0 : static_cast<double>(resident) / static_cast<double>(pages);
}

core::Result<std::map<char, NamespaceBytes>> ScanNamespaces(const std::string& data_dir) {
  storage::RocksDbOptions options;
  options.create_if_missing = false;
  TL_ASSIGN_OR_RETURN(auto store, storage::RocksDbStore::Open(data_dir, options));
  std::map<char, NamespaceBytes> out;
  auto it = store->Scan({});
  for (; it->Valid(); it->Next()) {
    NamespaceBytes& n = out[static_cast<char>(it->key()[0])];
    ++n.keys;
    n.bytes += it->key().size() + it->value().size();
  }
  TL_RETURN_IF_ERROR(it->status());
  return out;
}

}  // namespace tradeledger::bench
