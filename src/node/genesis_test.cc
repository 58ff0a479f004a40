#include "node/genesis.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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

}  // namespace
}  // namespace tradeledger::node
