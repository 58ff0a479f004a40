#include "bench/growth_bench_reads.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>

#include "api/http/http_client.h"
#include "api/http/url.h"
#include "api/read_auth.h"
#include "crypto/key_file.h"
#include "node/genesis.h"
#include "node/proof_bundle.h"

namespace tradeledger::bench {
namespace {

using Steady = std::chrono::steady_clock;
using nlohmann::json;

uint64_t WallMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// What one request needs: its target and, for a signed read, the key that signs it.
struct Request {
  std::string target;
  const crypto::KeyPair* signer = nullptr;
};

class Reader {
 public:
  Reader(uint16_t port, ledger::ChainId chain, node::TrustedValidators trusted)
      : client_("127.0.0.1", port), chain_(chain), trusted_(std::move(trusted)) {}

  // Times `count` requests made by `make(i)`; verifies the first body with VerifyBundle if
  // `proof`.
  ReadKind Run(std::string name, size_t count, const std::function<Request(size_t)>& make,
               bool proof) {
    ReadKind kind;
    kind.name = std::move(name);
    std::vector<double> ms;
    double bytes = 0;
    for (size_t i = 0; i < count; ++i) {
      Request r = make(i);
      api::http::Headers headers;
      if (r.signer != nullptr) {
        auto target = api::http::ParseTarget(r.target);
        if (!target) return Fail(kind, target.error().ToString());
        auto h =
            api::SignReadHeaders(chain_, *r.signer, WallMs(), "GET", target->path, target->query);
        headers.assign(h.begin(), h.end());
      }
      auto started = Steady::now();
      auto response =
          client_.Send("GET", r.target, {}, "application/json", std::chrono::seconds(30), headers);
      double elapsed = std::chrono::duration<double, std::milli>(Steady::now() - started).count();
      if (!response || response->status != 200) {
        if (kind.errors++ == 0) {
          kind.first_error = r.target + ": " +
                             (response ? std::to_string(response->status) + " " + response->body
                                       : response.error().ToString());
        }
        continue;
      }
      ms.push_back(elapsed);
      bytes += static_cast<double>(response->body.size());
      if (proof && kind.verified.empty()) {
        auto verified = node::VerifyBundle(json::parse(response->body, nullptr, false), trusted_);
        kind.verified = verified ? verified->summary : "FAILED: " + verified.error().ToString();
      }
    }
    if (!ms.empty()) kind.mean_response_bytes = bytes / static_cast<double>(ms.size());
    kind.latency = cli::bench::Summarize(std::move(ms));
    return kind;
  }

  void Warm() {
    for (int i = 0; i < 20; ++i) (void)client_.Send("GET", "/health");
  }

 private:
  static ReadKind Fail(ReadKind kind, std::string why) {
    ++kind.errors;
    kind.first_error = std::move(why);
    return kind;
  }

  api::http::Client client_;
  ledger::ChainId chain_;
  node::TrustedValidators trusted_;
};

}  // namespace

core::Result<ReadTargets> PickTargets(const GrowthManifest& m, size_t count, uint64_t seed) {
  if (m.sampled_tx_ids.empty()) return core::Fail("GROWTH_MANIFEST", "no sampled transactions");
  std::mt19937_64 rng(seed);
  ReadTargets t;
  std::uniform_int_distribution<uint64_t> anchor(0, m.spec.transactions - 1);
  for (auto* docs : {&t.customs_docs, &t.owner_docs, &t.state_docs}) {
    for (size_t i = 0; i < count; ++i) docs->push_back(anchor(rng));
  }
  std::vector<std::string> ids = m.sampled_tx_ids;
  std::shuffle(ids.begin(), ids.end(), rng);
  ids.resize(std::min(ids.size(), count));
  for (const std::string& hex : ids) {
    auto id = ledger::TxId::FromHex(hex);
    if (!id) return core::Fail("GROWTH_MANIFEST", "sampled tx id " + hex);
    t.tx_ids.push_back(*id);
  }
  return t;
}

core::Result<std::vector<ReadKind>> MeasureReads(const GrowthPaths& paths, const GrowthManifest& m,
                                                 uint16_t http_port, const ReadTargets& targets) {
  TL_ASSIGN_OR_RETURN(crypto::KeyPair customs, crypto::ReadKeyFile(paths.customs_key().string()));
  TL_ASSIGN_OR_RETURN(std::string validators, node::ReadFile(paths.validators().string()));
  TL_ASSIGN_OR_RETURN(node::TrustedValidators trusted, node::ParseValidatorsFile(validators));
  ledger::ChainId chain = trusted.chain_id;
  std::vector<crypto::KeyPair> owners;
  for (uint64_t anchor : targets.owner_docs) owners.push_back(MemberKey(m.spec, anchor));

  Reader reader(http_port, chain, std::move(trusted));
  reader.Warm();
  std::vector<ReadKind> out;
  out.push_back(reader.Run(
      "document read (customs)", targets.customs_docs.size(),
      [&](size_t i) {
        return Request{"/v1/documents/" + GrowthDocId(targets.customs_docs[i]), &customs};
      },
      false));
  out.push_back(reader.Run(
      "document read (owner)", targets.owner_docs.size(),
      [&](size_t i) {
        return Request{"/v1/documents/" + GrowthDocId(targets.owner_docs[i]), &owners[i]};
      },
      false));
  out.push_back(reader.Run(
      "inclusion proof", targets.tx_ids.size(),
      [&](size_t i) {
        return Request{"/v1/proofs/inclusion/" + targets.tx_ids[i].hex(), nullptr};
      },
      true));
  out.push_back(reader.Run(
      "state proof", targets.state_docs.size(),
      [&](size_t i) {
        return Request{"/v1/state/proof?key=doc/" + GrowthDocId(targets.state_docs[i]), &customs};
      },
      true));
  return out;
}

}  // namespace tradeledger::bench
