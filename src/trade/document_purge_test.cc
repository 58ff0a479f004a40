#include "trade/document_purge.h"

#include "trade/origin_common.h"
#include "trade/origin_test_fixture.h"
#include "trade/state_keys.h"

namespace tradeledger::trade {
namespace {

class DocumentPurgeTest : public testing::OriginFixture {
 protected:
  static std::string Hash(const std::string& text) {
    return crypto::Sha256Of(core::AsBytes(text)).hex();
  }
  TxOutcome Anchor(const crypto::KeyPair& key, const std::string& doc_id,
                   const std::string& content, int64_t at) {
    return Run(key, "document.anchor",
               {{"docId", doc_id},
                {"docType", "INVOICE"},
                {"contentHash", Hash(content)},
                {"issuer", "Importer Inc."}},
               at);
  }
  TxOutcome Purge(const crypto::KeyPair& key, const std::string& doc_id, int64_t at) {
    return Run(key, "document.purge", {{"docId", doc_id}}, at);
  }
  Json Record(const std::string& doc_id) {
    auto raw = state_.Get(DocumentKey(doc_id));
    EXPECT_TRUE(raw && *raw);
    return Json::parse(core::AsStringView(**raw));
  }
  uint64_t Live(const std::string& content) { return *LiveDocuments(state_, Hash(content)); }
};

TEST_F(DocumentPurgeTest, RetentionRunsFiveYearsFromTheAnchorThenThePayloadGoesAndTheHashStays) {
  ASSERT_EQ(Anchor(importer_, "INV-1", "invoice bytes", Day("2025-03-01")).code, "OK");
  EXPECT_EQ(Live("invoice bytes"), 1u);

  TxOutcome early = Purge(importer_, "INV-1", Day("2030-03-01"));
  EXPECT_EQ(early.code, "RETENTION_NOT_EXPIRED");
  EXPECT_NE(early.detail.find("2030-03-01"), std::string::npos) << early.detail;
  EXPECT_FALSE(Record("INV-1").contains("purgedAt"));

  ASSERT_EQ(Purge(importer_, "INV-1", Day("2030-03-02")).code, "OK");
  Json record = Record("INV-1");
  EXPECT_EQ(record["purgedAt"], Day("2030-03-02"));
  EXPECT_EQ(record["purgedBy"], "IMP");
  EXPECT_EQ(record["purgeTxId"].get<std::string>().size(), 64u);
  EXPECT_EQ(record["contentHash"], Hash("invoice bytes"));  // what proofs of the hash prove
  EXPECT_EQ(Live("invoice bytes"), 0u);

  EXPECT_EQ(Purge(importer_, "INV-1", Day("2030-03-03")).code, "DOCUMENT_PURGED");
  EXPECT_EQ(Live("invoice bytes"), 0u);
}

TEST_F(DocumentPurgeTest, OnlyTheAnchoringOrganisationOrCustomsMayPurge) {
  ASSERT_EQ(Anchor(importer_, "INV-1", "invoice bytes", Day("2025-03-01")).code, "OK");
  ASSERT_EQ(Anchor(importer_, "INV-2", "other bytes", Day("2025-03-01")).code, "OK");
  EXPECT_EQ(Purge(producer_, "INV-1", Day("2031-01-01")).code, "NOT_AUTHORIZED");
  EXPECT_EQ(Purge(customs_, "INV-1", Day("2031-01-01")).code, "OK");
  EXPECT_EQ(Record("INV-1")["purgedBy"], "CBP");
  EXPECT_EQ(Purge(crypto::KeyPair::Generate(), "INV-2", Day("2031-01-01")).code, "NOT_AUTHORIZED");
}

TEST_F(DocumentPurgeTest, BadInputChangesNothing) {
  EXPECT_EQ(Purge(importer_, "NO-SUCH-DOC", Day("2031-01-01")).code, "DOCUMENT_NOT_FOUND");
  EXPECT_EQ(Run(importer_, "document.purge", {{"docId", 7}}, Day("2031-01-01")).code,
            "PAYLOAD_INVALID");
  EXPECT_EQ(Run(importer_, "document.purge", Json::array(), Day("2031-01-01")).code,
            "PAYLOAD_INVALID");
}

TEST_F(DocumentPurgeTest, SharedContentStaysLiveUntilItsLastAnchorIsPurged) {
  ASSERT_EQ(Anchor(importer_, "INV-1", "same bytes", Day("2025-03-01")).code, "OK");
  ASSERT_EQ(Anchor(producer_, "COPY-1", "same bytes", Day("2026-03-01")).code, "OK");
  EXPECT_EQ(Live("same bytes"), 2u);
  ASSERT_EQ(Purge(importer_, "INV-1", Day("2030-06-01")).code, "OK");
  EXPECT_EQ(Live("same bytes"), 1u);  // the file stays: COPY-1 still needs it
  EXPECT_EQ(Purge(producer_, "COPY-1", Day("2030-06-01")).code, "RETENTION_NOT_EXPIRED");
  ASSERT_EQ(Purge(producer_, "COPY-1", Day("2031-06-01")).code, "OK");
  EXPECT_EQ(Live("same bytes"), 0u);
}

TEST_F(DocumentPurgeTest, ACertificationIsRetainedFiveYearsAfterItsLastCitingEntry) {
  IssueStoryCert();  // anchored 2024-12-20
  ASSERT_EQ(
      Run(importer_, "entry.file", Entry("1234567", {Line(1, "8708300050")}), Day("2025-03-12"))
          .code,
      "OK");
  // Five years from the anchor have passed; five from the citing entry's import date have not.
  TxOutcome early = Purge(producer_, "CERT-1", Day("2030-01-15"));
  EXPECT_EQ(early.code, "RETENTION_NOT_EXPIRED") << early.detail;
  EXPECT_EQ(Purge(producer_, "CERT-1", Day("2030-03-31")).code, "OK");
}

TEST_F(DocumentPurgeTest, AnOpenVerificationCaseHoldsTheCertification) {
  IssueStoryCert();
  ASSERT_EQ(
      Run(importer_, "entry.file", Entry("1234567", {Line(1, "8708300050")}), Day("2025-03-12"))
          .code,
      "OK");
  ASSERT_EQ(Run(customs_, "case.open",
                {{"caseId", "VC-1"},
                 {"claimIds", {Number("1234567") + "#1"}},
                 {"method", "QUESTIONNAIRE"},
                 {"addressee", "IMP"}},
                Day("2025-04-01"))
                .code,
            "OK");
  EXPECT_EQ(Purge(producer_, "CERT-1", Day("2031-01-01")).code, "RETENTION_HOLD");
  EXPECT_FALSE(Record("CERT-1").contains("purgedAt"));
}

}  // namespace
}  // namespace tradeledger::trade
