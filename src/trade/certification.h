// Certifications of origin (DOMAIN.md §2, §7.1.3; rules 7-11, 21, 22; state machine §7.2).
//
// A certification is issued by its certifier: the signer's organisation, whose key holds the
// role named by certifierRole (IMPORTER, EXPORTER or PRODUCER). Its content is validated
// (rules 3, 7-10), stored at cert/<certId> and anchored as a document at doc/<certId>
// (docType CERT_OF_ORIGIN, the same record shape as document.anchor) whose contentHash is the
// SHA-256 of the certification document kept off-chain.
//
// State machine: (DRAFT off-ledger) -> ISSUED -> SUPERSEDED | WITHDRAWN. EXPIRED is derived
// (EffectiveCertState), never stored.
//
// Transactions (bodies are JSON objects; dates "YYYY-MM-DD", instants RFC 3339 UTC):
//   cert.issue     {certId, agreement: USMCA|NAFTA|CAFTA_DR, certifierRole, certifier{name,
//                   title, address, countryIso2, phone, email}, exporter?: Party, producer?:
//                   Party | [Party] | "VARIOUS" | "AVAILABLE_UPON_REQUEST" | "SAME_AS_EXPORTER",
//                   importer?: Party | "VARIOUS", goods: [{description, hsCode, originCriterion
//                   (A|B|C|D), ruleOfOrigin?, invoiceNo?}], singleShipment, blanketFrom?,
//                   blanketTo?, shipmentRef?, signedAt, signatory{name, title},
//                   statementPresent, language (en|es|fr), contentHash (64 hex)}
//                  Party = {name, address, countryIso2, email?, phone?, orgId?}
//   cert.supersede the cert.issue body plus `supersedes` (an ISSUED cert of the same
//                  certifier); the old one becomes SUPERSEDED; claims awaiting its correction
//                  are re-evaluated (rule 22, see claim_rules.h).
//   cert.withdraw  {certId, reason?}   by the certifier; claims already made keep their history.
//   cert.present   {certId, contentHash}  any member presents a document copy by its recomputed
//                  SHA-256: DOCUMENT_HASH_MISMATCH if it differs from the anchor (rule 21). The
//                  transaction in the log, with its signer and result, is the audit event.
//
// Stored record (cert/<certId>): the body as validated, dates as ms since the epoch, plus
//   certifierOrg, importerOrg? (importer.orgId), state, anchoredAt, anchoredBy, txId,
//   supersedes?, supersededBy?, withdrawnAt?, withdrawReason?, retainUntil?, openCases[].
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"
#include "trade/participants.h"

namespace tradeledger::trade {

// Validates a cert.issue body against rules 3, 7, 8, 9, 10 at block time `now`. Returns the
// normalised record fields (without the anchoring fields) and every failing reason code in
// rule order (empty = valid). PAYLOAD_INVALID (as an error) for malformed JSON types.
struct CertValidation {
  Json record;
  std::vector<std::string> codes;
};
core::Result<CertValidation> ValidateCertification(const Json& body, int64_t now);

core::Result<std::optional<Json>> LoadCertification(const StateReader& state,
                                                    std::string_view cert_id);
// The same record, read-only and shared with every other reader of the same stored value (it
// is parsed once per value, json_fields.h ReadStateValue); nullptr if there is none. For a
// caller that changes the record seldom: it copies only when it does.
core::Result<std::shared_ptr<const Json>> ShareCertification(const StateReader& state,
                                                             std::string_view cert_id);
void SaveCertification(WorkingState& state, const Json& cert);

// ISSUED, SUPERSEDED, WITHDRAWN, or EXPIRED when ISSUED but past signedAt + 4 years or past
// the end of its blanket period at `now`.
std::string EffectiveCertState(const Json& cert, int64_t now);

core::Result<TxOutcome> ExecuteCertIssue(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteCertSupersede(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteCertWithdraw(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteCertPresent(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
