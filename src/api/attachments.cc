#include "api/attachments.h"

#include "crypto/sha256.h"
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
  auto bytes = store_.Get(*hash);
  if (!bytes) return ErrorResponse(bytes.error());
  if (auto logged = log("FULL"); !logged) return ErrorResponse(logged.error());
  http::Response r;
  r.content_type = "application/octet-stream";
  r.body.assign(bytes->begin(), bytes->end());
  return r;
}

}  // namespace tradeledger::api
