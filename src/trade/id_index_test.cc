#include "trade/id_index.h"

#include <gtest/gtest.h>

namespace tradeledger::trade {
namespace {

core::Bytes B(std::string_view s) { return core::ToBytes(s); }

class IdIndexTest : public ::testing::Test {
 protected:
  EmptyState empty_;
  WorkingState state_{empty_};
};

TEST_F(IdIndexTest, AbsentIndexIsEmpty) {
  auto ids = LoadIdIndex(state_, "idx/a");
  ASSERT_TRUE(ids);
  EXPECT_TRUE(ids->empty());
  EXPECT_EQ(*IdIndexSize(state_, "idx/a"), 0u);
  EXPECT_TRUE(state_.writes().empty());
}

TEST_F(IdIndexTest, KeepsAppendOrder) {
  for (const char* id : {"c", "a", "b"}) ASSERT_TRUE(AppendIdIndex(state_, "idx/a", id));
  EXPECT_EQ(*LoadIdIndex(state_, "idx/a"), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(*IdIndexSize(state_, "idx/a"), 3u);
}

TEST_F(IdIndexTest, StoresOneKeyPerMemberAndTheCount) {
  ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "ABC-1234567-8#1"));
  ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "ABC-1234567-8#2"));
  const WorkingState::Writes& w = state_.writes();
  EXPECT_EQ(w.at(B("idx/a")), B("2"));
  EXPECT_EQ(w.at(B("idx/a#0")), B("ABC-1234567-8#1"));
  EXPECT_EQ(w.at(B("idx/a#1")), B("ABC-1234567-8#2"));
  EXPECT_EQ(w.size(), 3u);
}

TEST_F(IdIndexTest, AppendingToALongIndexWritesTwoSmallValues) {
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(AppendIdIndex(state_, "idx/a", std::to_string(i)));
  WorkingState layer(static_cast<const StateReader&>(state_));
  ASSERT_TRUE(AppendIdIndex(layer, "idx/a", "new"));
  ASSERT_EQ(layer.writes().size(), 2u);
  for (const auto& [key, value] : layer.writes()) {
    ASSERT_TRUE(value);
    EXPECT_LE(value->size(), 8u);
  }
  EXPECT_EQ(*IdIndexSize(layer, "idx/a"), 501u);
  EXPECT_EQ(LoadIdIndex(layer, "idx/a")->back(), "new");
}

TEST_F(IdIndexTest, IndexesUnderDifferentKeysAreIndependent) {
  ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "x"));
  ASSERT_TRUE(AppendIdIndex(state_, "idx/ab", "y"));
  ASSERT_TRUE(AppendIdIndex(state_, "idx/ab", "x"));
  EXPECT_EQ(*LoadIdIndex(state_, "idx/a"), std::vector<std::string>{"x"});
  EXPECT_EQ(*LoadIdIndex(state_, "idx/ab"), (std::vector<std::string>{"y", "x"}));
}

TEST_F(IdIndexTest, CorruptValuesFailWithStateCorrupt) {
  for (const char* bad : {"", "x", "-1", "01", "0", "18446744073709551616"}) {
    WorkingState s(empty_);
    s.Put(B("idx/a"), B(bad));
    auto ids = LoadIdIndex(s, "idx/a");
    ASSERT_FALSE(ids) << bad;
    EXPECT_EQ(ids.error().code, "STATE_CORRUPT") << bad;
    EXPECT_FALSE(AppendIdIndex(s, "idx/a", "y")) << bad;
  }
  WorkingState missing_member(empty_);
  missing_member.Put(B("idx/a"), B("2"));
  missing_member.Put(B("idx/a#0"), B("x"));
  auto ids = LoadIdIndex(missing_member, "idx/a");
  ASSERT_FALSE(ids);
  EXPECT_EQ(ids.error().code, "STATE_CORRUPT");
}

}  // namespace
}  // namespace tradeledger::trade
