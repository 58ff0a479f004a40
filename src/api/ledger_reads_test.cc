// Reads of the ledger itself on a network with a customs authority (ADR 0021): what an
// unsigned caller, a member that is not a party, a party and customs get from blocks,
// transaction statuses and proofs; audited body reads; admission of cleartext IOR numbers.
#include "api/ledger_reads.h"

#include "api/api_test_fixture.h"
#include "node/proof_bundle.h"
#include "trade/entry_number.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

class LedgerReadsTest : public testing::PermissionedApiTest {
 protected:
  http::Response Unsigned(std::string path, std::map<std::string, std::string> query = {}) {
    http::Request r;
    r.method = "GET";
    r.path = std::move(path);
    r.query = std::move(query);
    return Call(std::move(r));
  }
  json Body(const http::Response& r) { return json::parse(r.body); }
  uint64_t AnchorHeight() {
    return Body(Call(Signed(owner_, "GET", "/v1/transactions/" + anchor_tx_)))["height"];
  }
  size_t AuditEventsAbout(const std::string& subject_id) {
    auto events = Body(Call(Signed(customs_, "GET", "/v1/audit-events", {{"owner", "OWNER"}})));
    size_t n = 0;
    for (const json& e : events["events"]) n += e.value("subjectId", "") == subject_id;
    return n;
  }
  node::TrustedValidators Trusted() const {
    return {genesis_.chain_id, genesis_.validator_set, {}};
  }
};

TEST_F(LedgerReadsTest, AnUnsignedCallerGetsHeadersAndCertificatesOnly) {
  auto block = Unsigned("/v1/blocks/" + std::to_string(AnchorHeight()));
  ASSERT_EQ(block.status, 200) << block.body;
  json b = Body(block);
  EXPECT_TRUE(b.contains("header"));
  EXPECT_TRUE(b.contains("certificate"));
  EXPECT_FALSE(b.contains("transactions"));
  EXPECT_EQ(block.body.find(anchor_tx_), std::string::npos);

  for (const std::string& path :
       {"/v1/transactions/" + anchor_tx_, "/v1/proofs/inclusion/" + anchor_tx_}) {
    SCOPED_TRACE(path);
    auto r = Unsigned(path);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(Code(r), "AUTH_REQUIRED");
  }
  auto consistency = Unsigned("/v1/proofs/consistency", {{"from", "1"}, {"to", "2"}});
  EXPECT_EQ(consistency.status, 401);
  EXPECT_EQ(Unsigned("/health").status, 200);
  EXPECT_EQ(Unsigned("/v1/validators").status, 200);
}

TEST_F(LedgerReadsTest, AMemberThatIsNotAPartyGetsTheIdAndAProofWithoutTheBody) {
  auto block = Call(Signed(other_, "GET", "/v1/blocks/" + std::to_string(AnchorHeight())));
  ASSERT_EQ(block.status, 200);
  EXPECT_EQ(Body(block)["transactions"][0], anchor_tx_);

  json status = Body(Call(Signed(other_, "GET", "/v1/transactions/" + anchor_tx_)));
  EXPECT_EQ(status["status"], "committed");
  EXPECT_EQ(status["access"], "id-only");
  for (const char* hidden : {"body", "type", "signer", "result_code", "reasons"}) {
    EXPECT_FALSE(status.contains(hidden)) << hidden;
  }

  auto proof = Call(Signed(other_, "GET", "/v1/proofs/inclusion/" + anchor_tx_));
  ASSERT_EQ(proof.status, 200) << proof.body;
  json bundle = Body(proof);
  EXPECT_EQ(bundle["kind"], "tradeledger.proof.inclusion-id.v1");
  EXPECT_FALSE(bundle.contains("transaction"));
  EXPECT_FALSE(bundle.contains("result_code"));
  EXPECT_EQ(proof.body.find("Owner Inc."), std::string::npos);
  auto verified = node::VerifyBundle(bundle, Trusted());
  ASSERT_TRUE(verified) << verified.error().ToString();
  EXPECT_EQ(verified->kind, "tradeledger.proof.inclusion-id.v1");

  // A bundle of this kind that smuggles an envelope is malformed, not "verified".
  json smuggled = bundle;
  smuggled["transaction"] = "AAAA";
  auto smuggled_verdict = node::VerifyBundle(smuggled, Trusted());
  ASSERT_FALSE(smuggled_verdict);
  EXPECT_EQ(smuggled_verdict.error().code, "PROOF_MALFORMED");
  // The proof is of this id's leaf: another id, or another block's header, does not verify.
  json forged = bundle;
  forged["tx_id"] = std::string(64, 'a');
  auto forged_verdict = node::VerifyBundle(forged, Trusted());
  ASSERT_FALSE(forged_verdict);
  EXPECT_EQ(forged_verdict.error().code, "PROOF_INVALID");
  json moved = bundle;
  auto header = *core::FromBase64(moved["header"].get<std::string>());
  header[header.size() / 2] ^= 0x40;
  moved["header"] = core::ToBase64(header);
  EXPECT_FALSE(node::VerifyBundle(moved, Trusted()));

  EXPECT_EQ(AuditEventsAbout(anchor_tx_), 0u);  // nothing of OWNER's was served
}

TEST_F(LedgerReadsTest, ThePartiesAndCustomsGetTheBodyAndReadsByOthersThanTheSignerAreAudited) {
  json own = Body(Call(Signed(owner_, "GET", "/v1/transactions/" + anchor_tx_)));
  EXPECT_EQ(own["access"], "full");
  EXPECT_EQ(own["type"], "document.anchor");
  EXPECT_EQ(own["body"]["issuer"], "Owner Inc.");
  EXPECT_EQ(own["result_code"], "OK");
  EXPECT_TRUE(own["reasons"].empty());
  EXPECT_EQ(AuditEventsAbout(anchor_tx_), 0u);  // the signer's own read is not an audit event

  auto proof = Call(Signed(customs_, "GET", "/v1/proofs/inclusion/" + anchor_tx_));
  ASSERT_EQ(proof.status, 200);
  json bundle = Body(proof);
  EXPECT_EQ(bundle["kind"], "tradeledger.proof.inclusion.v1");
  EXPECT_TRUE(bundle.contains("transaction"));
  EXPECT_TRUE(node::VerifyBundle(bundle, Trusted()));
  EXPECT_EQ(AuditEventsAbout(anchor_tx_), 1u);

  json by_customs = Body(Call(Signed(customs_, "GET", "/v1/transactions/" + anchor_tx_)));
  EXPECT_EQ(by_customs["access"], "full");
  EXPECT_EQ(AuditEventsAbout(anchor_tx_), 2u);
}

TEST_F(LedgerReadsTest, ABodyReadWhoseAuditCannotBeWrittenIsRefused) {
  audit_faults_.FailNextWrites(1);
  auto refused = Call(Signed(customs_, "GET", "/v1/transactions/" + anchor_tx_));
  EXPECT_GE(refused.status, 500);
  EXPECT_EQ(refused.body.find("Owner Inc."), std::string::npos);
  audit_faults_.FailNextWrites(1);
  auto proof = Call(Signed(customs_, "GET", "/v1/proofs/inclusion/" + anchor_tx_));
  EXPECT_GE(proof.status, 500);
  EXPECT_EQ(proof.body.find("transaction\""), std::string::npos);
  // The signer's own read needs no audit event and is served even while writes fail.
  audit_faults_.FailNextWrites(1);
  EXPECT_EQ(Call(Signed(owner_, "GET", "/v1/transactions/" + anchor_tx_)).status, 200);
}

TEST_F(LedgerReadsTest, ARejectedFilingShowsEveryFailingReasonToItsParties) {
  json line = {{"lineNo", 1},     {"hts10", "87083000"}, {"countryOfOrigin", "XX"},
               {"mid", "XXBAD1"}, {"quantity", 100},     {"uom", "PCS"},
               {"value", 12000.0}};
  auto r = Submit(owner_, "entry.file",
                  {{"entryNumber", trade::MakeEntryNumber("ABC", "1000006")},
                   {"entryType", "01"},
                   {"importer", "OWNER"},
                   {"iorNumberHash", "bad"},
                   {"shipmentRef", "MAEU123456789"},
                   {"importDate", "2025-03-10"},
                   {"portCode", "2304"},
                   {"lines", {line}}});
  json submitted = Body(r);
  ASSERT_EQ(submitted["result_code"], "HTS_FORMAT") << r.body;
  json expected = {"HTS_FORMAT", "COUNTRY_CODE_INVALID", "IOR_FORMAT", "MID_FORMAT"};
  EXPECT_EQ(submitted["reasons"], expected);
  std::string id = submitted["tx_id"];
  json status = Body(Call(Signed(owner_, "GET", "/v1/transactions/" + id)));
  EXPECT_EQ(status["reasons"], expected);
  EXPECT_EQ(Body(Call(Signed(other_, "GET", "/v1/transactions/" + id)))["access"], "id-only");
}

TEST_F(LedgerReadsTest, ACleartextIorNumberIsRefusedAtSubmissionAndNotEchoed) {
  auto r = Submit(customs_, "org.admit",
                  {{"orgId", "IMP2"},
                   {"legalName", "Importer Two"},
                   {"country", "US"},
                   {"roles", {"IMPORTER"}},
                   {"iorNumber", "27-1846930AB"},
                   {"members", json::array()}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Code(r), "IOR_CLEARTEXT");
  EXPECT_EQ(r.body.find("27-1846930AB"), std::string::npos) << r.body;
  // Hidden in another field, as a social security number: refused too.
  auto hidden = Submit(owner_, "document.anchor",
                       {{"docId", "INV-2"},
                        {"docType", "INVOICE"},
                        {"contentHash", FileHash().hex()},
                        {"issuer", "Owner Inc."},
                        {"metadata", {{"note", "importer 123-45-6789"}}}});
  EXPECT_EQ(Code(hidden), "IOR_CLEARTEXT");
  EXPECT_EQ(hidden.body.find("123-45-6789"), std::string::npos);
  // Nothing entered a block.
  EXPECT_EQ(Call(Signed(owner_, "GET", "/v1/documents/INV-2")).status, 404);
}

}  // namespace
}  // namespace tradeledger::api
