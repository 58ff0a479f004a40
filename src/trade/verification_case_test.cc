#include "trade/verification_case.h"

#include "trade/origin_common.h"
#include "trade/origin_test_fixture.h"

namespace tradeledger::trade {
namespace {

class VerificationCaseTest : public testing::OriginFixture {
 protected:
  void SetUp() override {
    OriginFixture::SetUp();
    IssueStoryCert();
    ASSERT_EQ(
        Run(importer_, "entry.file", Entry("1234567", {Line(1, "8708300050")}), Day("2025-03-12"))
            .code,
        "OK");
    id_ = Number("1234567") + "#1";
  }
  TxOutcome Open(int64_t at, const std::string& addressee = "IMP") {
    return Run(customs_, "case.open",
               {{"caseId", "VC-1"},
                {"claimIds", {id_}},
                {"method", "QUESTIONNAIRE"},
                {"addressee", addressee}},
               at);
  }
  TxOutcome Deny(int64_t at) {
    return Run(customs_, "case.determine",
               {{"caseId", "VC-1"},
                {"determination", "DENIED"},
                {"findings", "non-originating materials in heading 8708"},
                {"legalBasis", "19 CFR 182.75"}},
               at);
  }
  Json Case() { return **LoadCase(state_, "VC-1"); }
  std::string id_;
};

TEST_F(VerificationCaseTest, OpeningPutsClaimsUnderVerification) {
  EXPECT_EQ(
      Run(importer_, "case.open",
          {{"caseId", "VC-1"}, {"claimIds", {id_}}, {"method", "VISIT"}, {"addressee", "IMP"}},
          Day("2025-04-01"))
          .code,
      "NOT_AUTHORIZED");
  ASSERT_EQ(Open(Day("2025-04-01")).code, "OK");
  EXPECT_EQ(ClaimState(id_), "UNDER_VERIFICATION");
  EXPECT_EQ(Case()["state"], "AWAITING_RESPONSE");
  EXPECT_EQ(Case()["dueAt"], Day("2025-05-01"));
  EXPECT_EQ(EffectiveCaseState(Case(), Day("2025-05-02")), "OVERDUE");
  EXPECT_EQ(Open(Day("2025-04-02")).code, "CASE_EXISTS");
  // Entry and certification are held while the case is open (rule 32).
  EXPECT_EQ((**LoadEntry(state_, Number("1234567")))["openCases"][0], "VC-1");
  EXPECT_FALSE(RetentionExpired(**LoadEntry(state_, Number("1234567")), Day("2031-01-01")));
}

TEST_F(VerificationCaseTest, OnlyAddresseesRespond) {
  ASSERT_EQ(Open(Day("2025-04-01")).code, "OK");
  EXPECT_EQ(
      Run(rival_, "case.respond", {{"caseId", "VC-1"}, {"summary", "x"}}, Day("2025-04-05")).code,
      "NOT_AUTHORIZED");
  ASSERT_EQ(Run(importer_, "case.respond", {{"caseId", "VC-1"}, {"summary", "bill of materials"}},
                Day("2025-04-05"))
                .code,
            "OK");
  EXPECT_EQ(Case()["state"], "RESPONDED");
}

TEST_F(VerificationCaseTest, Rule23DenialNeedsCertifierRequestAndIntentWindow) {
  ASSERT_EQ(Open(Day("2025-04-01")).code, "OK");
  ASSERT_EQ(
      Run(importer_, "case.respond", {{"caseId", "VC-1"}, {"summary", "little"}}, Day("2025-04-05"))
          .code,
      "OK");
  EXPECT_EQ(Deny(Day("2025-04-10")).code, "DENIAL_PRECONDITION_UNMET");
  // Intent to deny without asking the producer is not enough.
  ASSERT_EQ(Run(customs_, "case.intent-to-deny", {{"caseId", "VC-1"}}, Day("2025-04-10")).code,
            "OK");
  EXPECT_EQ(Deny(Day("2025-05-20")).code, "DENIAL_PRECONDITION_UNMET");
  ASSERT_EQ(Run(customs_, "case.request",
                {{"caseId", "VC-1"}, {"method", "REQUEST_FOR_INFO"}, {"addressee", "MX-P"}},
                Day("2025-04-11"))
                .code,
            "OK");
  // The response window (30 days from the notice) must have run.
  EXPECT_EQ(Deny(Day("2025-05-09")).code, "DENIAL_PRECONDITION_UNMET");
  ASSERT_EQ(Deny(Day("2025-05-10")).code, "OK");
  Json claim = Claim(id_);
  EXPECT_EQ(claim["state"], "DENIED");
  EXPECT_EQ(claim["denial"]["legalBasis"], "19 CFR 182.75");
  EXPECT_EQ(Case()["state"], "CLOSED");
  EXPECT_EQ(Case()["determination"], "DENIED");
  EXPECT_TRUE((**LoadEntry(state_, Number("1234567")))["openCases"].empty());
}

TEST_F(VerificationCaseTest, AffirmationAndClosedCaseIsFinal) {
  ASSERT_EQ(Open(Day("2025-04-01")).code, "OK");
  Json affirm = {{"caseId", "VC-1"},
                 {"determination", "AFFIRMED"},
                 {"findings", "originating"},
                 {"legalBasis", "19 CFR 182.75"}};
  ASSERT_EQ(Run(customs_, "case.determine", affirm, Day("2025-04-20")).code, "OK");
  EXPECT_EQ(ClaimState(id_), "AFFIRMED");
  EXPECT_EQ(Run(customs_, "case.determine", affirm, Day("2025-04-21")).code, "CASE_STATE_INVALID");
  // AFFIRMED is terminal: no new case, no voluntary correction.
  EXPECT_EQ(
      Run(customs_, "case.open",
          {{"caseId", "VC-2"}, {"claimIds", {id_}}, {"method", "VISIT"}, {"addressee", "IMP"}},
          Day("2025-04-22"))
          .code,
      "CLAIM_STATE_INVALID");
  EXPECT_EQ(Run(importer_, "claim.voluntary-correct", {{"claimId", id_}}, Day("2025-04-22")).code,
            "CLAIM_STATE_INVALID");
}

TEST_F(VerificationCaseTest, VoluntaryCorrectionDuringVerificationSurvivesDetermination) {
  ASSERT_EQ(Open(Day("2025-04-01")).code, "OK");
  ASSERT_EQ(Run(importer_, "claim.voluntary-correct", {{"claimId", id_}}, Day("2025-04-03")).code,
            "OK");
  Json affirm = {{"caseId", "VC-1"},
                 {"determination", "AFFIRMED"},
                 {"findings", "n/a"},
                 {"legalBasis", "19 CFR 182.75"}};
  ASSERT_EQ(Run(customs_, "case.determine", affirm, Day("2025-04-20")).code, "OK");
  EXPECT_EQ(ClaimState(id_), "VOLUNTARILY_CORRECTED");
}

TEST_F(VerificationCaseTest, DeterminationNeedsFindingsAndLegalBasis) {
  ASSERT_EQ(Open(Day("2025-04-01")).code, "OK");
  EXPECT_EQ(Run(customs_, "case.determine", {{"caseId", "VC-1"}, {"determination", "DENIED"}},
                Day("2025-06-01"))
                .code,
            "PAYLOAD_INVALID");
  EXPECT_EQ(Run(customs_, "case.determine", {{"caseId", "VC-9"}}, Day("2025-06-01")).code,
            "CASE_NOT_FOUND");
}

}  // namespace
}  // namespace tradeledger::trade
