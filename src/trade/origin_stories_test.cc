// DOMAIN.md §8 acceptance stories 1-9, 12 and 13 at the rule level, dated as in §8.
#include "trade/certification.h"
#include "trade/origin_test_fixture.h"
#include "trade/origin_views.h"

namespace tradeledger::trade {
namespace {

class OriginStoriesTest : public testing::OriginFixture {
 protected:
  Actor Reader(const crypto::KeyPair& key, int64_t at) {
    return **ResolveActor(state_, key.public_key, at);
  }
  Json Grant(const std::string& id) {
    return {{"delegationId", id},
            {"agent", "BRK"},
            {"scope", {"FILE_ENTRY", "CLAIM_PREFERENCE"}},
            {"validFrom", "2025-01-01"},
            {"validTo", "2026-01-01"}};
  }
};

TEST_F(OriginStoriesTest, Story1BlanketUsmcaClaimAccepted) {
  IssueStoryCert();  // anchored 2024-12-20
  Json body = Entry("1234567", {Line(1, "8708300050")}, "2025-03-10");
  ASSERT_EQ(Run(importer_, "entry.file", body, Day("2025-03-10")).code, "OK");
  std::string id = Number("1234567") + "#1";
  EXPECT_EQ(ClaimState(id), "ACCEPTED");
  Json seen = *ViewEntry(state_, **LoadEntry(state_, Number("1234567")),
                         Reader(producer_, Day("2025-03-11")), Day("2025-03-11"));
  EXPECT_EQ(seen["claims"][0]["state"], "ACCEPTED");
  EXPECT_EQ(seen.dump().find("valueCents"), std::string::npos);
}

TEST_F(OriginStoriesTest, Story2SecondLineNotCovered) {
  IssueStoryCert();
  Json body = Entry("1234567", {Line(1, "8708300050"), Line(2, "8409910000")}, "2025-03-10");
  ASSERT_EQ(Run(importer_, "entry.file", body, Day("2025-03-10")).code, "OK");
  EXPECT_EQ(ClaimState(Number("1234567") + "#1"), "ACCEPTED");
  EXPECT_EQ(ClaimState(Number("1234567") + "#2"), "REJECTED");
  EXPECT_EQ(Codes(Number("1234567") + "#2")[0], "HTS_NOT_COVERED");
}

TEST_F(OriginStoriesTest, Story3CertificateObtainedAfterTheClaim) {
  ASSERT_EQ(Run(importer_, "delegation.grant", Grant("D1"), Day("2025-01-01")).code, "OK");
  ASSERT_EQ(Run(producer_, "cert.issue", UsmcaCert(), Day("2025-02-03")).code, "OK");
  Json body = Entry("2000001", {Line(1, "8708300050")}, "2025-01-30");
  body["summaryFiledAt"] = "2025-02-01";
  ASSERT_EQ(Run(broker_, "entry.file", body, Day("2025-02-05")).code, "OK");
  EXPECT_EQ(Codes(Number("2000001") + "#1")[0], "CERT_NOT_IN_POSSESSION_AT_CLAIM");
  Json unknown = Entry("2000002", {Line(1, "8708300050", "S", "CERT-UNKNOWN")}, "2025-01-30");
  ASSERT_EQ(Run(broker_, "entry.file", unknown, Day("2025-02-05")).code, "OK");
  EXPECT_EQ(Codes(Number("2000002") + "#1")[0], "CERT_NOT_FOUND");
}

TEST_F(OriginStoriesTest, Story4OutsideBlanketExpiredAndNaftaNotInForce) {
  IssueStoryCert();
  Json late = Entry("3000001", {Line(1, "8708300050")}, "2026-01-05");
  ASSERT_EQ(Run(importer_, "entry.file", late, Day("2026-01-06")).code, "OK");
  EXPECT_EQ(Codes(Number("3000001") + "#1")[0], "OUTSIDE_BLANKET_PERIOD");

  Json old = UsmcaCert("SINGLE-2020");
  old["signedAt"] = "2020-08-01";
  old["singleShipment"] = true;
  old.erase("blanketFrom");
  old.erase("blanketTo");
  ASSERT_EQ(Run(producer_, "cert.issue", old, Day("2024-02-01")).code, "OK");
  Json expired = Entry("3000002", {Line(1, "8708300050", "S", "SINGLE-2020")}, "2024-08-28");
  expired["summaryFiledAt"] = "2024-09-01";
  ASSERT_EQ(Run(importer_, "entry.file", expired, Day("2024-09-01")).code, "OK");
  EXPECT_EQ(Codes(Number("3000002") + "#1")[0], "CERT_EXPIRED");

  Json nafta = Entry("3000003", {Line(1, "8708300050", "MX", "")}, "2021-05-01");
  ASSERT_EQ(Run(importer_, "entry.file", nafta, Day("2024-03-01")).code, "OK");
  EXPECT_EQ(Codes(Number("3000003") + "#1")[0], "AGREEMENT_NOT_IN_FORCE");
}

TEST_F(OriginStoriesTest, Story5IncompleteCertThenCorrectedInTime) {
  Json incomplete = UsmcaCert();
  incomplete["goods"].push_back({{"description", "Brake drums"}, {"hsCode", "8708.30"}});
  EXPECT_EQ(Run(producer_, "cert.issue", incomplete, Day("2024-12-20")).code,
            "CERT_INCOMPLETE:originCriterion");
  IssueStoryCert();
  ASSERT_EQ(
      Run(importer_, "entry.file", Entry("5000001", {Line(1, "8708300050")}), Day("2025-03-10"))
          .code,
      "OK");
  ASSERT_EQ(
      Run(importer_, "entry.file", Entry("5000002", {Line(1, "8708300050")}), Day("2025-03-10"))
          .code,
      "OK");
  std::string in_time = Number("5000001") + "#1", missed = Number("5000002") + "#1";
  // Monday 2025-03-10: due Monday 2025-03-17.
  ASSERT_EQ(
      Run(customs_, "claim.request-correction", {{"claimId", in_time}}, Day("2025-03-10")).code,
      "OK");
  EXPECT_EQ(Claim(in_time)["correction"]["dueAt"], Day("2025-03-17"));
  Json fixed = UsmcaCert("CERT-1B");
  fixed["supersedes"] = "CERT-1";
  fixed["signedAt"] = "2025-03-14";
  fixed["goods"][0]["description"] = "Brake pads, invoice 77-1, part BP-200";
  ASSERT_EQ(Run(producer_, "cert.supersede", fixed, Day("2025-03-14")).code, "OK");  // day 4
  EXPECT_EQ(ClaimState(in_time), "ACCEPTED");

  // The other claim cites the now-superseded certification; its correction is never met.
  ASSERT_EQ(Run(customs_, "case.open",
                {{"caseId", "VC-5"},
                 {"claimIds", {missed}},
                 {"method", "REQUEST_FOR_INFO"},
                 {"addressee", "IMP"}},
                Day("2025-03-18"))
                .code,
            "OK");
  ASSERT_EQ(
      Run(customs_, "claim.request-correction", {{"claimId", missed}}, Day("2025-03-18")).code,
      "OK");  // Tuesday: due Tuesday 2025-03-25
  ASSERT_EQ(Run(importer_, "claim.enforce-deadlines", Json::object(), Day("2025-03-25")).code,
            "OK");
  EXPECT_EQ(ClaimState(missed), "CORRECTION_REQUESTED");
  ASSERT_EQ(Run(importer_, "claim.enforce-deadlines", Json::object(), Day("2025-03-26")).code,
            "OK");
  EXPECT_EQ(ClaimState(missed), "DENIED");
  EXPECT_EQ(Codes(missed)[0], "CORRECTION_NOT_RECEIVED");
}

TEST_F(OriginStoriesTest, Story6TamperedDocumentRejected) {
  IssueStoryCert();
  TxOutcome o =
      Run(broker_, "cert.present", {{"certId", "CERT-1"}, {"contentHash", std::string(64, 'b')}},
          Day("2025-03-10"));
  EXPECT_EQ(o.code, "DOCUMENT_HASH_MISMATCH");
  EXPECT_NE(o.detail.find("BRK"), std::string::npos);  // the presenter is recorded
  EXPECT_EQ((**LoadCertification(state_, "CERT-1"))["contentHash"], kHash);
}

TEST_F(OriginStoriesTest, Story7BlanketTooLong) {
  Json b = UsmcaCert();
  b["certifierRole"] = "EXPORTER";
  b["producer"] = "SAME_AS_EXPORTER";
  b["blanketTo"] = "2026-03-31";
  EXPECT_EQ(Run(producer_, "cert.issue", b, Day("2024-12-20")).code, "BLANKET_PERIOD_INVALID");
}

TEST_F(OriginStoriesTest, Story8LowValueThenSeriesWithoutCert) {
  ASSERT_EQ(Run(importer_, "entry.file", Entry("8000001", {Line(1, "8708300050", "S", "", 1900.0)}),
                Day("2025-03-10"))
                .code,
            "OK");
  std::string id = Number("8000001") + "#1";
  EXPECT_EQ(ClaimState(id), "ACCEPTED");
  EXPECT_EQ(Claim(id)["basis"], "LOW_VALUE_EXEMPT");
  ASSERT_EQ(Run(customs_, "claim.request-series", {{"claimId", id}}, Day("2025-03-20")).code, "OK");
  ASSERT_EQ(Run(importer_, "claim.enforce-deadlines", Json::object(), Day("2025-04-20")).code,
            "OK");
  EXPECT_EQ(ClaimState(id), "DENIED");
  EXPECT_EQ(Codes(id)[0], "SERIES_EVASION_NO_CERT");
}

TEST_F(OriginStoriesTest, Story9VerificationAndDenialPath) {
  IssueStoryCert();
  ASSERT_EQ(Run(importer_, "entry.file",
                Entry("9000001", {Line(1, "8708300050"), Line(2, "8708300050")}), Day("2025-03-10"))
                .code,
            "OK");
  std::string a = Number("9000001") + "#1", b = Number("9000001") + "#2";
  Json open = {
      {"caseId", "VC-9"}, {"claimIds", {a, b}}, {"method", "QUESTIONNAIRE"}, {"addressee", "IMP"}};
  ASSERT_EQ(Run(customs_, "case.open", open, Day("2025-04-01")).code, "OK");
  ASSERT_EQ(Run(importer_, "case.respond", {{"caseId", "VC-9"}, {"summary", "partial answers"}},
                Day("2025-04-10"))
                .code,
            "OK");
  Json deny = {{"caseId", "VC-9"},
               {"determination", "DENIED"},
               {"findings", "insufficient information on materials"},
               {"legalBasis", "19 CFR 182.72, 182.75"}};
  EXPECT_EQ(Run(customs_, "case.determine", deny, Day("2025-04-11")).code,
            "DENIAL_PRECONDITION_UNMET");
  // The importer voluntarily corrects line 2 while under verification.
  ASSERT_EQ(Run(importer_, "claim.voluntary-correct", {{"claimId", b}}, Day("2025-04-12")).code,
            "OK");
  ASSERT_EQ(Run(customs_, "case.request",
                {{"caseId", "VC-9"}, {"method", "REQUEST_FOR_INFO"}, {"addressee", "MX-P"}},
                Day("2025-04-14"))
                .code,
            "OK");
  ASSERT_EQ(Run(customs_, "case.intent-to-deny", {{"caseId", "VC-9"}}, Day("2025-05-15")).code,
            "OK");
  EXPECT_EQ(Run(customs_, "case.determine", deny, Day("2025-06-01")).code,
            "DENIAL_PRECONDITION_UNMET");
  ASSERT_EQ(Run(customs_, "case.determine", deny, Day("2025-06-16")).code, "OK");
  EXPECT_EQ(ClaimState(a), "DENIED");
  EXPECT_EQ(Claim(a)["denial"]["findings"], "insufficient information on materials");
  EXPECT_EQ(ClaimState(b), "VOLUNTARILY_CORRECTED");
  EXPECT_EQ(Claim(b)["penaltyExempt"], true);
}

TEST_F(OriginStoriesTest, Story12FilingOnBehalf) {
  IssueStoryCert();
  Json body = Entry("1200001", {Line(1, "8708300050")});
  EXPECT_EQ(Run(broker_, "entry.file", body, Day("2025-03-10")).code, "NOT_AUTHORIZED_FILER");
  ASSERT_EQ(Run(importer_, "delegation.grant", Grant("D12"), Day("2025-03-10")).code, "OK");
  ASSERT_EQ(Run(broker_, "entry.file", body, Day("2025-03-11")).code, "OK");
  EXPECT_EQ(ClaimState(Number("1200001") + "#1"), "ACCEPTED");
  ASSERT_EQ(Run(importer_, "delegation.revoke", {{"delegationId", "D12"}}, Day("2025-03-12")).code,
            "OK");
  EXPECT_EQ(
      Run(broker_, "entry.file", Entry("1200002", {Line(1, "8708300050")}), Day("2025-03-13")).code,
      "NOT_AUTHORIZED_FILER");
}

TEST_F(OriginStoriesTest, Story13Confidentiality) {
  Json cert = UsmcaCert();
  cert["certifierRole"] = "EXPORTER";
  cert["producer"] = "AVAILABLE_UPON_REQUEST";
  cert["producerOnRequest"] = Party("Hidden Producer SA", "MX");
  ASSERT_EQ(Run(producer_, "cert.issue", cert, Day("2024-12-20")).code, "OK");
  Json stored = **LoadCertification(state_, "CERT-1");
  int64_t t = Day("2025-01-15");
  Json rival = *ViewCertification(state_, stored, Reader(rival_, t), t);
  EXPECT_EQ(rival["view"], "metadata");
  EXPECT_EQ(rival["contentHash"], kHash);
  EXPECT_EQ(rival["state"], "ISSUED");
  EXPECT_EQ(rival.dump().find("Hidden Producer"), std::string::npos);
  Json cbp = *ViewCertification(state_, stored, Reader(customs_, t), t);
  EXPECT_EQ(cbp["producerOnRequest"]["name"], "Hidden Producer SA");
}

}  // namespace
}  // namespace tradeledger::trade
