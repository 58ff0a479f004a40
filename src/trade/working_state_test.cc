#include "trade/working_state.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace tradeledger::trade
