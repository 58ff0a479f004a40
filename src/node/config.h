// A node's configuration file (JSON). Relative paths are resolved against the directory of
// the configuration file.
//
//   {
//     "data_dir": "data",                 // RocksDB directory; created on first start
//     "key_file": "validator.key",        // this validator's Ed25519 key (mode 0600)
//     "genesis_file": "../genesis.json",
//     "genesis_signoffs": "../genesis.signoffs.json",  // every founder's sign-off (ADR 0022);
//                                         // `tradeledger node` refuses to start without it
//     "http": {"address": "127.0.0.1", "port": 7711, "threads": 2,
//              "max_body_bytes": 8388608,   // the largest attachment
//              "tls_cert": "tls_cert.pem",  // optional, both or neither: serve HTTPS only, with
//              "tls_key": "tls_key.pem",    // this PEM certificate chain and private key
//              "portal_dir": "portal"},     // optional: the web portal's files (api/portal.h);
//                                           // default: the installed or built portal, if any;
//                                           // "" serves none
//     "safety_file": "consensus-safety",  // consensus safety state (default as shown), kept
//                                         // outside data_dir: see node/safety_file.h
//     "p2p": {"address": "127.0.0.1", "port": 7811},   // validator transport listener
//     "metrics": {"address": "127.0.0.1", "port": 9711}, // optional: GET /metrics on its own
//                                         // port (plain HTTP) instead of the API port
//     "peers": [{"name": "validator-2", "public_key": "<64 hex>", "host": "127.0.0.1",
//                "port": 7812}, ...],    // every other validator (none for a network of one)
//     "consensus": {"base_timeout_ms": 1000, "heartbeat_ms": 500,
//                   "min_block_interval_ms": 20},  // ADR 0037; default 20 (at most a
//                                         // quarter of base_timeout_ms), 0: no pacing
//     "max_block_transactions": 2000,     // default 2000
//     "state_retention_heights": 128,     // state trees kept whole (ADR 0019); default 128
//     "mempool": {"max_transactions": 100000, "max_bytes": 268435456, "max_per_signer": 10000}
//   }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "node/mempool.h"
#include "node/state_pruning.h"

namespace tradeledger::node {

// Another validator's transport endpoint.
struct PeerConfig {
  std::string name;
  crypto::PublicKey public_key;
  std::string host;
  uint16_t port = 0;
};

// NodeConfig::min_block_interval_ms when the file does not say (ADR 0037).
inline constexpr uint64_t kDefaultMinBlockIntervalMs = 20;

struct NodeConfig {
  std::string data_dir;
  std::string key_file;
  std::string genesis_file;
  std::string genesis_signoffs_file;  // node/genesis_signoff.h
  std::string http_address = "127.0.0.1";
  uint16_t http_port = 0;  // 0: any free port (printed at start)
  int http_threads = 2;
  size_t http_max_body_bytes = 8 << 20;  // attachments up to 8 MiB
  std::string http_tls_cert;             // PEM certificate chain; empty: plain HTTP
  std::string http_tls_key;
  // The web portal's directory; nullopt: the default (api::DefaultPortalDir); "": none.
  std::optional<std::string> http_portal_dir;  // PEM private key; set exactly when http_tls_cert is
  size_t max_block_transactions = 2000;
  // The heights whose state trees are kept whole, >= 1 (ChainOptions::state_retention).
  uint64_t state_retention_heights = kDefaultStateRetention;
  MempoolLimits mempool;
  std::string safety_file;  // default: "consensus-safety" beside the configuration file
  std::string metrics_address = "127.0.0.1";
  uint16_t metrics_port = 0;  // 0: /metrics on the API port
  std::string p2p_address = "127.0.0.1";
  uint16_t p2p_port = 0;  // 0: any free port
  std::vector<PeerConfig> peers;
  uint64_t base_timeout_ms = 1000;
  uint64_t heartbeat_ms = 500;  // empty block when idle, several validators only; 0: none
  // Pacing of blocks with transactions (NodeOptions::min_block_interval_ms, ADR 0037); at
  // most MaxBlockIntervalMs(base_timeout_ms), whose value is the default's limit; 0: none.
  uint64_t min_block_interval_ms = kDefaultMinBlockIntervalMs;

  // CONFIG_INVALID with the offending field (a field the format above does not name is refused,
  // so a misspelling is not silently replaced by a default), or FILE_READ_FAILED.
  static core::Result<NodeConfig> Load(const std::string& path);
  static core::Result<NodeConfig> Parse(std::string_view json, const std::string& base_dir);
  // The JSON form, with paths as given.
  std::string Render() const;
};

}  // namespace tradeledger::node
