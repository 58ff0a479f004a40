// What the kernel reports of this process: CPU time, resident memory and minor page faults,
// from /proc/self/stat (proc(5)). GET /metrics exports them (node/metrics.h), so that a
// benchmark can charge each committed transaction with the CPU the nodes spent on it.
//
// Thread safety: the functions hold no state.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace tradeledger::node {

struct ProcessStats {
  double cpu_seconds = 0;       // user + system time of every thread so far
  uint64_t resident_bytes = 0;  // resident set size now
  uint64_t minor_faults = 0;    // page faults served without I/O so far
};

// This process's figures; nullopt where /proc is not mounted or its line does not parse.
std::optional<ProcessStats> ReadProcessStats();

// Parses the text of /proc/<pid>/stat: "pid (comm) state ppid ..." where comm may hold spaces
// and parentheses, so the fields are counted from the last ')'. `ticks_per_second` converts
// utime and stime (fields 14 and 15), `page_bytes` rss (field 24); minflt is field 10.
// nullopt unless every one of those fields is an unsigned decimal number and both factors
// are positive.
std::optional<ProcessStats> ParseProcessStat(std::string_view stat, long ticks_per_second,
                                             long page_bytes);

}  // namespace tradeledger::node
