// A validator set change by governance transaction, on real processes: the customs
// administrator replaces validator 4 with a new validator 5; the change takes effect at the
// next height; the removed validator stops validating; the new one (bootstrapped from a copy of
// a data directory at the change height) joins; certificates from then on are signed by the
// new set, and `tradeledger verify` checks them against the set in force at their height.
#include <gtest/gtest.h>

#include <thread>

#include "crypto/key_file.h"
#include "tests/e2e/bft_network.h"

namespace tradeledger::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

ledger::SignedTransaction GovernanceTransaction(const ledger::ChainId& chain,
                                                const crypto::KeyPair& key, uint64_t nonce,
                                                const std::string& type, const json& body) {
  ledger::TxPayload p;
  p.chain_id = chain;
  p.type = type;
  p.nonce = nonce;
  p.body = core::ToBytes(body.dump());
  return ledger::SignedTransaction::Sign(p, key);
}

std::string KeyOf(const BftNetwork& net, int i) {
  auto h = net.Health(i);
  return h ? (*h)["validator"].get<std::string>() : "";
}

TEST(ValidatorChange, ReplacingAValidatorTakesEffectAtTheNextHeightAndVerifyFollowsIt) {
  BftNetwork net(4, json::object(), /*bare=*/false);
  ASSERT_TRUE(net.ok()) << net.init_result().Describe();
  ASSERT_TRUE(net.StartAll());
  ASSERT_TRUE(net.WaitForHeight({0, 1, 2, 3}, 2, 30s));
  auto admin = crypto::ReadKeyFile(net.customs_key().string());
  ASSERT_TRUE(admin) << admin.error().ToString();

  // Validator 5: a key, ports, and a configuration naming validators 1-3 as its peers.
  fs::path node5 = net.dir() / "node5";
  fs::create_directories(node5);
  auto keygen = RunTradeledger({"keygen", "--out", (node5 / "validator.key").string()});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.Describe();
  std::string key5 = keygen.out.substr(0, 64);
  uint16_t http5 = FreePort(), p2p5 = FreePort();
  json config5 = json::parse(ReadFileOrEmpty(net.node_dir(3) / "config.json"));
  config5["http"]["port"] = http5;
  config5["p2p"]["port"] = p2p5;
  json peers = json::array();
  json members = json::array();
  for (int i = 0; i < 3; ++i) {
    std::string address = "127.0.0.1:" + std::to_string(net.p2p_port(i));
    peers.push_back({{"name", "validator-" + std::to_string(i + 1)},
                     {"public_key", KeyOf(net, i)},
                     {"host", "127.0.0.1"},
                     {"port", net.p2p_port(i)}});
    members.push_back({{"name", "validator-" + std::to_string(i + 1)},
                       {"publicKey", KeyOf(net, i)},
                       {"address", address}});
  }
  config5["peers"] = peers;
  ASSERT_TRUE(WriteFile(node5 / "config.json", config5.dump(2)));
  members.push_back({{"name", "validator-5"},
                     {"publicKey", key5},
                     {"address", "127.0.0.1:" + std::to_string(p2p5)}});

  // The change: committed at height H, in force from H+1.
  api::http::Client client0("127.0.0.1", net.http_port(0));
  auto change =
      GovernanceTransaction(net.chain_id(), *admin, 1, "validator.set", {{"validators", members}});
  auto r = SubmitAndWait(client0, change, 30s);
  ASSERT_EQ(r.status, 200) << r.body.dump() << r.error;
  ASSERT_EQ(r.body.value("result_code", ""), "OK") << r.body.dump();
  const uint64_t h = r.body.value("height", uint64_t{0});
  ASSERT_TRUE(net.WaitForHeight({0, 1, 2}, h + 3, 30s)) << "no progress after the change";
  auto validators = SendJson(client0, "GET", "/v1/validators");
  ASSERT_EQ(validators.status, 200);
  ASSERT_EQ(validators.body["history"].size(), 1u) << validators.body.dump();
  EXPECT_EQ(validators.body["history"][0]["from_height"], h + 1);

  // Validator 4 is out: it stops validating at the change.
  for (int i = 0; i < 100 && ReadFileOrEmpty(net.log_file(3)).find("does not include this node") ==
                                 std::string::npos;
       ++i) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(ReadFileOrEmpty(net.log_file(3)).find("does not include this node"), std::string::npos);
  EXPECT_EQ(net.Stop(3, SIGTERM), 0);

  // Validator 5 starts from a copy of validator 4's data (at the change height) and joins.
  fs::copy(net.data_dir(3), node5 / "data", fs::copy_options::recursive);
  NodeProcess v5;
  ASSERT_TRUE(v5.Start(node5 / "config.json", node5 / "node.log", http5))
      << ReadFileOrEmpty(node5 / "node.log");
  uint64_t target = net.Height(0);
  for (int i = 0; i < 300 && HealthOf(http5).value_or(json{{"height", 0}})["height"] < target;
       ++i) {
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_GE(HealthOf(http5).value_or(json{{"height", 0}})["height"].get<uint64_t>(), target)
      << ReadFileOrEmpty(node5 / "node.log");

  // Without validator 1, only validators 2, 3 and 5 can make a quorum of the new set.
  net.Stop(0, SIGKILL);
  uint64_t before = net.Height(1);
  ASSERT_TRUE(net.WaitForHeight({1, 2}, before + 3, 30s)) << "the new set made no progress";
  api::http::Client client1("127.0.0.1", net.http_port(1));
  auto anchor = AnchorTransaction(net.chain_id(), *admin, 2, "AFTER-THE-CHANGE");
  auto committed = SubmitAndWait(client1, anchor, 30s);
  ASSERT_EQ(committed.status, 200) << committed.body.dump() << committed.error;
  EXPECT_GT(committed.body.value("height", uint64_t{0}), h);

  // Its proof verifies against the validators file with history, not against genesis alone.
  auto proof =
      SignedGetJson(client1, net.chain_id(), *admin, "/v1/proofs/inclusion/" + anchor.id().hex());
  ASSERT_EQ(proof.status, 200) << proof.body.dump();
  fs::path proof_file = net.dir() / "proof.json";
  fs::path history_file = net.dir() / "validators-history.json";
  ASSERT_TRUE(WriteFile(proof_file, proof.body.dump()));
  ASSERT_TRUE(WriteFile(history_file, SendJson(client1, "GET", "/v1/validators").body.dump()));
  auto good = RunTradeledger(
      {"verify", "--proof", proof_file.string(), "--validators", history_file.string()});
  EXPECT_EQ(good.exit_code, 0) << good.Describe();
  auto genesis_only = RunTradeledger({"verify", "--proof", proof_file.string(), "--validators",
                                      (net.dir() / "validators.json").string()});
  EXPECT_NE(genesis_only.exit_code, 0) << genesis_only.Describe();
  v5.Stop(SIGTERM);
}

}  // namespace
}  // namespace tradeledger::e2e
