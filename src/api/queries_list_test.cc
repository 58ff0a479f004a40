// List routes (Queries::AddListRoute): each reader's page holds the records its views show,
// in id order, with a cursor; every item read by a non-owner is audited, or nothing is served.
#include "api/api_test_fixture.h"
#include "api/queries.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

class QueriesListTest : public testing::PermissionedApiTest {
 protected:
  void Anchor(const crypto::KeyPair& key, const std::string& doc_id) {
    auto r = Submit(key, "document.anchor",
                    {{"docId", doc_id},
                     {"docType", "INVOICE"},
                     {"contentHash", crypto::Sha256Of(core::AsBytes(doc_id)).hex()},
                     {"issuer", "Issuer of " + doc_id}});
    ASSERT_EQ(json::parse(r.body)["result_code"], "OK") << r.body;
  }
  json Page(const crypto::KeyPair& key, const std::string& path,
            std::map<std::string, std::string> query = {}) {
    auto r = Call(Signed(key, "GET", path, std::move(query)));
    EXPECT_EQ(r.status, 200) << r.body;
    return json::parse(r.body);
  }
  static std::vector<std::string> Ids(const json& page, const char* field) {
    std::vector<std::string> ids;
    for (const json& item : page["items"]) ids.push_back(item[field].get<std::string>());
    return ids;
  }
  size_t AuditEventCount() {
    auto r = Call(Signed(customs_, "GET", "/v1/audit-events", {{"limit", "1000"}}));
    return json::parse(r.body)["events"].size();
  }
};

TEST_F(QueriesListTest, PagesFollowTheCursorInIdOrder) {
  Anchor(owner_, "INV-2");
  Anchor(owner_, "INV-3");
  json first = Page(owner_, "/v1/documents", {{"limit", "2"}});
  EXPECT_EQ(Ids(first, "docId"), (std::vector<std::string>{"INV-1", "INV-2"}));
  ASSERT_EQ(first["next"], "INV-2");
  json second = Page(owner_, "/v1/documents", {{"limit", "2"}, {"after", "INV-2"}});
  EXPECT_EQ(Ids(second, "docId"), (std::vector<std::string>{"INV-3"}));
  EXPECT_TRUE(second["next"].is_null()) << second.dump();
  // The owner sees each whole record, as GET /v1/documents/{id} shows it.
  EXPECT_EQ(first["items"][1]["issuer"], "Issuer of INV-2");
}

TEST_F(QueriesListTest, EachReaderSeesItsViewAndEveryItemReadByANonOwnerIsAudited) {
  Anchor(owner_, "INV-2");
  size_t before = AuditEventCount();
  json theirs = Page(other_, "/v1/documents");
  ASSERT_EQ(theirs["items"].size(), 2u) << theirs.dump();
  for (const json& item : theirs["items"]) {
    EXPECT_EQ(item["access"], "metadata");
    EXPECT_FALSE(item.contains("issuer")) << item.dump();
  }
  EXPECT_EQ(AuditEventCount(), before + 2);
  // The owner's own list is not an audit event.
  Page(owner_, "/v1/documents");
  EXPECT_EQ(AuditEventCount(), before + 2);
}

TEST_F(QueriesListTest, RecordsAReaderMayNotSeeAreLeftOut) {
  crypto::KeyPair third = Admit("THIRD");
  auto granted = Submit(owner_, "delegation.grant",
                        {{"delegationId", "D-1"},
                         {"agent", "OTHER"},
                         {"scope", {"FILE_ENTRY"}},
                         {"validFrom", "2020-01-01T00:00:00Z"},
                         {"validTo", "2099-01-01T00:00:00Z"}});
  ASSERT_EQ(json::parse(granted.body)["result_code"], "OK") << granted.body;
  EXPECT_EQ(Ids(Page(owner_, "/v1/delegations"), "delegationId"), std::vector<std::string>{"D-1"});
  EXPECT_EQ(Ids(Page(other_, "/v1/delegations"), "delegationId"), std::vector<std::string>{"D-1"});
  EXPECT_EQ(Ids(Page(customs_, "/v1/delegations"), "delegationId"),
            std::vector<std::string>{"D-1"});
  json none = Page(third, "/v1/delegations");
  EXPECT_TRUE(none["items"].empty()) << none.dump();
  EXPECT_TRUE(none["next"].is_null());
  // The record's own route refuses the same reader.
  EXPECT_EQ(Call(Signed(third, "GET", "/v1/delegations/D-1")).status, 403);
}

TEST_F(QueriesListTest, MeNamesTheLedgerTimeFormsCountFrom) {
  // Not a ledger-clock network: the latest block's agreed time. A network of one goes on
  // certifying blocks, so the tip may move while the request is answered.
  const uint64_t before = chain_->tip().time.value;
  json me = Page(owner_, "/v1/me");
  const uint64_t after = chain_->tip().time.value;
  EXPECT_EQ(me["orgId"], "OWNER");
  ASSERT_TRUE(me["ledgerTime"].is_number_integer()) << me.dump();
  EXPECT_GE(me["ledgerTime"].get<uint64_t>(), before);
  EXPECT_LE(me["ledgerTime"].get<uint64_t>(), after);
}

TEST_F(QueriesListTest, BadParametersAndUnsignedListsAreRefused) {
  for (const char* limit : {"0", "201", "x", "-1"}) {
    auto r = Call(Signed(owner_, "GET", "/v1/documents", {{"limit", limit}}));
    EXPECT_EQ(r.status, 400) << limit;
    EXPECT_EQ(Code(r), "REQUEST_INVALID");
  }
  http::Request unsigned_list;
  unsigned_list.method = "GET";
  unsigned_list.path = "/v1/entries";
  auto r = Call(unsigned_list);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Code(r), "AUTH_REQUIRED");
}

TEST_F(QueriesListTest, APageWhoseAuditCannotBeWrittenIsNotServed) {
  audit_faults_.FailNextWrites(1);
  auto refused = Call(Signed(other_, "GET", "/v1/documents"));
  EXPECT_GE(refused.status, 500) << refused.body;
  EXPECT_EQ(refused.body.find("INV-1"), std::string::npos);
  auto served = Call(Signed(other_, "GET", "/v1/documents"));
  EXPECT_EQ(served.status, 200) << served.body;
}

}  // namespace
}  // namespace tradeledger::api
