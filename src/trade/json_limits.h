// Limits applied to JSON bodies before they are parsed, so that hostile input cannot exhaust
// the stack of a recursive walk or printer.
#pragma once

#include <string_view>

namespace tradeledger::trade {

inline constexpr int kMaxJsonDepth = 16;

// True if arrays and objects in `text` nest at most `max_depth` deep (strings are skipped,
// escapes honoured). Does not validate the JSON otherwise.
bool JsonDepthWithin(std::string_view text, int max_depth);

}  // namespace tradeledger::trade
