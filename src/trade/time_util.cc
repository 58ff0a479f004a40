#include "trade/time_util.h"

#include <cstdio>

namespace tradeledger::trade {
namespace {

bool Digits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

int Num(std::string_view s, size_t pos, size_t n) {
  int v = 0;
  for (size_t i = pos; i < pos + n; ++i) v = v * 10 + (s[i] - '0');
  return v;
}

unsigned DaysInMonth(int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, unsigned* m, unsigned* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = static_cast<int64_t>(yoe) + era * 400 + (*m <= 2);
}

core::Result<int64_t> ParseDate(std::string_view s) {
  if (s.size() != 10 || !Digits(s, 0, 4) || s[4] != '-' || !Digits(s, 5, 2) || s[7] != '-' ||
      !Digits(s, 8, 2)) {
    return core::Fail("DATE_INVALID", "expected YYYY-MM-DD, got '" + std::string(s) + "'");
  }
  int y = Num(s, 0, 4);
  unsigned m = static_cast<unsigned>(Num(s, 5, 2));
  unsigned d = static_cast<unsigned>(Num(s, 8, 2));
  if (m < 1 || m > 12 || d < 1 || d > DaysInMonth(y, m)) {
    return core::Fail("DATE_INVALID", "no such date '" + std::string(s) + "'");
  }
  return DaysFromCivil(y, m, d) * kMsPerDay;
}

core::Result<int64_t> ParseInstant(std::string_view s) {
  if (s.size() == 10) return ParseDate(s);
  TL_ASSIGN_OR_RETURN(int64_t day, ParseDate(s.substr(0, std::min<size_t>(10, s.size()))));
  // YYYY-MM-DDTHH:MM:SS[.sss]Z
  if (s.size() < 20 || s[10] != 'T' || !Digits(s, 11, 2) || s[13] != ':' || !Digits(s, 14, 2) ||
      s[16] != ':' || !Digits(s, 17, 2) || s.back() != 'Z') {
    return core::Fail("DATE_INVALID",
                      "expected YYYY-MM-DDTHH:MM:SSZ, got '" + std::string(s) + "'");
  }
  int h = Num(s, 11, 2), mi = Num(s, 14, 2), sec = Num(s, 17, 2);
  int ms = 0;
  if (s.size() == 24 && s[19] == '.' && Digits(s, 20, 3)) {
    ms = Num(s, 20, 3);
  } else if (s.size() != 20) {
    return core::Fail("DATE_INVALID", "unexpected characters in '" + std::string(s) + "'");
  }
  if (h > 23 || mi > 59 || sec > 59) {
    return core::Fail("DATE_INVALID", "no such time '" + std::string(s) + "'");
  }
  return day + ((h * 60 + mi) * 60 + sec) * 1000LL + ms;
}

std::string FormatDate(int64_t ms) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(FloorDiv(ms, kMsPerDay), &y, &m, &d);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::string FormatInstant(int64_t ms) {
  int64_t day = FloorDiv(ms, kMsPerDay);
  int64_t rest = ms - day * kMsPerDay;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%sT%02lld:%02lld:%02lldZ", FormatDate(ms).c_str(),
                static_cast<long long>(rest / 3'600'000),
                static_cast<long long>(rest / 60'000 % 60),
                static_cast<long long>(rest / 1000 % 60));
  return buf;
}

int64_t AddMonths(int64_t ms, int months) {
  int64_t day = FloorDiv(ms, kMsPerDay);
  int64_t rest = ms - day * kMsPerDay;
  int64_t y;
  unsigned m, d;
  CivilFromDays(day, &y, &m, &d);
  int64_t total = y * 12 + (m - 1) + months;
  int64_t ny = FloorDiv(total, 12);
  unsigned nm = static_cast<unsigned>(total - ny * 12) + 1;
  unsigned nd = std::min(d, DaysInMonth(ny, nm));
  return DaysFromCivil(ny, nm, nd) * kMsPerDay + rest;
}

bool IsBusinessDay(int64_t day, const std::set<int64_t>& holidays) {
  // 1970-01-01 was a Thursday (weekday 4, with Sunday = 0).
  int64_t weekday = ((day % 7) + 7 + 4) % 7;
  return weekday != 0 && weekday != 6 && !holidays.contains(day);
}

int64_t AddBusinessDays(int64_t ms, int n, const std::set<int64_t>& holidays) {
  int64_t day = FloorDiv(ms, kMsPerDay);
  int64_t rest = ms - day * kMsPerDay;
  while (n > 0) {
    ++day;
    if (IsBusinessDay(day, holidays)) --n;
  }
  return day * kMsPerDay + rest;
}

}  // namespace tradeledger::trade
