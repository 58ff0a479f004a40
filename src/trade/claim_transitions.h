// Claim transitions after filing (DOMAIN.md §7.2 PreferenceClaim; rules 20, 22, 24, 32).
//
// claim.request-correction {claimId, reason?}   CBP_OFFICER of customs. ACCEPTED or
//     UNDER_VERIFICATION claim citing a certification -> CORRECTION_REQUESTED with
//     correction{requestedAt, dueAt = requestedAt + 5 business days (config/holidays), certId}.
// claim.request-series {claimId}   CBP_OFFICER. An ACCEPTED LOW_VALUE_EXEMPT claim gets
//     series{requestedAt, dueAt = requestedAt + 30 days}; the claim stays ACCEPTED.
// claim.supply-cert {claimId, certId}   importer or delegated broker (CLAIM_PREFERENCE), by
//     series.dueAt: the certification must pass rules 12-17 for the line (possession limit =
//     block time); the claim becomes basis CERTIFICATION and the series request is met.
// claim.voluntary-correct {claimId, statement?}   importer or delegated broker (CLAIM_PREFERENCE).
//     ACCEPTED | UNDER_VERIFICATION -> VOLUNTARILY_CORRECTED, penaltyExempt = dutyDue = true
//     (rule 24); from any other state CLAIM_STATE_INVALID.
// claim.enforce-deadlines {claimIds?}   any active member; deadlines take effect at block time:
//     CORRECTION_REQUESTED past correction.dueAt -> DENIED CORRECTION_NOT_RECEIVED (rule 22);
//     a series request past series.dueAt without a certification -> DENIED
//     SERIES_EVASION_NO_CERT (rule 20). Without claimIds it processes the origin-deadlines
//     index. Claims not yet due are left alone; the transaction is OK either way.
//
// A superseding certification (cert.supersede) received by a correction's dueAt and passing
// rules 7-17 for the claim (rule 13 against dueAt) returns the claim to ACCEPTED, citing the
// new certification (ApplySupersedingCertification).
#pragma once

#include <memory>
#include <string_view>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// Indexes `claim_id` under cert-claims/<certId> and, for an accepted claim, binds a
// single-shipment certification to the entry's shipmentRef (rule 15) and extends the
// certification's retention to the entry's importDate + 5 years (rule 32).
core::Status RecordCitation(WorkingState& state, std::string_view cert_id,
                            std::string_view claim_id, const Json& entry, bool accepted);
// The same, for a certification the caller has just read from `state` (ShareCertification):
// if the citation changes it, the changed copy is saved and replaces `cert`, so that `cert`
// stays what reading it again from `state` would give.
core::Status RecordCitation(WorkingState& state, std::shared_ptr<const Json>& cert,
                            std::string_view claim_id, const Json& entry, bool accepted);

// Rule 22: re-evaluates the claims awaiting a correction of `old_cert` against `new_cert`.
core::Status ApplySupersedingCertification(WorkingState& state, const Json& old_cert,
                                           const Json& new_cert, int64_t now);

core::Result<TxOutcome> ExecuteClaimRequestCorrection(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteClaimRequestSeries(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteClaimSupplyCert(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteClaimVoluntaryCorrect(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteClaimEnforceDeadlines(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
