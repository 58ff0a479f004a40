// A node's configuration file (JSON). Relative paths are resolved against the directory of
// the configuration file.
//
//   {
//     "data_dir": "data",                 // RocksDB directory; created on first start
//     "key_file": "validator.key",        // this validator's Ed25519 key (mode 0600)
//     "genesis_file": "../genesis.json",
//     "http": {"address": "127.0.0.1", "port": 7711, "threads": 2,
//              "max_body_bytes": 8388608},  // the largest attachment
//     "max_block_transactions": 2000,     // default 2000
//     "mempool": {"max_transactions": 100000, "max_bytes": 268435456, "max_per_signer": 10000}
//   }
#pragma once

#include <cstdint>
#include <string>

#include "core/result.h"
#include "node/mempool.h"

namespace tradeledger::node {

struct NodeConfig {
  std::string data_dir;
  std::string key_file;
  std::string genesis_file;
  std::string http_address = "127.0.0.1";
  uint16_t http_port = 0;  // 0: any free port (printed at start)
  int http_threads = 2;
  size_t http_max_body_bytes = 8 << 20;  // attachments up to 8 MiB
  size_t max_block_transactions = 2000;
  MempoolLimits mempool;

  // CONFIG_INVALID with the offending field, or FILE_READ_FAILED.
  static core::Result<NodeConfig> Load(const std::string& path);
  static core::Result<NodeConfig> Parse(std::string_view json, const std::string& base_dir);
  // The JSON form, with paths as given.
  std::string Render() const;
};

}  // namespace tradeledger::node
