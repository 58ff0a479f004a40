#include "storage/fault_injection_store.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"
#include "storage/test_temp_dir.h"

namespace tradeledger::storage {
namespace {

using core::Bytes;
using core::ToBytes;

constexpr WriteOptions kSync{.sync = true};
constexpr WriteOptions kNoSync{.sync = false};

class FaultInjectionStoreTest : public ::testing::Test {
 protected:
  std::optional<Bytes> Get(const std::string& key) {
    auto got = store_.Get(core::AsBytes(key));
    EXPECT_TRUE(got) << got.error().ToString();
    return got ? *got : std::nullopt;
  }
  core::Status Put(const std::string& key, const std::string& value, WriteOptions options) {
    return store_.Put(core::AsBytes(key), core::AsBytes(value), options);
  }

  MemoryStore base_;
  FaultInjectionStore store_{base_};
};

TEST_F(FaultInjectionStoreTest, FailedWriteAppliesNothing) {
  ASSERT_TRUE(Put("a", "before", kSync));
  store_.FailNextWrites(1);
  WriteBatch batch;
  batch.Put(ToBytes("a"), ToBytes("after"));
  batch.Put(ToBytes("b"), ToBytes("new"));
  batch.Delete(ToBytes("a"));
  auto status = store_.Write(batch, kSync);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, "STORAGE_ERROR");
  EXPECT_EQ(Get("a"), ToBytes("before"));
  EXPECT_EQ(Get("b"), std::nullopt);
  EXPECT_EQ(base_.size(), 1u);
  EXPECT_EQ(store_.injected_failure_count(), 1u);
  // The fault is used up: the same batch now goes through.
  ASSERT_TRUE(store_.Write(batch, kSync));
  EXPECT_EQ(Get("a"), std::nullopt);
  EXPECT_EQ(Get("b"), ToBytes("new"));
}

TEST_F(FaultInjectionStoreTest, FailsExactlyTheNextNWrites) {
  store_.FailNextWrites(3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Put("k", std::to_string(i), kNoSync).error().code, "STORAGE_ERROR");
  }
  EXPECT_TRUE(Put("k", "ok", kNoSync));
  EXPECT_EQ(store_.injected_failure_count(), 3u);
  EXPECT_EQ(Get("k"), ToBytes("ok"));
}

TEST_F(FaultInjectionStoreTest, FailedUnsyncedWriteIsNotRecordedForCrash) {
  ASSERT_TRUE(Put("k", "synced", kSync));
  store_.FailNextWrites(1);
  EXPECT_FALSE(Put("k", "failed", kNoSync));
  EXPECT_EQ(store_.unsynced_write_count(), 0u);
  ASSERT_TRUE(store_.SimulateCrash());
  EXPECT_EQ(Get("k"), ToBytes("synced"));
}

TEST_F(FaultInjectionStoreTest, CrashDropsUnsyncedWrites) {
  ASSERT_TRUE(Put("durable", "1", kSync));
  ASSERT_TRUE(Put("volatile/1", "x", kNoSync));
  ASSERT_TRUE(Put("volatile/2", "y", kNoSync));
  // Visible before the crash.
  EXPECT_EQ(Get("volatile/1"), ToBytes("x"));
  EXPECT_EQ(store_.unsynced_write_count(), 2u);

  ASSERT_TRUE(store_.SimulateCrash());
  EXPECT_EQ(Get("durable"), ToBytes("1"));
  EXPECT_EQ(Get("volatile/1"), std::nullopt);
  EXPECT_EQ(Get("volatile/2"), std::nullopt);
  EXPECT_EQ(Get("volatile/1"), std::nullopt);
  EXPECT_FALSE(store_.Scan(core::AsBytes("volatile/"))->Valid());
  EXPECT_EQ(store_.unsynced_write_count(), 0u);
}

TEST_F(FaultInjectionStoreTest, CrashRestoresOverwrittenAndDeletedValues) {
  ASSERT_TRUE(Put("over", "old", kSync));
  ASSERT_TRUE(Put("del", "kept", kSync));
  ASSERT_TRUE(Put("over", "new", kNoSync));
  ASSERT_TRUE(store_.Delete(core::AsBytes("del"), kNoSync));
  ASSERT_TRUE(Put("over", "newer", kNoSync));
  ASSERT_TRUE(store_.SimulateCrash());
  EXPECT_EQ(Get("over"), ToBytes("old"));
  EXPECT_EQ(Get("del"), ToBytes("kept"));
}

TEST_F(FaultInjectionStoreTest, BatchTouchingAKeyTwiceRestoresTheValueBeforeIt) {
  ASSERT_TRUE(Put("k", "original", kSync));
  WriteBatch batch;
  batch.Put(ToBytes("k"), ToBytes("first"));
  batch.Delete(ToBytes("k"));
  batch.Put(ToBytes("k"), ToBytes("second"));
  batch.Put(ToBytes("fresh"), ToBytes("x"));
  batch.Delete(ToBytes("fresh"));
  ASSERT_TRUE(store_.Write(batch, kNoSync));
  EXPECT_EQ(Get("k"), ToBytes("second"));
  ASSERT_TRUE(store_.SimulateCrash());
  EXPECT_EQ(Get("k"), ToBytes("original"));
  EXPECT_EQ(Get("fresh"), std::nullopt);
}

TEST_F(FaultInjectionStoreTest, SyncedWriteMakesEarlierUnsyncedWritesDurable) {
  ASSERT_TRUE(Put("a", "1", kNoSync));
  ASSERT_TRUE(Put("b", "2", kNoSync));
  ASSERT_TRUE(Put("c", "3", kSync));  // fsync of the log covers a and b as well
  ASSERT_TRUE(Put("d", "4", kNoSync));
  EXPECT_EQ(store_.unsynced_write_count(), 1u);
  ASSERT_TRUE(store_.SimulateCrash());
  EXPECT_EQ(Get("a"), ToBytes("1"));
  EXPECT_EQ(Get("b"), ToBytes("2"));
  EXPECT_EQ(Get("c"), ToBytes("3"));
  EXPECT_EQ(Get("d"), std::nullopt);
}

TEST_F(FaultInjectionStoreTest, CrashCanKeepAPrefixOfUnsyncedWrites) {
  ASSERT_TRUE(Put("k", "synced", kSync));
  ASSERT_TRUE(Put("k", "u1", kNoSync));
  ASSERT_TRUE(Put("k", "u2", kNoSync));
  ASSERT_TRUE(Put("other", "u3", kNoSync));
  ASSERT_TRUE(store_.SimulateCrash(/*keep_unsynced=*/2));
  EXPECT_EQ(Get("k"), ToBytes("u2"));
  EXPECT_EQ(Get("other"), std::nullopt);
  // The survivors count as on disk: a second crash does not take them away.
  ASSERT_TRUE(store_.SimulateCrash());
  EXPECT_EQ(Get("k"), ToBytes("u2"));
}

TEST_F(FaultInjectionStoreTest, StoreKeepsWorkingAfterACrash) {
  ASSERT_TRUE(Put("a", "1", kNoSync));
  ASSERT_TRUE(store_.SimulateCrash());
  ASSERT_TRUE(Put("a", "2", kNoSync));
  ASSERT_TRUE(Put("b", "3", kSync));
  ASSERT_TRUE(store_.SimulateCrash());
  EXPECT_EQ(Get("a"), ToBytes("2"));
  EXPECT_EQ(Get("b"), ToBytes("3"));
}

TEST(FaultInjectionStoreOverRocksDb, CrashDropsUnsyncedWrites) {
  TempDir dir("fault-over-rocksdb");
  auto base = RocksDbStore::Open(dir.Sub("db"), RocksDbOptions{});
  ASSERT_TRUE(base) << base.error().ToString();
  FaultInjectionStore store(**base);
  ASSERT_TRUE(store.Put(ToBytes("h/1"), ToBytes("block 1"), kSync));
  ASSERT_TRUE(store.Put(ToBytes("h/2"), ToBytes("block 2"), kNoSync));
  EXPECT_EQ(*store.Last(ToBytes("h/")), ToBytes("h/2"));
  ASSERT_TRUE(store.SimulateCrash());
  EXPECT_EQ(*store.Last(ToBytes("h/")), ToBytes("h/1"));
  EXPECT_EQ(*store.Get(ToBytes("h/2")), std::nullopt);
}

}  // namespace
}  // namespace tradeledger::storage
