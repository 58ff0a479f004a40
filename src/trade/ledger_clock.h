// The ledger clock: test and demo networks can run on a clock that lives in the state, set at
// genesis and advanced only by a customs administrator's transaction (DESIGN.md decision 4),
// so that dated stories and deadlines in business days run for real.
//
// State: config/ledger-clock -> {"now": ms}. Absent: the network runs on validator clocks.
// On a ledger-clock network every block's time is the clock's value in the state it builds on.
#pragma once

#include <optional>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// The clock's value, or nullopt on a network that runs on validator clocks.
core::Result<std::optional<int64_t>> LedgerClockNow(const StateReader& state);

// Genesis: "ledger_clock": {"start": "YYYY-MM-DDTHH:MM:SSZ"} enables the clock.
core::Status ApplyLedgerClockGenesis(const Json& genesis, WorkingState& state);

// clock.advance {"to": instant}: CBP_ADMIN only; the clock never goes back
// (CLOCK_BACKWARDS) and exists only on ledger-clock networks (CLOCK_NOT_LEDGER).
core::Result<TxOutcome> ExecuteClockAdvance(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
