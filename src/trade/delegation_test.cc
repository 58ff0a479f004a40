#include "trade/delegation.h"

#include "trade/trade_test_fixture.h"

namespace tradeledger::trade {
namespace {

class DelegationTest : public testing::TradeFixture {
 protected:
  void SetUp() override {
    TradeFixture::SetUp();
    importer_ = Admit("IMP", {"IMPORTER"});
    broker_ = Admit("BRK", {"BROKER"});
  }
  Json Grant(std::vector<std::string> scope) {
    return {{"delegationId", "DEL-1"},
            {"agent", "BRK"},
            {"scope", scope},
            {"validFrom", "2025-01-01"},
            {"validTo", "2026-01-01"}};
  }
  crypto::KeyPair importer_, broker_;
};

TEST_F(DelegationTest, GrantCoversScopeAndPeriodUntilRevoked) {
  int64_t t = Day("2025-03-01");
  EXPECT_FALSE(*MayActForImporter(state_, "BRK", "IMP", kScopeFileEntry, t));
  ASSERT_EQ(Run(importer_, "delegation.grant", Grant({kScopeFileEntry, kScopeClaimPreference}),
                Day("2024-12-01"))
                .code,
            "OK");
  EXPECT_TRUE(*MayActForImporter(state_, "BRK", "IMP", kScopeFileEntry, t));
  EXPECT_TRUE(*MayActForImporter(state_, "BRK", "IMP", kScopeClaimPreference, t));
  EXPECT_FALSE(*MayActForImporter(state_, "BRK", "IMP", kScopePresentLicense, t));
  EXPECT_FALSE(*MayActForImporter(state_, "BRK", "IMP", kScopeFileEntry, Day("2026-01-01")));
  EXPECT_FALSE(*MayActForImporter(state_, "BRK", "IMP", kScopeFileEntry, Day("2024-12-31")));
  EXPECT_TRUE(*MayActForImporter(state_, "IMP", "IMP", kScopeFileEntry, t));

  EXPECT_EQ(Run(broker_, "delegation.revoke", {{"delegationId", "DEL-1"}}, t).code,
            "NOT_AUTHORIZED");
  ASSERT_EQ(Run(importer_, "delegation.revoke", {{"delegationId", "DEL-1"}}, t).code, "OK");
  EXPECT_FALSE(*MayActForImporter(state_, "BRK", "IMP", kScopeFileEntry, t + 1));
}

TEST_F(DelegationTest, OnlyImportersGrantAndInputIsChecked) {
  int64_t t = Day("2024-12-01");
  EXPECT_EQ(Run(broker_, "delegation.grant", Grant({kScopeFileEntry}), t).code, "NOT_AUTHORIZED");
  EXPECT_EQ(Run(importer_, "delegation.grant", Grant({"SIGN_CHEQUES"}), t).code, "PAYLOAD_INVALID");
  Json backwards = Grant({kScopeFileEntry});
  backwards["validTo"] = "2024-06-01";
  EXPECT_EQ(Run(importer_, "delegation.grant", backwards, t).code, "VALIDITY_INVALID");
  Json nobody = Grant({kScopeFileEntry});
  nobody["agent"] = "NOBODY";
  EXPECT_EQ(Run(importer_, "delegation.grant", nobody, t).code, "ORG_NOT_FOUND");
  ASSERT_EQ(Run(importer_, "delegation.grant", Grant({kScopeFileEntry}), t).code, "OK");
  EXPECT_EQ(Run(importer_, "delegation.grant", Grant({kScopeFileEntry}), t).code,
            "DELEGATION_EXISTS");
}

}  // namespace
}  // namespace tradeledger::trade
