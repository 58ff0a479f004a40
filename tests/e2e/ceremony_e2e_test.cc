// The genesis ceremony of doc/operations.md on real processes: four organisations, each in its
// own directory holding only its own private keys, form a network from public material
// (operator.json, customs.json), sign the genesis off one after the other, write their
// configs from it and start; a node refuses to start before every founder has signed; the
// network commits; one validator is backed up, restored from that older backup and catches up
// by block sync until /health/ready answers 200 with the same chain as the others. The
// commands are those of the guide.
#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <thread>

#include "crypto/key_file.h"
#include "tests/e2e/test_network.h"

namespace tradeledger::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int kOrgs = 4;

// GET /health/ready: its status code (0 if no answer) and body.
std::pair<int, json> Ready(uint16_t port) {
  api::http::Client client("127.0.0.1", port);
  SubmitResult r = SendJson(client, "GET", "/health/ready", {}, 2s);
  return {r.status, r.body};
}

bool WaitReady(uint16_t port, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (Ready(port).first == 200) return true;
    std::this_thread::sleep_for(100ms);
  }
  return false;
}

std::string BlockHash(uint16_t port, uint64_t height) {
  api::http::Client client("127.0.0.1", port);
  SubmitResult r = SendJson(client, "GET", "/v1/blocks/" + std::to_string(height));
  return r.status == 200 ? r.body.value("hash", r.body.dump()) : "";
}

CommandResult Tar(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"/bin/tar"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, 60s);
}

TEST(Ceremony, FourOrganisationsFormANetworkFromPublicFilesAndRestoreAValidator) {
  TempDir root;
  const fs::path shared = root.path() / "published";  // what the organisations exchange
  fs::create_directories(shared);
  std::vector<fs::path> org;
  std::vector<uint16_t> http, p2p;
  for (int i = 0; i < kOrgs; ++i) {
    org.push_back(root.path() / ("org" + std::to_string(i + 1)));
    http.push_back(FreePort());
    p2p.push_back(FreePort());
  }

  // 1. Each organisation makes its keys on its own machine and publishes the public part.
  for (int i = 0; i < kOrgs; ++i) {
    auto r = RunTradeledger({"operator", "init", "--dir", org[i].string(), "--name",
                             "validator-org" + std::to_string(i + 1), "--address",
                             "127.0.0.1:" + std::to_string(p2p[i])});
    ASSERT_EQ(r.exit_code, 0) << r.Describe();
    fs::copy_file(org[i] / "operator.json", shared / ("org" + std::to_string(i + 1) + ".json"));
  }
  // Customs (organisation 1) makes its administrator key.
  auto customs = RunTradeledger({"customs", "init", "--dir", (org[0] / "customs").string()});
  ASSERT_EQ(customs.exit_code, 0) << customs.Describe();
  fs::copy_file(org[0] / "customs" / "customs.json", shared / "customs.json");
  auto again = RunTradeledger(
      {"operator", "init", "--dir", org[1].string(), "--name", "x", "--address", "127.0.0.1:1"});
  EXPECT_NE(again.exit_code, 0) << "operator init must not overwrite a key";
  EXPECT_NE(again.err.find("FILE_EXISTS"), std::string::npos) << again.Describe();

  // 2. Organisation 1 assembles the genesis from the published files only.
  std::vector<std::string> assemble = {"genesis", "assemble"};
  for (int i = 0; i < kOrgs; ++i) {
    assemble.insert(assemble.end(),
                    {"--operator", (shared / ("org" + std::to_string(i + 1) + ".json")).string()});
  }
  assemble.insert(assemble.end(), {"--customs", (shared / "customs.json").string(), "--chain-name",
                                   "ceremony-test", "--out", (shared / "genesis.json").string()});
  auto assembled = RunTradeledger(assemble);
  ASSERT_EQ(assembled.exit_code, 0) << assembled.Describe();

  // 3. Each organisation checks the genesis and adds its sign-off, passing the file on.
  const fs::path signoffs = shared / "genesis.signoffs.json";
  for (int i = 0; i < kOrgs; ++i) {
    fs::copy_file(shared / "genesis.json", org[i] / "genesis.json");
    if (i == kOrgs - 1) {
      // Three of four have signed: verify names the missing founder, and no node starts.
      auto partial =
          RunTradeledger({"genesis", "verify", "--genesis", (org[i] / "genesis.json").string(),
                          "--signoffs", signoffs.string()});
      EXPECT_EQ(partial.exit_code, 1) << partial.Describe();
      EXPECT_NE(partial.err.find("GENESIS_NOT_SIGNED_OFF: no sign-off by validator-org4"),
                std::string::npos)
          << partial.Describe();
      fs::copy_file(signoffs, org[0] / "genesis.signoffs.json");
      auto config = RunTradeledger({"operator", "config", "--dir", org[0].string(), "--genesis",
                                    (org[0] / "genesis.json").string(), "--signoffs",
                                    (org[0] / "genesis.signoffs.json").string(), "--http-port",
                                    std::to_string(http[0])});
      ASSERT_EQ(config.exit_code, 0) << config.Describe();
      auto early = RunTradeledger({"node", "--config", (org[0] / "config.json").string()}, 30s);
      EXPECT_EQ(early.exit_code, 1) << early.Describe();
      EXPECT_NE(early.err.find("GENESIS_NOT_SIGNED_OFF"), std::string::npos) << early.Describe();
      fs::remove(org[0] / "config.json");
      fs::remove(org[0] / "genesis.signoffs.json");
    }
    auto sign =
        RunTradeledger({"genesis", "sign", "--genesis", (org[i] / "genesis.json").string(), "--key",
                        (org[i] / "validator.key").string(), "--signoffs", signoffs.string()});
    ASSERT_EQ(sign.exit_code, 0) << sign.Describe();
    EXPECT_NE(sign.out.find("signed; " + std::to_string(i + 1) + " sign-off(s)"), std::string::npos)
        << sign.out;
  }
  auto verified =
      RunTradeledger({"genesis", "verify", "--genesis", (shared / "genesis.json").string(),
                      "--signoffs", signoffs.string()});
  ASSERT_EQ(verified.exit_code, 0) << verified.Describe();

  // 4. Each writes its config from the signed genesis and starts its node.
  for (int i = 0; i < kOrgs; ++i) {
    fs::copy_file(signoffs, org[i] / "genesis.signoffs.json");
    auto config = RunTradeledger({"operator", "config", "--dir", org[i].string(), "--genesis",
                                  (org[i] / "genesis.json").string(), "--signoffs",
                                  (org[i] / "genesis.signoffs.json").string(), "--http-port",
                                  std::to_string(http[i])});
    ASSERT_EQ(config.exit_code, 0) << config.Describe();
  }
  // No organisation holds another's private key: each directory has its own key files only.
  for (int i = 0; i < kOrgs; ++i) {
    std::vector<std::string> keys;
    for (const auto& e : fs::recursive_directory_iterator(org[i])) {
      if (e.path().extension() == ".key") keys.push_back(fs::relative(e.path(), org[i]).string());
    }
    std::sort(keys.begin(), keys.end());
    std::vector<std::string> expected = {"validator.key"};
    if (i == 0) expected = {"customs/admin.key", "validator.key"};
    EXPECT_EQ(keys, expected) << org[i];
  }
  std::vector<std::unique_ptr<NodeProcess>> nodes;
  for (int i = 0; i < kOrgs; ++i) {
    nodes.push_back(std::make_unique<NodeProcess>());
    ASSERT_TRUE(nodes[i]->Start(org[i] / "config.json", org[i] / "node.log", http[i]))
        << ReadFileOrEmpty(org[i] / "node.log");
  }
  for (int i = 0; i < kOrgs; ++i) {
    ASSERT_TRUE(WaitReady(http[i], 60s)) << "org" << i + 1 << ": " << Ready(http[i]).second.dump();
  }

  // 5. The network commits: customs anchors a document through organisation 2's node.
  const std::string url2 = "http://127.0.0.1:" + std::to_string(http[1]);
  const fs::path payload = root.path() / "anchor.json";
  ASSERT_TRUE(WriteFile(payload, json{{"docId", "CEREMONY-1"},
                                      {"docType", "OTHER"},
                                      {"contentHash", std::string(64, 'e')},
                                      {"issuer", "CBP"}}
                                     .dump()));
  auto anchored =
      RunTradeledger({"tx", "submit", "--key", (org[0] / "customs" / "admin.key").string(),
                      "--node", url2, "--type", "document.anchor", "--payload", payload.string()});
  ASSERT_EQ(anchored.exit_code, 0) << anchored.Describe();

  // The default calendar covers U.S. federal holidays to 2030-12-31; the gauge counts the days
  // left from the ledger's date (validator clocks here: today).
  {
    api::http::Client metrics_client("127.0.0.1", http[1]);
    SubmitResult metrics = SendJson(metrics_client, "GET", "/metrics");
    ASSERT_EQ(metrics.status, 200);
    const std::string raw = metrics.body.value("raw", "");  // text, not JSON
    const std::string name = "\ntradeledger_holiday_calendar_days_left ";
    size_t at = raw.find(name);
    ASSERT_NE(at, std::string::npos) << raw;
    const int64_t left = std::stoll(raw.substr(at + name.size()));
    const int64_t today = std::chrono::duration_cast<std::chrono::hours>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count() /
                          24;
    const int64_t end = 22279;  // 2030-12-31 as days since 1970-01-01
    EXPECT_NEAR(static_cast<double>(left), static_cast<double>(end - today), 1.0);
  }

  // 6. Back up organisation 3's validator (stopped), start it again, commit more.
  ASSERT_EQ(nodes[2]->Stop(SIGTERM), 0);
  const fs::path backup = root.path() / "org3-data.tgz";
  auto archived = Tar({"-C", org[2].string(), "-czf", backup.string(), "data"});
  ASSERT_EQ(archived.exit_code, 0) << archived.Describe();
  ASSERT_TRUE(nodes[2]->Start(org[2] / "config.json", org[2] / "node.log", http[2]));
  auto admin = crypto::ReadKeyFile((org[0] / "customs" / "admin.key").string());
  ASSERT_TRUE(admin.has_value());
  auto chain = ledger::ChainId::FromHex(verified.out.substr(verified.out.find("id ") + 3, 64));
  ASSERT_TRUE(chain.has_value()) << verified.out;
  api::http::Client client("127.0.0.1", http[0]);
  for (int k = 0; k < 8; ++k) {
    auto r = SubmitAndWait(
        client, AnchorTransaction(*chain, *admin, 100 + k, "CEREMONY-AFTER-" + std::to_string(k)));
    ASSERT_EQ(r.status, 200) << r.body.dump() << r.error;
  }

  // 7. Restore organisation 3 from the older backup: it catches up and is ready again.
  ASSERT_EQ(nodes[2]->Stop(SIGTERM), 0);
  fs::rename(org[2] / "data", org[2] / "data.before-restore");
  auto restored = Tar({"-C", org[2].string(), "-xzf", backup.string()});
  ASSERT_EQ(restored.exit_code, 0) << restored.Describe();
  auto tip = HealthOf(http[0]);
  ASSERT_TRUE(tip.has_value());
  const uint64_t height = (*tip)["height"].get<uint64_t>();
  ASSERT_TRUE(nodes[2]->Start(org[2] / "config.json", org[2] / "node.log", http[2]));
  ASSERT_TRUE(WaitReady(http[2], 60s)) << Ready(http[2]).second.dump() << "\n"
                                       << ReadFileOrEmpty(org[2] / "node.log");
  // Ready means within Node::kReadyLag blocks of the network; block sync then closes the rest.
  std::optional<json> after;
  for (auto deadline = std::chrono::steady_clock::now() + 60s;;) {
    after = HealthOf(http[2]);
    ASSERT_TRUE(after.has_value());
    if ((*after)["height"].get<uint64_t>() + 2 >= height ||
        std::chrono::steady_clock::now() > deadline) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_GE((*after)["height"].get<uint64_t>() + 2, height);
  EXPECT_EQ(BlockHash(http[2], height - 2), BlockHash(http[0], height - 2));
  EXPECT_FALSE(BlockHash(http[0], height - 2).empty());

  // The restored validator's store passes the offline audit once stopped.
  ASSERT_EQ(nodes[2]->Stop(SIGTERM), 0);
  auto audit = RunTradeledger({"audit", "--data", (org[2] / "data").string()}, 120s);
  EXPECT_EQ(audit.exit_code, 0) << audit.Describe();
}

}  // namespace
}  // namespace tradeledger::e2e
