#include "state/state_tree.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <iterator>
#include <map>
#include <random>
#include <set>
#include <string>

#include "crypto/sha256.h"
#include "state/state_proof.h"

namespace tradeledger::state {
namespace {

using core::AsBytes;
using core::Bytes;
using core::Hash32;
using core::ToBytes;

// The reference root: the compact tree defined recursively over the whole key set, with no
// store, no batching and no incremental updates. Partitions by filtering, bit by bit.
Hash32 ReferenceRoot(const std::vector<std::pair<Hash32, Hash32>>& leaves, size_t depth) {
  if (leaves.empty()) return Hash32{};
  if (leaves.size() == 1) {
    // 0x00 || "TL-SMT-LEAF" || path || SHA-256(value), spelled out independently.
    Bytes pre = {0x00};
    for (char c : std::string("TL-SMT-LEAF")) pre.push_back(static_cast<uint8_t>(c));
    pre.insert(pre.end(), leaves[0].first.data.begin(), leaves[0].first.data.end());
    pre.insert(pre.end(), leaves[0].second.data.begin(), leaves[0].second.data.end());
    return crypto::Sha256Of(pre);
  }
  std::vector<std::pair<Hash32, Hash32>> left, right;
  for (const auto& leaf : leaves) {
    bool bit = (leaf.first.data[depth / 8] >> (7 - depth % 8)) & 1;
    (bit ? right : left).push_back(leaf);
  }
  Hash32 l = ReferenceRoot(left, depth + 1);
  Hash32 r = ReferenceRoot(right, depth + 1);
  if (left.empty() && right.size() == 1) return r;
  if (right.empty() && left.size() == 1) return l;
  Bytes pre = {0x01};
  for (char c : std::string("TL-SMT-NODE")) pre.push_back(static_cast<uint8_t>(c));
  pre.insert(pre.end(), l.data.begin(), l.data.end());
  pre.insert(pre.end(), r.data.begin(), r.data.end());
  return crypto::Sha256Of(pre);
}

Hash32 ReferenceRoot(const std::map<Bytes, Bytes>& model) {
  std::vector<std::pair<Hash32, Hash32>> leaves;
  for (const auto& [k, v] : model) leaves.emplace_back(crypto::Sha256Of(k), crypto::Sha256Of(v));
  return ReferenceRoot(leaves, 0);
}

Bytes Key(int i) { return ToBytes("key-" + std::to_string(i)); }

// Applies `updates` and persists the new nodes; fails the test on error.
Hash32 Apply(MemoryNodeStore& store, const Hash32& root, std::vector<StateUpdate> updates) {
  std::vector<NodeWrite> writes;
  auto result = ApplyUpdates(store, root, std::move(updates), &writes);
  EXPECT_TRUE(result.has_value()) << result.error().ToString();
  store.PutAll(writes);
  return result.value_or(Hash32{});
}

// Stores the tree of keys Key(0) to Key(n - 1), each set to "v", and returns its root.
Hash32 TreeOf(MemoryNodeStore& store, int n) {
  std::vector<StateUpdate> base;
  for (int i = 0; i < n; ++i) base.push_back({Key(i), ToBytes("v")});
  return Apply(store, kEmptyRoot, std::move(base));
}

// A reader that forwards to another but hides some nodes and counts reads.
class FilteringReader : public NodeReader {
 public:
  explicit FilteringReader(const NodeReader& base) : base_(base) {}
  core::Result<std::optional<Bytes>> Get(const Hash32& node_hash) const override {
    ++reads_;
    if (hidden_.contains(node_hash)) return std::optional<Bytes>();
    if (node_hash == garbled_) return std::optional<Bytes>(Bytes{1, 1, 2, 3});
    return base_.Get(node_hash);
  }
  void Hide(const Hash32& h) { hidden_.insert(h); }
  void Garble(const Hash32& h) { garbled_ = h; }
  size_t reads() const { return reads_; }
  void ResetReads() { reads_ = 0; }

 private:
  const NodeReader& base_;
  std::set<Hash32> hidden_;
  Hash32 garbled_;
  mutable size_t reads_ = 0;
};

TEST(StateTree, EmptyTreeHasZeroRootAndNoValues) {
  MemoryNodeStore store;
  EXPECT_TRUE(kEmptyRoot.IsZero());
  auto v = Lookup(store, kEmptyRoot, AsBytes("anything"));
  ASSERT_TRUE(v.has_value());
  EXPECT_FALSE(v->has_value());
  std::vector<NodeWrite> writes;
  auto root = ApplyUpdates(store, kEmptyRoot, {}, &writes);
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(*root, kEmptyRoot);
  EXPECT_TRUE(writes.empty());
}

TEST(StateTree, HashDefinitionsArePinned) {
  Hash32 path = KeyPath(AsBytes("k"));
  EXPECT_EQ(path, crypto::Sha256Of(AsBytes("k")));
  Hash32 vh = ValueHash(AsBytes("v"));
  EXPECT_EQ(LeafHash(path, vh), ReferenceRoot({{path, vh}}, 0));
  Hash32 a = crypto::Sha256Of(AsBytes("a"));
  Hash32 b = crypto::Sha256Of(AsBytes("b"));
  Bytes pre = ToBytes(std::string("\x01") + "TL-SMT-NODE");
  pre.insert(pre.end(), a.data.begin(), a.data.end());
  pre.insert(pre.end(), b.data.begin(), b.data.end());
  EXPECT_EQ(InternalHash(a, b), crypto::Sha256Of(pre));
  // Golden values, computed independently (Python hashlib): a change to any definition
  // changes every root on the ledger.
  EXPECT_EQ(LeafHash(path, vh).hex(),
            "a2ddf1fc4531f8795b56b21d2dffcc3ea2383d3f047c97d9bac67237b778d34d");
  MemoryNodeStore store;
  std::vector<NodeWrite> writes;
  auto root = ApplyUpdates(
      store, kEmptyRoot,
      {{Key(0), ToBytes("v0")}, {Key(1), ToBytes("v1")}, {Key(2), ToBytes("v2")}}, &writes);
  ASSERT_TRUE(root.has_value());
  EXPECT_EQ(root->hex(), "8f4675b4f1845f3dc52a17789e8fb8dba7fa286e6cb3f45b55db0d4ca69ec2fa");
}

TEST(StateTree, SingleKeyRootIsItsLeafHash) {
  MemoryNodeStore store;
  Hash32 root = Apply(store, kEmptyRoot, {{ToBytes("k"), ToBytes("v")}});
  EXPECT_EQ(root, LeafHash(KeyPath(AsBytes("k")), ValueHash(AsBytes("v"))));
  auto v = Lookup(store, root, AsBytes("k"));
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, ToBytes("v"));
}

TEST(StateTree, MatchesReferenceModelUnderRandomUpdates) {
  std::mt19937_64 rng(20240611);
  MemoryNodeStore store;
  std::map<Bytes, Bytes> model;
  Hash32 root = kEmptyRoot;
  constexpr int kKeySpace = 1500;
  size_t total_ops = 0;
  for (int batch = 0; batch < 120; ++batch) {
    std::map<Bytes, std::optional<Bytes>> changes;  // unique keys
    int n = 1 + static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      Bytes key = Key(static_cast<int>(rng() % kKeySpace));
      if (rng() % 4 == 0) {
        changes[key] = std::nullopt;
      } else {
        changes[key] = ToBytes("value-" + std::to_string(rng() % 1000));
      }
    }
    std::vector<StateUpdate> updates;
    for (const auto& [k, v] : changes) {
      updates.push_back({k, v});
      if (v) {
        model[k] = *v;
      } else {
        model.erase(k);
      }
    }
    total_ops += updates.size();
    std::shuffle(updates.begin(), updates.end(), rng);
    root = Apply(store, root, std::move(updates));
    ASSERT_EQ(root, ReferenceRoot(model)) << "batch " << batch;
    for (int probe = 0; probe < 20; ++probe) {
      Bytes key = Key(static_cast<int>(rng() % kKeySpace));
      auto got = Lookup(store, root, key);
      ASSERT_TRUE(got.has_value()) << got.error().ToString();
      auto it = model.find(key);
      if (it == model.end()) {
        EXPECT_FALSE(got->has_value());
      } else {
        ASSERT_TRUE(got->has_value());
        EXPECT_EQ(**got, it->second);
      }
    }
  }
  EXPECT_GT(total_ops, 2000u);
  EXPECT_GT(model.size(), 500u);
}

TEST(StateTree, BatchOrderDoesNotChangeRootOrWrites) {
  MemoryNodeStore store;
  std::vector<StateUpdate> base;
  for (int i = 0; i < 300; ++i) base.push_back({Key(i), ToBytes("v" + std::to_string(i))});
  Hash32 root = Apply(store, kEmptyRoot, base);

  std::vector<StateUpdate> batch;
  for (int i = 250; i < 400; ++i) batch.push_back({Key(i), ToBytes("w" + std::to_string(i))});
  for (int i = 0; i < 100; i += 3) batch.push_back({Key(i), std::nullopt});

  std::vector<NodeWrite> first_writes;
  auto first = ApplyUpdates(store, root, batch, &first_writes);
  ASSERT_TRUE(first.has_value());
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 5; ++trial) {
    std::shuffle(batch.begin(), batch.end(), rng);
    std::vector<NodeWrite> writes;
    auto again = ApplyUpdates(store, root, batch, &writes);
    ASSERT_TRUE(again.has_value());
    EXPECT_EQ(*again, *first);
    ASSERT_EQ(writes.size(), first_writes.size());
    for (size_t i = 0; i < writes.size(); ++i) EXPECT_EQ(writes[i].hash, first_writes[i].hash);
  }
}

TEST(StateTree, SameKeysInManyBatchesOrOneGiveSameRoot) {
  MemoryNodeStore store;
  Hash32 one_by_one = kEmptyRoot;
  std::vector<StateUpdate> all;
  for (int i = 0; i < 200; ++i) {
    all.push_back({Key(i), ToBytes("v")});
    one_by_one = Apply(store, one_by_one, {{Key(i), ToBytes("v")}});
  }
  EXPECT_EQ(Apply(store, kEmptyRoot, all), one_by_one);
}

TEST(StateTree, DeletingEverythingReturnsToEmptyRoot) {
  MemoryNodeStore store;
  std::vector<StateUpdate> inserts, deletes;
  for (int i = 0; i < 500; ++i) {
    inserts.push_back({Key(i), ToBytes("v")});
    deletes.push_back({Key(i), std::nullopt});
  }
  Hash32 root = Apply(store, kEmptyRoot, inserts);
  EXPECT_NE(root, kEmptyRoot);
  // Half in one batch, then the rest one at a time.
  std::vector<StateUpdate> half(deletes.begin(), deletes.begin() + 250);
  root = Apply(store, root, half);
  for (size_t i = 250; i < deletes.size(); ++i) root = Apply(store, root, {deletes[i]});
  EXPECT_EQ(root, kEmptyRoot);
}

TEST(StateTree, LoneLeafMovesUpWhenItsNeighbourIsDeleted) {
  MemoryNodeStore store;
  Hash32 root = Apply(store, kEmptyRoot, {{Key(1), ToBytes("a")}, {Key(2), ToBytes("b")}});
  root = Apply(store, root, {{Key(2), std::nullopt}});
  EXPECT_EQ(root, LeafHash(KeyPath(Key(1)), ValueHash(AsBytes("a"))));
}

// Every node hash reachable from `root`.
std::set<Hash32> NodesOf(const NodeReader& store, const Hash32& root) {
  std::set<Hash32> out;
  std::vector<Hash32> todo;
  if (!root.IsZero()) todo.push_back(root);
  while (!todo.empty()) {
    Hash32 h = todo.back();
    todo.pop_back();
    EXPECT_TRUE(out.insert(h).second) << "node " << h.hex() << " twice in one tree";
    auto node = ReadNode(store, h);
    EXPECT_TRUE(node.has_value());
    if (!node) continue;
    for (const Hash32& child : StoredChildren(*node)) todo.push_back(child);
  }
  return out;
}

// Random batches over a small key space and value space, so that keys are deleted, leaves move
// up and down, and keys return to earlier values (re-creating earlier nodes): the reported stale
// nodes are exactly the old tree's nodes that the new tree lacks, and the new nodes exactly the
// new tree's nodes that the old one lacks.
TEST(StateTree, ReportsExactlyTheNodesAnUpdateMakesStale) {
  std::mt19937_64 rng(20261130);
  MemoryNodeStore store;
  Hash32 root = kEmptyRoot;
  std::set<Hash32> old_nodes;
  size_t stale_total = 0, recreated = 0;
  std::set<Hash32> ever_stale;
  for (int batch = 0; batch < 300; ++batch) {
    std::map<Bytes, std::optional<Bytes>> changes;
    int n = 1 + static_cast<int>(rng() % 8);
    for (int i = 0; i < n; ++i) {
      Bytes key = Key(static_cast<int>(rng() % 40));
      if (rng() % 3 == 0) {
        changes[key] = std::nullopt;
      } else {
        changes[key] = ToBytes("v" + std::to_string(rng() % 3));
      }
    }
    std::vector<StateUpdate> updates;
    for (const auto& [k, v] : changes) updates.push_back({k, v});
    std::vector<NodeWrite> writes;
    std::vector<Hash32> stale;
    auto next = ApplyUpdates(store, root, std::move(updates), &writes, &stale);
    ASSERT_TRUE(next.has_value()) << next.error().ToString();
    store.PutAll(writes);
    std::set<Hash32> new_nodes = NodesOf(store, *next);
    std::set<Hash32> expected_stale, expected_written;
    std::set_difference(old_nodes.begin(), old_nodes.end(), new_nodes.begin(), new_nodes.end(),
                        std::inserter(expected_stale, expected_stale.end()));
    std::set_difference(new_nodes.begin(), new_nodes.end(), old_nodes.begin(), old_nodes.end(),
                        std::inserter(expected_written, expected_written.end()));
    std::set<Hash32> got_stale(stale.begin(), stale.end());
    ASSERT_EQ(got_stale.size(), stale.size()) << "a stale node reported twice, batch " << batch;
    ASSERT_EQ(got_stale, expected_stale) << "batch " << batch;
    std::set<Hash32> got_written;
    for (const NodeWrite& w : writes) got_written.insert(w.hash);
    ASSERT_EQ(got_written, expected_written) << "batch " << batch;
    for (const Hash32& h : got_written) recreated += ever_stale.contains(h) ? 1 : 0;
    ever_stale.insert(got_stale.begin(), got_stale.end());
    stale_total += stale.size();
    old_nodes = std::move(new_nodes);
    root = *next;
  }
  EXPECT_GT(stale_total, 500u);
  EXPECT_GT(recreated, 50u);  // the case pruning must guard against does occur
}

// Two keys whose paths share a long prefix give a chain of internal nodes with one empty
// child; deleting one of them must collapse the whole chain.
TEST(StateTree, LongSharedPrefixBuildsAndCollapsesChain) {
  std::map<uint32_t, int> seen;  // first 20 path bits -> key index
  int a = -1, b = -1;
  for (int i = 0; a < 0; ++i) {
    Hash32 p = KeyPath(Key(i));
    uint32_t prefix = (uint32_t{p.data[0]} << 12) | (uint32_t{p.data[1]} << 4) | (p.data[2] >> 4);
    auto [it, inserted] = seen.emplace(prefix, i);
    if (!inserted) {
      a = it->second;
      b = i;
    }
  }
  MemoryNodeStore store;
  std::map<Bytes, Bytes> model = {{Key(a), ToBytes("x")}, {Key(b), ToBytes("y")}, {Key(-1), {}}};
  Hash32 root = Apply(store, kEmptyRoot,
                      {{Key(a), ToBytes("x")}, {Key(b), ToBytes("y")}, {Key(-1), Bytes{}}});
  EXPECT_EQ(root, ReferenceRoot(model));
  root = Apply(store, root, {{Key(b), std::nullopt}});
  model.erase(Key(b));
  EXPECT_EQ(root, ReferenceRoot(model));
  root = Apply(store, root, {{Key(-1), std::nullopt}});
  EXPECT_EQ(root, LeafHash(KeyPath(Key(a)), ValueHash(AsBytes("x"))));
}

TEST(StateTree, OldRootsStillReadOldValues) {
  MemoryNodeStore store;
  std::vector<Hash32> roots;
  Hash32 root = kEmptyRoot;
  for (int version = 0; version < 10; ++version) {
    std::vector<StateUpdate> batch;
    for (int i = 0; i < 50; ++i) batch.push_back({Key(i), ToBytes("v" + std::to_string(version))});
    if (version % 3 == 2) batch.push_back({Key(1000), std::nullopt});
    if (version % 3 == 0) batch.push_back({Key(1000), ToBytes("present")});
    root = Apply(store, root, batch);
    roots.push_back(root);
  }
  for (int version = 0; version < 10; ++version) {
    for (int i = 0; i < 50; i += 7) {
      auto v = Lookup(store, roots[version], Key(i));
      ASSERT_TRUE(v.has_value() && v->has_value());
      EXPECT_EQ(**v, ToBytes("v" + std::to_string(version)));
    }
    auto special = Lookup(store, roots[version], Key(1000));
    ASSERT_TRUE(special.has_value());
    EXPECT_EQ(special->has_value(), version % 3 != 2);
  }
}

TEST(StateTree, NoOpUpdatesWriteNothing) {
  MemoryNodeStore store;
  Hash32 root = TreeOf(store, 100);
  std::vector<NodeWrite> writes;
  auto same = ApplyUpdates(
      store, root, {{Key(5), ToBytes("v")}, {Key(77), ToBytes("v")}, {Key(999), {}}}, &writes);
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(*same, root);
  EXPECT_TRUE(writes.empty());
}

TEST(StateTree, WritesAreValidNodesAndSufficeToReadTheNewTree) {
  MemoryNodeStore old_store;
  Hash32 root = TreeOf(old_store, 200);
  std::vector<NodeWrite> writes;
  std::vector<StateUpdate> batch;
  for (int i = 150; i < 260; ++i) batch.push_back({Key(i), ToBytes("w")});
  auto new_root = ApplyUpdates(old_store, root, batch, &writes);
  ASSERT_TRUE(new_root.has_value());
  std::set<Hash32> hashes;
  for (const NodeWrite& w : writes) {
    EXPECT_TRUE(DecodeNode(w.hash, w.encoded).has_value());
    EXPECT_TRUE(hashes.insert(w.hash).second) << "node written twice";
    EXPECT_FALSE(old_store.Get(w.hash)->has_value()) << "rewrote an existing node";
  }
  old_store.PutAll(writes);
  for (int i = 0; i < 260; ++i) {
    auto v = Lookup(old_store, *new_root, Key(i));
    ASSERT_TRUE(v.has_value() && v->has_value());
    EXPECT_EQ(**v, ToBytes(i >= 150 ? "w" : "v"));
  }
}

TEST(StateTree, ReadsLogarithmicallyManyNodes) {
  MemoryNodeStore store;
  Hash32 root = TreeOf(store, 20000);
  FilteringReader counting(store);
  std::vector<NodeWrite> writes;
  ASSERT_TRUE(ApplyUpdates(counting, root, {{Key(3), std::nullopt}}, &writes).has_value());
  // log2(20000) ~ 14.3; expected leaf depth ~ 16, so about 4 pages. A page records whether each
  // child is a leaf, and a leaf's path and value hash, so neither the deleted leaf nor a
  // neighbour moving up is read.
  EXPECT_LE(counting.reads(), 8u);
  counting.ResetReads();
  std::vector<StateUpdate> batch;
  for (int i = 0; i < 100; ++i) batch.push_back({Key(100000 + i), ToBytes("w")});
  ASSERT_TRUE(ApplyUpdates(counting, root, batch, &writes).has_value());
  EXPECT_LE(counting.reads(), 100u * 8u);
  EXPECT_GE(counting.reads(), 100u);
}

// Changing one key's value rewrites its leaf and the pages on its path, one per four levels,
// and reads exactly those pages: the last one records the old leaf's path and value hash.
TEST(StateTree, AnUpdateWritesItsLeafAndOnePagePerFourLevels) {
  MemoryNodeStore store;
  Hash32 root = TreeOf(store, 20000);
  std::set<size_t> depths;
  for (int i = 0; i < 40; ++i) {
    std::vector<Hash32> siblings;
    auto end = WalkPath(store, root, KeyPath(Key(i)), &siblings);
    ASSERT_TRUE(end.has_value() && end->leaf.has_value());
    size_t depth = end->depth;
    depths.insert(depth);
    size_t pages = (depth - 1) / kPageLevels + 1;  // page roots at depths 0, 4, ... below depth
    FilteringReader counting(store);
    std::vector<NodeWrite> writes;
    std::vector<Hash32> stale;
    ASSERT_TRUE(ApplyUpdates(counting, root, {{Key(i), ToBytes("w")}}, &writes, &stale));
    EXPECT_EQ(writes.size(), pages + 1) << "leaf depth " << depth;
    EXPECT_EQ(stale.size(), pages + 1) << "leaf depth " << depth;
    EXPECT_EQ(counting.reads(), pages) << "leaf depth " << depth;  // the old leaf is not read
    size_t leaves = 0;
    for (const NodeWrite& w : writes) {
      auto node = DecodeNode(w.hash, w.encoded);
      ASSERT_TRUE(node.has_value()) << node.error().ToString();
      leaves += std::holds_alternative<LeafNode>(*node) ? 1 : 0;
      EXPECT_LE(w.encoded.size(), kMaxPageBytes);
    }
    EXPECT_EQ(leaves, 1u);
  }
  EXPECT_GT(depths.size(), 2u);  // the keys sit at several depths
}

// Page bytes: version 2, kind 2, then the entries (doc/state-tree.md).
Bytes Page(std::initializer_list<Bytes> parts) {
  Bytes out = {2, 2};
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}
Bytes Of(const Hash32& h) { return Bytes(h.data.begin(), h.data.end()); }

TEST(StateTree, PagesDecodeOnlyInTheirCanonicalForm) {
  Hash32 a = EncodeLeafNode(KeyPath(AsBytes("a")), AsBytes("1")).hash;
  Hash32 b = EncodeLeafNode(KeyPath(AsBytes("b")), AsBytes("2")).hash;
  // A leaf child: its hash, path and value hash.
  Bytes leaf_a = Page({Of(a), Of(KeyPath(AsBytes("a"))), Of(ValueHash(AsBytes("1")))});
  Bytes leaf_b = Page({Of(b), Of(KeyPath(AsBytes("b"))), Of(ValueHash(AsBytes("2")))});
  leaf_a.erase(leaf_a.begin(), leaf_a.begin() + 2);
  leaf_b.erase(leaf_b.begin(), leaf_b.begin() + 2);
  Hash32 x = crypto::Sha256Of(AsBytes("x"));
  Hash32 pair = InternalHash(a, b);
  Bytes good = Page({{0x11}, leaf_a, leaf_b});
  auto decoded = DecodeNode(pair, good);
  ASSERT_TRUE(decoded.has_value()) << decoded.error().ToString();
  const auto& entries = std::get<PageNode>(*decoded).entries;
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].left.kind, ChildKind::kLeaf);
  EXPECT_EQ(entries[0].right.hash, b);
  EXPECT_EQ(entries[0].right.path, KeyPath(AsBytes("b")));
  EXPECT_EQ(entries[0].right.value_hash, ValueHash(AsBytes("2")));
  EXPECT_EQ(StoredChildren(*decoded), (std::vector<Hash32>{a, b}));

  // Four levels of inline nodes end in a page child at relative depth 4, never a fifth inline.
  auto chain = [&](uint8_t last_kind) {
    return Page({{0x20}, Of(x), {0x20}, Of(x), {0x20}, Of(x), {last_kind}, Of(x)});
  };
  EXPECT_TRUE(DecodeVerifiedNode(x, chain(0x30)).has_value());
  const std::vector<std::pair<std::string, Bytes>> bad = {
      {"two empty children", Page({{0x00}})},
      {"a lone leaf", Page({{0x10}, leaf_a})},
      {"a lone leaf on the right", Page({{0x01}, leaf_a})},
      {"a page child above relative depth 4", Page({{0x31}, Of(x), leaf_b})},
      {"an inline node at relative depth 4", chain(0x20)},
      {"an unknown child kind", Page({{0x41}, Of(a), leaf_b})},
      {"a zero hash for a leaf",
       Page({{0x11}, Of(Hash32{}), Bytes(leaf_a.begin() + 32, leaf_a.end()), leaf_b})},
      {"trailing bytes", Page({{0x11}, leaf_a, leaf_b, {0}})},
      {"a leaf without its value hash",
       Page({{0x11}, leaf_a, Bytes(leaf_b.begin(), leaf_b.end() - 32)})},
      {"an inline child with no entry", Page({{0x21}, Of(x), leaf_b})},
      {"version 1's internal node",
       [&] {
         Bytes old = Page({Of(a), Of(b)});
         old[0] = 1;
         old[1] = 1;
         return old;
       }()},
  };
  for (const auto& [what, bytes] : bad) {
    auto got = DecodeVerifiedNode(pair, bytes);
    ASSERT_FALSE(got.has_value()) << what;
    EXPECT_EQ(got.error().code, "STATE_NODE_CORRUPT") << what;
  }

  // Well-formed, but an inline child's recorded hash is not its content's: only the strict
  // decode sees it.
  Hash32 forged = crypto::Sha256Of(AsBytes("forged"));
  Bytes lying = Page({{0x21}, Of(forged), leaf_b, {0x11}, leaf_a, leaf_b});
  EXPECT_TRUE(DecodeVerifiedNode(InternalHash(forged, b), lying).has_value());
  auto strict = DecodeNode(InternalHash(forged, b), lying);
  ASSERT_FALSE(strict.has_value());
  EXPECT_EQ(strict.error().code, "STATE_NODE_CORRUPT");
  // Likewise a leaf child whose recorded path is not the one its hash commits to.
  Bytes moved =
      Page({{0x11}, leaf_a, Of(b), Of(KeyPath(AsBytes("c"))), Of(ValueHash(AsBytes("2")))});
  EXPECT_TRUE(DecodeVerifiedNode(pair, moved).has_value());
  auto moved_strict = DecodeNode(pair, moved);
  ASSERT_FALSE(moved_strict.has_value());
  EXPECT_EQ(moved_strict.error().code, "STATE_NODE_CORRUPT");
}

// What a node's store holds (ADR 0036): every node in its stored form.
class StoredFormStore : public NodeReader {
 public:
  core::Result<std::optional<Bytes>> Get(const Hash32& node_hash) const override {
    return nodes_.Get(node_hash);
  }
  void PutAll(const std::vector<NodeWrite>& writes) {
    for (const NodeWrite& w : writes) {
      nodes_.Put(NodeWrite{w.hash, StoredNodeEncoding(w.encoded)});
    }
  }

 private:
  MemoryNodeStore nodes_;
};

std::vector<NodeWrite> WritesOfTree(int keys) {
  MemoryNodeStore store;
  std::vector<StateUpdate> updates;
  for (int i = 0; i < keys; ++i) updates.push_back({Key(i), ToBytes("value " + std::to_string(i))});
  std::vector<NodeWrite> writes;
  EXPECT_TRUE(ApplyUpdates(store, kEmptyRoot, std::move(updates), &writes).has_value());
  return writes;
}

TEST(StateTree, StoredPagesAreSmallerAndDecodeToTheSamePages) {
  size_t pages = 0, full_bytes = 0, stored_bytes = 0;
  for (const NodeWrite& w : WritesOfTree(300)) {
    Bytes stored = StoredNodeEncoding(w.encoded);
    if (!IsPageEncoding(w.encoded)) {
      EXPECT_EQ(stored, w.encoded) << "a leaf is stored as it is";
      continue;
    }
    ++pages;
    ASSERT_TRUE(IsStoredPageEncoding(stored));
    EXPECT_FALSE(IsPageEncoding(stored));
    EXPECT_EQ(StoredNodeEncoding(stored), stored);
    auto full = DecodeNode(w.hash, w.encoded);
    auto strict = DecodeNode(w.hash, stored);
    auto loose = DecodeVerifiedNode(w.hash, stored);
    ASSERT_TRUE(full && strict && loose);
    // Each form is the other's exact re-encoding, so the two decode to one page.
    EXPECT_EQ(EncodePage(std::get<PageNode>(*strict)), w.encoded);
    EXPECT_EQ(EncodePage(std::get<PageNode>(*loose)), w.encoded);
    EXPECT_EQ(EncodeStoredPage(std::get<PageNode>(*full)), stored);
    EXPECT_EQ(StoredChildren(*strict), StoredChildren(*full));
    full_bytes += w.encoded.size();
    stored_bytes += stored.size();
  }
  EXPECT_GT(pages, 16u);
  // Each inline and leaf child sheds its 32-byte hash: over a quarter of these pages' bytes.
  EXPECT_LT(stored_bytes * 4, full_bytes * 3) << stored_bytes << " of " << full_bytes;
}

TEST(StateTree, PutStoredNodeEncodingAppendsWhatStoredNodeEncodingReturns) {
  for (const NodeWrite& w : WritesOfTree(40)) {
    core::Encoder out;
    out.PutU8(0xab);
    PutStoredNodeEncoding(out, w.encoded);
    out.PutU64(7);
    Bytes expected{0xab};
    Bytes stored = StoredNodeEncoding(w.encoded);
    expected.insert(expected.end(), stored.begin(), stored.end());
    expected.insert(expected.end(), {0, 0, 0, 0, 0, 0, 0, 7});
    EXPECT_EQ(std::move(out).Take(), expected);
  }
}

TEST(StateTreeDeathTest, StoredNodeEncodingAbortsOnAMalformedPage) {
  std::vector<NodeWrite> writes = WritesOfTree(50);
  const NodeWrite& root = writes.back();
  ASSERT_TRUE(IsPageEncoding(root.encoded));
  Bytes cut(root.encoded.begin(), root.encoded.end() - 1);
  Bytes longer = root.encoded;
  longer.push_back(0);
  Bytes unknown_kind = root.encoded;
  unknown_kind[2] = 0x44;  // the root entry's kinds byte: kind 4 is no kind
  Bytes page_too_high = root.encoded;
  page_too_high[2] = 0x33;  // page children directly below a page's root entry
  EXPECT_DEATH(StoredNodeEncoding(cut), "invariant violated");
  EXPECT_DEATH(StoredNodeEncoding(longer), "invariant violated");
  EXPECT_DEATH(StoredNodeEncoding(unknown_kind), "invariant violated");
  EXPECT_DEATH(StoredNodeEncoding(page_too_high), "invariant violated");
}

TEST(StateTree, AStoredPageIsCheckedAgainstItsHashByEitherDecode) {
  std::vector<NodeWrite> writes = WritesOfTree(50);
  // The root page: written last, it holds inline, leaf and page children.
  const NodeWrite& root = writes.back();
  ASSERT_TRUE(IsPageEncoding(root.encoded));
  const Bytes stored = StoredNodeEncoding(root.encoded);
  ASSERT_TRUE(DecodeNode(root.hash, stored).has_value());
  for (size_t i = 2; i < stored.size(); ++i) {
    Bytes flipped = stored;
    flipped[i] ^= 0x01;
    for (bool strict : {true, false}) {
      auto got = strict ? DecodeNode(root.hash, flipped) : DecodeVerifiedNode(root.hash, flipped);
      ASSERT_FALSE(got.has_value()) << "byte " << i << (strict ? " strict" : " loose");
      EXPECT_EQ(got.error().code, "STATE_NODE_CORRUPT");
    }
  }
  Bytes truncated(stored.begin(), stored.end() - 1);
  EXPECT_FALSE(DecodeNode(root.hash, truncated).has_value());
  EXPECT_FALSE(DecodeVerifiedNode(crypto::Sha256Of(AsBytes("another")), stored).has_value());
}

TEST(StateTree, ATreeOverStoredFormsHasTheSameRootsValuesAndProofs) {
  MemoryNodeStore full;
  StoredFormStore stored;
  std::mt19937 rng(36);
  std::map<Bytes, Bytes> model;
  Hash32 full_root = kEmptyRoot, stored_root = kEmptyRoot;
  for (int batch = 0; batch < 30; ++batch) {
    std::map<Bytes, std::optional<Bytes>> changes;
    for (int i = 0; i < 40; ++i) {
      Bytes key = Key(static_cast<int>(rng() % 400));
      if (rng() % 5 == 0) {
        changes[key] = std::nullopt;
      } else {
        changes[key] = ToBytes("v" + std::to_string(rng()));
      }
    }
    std::vector<StateUpdate> updates;
    for (const auto& [key, value] : changes) {
      updates.push_back({key, value});
      if (value) {
        model[key] = *value;
      } else {
        model.erase(key);
      }
    }
    std::vector<NodeWrite> a, b;
    auto r1 = ApplyUpdates(full, full_root, updates, &a);
    auto r2 = ApplyUpdates(stored, stored_root, updates, &b);
    ASSERT_TRUE(r1 && r2) << (r2 ? "" : r2.error().ToString());
    ASSERT_EQ(*r1, *r2);
    ASSERT_EQ(a.size(), b.size());
    full.PutAll(a);
    stored.PutAll(b);
    full_root = *r1;
    stored_root = *r2;
  }
  EXPECT_EQ(stored_root, ReferenceRoot(model));
  for (int i = 0; i < 400; ++i) {
    auto v = Lookup(stored, stored_root, Key(i));
    ASSERT_TRUE(v.has_value());
    auto it = model.find(Key(i));
    EXPECT_EQ(v->has_value(), it != model.end());
    if (it != model.end() && v->has_value()) {
      EXPECT_EQ(**v, it->second);
    }
    auto proof = Prove(stored, stored_root, Key(i));
    auto same = Prove(full, full_root, Key(i));
    ASSERT_TRUE(proof && same);
    EXPECT_EQ(*proof, *same);
    EXPECT_TRUE(VerifyStateProof(*proof, stored_root).has_value());
  }
}

TEST(StateTree, MissingNodeYieldsStateNodeMissing) {
  MemoryNodeStore store;
  Hash32 root = TreeOf(store, 50);

  FilteringReader no_root(store);
  no_root.Hide(root);
  std::vector<NodeWrite> writes;
  auto applied = ApplyUpdates(no_root, root, {{Key(1), ToBytes("w")}}, &writes);
  ASSERT_FALSE(applied.has_value());
  EXPECT_EQ(applied.error().code, "STATE_NODE_MISSING");
  EXPECT_TRUE(writes.empty());
  auto looked_up = Lookup(no_root, root, Key(1));
  ASSERT_FALSE(looked_up.has_value());
  EXPECT_EQ(looked_up.error().code, "STATE_NODE_MISSING");

  // A leaf missing deep in the tree, found on the way to it.
  Hash32 leaf = LeafHash(KeyPath(Key(7)), ValueHash(AsBytes("v")));
  FilteringReader no_leaf(store);
  no_leaf.Hide(leaf);
  auto deep = Lookup(no_leaf, root, Key(7));
  ASSERT_FALSE(deep.has_value());
  EXPECT_EQ(deep.error().code, "STATE_NODE_MISSING");
  // An update does not read the leaf it replaces (its page records its path and value hash),
  // so it goes through, and gives the root it gives with the leaf present.
  std::vector<NodeWrite> with_leaf_writes;
  auto deep_update = ApplyUpdates(no_leaf, root, {{Key(7), std::nullopt}}, &writes);
  ASSERT_TRUE(deep_update.has_value()) << deep_update.error().ToString();
  EXPECT_EQ(*deep_update, *ApplyUpdates(store, root, {{Key(7), std::nullopt}}, &with_leaf_writes));
  // A lookup that does not pass the missing node still works.
  EXPECT_TRUE(Lookup(no_leaf, root, Key(8)).has_value());
}

TEST(StateTree, CorruptNodeYieldsStateNodeCorrupt) {
  MemoryNodeStore store;
  Hash32 root = Apply(store, kEmptyRoot, {{Key(1), ToBytes("a")}, {Key(2), ToBytes("b")}});
  FilteringReader garbled(store);
  garbled.Garble(root);
  auto v = Lookup(garbled, root, Key(1));
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, "STATE_NODE_CORRUPT");

  // Well-formed bytes of the wrong node.
  NodeWrite other = EncodeLeafNode(KeyPath(Key(9)), AsBytes("z"));
  EXPECT_EQ(DecodeNode(root, other.encoded).error().code, "STATE_NODE_CORRUPT");
  Bytes trailing = other.encoded;
  trailing.push_back(0);
  EXPECT_EQ(DecodeNode(other.hash, trailing).error().code, "STATE_NODE_CORRUPT");
  EXPECT_TRUE(DecodeNode(other.hash, other.encoded).has_value());
}

TEST(StateTree, RejectsInvalidBatches) {
  MemoryNodeStore store;
  std::vector<NodeWrite> writes;
  auto dup =
      ApplyUpdates(store, kEmptyRoot, {{Key(1), ToBytes("a")}, {Key(1), std::nullopt}}, &writes);
  ASSERT_FALSE(dup.has_value());
  EXPECT_EQ(dup.error().code, "STATE_UPDATE_INVALID");
  auto long_key =
      ApplyUpdates(store, kEmptyRoot, {{Bytes(kMaxKeySize + 1, 'k'), Bytes{}}}, &writes);
  ASSERT_FALSE(long_key.has_value());
  EXPECT_EQ(long_key.error().code, "STATE_UPDATE_INVALID");
  auto long_value =
      ApplyUpdates(store, kEmptyRoot, {{Key(1), Bytes(kMaxValueSize + 1, 'v')}}, &writes);
  ASSERT_FALSE(long_value.has_value());
  EXPECT_EQ(long_value.error().code, "STATE_UPDATE_INVALID");
  EXPECT_TRUE(writes.empty());
  // The limits themselves are accepted.
  auto at_limit = ApplyUpdates(store, kEmptyRoot,
                               {{Bytes(kMaxKeySize, 'k'), Bytes(kMaxValueSize, 'v')}}, &writes);
  EXPECT_TRUE(at_limit.has_value());
}

}  // namespace
}  // namespace tradeledger::state
