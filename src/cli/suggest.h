// "Did you mean" for misspelt commands, as git and kubectl do.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tradeledger::cli {

// The candidate nearest to `typed` by edit distance, if it is at most 2 edits away (or `typed`
// is a prefix of exactly one candidate); nullopt otherwise.
std::optional<std::string> NearestCommand(std::string_view typed,
                                          const std::vector<std::string>& candidates);

}  // namespace tradeledger::cli
