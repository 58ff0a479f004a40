#include "trade/origin_views.h"

#include "trade/certification.h"
#include "trade/origin_test_fixture.h"
#include "trade/verification_case.h"

namespace tradeledger::trade {
namespace {

class OriginViewsTest : public testing::OriginFixture {
 protected:
  void SetUp() override {
    OriginFixture::SetUp();
    Json cert = UsmcaCert();
    cert["certifierRole"] = "EXPORTER";
    cert["producer"] = "AVAILABLE_UPON_REQUEST";
    cert["producerOnRequest"] = Party("Secret Foundry SA", "MX");
    ASSERT_EQ(Run(producer_, "cert.issue", cert, Day("2024-12-20")).code, "OK");
    ASSERT_EQ(
        Run(importer_, "entry.file", Entry("1234567", {Line(1, "8708300050")}), Day("2025-03-12"))
            .code,
        "OK");
  }
  Actor Reader(const crypto::KeyPair& key) {
    return **ResolveActor(state_, key.public_key, Day("2025-03-15"));
  }
  Json Cert() { return **LoadCertification(state_, "CERT-1"); }
  Json TheEntry() { return **LoadEntry(state_, Number("1234567")); }
  const int64_t now_ = Day("2025-03-15");
};

TEST_F(OriginViewsTest, CertificationFullForCustomsPartiesMetadataForOthers) {
  Json customs = *ViewCertification(state_, Cert(), Reader(customs_), now_);
  EXPECT_EQ(customs["view"], "full");
  EXPECT_EQ(customs["producerOnRequest"]["name"], "Secret Foundry SA");
  EXPECT_EQ(customs["effectiveState"], "ISSUED");
  Json importer = *ViewCertification(state_, Cert(), Reader(importer_));
  EXPECT_EQ(importer["view"], "full");
  EXPECT_FALSE(importer.contains("producerOnRequest"));
  Json rival = *ViewCertification(state_, Cert(), Reader(rival_));
  EXPECT_EQ(rival["view"], "metadata");
  EXPECT_EQ(rival["contentHash"], kHash);
  EXPECT_FALSE(rival.contains("goods"));
  EXPECT_FALSE(rival.contains("producer"));
}

TEST_F(OriginViewsTest, EntryValuesOnlyForCustomsImporterAndDelegatedBroker) {
  Json full = *ViewEntry(state_, TheEntry(), Reader(customs_), now_);
  EXPECT_EQ(full["lines"][0]["valueCents"], 1200000);
  EXPECT_EQ(full["claims"][0]["state"], "ACCEPTED");
  EXPECT_EQ((*ViewEntry(state_, TheEntry(), Reader(importer_), now_))["view"], "full");
  EXPECT_EQ(ViewEntry(state_, TheEntry(), Reader(broker_), now_).error().code, "NOT_AUTHORIZED");
  Json grant = {{"delegationId", "D1"},
                {"agent", "BRK"},
                {"scope", {"FILE_ENTRY", "CLAIM_PREFERENCE"}},
                {"validFrom", "2025-01-01"},
                {"validTo", "2026-01-01"}};
  ASSERT_EQ(Run(importer_, "delegation.grant", grant, Day("2025-01-01")).code, "OK");
  EXPECT_EQ((*ViewEntry(state_, TheEntry(), Reader(broker_), now_))["view"], "full");
  EXPECT_EQ(ViewEntry(state_, TheEntry(), Reader(rival_), now_).error().code, "NOT_AUTHORIZED");
}

TEST_F(OriginViewsTest, CertifierSeesClaimStatusWithoutValues) {
  Json v = *ViewEntry(state_, TheEntry(), Reader(producer_), now_);
  EXPECT_EQ(v["view"], "claim-status");
  EXPECT_EQ(v["claims"][0]["state"], "ACCEPTED");
  EXPECT_FALSE(v.contains("lines"));
  EXPECT_EQ(v.dump().find("valueCents"), std::string::npos);
  Json claim = Claim(Number("1234567") + "#1");
  EXPECT_EQ((*ViewClaim(state_, claim, Reader(producer_), now_))["view"], "claim-status");
  EXPECT_EQ(ViewClaim(state_, claim, Reader(ca_exporter_), now_).error().code, "NOT_AUTHORIZED");
}

TEST_F(OriginViewsTest, CaseVisibleToCustomsImporterAndAddressees) {
  ASSERT_EQ(Run(customs_, "case.open",
                {{"caseId", "VC-1"},
                 {"claimIds", {Number("1234567") + "#1"}},
                 {"method", "REQUEST_FOR_INFO"},
                 {"addressee", "MX-P"}},
                Day("2025-04-01"))
                .code,
            "OK");
  Json vcase = **LoadCase(state_, "VC-1");
  EXPECT_TRUE(ViewCase(state_, vcase, Reader(producer_), now_));
  EXPECT_TRUE(ViewCase(state_, vcase, Reader(importer_), now_));
  EXPECT_EQ(ViewCase(state_, vcase, Reader(rival_), now_).error().code, "NOT_AUTHORIZED");
}

}  // namespace
}  // namespace tradeledger::trade
