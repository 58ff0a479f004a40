#include "api/queries.h"

#include <algorithm>
#include <charconv>

#include "api/gateway.h"
#include "api/read_auth.h"
#include "core/encoding.h"
#include "node/proof_bundle.h"
#include "trade/document_purge.h"
#include "trade/ledger_clock.h"
#include "trade/state_keys.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

http::Response Json200(const json& body) {
  http::Response r;
  r.body = body.dump();
  return r;
}

std::optional<uint64_t> ParseUint(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

core::Result<View> DocumentView(const trade::Actor& reader, const trade::StateReader& state,
                                std::string_view doc_id) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(trade::DocumentKey(doc_id)));
  if (!raw) return core::Fail("NOT_FOUND", "no document " + std::string(doc_id));
  TL_ASSIGN_OR_RETURN(json record, trade::FromStateValue(*raw));
  View v;
  v.subject_type = "document";
  v.subject_id = std::string(doc_id);
  v.owner_org = record.value("anchoredByOrg", "");
  if (reader.is_customs || reader.org.org_id == v.owner_org) {
    v.access = View::Access::kFull;
    v.body = record;
    // The retention date the purge rule applies (rule 32), computed, never stored.
    TL_ASSIGN_OR_RETURN(v.body["retainUntil"], trade::DocumentRetainUntil(state, record));
  } else {
    v.access = View::Access::kMetadata;
    v.body = {{"docId", record["docId"]},
              {"docType", record["docType"]},
              {"contentHash", record["contentHash"]},
              {"anchoredAt", record["anchoredAt"]},
              {"height", record["height"]},
              {"access", "metadata"}};
  }
  return v;
}

}  // namespace

http::Response ErrorResponse(const core::Error& e) {
  int status = HttpStatusFor(e.code);
  if (e.code == "NOT_AUTHORIZED" || e.code == "AUTH_UNKNOWN_KEY") status = 403;
  if (e.code == "AUTH_REQUIRED" || e.code == "AUTH_INVALID" || e.code == "AUTH_EXPIRED") {
    status = 401;
  }
  return http::JsonError(status, e.code, e.detail.empty() ? e.code : e.detail);
}

Queries::Queries(node::Chain& chain, const node::LedgerStore& store, node::ReadAuditLog& audit,
                 const node::Clock& clock)
    : chain_(chain), store_(store), audit_(audit), clock_(clock) {
  AddRoute("/v1/documents/", [this](const trade::Actor& reader, std::string_view id,
                                    const std::map<std::string, std::string>&) {
    return DocumentView(reader, store_.flat_state(), id);
  });
  AddRoute("/v1/organisations/",
           [this](const trade::Actor&, std::string_view id,
                  const std::map<std::string, std::string>&) -> core::Result<View> {
             TL_ASSIGN_OR_RETURN(auto org, trade::LoadOrganisation(store_.flat_state(), id));
             if (!org) return core::Fail("NOT_FOUND", "no organisation " + std::string(id));
             json body = org->ToJson();
             body.erase("iorNumberHash");
             return View{View::Access::kFull, body, org->org_id, "organisation", org->org_id, {}};
           });
  AddListRoute("/v1/documents", "doc/", "/v1/documents/");
  AddListRoute("/v1/organisations", "org/", "/v1/organisations/");
}

void Queries::AddRoute(std::string prefix, RouteFn fn) {
  routes_.emplace_back(std::move(prefix), std::move(fn));
}

void Queries::AddListRoute(std::string path, std::string state_prefix, std::string item_prefix) {
  list_routes_.emplace_back(std::move(path),
                            ListRoute{std::move(state_prefix), std::move(item_prefix)});
}

void Queries::AddStateAccess(std::string prefix, StateAccessFn fn) {
  state_access_.emplace_back(std::move(prefix), std::move(fn));
}

int64_t Queries::ledger_time() const {
  int64_t tip_time = static_cast<int64_t>(chain_.tip().time.value);
  auto time = trade::TradeTime(store_.flat_state(), chain_.tip().time);
  return time ? *time : tip_time;
}

core::Result<trade::Actor> Queries::Authenticate(const http::Request& request) const {
  TL_ASSIGN_OR_RETURN(crypto::PublicKey key,
                      VerifyReadSignature(request, chain_.genesis().chain_id, clock_.Now().value));
  TL_ASSIGN_OR_RETURN(std::optional<trade::Actor> actor,
                      trade::ResolveActor(store_.flat_state(), key, ledger_time()));
  if (!actor) {
    return core::Fail("AUTH_UNKNOWN_KEY",
                      "the key is not an active member of an active "
                      "organisation");
  }
  return std::move(*actor);
}

std::optional<http::Response> Queries::Handle(const http::Request& request) {
  const std::string& path = request.path;
  bool ours = path == "/v1/me" || path == "/v1/state/proof" || path == "/v1/audit-events";
  const ListRoute* list = nullptr;
  for (const auto& [list_path, spec] : list_routes_) {
    if (path == list_path) list = &spec;
  }
  ours = ours || list != nullptr;
  const RouteFn* route = nullptr;
  std::string_view rest;
  for (const auto& [prefix, fn] : routes_) {
    if (path.starts_with(prefix) && path.size() > prefix.size()) {
      route = &fn;
      rest = std::string_view(path).substr(prefix.size());
      break;
    }
  }
  if (!ours && !route) return std::nullopt;
  if (request.method != "GET") return http::JsonError(405, "METHOD_NOT_ALLOWED", "use GET");

  auto reader = Authenticate(request);
  if (!reader) return ErrorResponse(reader.error());
  if (path == "/v1/me") {
    json roles(std::vector(reader->key.roles.begin(), reader->key.roles.end()));
    auto salt = trade::IorSalt(store_.flat_state());
    if (!salt) return ErrorResponse(salt.error());
    return Json200({{"orgId", reader->org.org_id},
                    {"iorSalt", core::ToHex(*salt)},
                    {"legalName", reader->org.legal_name},
                    {"roles", roles},
                    {"admin", reader->key.admin},
                    {"customs", reader->is_customs},
                    {"ledgerTime", ledger_time()}});
  }
  if (path == "/v1/state/proof") return StateProof(*reader, request);
  if (path == "/v1/audit-events") return AuditEvents(*reader, request);
  if (list) return List(*reader, *list, request);
  auto view = (*route)(*reader, rest, request.query);
  if (!view) {
    if (view.error().code == "NOT_AUTHORIZED") {
      (void)audit_.Append({clock_.Now().value, reader->org.org_id, reader->key.public_key, "record",
                           std::string(rest), "", "DENIED", path});
    }
    return ErrorResponse(view.error());
  }
  return Serve(*reader, *view);
}

http::Response Queries::Serve(const trade::Actor& reader, const View& view) {
  if (view.access == View::Access::kDenied) {
    (void)audit_.Append({clock_.Now().value, reader.org.org_id, reader.key.public_key,
                         view.subject_type, view.subject_id, view.owner_org, "DENIED", ""});
    return http::JsonError(403, "NOT_AUTHORIZED", "not entitled to read this " + view.subject_type);
  }
  auto logged = audit_.AppendAll(ReadEvents(reader, view));
  if (!logged) return ErrorResponse(logged.error());  // no unaudited reads
  return Json200(view.body);
}

std::vector<node::ReadEvent> Queries::ReadEvents(const trade::Actor& reader,
                                                 const View& view) const {
  std::vector<std::string> owners = view.record_owners;
  if (owners.empty()) owners.push_back(view.owner_org);
  std::sort(owners.begin(), owners.end());
  owners.erase(std::unique(owners.begin(), owners.end()), owners.end());
  std::vector<node::ReadEvent> events;
  for (const std::string& owner : owners) {
    if (reader.org.org_id == owner) continue;
    events.push_back({clock_.Now().value, reader.org.org_id, reader.key.public_key,
                      view.subject_type, view.subject_id, owner,
                      view.access == View::Access::kFull ? "FULL" : "METADATA", ""});
  }
  return events;
}

http::Response Queries::List(const trade::Actor& reader, const ListRoute& list,
                             const http::Request& request) {
  const RouteFn* item = nullptr;
  for (const auto& [prefix, fn] : routes_) {
    if (prefix == list.item_prefix) item = &fn;
  }
  if (item == nullptr) return http::JsonError(500, "INTERNAL", "list route without item route");
  size_t limit = kDefaultListLimit;
  if (auto it = request.query.find("limit"); it != request.query.end()) {
    auto n = ParseUint(it->second);
    if (!n || *n < 1 || *n > kMaxListLimit) {
      return http::JsonError(
          400, "REQUEST_INVALID",
          "limit must be a whole number from 1 to " + std::to_string(kMaxListLimit));
    }
    limit = *n;
  }
  std::string cursor;
  if (auto it = request.query.find("after"); it != request.query.end()) cursor = it->second;
  if (!core::IsValidUtf8(cursor)) {
    return http::JsonError(400, "REQUEST_INVALID", "after must be an id (UTF-8)");
  }

  json items = json::array();
  std::vector<node::ReadEvent> events;
  size_t examined = 0;
  bool more = true;
  const std::map<std::string, std::string> no_query;
  while (items.size() < limit && examined < kMaxListExamined) {
    constexpr size_t kBatch = 64;
    auto keys = store_.ListStateKeys(list.state_prefix, list.state_prefix + cursor, kBatch);
    if (!keys) return ErrorResponse(keys.error());
    for (const std::string& key : *keys) {
      cursor = key.substr(list.state_prefix.size());
      ++examined;
      auto view = (*item)(reader, cursor, no_query);
      if (!view) {
        const std::string& code = view.error().code;
        if (code == "NOT_AUTHORIZED" || code == "NOT_FOUND") continue;
        return ErrorResponse(view.error());
      }
      if (view->access == View::Access::kDenied) continue;
      auto read = ReadEvents(reader, *view);
      events.insert(events.end(), read.begin(), read.end());
      items.push_back(std::move(view->body));
      if (items.size() == limit || examined == kMaxListExamined) break;
    }
    if (keys->size() < kBatch && (items.size() < limit && examined < kMaxListExamined)) {
      more = false;  // the walk reached the end of the prefix
      break;
    }
  }
  auto logged = audit_.AppendAll(events);
  if (!logged) return ErrorResponse(logged.error());  // no unaudited reads
  return Json200({{"items", std::move(items)}, {"next", more ? json(cursor) : json(nullptr)}});
}

http::Response Queries::StateProof(const trade::Actor& reader, const http::Request& request) {
  auto it = request.query.find("key");
  if (it == request.query.end() || it->second.empty()) {
    return http::JsonError(400, "KEY_REQUIRED", "give the state key as ?key=");
  }
  const std::string& key = it->second;
  auto deny = [&](const std::string& subject, const std::string& why) {
    (void)audit_.Append({clock_.Now().value, reader.org.org_id, reader.key.public_key, "state",
                         subject, "", "DENIED", "state proof"});
    return http::JsonError(403, "NOT_AUTHORIZED", why);
  };
  // Every state key is UTF-8 text: no record has any other, and none may be proved.
  if (!core::IsValidUtf8(key)) {
    return deny("hex:" + core::ToHex(core::AsBytes(key)),
                "not entitled to a proof of this key (state keys are UTF-8)");
  }
  // Who may prove what: customs any key; any member the key directory and configuration; an
  // organisation its own directory entry (it holds its IOR number hash); the owner of a
  // document its record. Other records follow their views (domain routes).
  bool allowed = reader.is_customs || key.starts_with("key/") || key.starts_with("config/") ||
                 key == "org/" + reader.org.org_id;
  if (!allowed && key.starts_with("doc/")) {
    auto view = DocumentView(reader, store_.flat_state(), std::string_view(key).substr(4));
    allowed = view && view->access == View::Access::kFull;
  }
  for (const auto& [prefix, fn] : state_access_) {
    if (!allowed && key.starts_with(prefix)) allowed = fn(reader, key);
  }
  if (!allowed) return deny(key, "not entitled to a proof of " + key);
  auto bundle = node::BuildStateBundle(store_, chain_.genesis().chain_id, chain_.tip().height,
                                       core::AsBytes(key));
  if (!bundle) return ErrorResponse(bundle.error());
  // Every proof is a read of the record it proves, customs' included (rule 31).
  auto logged = audit_.Append({clock_.Now().value, reader.org.org_id, reader.key.public_key,
                               "state", key, "", "PROOF", ""});
  if (!logged) return ErrorResponse(logged.error());  // no unaudited proofs
  return Json200(*bundle);
}

http::Response Queries::AuditEvents(const trade::Actor& reader, const http::Request& request) {
  auto param = [&](const char* name) {
    auto it = request.query.find(name);
    return it == request.query.end() ? std::string() : it->second;
  };
  uint64_t after = ParseUint(param("after")).value_or(0);
  uint64_t limit = std::min<uint64_t>(ParseUint(param("limit")).value_or(100), 1000);
  std::string owner = reader.is_customs ? param("owner") : reader.org.org_id;
  auto events = audit_.List(param("subject"), owner, after, limit);
  if (!events) return ErrorResponse(events.error());
  return Json200({{"events", *events}});
}

}  // namespace tradeledger::api
