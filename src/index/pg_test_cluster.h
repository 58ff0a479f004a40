// A throw-away PostgreSQL server for tests: scripts/pg-cluster.sh in a fresh /tmp directory,
// stopped and removed on destruction. Tests that need one check ok() and fail (not skip) when
// it could not start: PostgreSQL is a declared dependency (scripts/install-deps.sh).
#pragma once

#include <filesystem>
#include <string>

namespace tradeledger::index {

class PgTestCluster {
 public:
  PgTestCluster();
  ~PgTestCluster();
  PgTestCluster(const PgTestCluster&) = delete;
  PgTestCluster& operator=(const PgTestCluster&) = delete;

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  // libpq connection string of database "tradeledger".
  const std::string& conninfo() const { return conninfo_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
  std::string conninfo_;
  std::string error_;
};

}  // namespace tradeledger::index
