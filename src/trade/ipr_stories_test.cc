// DOMAIN.md §8 stories 10 and 11, at the rule level, as written.
#include "trade/ipr_test_fixture.h"
#include "trade/licence.h"
#include "trade/recordation.h"

namespace tradeledger::trade {
namespace {

class IprStoriesTest : public testing::IprFixture {};

// 10. IPR: licensed import facilitated, then flagged.
TEST_F(IprStoriesTest, Story10LicensedImportFacilitatedThenFlagged) {
  // Rights holder RH (recordation TMK 19-00001, ACTIVE) ...
  ASSERT_EQ(RecordAndApprove(), "OK");
  auto rec = LoadRecordation(state_, kRec);
  ASSERT_TRUE(rec && *rec);
  ASSERT_EQ(RecordationStateAt(**rec, Day("2025-03-01")), "ACTIVE");
  // ... licenses L1 (MANUFACTURE, IMPORT, SUBLICENSE; countries VN; quantity 10,000);
  ASSERT_EQ(Run(rh_, "ipr.license.issue", L1Body(), Day("2024-12-01")).code, "OK");
  // L1 sublicenses factory F (MANUFACTURE; MID VNFACTON12HAN).
  ASSERT_EQ(Run(l1_, "ipr.license.issue", FBody(), Day("2025-01-15")).code, "OK");

  // Importer L1 files a line COO VN, MID VNFACTON12HAN, qty 4,000 presenting the chain
  // -> FACILITATE.
  Json first = Assess(l1_, Line("ABC-1000001-1", 4000, "2025-03-10"), Day("2025-03-11"));
  EXPECT_EQ(first["result"], "FACILITATE");
  EXPECT_EQ(first["licenseChain"], Json({"F-SUB", "L1-LIC"}));

  // Next entry qty 7,000 -> FLAG QUANTITY_LIMIT_EXCEEDED (not denied).
  Json second = Assess(l1_, Line("ABC-1000002-2", 7000, "2025-04-10"), Day("2025-04-11"));
  EXPECT_EQ(last_code_, "OK");
  EXPECT_EQ(second["result"], "FLAG");
  EXPECT_EQ(second["reasonCodes"][0], "QUANTITY_LIMIT_EXCEEDED");
  EXPECT_EQ(*LoadQuantityUsed(state_, "L1-LIC"), 11000u);

  // A line with MID CNOTHMAK88SHE -> FLAG MID_NOT_AUTHORIZED.
  Json other_mid = Line("ABC-1000003-3", 500, "2025-05-10");
  other_mid["mid"] = "CNOTHMAK88SHE";
  Json third = Assess(l1_, other_mid, Day("2025-05-11"));
  EXPECT_EQ(third["result"], "FLAG");
  EXPECT_EQ(third["reasonCodes"][0], "MID_NOT_AUTHORIZED");

  // RH revokes L1 -> later lines relying on L1 or F's sublicence -> FLAG LICENSE_REVOKED.
  auto snapshot = [&](const char* entry) {
    auto raw = state_.Get(AssessmentKey(entry, 1));
    EXPECT_TRUE(raw && *raw);
    return raw && *raw ? **raw : core::Bytes{};
  };
  core::Bytes first_before = snapshot("ABC-1000001-1");
  core::Bytes second_before = snapshot("ABC-1000002-2");
  core::Bytes third_before = snapshot("ABC-1000003-3");
  ASSERT_EQ(Run(rh_, "ipr.license.revoke", {{"licenseId", "L1-LIC"}}, Day("2025-06-01")).code,
            "OK");
  Json via_l1 = Line("ABC-1000004-4", 10, "2025-06-10");
  via_l1["licenseRefs"] = {"L1-LIC"};
  Json a = Assess(l1_, via_l1, Day("2025-06-11"));
  EXPECT_EQ(a["result"], "FLAG");
  EXPECT_EQ(a["reasonCodes"][0], "LICENSE_REVOKED");
  Json via_f = Line("ABC-1000005-5", 10, "2025-06-10");
  via_f["licenseRefs"] = {"F-SUB"};
  a = Assess(l1_, via_f, Day("2025-06-11"));
  EXPECT_EQ(a["result"], "FLAG");
  EXPECT_EQ(a["reasonCodes"][0], "LICENSE_REVOKED");

  // ... earlier assessments unchanged.
  EXPECT_EQ(snapshot("ABC-1000001-1"), first_before);
  EXPECT_EQ(snapshot("ABC-1000002-2"), second_before);
  EXPECT_EQ(snapshot("ABC-1000003-3"), third_before);
  // F's sublicence itself was not rewritten: it is ineffective through its parent only.
  auto f = LoadLicence(state_, "F-SUB");
  ASSERT_TRUE(f && *f);
  EXPECT_EQ((*f)->events.size(), 1u);
}

// 11. Sublicence overreach.
TEST_F(IprStoriesTest, Story11SublicenceOverreachRejected) {
  ASSERT_EQ(RecordAndApprove(), "OK");
  ASSERT_EQ(Run(rh_, "ipr.license.issue", L1Body(), Day("2024-12-01")).code, "OK");
  // L1 tries to grant F a sublicence with IMPORT permission and validity beyond L1's.
  Json overreach = FBody();
  overreach["permissions"] = {"MANUFACTURE", "IMPORT"};
  overreach["validFrom"] = "2025-02-01";
  overreach["validTo"] = "2028-01-01";  // L1 ends 2027-01-01
  TxOutcome out = Run(l1_, "ipr.license.issue", overreach, Day("2025-01-15"));
  EXPECT_EQ(out.code, "SUBLICENSE_EXCEEDS_PARENT");
  EXPECT_NE(out.detail.find("validity"), std::string::npos) << out.detail;
  auto f = LoadLicence(state_, "F-SUB");
  ASSERT_TRUE(f);
  EXPECT_FALSE(*f);  // nothing was written
  // IMPORT is within L1's own permissions, so it is the validity that exceeds L1's; IMPORT
  // exceeds a parent that lacks it (LicenceTest.Rule27PermissionsMustBeSubset).
  overreach["validTo"] = "2026-12-31";
  EXPECT_EQ(Run(l1_, "ipr.license.issue", overreach, Day("2025-01-15")).code, "OK");
}

}  // namespace
}  // namespace tradeledger::trade
