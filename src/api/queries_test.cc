// Authenticated reads, access control, the read audit log and attachments, in process.
#include "api/queries.h"

#include "api/api_test_fixture.h"
#include "api/read_auth.h"
#include "trade/time_util.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

class QueriesTest : public testing::PermissionedApiTest {};

TEST_F(QueriesTest, UnsignedTamperedOrStaleReadsAreRefused) {
  http::Request unsigned_read;
  unsigned_read.method = "GET";
  unsigned_read.path = "/v1/documents/INV-1";
  auto r = Call(unsigned_read);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Code(r), "AUTH_REQUIRED");

  http::Request tampered = Signed(owner_, "GET", "/v1/documents/INV-1");
  tampered.path = "/v1/documents/INV-2";
  EXPECT_EQ(Code(Call(tampered)), "AUTH_INVALID");

  http::Request stale;
  stale.method = "GET";
  stale.path = "/v1/me";
  for (auto& [k, v] : SignReadHeaders(genesis_.chain_id, owner_, clock_.Now().value - 600'000,
                                      "GET", "/v1/me", {})) {
    std::string lower = k;
    std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
    stale.headers[lower] = v;
  }
  EXPECT_EQ(Code(Call(stale)), "AUTH_EXPIRED");

  EXPECT_EQ(Code(Call(Signed(crypto::KeyPair::Generate(), "GET", "/v1/me"))), "AUTH_UNKNOWN_KEY");
}

TEST_F(QueriesTest, MalformedSignatureHeadersAreAuthInvalid) {
  const http::Request good = Signed(owner_, "GET", "/v1/me");
  ASSERT_EQ(Call(good).status, 200);
  std::vector<http::Request> bad(4, good);
  bad[0].headers["x-tl-key"] = "not hex";
  bad[1].headers["x-tl-time"] = "soon";
  bad[2].headers["x-tl-signature"] = good.headers.at("x-tl-signature").substr(2);
  bad[3].headers.erase("x-tl-signature");
  for (const http::Request& r : bad) {
    auto refused = Call(r);
    EXPECT_EQ(refused.status, 401) << refused.body;
    EXPECT_EQ(Code(refused), "AUTH_INVALID");
  }
}

// The signed-read message byte for byte (api/read_auth.h); the portal's unit test
// (portal/tests/unit/keys.test.mjs) builds the same bytes.
TEST(ReadAuth, TheMessageLengthPrefixesEveryPart) {
  ledger::ChainId chain;
  chain.hash.data.fill(1);
  core::Bytes message = ReadSigningMessage(chain, 1000, "GET", "/v1/claims/ABC-1234567-8#1",
                                           {{"limit", "5"}, {"after", "x y"}});
  EXPECT_EQ(core::ToHex(message),
            "54524144454c45444745522f524541442f7632000101010101010101010101010101010101010101"
            "01010101010101010101010100000000000003e8000000034745540000001a2f76312f636c61696d"
            "732f4142432d313233343536372d3823310000000200000005616674657200000003782079000000"
            "056c696d69740000000135");
}

TEST_F(QueriesTest, ASignedQueryCannotBeReplayedAsAnotherSplitOfTheSameText) {
  // The owner signs ?after=INV-0&limit=5; the same signature presented for the one parameter
  // ?after=INV-0%26limit%3D5 (the same text, split otherwise) does not verify, and neither
  // does the other direction: every name and value is signed with its length.
  http::Request honest =
      Signed(owner_, "GET", "/v1/documents", {{"after", "INV-0"}, {"limit", "5"}});
  EXPECT_EQ(Call(honest).status, 200);
  http::Request replayed = honest;
  replayed.query = {{"after", "INV-0&limit=5"}};
  auto r = Call(replayed);
  EXPECT_EQ(r.status, 401) << r.body;
  EXPECT_EQ(Code(r), "AUTH_INVALID");

  http::Request joined = Signed(owner_, "GET", "/v1/documents", {{"after", "INV-0&limit=5"}});
  EXPECT_EQ(Call(joined).status, 200) << "a value may hold '&' and '='";
  joined.query = {{"after", "INV-0"}, {"limit", "5"}};
  EXPECT_EQ(Code(Call(joined)), "AUTH_INVALID");

  http::Request named = Signed(owner_, "GET", "/v1/documents", {{"a=b", "c"}});
  named.query = {{"a", "b=c"}};
  EXPECT_EQ(Code(Call(named)), "AUTH_INVALID");
}

TEST_F(QueriesTest, OwnerSeesAllOthersSeeMetadataAndTheirReadIsAudited) {
  auto mine = Call(Signed(owner_, "GET", "/v1/documents/INV-1"));
  ASSERT_EQ(mine.status, 200) << mine.body;
  json full = json::parse(mine.body);
  EXPECT_EQ(full["issuer"], "Owner Inc.");
  // The retention date of rule 32: five years after the anchor (no certification here).
  EXPECT_EQ(full["retainUntil"], trade::AddMonths(full["anchoredAt"].get<int64_t>(), 60));

  auto theirs = Call(Signed(other_, "GET", "/v1/documents/INV-1"));
  ASSERT_EQ(theirs.status, 200);
  json meta = json::parse(theirs.body);
  EXPECT_EQ(meta["access"], "metadata");
  EXPECT_FALSE(meta.contains("issuer"));
  EXPECT_FALSE(meta.contains("retainUntil"));

  auto events = json::parse(Call(Signed(owner_, "GET", "/v1/audit-events")).body)["events"];
  ASSERT_EQ(events.size(), 1u) << events.dump();
  EXPECT_EQ(events[0]["readerOrg"], "OTHER");
  EXPECT_EQ(events[0]["subjectId"], "INV-1");
  EXPECT_EQ(events[0]["outcome"], "METADATA");

  // OTHER sees only the events about its own records: none.
  auto own = json::parse(Call(Signed(other_, "GET", "/v1/audit-events")).body)["events"];
  EXPECT_TRUE(own.empty());
}

TEST_F(QueriesTest, StateProofsFollowEntitlement) {
  auto denied = Call(Signed(other_, "GET", "/v1/state/proof", {{"key", "doc/INV-1"}}));
  EXPECT_EQ(denied.status, 403);
  EXPECT_EQ(Code(denied), "NOT_AUTHORIZED");
  // An organisation's entry (it holds the IOR number hash) is provable to that organisation
  // and customs only.
  auto directory = Call(Signed(other_, "GET", "/v1/state/proof", {{"key", "org/OWNER"}}));
  EXPECT_EQ(directory.status, 403) << directory.body;
  auto own = Call(Signed(owner_, "GET", "/v1/state/proof", {{"key", "org/OWNER"}}));
  EXPECT_EQ(own.status, 200) << own.body;
  auto customs = Call(Signed(customs_, "GET", "/v1/state/proof", {{"key", "org/OWNER"}}));
  EXPECT_EQ(customs.status, 200) << customs.body;
}

TEST_F(QueriesTest, AStateProofWhoseAuditCannotBeWrittenIsNotServed) {
  audit_faults_.FailNextWrites(1);
  auto refused = Call(Signed(customs_, "GET", "/v1/state/proof", {{"key", "doc/INV-1"}}));
  EXPECT_GE(refused.status, 500) << refused.body;
  EXPECT_EQ(refused.body.find("proof.state"), std::string::npos);
  auto served = Call(Signed(customs_, "GET", "/v1/state/proof", {{"key", "doc/INV-1"}}));
  EXPECT_EQ(served.status, 200) << served.body;
}

TEST_F(QueriesTest, AStateKeyThatIsNotUtf8IsRefusedAndTheRefusalAudited) {
  auto r = Call(Signed(other_, "GET", "/v1/state/proof", {{"key", "doc/\xff\xfe"}}));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Code(r), "NOT_AUTHORIZED");
  EXPECT_TRUE(json::accept(r.body));
  auto events = json::parse(Call(Signed(customs_, "GET", "/v1/audit-events")).body)["events"];
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["readerOrg"], "OTHER");
  EXPECT_EQ(events.back()["outcome"], "DENIED");
  EXPECT_NE(events.back().dump().find("fffe"), std::string::npos) << events.back().dump();
}

TEST_F(QueriesTest, AttachmentUploadChecksTheHashAndDownloadFollowsTheAnchor) {
  auto wrong = Call([&] {
    auto r =
        Signed(other_, "POST", "/v1/attachments",
               {{"sha256", crypto::Sha256Of(core::AsBytes("forged")).hex()}, {"docId", "INV-1"}});
    r.body = "forged";
    return r;
  }());
  EXPECT_EQ(wrong.status, 409);
  EXPECT_EQ(Code(wrong), "DOCUMENT_HASH_MISMATCH");
  auto events = json::parse(Call(Signed(customs_, "GET", "/v1/audit-events")).body)["events"];
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back()["outcome"], "DOCUMENT_HASH_MISMATCH");
  EXPECT_EQ(events.back()["readerOrg"], "OTHER");

  auto right = Call([&] {
    auto r = Signed(owner_, "POST", "/v1/attachments",
                    {{"sha256", FileHash().hex()}, {"docId", "INV-1"}});
    r.body = std::string(kFile);
    return r;
  }());
  ASSERT_EQ(right.status, 201) << right.body;

  auto download = Call(Signed(owner_, "GET", "/v1/attachments/" + FileHash().hex()));
  ASSERT_EQ(download.status, 200);
  EXPECT_EQ(download.body, kFile);
  EXPECT_EQ(Call(Signed(other_, "GET", "/v1/attachments/" + FileHash().hex())).status, 403);
  EXPECT_EQ(Call(Signed(customs_, "GET", "/v1/attachments/" + FileHash().hex())).status, 200);
}

TEST_F(QueriesTest, AttachmentsAndStateProofsNamingNoHashKeyOrKnownDocumentAreRefused) {
  auto upload = [&](std::map<std::string, std::string> query) {
    auto r = Signed(owner_, "POST", "/v1/attachments", std::move(query));
    r.body = std::string(kFile);
    return Call(std::move(r));
  };
  for (auto query : std::vector<std::map<std::string, std::string>>{
           {}, {{"sha256", "xyz"}}, {{"sha256", FileHash().hex().substr(1)}}}) {
    auto refused = upload(query);
    EXPECT_EQ(refused.status, 400) << refused.body;
    EXPECT_EQ(Code(refused), "CONTENT_HASH_INVALID");
  }
  auto unknown = upload({{"sha256", FileHash().hex()}, {"docId", "NO-SUCH-DOC"}});
  EXPECT_EQ(unknown.status, 404) << unknown.body;
  EXPECT_EQ(Code(unknown), "DOCUMENT_NOT_FOUND");
  auto bad_name = Call(Signed(owner_, "GET", "/v1/attachments/not-a-hash"));
  EXPECT_EQ(bad_name.status, 400) << bad_name.body;
  EXPECT_EQ(Code(bad_name), "CONTENT_HASH_INVALID");
  auto no_key = Call(Signed(customs_, "GET", "/v1/state/proof"));
  EXPECT_EQ(no_key.status, 400) << no_key.body;
  EXPECT_EQ(Code(no_key), "KEY_REQUIRED");
  // Nothing was stored: customs, entitled to every file, finds none.
  EXPECT_EQ(Call(Signed(customs_, "GET", "/v1/attachments/" + FileHash().hex())).status, 404);
}

TEST_F(QueriesTest, PresentingADifferentFileIsRecordedAsHashMismatch) {
  auto r = Submit(other_, "document.present",
                  {{"docId", "INV-1"}, {"presentedHash", std::string(64, '0')}});
  EXPECT_EQ(json::parse(r.body)["result_code"], "DOCUMENT_HASH_MISMATCH");
  auto ok =
      Submit(other_, "document.present", {{"docId", "INV-1"}, {"presentedHash", FileHash().hex()}});
  EXPECT_EQ(json::parse(ok.body)["result_code"], "OK");
  auto unchanged = Call(Signed(owner_, "GET", "/v1/documents/INV-1"));
  EXPECT_EQ(json::parse(unchanged.body)["contentHash"], FileHash().hex());
}

}  // namespace
}  // namespace tradeledger::api
