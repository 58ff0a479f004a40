#include "node/state_value_cache.h"

#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>

namespace tradeledger::node {
namespace {

using core::AsBytes;
using core::Bytes;
using core::ToBytes;

// The flat state's interface over a map, counting the reads that reach it.
class MapState : public trade::StateReader {
 public:
  core::Result<std::optional<Bytes>> Get(core::ByteSpan key) const override {
    ++reads;
    if (failing) return core::Fail("STORAGE_ERROR", "the test's store fails");
    auto it = values.find(std::string(core::AsStringView(key)));
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  // Commits `writes` to the map, as a block's synced write does.
  void Commit(const trade::WorkingState::Writes& writes) {
    for (const auto& [key, value] : writes) {
      std::string k(core::AsStringView(key));
      if (value) {
        values[k] = *value;
      } else {
        values.erase(k);
      }
    }
  }
  std::map<std::string, Bytes> values;
  bool failing = false;
  mutable int reads = 0;
};

std::optional<Bytes> Value(const StateValueCache& cache, std::string_view key) {
  auto got = cache.Get(AsBytes(key));
  EXPECT_TRUE(got) << key;
  return got ? *got : std::nullopt;
}

TEST(StateValueCacheTest, ASecondReadComesFromMemoryAbsentKeysToo) {
  MapState base;
  base.values["org/IMP"] = ToBytes("{\"orgId\":\"IMP\"}");
  StateValueCache cache(base, 1 << 20);
  EXPECT_EQ(Value(cache, "org/IMP"), ToBytes("{\"orgId\":\"IMP\"}"));
  EXPECT_EQ(Value(cache, "org/NONE"), std::nullopt);
  EXPECT_EQ(base.reads, 2);
  EXPECT_EQ(Value(cache, "org/IMP"), ToBytes("{\"orgId\":\"IMP\"}"));
  EXPECT_EQ(Value(cache, "org/NONE"), std::nullopt);
  EXPECT_EQ(base.reads, 2);
  EXPECT_EQ(cache.hits(), 2u);
  EXPECT_EQ(cache.misses(), 2u);
  EXPECT_EQ(cache.entries(), 2u);
}

TEST(StateValueCacheTest, ApplyUpdatesCachedKeysAndLeavesOthersOut) {
  MapState base;
  base.values["nonce/a"] = ToBytes("1");
  StateValueCache cache(base, 1 << 20);
  ASSERT_EQ(Value(cache, "nonce/a"), ToBytes("1"));
  ASSERT_EQ(Value(cache, "cert/C-1"), std::nullopt);

  trade::WorkingState::Writes block = {{ToBytes("nonce/a"), ToBytes("2")},
                                       {ToBytes("cert/C-1"), ToBytes("{}")},
                                       {ToBytes("claim/X"), ToBytes("{\"status\":1}")}};
  base.Commit(block);
  cache.Apply(block);
  EXPECT_EQ(cache.entries(), 2u);  // claim/X was never read: not cached
  int reads = base.reads;
  EXPECT_EQ(Value(cache, "nonce/a"), ToBytes("2"));
  EXPECT_EQ(Value(cache, "cert/C-1"), ToBytes("{}"));
  EXPECT_EQ(base.reads, reads);

  trade::WorkingState::Writes purge = {{ToBytes("cert/C-1"), std::nullopt}};
  base.Commit(purge);
  cache.Apply(purge);
  EXPECT_EQ(Value(cache, "cert/C-1"), std::nullopt);
  EXPECT_EQ(base.reads, reads);
}

TEST(StateValueCacheTest, AFailedReadIsPassedThroughAndNotCached) {
  MapState base;
  base.values["k"] = ToBytes("v");
  StateValueCache cache(base, 1 << 20);
  base.failing = true;
  auto failed = cache.Get(AsBytes("k"));
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, "STORAGE_ERROR");
  EXPECT_EQ(cache.entries(), 0u);
  base.failing = false;
  EXPECT_EQ(Value(cache, "k"), ToBytes("v"));
}

TEST(StateValueCacheTest, StaysWithinItsCapacity) {
  MapState base;
  for (int i = 0; i < 100; ++i) base.values["k" + std::to_string(i)] = Bytes(1000, uint8_t(i));
  const size_t capacity = 10 * (1000 + 3 + StateValueCache::kEntryOverhead);
  StateValueCache cache(base, capacity);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 100; ++i) {
      EXPECT_EQ(Value(cache, "k" + std::to_string(i)), Bytes(1000, uint8_t(i)));
      EXPECT_LE(cache.bytes(), capacity);
      EXPECT_GE(cache.entries(), 1u);
    }
  }
  // A value that grows past the capacity on Apply is dropped, not kept over the bound.
  trade::WorkingState::Writes grow = {{ToBytes("k99"), Bytes(20'000, 1)}};
  base.Commit(grow);
  cache.Apply(grow);
  EXPECT_LE(cache.bytes(), capacity);
  EXPECT_EQ(Value(cache, "k99"), Bytes(20'000, 1));  // too big to cache, still answered

  StateValueCache none(base, 0);
  int reads = base.reads;
  EXPECT_EQ(Value(none, "k1"), Bytes(1000, 1));
  EXPECT_EQ(Value(none, "k1"), Bytes(1000, 1));
  EXPECT_EQ(base.reads, reads + 2);
  EXPECT_EQ(none.entries(), 0u);
}

// Against the map itself over random reads and blocks of writes, with a capacity that forces
// the cache to empty itself again and again: every read answers what the base holds.
TEST(StateValueCacheTest, AlwaysAnswersWhatTheBaseHolds) {
  MapState base;
  StateValueCache cache(base, 40 * (StateValueCache::kEntryOverhead + 8));
  std::mt19937 random(5);
  auto key = [&] { return "k" + std::to_string(random() % 64); };
  for (int step = 0; step < 20'000; ++step) {
    if (random() % 4 == 0) {
      trade::WorkingState::Writes block;
      for (int n = 1 + random() % 5; n > 0; --n) {
        std::optional<Bytes> value;
        if (random() % 3 != 0) value = Bytes(random() % 8, uint8_t(step));
        block[ToBytes(key())] = value;
      }
      base.Commit(block);
      cache.Apply(block);
    } else {
      std::string k = key();
      auto it = base.values.find(k);
      std::optional<Bytes> expected;
      if (it != base.values.end()) expected = it->second;
      ASSERT_EQ(Value(cache, k), expected) << "step " << step << " key " << k;
    }
  }
  EXPECT_GT(cache.hits(), 1000u);
}

// A record is parsed once while its value stays; a committed change drops the parse.
TEST(StateValueCacheTest, KeepsTheParseUntilTheValueChanges) {
  MapState base;
  base.values["key/a"] = ToBytes(R"({"status":"ACTIVE"})");
  base.values["broken"] = ToBytes("not json");
  StateValueCache cache(base, 1 << 20);
  auto first = cache.GetJson(AsBytes("key/a"));
  auto second = cache.GetJson(AsBytes("key/a"));
  ASSERT_TRUE(first && *first && second);
  EXPECT_EQ(first->get(), second->get());  // the same parse, shared
  EXPECT_EQ((**first)["status"], "ACTIVE");
  EXPECT_EQ(base.reads, 1);
  size_t with_parse = cache.bytes();

  trade::WorkingState::Writes block = {{ToBytes("key/a"), ToBytes(R"({"status":"REVOKED"})")}};
  base.Commit(block);
  cache.Apply(block);
  EXPECT_LT(cache.bytes(), with_parse);  // the old parse is gone
  auto after = cache.GetJson(AsBytes("key/a"));
  ASSERT_TRUE(after && *after);
  EXPECT_EQ((**after)["status"], "REVOKED");
  EXPECT_EQ((**first)["status"], "ACTIVE");  // a holder's parse is untouched
  EXPECT_EQ(base.reads, 1);

  auto absent = cache.GetJson(AsBytes("key/none"));
  ASSERT_TRUE(absent);
  EXPECT_EQ(*absent, nullptr);
  auto broken = cache.GetJson(AsBytes("broken"));
  ASSERT_FALSE(broken);
  EXPECT_EQ(broken.error().code, "STATE_CORRUPT");
  EXPECT_EQ(Value(cache, "broken"), ToBytes("not json"));  // the text is still answered
}

// With room for the text but not for a parse, the parse is made, returned and not kept.
TEST(StateValueCacheTest, AParseThatDoesNotFitIsNotKept) {
  MapState base;
  std::string record = R"({"note":")" + std::string(1000, 'x') + R"("})";
  base.values["k"] = ToBytes(record);
  StateValueCache cache(base, record.size() * 2 + 1 + StateValueCache::kEntryOverhead);
  auto parsed = cache.GetJson(AsBytes("k"));
  ASSERT_TRUE(parsed && *parsed);
  EXPECT_EQ((**parsed)["note"].get<std::string>().size(), 1000u);
  EXPECT_EQ(cache.entries(), 1u);
  EXPECT_EQ(cache.bytes(), 1 + record.size() + StateValueCache::kEntryOverhead);  // text only
  auto again = cache.GetJson(AsBytes("k"));
  ASSERT_TRUE(again && *again);
  EXPECT_EQ(**again, **parsed);
  EXPECT_EQ(base.reads, 1);
}

}  // namespace
}  // namespace tradeledger::node
