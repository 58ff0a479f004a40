#include "api/gateway.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "api/queries.h"
#include "core/encoding.h"
#include "node/proof_bundle.h"
#include "storage/memory_store.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

class GatewayTest : public ::testing::Test {
 protected:
  void SetUp() override { Open({}, /*start=*/true); }

  // A gateway over a node with `options`; its consensus thread runs only if `start`.
  void Open(node::NodeOptions options, bool start) {
    if (node_) node_->Stop();
    gateway_.reset();
    queries_.reset();
    audit_.reset();
    node_.reset();
    genesis_ = *node::Genesis::Parse(
        node::Genesis::Render("gw", core::TimestampMs(1), {{"v1", validator_.public_key}}));
    chain_ = std::move(*node::Chain::Open(ledger_, genesis_));
    std::filesystem::remove(safety_path_);
    safety_ = std::make_unique<node::SafetyFile>(safety_path_);
    node_ = std::move(*node::Node::Create(ledger_, *chain_, validator_, clock_, options, metrics_,
                                          *safety_, nullptr));
    audit_ = std::move(*node::ReadAuditLog::Open(audit_store_));
    queries_ = std::make_unique<Queries>(*chain_, ledger_, *audit_, clock_);
    gateway_ = std::make_unique<Gateway>(*node_, *chain_, ledger_, metrics_, *queries_);
    if (start) node_->Start();
  }
  void TearDown() override { node_->Stop(); }

  http::Response Call(std::string method, std::string path, std::string body = {},
                      std::map<std::string, std::string> query = {},
                      std::map<std::string, std::string> headers = {}) {
    http::Request r;
    r.method = std::move(method);
    r.path = std::move(path);
    r.body = std::move(body);
    r.query = std::move(query);
    r.headers = std::move(headers);
    std::promise<http::Response> done;
    gateway_->Handle(std::move(r), [&](http::Response resp) { done.set_value(std::move(resp)); });
    return done.get_future().get();
  }

  static std::string Code(const http::Response& r) {
    return json::parse(r.body)["error"]["code"].get<std::string>();
  }

  ledger::SignedTransaction Tx(uint64_t nonce, const ledger::ChainId* chain = nullptr) {
    ledger::TxPayload p;
    p.chain_id = chain ? *chain : genesis_.chain_id;
    p.type = "document.anchor";
    p.nonce = nonce;
    p.body = core::ToBytes(json{
        {"docId", "DOC-" + std::to_string(nonce)},
        {"docType", "OTHER"},
        {"contentHash", std::string(64, 'c')},
        {"issuer", "ACME"}}.dump());
    return ledger::SignedTransaction::Sign(p, client_);
  }

  static std::string Body(const ledger::SignedTransaction& tx) {
    return json{{"transaction", core::ToBase64(tx.envelope())}}.dump();
  }

  crypto::KeyPair validator_ = crypto::KeyPair::Generate();
  crypto::KeyPair client_ = crypto::KeyPair::Generate();
  node::SystemClock clock_;
  node::Metrics metrics_;
  storage::MemoryStore store_;
  node::LedgerStore ledger_{store_};
  node::Genesis genesis_;
  std::unique_ptr<node::Chain> chain_;
  std::string safety_path_ =
      ::testing::TempDir() + "gateway_test.safety." + std::to_string(::getpid());
  std::unique_ptr<node::SafetyFile> safety_;
  std::unique_ptr<node::Node> node_;
  storage::MemoryStore audit_store_;
  std::unique_ptr<node::ReadAuditLog> audit_;
  std::unique_ptr<Queries> queries_;
  std::unique_ptr<Gateway> gateway_;
};

TEST_F(GatewayTest, SubmitWaitsForCommitAndServesProof) {
  auto tx = Tx(1);
  auto r = Call("POST", "/v1/transactions", Body(tx), {{"wait", "commit"}});
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = json::parse(r.body);
  EXPECT_EQ(j["tx_id"], tx.id().hex());
  EXPECT_EQ(j["result_code"], "OK");
  const int height = j["height"].get<int>();
  EXPECT_GE(height, 1);

  auto status = Call("GET", "/v1/transactions/" + tx.id().hex());
  EXPECT_EQ(json::parse(status.body)["status"], "committed");

  auto proof = Call("GET", "/v1/proofs/inclusion/" + tx.id().hex());
  ASSERT_EQ(proof.status, 200);
  node::TrustedValidators trusted{genesis_.chain_id, genesis_.validator_set, {}};
  EXPECT_TRUE(node::VerifyBundle(json::parse(proof.body), trusted));

  auto block = Call("GET", "/v1/blocks/" + std::to_string(height));
  ASSERT_EQ(block.status, 200);
  EXPECT_EQ(json::parse(block.body)["transactions"][0], tx.id().hex());
}

TEST_F(GatewayTest, ResubmittingACommittedTransactionReturnsItsEntry) {
  auto tx = Tx(1);
  auto first = Call("POST", "/v1/transactions", Body(tx), {{"wait", "commit"}});
  ASSERT_EQ(first.status, 200);
  auto again = Call("POST", "/v1/transactions", Body(tx));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(json::parse(again.body)["height"], json::parse(first.body)["height"]);
}

TEST_F(GatewayTest, AFullMempoolAnswers503WithItsReasonAndDoesNotGrow) {
  node::NodeOptions options;
  options.mempool.max_transactions = 2;
  options.mempool.max_per_signer = 10;
  Open(options, /*start=*/false);  // nothing drains the mempool
  EXPECT_EQ(Call("POST", "/v1/transactions", Body(Tx(1))).status, 202);
  EXPECT_EQ(Call("POST", "/v1/transactions", Body(Tx(2))).status, 202);
  auto full = Call("POST", "/v1/transactions", Body(Tx(3)));
  EXPECT_EQ(full.status, 503) << full.body;
  EXPECT_EQ(Code(full), "MEMPOOL_FULL");
  EXPECT_EQ(Call("GET", "/v1/transactions/" + Tx(3).id().hex()).status, 404);

  options.mempool.max_transactions = 100;
  options.mempool.max_per_signer = 1;
  Open(options, /*start=*/false);
  EXPECT_EQ(Call("POST", "/v1/transactions", Body(Tx(11))).status, 202);
  auto limited = Call("POST", "/v1/transactions", Body(Tx(12)));
  EXPECT_EQ(limited.status, 503) << limited.body;
  EXPECT_EQ(Code(limited), "MEMPOOL_SIGNER_LIMIT");
}

TEST_F(GatewayTest, AcceptsRawEnvelopes) {
  auto tx = Tx(1);
  std::string raw(tx.envelope().begin(), tx.envelope().end());
  auto r = Call("POST", "/v1/transactions", raw, {{"wait", "commit"}},
                {{"content-type", "application/octet-stream"}});
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(GatewayTest, RejectsMalformedRequestsWithReasonCodes) {
  auto bad_json = Call("POST", "/v1/transactions", "{nope");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(Code(bad_json), "REQUEST_INVALID");

  auto bad_b64 = Call("POST", "/v1/transactions", R"({"transaction":"%%%"})");
  EXPECT_EQ(Code(bad_b64), "BASE64_INVALID");

  auto garbage = Call("POST", "/v1/transactions", R"({"transaction":"AAAA"})");
  EXPECT_EQ(garbage.status, 400);
  EXPECT_TRUE(Code(garbage).starts_with("ENCODING_")) << garbage.body;

  core::Bytes env = Tx(1).envelope();
  env.back() ^= 1;
  auto bad_sig =
      Call("POST", "/v1/transactions", json{{"transaction", core::ToBase64(env)}}.dump());
  EXPECT_EQ(Code(bad_sig), "BAD_SIGNATURE");

  ledger::ChainId other;
  other.hash.data[0] = 9;
  EXPECT_EQ(Code(Call("POST", "/v1/transactions", Body(Tx(1, &other)))), "WRONG_CHAIN");

  auto too_big = Call("POST", "/v1/transactions",
                      json{{"transaction", core::ToBase64(core::Bytes(70'000, 1))}}.dump());
  EXPECT_EQ(too_big.status, 413);
  EXPECT_EQ(Code(too_big), "TX_TOO_LARGE");

  ledger::TxPayload unknown;
  unknown.chain_id = genesis_.chain_id;
  unknown.type = "document.anchr";
  unknown.nonce = 1;
  unknown.body = core::ToBytes("{}");
  auto unknown_type =
      Call("POST", "/v1/transactions", Body(ledger::SignedTransaction::Sign(unknown, client_)));
  EXPECT_EQ(unknown_type.status, 400);
  EXPECT_EQ(Code(unknown_type), "TX_TYPE_UNKNOWN");

  EXPECT_EQ(chain_->tip().height, core::Height(0));
}

TEST_F(GatewayTest, RefusesEnvelopesNotInCanonicalFormAndBadSubmitParameters) {
  const ledger::SignedTransaction tx = Tx(1);
  core::Bytes trailing = tx.envelope();
  trailing.push_back(0);
  core::Bytes version = tx.envelope();
  version[0] = 2;
  ledger::TxPayload upper;
  upper.chain_id = genesis_.chain_id;
  upper.type = "Document.Anchor";
  upper.nonce = 1;
  upper.body = core::ToBytes("{}");
  core::Encoder bad_type;  // SignedTransaction::Sign refuses such a type: encode it by hand
  bad_type.PutU8(1).PutBytes(upper.Encode()).Put(client_.public_key).Put(crypto::Signature{});
  const std::pair<core::Bytes, std::string> cases[] = {
      {trailing, "ENCODING_TRAILING_BYTES"},
      {version, "ENCODING_BAD_VERSION"},
      {bad_type.bytes(), "TX_TYPE_INVALID"},
  };
  for (const auto& [envelope, code] : cases) {
    auto r =
        Call("POST", "/v1/transactions", json{{"transaction", core::ToBase64(envelope)}}.dump());
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(Code(r), code) << r.body;
  }
  for (const auto& [name, value] :
       std::map<std::string, std::string>{{"wait", "soon"}, {"timeout_ms", "-1"}}) {
    auto r = Call("POST", "/v1/transactions", Body(tx), {{name, value}});
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(Code(r), "REQUEST_INVALID") << name;
  }
  EXPECT_EQ(Call("GET", "/v1/transactions/" + tx.id().hex()).status, 404);  // never admitted
  EXPECT_EQ(chain_->tip().height, core::Height(0));
}

TEST_F(GatewayTest, UnknownThingsAre404AndBadIdsAre400) {
  EXPECT_EQ(Code(Call("GET", "/v1/transactions/" + std::string(64, 'a'))), "TX_NOT_FOUND");
  EXPECT_EQ(Code(Call("GET", "/v1/transactions/xyz")), "TX_ID_INVALID");
  EXPECT_EQ(Code(Call("GET", "/v1/blocks/7")), "BLOCK_NOT_FOUND");
  EXPECT_EQ(Code(Call("GET", "/v1/blocks/-1")), "HEIGHT_INVALID");
  EXPECT_EQ(Code(Call("GET", "/v1/proofs/consistency", "", {{"from", "2"}, {"to", "1"}})),
            "HEIGHT_INVALID");
  EXPECT_EQ(Code(Call("GET", "/nowhere")), "ROUTE_NOT_FOUND");
  EXPECT_EQ(Call("DELETE", "/v1/transactions").status, 405);
}

TEST_F(GatewayTest, ConsistencyProofBetweenHeightsVerifies) {
  for (uint64_t n = 1; n <= 3; ++n) {
    ASSERT_EQ(Call("POST", "/v1/transactions", Body(Tx(n)), {{"wait", "commit"}}).status, 200);
  }
  uint64_t tip = chain_->tip().height.value;
  auto r = Call("GET", "/v1/proofs/consistency", "", {{"from", "1"}, {"to", std::to_string(tip)}});
  ASSERT_EQ(r.status, 200) << r.body;
  node::TrustedValidators trusted{genesis_.chain_id, genesis_.validator_set, {}};
  EXPECT_TRUE(node::VerifyBundle(json::parse(r.body), trusted));
}

TEST_F(GatewayTest, HealthMetricsAndOpenApi) {
  auto health = Call("GET", "/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json::parse(health.body)["chain_id"], genesis_.chain_id.hex());
  auto live = Call("GET", "/health/live");
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(json::parse(live.body)["status"], "live");
  // A network of one is ready as soon as it runs: there is nobody to catch up with.
  auto ready = Call("GET", "/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_EQ(json::parse(ready.body)["status"], "ready");
  EXPECT_EQ(json::parse(ready.body)["validators"], 1);
  auto metrics = Call("GET", "/metrics");
  EXPECT_NE(metrics.body.find("tradeledger_height"), std::string::npos);
  auto openapi = json::parse(Call("GET", "/v1/openapi.json").body, nullptr, false);
  ASSERT_FALSE(openapi.is_discarded());
  EXPECT_TRUE(openapi["paths"].contains("/v1/transactions"));
}

TEST_F(GatewayTest, VerifyNamesTheSignersAndHeightAndRefusesATamperedBundle) {
  auto tx = Tx(1);
  ASSERT_EQ(Call("POST", "/v1/transactions", Body(tx), {{"wait", "commit"}}).status, 200);
  auto proof = Call("GET", "/v1/proofs/inclusion/" + tx.id().hex());
  ASSERT_EQ(proof.status, 200) << proof.body;
  json bundle = json::parse(proof.body);

  auto good = Call("POST", "/v1/proofs/verify", bundle.dump());
  ASSERT_EQ(good.status, 200) << good.body;
  json verdict = json::parse(good.body);
  EXPECT_EQ(verdict["valid"], true) << verdict.dump();
  EXPECT_EQ(verdict["kind"], node::kInclusionBundleKind);
  EXPECT_EQ(verdict["height"], bundle["height"]);
  EXPECT_EQ(verdict["signers"], json::array({"v1"}));
  EXPECT_EQ(verdict["signerKeys"], json::array({validator_.public_key.hex()}));

  // One byte of the header changed: the certificate no longer certifies it.
  auto header = *core::FromBase64(bundle["header"].get<std::string>());
  header[header.size() - 1] ^= 0x01;
  bundle["header"] = core::ToBase64(header);
  auto bad = json::parse(Call("POST", "/v1/proofs/verify", bundle.dump()).body);
  EXPECT_EQ(bad["valid"], false) << bad.dump();
  EXPECT_TRUE(bad["code"] == "PROOF_INVALID" || bad["code"] == "PROOF_MALFORMED") << bad.dump();

  EXPECT_EQ(Code(Call("POST", "/v1/proofs/verify", "not json")), "REQUEST_INVALID");
  EXPECT_EQ(Call("GET", "/v1/proofs/verify").status, 405);

  // Each verdict is counted (the assessment report reads these from /metrics); a request
  // that is not a bundle is neither.
  std::string metrics = Call("GET", "/metrics").body;
  EXPECT_NE(metrics.find("tradeledger_proofs_verified_total{result=\"ok\"} 1\n"), std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("tradeledger_proofs_verified_total{result=\"invalid\"} 1\n"),
            std::string::npos)
      << metrics;
}

TEST_F(GatewayTest, VerifyRefusesWhatIsNotABundleOfThisChain) {
  auto verdict = [&](const json& bundle) {
    auto r = Call("POST", "/v1/proofs/verify", bundle.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    json v = json::parse(r.body);
    EXPECT_EQ(v["valid"], false) << v.dump();
    return v.value("code", "");
  };
  const std::string chain = genesis_.chain_id.hex();
  EXPECT_EQ(verdict(json::object()), "PROOF_MALFORMED");
  EXPECT_EQ(verdict(json::array()), "PROOF_MALFORMED");
  EXPECT_EQ(verdict({{"kind", "receipt"}, {"chain_id", chain}}), "PROOF_MALFORMED");
  EXPECT_EQ(verdict({{"kind", node::kInclusionBundleKind}, {"chain_id", std::string(64, '0')}}),
            "PROOF_INVALID");
  EXPECT_EQ(verdict({{"kind", node::kInclusionBundleKind},
                     {"chain_id", chain},
                     {"header", "%%% not base64"},
                     {"certificate", ""}}),
            "PROOF_MALFORMED");
}

TEST_F(GatewayTest, WithoutAPortalTheRootSaysSo) {
  auto r = Call("GET", "/");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(Code(r), "PORTAL_NOT_INSTALLED");
}

}  // namespace
}  // namespace tradeledger::api
