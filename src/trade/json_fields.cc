#include "trade/json_fields.h"

#include <cmath>

#include "trade/json_limits.h"
#include "trade/parsed_value_memo.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

std::unexpected<core::Error> Invalid(const char* field, const std::string& why) {
  return core::Fail("PAYLOAD_INVALID", std::string("'") + field + "' " + why);
}

}  // namespace

core::Result<Json> ParseBody(core::ByteSpan body) {
  std::string_view text = core::AsStringView(body);
  if (!JsonDepthWithin(text, kMaxJsonDepth)) {
    return core::Fail("PAYLOAD_INVALID", "JSON nested too deeply");
  }
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return core::Fail("PAYLOAD_INVALID", "body must be a JSON object");
  }
  return j;
}

core::Result<std::optional<std::string>> GetOptString(const Json& j, const char* field,
                                                      size_t max_len) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::optional<std::string>();
  if (!it->is_string()) return Invalid(field, "must be a string");
  const std::string& s = it->get_ref<const std::string&>();
  if (s.size() > max_len) return Invalid(field, "is longer than " + std::to_string(max_len));
  return std::optional<std::string>(s);
}

core::Result<std::string> GetString(const Json& j, const char* field, size_t max_len) {
  TL_ASSIGN_OR_RETURN(std::optional<std::string> s, GetOptString(j, field, max_len));
  if (!s || s->empty()) return Invalid(field, "is required");
  return *s;
}

core::Result<std::optional<uint64_t>> GetOptUint(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::optional<uint64_t>();
  if (!it->is_number_unsigned()) return Invalid(field, "must be a non-negative integer");
  return std::optional<uint64_t>(it->get<uint64_t>());
}

core::Result<uint64_t> GetUint(const Json& j, const char* field) {
  TL_ASSIGN_OR_RETURN(std::optional<uint64_t> v, GetOptUint(j, field));
  if (!v) return Invalid(field, "is required");
  return *v;
}

core::Result<uint64_t> GetCents(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_number()) return Invalid(field, "must be a number");
  double v = it->get<double>();
  if (!(v >= 0) || v > 1e13) return Invalid(field, "is out of range");
  return static_cast<uint64_t>(std::llround(v * 100));
}

core::Result<std::optional<bool>> GetOptBool(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) return std::optional<bool>();
  if (!it->is_boolean()) return Invalid(field, "must be true or false");
  return std::optional<bool>(it->get<bool>());
}

core::Result<bool> GetBool(const Json& j, const char* field) {
  TL_ASSIGN_OR_RETURN(std::optional<bool> v, GetOptBool(j, field));
  if (!v) return Invalid(field, "is required");
  return *v;
}

core::Result<std::vector<std::string>> GetStringArray(const Json& j, const char* field,
                                                      size_t max_items, size_t max_len,
                                                      bool required) {
  auto it = j.find(field);
  if (it == j.end() || it->is_null()) {
    if (required) return Invalid(field, "is required");
    return std::vector<std::string>();
  }
  if (!it->is_array() || it->size() > max_items) {
    return Invalid(field, "must be an array of at most " + std::to_string(max_items) + " strings");
  }
  std::vector<std::string> out;
  for (const Json& v : *it) {
    if (!v.is_string() || v.get_ref<const std::string&>().size() > max_len) {
      return Invalid(field, "must hold strings of at most " + std::to_string(max_len));
    }
    out.push_back(v.get<std::string>());
  }
  return out;
}

core::Result<std::optional<int64_t>> GetOptDate(const Json& j, const char* field) {
  TL_ASSIGN_OR_RETURN(std::optional<std::string> s, GetOptString(j, field, 10));
  if (!s) return std::optional<int64_t>();
  TL_ASSIGN_OR_RETURN(int64_t v, ParseDate(*s));
  return std::optional<int64_t>(v);
}

core::Result<int64_t> GetDate(const Json& j, const char* field) {
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> v, GetOptDate(j, field));
  if (!v) return Invalid(field, "is required");
  return *v;
}

core::Result<std::optional<int64_t>> GetOptInstant(const Json& j, const char* field) {
  TL_ASSIGN_OR_RETURN(std::optional<std::string> s, GetOptString(j, field, 32));
  if (!s) return std::optional<int64_t>();
  TL_ASSIGN_OR_RETURN(int64_t v, ParseInstant(*s));
  return std::optional<int64_t>(v);
}

core::Result<int64_t> GetInstant(const Json& j, const char* field) {
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> v, GetOptInstant(j, field));
  if (!v) return Invalid(field, "is required");
  return *v;
}

core::Result<const Json*> GetObject(const Json& j, const char* field) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_object()) return Invalid(field, "must be an object");
  return &*it;
}

core::Result<const Json*> GetArray(const Json& j, const char* field, size_t max_items) {
  auto it = j.find(field);
  if (it == j.end() || !it->is_array()) return Invalid(field, "must be an array");
  if (it->size() > max_items) {
    return Invalid(field, "has more than " + std::to_string(max_items) + " items");
  }
  return &*it;
}

core::Bytes ToStateValue(const Json& j) { return core::ToBytes(j.dump()); }

core::Result<std::shared_ptr<const Json>> ReadStateValue(core::ByteSpan bytes) {
  thread_local ParsedValueMemo memo;
  std::shared_ptr<const Json> j = memo.Share(core::AsStringView(bytes));
  if (j == nullptr) return core::Fail("STATE_CORRUPT", "state value is not JSON");
  return j;
}

core::Result<Json> FromStateValue(core::ByteSpan bytes) {
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> j, ReadStateValue(bytes));
  return Json(*j);
}

}  // namespace tradeledger::trade
