#include "api/attachments.h"

#include "crypto/sha256.h"
#include "trade/document_purge.h"
#include "trade/state_keys.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

std::string Param(const http::Request& r, const char* name) {
  auto it = r.query.find(name);
  return it == r.query.end() ? std::string() : it->second;
}

}  // namespace

std::optional<http::Response> Attachments::Handle(const http::Request& request) {
  const std::string& path = request.path;
  bool upload = path == "/v1/attachments";
  bool download = path.starts_with("/v1/attachments/") && path.size() > 16;
  if (!upload && !download) return std::nullopt;
  if ((upload && request.method != "POST") || (download && request.method != "GET")) {
    return http::JsonError(405, "METHOD_NOT_ALLOWED", upload ? "use POST" : "use GET");
  }
  auto reader = queries_.Authenticate(request);
  if (!reader) return ErrorResponse(reader.error());
  if (upload) return Upload(*reader, request);
  return Download(*reader, std::string_view(path).substr(16));
}

http::Response Attachments::Upload(const trade::Actor& reader, const http::Request& request) {
  auto claimed = core::Hash32::FromHex(Param(request, "sha256"));
  if (!claimed) return http::JsonError(400, "CONTENT_HASH_INVALID", "give ?sha256=<64 hex>");
  core::Hash32 actual = crypto::Sha256Of(core::AsBytes(request.body));
  std::string doc_id = Param(request, "docId");
  json record;
  if (!doc_id.empty()) {
    auto raw = queries_.state().Get(trade::DocumentKey(doc_id));
    if (!raw) return ErrorResponse(raw.error());
    if (!*raw) return http::JsonError(404, "DOCUMENT_NOT_FOUND", "no document " + doc_id);
    record = json::parse(core::AsStringView(**raw), nullptr, false);
  }
  // A refused presentation is logged under the document's owner, who sees it in its audit view.
  std::string owner = record.is_object() ? record.value("anchoredByOrg", "") : "";
  auto refuse = [&](const std::string& why) {
    (void)queries_.audit_log().Append({queries_.clock().Now().value, reader.org.org_id,
                                       reader.key.public_key, "document", doc_id, owner,
                                       "DOCUMENT_HASH_MISMATCH", why});
    return http::JsonError(409, "DOCUMENT_HASH_MISMATCH", why);
  };
  if (actual != *claimed) return refuse("the body's SHA-256 is " + actual.hex());
  auto purged = Purged(actual);
  if (!purged) return ErrorResponse(purged.error());
  if (*purged) {
    return http::JsonError(410, "DOCUMENT_PURGED",
                           "this content's retention ended and it was purged (rule 32)");
  }
  if (!doc_id.empty()) {
    if (!record.is_object() || record.value("contentHash", "") != actual.hex()) {
      return refuse("the file's SHA-256 " + actual.hex() + " differs from the anchor of " + doc_id);
    }
  }
  auto stored = store_.Put(core::AsBytes(request.body));
  if (!stored) return ErrorResponse(stored.error());
  http::Response r;
  r.status = 201;
  r.body = json{{"sha256", stored->hex()}, {"size", request.body.size()}}.dump();
  return r;
}

http::Response Attachments::Download(const trade::Actor& reader, std::string_view hash_hex) {
  auto hash = core::Hash32::FromHex(hash_hex);
  if (!hash) return http::JsonError(400, "CONTENT_HASH_INVALID", "a file is named by 64 hex");
  // Entitled: customs, or an organisation that anchored a document with this content.
  auto first = queries_.state().Get(trade::DocumentHashKey(hash->hex()));
  if (!first) return ErrorResponse(first.error());
  std::string owner = *first ? std::string(core::AsStringView(**first)) : std::string();
  auto mine = queries_.state().Get(trade::DocumentHashOrgKey(hash->hex(), reader.org.org_id));
  if (!mine) return ErrorResponse(mine.error());
  bool entitled = reader.is_customs || mine->has_value();
  if (mine->has_value()) owner = reader.org.org_id;
  auto log = [&](const char* outcome) {
    if (reader.org.org_id == owner) return core::Status();
    return queries_.audit_log().Append({queries_.clock().Now().value, reader.org.org_id,
                                        reader.key.public_key, "attachment", hash->hex(), owner,
                                        outcome, ""});
  };
  if (!entitled) {
    (void)log("DENIED");
    return http::JsonError(403, "NOT_AUTHORIZED", "not entitled to this file");
  }
  auto purged = Purged(*hash);
  if (!purged) return ErrorResponse(purged.error());
  if (*purged) {
    return http::JsonError(410, "DOCUMENT_PURGED",
                           "this content's retention ended and it was purged (rule 32)");
  }
  auto bytes = store_.Get(*hash);
  if (!bytes) return ErrorResponse(bytes.error());
  if (auto logged = log("FULL"); !logged) return ErrorResponse(logged.error());
  http::Response r;
  r.content_type = "application/octet-stream";
  r.body.assign(bytes->begin(), bytes->end());
  return r;
}

core::Result<bool> Attachments::Purged(const core::Hash32& hash) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> anchored,
                      queries_.state().Get(trade::DocumentHashKey(hash.hex())));
  if (!anchored) return false;
  TL_ASSIGN_OR_RETURN(uint64_t live, trade::LiveDocuments(queries_.state(), hash.hex()));
  return live == 0;
}

core::Status Attachments::ApplyPurges(const ledger::StoredBlock& block) {
  for (const ledger::SignedTransaction& tx : block.transactions) {
    if (tx.payload().type != "document.purge") continue;
    json body = json::parse(core::AsStringView(tx.payload().body), nullptr, false);
    if (!body.is_object() || !body.contains("docId") || !body["docId"].is_string()) continue;
    TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw,
                        queries_.state().Get(trade::DocumentKey(body["docId"].get<std::string>())));
    if (!raw) continue;
    json record = json::parse(core::AsStringView(*raw), nullptr, false);
    if (!record.is_object() || record.value("purgeTxId", "") != tx.id().hex()) continue;
    auto hash = core::Hash32::FromHex(record.value("contentHash", ""));
    if (!hash) continue;
    TL_ASSIGN_OR_RETURN(bool purged, Purged(*hash));
    if (purged) TL_RETURN_IF_ERROR(store_.Remove(*hash));
  }
  return core::Ok();
}

core::Status Attachments::Sweep() {
  TL_ASSIGN_OR_RETURN(std::vector<core::Hash32> held, store_.List());
  for (const core::Hash32& hash : held) {
    TL_ASSIGN_OR_RETURN(bool purged, Purged(hash));
    if (purged) TL_RETURN_IF_ERROR(store_.Remove(hash));
  }
  return core::Ok();
}

}  // namespace tradeledger::api
