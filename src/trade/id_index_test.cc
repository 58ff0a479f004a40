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
  EXPECT_TRUE(state_.writes().empty());
}

TEST_F(IdIndexTest, KeepsAppendOrder) {
  for (const char* id : {"c", "a", "b"}) ASSERT_TRUE(AppendIdIndex(state_, "idx/a", id));
  EXPECT_EQ(*LoadIdIndex(state_, "idx/a"), (std::vector<std::string>{"c", "a", "b"}));
  EXPECT_EQ(LoadIdIndex(state_, "idx/a")->size(), 3u);
}

TEST_F(IdIndexTest, StoresTheLastPageNumberAndPagesOfMembers) {
  ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "ABC-1234567-8#1"));
  ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "ABC-1234567-8#2"));
  const WorkingState::Writes& w = state_.writes();
  EXPECT_EQ(w.at(B("idx/a")), B("0"));
  EXPECT_EQ(w.at(B("idx/a#0")), B("ABC-1234567-8#1\nABC-1234567-8#2\n"));
  EXPECT_EQ(w.size(), 2u);
  EXPECT_EQ(LoadIdIndex(state_, "idx/a")->size(), 2u);
}

TEST_F(IdIndexTest, StartsANewPageAfterAFullOne) {
  for (uint64_t i = 0; i <= kIdIndexPage; ++i) {
    ASSERT_TRUE(AppendIdIndex(state_, "idx/a", "m" + std::to_string(i)));
  }
  const WorkingState::Writes& w = state_.writes();
  EXPECT_EQ(w.at(B("idx/a")), B("1"));
  EXPECT_EQ(w.at(B("idx/a#1")), B("m" + std::to_string(kIdIndexPage) + "\n"));
  std::string first_page(core::AsStringView(*w.at(B("idx/a#0"))));
  EXPECT_EQ(std::count(first_page.begin(), first_page.end(), '\n'), kIdIndexPage);
  EXPECT_EQ(w.size(), 3u);
  auto ids = LoadIdIndex(state_, "idx/a");
  ASSERT_TRUE(ids);
  ASSERT_EQ(ids->size(), kIdIndexPage + 1);
  for (uint64_t i = 0; i <= kIdIndexPage; ++i) EXPECT_EQ((*ids)[i], "m" + std::to_string(i));
  EXPECT_EQ(LoadIdIndex(state_, "idx/a")->size(), kIdIndexPage + 1);
}

TEST_F(IdIndexTest, AnAppendWritesItsLastPageAloneUnlessItStartsOne) {
  for (int i = 0; i < 500; ++i) ASSERT_TRUE(AppendIdIndex(state_, "idx/a", std::to_string(i)));
  WorkingState layer(static_cast<const StateReader&>(state_));
  ASSERT_TRUE(AppendIdIndex(layer, "idx/a", "new"));
  ASSERT_EQ(layer.writes().size(), 1u);
  // 500 = 15 full pages and 20 members on page 15; the new member is its 21st.
  const auto& page = layer.writes().at(B("idx/a#15"));
  ASSERT_TRUE(page);
  EXPECT_EQ(std::count(page->begin(), page->end(), '\n'), 21);
  EXPECT_LE(page->size(), 4 * kIdIndexPage);
  EXPECT_EQ(LoadIdIndex(layer, "idx/a")->size(), 501u);
  EXPECT_EQ(LoadIdIndex(layer, "idx/a")->back(), "new");
  // Filling page 15 writes it alone; the next append starts page 16 and moves the key.
  for (int i = 501; i < 512; ++i) ASSERT_TRUE(AppendIdIndex(layer, "idx/a", std::to_string(i)));
  EXPECT_EQ(layer.writes().size(), 1u);
  ASSERT_TRUE(AppendIdIndex(layer, "idx/a", "512"));
  EXPECT_EQ(layer.writes().size(), 3u);
  EXPECT_EQ(layer.writes().at(B("idx/a")), B("16"));
  EXPECT_EQ(LoadIdIndex(layer, "idx/a")->size(), 513u);
}

TEST_F(IdIndexTest, ManyAppendsInOneLayerShareAPage) {
  WorkingState block(static_cast<const StateReader&>(state_));
  for (int i = 0; i < 10; ++i) {
    WorkingState tx(static_cast<const StateReader&>(block));
    ASSERT_TRUE(AppendIdIndex(tx, "idx/a", "c" + std::to_string(i)));
    std::move(tx).MergeInto(block);
  }
  EXPECT_EQ(block.writes().size(), 2u);  // the key and page 0, however many appends
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
  // Bad page numbers (and 576460752303423488 = 2^64 / 32, whose pages would overflow a count).
  for (const char* bad :
       {"", "x", "-1", "01", "1 ", "576460752303423488", "18446744073709551616"}) {
    WorkingState s(empty_);
    s.Put(B("idx/a"), B(bad));
    s.Put(B("idx/a#0"), B("x\n"));
    auto ids = LoadIdIndex(s, "idx/a");
    ASSERT_FALSE(ids) << bad;
    EXPECT_EQ(ids.error().code, "STATE_CORRUPT") << bad;
    EXPECT_FALSE(AppendIdIndex(s, "idx/a", "y")) << bad;
  }
  // A last page that is empty, has an empty member, lacks its final newline or holds one
  // member too many.
  std::string too_many;
  for (uint64_t i = 0; i <= kIdIndexPage; ++i) too_many += "m" + std::to_string(i) + "\n";
  for (const std::string& page :
       {std::string(""), std::string("x\n\n"), std::string("x\ny"), std::string("\n"), too_many}) {
    WorkingState s(empty_);
    s.Put(B("idx/a"), B("0"));
    s.Put(B("idx/a#0"), B(page));
    auto ids = LoadIdIndex(s, "idx/a");
    ASSERT_FALSE(ids) << page;
    EXPECT_EQ(ids.error().code, "STATE_CORRUPT") << page;
    EXPECT_FALSE(AppendIdIndex(s, "idx/a", "y")) << page;
  }
  // A page below the last that is not full.
  WorkingState short_page(empty_);
  short_page.Put(B("idx/a"), B("1"));
  short_page.Put(B("idx/a#0"), B("x\n"));
  short_page.Put(B("idx/a#1"), B("y\n"));
  auto ids = LoadIdIndex(short_page, "idx/a");
  ASSERT_FALSE(ids);
  EXPECT_EQ(ids.error().code, "STATE_CORRUPT");
  // A missing page: the last, or one below it.
  for (const char* last : {"0", "1"}) {
    WorkingState missing_page(empty_);
    missing_page.Put(B("idx/a"), B(last));
    if (std::string_view(last) == "1") missing_page.Put(B("idx/a#1"), B("y\n"));
    ids = LoadIdIndex(missing_page, "idx/a");
    ASSERT_FALSE(ids) << last;
    EXPECT_EQ(ids.error().code, "STATE_CORRUPT") << last;
  }
}

}  // namespace
}  // namespace tradeledger::trade
