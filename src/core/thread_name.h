// Names for the threads a program starts, so that tools (top -H, perf, /proc/<pid>/task/*/comm)
// and the node's per-thread CPU metric (node/process_stats.h) can tell them apart.
#pragma once

#include <string_view>

namespace tradeledger::core {

// What every name NameThisThread gives starts with.
inline constexpr std::string_view kThreadNamePrefix = "tl-";

// Names the calling thread "tl-<role>" (the node: tl-consensus, tl-commit, tl-http, tl-p2p).
// Linux keeps 15 characters, so a role is cut to its first 12. Never fails.
void NameThisThread(std::string_view role);

}  // namespace tradeledger::core
