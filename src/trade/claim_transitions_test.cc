#include "trade/claim_transitions.h"

#include "trade/certification.h"
#include "trade/holiday_calendar.h"
#include "trade/origin_test_fixture.h"

namespace tradeledger::trade {
namespace {

class ClaimTransitionsTest : public testing::OriginFixture {
 protected:
  void SetUp() override {
    OriginFixture::SetUp();
    IssueStoryCert();
    // Filed Wednesday 2025-03-12.
    ASSERT_EQ(
        Run(importer_, "entry.file", Entry("1234567", {Line(1, "8708300050")}), Day("2025-03-12"))
            .code,
        "OK");
    id_ = Number("1234567") + "#1";
  }
  TxOutcome RequestCorrection(int64_t at) {
    return Run(customs_, "claim.request-correction", {{"claimId", id_}, {"reason", "vague"}}, at);
  }
  TxOutcome Supersede(const std::string& new_id, int64_t at, Json patch = Json::object()) {
    Json b = UsmcaCert(new_id);
    b["supersedes"] = "CERT-1";
    b["signedAt"] = FormatDate(at);
    for (auto& [k, v] : patch.items()) b[k] = v;
    return Run(producer_, "cert.supersede", b, at);
  }
  TxOutcome Enforce(int64_t at) {
    return Run(importer_, "claim.enforce-deadlines", Json::object(), at);
  }
  std::string id_;
};

TEST_F(ClaimTransitionsTest, Rule22CorrectionDueInFiveBusinessDays) {
  EXPECT_EQ(Run(importer_, "claim.request-correction", {{"claimId", id_}}, Day("2025-03-14")).code,
            "NOT_AUTHORIZED");
  ASSERT_EQ(RequestCorrection(Day("2025-03-14")).code, "OK");  // Friday
  Json claim = Claim(id_);
  EXPECT_EQ(claim["state"], "CORRECTION_REQUESTED");
  EXPECT_EQ(claim["correction"]["dueAt"], Day("2025-03-21"));  // next Friday
}

TEST_F(ClaimTransitionsTest, Rule22DueDateSkipsConfiguredHolidays) {
  ASSERT_EQ(RequestCorrection(Day("2025-06-30")).code, "OK");  // Monday; Fri 4 July is a holiday
  EXPECT_EQ(Claim(id_)["correction"]["dueAt"], Day("2025-07-08"));
}

// The fixture's calendar lists 2025's holidays only, so it covers 2025: a deadline that would
// fall in 2026 is refused rather than counted as if 2026 had no holidays, until customs
// extends the calendar.
TEST_F(ClaimTransitionsTest, Rule22DeadlinePastTheCalendarIsRefusedUntilCustomsExtendsIt) {
  auto end = CalendarEnd(state_);
  ASSERT_TRUE(end.has_value());
  ASSERT_TRUE(end->has_value());
  EXPECT_EQ(FormatDate(**end * kMsPerDay), "2025-12-31");
  TxOutcome refused = RequestCorrection(Day("2025-12-24"));
  EXPECT_EQ(refused.code, "CALENDAR_NOT_COVERED");
  EXPECT_NE(refused.detail.find("2025-12-31"), std::string::npos) << refused.detail;
  EXPECT_EQ(ClaimState(id_), "ACCEPTED");  // nothing changed

  Json amend = {{"add", {"2026-01-01"}}, {"coversUntil", "2026-12-31"}};
  EXPECT_EQ(Run(importer_, "calendar.amend", amend, Day("2025-12-24")).code, "NOT_AUTHORIZED");
  EXPECT_EQ(Run(customs_, "calendar.amend",
                {{"add", {"2027-01-01"}}, {"coversUntil", "2026-12-31"}}, Day("2025-12-24"))
                .code,
            "CALENDAR_INVALID");
  EXPECT_EQ(
      Run(customs_, "calendar.amend", {{"coversUntil", "2025-12-01"}}, Day("2025-12-24")).code,
      "CALENDAR_INVALID");
  EXPECT_EQ(Run(customs_, "calendar.amend",
                {{"add", {"2026-13-01"}}, {"coversUntil", "2026-12-31"}}, Day("2025-12-24"))
                .code,
            "DATE_INVALID");
  EXPECT_EQ(Run(customs_, "calendar.amend", Json::object(), Day("2025-12-24")).code,
            "PAYLOAD_INVALID");  // no coversUntil
  ASSERT_EQ(Run(customs_, "calendar.amend", amend, Day("2025-12-24")).code, "OK");

  // Wed 24 Dec: Fri 26, Mon 29, Tue 30, Wed 31, then Thu 1 Jan is now a holiday: due Fri 2 Jan.
  ASSERT_EQ(RequestCorrection(Day("2025-12-24")).code, "OK");
  EXPECT_EQ(Claim(id_)["correction"]["dueAt"], Day("2026-01-02"));
}

TEST_F(ClaimTransitionsTest, Rule22SupersedingCertWithinDeadlineRestoresAccepted) {
  ASSERT_EQ(RequestCorrection(Day("2025-03-14")).code, "OK");
  ASSERT_EQ(Supersede("CERT-1B", Day("2025-03-20")).code, "OK");
  Json claim = Claim(id_);
  EXPECT_EQ(claim["state"], "ACCEPTED");
  EXPECT_EQ(claim["certRef"], "CERT-1B");
  EXPECT_EQ(Enforce(Day("2025-03-25")).code, "OK");
  EXPECT_EQ(ClaimState(id_), "ACCEPTED");
}

TEST_F(ClaimTransitionsTest, Rule22SupersedingCertMustCoverTheClaim) {
  ASSERT_EQ(RequestCorrection(Day("2025-03-14")).code, "OK");
  Json goods = {{{"description", "Engine parts"}, {"hsCode", "8409.91"}, {"originCriterion", "B"}}};
  ASSERT_EQ(Supersede("CERT-1B", Day("2025-03-17"), {{"goods", goods}}).code, "OK");
  Json claim = Claim(id_);
  EXPECT_EQ(claim["state"], "CORRECTION_REQUESTED");
  EXPECT_EQ(claim["history"].back()["reasonCodes"][0], "HTS_NOT_COVERED");
  ASSERT_EQ(Enforce(Day("2025-03-22")).code, "OK");
  EXPECT_EQ(ClaimState(id_), "DENIED");
  EXPECT_EQ(Codes(id_)[0], "CORRECTION_NOT_RECEIVED");
}

TEST_F(ClaimTransitionsTest, Rule22NothingByDueDateIsDenied) {
  ASSERT_EQ(RequestCorrection(Day("2025-03-14")).code, "OK");
  ASSERT_EQ(Enforce(Day("2025-03-21")).code, "OK");  // on the due date: still open
  EXPECT_EQ(ClaimState(id_), "CORRECTION_REQUESTED");
  ASSERT_EQ(Enforce(Day("2025-03-21") + 1).code, "OK");
  EXPECT_EQ(ClaimState(id_), "DENIED");
  EXPECT_EQ(Codes(id_)[0], "CORRECTION_NOT_RECEIVED");
  // A late superseding certification does not revive the claim.
  ASSERT_EQ(Supersede("CERT-1B", Day("2025-03-24")).code, "OK");
  EXPECT_EQ(ClaimState(id_), "DENIED");
}

TEST_F(ClaimTransitionsTest, CorrectionOnlyFromAcceptedOrUnderVerification) {
  ASSERT_EQ(Run(importer_, "claim.voluntary-correct", {{"claimId", id_}}, Day("2025-03-13")).code,
            "OK");
  EXPECT_EQ(RequestCorrection(Day("2025-03-14")).code, "CLAIM_STATE_INVALID");
  EXPECT_EQ(
      Run(customs_, "claim.request-correction", {{"claimId", "nope#1"}}, Day("2025-03-14")).code,
      "CLAIM_NOT_FOUND");
}

TEST_F(ClaimTransitionsTest, Rule24VoluntaryCorrectionExemptsPenalty) {
  EXPECT_EQ(Run(broker_, "claim.voluntary-correct", {{"claimId", id_}}, Day("2025-03-13")).code,
            "NOT_AUTHORIZED_FILER");
  ASSERT_EQ(Run(importer_, "claim.voluntary-correct", {{"claimId", id_}}, Day("2025-03-13")).code,
            "OK");
  Json claim = Claim(id_);
  EXPECT_EQ(claim["state"], "VOLUNTARILY_CORRECTED");
  EXPECT_EQ(claim["penaltyExempt"], true);
  EXPECT_EQ(claim["dutyDue"], true);
  EXPECT_EQ(Run(importer_, "claim.voluntary-correct", {{"claimId", id_}}, Day("2025-03-14")).code,
            "CLAIM_STATE_INVALID");
}

TEST_F(ClaimTransitionsTest, Rule24NotAfterDenied) {
  ASSERT_EQ(RequestCorrection(Day("2025-03-14")).code, "OK");
  // Not from CORRECTION_REQUESTED either (§7.2).
  EXPECT_EQ(Run(importer_, "claim.voluntary-correct", {{"claimId", id_}}, Day("2025-03-17")).code,
            "CLAIM_STATE_INVALID");
  ASSERT_EQ(Enforce(Day("2025-03-24")).code, "OK");
  ASSERT_EQ(ClaimState(id_), "DENIED");
  EXPECT_EQ(Run(importer_, "claim.voluntary-correct", {{"claimId", id_}}, Day("2025-03-25")).code,
            "CLAIM_STATE_INVALID");
}

class SeriesTest : public testing::OriginFixture {
 protected:
  void SetUp() override {
    OriginFixture::SetUp();
    ASSERT_EQ(Run(importer_, "entry.file",
                  Entry("7654321", {Line(1, "8708300050", "S", "", 1900.0)}), Day("2025-03-12"))
                  .code,
              "OK");
    id_ = Number("7654321") + "#1";
    ASSERT_EQ(Claim(id_)["basis"], "LOW_VALUE_EXEMPT");
  }
  std::string id_;
};

TEST_F(SeriesTest, Rule20SeriesWithoutCertificationIsDenied) {
  EXPECT_EQ(Run(importer_, "claim.request-series", {{"claimId", id_}}, Day("2025-03-14")).code,
            "NOT_AUTHORIZED");
  ASSERT_EQ(Run(customs_, "claim.request-series", {{"claimId", id_}}, Day("2025-03-14")).code,
            "OK");
  EXPECT_EQ(Claim(id_)["series"]["dueAt"], Day("2025-04-13"));
  ASSERT_EQ(Run(broker_, "claim.enforce-deadlines", Json::object(), Day("2025-04-13")).code, "OK");
  EXPECT_EQ(ClaimState(id_), "ACCEPTED");
  ASSERT_EQ(Run(broker_, "claim.enforce-deadlines", {{"claimIds", {id_}}}, Day("2025-04-14")).code,
            "OK");
  EXPECT_EQ(ClaimState(id_), "DENIED");
  EXPECT_EQ(Codes(id_)[0], "SERIES_EVASION_NO_CERT");
}

TEST_F(SeriesTest, Rule20CertificationSuppliedInTimeMeetsTheRequest) {
  ASSERT_EQ(Run(customs_, "claim.request-series", {{"claimId", id_}}, Day("2025-03-14")).code,
            "OK");
  EXPECT_EQ(Run(importer_, "claim.supply-cert", {{"claimId", id_}, {"certId", "CERT-1"}},
                Day("2025-03-20"))
                .code,
            "CERT_NOT_FOUND");
  ASSERT_EQ(Run(producer_, "cert.issue", UsmcaCert(), Day("2025-03-20")).code, "OK");
  ASSERT_EQ(Run(importer_, "claim.supply-cert", {{"claimId", id_}, {"certId", "CERT-1"}},
                Day("2025-03-21"))
                .code,
            "OK");
  Json claim = Claim(id_);
  EXPECT_EQ(claim["basis"], "CERTIFICATION");
  EXPECT_EQ(claim["certRef"], "CERT-1");
  ASSERT_EQ(Run(broker_, "claim.enforce-deadlines", Json::object(), Day("2025-05-01")).code, "OK");
  EXPECT_EQ(ClaimState(id_), "ACCEPTED");
}

TEST_F(SeriesTest, SeriesOnlyForLowValueClaims) {
  ASSERT_EQ(Run(customs_, "claim.request-series", {{"claimId", id_}}, Day("2025-03-14")).code,
            "OK");
  EXPECT_EQ(Run(customs_, "claim.request-series", {{"claimId", id_}}, Day("2025-03-15")).code,
            "CLAIM_STATE_INVALID");
}

}  // namespace
}  // namespace tradeledger::trade
