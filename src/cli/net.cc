// `tradeledger net init|up|down`: a local network in one directory.
//
//   DIR/genesis.json        the chain's genesis (its hash is the chain id)
//   DIR/genesis.signoffs.json  every validator's sign-off of it (node/genesis_signoff.h)
//   DIR/customs/            the customs administrator's admin.key and public customs.json
//   DIR/validators.json     chain id and validator keys, for `tradeledger verify`
//   DIR/nodeI/config.json   node I's configuration
//   DIR/nodeI/validator.key node I's key (mode 0600); DIR/nodeI/operator.json its public part
//   DIR/nodeI/data/         node I's RocksDB data directory
//   DIR/nodeI/node.log      node I's log; DIR/nodeI/node.pid while it runs
#include <filesystem>
#include <fstream>
#include <thread>

#include "api/http/http_client.h"
#include "cli/ceremony.h"
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

// GET /health/ready (caught up with the network); over HTTPS, verified against the network's
// CA, if the node serves TLS.
bool Ready(const node::NodeConfig& config, const std::string& network_dir) {
  api::http::Client client(config.http_address, config.http_port,
                           {!config.http_tls_cert.empty(), NetworkCaFile(network_dir)});
  auto r = client.Send("GET", "/health/ready", {}, "application/json", std::chrono::seconds(2));
  return r && r->status == 200;
}

}  // namespace

int NetInit(const NetInitOptions& o) {
  auto fail = [](const std::string& what) {
    std::fprintf(stderr, "tradeledger net init: %s\n", what.c_str());
    return 1;
  };
  if (o.validators < 1 || o.validators == 2 || o.validators == 3 || o.validators > 64) {
    return fail(
        "--validators must be 1 (a network of one) or 4 to 64 (n = 3f+1 tolerates f faulty "
        "validators; 2 or 3 tolerate none)");
  }
  const uint16_t p2p_base =
      o.p2p_base_port != 0 ? o.p2p_base_port : static_cast<uint16_t>(o.base_port + 100);
  if (o.base_port + o.validators > 65536 || p2p_base + o.validators > 65536) {
    return fail("ports out of range");
  }
  fs::path dir(o.dir);
  if (fs::exists(dir / "genesis.json")) return fail(o.dir + " already holds a network");
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return fail(o.dir + ": " + ec.message());
  // The ceremony of cli/ceremony.h, every party's directory under one root: each validator's
  // key and public operator file, customs' key and public file, the genesis assembled from the
  // public files, every validator's sign-off, and each node's config derived from the genesis.
  AssembleOptions assemble;
  assemble.chain_name = o.chain_name;
  assemble.ledger_clock = o.ledger_clock;
  assemble.out = (dir / "genesis.json").string();
  auto node_dir = [&](int i) { return dir / ("node" + std::to_string(i)); };
  for (int i = 1; i <= o.validators; ++i) {
    std::string address = "127.0.0.1:" + std::to_string(p2p_base + i - 1);
    if (auto ok = OperatorInit(node_dir(i).string(), "validator-" + std::to_string(i), address);
        !ok) {
      return fail(ok.error().ToString());
    }
    assemble.operator_files.push_back((node_dir(i) / "operator.json").string());
  }
  if (!o.bare) {
    if (auto ok = CustomsInit((dir / "customs").string(), "CBP",
                              "U.S. Customs and Border Protection", "US");
        !ok) {
      return fail(ok.error().ToString());
    }
    assemble.customs_file = (dir / "customs" / "customs.json").string();
  }
  if (!o.ledger_clock.empty()) {
    if (auto start = trade::ParseInstant(o.ledger_clock); !start) {
      return fail("--ledger-clock: " + start.error().ToString());
    }
  }
  auto chain_id = AssembleGenesis(assemble);
  if (!chain_id) return fail(chain_id.error().ToString());
  const std::string signoffs = (dir / "genesis.signoffs.json").string();
  for (int i = 1; i <= o.validators; ++i) {
    auto signed_off =
        SignGenesisFile(assemble.out, (node_dir(i) / "validator.key").string(), signoffs);
    if (!signed_off) return fail(signed_off.error().ToString());
  }
  for (int i = 1; i <= o.validators; ++i) {
    OperatorConfigOptions config;
    config.dir = node_dir(i).string();
    config.genesis_file = assemble.out;
    config.signoffs_file = signoffs;
    config.http_port = static_cast<uint16_t>(o.base_port + i - 1);
    if (auto ok = WriteOperatorConfig(config); !ok) return fail(ok.error().ToString());
  }
  if (o.tls) {
    auto ca_file = WriteNetworkTls(o.dir);
    if (!ca_file) return fail(ca_file.error().ToString());
    std::printf("API over HTTPS; clients verify the nodes with --ca-file %s\n", ca_file->c_str());
  }
  auto genesis = node::Genesis::Load(assemble.out);
  if (!genesis) return fail(genesis.error().ToString());
  if (!WriteText(dir / "validators.json", node::RenderValidatorsFile(*genesis))) {
    return fail("cannot write the validators file");
  }
  std::printf("network of %d validator(s) in %s, chain id %s\n", o.validators, o.dir.c_str(),
              chain_id->c_str());
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
    while (!Ready(s.config, dir)) {
      if (!IsRunningTradeledger(s.pid) || std::chrono::steady_clock::now() > deadline) {
        std::fprintf(
            stderr,
            "tradeledger net up: %s did not start or is not ready (GET /health/ready); see %s\n",
            s.dir.c_str(), (s.dir / "node.log").c_str());
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
