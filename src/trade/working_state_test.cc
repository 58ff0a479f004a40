#include "trade/working_state.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace tradeledger::trade {
namespace {

core::Bytes B(std::string_view s) { return core::ToBytes(s); }

TEST(WorkingState, MergeIntoKeepsTheChildsWritesOverTheParents) {
  EmptyState empty;
  WorkingState block(empty);
  block.Put(B("a"), B("block-a"));
  block.Put(B("b"), B("block-b"));
  block.Put(B("c"), B("block-c"));
  WorkingState tx(static_cast<const StateReader&>(block));
  tx.Put(B("a"), B("tx-a"));  // overwrites
  tx.Delete(B("b"));          // deletes what the block wrote
  tx.Put(B("d"), B("tx-d"));  // new
  tx.Delete(B("e"));          // deletes what neither wrote
  std::move(tx).MergeInto(block);
  EXPECT_TRUE(tx.writes().empty());
  const WorkingState::Writes expected = {{B("a"), B("tx-a")},
                                         {B("b"), std::nullopt},
                                         {B("c"), B("block-c")},
                                         {B("d"), B("tx-d")},
                                         {B("e"), std::nullopt}};
  EXPECT_EQ(block.writes(), expected);
  EXPECT_EQ(*block.Get(B("a")), B("tx-a"));
  EXPECT_FALSE(block.Get(B("b"))->has_value());
}

TEST(WorkingState, TakeWritesMovesThemOutAndLeavesTheLayerEmpty) {
  EmptyState empty;
  WorkingState state(empty);
  state.Put(B("k"), B("v"));
  state.Delete(B("gone"));
  WorkingState::Writes taken = std::move(state).TakeWrites();
  EXPECT_EQ(taken.size(), 2u);
  EXPECT_EQ(taken.at(B("k")), B("v"));
  EXPECT_TRUE(state.writes().empty());
  EXPECT_FALSE(state.Get(B("k"))->has_value());
}

// GetJson answers as parsing Get's bytes would, through every layer: a layer's own write,
// its delete, and the base's value beneath.
TEST(WorkingState, GetJsonParsesWhatGetWouldReturn) {
  EmptyState empty;
  WorkingState block(empty);
  block.Put(B("org/A"), B(R"({"orgId":"A"})"));
  block.Put(B("org/B"), B(R"({"orgId":"B"})"));
  block.Put(B("broken"), B("not json"));
  WorkingState tx(static_cast<const StateReader&>(block));
  tx.Put(B("org/A"), B(R"({"orgId":"A","status":"SUSPENDED"})"));
  tx.Delete(B("org/B"));
  auto a = tx.GetJson(B("org/A"));
  ASSERT_TRUE(a && *a);
  EXPECT_EQ((**a)["status"], "SUSPENDED");
  auto b = tx.GetJson(B("org/B"));
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, nullptr);
  auto from_block = block.GetJson(B("org/B"));
  ASSERT_TRUE(from_block && *from_block);
  EXPECT_EQ((**from_block)["orgId"], "B");
  auto absent = tx.GetJson(B("org/C"));
  ASSERT_TRUE(absent);
  EXPECT_EQ(*absent, nullptr);
  auto broken = tx.GetJson(B("broken"));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, "STATE_CORRUPT");
}

}  // namespace
}  // namespace tradeledger::trade
