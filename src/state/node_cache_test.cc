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

TEST(NodeCache, KeepsAPageTheStoreHoldsInItsStoredFormInItsFullForm) {
  MemoryNodeStore scratch;
  std::vector<NodeWrite> writes;
  ASSERT_TRUE(ApplyUpdates(scratch, kEmptyRoot, Updates(0, 60), &writes).has_value());
  const NodeWrite& page = writes.back();  // the root page
  ASSERT_TRUE(IsPageEncoding(page.encoded));
  MemoryNodeStore store;
  store.Put(NodeWrite{page.hash, StoredNodeEncoding(page.encoded)});
  CountingReader reader(store);
  NodeCache cache(reader, 1 << 20);
  auto first = cache.Get(page.hash);  // a miss: the store's bytes, as they are
  ASSERT_TRUE(first && *first);
  EXPECT_TRUE(IsStoredPageEncoding(**first));
  auto second = cache.Get(page.hash);  // a hit: the full form, decoded without hashing
  ASSERT_TRUE(second && *second);
  EXPECT_EQ(**second, page.encoded);
  auto read = cache.Read(page.hash);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(EncodePage(std::get<PageNode>(*read)), page.encoded);
  EXPECT_EQ(reader.reads, 1);
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

// A block's writes go in through AddPages: its pages are found without a store read, its leaves
// are not kept (no update reads a leaf), and the next update needs no store read at all.
TEST(NodeCache, AddPagesKeepsThePagesAndNotTheLeaves) {
  MemoryNodeStore store;
  std::vector<NodeWrite> writes;
  auto root = ApplyUpdates(store, kEmptyRoot, Updates(0, 200), &writes);
  ASSERT_TRUE(root);
  store.PutAll(writes);
  CountingReader reader(store);
  NodeCache cache(reader, 1 << 20);
  cache.AddPages(writes);
  size_t pages = 0;
  for (const NodeWrite& w : writes) {
    int before = reader.reads;
    ASSERT_TRUE(cache.Get(w.hash));
    bool page = IsPageEncoding(w.encoded);
    pages += page ? 1 : 0;
    EXPECT_EQ(reader.reads - before, page ? 0 : 1) << (page ? "page" : "leaf");
  }
  EXPECT_GT(pages, 10u);
  EXPECT_LT(pages, writes.size());

  NodeCache fresh(reader, 1 << 20);
  fresh.AddPages(writes);
  reader.reads = 0;
  std::vector<NodeWrite> next;
  ASSERT_TRUE(ApplyUpdates(fresh, *root, Updates(100, 300), &next));
  EXPECT_EQ(reader.reads, 0);
}

TEST(NodeCache, ReadDecodesAHitAsTheStoreWould) {
  MemoryNodeStore store;
  std::vector<NodeWrite> writes;
  auto root = ApplyUpdates(
      store, kEmptyRoot,
      {{core::ToBytes("k"), core::ToBytes("v")}, {core::ToBytes("j"), core::ToBytes("w")}},
      &writes);
  ASSERT_TRUE(root);
  store.PutAll(writes);
  NodeWrite leaf = EncodeLeafNode(KeyPath(core::ToBytes("k")), core::ToBytes("v"));
  CountingReader reader(store);
  NodeCache cache(reader, 1 << 20);
  for (const Hash32& hash : {leaf.hash, *root}) {
    auto direct = ReadNode(store, hash);
    ASSERT_TRUE(direct);
    for (int i = 0; i < 2; ++i) {  // a miss, then a hit
      auto cached = ReadNode(cache, hash);
      ASSERT_TRUE(cached) << cached.error().ToString();
      EXPECT_EQ(cached->index(), direct->index());
      if (const auto* l = std::get_if<LeafNode>(&*cached)) {
        const auto& d = std::get<LeafNode>(*direct);
        EXPECT_EQ(l->path, d.path);
        EXPECT_EQ(l->value, d.value);
        EXPECT_EQ(l->value_hash, d.value_hash);
      } else {
        const auto& c = std::get<PageNode>(*cached).entries;
        const auto& d = std::get<PageNode>(*direct).entries;
        ASSERT_EQ(c.size(), d.size());
        for (size_t e = 0; e < c.size(); ++e) {
          EXPECT_EQ(c[e].hash, d[e].hash);
          EXPECT_EQ(c[e].left.hash, d[e].left.hash);
          EXPECT_EQ(c[e].right.hash, d[e].right.hash);
          EXPECT_EQ(c[e].left.kind, d[e].left.kind);
          EXPECT_EQ(c[e].right.kind, d[e].right.kind);
        }
      }
    }
  }
  EXPECT_EQ(reader.reads, 2);
  EXPECT_EQ(cache.hits(), 2u);
  auto missing = ReadNode(cache, KeyPath(core::ToBytes("nowhere")));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "STATE_NODE_MISSING");
}

// The cache skips the hash check on a hit, so it must never keep bytes that fail it: a store
// returning another node's bytes (or garbage) under a hash fails every read, through Read or
// through Get and ReadNode's decode, and the cache stays empty.
TEST(NodeCache, BytesThatFailTheirHashAreNeverRemembered) {
  MemoryNodeStore store;
  NodeWrite leaf = EncodeLeafNode(KeyPath(core::ToBytes("k")), core::ToBytes("v"));
  NodeWrite other = EncodeLeafNode(KeyPath(core::ToBytes("j")), core::ToBytes("w"));
  Hash32 garbled = KeyPath(core::ToBytes("garbled"));
  store.Put(NodeWrite{leaf.hash, other.encoded});
  store.Put(NodeWrite{garbled, core::ToBytes("not a node")});
  CountingReader reader(store);
  NodeCache cache(reader, 1 << 20);
  for (const Hash32& h : {leaf.hash, garbled}) {
    for (int i = 0; i < 2; ++i) {
      auto read = ReadNode(cache, h);
      ASSERT_FALSE(read);
      EXPECT_EQ(read.error().code, "STATE_NODE_CORRUPT");
      auto got = cache.Get(h);  // the raw bytes, for the caller to check
      ASSERT_TRUE(got && *got);
    }
  }
  EXPECT_EQ(reader.reads, 8);
  EXPECT_EQ(cache.size(), 0u);
}

std::vector<NodeWrite> Leaves(int count, size_t value_size) {
  std::vector<NodeWrite> out;
  for (int i = 0; i < count; ++i) {
    out.push_back(EncodeLeafNode(KeyPath(core::ToBytes("k" + std::to_string(i))),
                                 core::ToBytes(std::string(value_size, 'x'))));
  }
  return out;
}

TEST(NodeCache, EvictsANodeNotReadSinceTheClockHandLastPassedIt) {
  MemoryNodeStore store;
  std::vector<NodeWrite> leaves = Leaves(10, 100);
  store.PutAll(leaves);
  size_t per_node = leaves[0].encoded.size() + NodeCache::kEntryOverhead;
  CountingReader reader(store);
  NodeCache cache(reader, 4 * per_node);
  cache.Add(leaves);
  // Room for four: the hand cleared the first four's bits on its first pass and evicted
  // them one by one; 8 and 9 displaced 4 and 5 on the second, clearing 6's and 7's bits.
  EXPECT_EQ(cache.size(), 4u);
  EXPECT_LE(cache.bytes(), 4 * per_node);
  ASSERT_TRUE(cache.Get(leaves[6].hash));  // read again: it survives the next pass
  cache.Add({leaves[0]});                  // the hand spares 6 and evicts 7
  EXPECT_EQ(reader.reads, 0);
  ASSERT_TRUE(cache.Get(leaves[6].hash));
  ASSERT_TRUE(cache.Get(leaves[8].hash));
  ASSERT_TRUE(cache.Get(leaves[9].hash));
  ASSERT_TRUE(cache.Get(leaves[0].hash));
  EXPECT_EQ(reader.reads, 0);
  ASSERT_TRUE(cache.Get(leaves[7].hash));
  EXPECT_EQ(reader.reads, 1);
}

// Thousands of insertions and evictions through a small cache: every read returns the
// node's own bytes (the index never points at the wrong slot or loses a live node), a node
// just added is always found, and the cache stays within its capacity.
TEST(NodeCache, ChurnKeepsTheIndexConsistent) {
  MemoryNodeStore store;
  std::vector<NodeWrite> leaves = Leaves(3000, 20);
  store.PutAll(leaves);
  const size_t capacity = 40 * (leaves[0].encoded.size() + NodeCache::kEntryOverhead);
  CountingReader reader(store);
  NodeCache cache(reader, capacity);
  uint64_t state = 12345;
  auto next = [&state](size_t bound) {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return static_cast<size_t>((state >> 33) % bound);
  };
  for (int round = 0; round < 20000; ++round) {
    const NodeWrite& w = leaves[next(leaves.size())];
    if (next(2) == 0) {
      cache.Add({w});
      int before = reader.reads;
      auto got = cache.Get(w.hash);
      ASSERT_TRUE(got && *got);
      ASSERT_EQ(**got, w.encoded);
      ASSERT_EQ(reader.reads, before) << "a node just added was not found";
    } else {
      auto got = cache.Get(w.hash);
      ASSERT_TRUE(got && *got);
      ASSERT_EQ(**got, w.encoded);
    }
    ASSERT_LE(cache.bytes(), capacity);
    ASSERT_LE(cache.size(), 40u);
  }
  EXPECT_EQ(cache.size(), 40u);
  EXPECT_GT(cache.hits(), 10000u);
  EXPECT_GT(cache.misses(), 1000u);
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
