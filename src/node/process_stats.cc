#include "node/process_stats.h"

#include <unistd.h>

#include <charconv>
#include <string>

#include "core/thread_name.h"
#include "node/genesis.h"

namespace tradeledger::node {

std::optional<ProcessStats> ParseProcessStat(std::string_view stat, long ticks_per_second,
                                             long page_bytes) {
  if (ticks_per_second <= 0 || page_bytes <= 0) return std::nullopt;
  size_t close = stat.rfind(')');
  if (close == std::string_view::npos) return std::nullopt;
  // Fields from 3 (state) on, each after one space.
  std::string_view rest = stat.substr(close + 1);
  uint64_t minflt = 0, utime = 0, stime = 0, rss = 0;
  for (int field = 3; field <= 24; ++field) {
    if (rest.empty() || rest.front() != ' ') return std::nullopt;
    rest.remove_prefix(1);
    size_t end = rest.find_first_of(" \n");
    std::string_view value = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end);
    uint64_t* out = field == 10   ? &minflt
                    : field == 14 ? &utime
                    : field == 15 ? &stime
                    : field == 24 ? &rss
                                  : nullptr;
    if (out == nullptr) continue;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), *out);
    if (value.empty() || ec != std::errc() || ptr != value.data() + value.size()) {
      return std::nullopt;
    }
  }
  return ProcessStats{
      .cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(ticks_per_second),
      .resident_bytes = rss * static_cast<uint64_t>(page_bytes),
      .minor_faults = minflt};
}

std::optional<ProcessStats> ReadProcessStats() {
  core::Result<std::string> stat = ReadFile("/proc/self/stat");
  if (!stat) return std::nullopt;
  return ParseProcessStat(*stat, sysconf(_SC_CLK_TCK), sysconf(_SC_PAGESIZE));
}

std::string_view ThreadNameInStat(std::string_view stat) {
  size_t open = stat.find('(');
  size_t close = stat.rfind(')');
  if (open == std::string_view::npos || close == std::string_view::npos || close < open) return {};
  return stat.substr(open + 1, close - open - 1);
}

std::string ThreadRole(std::string_view comm) {
  while (!comm.empty() && (comm.back() == '\n' || comm.back() == ' ')) comm.remove_suffix(1);
  const std::string_view prefix = core::kThreadNamePrefix;
  if (comm.starts_with(prefix) && comm.size() > prefix.size()) {
    return std::string(comm.substr(prefix.size()));
  }
  if (comm == "rocksdb:low") return "compaction";
  if (comm == "rocksdb:high") return "flush";
  return "other";
}

std::map<std::string, double> ReadThreadCpu(const std::filesystem::path& tasks) {
  std::map<std::string, double> out;
  std::error_code ec;
  std::filesystem::directory_iterator it(tasks, ec);
  const long ticks = sysconf(_SC_CLK_TCK);
  const long page = sysconf(_SC_PAGESIZE);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    core::Result<std::string> stat = ReadFile((it->path() / "stat").string());
    if (!stat) continue;  // exited meanwhile
    std::string role = ThreadRole(ThreadNameInStat(*stat));
    if (role == "other") continue;  // the caller derives it from the process's time
    std::optional<ProcessStats> figures = ParseProcessStat(*stat, ticks, page);
    if (!figures) continue;
    out[role] += figures->cpu_seconds;
  }
  return out;
}

}  // namespace tradeledger::node
