#include "trade/ledger_clock.h"

#include "trade/participants.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

const core::Bytes kClockKey = core::ToBytes("config/ledger-clock");

}  // namespace

core::Result<std::optional<int64_t>> LedgerClockNow(const StateReader& state) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(kClockKey));
  if (!raw) return std::optional<int64_t>();
  TL_ASSIGN_OR_RETURN(Json j, FromStateValue(*raw));
  if (!j.is_object() || !j.contains("now") || !j["now"].is_number_integer()) {
    return core::Fail("STATE_CORRUPT", "ledger clock record");
  }
  return std::optional<int64_t>(j["now"].get<int64_t>());
}

core::Status ApplyLedgerClockGenesis(const Json& genesis, WorkingState& state) {
  if (!genesis.contains("ledger_clock")) return core::Ok();
  const Json& c = genesis["ledger_clock"];
  auto start = c.is_object() ? GetInstant(c, "start") : core::Result<int64_t>(core::Fail("", ""));
  if (!start) return core::Fail("GENESIS_INVALID", "ledger_clock needs {\"start\": instant}");
  state.Put(kClockKey, ToStateValue(Json{{"now", *start}}));
  return core::Ok();
}

core::Result<int64_t> TradeTime(const StateReader& state, core::TimestampMs header_time) {
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> clock, LedgerClockNow(state));
  return clock ? *clock : static_cast<int64_t>(header_time.value);
}

core::Result<TxOutcome> ExecuteClockAdvance(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->is_customs || !actor->Has("CBP_ADMIN")) {
    return NotAuthorized("only a customs administrator advances the ledger clock");
  }
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> current, LedgerClockNow(state));
  if (!current) return TxOutcome{"CLOCK_NOT_LEDGER", "this network runs on validator clocks"};
  auto body = ParseBody(tx.body);
  if (!body) return TxOutcome{body.error().code, body.error().detail};
  auto to = GetInstant(*body, "to");
  if (!to) return TxOutcome{to.error().code, to.error().detail};
  if (*to < *current) {
    return TxOutcome{"CLOCK_BACKWARDS", "the ledger clock is at " + FormatInstant(*current)};
  }
  state.Put(kClockKey, ToStateValue(Json{{"now", *to}}));
  return TxOutcome{};
}

}  // namespace tradeledger::trade
