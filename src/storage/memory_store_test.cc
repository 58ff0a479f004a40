// MemoryStore specifics; the shared Store contract is in store_test.cc.
#include "storage/memory_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace tradeledger::storage {
namespace {

using core::ToBytes;

TEST(MemoryStore, SizeCountsLiveEntries) {
  MemoryStore store;
  EXPECT_EQ(store.size(), 0u);
  ASSERT_TRUE(store.Put(ToBytes("a"), ToBytes("1")));
  ASSERT_TRUE(store.Put(ToBytes("b"), ToBytes("2")));
  ASSERT_TRUE(store.Put(ToBytes("a"), ToBytes("3")));
  EXPECT_EQ(store.size(), 2u);
  ASSERT_TRUE(store.Delete(ToBytes("a")));
  EXPECT_EQ(store.size(), 1u);
}

// Readers running beside the writer never see half a batch: each batch writes the same
// counter to two keys, and every read of the pair (by Get or by Scan) finds them equal.
TEST(MemoryStore, ReadersNeverSeeHalfABatch) {
  MemoryStore store;
  auto write_pair = [&store](int n) {
    WriteBatch batch;
    batch.Put(ToBytes("pair/a"), ToBytes(std::to_string(n)));
    batch.Put(ToBytes("pair/b"), ToBytes(std::to_string(n)));
    return store.Write(batch, WriteOptions{.sync = false});
  };
  ASSERT_TRUE(write_pair(0));

  std::atomic<bool> done{false};
  std::atomic<int> torn{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 3; ++r) {
    readers.emplace_back([&] {
      while (!done.load()) {
        auto it = store.Scan(ToBytes("pair/"));
        std::vector<std::string> values;
        for (; it->Valid(); it->Next()) values.emplace_back(core::AsStringView(it->value()));
        if (values.size() != 2 || values[0] != values[1]) ++torn;
      }
    });
  }
  for (int n = 1; n <= 2000; ++n) ASSERT_TRUE(write_pair(n));
  done = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(torn.load(), 0);
  EXPECT_EQ(*store.Get(ToBytes("pair/a")), ToBytes("2000"));
}

}  // namespace
}  // namespace tradeledger::storage
