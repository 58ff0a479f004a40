#include "trade/holiday_calendar.h"

#include <set>

#include "trade/json_fields.h"
#include "trade/participants.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

const core::Bytes kHolidaysKey = core::ToBytes("config/holidays");
const core::Bytes kHolidaysUntilKey = core::ToBytes("config/holidays-until");
constexpr size_t kMaxAmendDates = 400;

int64_t EndOfYear(int64_t day) {
  int64_t y = 0;
  unsigned m = 0, d = 0;
  CivilFromDays(day, &y, &m, &d);
  return DaysFromCivil(y, 12, 31);
}

core::Result<std::optional<std::vector<std::string>>> OptDates(const Json& body,
                                                               const char* field) {
  if (!body.contains(field)) return std::optional<std::vector<std::string>>();
  TL_ASSIGN_OR_RETURN(auto dates, GetStringArray(body, field, kMaxAmendDates, 10));
  return std::optional(std::move(dates));
}

}  // namespace

core::Result<std::optional<int64_t>> CalendarEnd(const StateReader& state) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(kHolidaysUntilKey));
  if (!raw) return std::optional<int64_t>();
  TL_ASSIGN_OR_RETURN(Json j, FromStateValue(*raw));
  if (!j.is_number_integer()) return core::Fail("STATE_CORRUPT", "holidays-until");
  return std::optional<int64_t>(j.get<int64_t>());
}

core::Status ApplyCalendarGenesis(const Json& genesis, WorkingState& state) {
  if (genesis.contains("holidays_until")) {
    auto until = GetDate(genesis, "holidays_until");
    if (!until) return core::Fail("GENESIS_INVALID", "holidays_until must be a YYYY-MM-DD date");
    state.Put(kHolidaysUntilKey, ToStateValue(Json(*until / kMsPerDay)));
    return core::Ok();
  }
  TL_ASSIGN_OR_RETURN(std::set<int64_t> holidays, Holidays(state));
  if (!holidays.empty()) {
    state.Put(kHolidaysUntilKey, ToStateValue(Json(EndOfYear(*holidays.rbegin()))));
  }
  return core::Ok();
}

core::Result<std::optional<TxOutcome>> CheckCovered(const StateReader& state, int64_t due_day) {
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> end, CalendarEnd(state));
  if (!end || due_day <= *end) return std::optional<TxOutcome>();
  return std::optional(
      TxOutcome{"CALENDAR_NOT_COVERED", "the deadline (" + FormatDate(due_day * kMsPerDay) +
                                            ") falls after the holiday calendar's end (" +
                                            FormatDate(*end * kMsPerDay) +
                                            "); customs extends the calendar with calendar.amend"});
}

core::Result<TxOutcome> ExecuteCalendarAmend(WorkingState& state, const TxContext& tx) {
  const int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->is_customs || !actor->Has("CBP_ADMIN")) {
    return NotAuthorized("only a customs administrator amends the holiday calendar");
  }
  auto body = ParseBody(tx.body);
  if (!body) return TxOutcome{body.error().code, body.error().detail};
  auto until = GetDate(*body, "coversUntil");
  if (!until) return TxOutcome{until.error().code, until.error().detail};
  const int64_t until_day = *until / kMsPerDay;
  if (until_day < now / kMsPerDay) {
    return TxOutcome{"CALENDAR_INVALID", "coversUntil is before today (" + FormatDate(now) + ")"};
  }
  auto add = OptDates(*body, "add");
  if (!add) return TxOutcome{add.error().code, add.error().detail};
  auto remove = OptDates(*body, "remove");
  if (!remove) return TxOutcome{remove.error().code, remove.error().detail};
  TL_ASSIGN_OR_RETURN(std::set<int64_t> holidays, Holidays(state));
  for (const auto& d : remove->value_or(std::vector<std::string>{})) {
    auto ms = ParseDate(d);
    if (!ms) return TxOutcome{"DATE_INVALID", "remove: " + d + " is not a YYYY-MM-DD date"};
    holidays.erase(*ms / kMsPerDay);
  }
  for (const auto& d : add->value_or(std::vector<std::string>{})) {
    auto ms = ParseDate(d);
    if (!ms) return TxOutcome{"DATE_INVALID", "add: " + d + " is not a YYYY-MM-DD date"};
    if (*ms / kMsPerDay > until_day) {
      return TxOutcome{"CALENDAR_INVALID", "add: " + d + " is after coversUntil"};
    }
    holidays.insert(*ms / kMsPerDay);
  }
  state.Put(kHolidaysKey,
            ToStateValue(Json(std::vector<int64_t>(holidays.begin(), holidays.end()))));
  state.Put(kHolidaysUntilKey, ToStateValue(Json(until_day)));
  return TxOutcome{};
}

}  // namespace tradeledger::trade
