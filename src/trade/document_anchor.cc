#include "trade/document_anchor.h"

#include <algorithm>
#include <array>

#include "trade/document_purge.h"
#include "trade/json_limits.h"
#include "trade/participants.h"
#include "trade/state_keys.h"

namespace tradeledger::trade {
namespace {

constexpr size_t kMaxDocIdLength = 128;
constexpr size_t kMaxIssuerLength = 256;
constexpr size_t kMaxMetadataBytes = 8 * 1024;
constexpr std::array<std::string_view, 6> kDocTypes = {"CERT_OF_ORIGIN", "LICENSE", "RECORDATION",
                                                       "MILL_CERT",      "INVOICE", "OTHER"};

bool IsDocIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == ':' || c == '/' || c == '-';
}

core::Result<std::string> RequiredString(const nlohmann::json& body, const char* field) {
  auto it = body.find(field);
  if (it == body.end() || !it->is_string()) {
    return core::Fail("PAYLOAD_INVALID", std::string("field '") + field + "' must be a string");
  }
  return it->get<std::string>();
}

}  // namespace

core::Result<DocumentAnchor> ParseDocumentAnchor(core::ByteSpan body) {
  std::string_view text = core::AsStringView(body);
  if (!JsonDepthWithin(text, kMaxJsonDepth)) {
    return core::Fail("PAYLOAD_INVALID", "JSON nested too deeply");
  }
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return core::Fail("PAYLOAD_INVALID", "body must be a JSON object");
  }
  DocumentAnchor a;
  TL_ASSIGN_OR_RETURN(a.doc_id, RequiredString(json, "docId"));
  TL_ASSIGN_OR_RETURN(a.doc_type, RequiredString(json, "docType"));
  TL_ASSIGN_OR_RETURN(std::string hash, RequiredString(json, "contentHash"));
  TL_ASSIGN_OR_RETURN(a.issuer, RequiredString(json, "issuer"));

  if (a.doc_id.empty() || a.doc_id.size() > kMaxDocIdLength ||
      !std::all_of(a.doc_id.begin(), a.doc_id.end(), IsDocIdChar)) {
    return core::Fail("DOC_ID_INVALID", "docId must be 1..128 characters of [A-Za-z0-9._:/-]");
  }
  if (std::find(kDocTypes.begin(), kDocTypes.end(), a.doc_type) == kDocTypes.end()) {
    return core::Fail("DOC_TYPE_INVALID", "unknown docType '" + a.doc_type + "'");
  }
  auto digest = core::Hash32::FromHex(hash);
  if (!digest) return core::Fail("CONTENT_HASH_INVALID", "contentHash must be 64 hex digits");
  a.content_hash = digest->hex();
  if (a.issuer.empty() || a.issuer.size() > kMaxIssuerLength) {
    return core::Fail("ISSUER_INVALID", "issuer must be 1..256 characters");
  }
  if (auto it = json.find("metadata"); it != json.end()) {
    if (!it->is_object()) return core::Fail("METADATA_INVALID", "metadata must be an object");
    if (it->dump().size() > kMaxMetadataBytes) {
      return core::Fail("METADATA_INVALID", "metadata larger than 8 KiB");
    }
    a.metadata = *it;
  }
  return a;
}

core::Result<TxOutcome> ExecuteDocumentAnchor(WorkingState& state, const TxContext& tx) {
  // On a network with participants, only an active member anchors documents. A network whose
  // genesis names no customs authority is a bare notary: any key may anchor.
  TL_ASSIGN_OR_RETURN(std::string customs, CustomsOrgId(state));
  std::string owner_org;
  if (!customs.empty()) {
    TL_ASSIGN_OR_RETURN(std::optional<Actor> actor,
                        ResolveActor(state, tx.signer, static_cast<int64_t>(tx.block_time.value)));
    if (!actor) return NotAuthorized("signer is not an active member of an active organisation");
    owner_org = actor->org.org_id;
  }
  auto parsed = ParseDocumentAnchor(tx.body);
  if (!parsed) return TxOutcome{parsed.error().code, parsed.error().detail};
  const DocumentAnchor& a = *parsed;

  core::Bytes key = DocumentKey(a.doc_id);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> existing, state.Get(key));
  if (existing) return TxOutcome{"DOCUMENT_EXISTS", "document '" + a.doc_id + "' is anchored"};

  nlohmann::json record = {
      {"version", 1},
      {"docId", a.doc_id},
      {"docType", a.doc_type},
      {"contentHash", a.content_hash},
      {"issuer", a.issuer},
      {"metadata", a.metadata},
      {"anchoredAt", tx.block_time.value},
      {"anchoredBy", tx.signer.hex()},
      {"txId", tx.tx_id.hex()},
      {"height", tx.height.value},
  };
  if (!owner_org.empty()) record["anchoredByOrg"] = owner_org;
  state.Put(key, core::ToBytes(record.dump()));
  TL_RETURN_IF_ERROR(IndexDocumentHash(state, a.content_hash, owner_org, a.doc_id));
  return TxOutcome{};
}

core::Status IndexDocumentHash(WorkingState& state, std::string_view content_hash,
                               std::string_view org_id, std::string_view doc_id) {
  core::Bytes first = DocumentHashKey(content_hash);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> owner, state.Get(first));
  if (!owner) state.Put(first, core::ToBytes(org_id));
  core::Bytes mine = DocumentHashOrgKey(content_hash, org_id);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> listed, state.Get(mine));
  if (!listed) state.Put(mine, core::ToBytes(doc_id));
  return AddLiveDocuments(state, content_hash, +1);
}

core::Result<TxOutcome> ExecuteDocumentPresent(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor,
                      ResolveActor(state, tx.signer, static_cast<int64_t>(tx.block_time.value)));
  TL_ASSIGN_OR_RETURN(std::string customs, CustomsOrgId(state));
  if (!customs.empty() && !actor) return NotAuthorized("signer is not an active member");
  nlohmann::json body = nlohmann::json::parse(core::AsStringView(tx.body), nullptr, false);
  if (!JsonDepthWithin(core::AsStringView(tx.body), kMaxJsonDepth) || body.is_discarded() ||
      !body.is_object()) {
    return TxOutcome{"PAYLOAD_INVALID", "body must be a JSON object"};
  }
  auto doc_id = RequiredString(body, "docId");
  auto presented = RequiredString(body, "presentedHash");
  if (!doc_id) return TxOutcome{doc_id.error().code, doc_id.error().detail};
  if (!presented) return TxOutcome{presented.error().code, presented.error().detail};
  auto hash = core::Hash32::FromHex(*presented);
  if (!hash) return TxOutcome{"CONTENT_HASH_INVALID", "presentedHash must be 64 hex digits"};
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(DocumentKey(*doc_id)));
  if (!raw) return TxOutcome{"DOCUMENT_NOT_FOUND", "no document " + *doc_id};
  nlohmann::json record = nlohmann::json::parse(core::AsStringView(*raw), nullptr, false);
  if (record.is_discarded()) return core::Fail("STATE_CORRUPT", "document record");
  if (record.value("contentHash", "") != hash->hex()) {
    // Rule 21: the presentation is recorded as failed, with the presenter as signer; the
    // anchor itself is never touched.
    return TxOutcome{"DOCUMENT_HASH_MISMATCH", "the presented file's SHA-256 " + hash->hex() +
                                                   " differs from the anchor of " + *doc_id};
  }
  return TxOutcome{};
}

}  // namespace tradeledger::trade
