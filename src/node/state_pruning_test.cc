#include "node/state_pruning.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "storage/memory_store.h"

namespace tradeledger::node {
namespace {

using core::Bytes;
using core::Hash32;
using core::Height;
using core::ToBytes;

// Drives the state half of Chain::Commit over a LedgerStore: ApplyUpdates, PlanStatePruning
// and WriteBlock, in that order, with no transactions, so a test can choose exact values.
class StatePruningTest : public ::testing::Test {
 protected:
  // Commits the next height with `updates` and returns its root.
  Hash32 Commit(std::vector<state::StateUpdate> updates) {
    Height height(++height_);
    BlockWrite write;
    auto root = state::ApplyUpdates(ledger_.state_nodes(), root_, std::move(updates),
                                    &write.state_nodes, &write.stale_nodes);
    EXPECT_TRUE(root) << root.error().ToString();
    // The plan from the in-memory record of recent writes must be the one that reads every
    // birth back.
    auto plan = PlanStatePruning(ledger_, height, retention_, write.state_nodes, &recent_);
    EXPECT_TRUE(plan) << plan.error().ToString();
    auto read_back = PlanStatePruning(ledger_, height, retention_, write.state_nodes);
    EXPECT_TRUE(read_back) << read_back.error().ToString();
    if (plan && read_back) {
      EXPECT_EQ(plan->heights, read_back->heights);
      EXPECT_EQ(std::set<Hash32>(plan->delete_nodes.begin(), plan->delete_nodes.end()),
                std::set<Hash32>(read_back->delete_nodes.begin(), read_back->delete_nodes.end()))
          << "at height " << height_;
    }
    write.prune = *plan;
    write.state_root = *root;
    auto written = ledger_.WriteBlock(height, write);
    EXPECT_TRUE(written) << written.error().ToString();
    NoteCommittedBlock(recent_, height, write, recent_limit_);
    auto horizon = ledger_.ReadStateHorizon();
    if (horizon && recent_limit_ >= 1'000'000) {
      // Covered from the next height pruning consumes: it reads no birth back.
      EXPECT_EQ(recent_.covered_from().value_or(Height(0)).value, horizon->value + 1)
          << "at height " << height_;
    }
    root_ = *root;
    roots_[height_] = root_;
    return root_;
  }

  // Every node of the tree at `root`; fails the test if one is missing or corrupt.
  std::set<Hash32> NodesOf(const Hash32& root) {
    std::set<Hash32> out;
    std::vector<Hash32> todo;
    if (!root.IsZero()) todo.push_back(root);
    while (!todo.empty()) {
      Hash32 h = todo.back();
      todo.pop_back();
      out.insert(h);
      auto node = state::ReadNode(ledger_.state_nodes(), h);
      EXPECT_TRUE(node) << node.error().ToString();
      if (!node) continue;
      for (const Hash32& child : state::StoredChildren(*node)) todo.push_back(child);
    }
    return out;
  }

  std::set<Hash32> StoredNodes() {
    std::set<Hash32> out;
    const uint8_t prefix[] = {'N'};
    for (auto it = store_.Scan(prefix); it->Valid(); it->Next()) {
      out.insert(*Hash32::FromSpan(it->key().subspan(1)));
    }
    return out;
  }

  // The stored nodes are exactly those of the trees from the horizon to the tip: every
  // retained tree is whole and nothing else is kept.
  void ExpectExactlyRetainedTrees() {
    auto horizon = ledger_.ReadStateHorizon();
    ASSERT_TRUE(horizon);
    std::set<Hash32> retained;
    for (uint64_t h = horizon->value; h <= height_; ++h) {
      std::set<Hash32> nodes = NodesOf(roots_[h]);
      retained.insert(nodes.begin(), nodes.end());
    }
    EXPECT_EQ(StoredNodes(), retained) << "at height " << height_;
  }

  void RandomUpdates();

  std::optional<Bytes> Value(const std::string& key) {
    auto v = state::Lookup(ledger_.state_nodes(), root_, core::AsBytes(key));
    EXPECT_TRUE(v) << v.error().ToString();
    return v ? *v : std::nullopt;
  }

  storage::MemoryStore store_;
  LedgerStore ledger_{store_};
  uint64_t retention_ = 2;
  RecentNodeWrites recent_;
  size_t recent_limit_ = 1'000'000;
  uint64_t height_ = 0;
  Hash32 root_ = state::kEmptyRoot;
  std::map<uint64_t, Hash32> roots_ = {{0, state::kEmptyRoot}};
};

state::StateUpdate Set(const std::string& key, const std::string& value) {
  return {ToBytes(key), ToBytes(value)};
}

// The leaf of a=1 and the tree's root become stale at height 2 and are re-created at height 3;
// pruning height 2's list (at height 2 + retention) must keep them, or the tip tree loses its
// root. Fails without the birth check.
TEST_F(StatePruningTest, KeepsANodeRecreatedAfterItWentStale) {
  retention_ = 3;
  auto expect_horizon = [&](uint64_t h) {
    auto horizon = ledger_.ReadStateHorizon();
    ASSERT_TRUE(horizon);
    EXPECT_EQ(horizon->value, h);
  };
  Hash32 first = Commit({Set("a", "1"), Set("b", "1")});
  Commit({Set("a", "2")});
  EXPECT_EQ(Commit({Set("a", "1")}), first);  // the same content: the same nodes
  Commit({});
  expect_horizon(1);
  Commit({});  // prunes height 2's list
  expect_horizon(2);
  auto stale = ledger_.ReadStaleNodes(Height(2));
  ASSERT_TRUE(stale);
  EXPECT_TRUE(stale->empty());  // consumed
  EXPECT_EQ(Value("a"), ToBytes("1"));
  EXPECT_EQ(Value("b"), ToBytes("1"));
  ExpectExactlyRetainedTrees();
  for (int i = 0; i < 5; ++i) Commit({Set("c", std::to_string(i))});
  EXPECT_EQ(Value("a"), ToBytes("1"));
  ExpectExactlyRetainedTrees();
}

// The block that consumes height 2's list re-creates a node on it (its stored birth is still
// 1): the block's own writes must win. Fails without the check against the block's new nodes.
TEST_F(StatePruningTest, KeepsANodeTheCommittingBlockRecreates) {
  retention_ = 2;
  Commit({Set("a", "1"), Set("b", "1")});
  Commit({Set("a", "2")});
  Commit({Set("c", "1")});
  Commit({Set("a", "1")});  // height 4 = 2 + retention: consumes height 2's list
  EXPECT_EQ(Value("a"), ToBytes("1"));
  ExpectExactlyRetainedTrees();
  Commit({Set("c", "2")});
  Commit({Set("c", "3")});
  EXPECT_EQ(Value("a"), ToBytes("1"));
  ExpectExactlyRetainedTrees();
}

TEST_F(StatePruningTest, OldTreesLoseNodesAndRecentOnesStayReadable) {
  retention_ = 2;
  for (int i = 0; i < 6; ++i) Commit({Set("k", std::to_string(i)), Set("x", "same")});
  // Heights 4..6 are whole; height 1's tree lost its leaf for k.
  auto recent = state::Lookup(ledger_.state_nodes(), roots_[4], core::AsBytes("k"));
  ASSERT_TRUE(recent) << recent.error().ToString();
  EXPECT_EQ(*recent, ToBytes("3"));
  auto old = state::Lookup(ledger_.state_nodes(), roots_[1], core::AsBytes("k"));
  ASSERT_FALSE(old);
  EXPECT_EQ(old.error().code, "STATE_NODE_MISSING");
  ExpectExactlyRetainedTrees();
}

// Random batches over few keys and values (keys deleted, leaves moving, values coming back),
// with the retention changed on the way: after every height the store holds exactly the
// retained trees. A lowered retention is caught up two heights per block.
TEST_F(StatePruningTest, KeepsExactlyTheRetainedTreesUnderRandomUpdates) { RandomUpdates(); }

// The same with a record of recent writes too small for the retained heights: pruning reads
// back the births of the heights it forgot, and the result is the same.
TEST_F(StatePruningTest, KeepsExactlyTheRetainedTreesWithABoundedRecord) {
  recent_limit_ = 24;
  RandomUpdates();
}

void StatePruningTest::RandomUpdates() {
  std::mt19937_64 rng(20261130);
  size_t deleted_total = 0;
  uint64_t expected_horizon = 0;
  for (int step = 0; step < 240; ++step) {
    if (step == 80) retention_ = 8;
    if (step == 160) retention_ = 1;
    std::map<std::string, std::optional<std::string>> changes;
    int n = static_cast<int>(rng() % 6);
    for (int i = 0; i < n; ++i) {
      std::string key = "key-" + std::to_string(rng() % 24);
      if (rng() % 4 == 0) {
        changes[key] = std::nullopt;
      } else {
        changes[key] = "v" + std::to_string(rng() % 3);
      }
    }
    std::vector<state::StateUpdate> updates;
    for (const auto& [k, v] : changes) {
      updates.push_back({ToBytes(k), v ? std::optional<Bytes>(ToBytes(*v)) : std::nullopt});
    }
    size_t before = StoredNodes().size();
    Commit(std::move(updates));
    deleted_total += before > StoredNodes().size() ? before - StoredNodes().size() : 0;
    if (height_ > retention_) {
      expected_horizon =
          std::max(expected_horizon,
                   std::min(height_ - retention_, expected_horizon + kMaxPrunedHeightsPerBlock));
    }
    auto horizon = ledger_.ReadStateHorizon();
    ASSERT_TRUE(horizon);
    ASSERT_EQ(horizon->value, expected_horizon) << "step " << step;
    ExpectExactlyRetainedTrees();
    if (HasFailure()) FAIL() << "step " << step;
  }
  EXPECT_GT(deleted_total, 100u);
  EXPECT_EQ(expected_horizon, height_ - 1);  // caught up with retention 1
}

TEST_F(StatePruningTest, MissingListedNodeIsStorageCorrupt) {
  retention_ = 1;
  Commit({Set("a", "1"), Set("b", "1")});
  Commit({Set("a", "2")});
  auto stale = ledger_.ReadStaleNodes(Height(2));
  ASSERT_TRUE(stale);
  ASSERT_FALSE(stale->empty());
  storage::WriteBatch batch;
  batch.Delete(LedgerStore::StateNodeKey(stale->front()));
  ASSERT_TRUE(store_.Write(batch, {}));
  auto plan = PlanStatePruning(ledger_, Height(3), retention_, {});
  ASSERT_FALSE(plan);
  EXPECT_EQ(plan.error().code, "STORAGE_CORRUPT");
}

}  // namespace
}  // namespace tradeledger::node
