// Verification cases (DOMAIN.md §2.1 "Verification", §7.1.7; rule 23; state machine §7.2):
// OPEN -> AWAITING_RESPONSE -> (RESPONDED | OVERDUE) -> INTENT_TO_DENY? -> CLOSED(AFFIRMED |
// DENIED). A case is opened with its first request, so OPEN is never stored; OVERDUE is
// derived at read and transition time (EffectiveCaseState) when every request is past its
// dueAt without a response.
//
// Transactions (CBP_OFFICER keys of the customs organisation, except case.respond):
//   case.open          {caseId, claimIds: [..] (one importer), method: REQUEST_FOR_INFO |
//                       QUESTIONNAIRE | VISIT, addressee (org id), dueAt? (default +30 days)}
//                      claims ACCEPTED | UNDER_VERIFICATION -> UNDER_VERIFICATION
//   case.request       {caseId, method, addressee, dueAt?}   a further request (e.g. to the
//                      certifying exporter/producer)
//   case.respond       {caseId, summary, contentHash?}   by an addressee of a request
//   case.intent-to-deny {caseId, findings?}   notice; the response window starts
//   case.determine     {caseId, determination: AFFIRMED | DENIED, findings, legalBasis}
//                      UNDER_VERIFICATION claims -> AFFIRMED | DENIED (reason
//                      VERIFICATION_DENIED); claims already VOLUNTARILY_CORRECTED stay so.
// Rule 23: DENIED needs (a) a request addressed to every certifier organisation of the
// claims' certifications other than the importer, and (b) an intent-to-deny notice at least
// the response window (config/origin-response-window-days, default 30 days) before; else
// DENIAL_PRECONDITION_UNMET. The team applies it to every verification denial.
//
// Record at case/<caseId>: {caseId, claimIds[], importer, certifierOrgs[], entryNumbers[],
//   certIds[], method, addressee, requestedAt, dueAt (of the first request), requests[{method,
//   addressee, requestedAt, dueAt, requestedBy}], responses[{by, at, summary, contentHash?}],
//   state, intentToDenyAt?, responseWindowEndsAt?, determination?, findings?, legalBasis?,
//   closedAt?, openedBy, history[{at, state, by, note?}]}
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

core::Result<std::optional<Json>> LoadCase(const StateReader& state, std::string_view case_id);
// The stored state, or OVERDUE for AWAITING_RESPONSE with every request past due at `now`.
std::string EffectiveCaseState(const Json& vcase, int64_t now);

core::Result<TxOutcome> ExecuteCaseOpen(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteCaseRequest(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteCaseRespond(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteCaseIntentToDeny(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteCaseDetermine(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
