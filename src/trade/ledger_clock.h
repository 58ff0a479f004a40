// The ledger clock: test and demo networks can run on a clock that lives in the state, set at
// genesis and advanced only by a customs administrator's transaction (DESIGN.md decision 4),
// so that dated stories and deadlines in business days run for real.
//
// State: config/ledger-clock -> {"now": ms}. Absent: the network runs on validator clocks.
// Block headers always carry the proposer's clock (consensus needs it, and a leader proposes
// before the state it builds on is executed). The trade time of a block, which every rule
// reads as TxContext::block_time, is the ledger clock's value in the state the block executes
// on when the network has one, and the header's time otherwise (ADR 0017).
#pragma once

#include <optional>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// The clock's value, or nullopt on a network that runs on validator clocks.
core::Result<std::optional<int64_t>> LedgerClockNow(const StateReader& state);

// The trade time for a block stamped `header_time` executing on `state`.
core::Result<int64_t> TradeTime(const StateReader& state, core::TimestampMs header_time);

// Genesis: "ledger_clock": {"start": "YYYY-MM-DDTHH:MM:SSZ"} enables the clock.
core::Status ApplyLedgerClockGenesis(const Json& genesis, WorkingState& state);

// clock.advance {"to": instant}: CBP_ADMIN only; the clock never goes back
// (CLOCK_BACKWARDS) and exists only on ledger-clock networks (CLOCK_NOT_LEDGER).
core::Result<TxOutcome> ExecuteClockAdvance(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
