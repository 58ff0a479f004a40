// Authenticated reads, access control, the read audit log and attachments, in process.
#include "api/queries.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>

#include "api/attachments.h"
#include "api/domain_routes.h"
#include "api/gateway.h"
#include "api/read_auth.h"
#include "crypto/sha256.h"
#include "storage/memory_store.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

class QueriesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nlohmann::ordered_json extra;
    extra["customs_authority"] = {{"org_id", "CBP"},
                                  {"legal_name", "U.S. Customs and Border Protection"},
                                  {"country", "US"},
                                  {"members",
                                   {{{"public_key", customs_.public_key.hex()},
                                     {"roles", {"CBP_ADMIN", "CBP_OFFICER"}},
                                     {"admin", true}}}}};
    genesis_ = *node::Genesis::Parse(node::Genesis::Render("queries", core::TimestampMs(1),
                                                           {{"v1", validator_.public_key}}, extra));
    chain_ = std::move(*node::Chain::Open(ledger_, genesis_));
    std::filesystem::remove(safety_path_);
    safety_ = std::make_unique<node::SafetyFile>(safety_path_);
    node_ = std::move(
        *node::Node::Create(ledger_, *chain_, validator_, clock_, {}, metrics_, *safety_, nullptr));
    audit_ = std::move(*node::ReadAuditLog::Open(store_));
    queries_ = std::make_unique<Queries>(*chain_, ledger_, *audit_, clock_);
    AddDomainRoutes(*queries_);
    dir_ = std::filesystem::temp_directory_path() / ("tl-queries-" + std::to_string(::getpid()));
    attachment_store_ = std::make_unique<node::AttachmentStore>(dir_.string());
    attachments_ = std::make_unique<Attachments>(*queries_, *attachment_store_);
    gateway_ = std::make_unique<Gateway>(*node_, *chain_, ledger_, metrics_, *queries_,
                                         attachments_.get());
    node_->Start();
    owner_ = Admit("OWNER");
    other_ = Admit("OTHER");
    Submit(owner_, "document.anchor",
           {{"docId", "INV-1"},
            {"docType", "INVOICE"},
            {"contentHash", FileHash().hex()},
            {"issuer", "Owner Inc."}});
  }
  void TearDown() override {
    node_->Stop();
    std::filesystem::remove_all(dir_);
  }

  static core::Hash32 FileHash() { return crypto::Sha256Of(core::AsBytes(kFile)); }

  http::Response Call(http::Request r) {
    std::promise<http::Response> done;
    gateway_->Handle(std::move(r), [&](http::Response resp) { done.set_value(std::move(resp)); });
    return done.get_future().get();
  }

  http::Response Submit(const crypto::KeyPair& key, const std::string& type, const json& body) {
    ledger::TxPayload p;
    p.chain_id = genesis_.chain_id;
    p.type = type;
    p.nonce = ++nonce_;
    p.body = core::ToBytes(body.dump());
    auto tx = ledger::SignedTransaction::Sign(p, key);
    http::Request r;
    r.method = "POST";
    r.path = "/v1/transactions";
    r.query = {{"wait", "commit"}};
    r.body = json{{"transaction", core::ToBase64(tx.envelope())}}.dump();
    return Call(std::move(r));
  }

  crypto::KeyPair Admit(const std::string& org) {
    crypto::KeyPair key = crypto::KeyPair::Generate();
    auto r =
        Submit(customs_, "org.admit",
               {{"orgId", org},
                {"legalName", org},
                {"country", "US"},
                {"roles", {"IMPORTER"}},
                {"members", {{{"publicKey", key.public_key.hex()}, {"roles", {"IMPORTER"}}}}}});
    EXPECT_EQ(json::parse(r.body)["result_code"], "OK") << r.body;
    return key;
  }

  http::Request Signed(const crypto::KeyPair& key, std::string method, std::string path,
                       std::map<std::string, std::string> query = {}) {
    http::Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.query = std::move(query);
    for (auto& [k, v] :
         SignReadHeaders(genesis_.chain_id, key, clock_.Now().value, r.method, r.path, r.query)) {
      std::string lower = k;
      std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
      r.headers[lower] = v;
    }
    return r;
  }

  static std::string Code(const http::Response& r) {
    return json::parse(r.body)["error"]["code"].get<std::string>();
  }

  static constexpr std::string_view kFile = "%PDF-1.7 commercial invoice INV-1";
  crypto::KeyPair validator_ = crypto::KeyPair::Generate();
  crypto::KeyPair customs_ = crypto::KeyPair::Generate();
  crypto::KeyPair owner_, other_;
  uint64_t nonce_ = 0;
  node::SystemClock clock_;
  node::Metrics metrics_;
  storage::MemoryStore store_;
  node::LedgerStore ledger_{store_};
  node::Genesis genesis_;
  std::unique_ptr<node::Chain> chain_;
  std::string safety_path_ =
      ::testing::TempDir() + "queries_test.safety." + std::to_string(::getpid());
  std::unique_ptr<node::SafetyFile> safety_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::ReadAuditLog> audit_;
  std::unique_ptr<Queries> queries_;
  std::filesystem::path dir_;
  std::unique_ptr<node::AttachmentStore> attachment_store_;
  std::unique_ptr<Attachments> attachments_;
  std::unique_ptr<Gateway> gateway_;
};

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

TEST_F(QueriesTest, OwnerSeesAllOthersSeeMetadataAndTheirReadIsAudited) {
  auto mine = Call(Signed(owner_, "GET", "/v1/documents/INV-1"));
  ASSERT_EQ(mine.status, 200) << mine.body;
  EXPECT_EQ(json::parse(mine.body)["issuer"], "Owner Inc.");

  auto theirs = Call(Signed(other_, "GET", "/v1/documents/INV-1"));
  ASSERT_EQ(theirs.status, 200);
  json meta = json::parse(theirs.body);
  EXPECT_EQ(meta["access"], "metadata");
  EXPECT_FALSE(meta.contains("issuer"));

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
