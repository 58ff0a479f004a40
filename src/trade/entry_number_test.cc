#include "trade/entry_number.h"

#include <gtest/gtest.h>

namespace tradeledger::trade {
namespace {

TEST(EntryNumber, MadeNumbersParseWithAndWithoutDashes) {
  std::string n = MakeEntryNumber("ABC", "1234567");
  ASSERT_EQ(n.size(), 13u);
  auto parsed = ParseEntryNumber(n);
  ASSERT_TRUE(parsed) << parsed.error().ToString();
  EXPECT_EQ(parsed->Canonical(), n);
  std::string compact = n.substr(0, 3) + n.substr(4, 7) + n.substr(12, 1);
  auto again = ParseEntryNumber(compact);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->Canonical(), n);
}

TEST(EntryNumber, EveryFilerCodeShapeIsAccepted) {
  for (const char* filer : {"123", "A23", "AB3", "ABC", "A2C", "1B3", "12C", "1BC"}) {
    EXPECT_TRUE(ParseEntryNumber(MakeEntryNumber(filer, "0000042"))) << filer;
  }
}

TEST(EntryNumber, RejectsWrongCheckDigitAndShapes) {
  std::string n = MakeEntryNumber("ABC", "1234567");
  std::string wrong = n;
  wrong.back() = static_cast<char>('0' + (n.back() - '0' + 1) % 10);
  EXPECT_EQ(ParseEntryNumber(wrong).error().code, "ENTRY_NUMBER_INVALID");
  for (const char* bad : {"", "AB-1234567-1", "abc-1234567-1", "ABC-123456-1", "ABC-12345678-1",
                          "AB$-1234567-1", "ABC-1234567-X", "ABC-1234567-12"}) {
    EXPECT_FALSE(ParseEntryNumber(bad)) << bad;
  }
}

TEST(EntryNumber, LuhnCatchesSingleDigitErrorsAndAdjacentSwaps) {
  const LuhnEntryCheckDigit luhn;
  // Known Luhn vector: payload 7992739871 has check digit 3.
  EXPECT_EQ(luhn.Compute("799", "2739871"), '3');
  EXPECT_NE(luhn.Compute("ABC", "1234567"), luhn.Compute("ABC", "1234568"));
  EXPECT_NE(luhn.Compute("ABC", "1234567"), luhn.Compute("ABC", "1234576"));
}

}  // namespace
}  // namespace tradeledger::trade
