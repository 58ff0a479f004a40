#include "node/json_fields.h"

#include <algorithm>
#include <string>

namespace tradeledger::node {

core::Status OnlyKnownFields(const nlohmann::json& object,
                             std::initializer_list<std::string_view> known, std::string_view where,
                             const char* code) {
  for (const auto& [name, value] : object.items()) {
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    std::string list;
    for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    return core::Fail(code, "unknown field '" + name + "'" +
                                (where.empty() ? "" : " in " + std::string(where)) +
                                " (known: " + list + ")");
  }
  return core::Ok();
}

}  // namespace tradeledger::node
