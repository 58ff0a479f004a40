#include "trade/parsed_value_memo.h"

#include <gtest/gtest.h>

#include <string>

namespace tradeledger::trade {
namespace {

TEST(ParsedValueMemo, ReturnsTheRememberedParseOfTheSameBytesOnly) {
  ParsedValueMemo memo;
  const std::string text = R"({"certId":"C1","goods":[1,2]})";
  EXPECT_EQ(memo.Find(text), nullptr);
  memo.Remember(text, Json::parse(text));
  const Json* found = memo.Find(std::string(text));  // equal bytes, another buffer
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(*found, Json::parse(text));
  // One byte more or less, or another value in its place, is not a hit.
  EXPECT_EQ(memo.Find(R"({"certId":"C1","goods":[1,2]} )"), nullptr);
  EXPECT_EQ(memo.Find(R"({"certId":"C1","goods":[1,3]})"), nullptr);
  EXPECT_EQ(memo.hits(), 1u);
  EXPECT_EQ(memo.misses(), 3u);
}

TEST(ParsedValueMemo, ANewValueInTheSameSlotEvictsTheOld) {
  ParsedValueMemo memo(/*slots=*/1);
  memo.Remember("1", Json(1));
  memo.Remember("2", Json(2));
  EXPECT_EQ(memo.Find("1"), nullptr);
  ASSERT_NE(memo.Find("2"), nullptr);
  EXPECT_EQ(*memo.Find("2"), Json(2));
}

TEST(ParsedValueMemo, DoesNotRememberValuesOverItsSizeLimit) {
  ParsedValueMemo memo(/*slots=*/4, /*max_bytes=*/8);
  memo.Remember("\"12345678\"", Json("12345678"));  // 10 bytes
  EXPECT_EQ(memo.Find("\"12345678\""), nullptr);
  memo.Remember("\"123456\"", Json("123456"));  // 8 bytes
  EXPECT_NE(memo.Find("\"123456\""), nullptr);
}

// FromStateValue through its per-thread memo gives what parsing gives, for more values than
// the memo has slots (so many collide and evict), read twice each, interleaved with values
// that are not JSON.
TEST(ParsedValueMemo, FromStateValueAgreesWithParsingUnderChurn) {
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 3 * static_cast<int>(ParsedValueMemo::kDefaultSlots); ++i) {
      std::string text = R"({"n":)" + std::to_string(i) + R"(,"s":"v)" + std::to_string(i) + "\"}";
      auto parsed = FromStateValue(core::AsBytes(text));
      ASSERT_TRUE(parsed) << text;
      EXPECT_EQ(*parsed, Json::parse(text)) << text;
      auto bad = FromStateValue(core::AsBytes(text.substr(0, text.size() - 1)));
      ASSERT_FALSE(bad);
      EXPECT_EQ(bad.error().code, "STATE_CORRUPT");
    }
  }
}

}  // namespace
}  // namespace tradeledger::trade
