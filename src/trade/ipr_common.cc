#include "trade/ipr_common.h"

#include <algorithm>

namespace tradeledger::trade {
namespace {

std::unexpected<core::Error> Corrupt(const char* field) {
  return core::Fail("STATE_CORRUPT", std::string("IPR record field '") + field + "'");
}

}  // namespace

core::Result<std::string> RecordString(const Json& j, const char* field) {
  if (!j.is_object()) return Corrupt(field);
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) return Corrupt(field);
  return it->get<std::string>();
}

core::Result<std::optional<int64_t>> RecordOptInt(const Json& j, const char* field) {
  if (!j.is_object()) return Corrupt(field);
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::optional<int64_t>();
  if (!it->is_number_integer()) return Corrupt(field);
  return std::optional<int64_t>(it->get<int64_t>());
}

core::Result<int64_t> RecordInt(const Json& j, const char* field) {
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> v, RecordOptInt(j, field));
  return v.value_or(0);
}

core::Result<std::vector<std::string>> RecordStrings(const Json& j, const char* field) {
  if (!j.is_object()) return Corrupt(field);
  std::vector<std::string> out;
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return out;
  if (!it->is_array()) return Corrupt(field);
  for (const Json& v : *it) {
    if (!v.is_string()) return Corrupt(field);
    out.push_back(v.get<std::string>());
  }
  return out;
}

bool IsIprId(std::string_view id) {
  if (id.empty() || id.size() > 128) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == ':' || c == '-';
  });
}

bool NormalizeHtsPrefix(std::string_view text, std::string* out) {
  out->clear();
  for (char c : text) {
    if (c == '.') continue;
    if (c < '0' || c > '9') return false;
    out->push_back(c);
  }
  return out->size() >= 2 && out->size() <= 10;
}

bool IsCustomsOfficer(const Actor& actor) {
  return actor.is_customs && (actor.Has("CBP_OFFICER") || actor.Has("CBP_ADMIN"));
}

}  // namespace tradeledger::trade
