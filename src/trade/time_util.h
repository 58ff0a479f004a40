// Civil dates and instants for the trade rules, computed from their inputs only (never from a
// clock). Dates are "YYYY-MM-DD" (UTC midnight); instants are RFC 3339 in UTC,
// "YYYY-MM-DDTHH:MM:SSZ" (optionally with ".sss"). Both are held as ms since the Unix epoch.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tradeledger::trade {

inline constexpr int64_t kMsPerDay = 86'400'000;

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d);
void CivilFromDays(int64_t days, int64_t* y, unsigned* m, unsigned* d);

// DATE_INVALID unless `text` is a real calendar date "YYYY-MM-DD".
core::Result<int64_t> ParseDate(std::string_view text);  // ms at 00:00 UTC
// DATE_INVALID unless `text` is "YYYY-MM-DD", or an RFC 3339 UTC instant.
core::Result<int64_t> ParseInstant(std::string_view text);
std::string FormatDate(int64_t ms);
std::string FormatInstant(int64_t ms);

// The same day-of-month `months` later (clamped to the month's last day).
int64_t AddMonths(int64_t ms, int months);
// Monday..Friday and not in `holidays` (each a day number, DaysFromCivil).
bool IsBusinessDay(int64_t day, const std::set<int64_t>& holidays);
// The instant `n` business days after `ms` (same time of day).
int64_t AddBusinessDays(int64_t ms, int n, const std::set<int64_t>& holidays);

}  // namespace tradeledger::trade
