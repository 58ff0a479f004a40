#include "api/gateway.h"

#include <charconv>
#include <nlohmann/json.hpp>

#include "api/attachments.h"
#include "api/ledger_reads.h"
#include "api/portal.h"
#include "api/queries.h"
#include "node/proof_bundle.h"
#include "trade/validator_set.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

constexpr auto kDefaultWait = std::chrono::seconds(30);
constexpr auto kMaxWait = std::chrono::seconds(120);

http::Response Json(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

http::Response Error(const core::Error& e) {
  return http::JsonError(HttpStatusFor(e.code), e.code, e.detail.empty() ? e.code : e.detail);
}

std::optional<uint64_t> ParseUint(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

int HttpStatusFor(std::string_view code) {
  if (code == "NOT_FOUND" || code == "TX_NOT_FOUND" || code == "BLOCK_NOT_FOUND") return 404;
  if (code == "TX_TOO_LARGE" || code == "REQUEST_TOO_LARGE") return 413;
  if (code == "MEMPOOL_FULL" || code == "MEMPOOL_SIGNER_LIMIT" || code == "NODE_UNAVAILABLE") {
    return 503;
  }
  if (code.starts_with("STORAGE_") || code == "INTERNAL") return 500;
  if (code == "METHOD_NOT_ALLOWED") return 405;
  if (code == "STATE_PRUNED") return 410;
  return 400;
}

Gateway::Gateway(node::Node& node, node::Chain& chain, const node::LedgerStore& store,
                 node::Metrics& metrics, Queries& queries, Attachments* attachments)
    : node_(node),
      chain_(chain),
      store_(store),
      metrics_(metrics),
      queries_(queries),
      attachments_(attachments),
      reads_(node, chain, store, queries) {}

void Gateway::Handle(http::Request request, http::Responder respond) {
  ++metrics_.http_requests;
  const std::string& path = request.path;
  const bool get = request.method == "GET" || request.method == "HEAD";
  auto reply = [&](http::Response r) {
    if (r.status >= 400) {
      auto j = json::parse(r.body, nullptr, false);
      if (!j.is_discarded() && j.contains("error")) {
        metrics_.CountRejection(j["error"].value("code", "UNKNOWN"));
      }
    }
    respond(std::move(r));
  };

  if (path == "/v1/transactions") {
    if (request.method != "POST") {
      return reply(http::JsonError(405, "METHOD_NOT_ALLOWED", "use POST"));
    }
    return Submit(request, respond);
  }
  if (path == "/v1/proofs/verify") {
    if (request.method != "POST") {
      return reply(http::JsonError(405, "METHOD_NOT_ALLOWED", "use POST"));
    }
    return reply(VerifyProof(request));
  }
  if (attachments_) {
    if (auto r = attachments_->Handle(request)) return reply(std::move(*r));
  }
  if (auto r = queries_.Handle(request)) return reply(std::move(*r));
  if (!get) return reply(http::JsonError(405, "METHOD_NOT_ALLOWED", "use GET"));
  bool ledger_read = path.starts_with("/v1/transactions/") || path.starts_with("/v1/blocks/") ||
                     path.starts_with("/v1/proofs/") || path == "/v1/events";
  if (ledger_read) {
    auto reader = reads_.Identify(request);
    if (!reader) return reply(ErrorResponse(reader.error()));
    if (path.starts_with("/v1/transactions/")) {
      return reply(reads_.TransactionStatus(*reader, std::string_view(path).substr(17)));
    }
    if (path.starts_with("/v1/blocks/")) {
      return reply(reads_.Block(*reader, std::string_view(path).substr(11)));
    }
    if (path.starts_with("/v1/proofs/inclusion/")) {
      return reply(reads_.InclusionProof(*reader, std::string_view(path).substr(21)));
    }
    if (path == "/v1/proofs/consistency") return reply(reads_.ConsistencyProof(*reader, request));
    if (path == "/v1/events") return respond(Events(reader->sees_ids()));
  }
  if (path == "/health") return reply(Health());
  if (path == "/health/live") return reply(Live());
  if (path == "/health/ready") return reply(Ready());
  if (path == "/v1/validators") return reply(Validators());
  if (path == "/metrics" && metrics_on_api_) return respond(Metrics());
  if (path == "/v1/openapi.json") {
    http::Response r;
    r.body = OpenApiDocument();
    return respond(std::move(r));
  }
  if (portal_ != nullptr) {
    if (auto r = portal_->Serve(path)) return respond(std::move(*r));
  } else if (path == "/") {
    return reply(
        http::JsonError(404, "PORTAL_NOT_INSTALLED",
                        "this node serves no portal: build it with scripts/build-portal.sh "
                        "or name one in the config (http.portal_dir)"));
  }
  reply(http::JsonError(404, "ROUTE_NOT_FOUND", "no route " + path));
}

http::Response Gateway::VerifyProof(const http::Request& request) {
  json bundle = json::parse(request.body, nullptr, false);
  if (bundle.is_discarded()) {
    return http::JsonError(400, "REQUEST_INVALID", "the body must be a proof bundle (JSON)");
  }
  http::Response file = Validators();
  if (file.status != 200) return file;
  auto trusted = node::ParseValidatorsFile(file.body);
  if (!trusted) return Error(trusted.error());
  auto verified = node::VerifyBundle(bundle, *trusted);
  (verified ? metrics_.proofs_verified : metrics_.proofs_rejected).fetch_add(1);
  if (!verified) {
    return Json(
        200,
        {{"valid", false}, {"code", verified.error().code}, {"message", verified.error().detail}});
  }
  // Name each signer as the validator sets do.
  std::map<std::string, std::string> names;
  for (const json& v : json::parse(file.body).value("validators", json::array())) {
    names[v.value("public_key", "")] = v.value("name", "");
  }
  for (const json& set : json::parse(file.body).value("history", json::array())) {
    for (const json& v : set.value("validators", json::array())) {
      names[v.value("public_key", "")] = v.value("name", "");
    }
  }
  json signers = json::array();
  for (const std::string& key : verified->signers) {
    signers.push_back(names.contains(key) && !names[key].empty() ? names[key] : key);
  }
  return Json(200, {{"valid", true},
                    {"kind", verified->kind},
                    {"summary", verified->summary},
                    {"height", verified->height},
                    {"signers", signers},
                    {"signerKeys", verified->signers},
                    {"chainId", trusted->chain_id.hex()}});
}

void Gateway::Submit(const http::Request& request, http::Responder respond) {
  auto fail = [&](const core::Error& e) {
    metrics_.CountRejection(e.code);
    respond(Error(e));
  };
  // Everything about the request is checked before the transaction is admitted: a rejected
  // request changes nothing.
  bool wait = false;
  std::chrono::milliseconds timeout = kDefaultWait;
  if (auto w = request.query.find("wait"); w != request.query.end()) {
    if (w->second != "commit") return fail({"REQUEST_INVALID", "wait must be 'commit'"});
    wait = true;
  }
  if (auto t = request.query.find("timeout_ms"); t != request.query.end()) {
    auto ms = ParseUint(t->second);
    if (!ms) return fail({"REQUEST_INVALID", "timeout_ms must be a whole number"});
    timeout = std::min<std::chrono::milliseconds>(std::chrono::milliseconds(*ms), kMaxWait);
  }
  // A base64 envelope is 4/3 of its size, plus the JSON around it.
  if (request.body.size() > ledger::kMaxTransactionBytes * 4 / 3 + 1024) {
    return fail({"TX_TOO_LARGE", "a transaction envelope is at most " +
                                     std::to_string(ledger::kMaxTransactionBytes) + " bytes"});
  }
  core::Bytes envelope;
  auto type = request.headers.find("content-type");
  if (type != request.headers.end() && type->second.starts_with("application/octet-stream")) {
    envelope = core::ToBytes(request.body);
  } else {
    auto body = json::parse(request.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("transaction") ||
        !body["transaction"].is_string()) {
      return fail({"REQUEST_INVALID", "expected {\"transaction\": \"<base64 envelope>\"}"});
    }
    auto raw = core::FromBase64(body["transaction"].get<std::string>());
    if (!raw) return fail(raw.error());
    envelope = std::move(*raw);
  }
  auto tx = ledger::SignedTransaction::Decode(envelope);
  if (!tx) return fail(tx.error());
  ledger::TxId id = tx->id();
  auto admitted = node_.Submit(std::move(*tx));
  if (!admitted) return fail(admitted.error());
  if (admitted->status == node::TxStatus::kCommitted) {
    return respond(Json(200, OutcomeJson(id, *admitted->entry)));
  }
  if (!wait) return respond(Json(202, {{"tx_id", id.hex()}, {"status", "pending"}}));
  node_.WaitForCommit(id, std::chrono::steady_clock::now() + timeout,
                      [id, respond](std::optional<node::TxIndexEntry> entry) {
                        if (entry) {
                          respond(Json(200, OutcomeJson(id, *entry)));
                        } else {
                          respond(Json(202, {{"tx_id", id.hex()}, {"status", "pending"}}));
                        }
                      });
}

http::Response Gateway::Validators() {
  auto file = json::parse(node::RenderValidatorsFile(chain_.genesis()));
  auto history = trade::ValidatorSetHistory(store_.flat_state());
  if (!history) return Error(history.error());
  file["history"] = json::array();
  for (const trade::ValidatorSetRecord& r : *history) {
    json members = json::array();
    for (const trade::ValidatorEntry& v : r.validators) {
      members.push_back({{"name", v.name},
                         {"public_key", v.public_key.hex()},
                         {"address", v.host + ":" + std::to_string(v.port)}});
    }
    file["history"].push_back({{"epoch", r.epoch},
                               {"from_height", r.from_height},
                               {"tx_id", r.tx_id},
                               {"validators", std::move(members)}});
  }
  return Json(200, file);
}

http::Response Gateway::Metrics() const {
  http::Response r;
  r.content_type = "text/plain; version=0.0.4";
  r.body = metrics_.Render();
  return r;
}

http::Response Gateway::Live() {
  return Json(node_.healthy() ? 200 : 503, {{"status", node_.healthy() ? "live" : "failed"}});
}

http::Response Gateway::Ready() {
  node::Node::Readiness r = node_.readiness();
  json body = {{"status", r.ready ? "ready" : "not_ready"},
               {"height", r.height},
               {"seen_height", r.seen_height},
               {"connected_peers", r.connected_peers},
               {"validators", r.validators}};
  if (!r.ready) body["reason"] = r.reason;
  return Json(r.ready ? 200 : 503, body);
}

http::Response Gateway::Health() {
  node::ChainTip tip = chain_.tip();
  json body = {{"status", node_.healthy() ? "ok" : "failed"},
               {"chain_id", chain_.genesis().chain_id.hex()},
               {"height", tip.height.value},
               {"block_hash", tip.hash.hex()},
               {"state_root", tip.state_root.hex()},
               {"log_size", tip.log_size},
               {"view", node_.view()},
               {"validator", node_.public_key().hex()}};
  auto validators = node_.validators();  // the set in force, after any validator.set change
  if (!validators.empty()) body["leader"] = validators[node_.view() % validators.size()].hex();
  return Json(node_.healthy() ? 200 : 503, body);
}

http::Response Gateway::Events(bool with_ids) {
  auto stream = http::EventStream::Create();
  {
    std::lock_guard lock(streams_mu_);
    std::erase_if(streams_, [](const auto& s) { return !s.stream->IsOpen(); });
    streams_.push_back({stream, with_ids});
  }
  return http::EventStreamResponse(stream);
}

void Gateway::PublishBlock(const ledger::StoredBlock& block) {
  json event = {{"height", block.header.height.value},
                {"hash", block.header.Hash().hex()},
                {"tx_count", block.header.tx_count}};
  std::string headers_only = event.dump();
  json txs = json::array();
  for (const auto& tx : block.transactions) txs.push_back(tx.id().hex());
  event["transactions"] = std::move(txs);
  std::string with_ids = event.dump();
  std::lock_guard lock(streams_mu_);
  std::erase_if(streams_, [&](const Subscriber& s) {
    return !s.stream->Send("block", s.with_ids ? with_ids : headers_only);
  });
}

}  // namespace tradeledger::api
