#include "trade/id_index.h"

#include <gtest/gtest.h>

#include <algorithm>

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

TEST_F(IdIndexTest, StoresTheCountAndPagesOfMembers) {
  ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "ABC-1234567-8#1"));
  ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "ABC-1234567-8#2"));
  const WorkingState::Writes& w = state_.writes();
  EXPECT_EQ(w.at(B("idx/a")), B("2"));
  EXPECT_EQ(w.at(B("idx/a#0")), B("ABC-1234567-8#1\nABC-1234567-8#2\n"));
  EXPECT_EQ(w.size(), 2u);
}

TEST_F(IdIndexTest, StartsANewPageAfterAFullOne) {
  for (uint64_t i = 0; i <= kIdIndexPage; ++i) {
    ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "m" + std::to_string(i)));
  }
  const WorkingState::Writes& w = state_.writes();
  EXPECT_EQ(w.at(B("idx/a")), B(std::to_string(kIdIndexPage + 1)));
  EXPECT_EQ(w.at(B("idx/a#1")), B("m" + std::to_string(kIdIndexPage) + "\n"));
  std::string first_page(core::AsStringView(*w.at(B("idx/a#0"))));
  EXPECT_EQ(std::count(first_page.begin(), first_page.end(), '\n'), kIdIndexPage);
  EXPECT_EQ(w.size(), 3u);
  auto ids = LoadIdIndex(state_, "idx/a");
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), kIdIndexPage + 1);
  for (uint64_t i = 0; i <= kIdIndexPage; ++i) EXPECT_EQ((*ids)[i], "m" + std::to_string(i));
}

TEST_F(IdIndexTest, AppendingToALongIndexWritesTheCountAndOnePage) {
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(AppendIdIndex(state_, "idx/a", std::to_string(i)));
  WorkingState layer(static_cast<const StateReader&>(state_));
  ASSERT_TRUE(AppendIdIndex(layer, "idx/a", "new"));
  ASSERT_EQ(layer.writes().size(), 2u);
  // 500 = 15 full pages and 20 members on page 15; the new member is its 21st.
  const auto& page = layer.writes().at(B("idx/a#15"));
  ASSERT_TRUE(page);
  EXPECT_EQ(std::count(page->begin(), page->end(), '\n'), 21);
  EXPECT_LE(page->size(), 4 * kIdIndexPage);
  EXPECT_EQ(*IdIndexSize(layer, "idx/a"), 501u);
  EXPECT_EQ(LoadIdIndex(layer, "idx/a")->back(), "new");
}

TEST_F(IdIndexTest, ManyAppendsInOneLayerShareAPage) {
  WorkingState block(static_cast<const StateReader&>(state_));
  for (int i = 0; i < 10; ++i) {
    WorkingState tx(static_cast<const StateReader&>(block));
    ASSERT_TRUE(AppendIdIndex(tx, "idx/a", "c" + std::to_string(i)));
    std::move(tx).MergeInto(block);
  }
  EXPECT_EQ(block.writes().size(), 2u);  // the count and page 0, however many appends
  EXPECT_EQ(LoadIdIndex(block, "idx/a")->size(), 10u);
}

TEST_F(IdIndexTest, RefusesAnEmptyMemberOrOneWithANewline) {
  for (std::string_view bad : {std::string_view(""), std::string_view("a\nb")}) {
    auto s = AppendIdIndex(state_, "idx/a", bad);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().code, "ID_INDEX_MEMBER_INVALID");
  }
  EXPECT_TRUE(state_.writes().empty());
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
  // Pages that disagree with the count: too few members, too many, an empty member, no
  // final newline, and a missing page.
  for (const char* page : {"x\n", "x\ny\nz\n", "x\n\n", "x\ny", ""}) {
    WorkingState s(empty_);
    s.Put(B("idx/a"), B("2"));
    s.Put(B("idx/a#0"), B(page));
    auto ids = LoadIdIndex(s, "idx/a");
    ASSERT_FALSE(ids) << page;
    EXPECT_EQ(ids.error().code, "STATE_CORRUPT") << page;
  }
  WorkingState missing_page(empty_);
  missing_page.Put(B("idx/a"), B("1"));
  auto ids = LoadIdIndex(missing_page, "idx/a");
  ASSERT_FALSE(ids);
  EXPECT_EQ(ids.error().code, "STATE_CORRUPT");
  EXPECT_FALSE(AppendIdIndex(missing_page, "idx/a", "y"));
}

}  // namespace
}  // namespace tradeledger::trade
