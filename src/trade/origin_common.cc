#include "trade/origin_common.h"

#include <algorithm>

#include "trade/time_util.h"

namespace tradeledger::trade {

std::string CertStateKey(std::string_view id) { return "cert/" + std::string(id); }
std::string CertClaimsKey(std::string_view id) { return "cert-claims/" + std::string(id); }
std::string EntryStateKey(std::string_view n) { return "entry/" + std::string(n); }
std::string ClaimStateKey(std::string_view id) { return "claim/" + std::string(id); }
std::string CaseStateKey(std::string_view id) { return "case/" + std::string(id); }

core::Result<std::optional<Json>> LoadJson(const StateReader& state, std::string_view key) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(core::AsBytes(key)));
  if (!raw) return std::optional<Json>();
  TL_ASSIGN_OR_RETURN(Json j, FromStateValue(*raw));
  return std::optional<Json>(std::move(j));
}

void PutJson(WorkingState& state, std::string_view key, const Json& value) {
  state.Put(core::AsBytes(key), ToStateValue(value));
}

core::Result<std::vector<std::string>> LoadIdList(const StateReader& state, std::string_view key) {
  TL_ASSIGN_OR_RETURN(std::optional<Json> j, LoadJson(state, key));
  std::vector<std::string> out;
  if (!j) return out;
  if (!j->is_array()) return core::Fail("STATE_CORRUPT", std::string(key));
  for (const Json& v : *j) {
    if (!v.is_string()) return core::Fail("STATE_CORRUPT", std::string(key));
    out.push_back(v.get<std::string>());
  }
  return out;
}

core::Status AppendIdList(WorkingState& state, std::string_view key, std::string_view id) {
  TL_ASSIGN_OR_RETURN(std::vector<std::string> ids, LoadIdList(state, key));
  if (std::find(ids.begin(), ids.end(), id) != ids.end()) return core::Ok();
  ids.emplace_back(id);
  PutJson(state, key, Json(ids));
  return core::Ok();
}

core::Status RemoveFromIdList(WorkingState& state, std::string_view key, std::string_view id) {
  TL_ASSIGN_OR_RETURN(std::vector<std::string> ids, LoadIdList(state, key));
  auto it = std::find(ids.begin(), ids.end(), id);
  if (it == ids.end()) return core::Ok();
  ids.erase(it);
  PutJson(state, key, Json(ids));
  return core::Ok();
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsUpperAlnum(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  });
}

std::optional<std::string> HtsDigits(std::string_view code) {
  std::string out;
  for (char c : code) {
    if (c == '.') continue;
    if (c < '0' || c > '9') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

core::Result<int64_t> ResponseWindowMs(const StateReader& state) {
  TL_ASSIGN_OR_RETURN(std::optional<Json> j, LoadJson(state, kResponseWindowKey));
  if (!j) return 30 * kMsPerDay;
  if (!j->is_number_unsigned() || j->get<uint64_t>() > 3650) {
    return core::Fail("STATE_CORRUPT", "config/origin-response-window-days");
  }
  return static_cast<int64_t>(j->get<uint64_t>()) * kMsPerDay;
}

namespace {

int64_t RetainUntil(int64_t import_date) { return AddMonths(import_date, 12 * kRetentionYears); }

bool Extends(const Json& record, int64_t until) {
  return !record.contains("retainUntil") || record["retainUntil"].get<int64_t>() < until;
}

}  // namespace

bool RetentionExtends(const Json& record, int64_t import_date) {
  return Extends(record, RetainUntil(import_date));
}

void ExtendRetention(Json& record, int64_t import_date) {
  int64_t until = RetainUntil(import_date);
  if (Extends(record, until)) record["retainUntil"] = until;
}

bool RetentionExpired(const Json& record, int64_t now) {
  if (!record.contains("retainUntil")) return false;
  if (record.contains("openCases") && !record["openCases"].empty()) return false;
  return now > record["retainUntil"].get<int64_t>();
}

}  // namespace tradeledger::trade
