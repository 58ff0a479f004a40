// Shared plumbing of the origin module (certifications, entries, claims, verification
// cases): the state keys it owns, JSON load/store, and small text predicates.
//
// State keys (values are compact JSON written by ToStateValue; shapes in doc/rules-origin.md):
//   cert/<certId>               CertificationOfOrigin record   (certification.h)
//   cert-claims/<certId>        id index (id_index.h) of the claims citing the certification
//   entry/<entryNumber>         Entry record with its lines    (entry.h); canonical XXX-NNNNNNN-C
//   claim/<entryNumber>#<line>  PreferenceClaim record         (claim_rules.h)
//   case/<caseId>               VerificationCase record        (verification_case.h)
//   origin-deadlines            JSON array of claim ids with a pending correction or series
//                               deadline, in the order the deadlines were set
//   config/origin-response-window-days  optional genesis/config integer (rule 23; default 30)
//
// All functions are pure: they read only their arguments and the state.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

std::string CertStateKey(std::string_view cert_id);
std::string CertClaimsKey(std::string_view cert_id);
std::string EntryStateKey(std::string_view entry_number);
std::string ClaimStateKey(std::string_view claim_id);
std::string CaseStateKey(std::string_view case_id);
inline constexpr char kOriginDeadlinesKey[] = "origin-deadlines";
inline constexpr char kResponseWindowKey[] = "config/origin-response-window-days";

// The JSON value at `key`, nullopt if absent; STATE_CORRUPT if not JSON.
core::Result<std::optional<Json>> LoadJson(const StateReader& state, std::string_view key);
void PutJson(WorkingState& state, std::string_view key, const Json& value);
// A JSON array of strings at `key` (empty if absent).
core::Result<std::vector<std::string>> LoadIdList(const StateReader& state, std::string_view key);
// Appends `id` to the list at `key` unless it is already there.
core::Status AppendIdList(WorkingState& state, std::string_view key, std::string_view id);
core::Status RemoveFromIdList(WorkingState& state, std::string_view key, std::string_view id);

// The string value of `j`, or "" if it is not a string.
inline std::string Str(const Json& j) { return j.is_string() ? j.get<std::string>() : ""; }

inline int64_t BlockTime(const TxContext& tx) { return static_cast<int64_t>(tx.block_time.value); }
inline TxOutcome Outcome(const core::Error& e) { return TxOutcome{e.code, e.detail}; }

bool AllDigits(std::string_view s);
bool IsUpperAlnum(std::string_view s);
// Digits of an HS/HTS code with dots removed; nullopt if anything else remains.
std::optional<std::string> HtsDigits(std::string_view code);

// The verification response window of rule 23, in ms (config key or 30 days).
core::Result<int64_t> ResponseWindowMs(const StateReader& state);

// Years of record retention (rule 32) and the validity of a certification (rule 14).
inline constexpr int kRetentionYears = 5;
inline constexpr int kCertValidityYears = 4;

// Rule 32: raises record["retainUntil"] to importDate + 5 years if that is later.
void ExtendRetention(Json& record, int64_t import_date);
// Whether ExtendRetention(record, import_date) would change `record`.
bool RetentionExtends(const Json& record, int64_t import_date);
// Rule 32: the off-chain payload of `record` may be purged at `now`: past retainUntil and no
// verification case open on it (record["openCases"] empty).
bool RetentionExpired(const Json& record, int64_t now);

}  // namespace tradeledger::trade
