#include "trade/certification.h"

#include "trade/origin_test_fixture.h"
#include "trade/state_keys.h"

namespace tradeledger::trade {
namespace {

class CertificationTest : public testing::OriginFixture {
 protected:
  std::string Issue(const Json& body, const crypto::KeyPair* key = nullptr) {
    return Run(key ? *key : producer_, "cert.issue", body, Day("2024-12-20")).code;
  }
  Json Without(const char* field) {
    Json b = UsmcaCert();
    b.erase(field);
    return b;
  }
};

TEST_F(CertificationTest, CompleteUsmcaCertificationIsIssuedAndAnchored) {
  ASSERT_EQ(Issue(UsmcaCert()), "OK");
  auto cert = LoadCertification(state_, "CERT-1");
  ASSERT_TRUE(cert && *cert);
  EXPECT_EQ((**cert)["state"], "ISSUED");
  EXPECT_EQ((**cert)["certifierOrg"], "MX-P");
  EXPECT_EQ((**cert)["anchoredAt"], Day("2024-12-20"));
  EXPECT_EQ((**cert)["goods"][0]["hsCode"], "870830");
  auto doc = state_.Get(DocumentKey("CERT-1"));
  ASSERT_TRUE(doc && *doc);
  EXPECT_EQ(Issue(UsmcaCert()), "CERT_EXISTS");
}

TEST_F(CertificationTest, Rule7EachMissingElementIsNamed) {
  EXPECT_EQ(Issue(Without("certifierRole")), "CERT_INCOMPLETE:certifierRole");
  Json b = UsmcaCert();
  b["certifier"].erase("email");
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:certifier.email");
  b = UsmcaCert();
  b["certifier"].erase("title");
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:certifier.title");
  b = UsmcaCert();
  b["goods"][0].erase("originCriterion");
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:originCriterion");
  b = UsmcaCert();
  b["goods"][0]["originCriterion"] = "E";
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:originCriterion");
  b = UsmcaCert();
  b["goods"][0]["hsCode"] = "8708";
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:goods.hsCode");
  b = UsmcaCert();
  b["goods"][0].erase("description");
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:goods.description");
  b = UsmcaCert();
  b["goods"] = Json::array();
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:goods");
  EXPECT_EQ(Issue(Without("signatory")), "CERT_INCOMPLETE:signatory");
  EXPECT_EQ(Issue(Without("signedAt")), "CERT_INCOMPLETE:signedAt");
  b = UsmcaCert();
  b["statementPresent"] = false;
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:statementPresent");
  EXPECT_EQ(Issue(Without("blanketTo")), "CERT_INCOMPLETE:blanketPeriod");
  b = UsmcaCert();
  b["singleShipment"] = true;
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:blanketPeriod");
}

TEST_F(CertificationTest, Rule7ExporterAndProducerRequirementsDependOnCertifier) {
  // A producer that does not know the exporter may omit it.
  EXPECT_EQ(Issue(Without("exporter")), "OK");
  // An exporter certifying for another producer must name the producer.
  Json b = UsmcaCert("CERT-2");
  b["certifierRole"] = "EXPORTER";
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:producer");
  b["producer"] = "AVAILABLE_UPON_REQUEST";
  EXPECT_EQ(Issue(b), "OK");
  // An importer certifying must name exporter and producer.
  Json imp = UsmcaCert("CERT-3");
  imp["certifierRole"] = "IMPORTER";
  imp.erase("exporter");
  imp["producer"] = "VARIOUS";
  EXPECT_EQ(Issue(imp, &importer_), "CERT_INCOMPLETE:exporter");
}

TEST_F(CertificationTest, Rule3CountryCodesInCertificationAreChecked) {
  Json b = UsmcaCert();
  b["exporter"]["countryIso2"] = "XX";
  EXPECT_EQ(Issue(b), "COUNTRY_CODE_INVALID");
}

TEST_F(CertificationTest, Rule8NaftaCertifierMustBeExporter) {
  Json b = UsmcaCert();
  b["agreement"] = "NAFTA";
  EXPECT_EQ(Issue(b), "CERT_SIGNER_NOT_EXPORTER");
  b["certifierRole"] = "EXPORTER";
  b["signedAt"] = "2019-05-01";
  b["blanketFrom"] = "2019-06-01";
  b["blanketTo"] = "2020-05-31";
  EXPECT_EQ(Issue(b), "CERT_INCOMPLETE:producer");
  b["producer"] = "SAME_AS_EXPORTER";
  EXPECT_EQ(Issue(b), "OK");
}

TEST_F(CertificationTest, Rule8CaftaDrNeedsImporterAndRuleOfOrigin) {
  Json b = UsmcaCert();
  b["agreement"] = "CAFTA_DR";
  b.erase("importer");
  b["goods"][0].erase("originCriterion");
  TxOutcome o = Run(producer_, "cert.issue", b, Day("2024-12-20"));
  EXPECT_EQ(o.code, "CERT_INCOMPLETE:importer");
  EXPECT_NE(o.detail.find("CERT_INCOMPLETE:ruleOfOrigin"), std::string::npos) << o.detail;
  b["importer"] = UsmcaCert()["importer"];
  b["goods"][0]["ruleOfOrigin"] = "GN 29(n) chapter 87 rule";
  EXPECT_EQ(Issue(b), "OK");
}

TEST_F(CertificationTest, Rule9BlanketPeriodAtMostTwelveMonths) {
  Json b = UsmcaCert();
  b["blanketTo"] = "2026-03-31";  // story 7
  EXPECT_EQ(Issue(b), "BLANKET_PERIOD_INVALID");
  b["blanketTo"] = "2026-01-01";  // exactly 12 months is one day too long
  EXPECT_EQ(Issue(b), "BLANKET_PERIOD_INVALID");
  b["blanketFrom"] = "2025-06-01";
  b["blanketTo"] = "2025-05-01";
  EXPECT_EQ(Issue(b), "BLANKET_PERIOD_INVALID");
}

TEST_F(CertificationTest, Rule10SignedInFutureOrUnknownLanguage) {
  Json b = UsmcaCert();
  b["signedAt"] = "2024-12-21";
  EXPECT_EQ(Issue(b), "CERT_INVALID_META");
  b = UsmcaCert();
  b["language"] = "de";
  EXPECT_EQ(Issue(b), "CERT_INVALID_META");
}

TEST_F(CertificationTest, Rule11OnlyTheCertifierRoleHolderIssues) {
  // The importer's key holds no PRODUCER role.
  EXPECT_EQ(Issue(UsmcaCert(), &importer_), "NOT_AUTHORIZED");
  EXPECT_EQ(Issue(UsmcaCert(), &broker_), "NOT_AUTHORIZED");
  EXPECT_EQ(Run(crypto::KeyPair::Generate(), "cert.issue", UsmcaCert(), Day("2024-12-20")).code,
            "NOT_AUTHORIZED");
}

TEST_F(CertificationTest, AllFailingCodesAreReportedInRuleOrder) {
  Json b = UsmcaCert();
  b["language"] = "de";
  b["blanketTo"] = "2026-03-31";
  b["goods"][0].erase("originCriterion");
  TxOutcome o = Run(producer_, "cert.issue", b, Day("2024-12-20"));
  EXPECT_EQ(o.code, "CERT_INCOMPLETE:originCriterion");
  EXPECT_NE(
      o.detail.find("CERT_INCOMPLETE:originCriterion,BLANKET_PERIOD_INVALID,CERT_INVALID_META"),
      std::string::npos)
      << o.detail;
}

TEST_F(CertificationTest, Rule21PresentedCopyMustMatchAnchor) {
  IssueStoryCert();
  Json ok = {{"certId", "CERT-1"}, {"contentHash", kHash}};
  EXPECT_EQ(Run(broker_, "cert.present", ok, Day("2025-03-10")).code, "OK");
  Json tampered = {{"certId", "CERT-1"}, {"contentHash", std::string(64, 'a')}};
  TxOutcome o = Run(broker_, "cert.present", tampered, Day("2025-03-10"));
  EXPECT_EQ(o.code, "DOCUMENT_HASH_MISMATCH");
  EXPECT_NE(o.detail.find("BRK"), std::string::npos);
  EXPECT_EQ((**LoadCertification(state_, "CERT-1"))["contentHash"], kHash);
}

TEST_F(CertificationTest, SupersedeAndWithdrawTransitions) {
  IssueStoryCert();
  Json next = UsmcaCert("CERT-1B");
  next["supersedes"] = "CERT-1";
  EXPECT_EQ(Run(ca_exporter_, "cert.supersede", next, Day("2025-01-10")).code, "NOT_AUTHORIZED");
  ASSERT_EQ(Run(producer_, "cert.supersede", next, Day("2025-01-10")).code, "OK");
  EXPECT_EQ((**LoadCertification(state_, "CERT-1"))["state"], "SUPERSEDED");
  EXPECT_EQ((**LoadCertification(state_, "CERT-1"))["supersededBy"], "CERT-1B");
  // A superseded certification cannot be superseded again or withdrawn.
  Json again = UsmcaCert("CERT-1C");
  again["supersedes"] = "CERT-1";
  EXPECT_EQ(Run(producer_, "cert.supersede", again, Day("2025-01-11")).code, "CERT_STATE_INVALID");
  EXPECT_EQ(Run(producer_, "cert.withdraw", {{"certId", "CERT-1"}}, Day("2025-01-11")).code,
            "CERT_STATE_INVALID");
  EXPECT_EQ(Run(importer_, "cert.withdraw", {{"certId", "CERT-1B"}}, Day("2025-01-11")).code,
            "NOT_AUTHORIZED");
  ASSERT_EQ(Run(producer_, "cert.withdraw", {{"certId", "CERT-1B"}, {"reason", "error"}},
                Day("2025-01-11"))
                .code,
            "OK");
  EXPECT_EQ((**LoadCertification(state_, "CERT-1B"))["state"], "WITHDRAWN");
  EXPECT_EQ(Run(producer_, "cert.withdraw", {{"certId", "CERT-1B"}}, Day("2025-01-12")).code,
            "CERT_STATE_INVALID");
}

TEST_F(CertificationTest, ExpiryIsDerived) {
  IssueStoryCert();
  Json cert = **LoadCertification(state_, "CERT-1");
  EXPECT_EQ(EffectiveCertState(cert, Day("2025-06-01")), "ISSUED");
  EXPECT_EQ(EffectiveCertState(cert, Day("2026-01-01")), "EXPIRED");
}

TEST_F(CertificationTest, MalformedBodiesAreRejectedNotCrashed) {
  for (const char* text :
       {"[]", "{\"certId\": 5}", "{\"certId\": \"A\", \"agreement\": \"EU\"}",
        "{\"certId\": \"A\", \"agreement\": \"USMCA\", \"contentHash\": \"x\"}"}) {
    Json body = Json::parse(text);
    EXPECT_NE(Run(producer_, "cert.issue", body, Day("2024-12-20")).code, "OK") << text;
  }
  Json b = UsmcaCert();
  b["goods"] = {1, 2};
  EXPECT_EQ(Issue(b), "PAYLOAD_INVALID");
  b = UsmcaCert();
  b["certifier"] = 7;
  EXPECT_NE(Issue(b), "OK");
}

}  // namespace
}  // namespace tradeledger::trade
