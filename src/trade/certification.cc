#include "trade/certification.h"

#include <variant>

#include "trade/claim_transitions.h"
#include "trade/document_anchor.h"
#include "trade/origin_common.h"
#include "trade/origin_reasons.h"
#include "trade/state_keys.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

struct Prepared {
  Actor actor;
  Json body;
  Json record;
};

// Resolves the signer, parses and validates a cert.issue/cert.supersede body (rules 3, 7-11)
// and checks that the id is free. An outcome on any failure.
core::Result<std::variant<Prepared, TxOutcome>> Prepare(WorkingState& state, const TxContext& tx) {
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return TxOutcome{NotAuthorized("signer is not an active member")};
  auto body = ParseBody(tx.body);
  if (!body) return TxOutcome{Outcome(body.error())};
  auto valid = ValidateCertification(*body, now);
  if (!valid) return TxOutcome{Outcome(valid.error())};
  // Rule 11: only the certifier anchors its certification: the signer's key must hold the
  // certifier role it claims.
  std::string role = valid->record.value("certifierRole", "");
  if (!role.empty() && !actor->Has(role)) valid->codes.push_back("NOT_AUTHORIZED");
  SortByRule(valid->codes);
  if (!valid->codes.empty()) return TxOutcome{RuleOutcome(valid->codes)};

  std::string cert_id = valid->record["certId"];
  TL_ASSIGN_OR_RETURN(std::optional<Json> existing, LoadCertification(state, cert_id));
  if (existing) return TxOutcome{"CERT_EXISTS", "certification " + cert_id + " exists"};
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> doc, state.Get(DocumentKey(cert_id)));
  if (doc) return TxOutcome{"DOCUMENT_EXISTS", "document " + cert_id + " is anchored"};

  Json& r = valid->record;
  r["certifierOrg"] = actor->org.org_id;
  r["state"] = "ISSUED";
  r["anchoredAt"] = now;
  r["anchoredBy"] = tx.signer.hex();
  r["txId"] = tx.tx_id.hex();
  r["openCases"] = Json::array();
  return Prepared{std::move(*actor), std::move(*body), std::move(r)};
}

// Writes the certification and its document anchor (the document.anchor record shape).
core::Status Anchor(WorkingState& state, const TxContext& tx, const Json& cert) {
  SaveCertification(state, cert);
  Json doc = {{"version", 1},
              {"docId", cert["certId"]},
              {"docType", "CERT_OF_ORIGIN"},
              {"contentHash", cert["contentHash"]},
              {"issuer", cert["certifierOrg"]},
              {"metadata", {{"certId", cert["certId"]}, {"agreement", cert["agreement"]}}},
              {"anchoredAt", cert["anchoredAt"]},
              {"anchoredBy", cert["anchoredBy"]},
              {"txId", tx.tx_id.hex()},
              {"height", tx.height.value}};
  doc["anchoredByOrg"] = cert["certifierOrg"];
  if (cert.contains("supersedes")) doc["supersedes"] = cert["supersedes"];
  state.Put(DocumentKey(cert["certId"].get<std::string>()), ToStateValue(doc));
  // The content-hash index of document.anchor, so attachment access works for certifications.
  TL_RETURN_IF_ERROR(IndexDocumentHash(state, cert["contentHash"].get<std::string>(),
                                       cert["certifierOrg"].get<std::string>(),
                                       cert["certId"].get<std::string>()));
  return core::Ok();
}

}  // namespace

core::Result<std::optional<Json>> LoadCertification(const StateReader& state,
                                                    std::string_view cert_id) {
  return LoadJson(state, CertStateKey(cert_id));
}

core::Result<std::shared_ptr<const Json>> ShareCertification(const StateReader& state,
                                                             std::string_view cert_id) {
  return state.GetJson(core::AsBytes(CertStateKey(cert_id)));
}

void SaveCertification(WorkingState& state, const Json& cert) {
  PutJson(state, CertStateKey(cert["certId"].get<std::string>()), cert);
}

core::Result<TxOutcome> ExecuteCertIssue(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto prepared, Prepare(state, tx));
  if (auto* outcome = std::get_if<TxOutcome>(&prepared)) return *outcome;
  Prepared& p = std::get<Prepared>(prepared);
  if (p.body.contains("supersedes")) {
    return TxOutcome{"PAYLOAD_INVALID", "use cert.supersede to supersede a certification"};
  }
  TL_RETURN_IF_ERROR(Anchor(state, tx, p.record));
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteCertSupersede(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto prepared, Prepare(state, tx));
  if (auto* outcome = std::get_if<TxOutcome>(&prepared)) return *outcome;
  Prepared& p = std::get<Prepared>(prepared);
  auto old_id = GetString(p.body, "supersedes", 128);
  if (!old_id) return Outcome(old_id.error());
  TL_ASSIGN_OR_RETURN(std::optional<Json> old, LoadCertification(state, *old_id));
  if (!old) return TxOutcome{"CERT_NOT_FOUND", "no certification " + *old_id};
  if ((*old)["certifierOrg"] != p.actor.org.org_id) {
    return NotAuthorized("only the certifier of " + *old_id + " supersedes it");
  }
  if ((*old)["state"] != "ISSUED") {
    return TxOutcome{"CERT_STATE_INVALID", *old_id + " is " + (*old)["state"].get<std::string>()};
  }
  if ((*old)["agreement"] != p.record["agreement"]) {
    return TxOutcome{"AGREEMENT_MISMATCH", "a superseding certification keeps the agreement"};
  }
  int64_t now = BlockTime(tx);
  p.record["supersedes"] = *old_id;
  TL_RETURN_IF_ERROR(Anchor(state, tx, p.record));
  (*old)["state"] = "SUPERSEDED";
  (*old)["supersededBy"] = p.record["certId"];
  (*old)["supersededAt"] = now;
  SaveCertification(state, *old);
  TL_RETURN_IF_ERROR(ApplySupersedingCertification(state, *old, p.record, now));
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteCertWithdraw(WorkingState& state, const TxContext& tx) {
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return Outcome(body.error());
  auto id = GetString(*body, "certId", 128);
  if (!id) return Outcome(id.error());
  auto reason = GetOptString(*body, "reason", 1024);
  if (!reason) return Outcome(reason.error());
  TL_ASSIGN_OR_RETURN(std::optional<Json> cert, LoadCertification(state, *id));
  if (!cert) return TxOutcome{"CERT_NOT_FOUND", "no certification " + *id};
  if ((*cert)["certifierOrg"] != actor->org.org_id ||
      !actor->Has((*cert)["certifierRole"].get<std::string>())) {
    return NotAuthorized("only the certifier withdraws a certification");
  }
  if ((*cert)["state"] != "ISSUED") {
    return TxOutcome{"CERT_STATE_INVALID", *id + " is " + (*cert)["state"].get<std::string>()};
  }
  (*cert)["state"] = "WITHDRAWN";
  (*cert)["withdrawnAt"] = now;
  if (*reason) (*cert)["withdrawReason"] = **reason;
  SaveCertification(state, *cert);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteCertPresent(WorkingState& state, const TxContext& tx) {
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return Outcome(body.error());
  auto id = GetString(*body, "certId", 128);
  if (!id) return Outcome(id.error());
  auto hash_hex = GetString(*body, "contentHash", 64);
  if (!hash_hex) return Outcome(hash_hex.error());
  auto hash = core::Hash32::FromHex(*hash_hex);
  if (!hash) return TxOutcome{"CONTENT_HASH_INVALID", "contentHash must be 64 hex digits"};
  TL_ASSIGN_OR_RETURN(std::optional<Json> cert, LoadCertification(state, *id));
  if (!cert) return TxOutcome{"CERT_NOT_FOUND", "no certification " + *id};
  // Rule 21: the anchor is the reference and is never changed by a presentation.
  if ((*cert)["contentHash"] != hash->hex()) {
    return TxOutcome{"DOCUMENT_HASH_MISMATCH", "presented by " + actor->org.org_id +
                                                   ": SHA-256 differs from the anchor of " + *id};
  }
  return TxOutcome{};
}

}  // namespace tradeledger::trade
