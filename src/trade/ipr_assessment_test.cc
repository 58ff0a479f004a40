#include "trade/ipr_assessment.h"

#include "trade/delegation.h"
#include "trade/entry.h"
#include "trade/entry_number.h"
#include "trade/ipr_test_fixture.h"
#include "trade/licence.h"

namespace tradeledger::trade {
namespace {

class IprAssessmentTest : public testing::IprFixture {
 protected:
  void SetUp() override {
    IprFixture::SetUp();
    SetUpStory10();
  }
  static Json With(Json line, const Json& patch) {
    for (auto& [k, v] : patch.items()) line[k] = v;
    return line;
  }
  uint64_t Used(const std::string& id) { return *LoadQuantityUsed(state_, id); }
  static std::vector<std::string> Reasons(const Json& a) {
    return a["reasonCodes"].get<std::vector<std::string>>();
  }
  int64_t t_ = Day("2025-03-12");
};

TEST_F(IprAssessmentTest, Rule28FullChainFacilitates) {
  Json a = Assess(l1_, Line("ABC-1234567-8", 100), t_);
  EXPECT_EQ(a["result"], "FACILITATE");
  EXPECT_TRUE(a["reasonCodes"].empty());
  EXPECT_EQ(a["licenseChain"], Json({"F-SUB", "L1-LIC"}));
  EXPECT_EQ(a["assessmentId"], "ABC-1234567-8#1");
}

TEST_F(IprAssessmentTest, Rule28MissingChainIsNoCredential) {
  Json a = Assess(l1_, With(Line("ABC-1234567-8", 100), {{"licenseRefs", Json::array()}}), t_);
  EXPECT_EQ(a["result"], "NO_CREDENTIAL");
  a = Assess(l1_, With(Line("ABC-1234567-8", 100), {{"lineNo", 2}, {"licenseRefs", {"GHOST"}}}),
             t_);
  EXPECT_EQ(a["result"], "NO_CREDENTIAL");
  // A presented chain that does not follow the ledger's parent links is no credential either.
  a = Assess(l1_,
             With(Line("ABC-1234567-8", 100), {{"lineNo", 3}, {"licenseRefs", {"F-SUB", "F-SUB"}}}),
             t_);
  EXPECT_EQ(a["result"], "NO_CREDENTIAL");
  // The leaf alone is enough: its ancestors come from the ledger.
  a = Assess(l1_, With(Line("ABC-1234567-8", 100), {{"lineNo", 4}, {"licenseRefs", {"F-SUB"}}}),
             t_);
  EXPECT_EQ(a["result"], "FACILITATE");
  EXPECT_EQ(a["licenseChain"], Json({"F-SUB", "L1-LIC"}));
}

TEST_F(IprAssessmentTest, Rule28RevokedLinkFlags) {
  ASSERT_EQ(Run(rh_, "ipr.license.revoke", {{"licenseId", "L1-LIC"}}, Day("2025-04-01")).code,
            "OK");
  Json a = Assess(l1_, Line("ABC-1234567-8", 100, "2025-04-02"), Day("2025-04-03"));
  EXPECT_EQ(a["result"], "FLAG");
  EXPECT_EQ(Reasons(a).front(), "LICENSE_REVOKED");
}

TEST_F(IprAssessmentTest, Rule28ExpiredLinkFlags) {
  Json a = Assess(l1_, Line("ABC-1234567-8", 100, "2027-01-05"), Day("2027-01-06"));
  EXPECT_EQ(a["result"], "FLAG");
  EXPECT_EQ(Reasons(a).front(), "LICENSE_EXPIRED");
}

TEST_F(IprAssessmentTest, Rule28SuspendedOrNotYetValidLinkFlags) {
  ASSERT_EQ(Run(rh_, "ipr.license.suspend", {{"licenseId", "L1-LIC"}}, Day("2025-04-01")).code,
            "OK");
  Json a = Assess(l1_, Line("ABC-1234567-8", 100, "2025-04-10"), Day("2025-04-11"));
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"LICENSE_SUSPENDED"});
  a = Assess(l1_, With(Line("ABC-1234567-8", 100, "2024-12-20"), {{"lineNo", 2}}),
             Day("2025-04-11"));
  EXPECT_EQ(Reasons(a).front(), "LICENSE_NOT_YET_VALID");
}

TEST_F(IprAssessmentTest, Rule28ProductMustBeCovered) {
  Json a = Assess(l1_, With(Line("ABC-1234567-8", 100), {{"hts10", "6403990000"}}), t_);
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"PRODUCT_NOT_COVERED"});
  a = Assess(l1_, With(Line("ABC-1234567-8", 100), {{"lineNo", 2}, {"brand", "ACMEE"}}), t_);
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"PRODUCT_NOT_COVERED"});
  a = Assess(l1_, With(Line("ABC-1234567-8", 100), {{"lineNo", 3}, {"brand", "acme"}}), t_);
  EXPECT_EQ(a["result"], "FACILITATE");  // brands compare without case
  a = Assess(
      l1_, With(Line("ABC-1234567-8", 100), {{"lineNo", 4}, {"recordationRefs", {"TMK 20-00007"}}}),
      t_);
  EXPECT_EQ(Reasons(a).back(), "PRODUCT_NOT_COVERED");
}

TEST_F(IprAssessmentTest, Rule28MidMustBeAuthorized) {
  Json a = Assess(l1_, With(Line("ABC-1234567-8", 100), {{"mid", "CNOTHMAK88SHE"}}), t_);
  EXPECT_EQ(a["result"], "FLAG");
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"MID_NOT_AUTHORIZED"});
}

TEST_F(IprAssessmentTest, Rule28ChainMustAuthorizeManufacture) {
  Json imp = {{"licenseId", "IMP-ONLY"},
              {"licensee", "OTHER"},
              {"recordationRefs", {kRec}},
              {"rightType", "TRADEMARK"},
              {"products", {{{"description", "tees"}, {"htsPrefixes", {"6109"}}}}},
              {"permissions", {"IMPORT"}},
              {"validFrom", "2025-01-01"},
              {"validTo", "2026-01-01"}};
  ASSERT_EQ(Run(rh_, "ipr.license.issue", imp, Day("2024-12-01")).code, "OK");
  Json line =
      With(Line("ABC-1234567-8", 100), {{"importer", "OTHER"}, {"licenseRefs", {"IMP-ONLY"}}});
  Json a = Assess(other_, line, t_);
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"MID_NOT_AUTHORIZED"});
}

TEST_F(IprAssessmentTest, Rule28CountryMustBeAuthorized) {
  Json a = Assess(l1_, With(Line("ABC-1234567-8", 100), {{"countryOfOrigin", "CN"}}), t_);
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"COUNTRY_NOT_AUTHORIZED"});
}

TEST_F(IprAssessmentTest, Rule28ImporterMustBeLicenseeOrAuthorized) {
  Json a = Assess(other_, With(Line("ABC-1234567-8", 100), {{"importer", "OTHER"}}), t_);
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"IMPORTER_NOT_AUTHORIZED"});
  EXPECT_EQ(Used("L1-LIC"), 0u);  // an unauthorised line does not use the licence's quantity
  // F is a factory: without the IMPORTER role it cannot present licences as an importer.
  EXPECT_EQ(Run(f_, "ipr.assess",
                With(Line("ABC-1234567-8", 100), {{"lineNo", 2}, {"importer", "F"}}), t_)
                .code,
            "NOT_AUTHORIZED_FILER");
}

TEST_F(IprAssessmentTest, Rule28AuthorizedImporterListedInTheChain) {
  Json l2 = L1Body();
  l2["licenseId"] = "L2-LIC";
  l2["authorizedImporters"] = {"OTHER"};
  ASSERT_EQ(Run(rh_, "ipr.license.issue", l2, Day("2024-12-01")).code, "OK");
  Json line =
      With(Line("ABC-1234567-8", 100), {{"importer", "OTHER"}, {"licenseRefs", {"L2-LIC"}}});
  EXPECT_EQ(Assess(other_, line, t_)["result"], "FACILITATE");
}

TEST_F(IprAssessmentTest, Rule28RecordationMustBeActiveOnImportDate) {
  ASSERT_EQ(Run(rh_, "ipr.recordation.cancel", {{"recordationNo", kRec}}, Day("2025-05-01")).code,
            "OK");
  Json a = Assess(l1_, Line("ABC-1234567-8", 100, "2025-05-10"), Day("2025-05-11"));
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"RECORDATION_NOT_ACTIVE"});
  a = Assess(l1_, With(Line("ABC-1234567-8", 100, "2025-04-10"), {{"lineNo", 2}}),
             Day("2025-05-11"));
  EXPECT_EQ(a["result"], "FACILITATE");
}

TEST_F(IprAssessmentTest, Rule29QuantityIsCumulativeAndOnlyFlags) {
  ASSERT_EQ(Assess(l1_, Line("ABC-1234567-8", 4000), t_)["result"], "FACILITATE");
  EXPECT_EQ(Used("L1-LIC"), 4000u);
  EXPECT_EQ(Used("F-SUB"), 4000u);
  Json a = Assess(l1_, Line("ABC-7654321-0", 7000), t_);
  EXPECT_EQ(last_code_, "OK");  // recorded, not denied
  EXPECT_EQ(a["result"], "FLAG");
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"QUANTITY_LIMIT_EXCEEDED"});
  EXPECT_EQ(Used("L1-LIC"), 11000u);
  a = Assess(l1_, With(Line("ABC-7654321-0", 1), {{"lineNo", 2}}), t_);
  EXPECT_EQ(Reasons(a), std::vector<std::string>{"QUANTITY_LIMIT_EXCEEDED"});
}

TEST_F(IprAssessmentTest, Rule25BrokerNeedsPresentLicenseDelegation) {
  Json line = Line("ABC-1234567-8", 100);
  EXPECT_EQ(Run(broker_, "ipr.assess", line, t_).code, "NOT_AUTHORIZED_FILER");
  Json grant = {{"delegationId", "DEL-1"},
                {"agent", "BRK"},
                {"scope", {kScopeFileEntry}},
                {"validFrom", "2025-01-01"},
                {"validTo", "2026-01-01"}};
  ASSERT_EQ(Run(l1_, "delegation.grant", grant, Day("2024-12-01")).code, "OK");
  EXPECT_EQ(Run(broker_, "ipr.assess", line, t_).code, "NOT_AUTHORIZED_FILER");
  grant["delegationId"] = "DEL-2";
  grant["scope"] = {kScopePresentLicense};
  ASSERT_EQ(Run(l1_, "delegation.grant", grant, Day("2024-12-01")).code, "OK");
  EXPECT_EQ(Assess(broker_, line, t_)["filedBy"], "BRK");
  ASSERT_EQ(Run(l1_, "delegation.revoke", {{"delegationId", "DEL-2"}}, Day("2025-03-13")).code,
            "OK");
  EXPECT_EQ(Run(broker_, "ipr.assess", With(line, {{"lineNo", 2}}), Day("2025-03-14")).code,
            "NOT_AUTHORIZED_FILER");
}

TEST_F(IprAssessmentTest, LineIsAssessedOnceAndBodyIsValidated) {
  Json line = Line("ABC12345678", 100);  // dashes are optional
  ASSERT_EQ(Run(l1_, "ipr.assess", line, t_).code, "OK");
  EXPECT_EQ(Run(l1_, "ipr.assess", Line("ABC-1234567-8", 5), t_).code, "ASSESSMENT_EXISTS");
  auto bad = [&](Json patch) { return Run(l1_, "ipr.assess", With(line, patch), t_).code; };
  EXPECT_EQ(bad({{"entryNumber", "AB-1234567-8"}}), "ENTRY_NUMBER_INVALID");
  EXPECT_EQ(bad({{"hts10", "61091000"}}), "HTS_FORMAT");
  EXPECT_EQ(bad({{"countryOfOrigin", "XX"}}), "COUNTRY_CODE_INVALID");
  EXPECT_EQ(bad({{"mid", "XXBAD1"}}), "MID_FORMAT");
  EXPECT_EQ(bad({{"quantity", 0}}), "PAYLOAD_INVALID");
  EXPECT_EQ(bad({{"lineNo", "one"}}), "PAYLOAD_INVALID");
  EXPECT_EQ(bad({{"importDate", "2025-13-01"}}), "DATE_INVALID");
  EXPECT_EQ(bad({{"licenseRefs", {1, 2}}}), "PAYLOAD_INVALID");
  EXPECT_EQ(Run(l1_, "ipr.assess", Json::array({1, 2}), t_).code, "PAYLOAD_INVALID");
}

TEST_F(IprAssessmentTest, AssessLineIsAPureFunctionOfState) {
  // Through text, as a transaction body arrives (integers become unsigned).
  auto parsed = ParseAssessLine(Json::parse(Line("ABC-1234567-8", 4000).dump()));
  ASSERT_TRUE(parsed);
  size_t writes = state_.writes().size();
  auto first = AssessLine(state_, *parsed, t_);
  auto second = AssessLine(state_, *parsed, t_);
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->result, "FACILITATE");
  EXPECT_EQ(first->reason_codes, second->reason_codes);
  EXPECT_TRUE(first->counts_quantity);
  EXPECT_EQ(state_.writes().size(), writes);
  EXPECT_EQ(Used("L1-LIC"), 0u);
}

}  // namespace
}  // namespace tradeledger::trade

namespace tradeledger::trade {
namespace {

class IprEntryLinkTest : public IprAssessmentTest {
 protected:
  // Files (directly in the state) entry `number` with line 1 as L1 imported it.
  void FileEntry(const std::string& number) {
    SaveEntry(state_, {{"entryNumber", number},
                       {"importer", "L1"},
                       {"importDate", Day("2025-03-10")},
                       {"lines",
                        {{{"lineNo", 1},
                          {"hts10", "6109100012"},
                          {"countryOfOrigin", "VN"},
                          {"mid", "VNFACTON12HAN"},
                          {"quantity", 4000}}}}});
  }
};

TEST_F(IprEntryLinkTest, AFiledLineIsAssessedOnlyAsFiled) {
  std::string number = MakeEntryNumber("ABC", "7654321");
  FileEntry(number);
  ASSERT_TRUE(*LoadEntry(state_, number));
  Json inflated = With(Line(number, 400), {});  // the entry says 4,000
  EXPECT_EQ(Run(l1_, "ipr.assess", inflated, t_).code, "IPR_LINE_MISMATCH");
  Json other_mid = With(Line(number, 4000), {{"mid", "CNOTHMAK88SHE"}});
  EXPECT_EQ(Run(l1_, "ipr.assess", other_mid, t_).code, "IPR_LINE_MISMATCH");
  Json no_such_line = With(Line(number, 4000), {{"lineNo", 2}});
  EXPECT_EQ(Run(l1_, "ipr.assess", no_such_line, t_).code, "IPR_LINE_MISMATCH");
  EXPECT_EQ(Assess(l1_, Line(number, 4000), t_)["result"], "FACILITATE");
}

}  // namespace
}  // namespace tradeledger::trade
