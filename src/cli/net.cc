// `tradeledger net init|up|down`: a local network in one directory.
//
//   DIR/genesis.json        the chain's genesis (its hash is the chain id)
//   DIR/validators.json     chain id and validator keys, for `tradeledger verify`
//   DIR/nodeI/config.json   node I's configuration
//   DIR/nodeI/validator.key node I's key (mode 0600)
//   DIR/nodeI/data/         node I's RocksDB data directory
//   DIR/nodeI/node.log      node I's log; DIR/nodeI/node.pid while it runs
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/http/http_client.h"
#include "cli/commands.h"
#include "cli/process.h"
#include "cli/tls_certs.h"
#include "crypto/key_file.h"
#include "node/clock.h"
#include "node/config.h"
#include "node/genesis.h"
#include "trade/time_util.h"

namespace tradeledger::cli {
namespace {

namespace fs = std::filesystem;

// U.S. federal holidays (observed dates), the default non-business days of a local network.
const std::vector<std::string> kUsFederalHolidays = {
    "2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04",
    "2024-09-02", "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25", "2025-01-01",
    "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01",
    "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25", "2026-01-01", "2026-01-19",
    "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-10-12",
    "2026-11-11", "2026-11-26", "2026-12-25"};

bool WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

std::vector<fs::path> NodeDirs(const std::string& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && entry.path().filename().string().starts_with("node") &&
        fs::exists(entry.path() / "config.json")) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// GET /health; over HTTPS, verified against the network's CA, if the node serves TLS.
bool Healthy(const node::NodeConfig& config, const std::string& network_dir) {
  api::http::Client client(config.http_address, config.http_port,
                           {!config.http_tls_cert.empty(), NetworkCaFile(network_dir)});
  auto r = client.Send("GET", "/health", {}, "application/json", std::chrono::seconds(2));
  return r && r->status == 200;
}

}  // namespace

int NetInit(const NetInitOptions& o) {
  if (o.validators < 1 || o.validators == 2 || o.validators == 3 || o.validators > 64) {
    std::fprintf(stderr,
                 "tradeledger net init: --validators must be 1 (a network of one) or 4 to 64 "
                 "(n = 3f+1 tolerates f faulty validators; 2 or 3 tolerate none)\n");
    return 1;
  }
  const uint16_t p2p_base =
      o.p2p_base_port != 0 ? o.p2p_base_port : static_cast<uint16_t>(o.base_port + 100);
  if (o.base_port + o.validators > 65536 || p2p_base + o.validators > 65536) {
    std::fprintf(stderr, "tradeledger net init: ports out of range\n");
    return 1;
  }
  fs::path dir(o.dir);
  if (fs::exists(dir / "genesis.json")) {
    std::fprintf(stderr, "tradeledger net init: %s already holds a network\n", o.dir.c_str());
    return 1;
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    std::fprintf(stderr, "tradeledger net init: %s: %s\n", o.dir.c_str(), ec.message().c_str());
    return 1;
  }
  std::vector<node::GenesisValidator> validators;
  for (int i = 1; i <= o.validators; ++i) {
    fs::path node_dir = dir / ("node" + std::to_string(i));
    fs::create_directories(node_dir, ec);
    crypto::KeyPair key = crypto::KeyPair::Generate();
    if (auto ok = crypto::WriteKeyFile((node_dir / "validator.key").string(), key); !ok) {
      std::fprintf(stderr, "tradeledger net init: %s\n", ok.error().ToString().c_str());
      return 1;
    }
    validators.push_back({"validator-" + std::to_string(i), key.public_key});
  }
  for (int i = 1; i <= o.validators; ++i) {
    fs::path node_dir = dir / ("node" + std::to_string(i));
    node::NodeConfig config;
    config.data_dir = "data";
    config.key_file = "validator.key";
    config.genesis_file = "../genesis.json";
    config.http_port = static_cast<uint16_t>(o.base_port + i - 1);
    config.p2p_port = static_cast<uint16_t>(p2p_base + i - 1);
    for (int j = 1; j <= o.validators && o.validators > 1; ++j) {
      if (j == i) continue;
      config.peers.push_back({validators[j - 1].name, validators[j - 1].public_key, "127.0.0.1",
                              static_cast<uint16_t>(p2p_base + j - 1)});
    }
    if (!WriteText(node_dir / "config.json", config.Render())) {
      std::fprintf(stderr, "tradeledger net init: cannot write %s\n",
                   (node_dir / "config.json").c_str());
      return 1;
    }
  }
  if (o.tls) {
    auto ca_file = WriteNetworkTls(o.dir);
    if (!ca_file) {
      std::fprintf(stderr, "tradeledger net init: %s\n", ca_file.error().ToString().c_str());
      return 1;
    }
    std::printf("API over HTTPS; clients verify the nodes with --ca-file %s\n", ca_file->c_str());
  }
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
  if (!o.bare) {
    // The customs authority and its administrator key, named by the genesis.
    fs::create_directories(dir / "customs", ec);
    crypto::KeyPair admin = crypto::KeyPair::Generate();
    if (auto ok = crypto::WriteKeyFile((dir / "customs" / "admin.key").string(), admin); !ok) {
      std::fprintf(stderr, "tradeledger net init: %s\n", ok.error().ToString().c_str());
      return 1;
    }
    extra["customs_authority"] = {{"org_id", "CBP"},
                                  {"legal_name", "U.S. Customs and Border Protection"},
                                  {"country", "US"},
                                  {"members",
                                   {{{"public_key", admin.public_key.hex()},
                                     {"roles", {"CBP_ADMIN", "CBP_OFFICER"}},
                                     {"admin", true}}}}};
    extra["ior_salt"] = crypto::KeyPair::Generate().public_key.hex();
    extra["holidays"] = kUsFederalHolidays;
  }
  core::TimestampMs genesis_time = node::SystemClock().Now();
  if (!o.ledger_clock.empty()) {
    auto start = trade::ParseInstant(o.ledger_clock);
    if (!start) {
      std::fprintf(stderr, "tradeledger net init: --ledger-clock: %s\n",
                   start.error().ToString().c_str());
      return 1;
    }
    extra["ledger_clock"] = {{"start", o.ledger_clock}};
  }
  std::string genesis_text = node::Genesis::Render(o.chain_name, genesis_time, validators, extra);
  auto genesis = node::Genesis::Parse(genesis_text);
  if (!genesis) {
    std::fprintf(stderr, "tradeledger net init: %s\n", genesis.error().ToString().c_str());
    return 1;
  }
  if (!WriteText(dir / "genesis.json", genesis_text) ||
      !WriteText(dir / "validators.json", node::RenderValidatorsFile(*genesis))) {
    std::fprintf(stderr, "tradeledger net init: cannot write the genesis\n");
    return 1;
  }
  std::printf("network of %d validator(s) in %s, chain id %s\n", o.validators, o.dir.c_str(),
              genesis->chain_id.hex().c_str());
  if (!o.bare) {
    std::printf("customs administrator key: %s\n", (dir / "customs" / "admin.key").c_str());
  }
  return 0;
}

int NetUp(const std::string& dir) {
  auto nodes = NodeDirs(dir);
  if (nodes.empty()) {
    std::fprintf(stderr, "tradeledger net up: no nodes in %s (run net init first)\n", dir.c_str());
    return 1;
  }
  std::string self = SelfExecutable();
  struct Started {
    fs::path dir;
    pid_t pid;
    node::NodeConfig config;
  };
  std::vector<Started> started;
  for (const fs::path& node_dir : nodes) {
    auto config = node::NodeConfig::Load((node_dir / "config.json").string());
    if (!config) {
      std::fprintf(stderr, "tradeledger net up: %s\n", config.error().ToString().c_str());
      return 1;
    }
    std::string pid_file = (node_dir / "node.pid").string();
    if (auto pid = ReadPidFile(pid_file); pid && IsRunningTradeledger(*pid)) {
      started.push_back({node_dir, *pid, *config});
      continue;
    }
    auto pid = SpawnDetached({self, "node", "--config", (node_dir / "config.json").string()},
                             (node_dir / "node.log").string());
    if (!pid || !WritePidFile(pid_file, *pid)) {
      std::fprintf(stderr, "tradeledger net up: cannot start %s\n", node_dir.c_str());
      return 1;
    }
    started.push_back({node_dir, *pid, *config});
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  for (const Started& s : started) {
    while (!Healthy(s.config, dir)) {
      if (!IsRunningTradeledger(s.pid) || std::chrono::steady_clock::now() > deadline) {
        std::fprintf(stderr, "tradeledger net up: %s did not start; see %s\n", s.dir.c_str(),
                     (s.dir / "node.log").c_str());
        return 1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::printf("%s %s://%s:%u\n", s.dir.filename().c_str(),
                s.config.http_tls_cert.empty() ? "http" : "https", s.config.http_address.c_str(),
                s.config.http_port);
  }
  return 0;
}

int NetDown(const std::string& dir) {
  auto nodes = NodeDirs(dir);
  if (nodes.empty()) {
    std::fprintf(stderr, "tradeledger net down: no nodes in %s\n", dir.c_str());
    return 1;
  }
  int result = 0;
  for (const fs::path& node_dir : nodes) {
    std::string pid_file = (node_dir / "node.pid").string();
    auto pid = ReadPidFile(pid_file);
    if (!pid) continue;
    if (!StopProcess(*pid, std::chrono::seconds(20))) {
      std::fprintf(stderr, "tradeledger net down: %s (pid %d) did not stop\n", node_dir.c_str(),
                   *pid);
      result = 1;
      continue;
    }
    std::error_code ec;
    fs::remove(pid_file, ec);
    std::printf("%s stopped\n", node_dir.filename().c_str());
  }
  return result;
}

}  // namespace tradeledger::cli
