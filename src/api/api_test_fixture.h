// Test support for the API: a node of one validator on a network with a customs authority,
// its gateway with every route run_node.cc wires (queries, domain routes, attachments), two
// importer organisations OWNER and OTHER, and a document INV-1 anchored by OWNER. Submit()
// posts with wait=commit; Signed() makes a signed read (api/read_auth.h). The read audit log
// has its own store behind a FaultInjectionStore, so a test can make its writes fail.
// For tests only.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "api/attachments.h"
#include "api/domain_routes.h"
#include "api/gateway.h"
#include "api/queries.h"
#include "api/read_auth.h"
#include "crypto/sha256.h"
#include "storage/fault_injection_store.h"
#include "storage/memory_store.h"
#include "trade/participants.h"

namespace tradeledger::api::testing {

using nlohmann::json;

class PermissionedApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nlohmann::ordered_json extra;
    extra["customs_authority"] = trade::RenderCustomsAuthority({.admin_key = customs_.public_key});
    genesis_ = *node::Genesis::Parse(node::Genesis::Render("queries", core::TimestampMs(1),
                                                           {{"v1", validator_.public_key}}, extra));
    chain_ = std::move(*node::Chain::Open(ledger_, genesis_));
    std::filesystem::remove(safety_path_);
    safety_ = std::make_unique<node::SafetyFile>(safety_path_);
    node_ = std::move(
        *node::Node::Create(ledger_, *chain_, validator_, clock_, {}, metrics_, *safety_, nullptr));
    audit_ = std::move(*node::ReadAuditLog::Open(audit_faults_));
    queries_ = std::make_unique<Queries>(*chain_, ledger_, *audit_, clock_);
    AddDomainRoutes(*queries_);
    dir_ = std::filesystem::temp_directory_path() / ("tl-api-test-" + std::to_string(::getpid()));
    attachment_store_ = std::make_unique<node::AttachmentStore>(dir_.string());
    attachments_ = std::make_unique<Attachments>(*queries_, *attachment_store_);
    gateway_ = std::make_unique<Gateway>(*node_, *chain_, ledger_, metrics_, *queries_,
                                         attachments_.get());
    node_->Start();
    owner_ = Admit("OWNER");
    other_ = Admit("OTHER");
    auto anchor = Submit(owner_, "document.anchor",
                         {{"docId", "INV-1"},
                          {"docType", "INVOICE"},
                          {"contentHash", FileHash().hex()},
                          {"issuer", "Owner Inc."}});
    anchor_tx_ = json::parse(anchor.body)["tx_id"].get<std::string>();
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

  // Admits `org` with one member key holding `roles`; returns the key.
  crypto::KeyPair Admit(const std::string& org,
                        const std::vector<std::string>& roles = {"IMPORTER"}) {
    crypto::KeyPair key = crypto::KeyPair::Generate();
    auto r = Submit(customs_, "org.admit",
                    {{"orgId", org},
                     {"legalName", org},
                     {"country", "US"},
                     {"roles", roles},
                     {"members", {{{"publicKey", key.public_key.hex()}, {"roles", roles}}}}});
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
  std::string anchor_tx_;  // the id of OWNER's anchor of INV-1
  uint64_t nonce_ = 0;
  node::SystemClock clock_;
  node::Metrics metrics_;
  storage::MemoryStore store_;
  node::LedgerStore ledger_{store_};
  storage::MemoryStore audit_store_;
  storage::FaultInjectionStore audit_faults_{audit_store_};  // FailNextWrites: audit failures
  node::Genesis genesis_;
  std::unique_ptr<node::Chain> chain_;
  std::string safety_path_ = ::testing::TempDir() + "api_test.safety." + std::to_string(::getpid());
  std::unique_ptr<node::SafetyFile> safety_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::ReadAuditLog> audit_;
  std::unique_ptr<Queries> queries_;
  std::filesystem::path dir_;
  std::unique_ptr<node::AttachmentStore> attachment_store_;
  std::unique_ptr<Attachments> attachments_;
  std::unique_ptr<Gateway> gateway_;
};

}  // namespace tradeledger::api::testing
