// The holiday calendar under governance (rule 23's business days, doc/rules.md
// "calendar.amend"). The calendar is the set of non-business days (config/holidays, day
// numbers) and the last day it covers (config/holidays-until). A business-day deadline that
// would fall after that day is refused (CALENDAR_NOT_COVERED) instead of being counted as if
// every later weekday were a working day. Customs extends or corrects the calendar with a
// calendar.amend transaction.
//
// Genesis: "holidays": ["YYYY-MM-DD", ...] and optionally "holidays_until": "YYYY-MM-DD"
// (default: 31 December of the year of the last holiday).
#pragma once

#include <cstdint>
#include <optional>

#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// The last day (a day number, DaysFromCivil) the calendar covers, or nullopt if the network has
// no calendar (then no deadline is refused).
core::Result<std::optional<int64_t>> CalendarEnd(const StateReader& state);

// Sets the calendar's end from the genesis: "holidays_until", else the end of the year of the
// last holiday. Called by ApplyGenesis after the holidays are stored.
core::Status ApplyCalendarGenesis(const Json& genesis, WorkingState& state);

// Ok if a deadline on day `due_day` is within the calendar; CALENDAR_NOT_COVERED otherwise
// (as a TxOutcome, naming the calendar's end).
core::Result<std::optional<TxOutcome>> CheckCovered(const StateReader& state, int64_t due_day);

// calendar.amend (customs CBP_ADMIN): {"add": [dates], "remove": [dates], "coversUntil": date}.
// coversUntil is required and may not be before the ledger's current day; every added date
// must be within it. Codes: NOT_AUTHORIZED, PAYLOAD_INVALID, DATE_INVALID, CALENDAR_INVALID.
core::Result<TxOutcome> ExecuteCalendarAmend(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
