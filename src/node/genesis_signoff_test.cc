// The founders' sign-off of a genesis (ADR 0022): every validator must sign the chain id, a
// missing or forged signature is named, sign-offs for another chain are refused, and a
// validator's published address is validated by the genesis parser.
#include "node/genesis_signoff.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace tradeledger::node {
namespace {

class GenesisSignoffTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<GenesisValidator> validators;
    for (int i = 0; i < 4; ++i) {
      validators.push_back({"v" + std::to_string(i + 1), keys_[i].public_key,
                            "127.0.0.1:" + std::to_string(7801 + i)});
    }
    genesis_ = *Genesis::Parse(Genesis::Render("signoff", core::TimestampMs(1), validators));
  }
  std::vector<GenesisSignoff> SignedBy(std::initializer_list<int> who) {
    std::vector<GenesisSignoff> out;
    for (int i : who) out.push_back(*SignGenesis(genesis_, keys_[i]));
    return MergeSignoffs(genesis_, {}, out);
  }

  crypto::KeyPair keys_[4] = {crypto::KeyPair::Generate(), crypto::KeyPair::Generate(),
                              crypto::KeyPair::Generate(), crypto::KeyPair::Generate()};
  Genesis genesis_;
};

TEST_F(GenesisSignoffTest, EveryFounderMustSign) {
  EXPECT_TRUE(CheckSignoffs(genesis_, SignedBy({0, 1, 2, 3})).has_value());
  auto three = CheckSignoffs(genesis_, SignedBy({0, 2, 3}));
  ASSERT_FALSE(three.has_value());
  EXPECT_EQ(three.error().code, "GENESIS_NOT_SIGNED_OFF");
  EXPECT_EQ(three.error().detail, "no sign-off by v2");
}

TEST_F(GenesisSignoffTest, AForgedSignatureIsNamed) {
  auto signoffs = SignedBy({0, 1, 2, 3});
  signoffs[3].signature.data[0] ^= 1;
  auto r = CheckSignoffs(genesis_, signoffs);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, "GENESIS_NOT_SIGNED_OFF");
  EXPECT_EQ(r.error().detail, "bad signature by v4");
  // A signature over another chain's id does not count for this one.
  Genesis other =
      *Genesis::Parse(Genesis::Render("other", core::TimestampMs(1), genesis_.validators));
  signoffs[3] = *SignGenesis(other, keys_[3]);
  EXPECT_FALSE(CheckSignoffs(genesis_, signoffs).has_value());
}

TEST_F(GenesisSignoffTest, TheFileRoundTripsAndIsBoundToItsChain) {
  auto signoffs = SignedBy({3, 1});
  EXPECT_EQ(signoffs[0].name, "v2");  // in the genesis' order
  std::string text = RenderSignoffs(genesis_, signoffs);
  auto parsed = ParseSignoffs(text, genesis_);
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->size(), 2u);
  EXPECT_EQ((*parsed)[1].signature, signoffs[1].signature);

  Genesis other =
      *Genesis::Parse(Genesis::Render("other", core::TimestampMs(1), genesis_.validators));
  EXPECT_EQ(ParseSignoffs(text, other).error().code, "SIGNOFFS_WRONG_CHAIN");
  EXPECT_EQ(ParseSignoffs("[]", genesis_).error().code, "SIGNOFFS_INVALID");
  EXPECT_EQ(ParseSignoffs(R"({"chain_id": ")" + genesis_.chain_id.hex() +
                              R"(", "signoffs": [{"public_key": "zz", "signature": "00"}]})",
                          genesis_)
                .error()
                .code,
            "SIGNOFFS_INVALID");
}

TEST_F(GenesisSignoffTest, UnknownFieldsAreRefused) {
  auto text = nlohmann::json::parse(RenderSignoffs(genesis_, SignedBy({0, 1})));
  ASSERT_TRUE(ParseSignoffs(text.dump(), genesis_));
  auto top = text;
  top["signofs"] = nlohmann::json::array();
  auto entry = text;
  entry["signoffs"][1]["sig"] = "00";
  for (const auto& bad : {top, entry}) {
    auto parsed = ParseSignoffs(bad.dump(), genesis_);
    ASSERT_FALSE(parsed.has_value()) << bad.dump();
    EXPECT_EQ(parsed.error().code, "SIGNOFFS_INVALID");
    EXPECT_NE(parsed.error().detail.find("unknown field"), std::string::npos);
  }
}

TEST_F(GenesisSignoffTest, OnlyAFounderCanSignAndASecondSignatureReplacesTheFirst) {
  EXPECT_EQ(SignGenesis(genesis_, crypto::KeyPair::Generate()).error().code,
            "SIGNOFF_NOT_A_VALIDATOR");
  auto first = SignedBy({0});
  GenesisSignoff again = *SignGenesis(genesis_, keys_[0]);
  again.name = "renamed";
  auto merged = MergeSignoffs(genesis_, first, {again});
  ASSERT_EQ(merged.size(), 1u);
  EXPECT_EQ(merged[0].name, "renamed");
}

TEST_F(GenesisSignoffTest, ValidatorAddressesAreValidated) {
  EXPECT_EQ(genesis_.validators[2].address, "127.0.0.1:7803");
  for (const char* bad :
       {"127.0.0.1", ":80", "host:", "host:0", "host:65536", "a b:80", "::1:80", "host:8x"}) {
    std::vector<GenesisValidator> v = {{"v1", keys_[0].public_key, bad}};
    auto g = Genesis::Parse(Genesis::Render("bad", core::TimestampMs(1), v));
    ASSERT_FALSE(g.has_value()) << bad;
    EXPECT_EQ(g.error().code, "GENESIS_INVALID") << bad;
  }
  auto v6 = ParseHostPort("[::1]:7800");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->first, "::1");
  EXPECT_EQ(v6->second, 7800);
}

}  // namespace
}  // namespace tradeledger::node
