#include "state/node_cache.h"

#include <gtest/gtest.h>

namespace tradeledger::state {
namespace {

using core::Bytes;
using core::Hash32;

// Counts the reads that reach the store; fails every read while `broken` is set.
class CountingReader : public NodeReader {
 public:
  explicit CountingReader(const MemoryNodeStore& store) : store_(store) {}
  core::Result<std::optional<Bytes>> Get(const Hash32& hash) const override {
    ++reads;
    if (broken) return core::Fail("STORAGE_ERROR", "disk gone");
    return store_.Get(hash);
  }
  mutable int reads = 0;
  bool broken = false;

 private:
  const MemoryNodeStore& store_;
};

std::vector<StateUpdate> Updates(int from, int to) {
  std::vector<StateUpdate> out;
  for (int i = from; i < to; ++i) {
    out.push_back({core::ToBytes("key-" + std::to_string(i)), core::ToBytes(std::to_string(i))});
  }
  return out;
}

TEST(NodeCache, UpdatesThroughTheCacheGiveTheSameRootsWithFewerStoreReads) {
  MemoryNodeStore plain, cached_store;
  CountingReader plain_reader(plain), cached_reader(cached_store);
  NodeCache cache(cached_reader, 64 << 20);
  Hash32 plain_root = kEmptyRoot, cached_root = kEmptyRoot;
  for (int block = 0; block < 20; ++block) {
    std::vector<NodeWrite> a, b;
    auto r1 = ApplyUpdates(plain_reader, plain_root, Updates(block * 50, block * 50 + 50), &a);
    auto r2 = ApplyUpdates(cache, cached_root, Updates(block * 50, block * 50 + 50), &b);
    ASSERT_TRUE(r1 && r2);
    ASSERT_EQ(*r1, *r2);
    plain.PutAll(a);
    cached_store.PutAll(b);
    cache.Add(b);
    plain_root = *r1;
    cached_root = *r2;
  }
  EXPECT_GT(plain_reader.reads, 100);
  EXPECT_EQ(cached_reader.reads, 0);  // every node read was written through the cache first
  EXPECT_GT(cache.hits(), 100u);
  auto v = Lookup(cache, cached_root, core::ToBytes("key-7"));
  ASSERT_TRUE(v && *v);
  EXPECT_EQ(**v, core::ToBytes("7"));
}

TEST(NodeCache, ReadsThroughOnAMissAndKeepsWhatItFound) {
  MemoryNodeStore store;
  NodeWrite leaf = EncodeLeafNode(KeyPath(core::ToBytes("k")), core::ToBytes("v"));
  store.Put(leaf);
  CountingReader reader(store);
  NodeCache cache(reader, 1 << 20);
  for (int i = 0; i < 3; ++i) {
    auto got = cache.Get(leaf.hash);
    ASSERT_TRUE(got && *got);
    EXPECT_EQ(**got, leaf.encoded);
  }
  EXPECT_EQ(reader.reads, 1);
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 1u);
}

TEST(NodeCache, AbsentNodesAndStoreErrorsAreNotRemembered) {
  MemoryNodeStore store;
  CountingReader reader(store);
  NodeCache cache(reader, 1 << 20);
  Hash32 missing = KeyPath(core::ToBytes("nowhere"));
  auto none = cache.Get(missing);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  NodeWrite leaf = EncodeLeafNode(KeyPath(core::ToBytes("k")), core::ToBytes("v"));
  store.Put(leaf);
  ASSERT_TRUE(cache.Get(missing));  // still absent: read from the store again
  EXPECT_EQ(reader.reads, 2);
  reader.broken = true;
  auto failed = cache.Get(leaf.hash);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "STORAGE_ERROR");
  reader.broken = false;
  auto found = cache.Get(leaf.hash);
  ASSERT_TRUE(found && *found);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(NodeCache, EvictsTheLeastRecentlyUsedBeyondItsCapacity) {
  MemoryNodeStore store;
  std::vector<NodeWrite> leaves;
  for (int i = 0; i < 10; ++i) {
    leaves.push_back(EncodeLeafNode(KeyPath(core::ToBytes("k" + std::to_string(i))),
                                    core::ToBytes(std::string(100, 'x'))));
    store.Put(leaves.back());
  }
  size_t per_node = leaves[0].encoded.size() + NodeCache::kEntryOverhead;
  CountingReader reader(store);
  NodeCache cache(reader, 4 * per_node);
  cache.Add(leaves);
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_LE(cache.bytes(), 4 * per_node);
  ASSERT_TRUE(cache.Get(leaves[6].hash));  // touch the oldest survivor
  cache.Add({leaves[0]});                  // evicts leaves[7], now the least recent
  EXPECT_EQ(reader.reads, 0);
  ASSERT_TRUE(cache.Get(leaves[6].hash));
  ASSERT_TRUE(cache.Get(leaves[9].hash));
  EXPECT_EQ(reader.reads, 0);
  ASSERT_TRUE(cache.Get(leaves[7].hash));
  EXPECT_EQ(reader.reads, 1);
}

TEST(NodeCache, LargeLeavesAreReadFromTheStoreEveryTime) {
  MemoryNodeStore store;
  NodeWrite big = EncodeLeafNode(KeyPath(core::ToBytes("k")),
                                 core::ToBytes(std::string(NodeCache::kMaxCachedNode, 'v')));
  store.Put(big);
  CountingReader reader(store);
  NodeCache cache(reader, 1 << 20);
  cache.Add({big});
  ASSERT_TRUE(cache.Get(big.hash));
  ASSERT_TRUE(cache.Get(big.hash));
  EXPECT_EQ(reader.reads, 2);
  EXPECT_EQ(cache.size(), 0u);
}

TEST(NodeCache, ZeroCapacityReadsTheStoreEveryTime) {
  MemoryNodeStore store;
  NodeWrite leaf = EncodeLeafNode(KeyPath(core::ToBytes("k")), core::ToBytes("v"));
  store.Put(leaf);
  CountingReader reader(store);
  NodeCache cache(reader, 0);
  cache.Add({leaf});
  ASSERT_TRUE(cache.Get(leaf.hash));
  ASSERT_TRUE(cache.Get(leaf.hash));
  EXPECT_EQ(reader.reads, 2);
  EXPECT_EQ(cache.size(), 0u);
}

}  // namespace
}  // namespace tradeledger::state
