// Shared plumbing of the IPR module (recordations, licences, assessments): reading stored
// records defensively, and small predicates.
//
// Stored records are written by this module, but a replica must never crash on a bad state
// value: every reader checks JSON types and fails with STATE_CORRUPT (which abandons the
// block) instead of throwing.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"
#include "trade/participants.h"

namespace tradeledger::trade {

inline TxOutcome IprFromError(const core::Error& e) { return TxOutcome{e.code, e.detail}; }

// Readers of stored records: a missing optional field gives the default; a field of the wrong
// JSON type gives STATE_CORRUPT.
core::Result<std::string> RecordString(const Json& j, const char* field);
core::Result<int64_t> RecordInt(const Json& j, const char* field);
core::Result<std::optional<int64_t>> RecordOptInt(const Json& j, const char* field);
core::Result<std::vector<std::string>> RecordStrings(const Json& j, const char* field);

// Ids of licences and other IPR records: 1..128 characters of [A-Za-z0-9._:-].
bool IsIprId(std::string_view id);
// An HTS prefix: 2..10 digits once dots are removed; `out` receives the digits.
bool NormalizeHtsPrefix(std::string_view text, std::string* out);

// Customs staff who decide on recordations and see every IPR record.
bool IsCustomsOfficer(const Actor& actor);

template <typename T>
bool IprContains(const std::vector<T>& v, const T& x) {
  for (const T& e : v) {
    if (e == x) return true;
  }
  return false;
}

}  // namespace tradeledger::trade
