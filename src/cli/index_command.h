// `tradeledger index`: the indexer (index/indexer.h) as a command.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tradeledger::cli {

struct IndexOptions {
  std::string key_file;         // the reader's key
  std::string node_url;         // the node to follow
  std::string validators_file;  // the trust anchor for block certificates
  std::string db;               // libpq connection string
  std::vector<std::string> watch;
  uint64_t until_height = 0;
  bool once = false;
  double records_seconds = 5;
  double sample_seconds = 2;
};

// Runs until SIGINT/SIGTERM (exit 0), --until-height or --once. Exit codes: 0 stopped cleanly;
// 1 the node served something that failed its checks (nothing of it was written) or the
// database holds another chain or reader; 2 environment: a file, the database or the node.
int Index(const IndexOptions& options);

}  // namespace tradeledger::cli
