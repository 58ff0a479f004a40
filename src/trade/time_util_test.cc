#include "trade/time_util.h"

#include <gtest/gtest.h>

namespace tradeledger::trade {
namespace {

TEST(TimeUtil, ParsesAndFormatsDatesAndInstants) {
  EXPECT_EQ(*ParseDate("1970-01-02"), kMsPerDay);
  EXPECT_EQ(FormatDate(*ParseDate("2024-02-29")), "2024-02-29");
  EXPECT_EQ(*ParseInstant("2025-03-10T12:30:15Z") - *ParseDate("2025-03-10"),
            (12 * 3600 + 30 * 60 + 15) * 1000);
  EXPECT_EQ(FormatInstant(*ParseInstant("2025-03-10T12:30:15Z")), "2025-03-10T12:30:15Z");
  EXPECT_EQ(*ParseInstant("2025-03-10T00:00:00.250Z") - *ParseDate("2025-03-10"), 250);
}

TEST(TimeUtil, RejectsImpossibleDates) {
  EXPECT_EQ(ParseDate("2025-02-29").error().code, "DATE_INVALID");
  EXPECT_FALSE(ParseDate("2025-13-01"));
  EXPECT_FALSE(ParseDate("2025-1-01"));
  EXPECT_FALSE(ParseInstant("2025-03-10T25:00:00Z"));
  EXPECT_FALSE(ParseInstant("2025-03-10T10:00:00+01:00"));
}

TEST(TimeUtil, AddMonthsClampsToMonthEnd) {
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2025-01-31"), 1)), "2025-02-28");
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2025-01-01"), 12)), "2026-01-01");
  EXPECT_EQ(FormatDate(AddMonths(*ParseDate("2025-03-15"), -3)), "2024-12-15");
}

TEST(TimeUtil, BusinessDaysSkipWeekendsAndHolidays) {
  std::set<int64_t> holidays = {*ParseDate("2025-07-04") / kMsPerDay};
  // Wednesday 2025-07-02 + 5 business days: Thu 3, (Fri 4 holiday), Mon 7, Tue 8, Wed 9, Thu 10.
  EXPECT_EQ(FormatDate(AddBusinessDays(*ParseDate("2025-07-02"), 5, holidays)), "2025-07-10");
  EXPECT_FALSE(IsBusinessDay(*ParseDate("2025-07-05") / kMsPerDay, holidays));  // Saturday
  EXPECT_TRUE(IsBusinessDay(*ParseDate("2025-07-07") / kMsPerDay, holidays));   // Monday
}

}  // namespace
}  // namespace tradeledger::trade
