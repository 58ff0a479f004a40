// The `tradeledger` subcommands. Each returns the process exit code and prints its own
// messages: results on stdout, diagnostics on stderr. Exit codes (doc/operations.md, "Exit
// codes"): 0 success, 1 failure or invalid input, 2 the operation could not run (environment),
// 3 and 4 as `tx submit` and `node` document; main.cc adds 64 (usage) and 70 (internal).
#pragma once

#include <cstdint>
#include <string>

namespace tradeledger::cli {

// How `tradeledger node` logs (to stdout, through spdlog): `level` is trace, debug, info,
// warn, error, critical or off; `format` is "text" (UTC time, level, message) or "json" (one
// object per line: {"time", "level", "message"}).
struct LogOptions {
  std::string level = "info";
  std::string format = "text";
};
int RunNode(const std::string& config_path, const LogOptions& log = {});

struct NetInitOptions {
  int validators = 1;
  std::string dir;
  uint16_t base_port = 7711;
  // Validator transport port of the first node; 0: base_port + 100.
  uint16_t p2p_base_port = 0;
  std::string chain_name = "tradeledger-local";
  // No customs authority and no participants: a notary that anchors documents from any key.
  bool bare = false;
  // Run on a ledger clock starting at this instant ("YYYY-MM-DDTHH:MM:SSZ"), advanced by the
  // customs administrator's clock.advance transactions; empty: validator clocks.
  std::string ledger_clock;
  // Serve each node's API over HTTPS with a certificate from a CA made for the network
  // (cli/tls_certs.h: WriteNetworkTls).
  bool tls = false;
};
int NetInit(const NetInitOptions& options);
int NetUp(const std::string& dir);
int NetDown(const std::string& dir);

int Keygen(const std::string& out);

struct SubmitOptions {
  std::string key_file;
  std::string node_url;
  std::string type;
  std::string payload_file;
  uint64_t nonce = 0;  // 0: microseconds since the epoch
  uint64_t timeout_ms = 30'000;
};
int TxSubmit(const SubmitOptions& options);

// A signed, access-controlled read: prints the JSON the node returns for `target`.
int Get(const std::string& key_file, const std::string& node_url, const std::string& target);

int Verify(const std::string& proof_file, const std::string& validators_file);
int AuditCommand(const std::string& data_dir, const std::string& genesis_file);

// The ledger basics and the DOMAIN.md §8 stories against a running ledger-clock network
// (stories.h). customs_key_file: empty = <dir of validators_file>/customs/admin.key; only: a
// comma-separated list of sections ("basics", "1".."13", "proof", "access"), empty = all.
struct DemoOptions {
  std::string node_url;
  std::string validators_file;
  std::string customs_key_file;
  std::string only;
  int transactions = 300;
  int signers = 6;
};
int Demo(const DemoOptions& options);

}  // namespace tradeledger::cli
