// WriteBatch and prefix helpers, and the Store contract checked against every implementation.
#include "storage/store.h"

#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "storage/fault_injection_store.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"
#include "storage/test_temp_dir.h"

namespace tradeledger::storage {
namespace {

using core::Bytes;
using core::ToBytes;

Bytes Owned(core::ByteSpan span) { return Bytes(span.begin(), span.end()); }

TEST(WriteBatch, KeepsOperationsInOrderAndCountsBytes) {
  WriteBatch batch;
  EXPECT_TRUE(batch.empty());
  batch.Put(core::AsBytes("key"), core::AsBytes("value"));
  batch.Delete(core::AsBytes("gone"));
  EXPECT_EQ(batch.count(), 2u);
  EXPECT_EQ(batch.size_bytes(), 3u + 5u + 4u);
  ASSERT_EQ(batch.ops().size(), 2u);
  EXPECT_EQ(batch.ops()[0].type, WriteBatch::OpType::kPut);
  EXPECT_EQ(Owned(batch.ops()[0].key), ToBytes("key"));
  EXPECT_EQ(Owned(batch.ops()[0].value), ToBytes("value"));
  EXPECT_EQ(batch.ops()[1].type, WriteBatch::OpType::kDelete);
  EXPECT_EQ(Owned(batch.ops()[1].key), ToBytes("gone"));
  EXPECT_TRUE(batch.ops()[1].value.empty());
  batch.Clear();
  EXPECT_EQ(batch.count(), 0u);
  EXPECT_EQ(batch.size_bytes(), 0u);
}

TEST(WriteBatch, OwnsItsBytes) {
  WriteBatch batch;
  {
    std::string key = "temporary";
    batch.Put(core::AsBytes(key), core::AsBytes(key));
    key.assign("XXXXXXXXX");
  }
  EXPECT_EQ(Owned(batch.op(0).key), ToBytes("temporary"));
  EXPECT_EQ(Owned(batch.op(0).value), ToBytes("temporary"));
}

// Operations added after the buffer regrew, and after Reserve, still read back whole.
TEST(WriteBatch, ManyOperationsReadBackAfterTheBufferGrows) {
  WriteBatch batch;
  batch.Reserve(4, 16);
  for (int i = 0; i < 2000; ++i) {
    std::string key = "k" + std::to_string(i);
    if (i % 3 == 0) {
      batch.Delete(core::AsBytes(key));
    } else {
      batch.Put(core::AsBytes(key), Bytes(static_cast<size_t>(i % 50), uint8_t(i)));
    }
  }
  ASSERT_EQ(batch.count(), 2000u);
  auto ops = batch.ops();
  for (int i = 0; i < 2000; ++i) {
    EXPECT_EQ(Owned(ops[i].key), ToBytes("k" + std::to_string(i)));
    EXPECT_EQ(ops[i].type, i % 3 == 0 ? WriteBatch::OpType::kDelete : WriteBatch::OpType::kPut);
    size_t size = i % 3 == 0 ? 0 : static_cast<size_t>(i % 50);
    EXPECT_EQ(Owned(ops[i].value), Bytes(size, uint8_t(i)));
  }
  WriteBatch copy = batch;
  batch.Clear();
  EXPECT_EQ(Owned(copy.op(1999).key), ToBytes("k1999"));
}

TEST(PrefixUpperBound, IncrementsLastByteBelowFf) {
  EXPECT_EQ(PrefixUpperBound(Bytes{0x01}), (Bytes{0x02}));
  EXPECT_EQ(PrefixUpperBound(Bytes{0x01, 0xfe}), (Bytes{0x01, 0xff}));
  EXPECT_EQ(PrefixUpperBound(Bytes{0x01, 0xff}), (Bytes{0x02}));
  EXPECT_EQ(PrefixUpperBound(Bytes{0x01, 0xff, 0xff}), (Bytes{0x02}));
  EXPECT_EQ(PrefixUpperBound(Bytes{0xfe, 0xff}), (Bytes{0xff}));
}

TEST(PrefixUpperBound, NoneForEmptyOrAllFf) {
  EXPECT_EQ(PrefixUpperBound(Bytes{}), std::nullopt);
  EXPECT_EQ(PrefixUpperBound(Bytes{0xff}), std::nullopt);
  EXPECT_EQ(PrefixUpperBound(Bytes{0xff, 0xff, 0xff}), std::nullopt);
}

TEST(HasPrefix, ComparesLeadingBytes) {
  EXPECT_TRUE(HasPrefix(Bytes{1, 2, 3}, Bytes{1, 2}));
  EXPECT_TRUE(HasPrefix(Bytes{1, 2}, Bytes{}));
  EXPECT_TRUE(HasPrefix(Bytes{1, 2}, Bytes{1, 2}));
  EXPECT_FALSE(HasPrefix(Bytes{1}, Bytes{1, 2}));
  EXPECT_FALSE(HasPrefix(Bytes{1, 3}, Bytes{1, 2}));
}

// --- The Store contract, run against every implementation. ---

// Owns one store under test and whatever it needs (directory, base store).
class StoreHolder {
 public:
  virtual ~StoreHolder() = default;
  virtual Store& store() = 0;
};

class MemoryHolder final : public StoreHolder {
 public:
  Store& store() override { return store_; }

 private:
  MemoryStore store_;
};

class RocksDbHolder final : public StoreHolder {
 public:
  explicit RocksDbHolder(RocksDbOptions options = {}) : dir_("contract") {
    auto opened = RocksDbStore::Open(dir_.Sub("db"), options);
    TL_CHECK(opened.has_value());
    store_ = std::move(*opened);
  }
  ~RocksDbHolder() override { store_.reset(); }  // close before the directory goes
  Store& store() override { return *store_; }

 private:
  TempDir dir_;
  std::unique_ptr<RocksDbStore> store_;
};

class FaultInjectionHolder final : public StoreHolder {
 public:
  Store& store() override { return store_; }

 private:
  MemoryStore base_;
  FaultInjectionStore store_{base_};
};

struct Implementation {
  std::string name;
  std::function<std::unique_ptr<StoreHolder>()> make;
};

class StoreContract : public ::testing::TestWithParam<Implementation> {
 protected:
  void SetUp() override { holder_ = GetParam().make(); }
  void TearDown() override { holder_.reset(); }

  Store& store() { return holder_->store(); }

  void Put(const Bytes& key, const std::string& value) {
    ASSERT_TRUE(store().Put(key, core::AsBytes(value)));
  }
  std::optional<Bytes> Get(const Bytes& key) {
    auto got = store().Get(key);
    EXPECT_TRUE(got) << got.error().ToString();
    return got ? *got : std::nullopt;
  }
  // All keys under `prefix`, in scan order; fails the test if the scan reports an error.
  std::vector<Bytes> ScanKeys(const Bytes& prefix) {
    std::vector<Bytes> keys;
    auto it = store().Scan(prefix);
    for (; it->Valid(); it->Next()) keys.emplace_back(it->key().begin(), it->key().end());
    auto status = it->status();
    EXPECT_TRUE(status) << status.error().ToString();
    return keys;
  }
  std::optional<Bytes> Last(const Bytes& prefix) {
    auto last = store().Last(prefix);
    EXPECT_TRUE(last) << last.error().ToString();
    return last ? *last : std::nullopt;
  }

 private:
  std::unique_ptr<StoreHolder> holder_;
};

TEST_P(StoreContract, PutGetOverwriteDelete) {
  Bytes key = ToBytes("doc/1");
  EXPECT_EQ(Get(key), std::nullopt);
  Put(key, "v1");
  EXPECT_EQ(Get(key), ToBytes("v1"));
  Put(key, "v2");
  EXPECT_EQ(Get(key), ToBytes("v2"));
  ASSERT_TRUE(store().Delete(key));
  EXPECT_EQ(Get(key), std::nullopt);
  ASSERT_TRUE(store().Delete(key));  // deleting a missing key is fine
}

TEST_P(StoreContract, EmptyValueIsNotMissing) {
  Put(ToBytes("k"), "");
  EXPECT_EQ(Get(ToBytes("k")), Bytes{});
}

TEST_P(StoreContract, KeysAndValuesAreBinary) {
  Bytes key{0x00, 0xff, 0x00, 0x80};
  Bytes value{0xff, 0x00, 0x00, 0x01};
  ASSERT_TRUE(store().Put(key, value));
  EXPECT_EQ(Get(key), value);
  EXPECT_EQ(Get(Bytes{0x00, 0xff}), std::nullopt);  // a prefix of a key is another key
}

TEST_P(StoreContract, BatchAppliesInOrderLaterWins) {
  WriteBatch batch;
  batch.Put(ToBytes("a"), ToBytes("1"));
  batch.Delete(ToBytes("a"));
  batch.Delete(ToBytes("b"));
  batch.Put(ToBytes("b"), ToBytes("2"));
  batch.Put(ToBytes("c"), ToBytes("3"));
  batch.Put(ToBytes("c"), ToBytes("4"));
  ASSERT_TRUE(store().Write(batch, WriteOptions{.sync = true}));
  EXPECT_EQ(Get(ToBytes("a")), std::nullopt);
  EXPECT_EQ(Get(ToBytes("b")), ToBytes("2"));
  EXPECT_EQ(Get(ToBytes("c")), ToBytes("4"));
}

// Many operations on few keys, interleaved and in no key order: whatever order a store
// applies distinct keys in (RocksDbStore sorts a batch by key), each key ends as its last
// operation left it.
TEST_P(StoreContract, BatchKeepsTheOrderOfOperationsOnEachKey) {
  WriteBatch batch;
  std::map<std::string, std::optional<std::string>> last;
  for (int i = 0; i < 300; ++i) {
    std::string key = "k" + std::to_string((i * 5) % 7);
    if (i % 11 == 0) {
      batch.Delete(ToBytes(key));
      last[key] = std::nullopt;
    } else {
      batch.Put(ToBytes(key), ToBytes(std::to_string(i)));
      last[key] = std::to_string(i);
    }
  }
  ASSERT_TRUE(store().Write(batch, WriteOptions{.sync = true}));
  for (const auto& [key, value] : last) {
    EXPECT_EQ(Get(ToBytes(key)), value ? std::optional<Bytes>(ToBytes(*value)) : std::nullopt)
        << key;
  }
}

TEST_P(StoreContract, EmptyBatchIsAllowed) {
  EXPECT_TRUE(store().Write(WriteBatch(), WriteOptions{.sync = true}));
  EXPECT_TRUE(store().Write(WriteBatch(), WriteOptions{.sync = false}));
}

TEST_P(StoreContract, ScanIsOrderedByUnsignedBytes) {
  std::vector<Bytes> keys = {{0x80}, {0x00}, {0xff}, {0x7f}, {0x61, 0x62}, {0x61}, {0x62}, {}};
  for (const Bytes& k : keys) Put(k, "x");
  std::vector<Bytes> expected = {{}, {0x00}, {0x61}, {0x61, 0x62}, {0x62}, {0x7f}, {0x80}, {0xff}};
  EXPECT_EQ(ScanKeys({}), expected);
}

TEST_P(StoreContract, ScanYieldsValues) {
  Put(ToBytes("p/1"), "one");
  Put(ToBytes("p/2"), "two");
  auto it = store().Scan(ToBytes("p/"));
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(core::AsStringView(it->value()), "one");
  it->Next();
  ASSERT_TRUE(it->Valid());
  EXPECT_EQ(core::AsStringView(it->key()), "p/2");
  EXPECT_EQ(core::AsStringView(it->value()), "two");
  it->Next();
  EXPECT_FALSE(it->Valid());
  EXPECT_TRUE(it->status());
}

TEST_P(StoreContract, ScanStaysWithinPrefix) {
  for (const char* k : {"a", "b", "b/", "b/1", "b/2", "b0", "ba", "c"}) Put(ToBytes(k), "x");
  EXPECT_EQ(ScanKeys(ToBytes("b/")),
            (std::vector<Bytes>{ToBytes("b/"), ToBytes("b/1"), ToBytes("b/2")}));
  EXPECT_EQ(ScanKeys(ToBytes("b")).size(), 6u);
  EXPECT_TRUE(ScanKeys(ToBytes("bb")).empty());
  EXPECT_TRUE(ScanKeys(ToBytes("d")).empty());
  EXPECT_TRUE(ScanKeys(ToBytes("0")).empty());
}

TEST_P(StoreContract, ScanHandlesFfPrefixes) {
  std::vector<Bytes> keys = {{0xfe},       {0xfe, 0xff}, {0xfe, 0xff, 0x00}, {0xff},
                             {0xff, 0x00}, {0xff, 0xff}, {0xff, 0xff, 0xff}, {0x01, 0xff},
                             {0x02}};
  for (const Bytes& k : keys) Put(k, "x");
  // No upper bound exists for these: the walk must still stop at the prefix.
  EXPECT_EQ(ScanKeys({0xff}),
            (std::vector<Bytes>{{0xff}, {0xff, 0x00}, {0xff, 0xff}, {0xff, 0xff, 0xff}}));
  EXPECT_EQ(ScanKeys({0xff, 0xff}), (std::vector<Bytes>{{0xff, 0xff}, {0xff, 0xff, 0xff}}));
  EXPECT_TRUE(ScanKeys({0xff, 0xff, 0xff, 0xff}).empty());
  // A prefix ending in 0xff: its bound is the incremented byte before it, {0xff}.
  EXPECT_EQ(ScanKeys({0xfe, 0xff}), (std::vector<Bytes>{{0xfe, 0xff}, {0xfe, 0xff, 0x00}}));
  EXPECT_EQ(ScanKeys({0x01, 0xff}), (std::vector<Bytes>{{0x01, 0xff}}));
}

TEST_P(StoreContract, ScanSeesSnapshotAtCreation) {
  Put(ToBytes("s/1"), "old");
  Put(ToBytes("s/3"), "x");
  auto it = store().Scan(ToBytes("s/"));
  Put(ToBytes("s/1"), "new");
  Put(ToBytes("s/2"), "x");
  ASSERT_TRUE(store().Delete(ToBytes("s/3")));
  std::vector<std::string> seen;
  for (; it->Valid(); it->Next()) {
    seen.push_back(std::string(core::AsStringView(it->key())) + "=" +
                   std::string(core::AsStringView(it->value())));
  }
  EXPECT_TRUE(it->status());
  EXPECT_EQ(seen, (std::vector<std::string>{"s/1=old", "s/3=x"}));
}

TEST_P(StoreContract, DeletedKeysAreInvisibleToScanAndLast) {
  for (const char* k : {"h/1", "h/2", "h/3"}) Put(ToBytes(k), "x");
  ASSERT_TRUE(store().Delete(ToBytes("h/3")));
  EXPECT_EQ(ScanKeys(ToBytes("h/")), (std::vector<Bytes>{ToBytes("h/1"), ToBytes("h/2")}));
  EXPECT_EQ(Last(ToBytes("h/")), ToBytes("h/2"));
}

TEST_P(StoreContract, LastFindsGreatestKeyWithPrefix) {
  // Heights as big-endian integers after a namespace byte: byte order is numeric order.
  auto block_key = [](uint8_t ns, uint16_t height) {
    return Bytes{ns, static_cast<uint8_t>(height >> 8), static_cast<uint8_t>(height & 0xff)};
  };
  EXPECT_EQ(Last({0x01}), std::nullopt);
  for (uint16_t h : {1, 2, 255, 256, 7}) Put(block_key(0x01, h), "block");
  Put(block_key(0x00, 9999), "other namespace below");
  Put(Bytes{0x02}, "the upper bound itself");
  Put(block_key(0x02, 1), "other namespace above");
  EXPECT_EQ(Last({0x01}), block_key(0x01, 256));
  EXPECT_EQ(Last({0x00}), block_key(0x00, 9999));
  EXPECT_EQ(Last({0x02}), block_key(0x02, 1));
  EXPECT_EQ(Last({0x03}), std::nullopt);
  EXPECT_EQ(Last({0x01, 0x00}), block_key(0x01, 255));
  EXPECT_EQ(Last({}), block_key(0x02, 1));
}

TEST_P(StoreContract, LastIsNulloptWhenOnlyNeighboursExist) {
  Put(ToBytes("a"), "x");
  Put(ToBytes("c"), "x");
  EXPECT_EQ(Last(ToBytes("b")), std::nullopt);
  Put(ToBytes("b"), "x");
  EXPECT_EQ(Last(ToBytes("b")), ToBytes("b"));
}

TEST_P(StoreContract, LastHandlesFfPrefixes) {
  EXPECT_EQ(Last({0xff}), std::nullopt);
  Put(Bytes{0xfe, 0xff, 0xff}, "x");
  EXPECT_EQ(Last({0xff}), std::nullopt);
  EXPECT_EQ(Last({0xfe, 0xff}), (Bytes{0xfe, 0xff, 0xff}));
  Put(Bytes{0xff}, "x");
  Put(Bytes{0xff, 0xff, 0xff}, "x");
  Put(Bytes{0xff, 0x10}, "x");
  EXPECT_EQ(Last({0xff}), (Bytes{0xff, 0xff, 0xff}));
  EXPECT_EQ(Last({0xff, 0xff}), (Bytes{0xff, 0xff, 0xff}));
  EXPECT_EQ(Last({0xff, 0x10}), (Bytes{0xff, 0x10}));
  EXPECT_EQ(Last({0xff, 0x11}), std::nullopt);
  EXPECT_EQ(Last({0xfe}), (Bytes{0xfe, 0xff, 0xff}));
}

INSTANTIATE_TEST_SUITE_P(
    AllStores, StoreContract,
    ::testing::Values(Implementation{"Memory", [] { return std::make_unique<MemoryHolder>(); }},
                      Implementation{"RocksDb", [] { return std::make_unique<RocksDbHolder>(); }},
                      // Every key with an odd first byte in the uncompressed family: scans and
                      // Last over an empty prefix merge the two.
                      Implementation{"RocksDbTwoFamilies",
                                     [] {
                                       RocksDbOptions options;
                                       for (int b = 1; b < 256; b += 2) {
                                         options.uncompressed_namespaces.push_back(
                                             static_cast<char>(b));
                                       }
                                       return std::make_unique<RocksDbHolder>(options);
                                     }},
                      Implementation{"FaultInjection",
                                     [] { return std::make_unique<FaultInjectionHolder>(); }}),
    [](const ::testing::TestParamInfo<Implementation>& param) { return param.param.name; });

}  // namespace
}  // namespace tradeledger::storage
