#include "tests/e2e/bft_network.h"

#include <algorithm>
#include <cstdio>
#include <thread>

namespace tradeledger::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

}  // namespace

BftNetwork::BftNetwork(int n, const json& config_overrides, bool bare) {
  nodes_.resize(static_cast<size_t>(n));
  for (Member& m : nodes_) {
    m.http_port = FreePort();
    m.p2p_port = FreePort();
    m.process = std::make_unique<NodeProcess>();
    if (m.http_port == 0 || m.p2p_port == 0) {
      init_result_.err = "no free port";
      return;
    }
  }
  std::vector<std::string> args = {"net",   "init",        "--validators", std::to_string(n),
                                   "--dir", dir().string()};
  if (bare) args.push_back("--bare");
  init_result_ = RunTradeledger(args);
  if (init_result_.exit_code != 0) return;
  // Rewrite the ports net init chose (consecutive from its base) with the free ones.
  std::vector<std::string> keys;
  std::vector<json> configs;
  for (int i = 0; i < n; ++i) {
    auto config = json::parse(ReadFileOrEmpty(node_dir(i) / "config.json"), nullptr, false);
    if (config.is_discarded()) {
      init_result_.err = "unreadable config of node " + std::to_string(i + 1);
      return;
    }
    configs.push_back(std::move(config));
  }
  auto validators = json::parse(ReadFileOrEmpty(dir() / "validators.json"), nullptr, false);
  if (validators.is_discarded()) return;
  std::map<std::string, uint16_t> p2p_of_key;
  for (int i = 0; i < n; ++i) {
    p2p_of_key[validators["validators"][static_cast<size_t>(i)]["public_key"]] =
        nodes_[static_cast<size_t>(i)].p2p_port;
  }
  for (int i = 0; i < n; ++i) {
    json& c = configs[static_cast<size_t>(i)];
    c["http"]["port"] = nodes_[static_cast<size_t>(i)].http_port;
    c["p2p"]["port"] = nodes_[static_cast<size_t>(i)].p2p_port;
    for (json& peer : c["peers"]) peer["port"] = p2p_of_key.at(peer["public_key"]);
    c.merge_patch(config_overrides);
    if (!WriteFile(node_dir(i) / "config.json", c.dump(2))) return;
  }
  ok_ = true;
}

BftNetwork::~BftNetwork() {
  for (Member& m : nodes_) {
    if (m.process) m.process->Stop(SIGKILL);
  }
}

fs::path BftNetwork::node_dir(int i) const { return dir() / ("node" + std::to_string(i + 1)); }

ledger::ChainId BftNetwork::chain_id() const {
  auto j = json::parse(ReadFileOrEmpty(dir() / "validators.json"), nullptr, false);
  if (j.is_discarded() || !j.contains("chain_id")) return {};
  auto id = ledger::ChainId::FromHex(j["chain_id"].get<std::string>());
  return id ? *id : ledger::ChainId{};
}

bool BftNetwork::Start(int i, std::chrono::milliseconds timeout) {
  Member& m = nodes_[static_cast<size_t>(i)];
  return m.process->Start(node_dir(i) / "config.json", log_file(i), m.http_port, timeout)
      .has_value();
}

bool BftNetwork::StartAll() {
  for (int i = 0; i < size(); ++i) {
    if (!running(i) && !Start(i)) {
      std::fprintf(stderr, "validator %d (node%d) did not start; its log ends:\n%s\n", i, i + 1,
                   LogTail(i).c_str());
      return false;
    }
  }
  return true;
}

int BftNetwork::Stop(int i, int signal) {
  return nodes_[static_cast<size_t>(i)].process->Stop(signal);
}

std::optional<json> BftNetwork::Health(int i, std::chrono::milliseconds timeout) const {
  return HealthOf(http_port(i), timeout);
}

uint64_t BftNetwork::Height(int i) const {
  auto h = Health(i);
  return h ? h->value("height", uint64_t{0}) : 0;
}

bool BftNetwork::WaitForHeight(const std::vector<int>& which, uint64_t height,
                               std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  while (Clock::now() < deadline) {
    if (std::all_of(which.begin(), which.end(), [&](int i) { return Height(i) >= height; })) {
      return true;
    }
    std::this_thread::sleep_for(50ms);
  }
  return false;
}

std::optional<std::string> BftNetwork::BlockHash(int i, uint64_t height) const {
  api::http::Client client("127.0.0.1", http_port(i));
  auto r = SendJson(client, "GET", "/v1/blocks/" + std::to_string(height));
  if (r.status != 200 || !r.body.contains("hash")) return std::nullopt;
  return r.body["hash"].get<std::string>();
}

CommandResult BftNetwork::Audit(int i) const {
  return RunTradeledger({"audit", "--data", data_dir(i).string()}, 120s);
}

std::string BftNetwork::LogTail(int i, size_t bytes) const {
  std::string log = ReadFileOrEmpty(log_file(i));
  return log.size() > bytes ? log.substr(log.size() - bytes) : log;
}

std::vector<int> AllBut(int n, const std::vector<int>& excluded) {
  std::vector<int> out;
  for (int i = 0; i < n; ++i) {
    if (std::find(excluded.begin(), excluded.end(), i) == excluded.end()) out.push_back(i);
  }
  return out;
}

}  // namespace tradeledger::e2e
