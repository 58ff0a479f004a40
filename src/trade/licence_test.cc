#include "trade/licence.h"

#include "trade/ipr_test_fixture.h"
#include "trade/licence_rules.h"

namespace tradeledger::trade {
namespace {

class LicenceTest : public testing::IprFixture {
 protected:
  void SetUp() override {
    IprFixture::SetUp();
    ASSERT_EQ(RecordAndApprove(), "OK");
  }
  Licence Load(std::string id) {
    auto l = LoadLicence(state_, id);
    EXPECT_TRUE(l && *l);
    return l && *l ? **l : Licence{};
  }
  static Json Patch(Json body, const Json& patch) {
    for (auto& [k, v] : patch.items()) body[k] = v;
    return body;
  }
  TxOutcome IssueL1(Json patch = Json::object()) {
    return Run(rh_, "ipr.license.issue", Patch(L1Body(), patch), Day("2024-12-01"));
  }
  TxOutcome IssueF(Json patch = Json::object()) {
    return Run(l1_, "ipr.license.issue", Patch(FBody(), patch), Day("2025-01-15"));
  }
};

// --- Rule 26: LICENSOR_NOT_ENTITLED ---

TEST_F(LicenceTest, Rule26RootLicensorMustOwnTheRecordation) {
  Json body = Patch(L1Body(), {{"licenseId", "FAKE"}});
  EXPECT_EQ(Run(other_, "ipr.license.issue", body, Day("2024-12-01")).code,
            "LICENSOR_NOT_ENTITLED");
  EXPECT_EQ(IssueL1().code, "OK");
}

TEST_F(LicenceTest, Rule26RecordationMustBeActive) {
  ASSERT_EQ(
      Run(rh_, "ipr.recordation.apply", RecordationBody("TMK 19-00002"), Day("2024-06-01")).code,
      "OK");  // applied, never approved
  EXPECT_EQ(IssueL1({{"recordationRefs", {"TMK 19-00002"}}}).code, "LICENSOR_NOT_ENTITLED");
  EXPECT_EQ(Run(rh_, "ipr.license.issue", L1Body(), Day("2030-01-02")).code,
            "LICENSOR_NOT_ENTITLED");  // TMK 19-00001 expired 2029-12-31
  EXPECT_EQ(IssueL1({{"recordationRefs", {"TMK 19-09999"}}}).code, "RECORDATION_NOT_FOUND");
  EXPECT_EQ(IssueL1({{"rightType", "COPYRIGHT"}}).code, "RIGHT_TYPE_MISMATCH");
}

TEST_F(LicenceTest, Rule26SublicensorMustHoldTheParent) {
  ASSERT_EQ(IssueL1().code, "OK");
  EXPECT_EQ(Run(other_, "ipr.license.issue", FBody(), Day("2025-01-15")).code,
            "LICENSOR_NOT_ENTITLED");
  EXPECT_EQ(IssueF().code, "OK");
}

TEST_F(LicenceTest, Rule26ParentMustAllowSublicensing) {
  ASSERT_EQ(IssueL1({{"permissions", {"MANUFACTURE", "IMPORT"}}}).code, "OK");
  EXPECT_EQ(IssueF().code, "LICENSOR_NOT_ENTITLED");
}

TEST_F(LicenceTest, Rule26ParentMustBeActive) {
  ASSERT_EQ(IssueL1().code, "OK");
  // Before L1's validFrom the parent is only ISSUED.
  EXPECT_EQ(Run(l1_, "ipr.license.issue", FBody(), Day("2024-12-15")).code,
            "LICENSOR_NOT_ENTITLED");
  ASSERT_EQ(Run(rh_, "ipr.license.suspend", {{"licenseId", "L1-LIC"}}, Day("2025-01-10")).code,
            "OK");
  EXPECT_EQ(IssueF().code, "LICENSOR_NOT_ENTITLED");
  ASSERT_EQ(Run(rh_, "ipr.license.reinstate", {{"licenseId", "L1-LIC"}}, Day("2025-01-12")).code,
            "OK");
  EXPECT_EQ(IssueF().code, "OK");
}

// --- Rule 27: SUBLICENSE_EXCEEDS_PARENT ---

TEST_F(LicenceTest, Rule27PermissionsMustBeSubset) {
  ASSERT_EQ(IssueL1({{"permissions", {"MANUFACTURE", "SUBLICENSE"}}}).code, "OK");
  TxOutcome out = IssueF({{"permissions", {"MANUFACTURE", "IMPORT"}}});
  EXPECT_EQ(out.code, "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_NE(out.detail.find("permissions"), std::string::npos);
}

TEST_F(LicenceTest, Rule27ValidityMustBeWithinParent) {
  ASSERT_EQ(IssueL1().code, "OK");
  EXPECT_EQ(IssueF({{"validTo", "2027-06-01"}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_EQ(IssueF({{"validFrom", "2024-12-01"}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_EQ(IssueF({{"validFrom", "2025-02-01"}, {"validTo", "2026-12-31"}}).code, "OK");
}

TEST_F(LicenceTest, Rule27ProductsMustBeWithinParentHtsPrefixes) {
  ASSERT_EQ(IssueL1().code, "OK");
  Json shoes = {{{"description", "shoes"}, {"htsPrefixes", {"6403"}}}};
  EXPECT_EQ(IssueF({{"products", shoes}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  Json chapter = {{{"description", "all knits"}, {"htsPrefixes", {"61"}}}};  // wider than 6109
  EXPECT_EQ(IssueF({{"products", chapter}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  Json tees = {{{"description", "tees"}, {"htsPrefixes", {"6109.10"}}}};
  EXPECT_EQ(IssueF({{"products", tees}}).code, "OK");
}

TEST_F(LicenceTest, Rule27MidsCountriesAndImportersWithinParentRestrictions) {
  ASSERT_EQ(
      IssueL1({{"authorizedManufacturerMids", {"VNFACTON12HAN"}}, {"authorizedImporters", {"L1"}}})
          .code,
      "OK");
  EXPECT_EQ(IssueF({{"authorizedManufacturerMids", {"CNOTHMAK88SHE"}}}).code,
            "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_EQ(IssueF({{"countriesOfManufacture", {"VN", "CN"}}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_EQ(IssueF({{"authorizedImporters", {"OTHER"}}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  ASSERT_EQ(IssueF().code, "OK");
  // Silent lists inherit the parent's restriction rather than widening it.
  Licence f = Load("F-SUB");
  EXPECT_EQ(f.countries, std::vector<std::string>{"VN"});
  EXPECT_EQ(f.importers, std::vector<std::string>{"L1"});
  EXPECT_EQ(f.valid_to, Day("2027-01-01"));
  EXPECT_EQ(f.recordation_refs, std::vector<std::string>{kRec});
  EXPECT_EQ(f.depth, 2);
}

TEST_F(LicenceTest, Rule27QuantityLimitWithinParentsRemaining) {
  ASSERT_EQ(IssueL1().code, "OK");
  EXPECT_EQ(IssueF({{"quantityLimit", 10001}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  ASSERT_EQ(IssueF({{"licenseId", "F-0"}, {"quantityLimit", 100}}).code, "OK");
  // 4,000 assessed under L1 leave 6,000.
  Json line = Line("ABC-1234567-8", 4000);
  line["licenseRefs"] = {"L1-LIC"};
  ASSERT_EQ(Assess(l1_, line, Day("2025-03-11"))["result"], "FACILITATE");
  EXPECT_EQ(IssueF({{"quantityLimit", 6001}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_EQ(IssueF({{"quantityLimit", 6000}}).code, "OK");
}

TEST_F(LicenceTest, Rule27RecordationsAndRightTypeWithinParent) {
  ASSERT_EQ(RecordAndApprove("TMK 19-00002"), "OK");
  ASSERT_EQ(IssueL1().code, "OK");
  EXPECT_EQ(IssueF({{"recordationRefs", {"TMK 19-00002"}}}).code, "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_EQ(IssueF({{"rightType", "COPYRIGHT"}}).code, "SUBLICENSE_EXCEEDS_PARENT");
}

TEST_F(LicenceTest, Rule27ChainDepthIsBounded) {
  std::vector<crypto::KeyPair> keys;
  for (int i = 1; i <= kMaxLicenceChainDepth + 1; ++i) {
    keys.push_back(Admit("O" + std::to_string(i), {"LICENSEE"}));
  }
  Json root = Patch(L1Body(), {{"licenseId", "D1"}, {"licensee", "O1"}});
  root.erase("quantityLimit");
  ASSERT_EQ(Run(rh_, "ipr.license.issue", root, Day("2024-12-01")).code, "OK");
  for (int d = 2; d <= kMaxLicenceChainDepth + 1; ++d) {
    Json sub = {{"licenseId", "D" + std::to_string(d)},
                {"licensee", "O" + std::to_string(d)},
                {"parentLicenseId", "D" + std::to_string(d - 1)},
                {"permissions", {"MANUFACTURE", "SUBLICENSE"}}};
    TxOutcome out =
        Run(keys[static_cast<size_t>(d - 2)], "ipr.license.issue", sub, Day("2025-01-15"));
    if (d <= kMaxLicenceChainDepth) {
      ASSERT_EQ(out.code, "OK") << "depth " << d;
    } else {
      EXPECT_EQ(out.code, "SUBLICENSE_EXCEEDS_PARENT");
      EXPECT_NE(out.detail.find("depth"), std::string::npos);
    }
  }
}

TEST_F(LicenceTest, Rule27NoCycles) {
  ASSERT_EQ(IssueL1().code, "OK");
  ASSERT_EQ(IssueF({{"licenseId", "O-SUB"},
                    {"licensee", "OTHER"},
                    {"permissions", {"MANUFACTURE", "SUBLICENSE"}}})
                .code,
            "OK");
  Json back = {{"licenseId", "BACK"},
               {"licensee", "L1"},
               {"parentLicenseId", "O-SUB"},
               {"permissions", {"MANUFACTURE"}}};
  TxOutcome out = Run(other_, "ipr.license.issue", back, Day("2025-01-20"));
  EXPECT_EQ(out.code, "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_NE(out.detail.find("cycle"), std::string::npos);
}

TEST_F(LicenceTest, IssueBodyIsValidated) {
  EXPECT_EQ(IssueL1({{"authorizedManufacturerMids", {"XXBAD1"}}}).code, "MID_FORMAT");
  EXPECT_EQ(IssueL1({{"countriesOfManufacture", {"XX"}}}).code, "COUNTRY_CODE_INVALID");
  EXPECT_EQ(IssueL1({{"products", {{{"description", "x"}, {"htsPrefixes", {"6"}}}}}}).code,
            "HTS_FORMAT");
  EXPECT_EQ(IssueL1({{"permissions", {"SELL"}}}).code, "PAYLOAD_INVALID");
  EXPECT_EQ(IssueL1({{"licensee", "RH"}}).code, "PAYLOAD_INVALID");
  EXPECT_EQ(IssueL1({{"licensee", "NOBODY"}}).code, "ORG_NOT_FOUND");
  EXPECT_EQ(IssueL1({{"licensee", "BRK"}}).code, "LICENSEE_INVALID");
  EXPECT_EQ(IssueL1({{"validTo", "2024-01-01"}}).code, "VALIDITY_INVALID");
  EXPECT_EQ(IssueL1({{"licenseId", "bad/id"}}).code, "PAYLOAD_INVALID");
  EXPECT_EQ(IssueL1({{"quantityLimit", -5}}).code, "PAYLOAD_INVALID");
  EXPECT_EQ(Run(broker_, "ipr.license.issue", L1Body(), Day("2024-12-01")).code, "NOT_AUTHORIZED");
  ASSERT_EQ(IssueL1().code, "OK");
  EXPECT_EQ(IssueL1().code, "LICENSE_EXISTS");
  EXPECT_EQ(IssueF({{"parentLicenseId", "NOPE"}}).code, "LICENSE_NOT_FOUND");
}

// --- State machine ---

TEST_F(LicenceTest, StateMachineAllowedAndForbiddenTransitions) {
  ASSERT_EQ(IssueL1().code, "OK");
  auto act = [&](const char* type, const char* date) {
    return Run(rh_, type, {{"licenseId", "L1-LIC"}}, Day(date)).code;
  };
  EXPECT_EQ(LicenceOwnStateAt(Load("L1-LIC"), Day("2024-12-02")), "ISSUED");
  EXPECT_EQ(act("ipr.license.suspend", "2024-12-02"), "LICENSE_STATE_INVALID");  // ISSUED
  EXPECT_EQ(LicenceOwnStateAt(Load("L1-LIC"), Day("2025-01-01")), "ACTIVE");
  EXPECT_EQ(act("ipr.license.reinstate", "2025-02-01"), "LICENSE_STATE_INVALID");  // ACTIVE
  EXPECT_EQ(act("ipr.license.suspend", "2025-02-01"), "OK");
  EXPECT_EQ(act("ipr.license.suspend", "2025-02-02"), "LICENSE_STATE_INVALID");
  EXPECT_EQ(LicenceOwnStateAt(Load("L1-LIC"), Day("2025-02-03")), "SUSPENDED");
  EXPECT_EQ(act("ipr.license.reinstate", "2025-02-10"), "OK");
  EXPECT_EQ(LicenceOwnStateAt(Load("L1-LIC"), Day("2025-02-05")), "SUSPENDED");  // history kept
  EXPECT_EQ(LicenceOwnStateAt(Load("L1-LIC"), Day("2025-02-11")), "ACTIVE");
  EXPECT_EQ(act("ipr.license.revoke", "2025-03-01"), "OK");
  EXPECT_EQ(act("ipr.license.revoke", "2025-03-02"), "LICENSE_STATE_INVALID");
  EXPECT_EQ(act("ipr.license.reinstate", "2025-03-02"), "LICENSE_STATE_INVALID");
  EXPECT_EQ(act("ipr.license.suspend", "2025-03-02"), "LICENSE_STATE_INVALID");
  EXPECT_EQ(LicenceOwnStateAt(Load("L1-LIC"), Day("2025-02-28")), "ACTIVE");
  EXPECT_EQ(LicenceOwnStateAt(Load("L1-LIC"), Day("2027-06-01")), "REVOKED");
}

TEST_F(LicenceTest, ExpiryIsDerivedAndTerminal) {
  ASSERT_EQ(IssueL1().code, "OK");
  EXPECT_EQ(LicenceOwnStateAt(Load("L1-LIC"), Day("2027-01-01")), "EXPIRED");
  EXPECT_EQ(Run(rh_, "ipr.license.revoke", {{"licenseId", "L1-LIC"}}, Day("2027-01-02")).code,
            "LICENSE_STATE_INVALID");
  EXPECT_EQ(Run(rh_, "ipr.license.suspend", {{"licenseId", "L1-LIC"}}, Day("2027-01-02")).code,
            "LICENSE_STATE_INVALID");
}

TEST_F(LicenceTest, OnlyLicensorsChangeState) {
  ASSERT_EQ(IssueL1().code, "OK");
  ASSERT_EQ(IssueF().code, "OK");
  int64_t t = Day("2025-02-01");
  EXPECT_EQ(Run(l1_, "ipr.license.revoke", {{"licenseId", "L1-LIC"}}, t).code, "NOT_AUTHORIZED");
  EXPECT_EQ(Run(other_, "ipr.license.suspend", {{"licenseId", "F-SUB"}}, t).code, "NOT_AUTHORIZED");
  EXPECT_EQ(Run(rh_, "ipr.license.suspend", {{"licenseId", "F-SUB"}}, t).code, "NOT_AUTHORIZED");
  EXPECT_EQ(Run(rh_, "ipr.license.revoke", {{"licenseId", "NOPE"}}, t).code, "LICENSE_NOT_FOUND");
  // A licensor higher in the chain may revoke a sublicence.
  EXPECT_EQ(Run(rh_, "ipr.license.revoke", {{"licenseId", "F-SUB"}}, t).code, "OK");
}

TEST_F(LicenceTest, RevocationCascadesToDescendantsWithoutRewritingThem) {
  ASSERT_EQ(IssueL1().code, "OK");
  ASSERT_EQ(IssueF().code, "OK");
  auto before = state_.Get(LicenceKey("F-SUB"));
  ASSERT_TRUE(before && *before);
  ASSERT_EQ(Run(rh_, "ipr.license.revoke", {{"licenseId", "L1-LIC"}}, Day("2025-06-01")).code,
            "OK");
  auto after = state_.Get(LicenceKey("F-SUB"));
  ASSERT_TRUE(after && *after);
  EXPECT_EQ(**before, **after);  // the sublicence record is untouched
  Licence f = Load("F-SUB");
  EXPECT_EQ(LicenceOwnStateAt(f, Day("2025-06-02")), "ACTIVE");
  auto eff = EffectiveLicenceStateAt(state_, f, Day("2025-06-02"));
  ASSERT_TRUE(eff);
  EXPECT_EQ(eff->state, "REVOKED");
  EXPECT_EQ(eff->cause, "L1-LIC");
  EXPECT_EQ(EffectiveLicenceStateAt(state_, f, Day("2025-05-31"))->state, "ACTIVE");
  // An ineffective parent can no longer be sublicensed.
  EXPECT_EQ(
      Run(l1_, "ipr.license.issue", Patch(FBody(), {{"licenseId", "F-2"}}), Day("2025-06-03")).code,
      "LICENSOR_NOT_ENTITLED");
}

}  // namespace
}  // namespace tradeledger::trade
