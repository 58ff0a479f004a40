#include "trade/document_purge.h"

#include "trade/certification.h"
#include "trade/json_limits.h"
#include "trade/origin_common.h"
#include "trade/participants.h"
#include "trade/state_keys.h"
#include "trade/time_util.h"

namespace tradeledger::trade {

core::Result<int64_t> DocumentRetainUntil(const StateReader& state, const Json& record) {
  int64_t until = AddMonths(record.value("anchoredAt", int64_t{0}), 12 * kRetentionYears);
  TL_ASSIGN_OR_RETURN(std::optional<Json> cert,
                      LoadCertification(state, record.value("docId", std::string())));
  if (cert && cert->contains("retainUntil") && (*cert)["retainUntil"].is_number_integer()) {
    until = std::max(until, (*cert)["retainUntil"].get<int64_t>());
  }
  return until;
}

core::Result<uint64_t> LiveDocuments(const StateReader& state, std::string_view content_hash_hex) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(DocumentLiveKey(content_hash_hex)));
  if (!raw) return uint64_t{0};
  if (raw->size() != 8) return core::Fail("STATE_CORRUPT", "live document count");
  uint64_t n = 0;
  for (uint8_t b : *raw) n = (n << 8) | b;
  return n;
}

core::Status AddLiveDocuments(WorkingState& state, std::string_view content_hash_hex,
                              int64_t delta) {
  TL_ASSIGN_OR_RETURN(uint64_t n, LiveDocuments(state, content_hash_hex));
  if (delta < 0 && n == 0) return core::Fail("STATE_CORRUPT", "live document count below zero");
  n = static_cast<uint64_t>(static_cast<int64_t>(n) + delta);
  core::Bytes out(8);
  for (int i = 7; i >= 0; --i, n >>= 8) out[static_cast<size_t>(i)] = static_cast<uint8_t>(n);
  state.Put(DocumentLiveKey(content_hash_hex), out);
  return core::Ok();
}

core::Result<TxOutcome> ExecuteDocumentPurge(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member of an active organisation");
  Json body = Json::parse(core::AsStringView(tx.body), nullptr, false);
  if (!JsonDepthWithin(core::AsStringView(tx.body), kMaxJsonDepth) || !body.is_object() ||
      !body.contains("docId") || !body["docId"].is_string()) {
    return TxOutcome{"PAYLOAD_INVALID", "body must be {\"docId\": string}"};
  }
  std::string doc_id = body["docId"].get<std::string>();
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(DocumentKey(doc_id)));
  if (!raw) return TxOutcome{"DOCUMENT_NOT_FOUND", "no document " + doc_id};
  Json record = Json::parse(core::AsStringView(*raw), nullptr, false);
  if (!record.is_object()) return core::Fail("STATE_CORRUPT", "document record " + doc_id);
  std::string owner = record.value("anchoredByOrg", "");
  if (!actor->is_customs && actor->org.org_id != owner) {
    return NotAuthorized("only " + (owner.empty() ? std::string("customs") : owner) +
                         " or customs may purge " + doc_id);
  }
  if (record.contains("purgedAt")) return TxOutcome{"DOCUMENT_PURGED", doc_id + " is purged"};

  TL_ASSIGN_OR_RETURN(std::optional<Json> cert, LoadCertification(state, doc_id));
  if (cert && cert->contains("openCases") && !(*cert)["openCases"].empty()) {
    return TxOutcome{"RETENTION_HOLD", "a verification case is open on " + doc_id};
  }
  TL_ASSIGN_OR_RETURN(int64_t until, DocumentRetainUntil(state, record));
  if (now <= until) {
    return TxOutcome{"RETENTION_NOT_EXPIRED",
                     doc_id + " is retained until " + FormatDate(until) + " (rule 32)"};
  }
  record["purgedAt"] = now;
  record["purgedBy"] = actor->org.org_id;
  record["purgeTxId"] = tx.tx_id.hex();
  state.Put(DocumentKey(doc_id), core::ToBytes(record.dump()));
  TL_RETURN_IF_ERROR(AddLiveDocuments(state, record.value("contentHash", ""), -1));
  return TxOutcome{};
}

}  // namespace tradeledger::trade
