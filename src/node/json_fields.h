// The node's file formats (config.json, the genesis, the validators file, the sign-offs) refuse
// fields they do not name: a misspelt optional field would otherwise be ignored and its default
// used without a word (`"http": {"prot": 7711}` serving on another port, `"mempol"` keeping the
// default limits). Each format lists its fields where it is parsed.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>

#include "core/result.h"

namespace tradeledger::node {

// Fails with `code` naming the first field of `object` that is not in `known`, where it was
// (`where`, e.g. "http" or "a peer"; empty at the top level) and the fields that are known.
// `object` must be a JSON object.
core::Status OnlyKnownFields(const nlohmann::json& object,
                             std::initializer_list<std::string_view> known, std::string_view where,
                             const char* code);

}  // namespace tradeledger::node
