// What the kernel reports of this process: CPU time, resident memory and minor page faults,
// from /proc/self/stat (proc(5)), and CPU time by thread role from /proc/self/task. GET /metrics
// exports them (node/metrics.h), so that a benchmark can charge each committed transaction with the
// CPU the nodes spent on it.
//
// Thread safety: the functions hold no state.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
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

// The role of a thread by the name it gave itself: the node's own threads are named
// "tl-<role>" by core::NameThisThread (consensus, commit, http, p2p), and RocksDB names its
// compaction threads "rocksdb:low" and its flush threads "rocksdb:high". Every other name
// (the main thread's, RocksDB's statistics dumper, a library's) is "other".
std::string ThreadRole(std::string_view comm);

// The thread's name in the text of /proc/<pid>/task/<tid>/stat: what lies between the first
// '(' and the last ')'; empty if there is no such pair.
std::string_view ThreadNameInStat(std::string_view stat);
// User and system CPU seconds of the live threads under `tasks` (a /proc/<pid>/task
// directory; one read of each entry's stat) with a named role, summed by ThreadRole; threads
// of role "other" are left out, as is the time of threads that have exited: both are only in
// ProcessStats::cpu_seconds, from which the node's metric derives "other" (node/metrics.h).
// Empty where the directory cannot be read; a thread that exits while it is read is skipped.
std::map<std::string, double> ReadThreadCpu(const std::filesystem::path& tasks = "/proc/self/task");

}  // namespace tradeledger::node
