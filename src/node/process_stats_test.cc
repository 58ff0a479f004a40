#include "node/process_stats.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "core/thread_name.h"
#include "storage/test_temp_dir.h"

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

TEST(ThreadCpu, RolesComeFromTheThreadsNames) {
  EXPECT_EQ(ThreadRole("tl-commit\n"), "commit");
  EXPECT_EQ(ThreadRole("tl-http"), "http");
  EXPECT_EQ(ThreadRole("rocksdb:low\n"), "compaction");
  EXPECT_EQ(ThreadRole("rocksdb:high"), "flush");
  EXPECT_EQ(ThreadRole("rocksdb:dump_st"), "other");
  EXPECT_EQ(ThreadRole("tradeledger\n"), "other");
  EXPECT_EQ(ThreadRole("tl-"), "other");
  EXPECT_EQ(ThreadRole(""), "other");
}

TEST(ThreadCpu, TheNameIsBetweenTheFirstOpeningAndTheLastClosingParenthesis) {
  EXPECT_EQ(ThreadNameInStat(kStat), "tl (x) node");
  EXPECT_EQ(ThreadNameInStat("7 (tl-commit) S 1"), "tl-commit");
  EXPECT_EQ(ThreadNameInStat("7 () S"), "");
  EXPECT_EQ(ThreadNameInStat("7 tl-commit S"), "");
  EXPECT_EQ(ThreadNameInStat("7 )tl-commit( S"), "");
}

// A task directory laid out as /proc/<pid>/task is: one directory per thread with its stat,
// which names the thread. Threads of one role are summed, threads of none left out; an entry
// without a readable stat is skipped.
TEST(ThreadCpu, SumsTheThreadsOfATaskDirectoryByRole) {
  storage::TempDir dir("thread-cpu");
  auto thread = [&](const std::string& tid, const std::string& comm, const std::string& utime) {
    std::filesystem::create_directories(dir.path() / tid);
    std::string stat(kStat);
    stat.replace(stat.find("2113"), 4, utime);
    std::ofstream(dir.path() / tid / "stat")
        << stat.replace(stat.find("(tl (x) node)"), 13, "(" + comm + ")");
  };
  thread("10", "tl-commit", "2113");  // 25 s at 100 ticks a second (387 of system time)
  thread("11", "tl-http", "113");     // 5 s
  thread("12", "tl-http", "13");      // 4 s
  thread("13", "rocksdb:low", "13");  // 4 s
  thread("14", "tradeledger", "13");  // 4 s
  std::filesystem::create_directories(dir.path() / "15");  // exited: nothing to read
  std::ofstream(dir.path() / "15" / "comm") << "tl-commit\n";

  std::map<std::string, double> cpu = ReadThreadCpu(dir.path());
  const double tick = 1.0 / static_cast<double>(sysconf(_SC_CLK_TCK));
  ASSERT_EQ(cpu.size(), 3u);
  EXPECT_NEAR(cpu["commit"], 2500 * tick, 1e-9);
  EXPECT_NEAR(cpu["http"], (500 + 400) * tick, 1e-9);
  EXPECT_NEAR(cpu["compaction"], 400 * tick, 1e-9);
  EXPECT_TRUE(ReadThreadCpu(dir.path() / "missing").empty());
}

// This process: a thread that names itself is found under its role, and its time grows as
// it works.
TEST(ThreadCpu, ANamedThreadOfThisProcessIsCountedUnderItsRole) {
  std::map<std::string, double> start, end;
  std::thread worker([&] {
    core::NameThisThread("commit");
    start = ReadThreadCpu();
    volatile uint64_t sink = 0;
    end = start;
    for (int round = 0; round < 1000 && end["commit"] <= start["commit"]; ++round) {
      for (uint64_t i = 0; i < 2'000'000; ++i) sink = sink + i * i;
      end = ReadThreadCpu();
    }
  });
  worker.join();
  ASSERT_TRUE(start.contains("commit")) << "the named thread was not found";
  EXPECT_GT(end["commit"], start["commit"]);
  EXPECT_FALSE(end.contains("other"));  // this test's main thread has no role
}

}  // namespace
}  // namespace tradeledger::node
