// Preference claims (DOMAIN.md §7.1.6) and the pure rules that decide them: 6 and 12-20.
//
// A claim is made for every entry line that carries an SPI, when the entry is filed. Its id
// is "<entryNumber>#<lineNo>" and it is stored at claim/<claimId>:
//   {claimId, entryNumber, lineNo, importer, filedBy, agreement, spi, certRef|null,
//    certifierOrg|null, basis: CERTIFICATION|IMPORTER_KNOWLEDGE|LOW_VALUE_EXEMPT,
//    state, reasonCodes[] (rule order; first = primary), history[{at, state, by,
//    reasonCodes[], note}], caseIds[], correction?{requestedAt, dueAt, certId, requestedBy,
//    reason}, series?{requestedAt, dueAt, requestedBy}, penaltyExempt?, dutyDue?,
//    denial?{caseId?, findings, legalBasis}}
// certifierOrg is the org of the cited certification, so access checks need no lookups.
//
// State machine (§7.2): SUBMITTED -> ACCEPTED | REJECTED; ACCEPTED -> UNDER_VERIFICATION ->
// AFFIRMED | DENIED; ACCEPTED | UNDER_VERIFICATION -> CORRECTION_REQUESTED -> ACCEPTED |
// DENIED; ACCEPTED | UNDER_VERIFICATION -> VOLUNTARILY_CORRECTED. REJECTED, DENIED, AFFIRMED
// and VOLUNTARILY_CORRECTED are terminal. SUBMITTED is never stored: a claim is decided in the
// transaction that files it (the history records both steps).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// The agreement an SPI belongs to (rule 6): S, S+ -> USMCA; CA, MX -> NAFTA; P, P+ ->
// CAFTA_DR; empty for any other SPI.
std::string AgreementOfSpi(std::string_view spi);
// Rule 6 (second half): NAFTA ends for imports on/after 2020-07-01, USMCA starts then.
bool AgreementInForce(std::string_view agreement, int64_t import_date);
// Rule 19: entry types on which preference may be claimed.
bool IsPreferenceEntryType(std::string_view entry_type);
// Entry types of DOMAIN.md §4 (any other is ENTRY_TYPE_INVALID at filing).
bool IsKnownEntryType(std::string_view entry_type);

inline constexpr uint64_t kLowValueLimitCents = 250'000;  // US$2,500 (rule 20)

// Rules 12-17 for one cited certification against one entry line, in rule order. The
// possession limit (rule 13) is the entry's summaryFiledAt, or a correction's dueAt when a
// corrected certification is supplied later (rule 22) or a series request's dueAt (rule 20).
std::vector<std::string> CertificationCoversLine(const Json& cert, const Json& entry,
                                                 const Json& line, std::string_view agreement,
                                                 int64_t possession_limit);

// Decides the claim of one line (rules 6, 12-20). `cert` is the certification named by the
// line's certRef, nullptr if it has none or it is not on the ledger. `low_value_cents` is the
// originating value of the importation under the line's agreement (sum of the entry's lines
// claiming that agreement without a certification).
struct ClaimDecision {
  std::string agreement;
  std::string basis;
  std::vector<std::string> codes;  // empty = ACCEPTED
};
ClaimDecision DecideClaim(const Json& entry, const Json& line, const Json* cert,
                          uint64_t low_value_cents);

std::string ClaimId(std::string_view entry_number, uint64_t line_no);
core::Result<std::optional<Json>> LoadClaim(const StateReader& state, std::string_view claim_id);
void SaveClaim(WorkingState& state, const Json& claim);
// Moves `claim` to `state` and appends a history item.
void Transition(Json& claim, std::string_view state, int64_t at, std::string_view by,
                const std::vector<std::string>& codes = {}, std::string_view note = {});
bool IsTerminalClaimState(std::string_view state);

}  // namespace tradeledger::trade
