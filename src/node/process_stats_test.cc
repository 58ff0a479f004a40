#include "node/process_stats.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tradeledger::node {
namespace {

// A real line of /proc/<pid>/stat, its command name holding a space and parentheses.
constexpr std::string_view kStat =
    "4154 (tl (x) node) S 1 4150 4150 0 -1 4194624 137771 0 0 0 2113 387 0 0 20 0 41 0 "
    "1520 2741956608 134217 18446744073709551615 1 1 0 0 0 0 0 4096 17926 0 0 0 17 1 0 0 0 0 "
    "0\n";

TEST(ProcessStats, ReadsCpuResidentMemoryAndMinorFaultsFromTheStatLine) {
  auto stats = ParseProcessStat(kStat, 100, 4096);
  ASSERT_TRUE(stats.has_value());
  EXPECT_DOUBLE_EQ(stats->cpu_seconds, 25.0);  // (2113 + 387) ticks at 100 a second
  EXPECT_EQ(stats->resident_bytes, 134217u * 4096u);
  EXPECT_EQ(stats->minor_faults, 137771u);
}

TEST(ProcessStats, RefusesALineItCannotReadWhole) {
  const std::string stat(kStat);
  const std::vector<std::string> bad = {
      "",
      "4154 tl S 1",                                            // no command name
      stat.substr(0, stat.find(" 134217")),                     // cut before rss
      std::string(stat).replace(stat.find("2113"), 4, "-113"),  // a negative utime
      std::string(stat).replace(stat.find("137771"), 6, "13x771"),
  };
  for (const std::string& line : bad) {
    EXPECT_FALSE(ParseProcessStat(line, 100, 4096).has_value()) << line;
  }
  EXPECT_FALSE(ParseProcessStat(kStat, 0, 4096).has_value());
  EXPECT_FALSE(ParseProcessStat(kStat, 100, 0).has_value());
}

TEST(ProcessStats, ThisProcessHasSpentTimeAndHoldsMemory) {
  auto before = ReadProcessStats();
  ASSERT_TRUE(before.has_value()) << "/proc/self/stat unreadable";
  EXPECT_GT(before->resident_bytes, 0u);
  EXPECT_GT(before->minor_faults, 0u);
  // Burn about 50 ms of CPU (at least a few clock ticks), then look again.
  volatile uint64_t sink = 0;
  auto later = before;
  for (int round = 0; round < 1000 && later->cpu_seconds <= before->cpu_seconds; ++round) {
    for (uint64_t i = 0; i < 2'000'000; ++i) sink = sink + i * i;
    later = ReadProcessStats();
    ASSERT_TRUE(later.has_value());
  }
  EXPECT_GT(later->cpu_seconds, before->cpu_seconds);
  EXPECT_GE(later->minor_faults, before->minor_faults);
}

}  // namespace
}  // namespace tradeledger::node
