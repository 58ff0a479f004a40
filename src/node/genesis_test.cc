#include "node/genesis.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "node/config.h"

namespace tradeledger::node {
namespace {

using nlohmann::json;

json Members(const std::vector<crypto::KeyPair>& keys) {
  json out = json::array();
  for (const auto& k : keys) out.push_back({{"name", "v"}, {"public_key", k.public_key.hex()}});
  return out;
}

TEST(ValidatorsFile, HistoryNamesTheSetInForceAtEachHeight) {
  std::vector<crypto::KeyPair> genesis_keys, later_keys;
  for (int i = 0; i < 4; ++i) genesis_keys.push_back(crypto::KeyPair::Generate());
  later_keys = {genesis_keys[0], genesis_keys[1], genesis_keys[2], crypto::KeyPair::Generate()};
  json file = {{"chain_id", std::string(64, 'a')},
               {"validators", Members(genesis_keys)},
               {"history",
                {{{"epoch", 1}, {"from_height", 50}, {"validators", Members(later_keys)}},
                 {{"epoch", 2}, {"from_height", 90}, {"validators", Members({later_keys[3]})}}}}};
  auto trusted = ParseValidatorsFile(file.dump());
  ASSERT_TRUE(trusted) << trusted.error().ToString();
  EXPECT_TRUE(trusted->SetAt(core::Height(49)).Contains(genesis_keys[3].public_key));
  EXPECT_FALSE(trusted->SetAt(core::Height(50)).Contains(genesis_keys[3].public_key));
  EXPECT_TRUE(trusted->SetAt(core::Height(89)).Contains(later_keys[3].public_key));
  EXPECT_EQ(trusted->SetAt(core::Height(90)).size(), 1u);
  EXPECT_EQ(trusted->SetAt(core::Height(1'000'000)).size(), 1u);

  // Out of order or malformed history is refused.
  json backwards = file;
  std::swap(backwards["history"][0], backwards["history"][1]);
  EXPECT_EQ(ParseValidatorsFile(backwards.dump()).error().code, "VALIDATORS_FILE_INVALID");
  json no_height = file;
  no_height["history"][0].erase("from_height");
  EXPECT_EQ(ParseValidatorsFile(no_height.dump()).error().code, "VALIDATORS_FILE_INVALID");
}

// A validators file as GET /v1/validators serves it is taken; a field that neither it nor the
// format names is refused, at every level, and named.
TEST(ValidatorsFile, RefusesUnknownFieldsAndTakesWhatTheNodeServes) {
  const crypto::KeyPair a = crypto::KeyPair::Generate(), b = crypto::KeyPair::Generate();
  json served = {
      {"chain_id", std::string(64, 'a')},
      {"validators", Members({a, b})},
      {"history",
       {{{"epoch", 1},
         {"from_height", 7},
         {"tx_id", std::string(64, 'c')},
         {"validators",
          {{{"name", "v"}, {"public_key", b.public_key.hex()}, {"address", "10.0.0.2:7811"}}}}}}}};
  ASSERT_TRUE(ParseValidatorsFile(served.dump())) << served.dump();
  for (const char* where :
       {"/chainid", "/validators/0/pubkey", "/history/0/from", "/history/0/validators/0/adress"}) {
    json bad = served;
    bad[json::json_pointer(where)] = "x";
    auto parsed = ParseValidatorsFile(bad.dump());
    ASSERT_FALSE(parsed) << where;
    EXPECT_EQ(parsed.error().code, "VALIDATORS_FILE_INVALID") << where;
    EXPECT_NE(parsed.error().detail.find("unknown field"), std::string::npos)
        << parsed.error().detail;
  }
}

TEST(GenesisFile, RefusesUnknownFieldsAndTakesEveryTradeSection) {
  const crypto::KeyPair a = crypto::KeyPair::Generate();
  nlohmann::ordered_json extra = {{"customs_authority", json::object()},
                                  {"ior_salt", "00ff"},
                                  {"holidays", json::array()},
                                  {"ledger_clock", {{"start", "2026-01-01T00:00:00Z"}}}};
  ASSERT_TRUE(
      Genesis::Parse(Genesis::Render("g", core::TimestampMs(1), {{"v1", a.public_key}}, extra)));
  extra["customs_authorty"] = json::object();  // misspelt: the network would have no customs
  auto g =
      Genesis::Parse(Genesis::Render("g", core::TimestampMs(1), {{"v1", a.public_key}}, extra));
  ASSERT_FALSE(g);
  EXPECT_EQ(g.error().code, "GENESIS_INVALID");
  EXPECT_NE(g.error().detail.find("unknown field 'customs_authorty'"), std::string::npos)
      << g.error().detail;
  json with_port = json::parse(Genesis::Render("g", core::TimestampMs(1), {{"v1", a.public_key}}));
  with_port["validators"][0]["port"] = 7811;
  EXPECT_EQ(Genesis::Parse(with_port.dump()).error().code, "GENESIS_INVALID");
}

// The file `tradeledger verify` and POST /v1/proofs/verify trust: nothing malformed is taken.
TEST(ValidatorsFile, RefusesDuplicateKeysBadHexAndAMissingChain) {
  const crypto::KeyPair a = crypto::KeyPair::Generate(), b = crypto::KeyPair::Generate();
  const json good = {{"chain_id", std::string(64, 'a')}, {"validators", Members({a, b})}};
  ASSERT_TRUE(ParseValidatorsFile(good.dump()));
  json duplicate = good;
  duplicate["validators"] = Members({a, b, a});
  json bad_key = good;
  bad_key["validators"][1]["public_key"] = std::string(63, 'a') + "g";
  json bad_chain = good;
  bad_chain["chain_id"] = "abc";
  json no_chain = good;
  no_chain.erase("chain_id");
  json empty = good;
  empty["validators"] = json::array();
  for (const std::string& text : {duplicate.dump(), bad_key.dump(), bad_chain.dump(),
                                  no_chain.dump(), empty.dump(), good.dump() + " trailing"}) {
    auto parsed = ParseValidatorsFile(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, "VALIDATORS_FILE_INVALID") << text;
  }
}

TEST(GenesisFile, RefusesMalformedFilesAndDuplicateValidators) {
  const crypto::KeyPair a = crypto::KeyPair::Generate(), b = crypto::KeyPair::Generate();
  const json good = {
      {"chain_name", "g"}, {"genesis_time_ms", 1000}, {"validators", Members({a, b})}};
  ASSERT_TRUE(Genesis::Parse(good.dump()));
  json duplicate = good;
  duplicate["validators"] = Members({a, b, b});
  json negative_time = good;
  negative_time["genesis_time_ms"] = -1;
  json no_name = good;
  no_name.erase("chain_name");
  json bad_key = good;
  bad_key["validators"][0]["public_key"] = "not hex";
  for (const std::string& text : {duplicate.dump(), negative_time.dump(), no_name.dump(),
                                  bad_key.dump(), std::string("[]"), std::string("{")}) {
    auto parsed = Genesis::Parse(text);
    ASSERT_FALSE(parsed) << text;
    EXPECT_EQ(parsed.error().code, "GENESIS_INVALID") << text;
  }
}

TEST(ReadFile, RefusesAFileOverItsLimitAndNamesAMissingOne) {
  const std::string path = ::testing::TempDir() + "read_file_test." + std::to_string(::getpid());
  std::ofstream(path) << std::string(17, 'x');
  EXPECT_EQ(ReadFile(path, 16).error().code, "FILE_TOO_LARGE");
  EXPECT_TRUE(ReadFile(path, 17));
  std::filesystem::remove(path);
  EXPECT_EQ(ReadFile(path).error().code, "FILE_READ_FAILED");
}

TEST(NodeConfig, RefusesBadPortsAndMalformedFields) {
  const json good = {{"data_dir", "d"}, {"key_file", "k"}, {"genesis_file", "g"}};
  ASSERT_TRUE(NodeConfig::Parse(good.dump(), "/etc/tl"));
  const json peer = {{"public_key", std::string(64, 'a')}, {"host", "h"}, {"port", 7811}};
  std::vector<json> bad;
  for (const json& port : {json(70000), json(-1), json("7711"), json(1.5)}) {
    json c = good;
    c["http"] = {{"port", port}};
    bad.push_back(c);
  }
  json p2p_port = good;
  p2p_port["p2p"] = {{"port", 65536}};
  bad.push_back(p2p_port);
  json peer_without_port = good;
  peer_without_port["peers"] = {peer};
  peer_without_port["peers"][0].erase("port");
  bad.push_back(peer_without_port);
  json peer_bad_key = good;
  peer_bad_key["peers"] = {peer};
  peer_bad_key["peers"][0]["public_key"] = "zz";
  bad.push_back(peer_bad_key);
  json no_data_dir = good;
  no_data_dir.erase("data_dir");
  bad.push_back(no_data_dir);
  json heartbeat = good;
  heartbeat["consensus"] = {{"base_timeout_ms", 500}, {"heartbeat_ms", 500}};
  bad.push_back(heartbeat);
  json pacing = good;
  pacing["consensus"] = {{"base_timeout_ms", 1000}, {"min_block_interval_ms", 251}};
  bad.push_back(pacing);
  json negative_pacing = good;
  negative_pacing["consensus"] = {{"min_block_interval_ms", -1}};
  bad.push_back(negative_pacing);
  for (const json& c : bad) {
    auto parsed = NodeConfig::Parse(c.dump(), "/etc/tl");
    ASSERT_FALSE(parsed) << c.dump();
    EXPECT_EQ(parsed.error().code, "CONFIG_INVALID") << c.dump();
  }
  EXPECT_EQ(NodeConfig::Parse("not json", "/etc/tl").error().code, "CONFIG_INVALID");
}

TEST(NodeConfig, PacesBlocksByDefaultAndKeepsTheIntervalItIsGiven) {
  const json good = {{"data_dir", "d"}, {"key_file", "k"}, {"genesis_file", "g"}};
  auto defaults = NodeConfig::Parse(good.dump(), "/etc/tl");
  ASSERT_TRUE(defaults);
  EXPECT_EQ(defaults->min_block_interval_ms, kDefaultMinBlockIntervalMs);
  json set = good;
  set["consensus"] = {{"min_block_interval_ms", 0}};
  auto off = NodeConfig::Parse(set.dump(), "/etc/tl");
  ASSERT_TRUE(off);
  EXPECT_EQ(off->min_block_interval_ms, 0u);
  set["consensus"] = {{"min_block_interval_ms", 45}};
  auto rendered = NodeConfig::Parse(NodeConfig::Parse(set.dump(), "/etc/tl")->Render(), "/etc/tl");
  ASSERT_TRUE(rendered);
  EXPECT_EQ(rendered->min_block_interval_ms, 45u);
  // At most a quarter of the view timeout, which also bounds the default.
  set["consensus"] = {{"base_timeout_ms", 1000}, {"min_block_interval_ms", 250}};
  auto quarter = NodeConfig::Parse(set.dump(), "/etc/tl");
  ASSERT_TRUE(quarter) << quarter.error().ToString();
  EXPECT_EQ(quarter->min_block_interval_ms, 250u);
  set["consensus"]["min_block_interval_ms"] = 251;
  auto over = NodeConfig::Parse(set.dump(), "/etc/tl");
  ASSERT_FALSE(over);
  EXPECT_NE(over.error().detail.find("min_block_interval_ms"), std::string::npos)
      << over.error().ToString();
  set["consensus"] = {{"base_timeout_ms", 60}, {"heartbeat_ms", 0}};
  auto short_timeout = NodeConfig::Parse(set.dump(), "/etc/tl");
  ASSERT_TRUE(short_timeout) << short_timeout.error().ToString();
  EXPECT_EQ(short_timeout->min_block_interval_ms, 15u);
}

TEST(NodeConfig, RefusesUnknownFieldsAtEveryLevelNamingThem) {
  const json good = {{"data_dir", "d"}, {"key_file", "k"}, {"genesis_file", "g"}};
  // Every field the format names, at every level, is accepted.
  json full = json::parse(NodeConfig::Parse(good.dump(), "/etc/tl")->Render());
  full["http"]["tls_cert"] = "c.pem";
  full["http"]["tls_key"] = "k.pem";
  full["http"]["portal_dir"] = "portal";
  full["metrics"] = {{"address", "127.0.0.1"}, {"port", 9711}};
  full["genesis_signoffs"] = "s.json";
  full["safety_file"] = "safety";
  full["peers"] = {
      {{"name", "v2"}, {"public_key", std::string(64, 'a')}, {"host", "h"}, {"port", 7812}}};
  ASSERT_TRUE(NodeConfig::Parse(full.dump(), "/etc/tl")) << full.dump();
  // A misspelt field anywhere is refused, and the message names it and where it was.
  const std::vector<std::pair<json::json_pointer, std::string>> misspelt = {
      {json::json_pointer("/max_block_transaction"), "'max_block_transaction'"},
      {json::json_pointer("/http/max_body_byte"), "'max_body_byte' in http"},
      {json::json_pointer("/p2p/adress"), "'adress' in p2p"},
      {json::json_pointer("/peers/0/hostname"), "'hostname' in a peer"},
      {json::json_pointer("/consensus/base_timeout"), "'base_timeout' in consensus"},
      {json::json_pointer("/metrics/prot"), "'prot' in metrics"},
      {json::json_pointer("/mempool/max_tx"), "'max_tx' in mempool"},
  };
  for (const auto& [where, named] : misspelt) {
    json c = full;
    c[where] = 1;
    auto parsed = NodeConfig::Parse(c.dump(), "/etc/tl");
    ASSERT_FALSE(parsed) << where.to_string();
    EXPECT_EQ(parsed.error().code, "CONFIG_INVALID");
    EXPECT_NE(parsed.error().detail.find("unknown field " + named), std::string::npos)
        << parsed.error().detail;
  }
}

}  // namespace
}  // namespace tradeledger::node
