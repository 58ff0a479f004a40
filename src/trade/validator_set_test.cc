#include "trade/validator_set.h"

#include "trade/trade_test_fixture.h"

namespace tradeledger::trade {
namespace {

using testing::TradeFixture;

class ValidatorSetTest : public TradeFixture {
 protected:
  static Json Member(const std::string& name, const crypto::PublicKey& key,
                     const std::string& address = "127.0.0.1:7811") {
    return {{"name", name}, {"publicKey", key.hex()}, {"address", address}};
  }
  static Json Members(size_t n) {
    Json out = Json::array();
    for (size_t i = 0; i < n; ++i) {
      out.push_back(Member("v" + std::to_string(i), crypto::KeyPair::Generate().public_key,
                           "10.0.0." + std::to_string(i + 1) + ":7811"));
    }
    return out;
  }
};

TEST_F(ValidatorSetTest, GenesisSetIsInForceUntilAChange) {
  auto current = CurrentValidatorSet(state_);
  ASSERT_TRUE(current);
  EXPECT_FALSE(current->has_value());
  auto history = ValidatorSetHistory(state_);
  ASSERT_TRUE(history);
  EXPECT_TRUE(history->empty());
}

TEST_F(ValidatorSetTest, OnlyACustomsAdministratorChangesTheSet) {
  crypto::KeyPair importer = Admit("IMP", {"IMPORTER"});
  int64_t t = Day("2025-01-01");
  EXPECT_EQ(Run(importer, "validator.set", {{"validators", Members(4)}}, t).code, "NOT_AUTHORIZED");
  EXPECT_EQ(Run(crypto::KeyPair::Generate(), "validator.set", {{"validators", Members(4)}}, t).code,
            "NOT_AUTHORIZED");
  EXPECT_FALSE(CurrentValidatorSet(state_)->has_value());
}

TEST_F(ValidatorSetTest, RejectsSizesThatTolerateNoFaultDuplicatesAndBadAddresses) {
  int64_t t = Day("2025-01-01");
  for (size_t n : {0, 2, 3, 65}) {
    EXPECT_EQ(Run(customs_, "validator.set", {{"validators", Members(n)}}, t).code,
              "VALIDATOR_SET_INVALID")
        << n;
  }
  Json dup = Members(3);
  dup.push_back(dup[0]);
  EXPECT_EQ(Run(customs_, "validator.set", {{"validators", dup}}, t).code, "VALIDATOR_SET_INVALID");
  for (const char* address : {"10.0.0.1", "10.0.0.1:0", "10.0.0.1:70000", ":7811", "h:x"}) {
    Json bad = Members(4);
    bad[1]["address"] = address;
    EXPECT_EQ(Run(customs_, "validator.set", {{"validators", bad}}, t).code,
              "VALIDATOR_SET_INVALID")
        << address;
  }
  Json bad_key = Members(4);
  bad_key[2]["publicKey"] = "abc";
  EXPECT_EQ(Run(customs_, "validator.set", {{"validators", bad_key}}, t).code,
            "VALIDATOR_SET_INVALID");
  EXPECT_EQ(Run(customs_, "validator.set", Json::object(), t).code, "PAYLOAD_INVALID");
  EXPECT_FALSE(CurrentValidatorSet(state_)->has_value());
}

TEST_F(ValidatorSetTest, AChangeTakesEffectAtTheNextHeightAndEachIsKept) {
  int64_t t = Day("2025-01-01");
  Json first = Members(4);
  TxOutcome one = Run(customs_, "validator.set", {{"validators", first}}, t);
  ASSERT_EQ(one.code, "OK") << one.detail;
  uint64_t first_height = height_;
  auto current = CurrentValidatorSet(state_);
  ASSERT_TRUE(current && current->has_value());
  EXPECT_EQ((*current)->epoch, 1u);
  EXPECT_EQ((*current)->from_height, first_height + 1);
  ASSERT_EQ((*current)->validators.size(), 4u);
  EXPECT_EQ((*current)->validators[3].host, "10.0.0.4");
  EXPECT_EQ((*current)->validators[3].port, 7811);

  ASSERT_EQ(Run(customs_, "validator.set", {{"validators", Members(1)}}, t).code, "OK");
  auto history = ValidatorSetHistory(state_);
  ASSERT_TRUE(history);
  ASSERT_EQ(history->size(), 2u);
  EXPECT_EQ((*history)[0].epoch, 1u);
  EXPECT_EQ((*history)[0].validators[0].public_key.hex(), first[0]["publicKey"]);
  EXPECT_EQ((*history)[1].epoch, 2u);
  EXPECT_EQ((*history)[1].from_height, height_ + 1);
  EXPECT_EQ((*CurrentValidatorSet(state_))->validators.size(), 1u);
}

}  // namespace
}  // namespace tradeledger::trade
