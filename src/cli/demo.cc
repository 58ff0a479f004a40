// `tradeledger demo`: drives a running ledger-clock network through its public HTTP API. The
// first section proves the ledger basics (document anchors signed by an admitted
// organisation's member keys, inclusion proofs verified offline, a tampered proof rejected, a
// consistency proof); then the DOMAIN.md §8 stories run on one dated timeline (stories.h).
// Every check prints "section  ledger-date  check | expected | observed | PASS/FAIL"; the
// command exits 1 if any check fails.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/stories.h"
#include "cli/stories_internal.h"
#include "node/proof_bundle.h"

namespace tradeledger::cli {
namespace stories {
namespace {

std::string AnchorBody(const std::string& doc_id, int i) {
  return json{{"docId", doc_id},
              {"docType", i % 3 == 0 ? "CERT_OF_ORIGIN" : (i % 3 == 1 ? "INVOICE" : "LICENSE")},
              {"contentHash", Sha256Hex("document " + doc_id)},
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

std::string Code(const core::Result<JsonResponse>& r) {
  if (!r) return r.error().code;
  return r->status == 200 ? r->body.value("result_code", std::string("?")) : StatusOf(*r);
}

}  // namespace

void RunLedgerBasics(StoryClient& c, int transactions, int signers) {
  const std::string s = "basics";
  signers = std::clamp(signers, 1, 32);
  const int per_signer = std::max(1, transactions / signers);
  const std::string run =
      std::to_string(std::chrono::system_clock::now().time_since_epoch().count() / 1000000);

  // The customs administrator admits a notary organisation whose member keys sign anchors.
  std::vector<crypto::KeyPair> keys(static_cast<size_t>(signers));
  json members = json::array();
  for (auto& k : keys) {
    k = crypto::KeyPair::Generate();
    members.push_back({{"publicKey", k.public_key.hex()}, {"roles", {"EXPORTER"}}});
  }
  std::string org = "NOTARY-" + run;
  c.Check(s, "customs admits " + org + " (" + std::to_string(signers) + " keys)", "OK",
          c.Submit(c.customs(), "org.admit",
                   {{"orgId", org},
                    {"legalName", "Demo notary"},
                    {"country", "US"},
                    {"roles", {"EXPORTER"}},
                    {"members", members}})
              .code);

  // 1. A concurrent load of document anchors, one thread per member key.
  std::mutex mu;
  std::vector<ledger::TxId> committed;
  auto started = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < signers; ++t) {
    threads.emplace_back([&, t] {
      auto node = NodeClient::Connect(c.url());
      if (!node) return;
      for (int i = 0; i < per_signer; ++i) {
        int n = t * per_signer + i;
        auto tx = Sign(c.chain(), keys[static_cast<size_t>(t)], static_cast<uint64_t>(i + 1),
                       AnchorBody("DEMO-" + run + "-" + std::to_string(n), n));
        auto r = node->SubmitAndWait(tx, std::chrono::seconds(30));
        if (Code(r) == "OK") {
          std::lock_guard lock(mu);
          committed.push_back(tx.id());
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  c.Check(s, "document anchors committed with OK", std::to_string(signers * per_signer),
          std::to_string(committed.size()));
  char note[160];
  std::snprintf(note, sizeof(note),
                "basics: %zu document anchors from %d member keys committed in %.2f s (%.0f tx/s, "
                "each awaited)",
                committed.size(), signers, seconds,
                seconds > 0 ? static_cast<double>(committed.size()) / seconds : 0.0);
  c.Note(note);

  // 2. Every committed transaction has a proof that verifies offline.
  int verified = 0;
  json sample;
  for (const auto& id : committed) {
    JsonResponse proof = c.Read(c.customs(), "/v1/proofs/inclusion/" + id.hex());
    if (proof.status == 200 && node::VerifyBundle(proof.body, c.trusted())) {
      ++verified;
      if (sample.is_null()) sample = proof.body;
    }
  }
  c.Check(s, "inclusion proofs verified offline", std::to_string(committed.size()),
          std::to_string(verified));

  // 3. A tampered proof does not verify.
  if (!sample.is_null()) {
    json tampered = sample;
    auto envelope = *core::FromBase64(tampered["transaction"].get<std::string>());
    envelope[envelope.size() / 2] ^= 0x01;
    tampered["transaction"] = core::ToBase64(envelope);
    c.Check(s, "proof with one byte changed", "rejected",
            node::VerifyBundle(tampered, c.trusted()) ? "accepted" : "rejected");
  }

  // 3b. Who sees what (ADR 0021): the body only to its parties; others prove the id alone.
  if (!committed.empty()) {
    std::string target = "/v1/proofs/inclusion/" + committed.front().hex();
    c.Check(s, "inclusion proof asked without a signature", "401 AUTH_REQUIRED",
            StatusOf(c.Get(target)));
    JsonResponse own = c.Read(keys[0], target);
    c.Check(s, "the notary's own proof carries its transaction", "verifies with the envelope",
            own.status == 200 && own.body.contains("transaction") &&
                    node::VerifyBundle(own.body, c.trusted())
                ? "verifies with the envelope"
                : StatusOf(own));
    crypto::KeyPair outsider = c.Admit(s, "OUTSIDER-" + run, {"IMPORTER"}, "US");
    JsonResponse other = c.Read(outsider, target);
    c.Check(s, "another member's proof of the same transaction", "verifies without the body",
            other.status == 200 && !other.body.contains("transaction") &&
                    node::VerifyBundle(other.body, c.trusted())
                ? "verifies without the body"
                : StatusOf(other));
  }

  // 4. Rule failures are recorded with their reason; bad requests change nothing.
  const crypto::KeyPair& key = keys[0];
  uint64_t nonce = static_cast<uint64_t>(per_signer) + 1;
  std::string dup = "DEMO-" + run + "-DUP";
  auto submit = [&](uint64_t n, const std::string& body) {
    return Code(c.node().SubmitAndWait(Sign(c.chain(), key, n, body), std::chrono::seconds(30)));
  };
  c.Check(s, "first anchor of a document id", "OK", submit(nonce, AnchorBody(dup, 1)));
  c.Check(s, "second anchor of one document id", "DOCUMENT_EXISTS",
          submit(nonce + 1, AnchorBody(dup, 2)));
  c.Check(s, "reused nonce", "NONCE_REUSED", submit(nonce + 1, AnchorBody(dup + "-B", 3)));
  crypto::KeyPair stranger = crypto::KeyPair::Generate();
  c.Check(s, "anchor signed by a non-member key", "NOT_AUTHORIZED",
          Code(c.node().SubmitAndWait(Sign(c.chain(), stranger, 1, AnchorBody(dup + "-S", 4)),
                                      std::chrono::seconds(30))));
  core::Bytes env = Sign(c.chain(), key, nonce + 9, AnchorBody(dup + "-C", 4)).envelope();
  env.back() ^= 1;
  auto bad = c.node().Post("/v1/transactions", json{{"transaction", core::ToBase64(env)}}.dump());
  c.Check(s, "envelope with a bad signature", "400 BAD_SIGNATURE",
          bad ? StatusOf(*bad) : bad.error().code);

  // 5. The log only grows: a consistency proof from the first block to the latest.
  JsonResponse latest = c.Get("/v1/blocks/latest");
  uint64_t height = latest.status == 200 ? latest.body["header"].value("height", uint64_t{0}) : 0;
  JsonResponse consistency =
      c.Read(c.customs(), "/v1/proofs/consistency?from=1&to=" + std::to_string(height));
  bool consistent =
      consistency.status == 200 && node::VerifyBundle(consistency.body, c.trusted()).has_value();
  c.Check(s, "consistency proof, block 1 to latest", "verifies",
          consistent ? "verifies" : "does not verify");
}

}  // namespace stories

int Demo(const DemoOptions& o) {
  StoriesOptions options;
  options.node_url = o.node_url;
  options.validators_file = o.validators_file;
  options.customs_key_file = o.customs_key_file;
  options.transactions = o.transactions;
  options.signers = o.signers;
  std::stringstream only(o.only);
  for (std::string section; std::getline(only, section, ',');) {
    if (!section.empty()) options.sections.insert(section);
  }
  return Stories(options);
}

}  // namespace tradeledger::cli
