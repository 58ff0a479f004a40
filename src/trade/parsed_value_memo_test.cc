#include "trade/parsed_value_memo.h"

#include <gtest/gtest.h>

#include <string>

namespace tradeledger::trade {
namespace {

TEST(ParsedValueMemo, ReturnsTheRememberedParseOfTheSameBytesOnly) {
  ParsedValueMemo memo;
  const std::string text = R"({"certId":"C1","goods":[1,2]})";
  EXPECT_EQ(memo.Parse(text), Json::parse(text));               // a miss, remembered
  EXPECT_EQ(memo.Parse(std::string(text)), Json::parse(text));  // equal bytes, another buffer
  EXPECT_EQ(memo.hits(), 1u);
  // One byte more, or another value in its place, is parsed afresh.
  const std::string spaced = R"({"certId":"C1","goods":[1,2]} )";
  const std::string other = R"({"certId":"C1","goods":[1,3]})";
  EXPECT_EQ(memo.Parse(spaced), Json::parse(spaced));
  EXPECT_EQ(memo.Parse(other), Json::parse(other));
  EXPECT_EQ(memo.hits(), 1u);
  EXPECT_EQ(memo.misses(), 3u);
}

TEST(ParsedValueMemo, ANewValueInTheSameSlotEvictsTheOld) {
  ParsedValueMemo memo(/*slots=*/1);
  EXPECT_EQ(memo.Parse("1"), Json(1));
  EXPECT_EQ(memo.Parse("2"), Json(2));
  EXPECT_EQ(memo.Parse("1"), Json(1));  // evicted by "2": parsed again
  EXPECT_EQ(memo.Parse("1"), Json(1));
  EXPECT_EQ(memo.hits(), 1u);
  EXPECT_EQ(memo.misses(), 3u);
}

TEST(ParsedValueMemo, DoesNotRememberValuesOverItsSizeLimitOrNotJson) {
  ParsedValueMemo memo(/*slots=*/4, /*max_bytes=*/8);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(memo.Parse("\"12345678\""), Json("12345678"));  // 10 B
  EXPECT_EQ(memo.hits(), 0u);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(memo.Parse("\"123456\""), Json("123456"));  // 8 bytes
  EXPECT_EQ(memo.hits(), 1u);
  for (int i = 0; i < 2; ++i) EXPECT_EQ(memo.Parse("{"), std::nullopt);
  EXPECT_EQ(memo.hits(), 1u);
  EXPECT_EQ(memo.misses(), 5u);
}

TEST(ParsedValueMemo, ASharedParseOutlivesItsEvictionAndIsNotCopied) {
  ParsedValueMemo memo(/*slots=*/1);
  std::shared_ptr<const Json> first = memo.Share(R"({"a":[1,2]})");
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(memo.Share(R"({"a":[1,2]})").get(), first.get());  // a hit shares, not copies
  std::shared_ptr<const Json> second = memo.Share("[3]");      // evicts the first
  EXPECT_EQ(*first, Json::parse(R"({"a":[1,2]})"));
  EXPECT_EQ(*second, Json::parse("[3]"));
  EXPECT_EQ(memo.Share("{"), nullptr);
  EXPECT_EQ(memo.hits(), 1u);
  EXPECT_EQ(memo.misses(), 3u);
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
      auto shared = ReadStateValue(core::AsBytes(text));
      ASSERT_TRUE(shared) << text;
      EXPECT_EQ(**shared, Json::parse(text)) << text;
      auto bad = FromStateValue(core::AsBytes(text.substr(0, text.size() - 1)));
      ASSERT_FALSE(bad);
      EXPECT_EQ(bad.error().code, "STATE_CORRUPT");
    }
  }
}

}  // namespace
}  // namespace tradeledger::trade
