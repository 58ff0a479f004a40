#include "index/pg_test_cluster.h"

#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace tradeledger::index {
namespace {

// Runs `command` through the shell; returns its exit status and stdout.
int Run(const std::string& command, std::string* out) {
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[512];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) out->append(buffer, n);
  int status = ::pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string Script() { return std::string(TL_SOURCE_DIR) + "/scripts/pg-cluster.sh"; }

}  // namespace

PgTestCluster::PgTestCluster() {
  char pattern[] = "/tmp/tl-pg-XXXXXX";
  if (::mkdtemp(pattern) == nullptr) {
    error_ = "mkdtemp failed";
    return;
  }
  dir_ = pattern;
  std::string out;
  int rc = Run(Script() + " start '" + dir_.string() + "' 2>&1", &out);
  while (!out.empty() && out.back() == '\n') out.pop_back();
  if (rc != 0) {
    error_ = "scripts/pg-cluster.sh start failed (" + std::to_string(rc) + "): " + out;
    return;
  }
  conninfo_ = out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
}

PgTestCluster::~PgTestCluster() {
  if (dir_.empty()) return;
  std::string out;
  (void)Run(Script() + " stop '" + dir_.string() + "' 2>&1", &out);
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

}  // namespace tradeledger::index
