// `tradeledger demo`: drives a running network through its public HTTP API and proves what
// it committed. Every check prints a line "check | expected | observed | PASS/FAIL"; the
// command exits 1 if any check fails.
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "cli/commands.h"
#include "cli/node_client.h"
#include "node/genesis.h"
#include "node/proof_bundle.h"

namespace tradeledger::cli {
namespace {

using nlohmann::json;

struct Checks {
  int failed = 0;
  void Line(const std::string& name, const std::string& expected, const std::string& observed) {
    bool pass = expected == observed;
    if (!pass) ++failed;
    std::printf("%-48s | expected %-22s | observed %-22s | %s\n", name.c_str(), expected.c_str(),
                observed.c_str(), pass ? "PASS" : "FAIL");
    std::fflush(stdout);
  }
};

std::string AnchorBody(const std::string& doc_id, int i) {
  core::Bytes content = core::ToBytes("certificate of origin " + doc_id);
  return json{{"docId", doc_id},
              {"docType", i % 3 == 0 ? "CERT_OF_ORIGIN" : (i % 3 == 1 ? "INVOICE" : "LICENSE")},
              {"contentHash",
               core::ToHex(content).substr(0, 0) + std::string(64, "0123456789abcdef"[i % 16])},
              {"issuer", "DEMO-EXPORTER-" + std::to_string(i % 7)},
              {"metadata", {{"agreement", "USMCA"}, {"sequence", i}}}}
      .dump();
}

ledger::SignedTransaction Sign(const ledger::ChainId& chain, const crypto::KeyPair& key,
                               uint64_t nonce, const std::string& body) {
  ledger::TxPayload p;
  p.chain_id = chain;
  p.type = "document.anchor";
  p.nonce = nonce;
  p.body = core::ToBytes(body);
  return ledger::SignedTransaction::Sign(p, key);
}

}  // namespace

int Demo(const DemoOptions& o) {
  auto validators_text = node::ReadFile(o.validators_file);
  if (!validators_text) {
    std::fprintf(stderr, "tradeledger demo: %s\n", validators_text.error().ToString().c_str());
    return 1;
  }
  auto trusted = node::ParseValidatorsFile(*validators_text);
  auto client = NodeClient::Connect(o.node_url);
  if (!trusted || !client) {
    std::fprintf(stderr, "tradeledger demo: bad validators file or node URL\n");
    return 1;
  }
  auto chain = client->ChainId();
  if (!chain) {
    std::fprintf(stderr, "tradeledger demo: %s\n", chain.error().ToString().c_str());
    return 1;
  }
  Checks checks;
  checks.Line("node serves the chain of the validators file", trusted->chain_id.hex().substr(0, 16),
              chain->hex().substr(0, 16));

  // 1. A concurrent load of document anchors from several signers.
  const int signers = std::max(1, o.signers);
  const int per_signer = std::max(1, o.transactions / signers);
  const std::string run =
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count());
  std::mutex mu;
  std::vector<ledger::TxId> committed;
  std::atomic<int> failures{0};
  auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int s = 0; s < signers; ++s) {
    threads.emplace_back([&, s] {
      auto c = NodeClient::Connect(o.node_url);
      crypto::KeyPair key = crypto::KeyPair::Generate();
      for (int i = 0; i < per_signer; ++i) {
        int n = s * per_signer + i;
        auto tx = Sign(*chain, key, static_cast<uint64_t>(i + 1),
                       AnchorBody("DEMO-" + run + "-" + std::to_string(n), n));
        auto r = c->SubmitAndWait(tx, std::chrono::seconds(30));
        if (r && r->status == 200 && r->body.value("result_code", "") == "OK") {
          std::lock_guard lock(mu);
          committed.push_back(tx.id());
        } else {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  int total = signers * per_signer;
  checks.Line("document anchors committed with OK", std::to_string(total),
              std::to_string(committed.size()));

  // 2. Every committed transaction has a proof that verifies offline.
  int verified = 0;
  json sample;
  for (const auto& id : committed) {
    auto proof = client->Get("/v1/proofs/inclusion/" + id.hex());
    if (proof && proof->status == 200 && node::VerifyBundle(proof->body, *trusted)) {
      ++verified;
      if (sample.is_null()) sample = proof->body;
    }
  }
  checks.Line("inclusion proofs verified offline", std::to_string(committed.size()),
              std::to_string(verified));

  // 3. A tampered proof does not verify.
  if (!sample.is_null()) {
    json tampered = sample;
    auto envelope = *core::FromBase64(tampered["transaction"].get<std::string>());
    envelope[envelope.size() / 2] ^= 0x01;
    tampered["transaction"] = core::ToBase64(envelope);
    auto r = node::VerifyBundle(tampered, *trusted);
    checks.Line("proof with one byte changed", "rejected", r ? "accepted" : "rejected");
  }

  // 4. Rule failures are recorded with their reason; bad requests change nothing.
  crypto::KeyPair key = crypto::KeyPair::Generate();
  std::string dup_id = "DEMO-" + run + "-DUP";
  auto first =
      client->SubmitAndWait(Sign(*chain, key, 1, AnchorBody(dup_id, 1)), std::chrono::seconds(30));
  auto again =
      client->SubmitAndWait(Sign(*chain, key, 2, AnchorBody(dup_id, 2)), std::chrono::seconds(30));
  checks.Line("second anchor of one document id", "DOCUMENT_EXISTS",
              again ? again->body.value("result_code", DescribeError(*again)) : "no answer");
  auto replay = client->SubmitAndWait(Sign(*chain, key, 2, AnchorBody(dup_id + "-B", 3)),
                                      std::chrono::seconds(30));
  checks.Line("reused nonce", "NONCE_REUSED",
              replay ? replay->body.value("result_code", DescribeError(*replay)) : "no answer");
  auto tx = Sign(*chain, key, 9, AnchorBody(dup_id + "-C", 4));
  core::Bytes env = tx.envelope();
  env.back() ^= 1;
  auto bad = client->Post("/v1/transactions", json{{"transaction", core::ToBase64(env)}}.dump());
  checks.Line(
      "envelope with a bad signature", "400 BAD_SIGNATURE",
      bad ? std::to_string(bad->status) + " " + bad->body["error"].value("code", std::string("?"))
          : "no answer");

  // 5. The log only grows: a consistency proof from the first block to the latest.
  auto latest = client->Get("/v1/blocks/latest");
  uint64_t height = latest && latest->status == 200 ? latest->body["header"].value("height", 0) : 0;
  auto consistency = client->Get("/v1/proofs/consistency?from=1&to=" + std::to_string(height));
  bool consistent = consistency && consistency->status == 200 &&
                    node::VerifyBundle(consistency->body, *trusted).has_value();
  checks.Line("consistency proof, block 1 to latest", "verifies",
              consistent ? "verifies" : "does not verify");

  std::printf(
      "\nsummary: %d document anchors from %d signers committed in %.2f s (%.0f tx/s, each "
      "waiting for its commit); chain height %llu; %d inclusion proofs verified offline; "
      "%d checks failed\n",
      static_cast<int>(committed.size()), signers, seconds, committed.size() / seconds,
      static_cast<unsigned long long>(height), verified, checks.failed);
  (void)first;
  (void)failures;
  return checks.failed == 0 ? 0 : 1;
}

}  // namespace tradeledger::cli
