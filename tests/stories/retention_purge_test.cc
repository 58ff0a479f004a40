// Retention end to end (DOMAIN rule 32, ADR 0021 point 3, trade/document_purge.h,
// api/attachments.h) on a network of four validators, real node processes on a ledger clock.
//
// A document is anchored and its file uploaded to every validator (files are kept beside each
// node's ledger and are not replicated between validators, so each node holds the copy it was
// given). Its full inclusion proof and a state proof of its doc/ record are taken. A purge
// before the retention date is refused with RETENTION_NOT_EXPIRED and changes nothing; the
// customs administrator then moves the ledger clock past the date and the owner purges. After
// that: no validator's data directory holds the file, every validator answers a download and a
// re-upload with 410 DOCUMENT_PURGED, and the proofs taken before the purge still verify
// offline with `tradeledger verify`. The state proof taken before the purge proves the record
// as it was at its height (no purgedAt): it stays valid, it is simply not the latest state; a
// state proof taken after the purge proves the same anchor and content hash with purgedAt,
// purgedBy and purgeTxId added.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "api/http/http_client.h"
#include "api/http/url.h"
#include "api/read_auth.h"
#include "cli/stories.h"
#include "cli/story_client.h"
#include "core/bytes.h"
#include "story_network.h"

namespace tradeledger::stories_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

constexpr int kValidators = 4;
constexpr char kDocId[] = "RP-DOC-1";

uint64_t NowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// One validator's API, reached directly (StoryClient talks to node1 only).
class NodeApi {
 public:
  explicit NodeApi(const std::string& url) {
    auto parsed = api::http::ParseUrl(url);
    EXPECT_TRUE(parsed.has_value()) << url;
    if (parsed) url_ = *parsed;
    http_ = std::make_unique<api::http::Client>(url_.host, url_.port);
  }
  // `method` `target`, signed by `key` (if any) for `chain`; status 0 on a transport failure.
  api::http::Response Send(const ledger::ChainId& chain, const crypto::KeyPair* key,
                           const std::string& method, const std::string& target,
                           const std::string& body = {}) {
    api::http::Headers headers;
    if (key != nullptr) {
      auto parsed = api::http::ParseTarget(target);
      EXPECT_TRUE(parsed.has_value()) << target;
      if (!parsed) return {};
      auto signed_headers =
          api::SignReadHeaders(chain, *key, NowMs(), method, parsed->path, parsed->query);
      headers.assign(signed_headers.begin(), signed_headers.end());
    }
    auto r = http_->Send(method, url_.prefix + target, body, "application/octet-stream",
                         std::chrono::seconds(30), headers);
    EXPECT_TRUE(r.has_value()) << method << " " << target;
    if (r) return *r;
    api::http::Response failed;
    failed.status = 0;
    return failed;
  }
  // The validator's committed height (GET /health), 0 if it does not answer.
  uint64_t Height() {
    auto r = http_->Send("GET", url_.prefix + "/health", {}, "application/json",
                         std::chrono::seconds(5));
    if (!r || r->status != 200) return 0;
    json health = json::parse(r->body, nullptr, false);
    return health.is_object() ? health.value("height", uint64_t{0}) : 0;
  }

 private:
  api::http::ParsedUrl url_;
  std::unique_ptr<api::http::Client> http_;
};

std::string ErrorCode(const api::http::Response& r) {
  json body = json::parse(r.body, nullptr, false);
  if (!body.is_object() || !body.contains("error") || !body["error"].is_object()) return "";
  return body["error"].value("code", "");
}

class RetentionPurge : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = std::make_unique<StoryNetwork>(cli::kStoriesClockStart, kValidators);
    ASSERT_TRUE(net_->ok()) << net_->error();
    ASSERT_EQ(net_->urls().size(), static_cast<size_t>(kValidators));
    auto client =
        cli::StoryClient::Open(net_->url(), net_->validators_file(), net_->customs_key_file());
    ASSERT_TRUE(client.has_value()) << client.error().ToString();
    c_ = std::move(*client);
    ASSERT_TRUE(c_->SyncClock(cli::Ms(cli::kStoriesClockStart)).has_value());
    for (const std::string& url : net_->urls()) nodes_.push_back(std::make_unique<NodeApi>(url));
  }

  // `tradeledger verify` of `bundle` against the network's validators file: its exit code
  // (0: OK) and output.
  CommandResult Verify(const std::string& name, const std::string& bundle) {
    const fs::path file = net_->dir() / (name + ".json");
    std::ofstream(file, std::ios::trunc) << bundle;
    return RunCommand({TradeledgerBinary(), "verify", "--proof", file.string(), "--validators",
                       net_->validators_file()},
                      std::chrono::seconds(60));
  }

  // Waits (bounded) until every validator has committed `height`; false if one has not.
  bool AllAtLeast(uint64_t height) {
    auto deadline = SteadyClock::now() + std::chrono::seconds(60);
    for (auto& node : nodes_) {
      while (node->Height() < height) {
        if (SteadyClock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    return true;
  }

  // Where validator i (0-based) keeps the file with this hash (api/attachments.h,
  // cli/run_node.cc: <data_dir>/attachments/<hex sha256>).
  fs::path StoredFile(size_t i, const std::string& hash) const {
    return net_->node_dirs()[i] / "data" / "attachments" / hash;
  }

  std::unique_ptr<StoryNetwork> net_;
  std::unique_ptr<cli::StoryClient> c_;
  std::vector<std::unique_ptr<NodeApi>> nodes_;
};

TEST_F(RetentionPurge, PurgeAfterRetentionRemovesTheFileEverywhereAndKeepsProofsValid) {
  const ledger::ChainId& chain = c_->chain();
  crypto::KeyPair owner = c_->Admit("retention", "RP-IMP", {"IMPORTER"}, "US", json::object());
  crypto::KeyPair other = c_->Admit("retention", "RP-OTHER", {"IMPORTER"}, "US", json::object());
  ASSERT_EQ(c_->failed(), 0) << "admissions";

  // --- anchor on 2024-03-01: retained until 2029-03-01 (anchoring + 5 years) ---------------
  ASSERT_TRUE(c_->AdvanceClock(cli::Ms("2024-03-01")));
  const std::string file = "%PDF-1.4\n% retention purge test invoice RP-DOC-1\n%%EOF\n";
  const std::string hash = cli::Sha256Hex(file);
  cli::TxResult anchored = c_->Submit(owner, "document.anchor",
                                      {{"docId", kDocId},
                                       {"docType", "INVOICE"},
                                       {"contentHash", hash},
                                       {"issuer", "RP Issuer"},
                                       {"metadata", {{"note", "retention"}}}});
  ASSERT_EQ(anchored.code, "OK");
  ASSERT_TRUE(AllAtLeast(anchored.height)) << "a validator did not commit the anchor";

  // --- the file on every validator --------------------------------------------------------
  const std::string upload = "/v1/attachments?sha256=" + hash + "&docId=" + kDocId;
  const std::string download = "/v1/attachments/" + hash;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    api::http::Response up = nodes_[i]->Send(chain, &owner, "POST", upload, file);
    EXPECT_EQ(up.status, 201) << "node" << i + 1 << ": " << up.body;
    EXPECT_TRUE(fs::exists(StoredFile(i, hash))) << StoredFile(i, hash);
    api::http::Response down = nodes_[i]->Send(chain, &owner, "GET", download);
    EXPECT_EQ(down.status, 200) << "node" << i + 1 << ": " << down.body;
    EXPECT_EQ(down.body, file) << "node" << i + 1;
  }

  // --- the proofs a holder keeps: full inclusion bundle, state proof of doc/RP-DOC-1 -------
  api::http::Response inclusion =
      nodes_[0]->Send(chain, &owner, "GET", "/v1/proofs/inclusion/" + anchored.tx_id);
  ASSERT_EQ(inclusion.status, 200) << inclusion.body;
  EXPECT_EQ(json::parse(inclusion.body).value("kind", ""), "tradeledger.proof.inclusion.v1");
  // The state of the anchor's block is proven by a later header (ADR 0007; under ADR 0032 a
  // proposal claims the state one executed block back): poll until one covers it, as a
  // client does.
  const std::string state_target = std::string("/v1/state/proof?key=doc%2F") + kDocId;
  api::http::Response state_before;
  json state_before_bundle;
  for (auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);;) {
    state_before = nodes_[0]->Send(chain, &owner, "GET", state_target);
    ASSERT_EQ(state_before.status, 200) << state_before.body;
    state_before_bundle = json::parse(state_before.body);
    if (state_before_bundle.value("state_height", uint64_t{0}) >= anchored.height ||
        std::chrono::steady_clock::now() > deadline) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(state_before_bundle["value"].is_string()) << state_before.body;
  auto value_before = core::FromBase64(state_before_bundle["value"].get<std::string>());
  ASSERT_TRUE(value_before.has_value());
  json record_before = json::parse(core::AsStringView(*value_before));
  EXPECT_EQ(record_before.value("contentHash", ""), hash);
  EXPECT_FALSE(record_before.contains("purgedAt")) << record_before.dump();
  {
    CommandResult ok = Verify("inclusion-before", inclusion.body);
    ASSERT_EQ(ok.exit_code, 0) << ok.output;
    CommandResult state_ok = Verify("state-before", state_before.body);
    ASSERT_EQ(state_ok.exit_code, 0) << state_ok.output;
  }

  // --- too early: a day before the retention date ------------------------------------------
  ASSERT_TRUE(c_->AdvanceClock(cli::Ms("2029-02-28")));
  cli::TxResult early = c_->Submit(owner, "document.purge", {{"docId", kDocId}});
  EXPECT_EQ(early.code, "RETENTION_NOT_EXPIRED");
  ASSERT_TRUE(AllAtLeast(early.height));
  for (size_t i = 0; i < nodes_.size(); ++i) {
    EXPECT_TRUE(fs::exists(StoredFile(i, hash))) << "node" << i + 1 << " deleted it early";
    api::http::Response down = nodes_[i]->Send(chain, &owner, "GET", download);
    EXPECT_EQ(down.status, 200) << "node" << i + 1 << ": " << down.body;
    EXPECT_EQ(down.body, file) << "node" << i + 1;
  }

  // --- past the retention date: only the owner (or customs) may purge ----------------------
  ASSERT_TRUE(c_->AdvanceClock(cli::Ms("2029-03-02")));
  EXPECT_EQ(c_->Submit(other, "document.purge", {{"docId", kDocId}}).code, "NOT_AUTHORIZED");
  cli::TxResult purged = c_->Submit(owner, "document.purge", {{"docId", kDocId}});
  ASSERT_EQ(purged.code, "OK");
  ASSERT_TRUE(AllAtLeast(purged.height)) << "a validator did not commit the purge";

  // Every validator deletes the file when it commits the purge (the commit listener runs
  // right after the commit, so the deletion may trail the height by a moment: bounded poll).
  for (size_t i = 0; i < nodes_.size(); ++i) {
    auto deadline = SteadyClock::now() + std::chrono::seconds(30);
    while (fs::exists(StoredFile(i, hash)) && SteadyClock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    EXPECT_FALSE(fs::exists(StoredFile(i, hash))) << "node" << i + 1 << " still holds the file";
  }
  // Nor any other copy: no file anywhere in any validator's directory holds its bytes. (The
  // nodes run: a file RocksDB deletes during the walk is skipped, not an error.)
  int files = 0;
  for (const fs::path& node : net_->node_dirs()) {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(node, ec)) {
      if (!entry.is_regular_file(ec)) continue;
      ++files;
      EXPECT_NE(entry.path().filename().string(), hash) << entry.path();
      std::ifstream in(entry.path(), std::ios::binary);
      std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      EXPECT_EQ(bytes.find(file), std::string::npos) << entry.path() << " holds the file";
    }
  }
  EXPECT_GT(files, 4 * kValidators);

  // Every validator: a download is 410, a re-upload is 410 and stores nothing.
  for (size_t i = 0; i < nodes_.size(); ++i) {
    api::http::Response down = nodes_[i]->Send(chain, &owner, "GET", download);
    EXPECT_EQ(down.status, 410) << "node" << i + 1 << ": " << down.body;
    EXPECT_EQ(ErrorCode(down), "DOCUMENT_PURGED") << "node" << i + 1 << ": " << down.body;
    api::http::Response by_customs = nodes_[i]->Send(chain, &c_->customs(), "GET", download);
    EXPECT_EQ(by_customs.status, 410) << "node" << i + 1 << ": " << by_customs.body;
    api::http::Response again = nodes_[i]->Send(chain, &owner, "POST", upload, file);
    EXPECT_EQ(again.status, 410) << "node" << i + 1 << ": " << again.body;
    EXPECT_EQ(ErrorCode(again), "DOCUMENT_PURGED") << "node" << i + 1 << ": " << again.body;
    api::http::Response without_doc =
        nodes_[i]->Send(chain, &other, "POST", "/v1/attachments?sha256=" + hash, file);
    EXPECT_EQ(without_doc.status, 410) << "node" << i + 1 << ": " << without_doc.body;
    EXPECT_FALSE(fs::exists(StoredFile(i, hash))) << "node" << i + 1 << " stored it again";
  }
  EXPECT_EQ(c_->Submit(owner, "document.purge", {{"docId", kDocId}}).code, "DOCUMENT_PURGED");

  // --- the proofs taken before the purge still verify offline ------------------------------
  CommandResult inclusion_after = Verify("inclusion-after", inclusion.body);
  EXPECT_EQ(inclusion_after.exit_code, 0) << inclusion_after.output;
  // The old state proof proves the record at its own height: still valid, not the latest.
  CommandResult state_after = Verify("state-before-after", state_before.body);
  EXPECT_EQ(state_after.exit_code, 0) << state_after.output;
  // The same bundle claiming another transaction's id does not verify (the verifier does not
  // answer OK to anything).
  json tampered = json::parse(inclusion.body);
  tampered["tx_id"] = purged.tx_id;
  EXPECT_NE(Verify("inclusion-tampered", tampered.dump()).exit_code, 0);

  // A state proof taken now proves the same anchor, marked purged by this transaction.
  api::http::Response state_now = nodes_[0]->Send(chain, &owner, "GET", state_target);
  ASSERT_EQ(state_now.status, 200) << state_now.body;
  json state_now_bundle = json::parse(state_now.body);
  EXPECT_GT(state_now_bundle.value("height", uint64_t{0}),
            state_before_bundle.value("height", uint64_t{0}));
  CommandResult state_now_ok = Verify("state-now", state_now.body);
  EXPECT_EQ(state_now_ok.exit_code, 0) << state_now_ok.output;
  ASSERT_TRUE(state_now_bundle["value"].is_string()) << state_now.body;
  auto value_now = core::FromBase64(state_now_bundle["value"].get<std::string>());
  ASSERT_TRUE(value_now.has_value());
  json record_now = json::parse(core::AsStringView(*value_now));
  EXPECT_EQ(record_now.value("contentHash", ""), hash);
  EXPECT_EQ(record_now.value("anchoredAt", int64_t{0}),
            record_before.value("anchoredAt", int64_t{-1}));
  EXPECT_EQ(record_now.value("purgedBy", ""), "RP-IMP");
  EXPECT_EQ(record_now.value("purgeTxId", ""), purged.tx_id);
  EXPECT_TRUE(record_now.contains("purgedAt")) << record_now.dump();
}

}  // namespace
}  // namespace tradeledger::stories_test
