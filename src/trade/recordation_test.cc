#include "trade/recordation.h"

#include "trade/ipr_test_fixture.h"

namespace tradeledger::trade {
namespace {

class RecordationTest : public testing::IprFixture {
 protected:
  Recordation Load(std::string no = kRec) {
    auto r = LoadRecordation(state_, no);
    EXPECT_TRUE(r && *r);
    return r && *r ? **r : Recordation{};
  }
};

TEST_F(RecordationTest, AppliedByRightsHolderThenApprovedByCustoms) {
  ASSERT_EQ(Run(rh_, "ipr.recordation.apply", RecordationBody(), Day("2024-06-01")).code, "OK");
  Recordation r = Load();
  EXPECT_EQ(r.state, "APPLIED");
  EXPECT_EQ(r.owner, "RH");
  EXPECT_EQ(r.mark, "ACME");
  ASSERT_EQ(
      Run(customs_, "ipr.recordation.approve", {{"recordationNo", kRec}}, Day("2024-06-15")).code,
      "OK");
  r = Load();
  EXPECT_EQ(r.state, "ACTIVE");
  EXPECT_EQ(r.decided_by, "CBP");
  EXPECT_EQ(RecordationStateAt(r, Day("2025-01-01")), "ACTIVE");
}

TEST_F(RecordationTest, OnlyRightsHoldersApplyAndOnlyCustomsDecides) {
  int64_t t = Day("2024-06-01");
  EXPECT_EQ(Run(l1_, "ipr.recordation.apply", RecordationBody(), t).code, "NOT_AUTHORIZED");
  ASSERT_EQ(Run(rh_, "ipr.recordation.apply", RecordationBody(), t).code, "OK");
  EXPECT_EQ(Run(rh_, "ipr.recordation.approve", {{"recordationNo", kRec}}, t).code,
            "NOT_AUTHORIZED");
  EXPECT_EQ(Run(rh_, "ipr.recordation.reject", {{"recordationNo", kRec}, {"reason", "x"}}, t).code,
            "NOT_AUTHORIZED");
  EXPECT_EQ(Run(customs_, "ipr.recordation.approve", {{"recordationNo", "TMK 19-99999"}}, t).code,
            "RECORDATION_NOT_FOUND");
}

TEST_F(RecordationTest, NumberFormatFollowsRightType) {
  int64_t t = Day("2024-06-01");
  Json body = RecordationBody("TMK 19-1");
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", body, t).code, "RECORDATION_NO_INVALID");
  body = RecordationBody("COP 19-00001");  // a copyright number for a trademark
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", body, t).code, "RECORDATION_NO_INVALID");
  body["rightType"] = "COPYRIGHT";
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", body, t).code, "OK");
  EXPECT_TRUE(IsValidRecordationNo("TNM 03-00001", "TRADE_NAME"));
  EXPECT_FALSE(IsValidRecordationNo("TMK 19_00001", "TRADEMARK"));
}

TEST_F(RecordationTest, BodyIsValidated) {
  int64_t t = Day("2024-06-01");
  auto with = [](Json patch) {
    Json b = RecordationBody();
    for (auto& [k, v] : patch.items()) b[k] = v;
    return b;
  };
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", with({{"intlClasses", {46}}}), t).code,
            "PAYLOAD_INVALID");
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", with({{"rightType", "PATENT"}}), t).code,
            "PAYLOAD_INVALID");
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", with({{"images", {"not-a-hash"}}}), t).code,
            "PAYLOAD_INVALID");
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", with({{"leverDifferences", {"label"}}}), t).code,
            "PAYLOAD_INVALID");
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", with({{"validUntil", "2024-05-01"}}), t).code,
            "VALIDITY_INVALID");
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", with({{"validUntil", "2024-02-30"}}), t).code,
            "DATE_INVALID");
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", Json::array(), t).code, "PAYLOAD_INVALID");
  ASSERT_EQ(Run(rh_, "ipr.recordation.apply", RecordationBody(), t).code, "OK");
  EXPECT_EQ(Run(rh_, "ipr.recordation.apply", RecordationBody(), t).code, "RECORDATION_EXISTS");
}

TEST_F(RecordationTest, RejectedRecordationCannotBeApprovedOrCancelled) {
  int64_t t = Day("2024-06-01");
  ASSERT_EQ(Run(rh_, "ipr.recordation.apply", RecordationBody(), t).code, "OK");
  ASSERT_EQ(Run(customs_, "ipr.recordation.reject",
                {{"recordationNo", kRec}, {"reason", "not on the Principal Register"}}, t)
                .code,
            "OK");
  EXPECT_EQ(Load().state, "REJECTED");
  EXPECT_EQ(Run(customs_, "ipr.recordation.approve", {{"recordationNo", kRec}}, t).code,
            "RECORDATION_STATE_INVALID");
  EXPECT_EQ(Run(rh_, "ipr.recordation.cancel", {{"recordationNo", kRec}}, t).code,
            "RECORDATION_STATE_INVALID");
}

TEST_F(RecordationTest, ApprovedRecordationCannotBeApprovedAgain) {
  ASSERT_EQ(RecordAndApprove(), "OK");
  EXPECT_EQ(
      Run(customs_, "ipr.recordation.approve", {{"recordationNo", kRec}}, Day("2024-07-01")).code,
      "RECORDATION_STATE_INVALID");
  EXPECT_EQ(Run(customs_, "ipr.recordation.reject", {{"recordationNo", kRec}, {"reason", "x"}},
                Day("2024-07-01"))
                .code,
            "RECORDATION_STATE_INVALID");
}

TEST_F(RecordationTest, OwnerCancelsAndEarlierTimesStayActive) {
  ASSERT_EQ(RecordAndApprove(), "OK");
  EXPECT_EQ(
      Run(other_, "ipr.recordation.cancel", {{"recordationNo", kRec}}, Day("2025-05-01")).code,
      "NOT_AUTHORIZED");
  ASSERT_EQ(Run(rh_, "ipr.recordation.cancel", {{"recordationNo", kRec}}, Day("2025-05-01")).code,
            "OK");
  Recordation r = Load();
  EXPECT_EQ(r.state, "CANCELLED");
  EXPECT_EQ(RecordationStateAt(r, Day("2025-04-30")), "ACTIVE");
  EXPECT_EQ(RecordationStateAt(r, Day("2025-05-01")), "CANCELLED");
  EXPECT_EQ(Run(rh_, "ipr.recordation.cancel", {{"recordationNo", kRec}}, Day("2025-05-02")).code,
            "RECORDATION_STATE_INVALID");
}

TEST_F(RecordationTest, ExpiryIsDerivedFromValidUntil) {
  ASSERT_EQ(RecordAndApprove(), "OK");
  Recordation r = Load();
  EXPECT_EQ(r.state, "ACTIVE");  // stored state never changes to EXPIRED
  EXPECT_EQ(RecordationStateAt(r, Day("2029-12-30")), "ACTIVE");
  EXPECT_EQ(RecordationStateAt(r, Day("2029-12-31")), "EXPIRED");
  EXPECT_EQ(Run(rh_, "ipr.recordation.cancel", {{"recordationNo", kRec}}, Day("2030-01-02")).code,
            "RECORDATION_STATE_INVALID");
}

}  // namespace
}  // namespace tradeledger::trade
