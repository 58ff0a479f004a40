// Reading transaction bodies: typed access to JSON fields with reason codes.
//
// Every getter fails with PAYLOAD_INVALID naming the field when it is missing (for required
// fields), of the wrong JSON type, or out of its bounds; domain-specific checks (formats of
// entry numbers, HTS codes, ...) give their own reason codes in the rule modules.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::trade {

using Json = nlohmann::json;

// Parses a body: a JSON object at most kMaxJsonDepth deep (PAYLOAD_INVALID otherwise).
core::Result<Json> ParseBody(core::ByteSpan body);

core::Result<std::string> GetString(const Json& j, const char* field, size_t max_len = 256);
core::Result<std::optional<std::string>> GetOptString(const Json& j, const char* field,
                                                      size_t max_len = 256);
core::Result<uint64_t> GetUint(const Json& j, const char* field);
core::Result<std::optional<uint64_t>> GetOptUint(const Json& j, const char* field);
// A non-negative decimal amount (JSON number); stored as cents.
core::Result<uint64_t> GetCents(const Json& j, const char* field);
core::Result<bool> GetBool(const Json& j, const char* field);
core::Result<std::optional<bool>> GetOptBool(const Json& j, const char* field);
core::Result<std::vector<std::string>> GetStringArray(const Json& j, const char* field,
                                                      size_t max_items = 64, size_t max_len = 256,
                                                      bool required = true);
// "YYYY-MM-DD" as ms since the epoch (DATE_INVALID if not a calendar date).
core::Result<int64_t> GetDate(const Json& j, const char* field);
core::Result<std::optional<int64_t>> GetOptDate(const Json& j, const char* field);
// A date or an RFC 3339 UTC instant.
core::Result<int64_t> GetInstant(const Json& j, const char* field);
core::Result<std::optional<int64_t>> GetOptInstant(const Json& j, const char* field);
core::Result<const Json*> GetObject(const Json& j, const char* field);
core::Result<const Json*> GetArray(const Json& j, const char* field, size_t max_items);

// A JSON value stored in state: its compact serialisation.
core::Bytes ToStateValue(const Json& j);
// Parses a state value written by ToStateValue (STATE_CORRUPT otherwise). Recent parses are
// remembered per thread, keyed by the exact bytes (parsed_value_memo.h): a value read again
// costs a copy of its parse, and the result is the same as parsing.
core::Result<Json> FromStateValue(core::ByteSpan bytes);
// The same parse, shared with the memo instead of copied: for a reader that only looks at the
// value (an organisation or member key turned into its struct, an id list). Never null.
core::Result<std::shared_ptr<const Json>> ReadStateValue(core::ByteSpan bytes);

}  // namespace tradeledger::trade
