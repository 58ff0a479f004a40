#include "storage/recent_writes.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <string>

namespace tradeledger::storage {
namespace {

using core::Bytes;
using core::ToBytes;

std::optional<Bytes> ValueOf(const RecentWrites::Found& found) {
  if (!found.value) return std::nullopt;
  return Bytes(found.value->begin(), found.value->end());
}

TEST(RecentWrites, FindsTheLatestWriteOfEachKey) {
  RecentWrites w;
  EXPECT_FALSE(w.Find(ToBytes("a")).written);
  w.Put(ToBytes("a"), ToBytes("1"));
  w.Put(ToBytes("b"), std::nullopt);
  w.Put(ToBytes("a"), ToBytes("22"));
  auto a = w.Find(ToBytes("a"));
  ASSERT_TRUE(a.written);
  EXPECT_EQ(ValueOf(a), ToBytes("22"));
  auto b = w.Find(ToBytes("b"));
  EXPECT_TRUE(b.written);  // a deletion is a write
  EXPECT_FALSE(b.value.has_value());
  EXPECT_FALSE(w.Find(ToBytes("c")).written);
  EXPECT_FALSE(w.Find(ToBytes("")).written);
  EXPECT_EQ(w.size(), 2u);
  EXPECT_EQ(w.bytes(), 1u + 1 + 1 + 1 + 2);
}

TEST(RecentWrites, EmptyKeysAndValuesAreWrites) {
  RecentWrites w;
  w.Put(ToBytes(""), ToBytes(""));
  auto found = w.Find(ToBytes(""));
  ASSERT_TRUE(found.written);
  ASSERT_TRUE(found.value.has_value());
  EXPECT_TRUE(found.value->empty());
}

// Many keys (the index grows several times), values of every size up to beyond a chunk, and
// rewrites: each key reads back its latest write; after Clear none is found, and the reused
// memory holds the next round correctly.
TEST(RecentWrites, AgreesWithAMapThroughGrowthLargeValuesAndClear) {
  RecentWrites w;
  for (int round = 0; round < 3; ++round) {
    std::map<std::string, std::optional<Bytes>> model;
    for (int i = 0; i < 20'000; ++i) {
      std::string key = "k" + std::to_string((i * 7919) % 6000) + "/" + std::to_string(round);
      if (i % 5 == 0) {
        w.Put(ToBytes(key), std::nullopt);
        model[key] = std::nullopt;
      } else {
        size_t size = i % 997 == 0 ? (3u << 20) : static_cast<size_t>(i % 300);
        Bytes value(size, static_cast<uint8_t>(i));
        w.Put(ToBytes(key), value);
        model[key] = value;
      }
    }
    EXPECT_EQ(w.size(), model.size());
    for (const auto& [key, value] : model) {
      auto found = w.Find(ToBytes(key));
      ASSERT_TRUE(found.written) << key;
      ASSERT_EQ(ValueOf(found), value) << key;
    }
    EXPECT_FALSE(w.Find(ToBytes("k1/" + std::to_string(round + 1))).written);
    w.Clear();
    EXPECT_EQ(w.size(), 0u);
    EXPECT_EQ(w.bytes(), 0u);
    for (const auto& [key, value] : model) ASSERT_FALSE(w.Find(ToBytes(key)).written) << key;
  }
}

}  // namespace
}  // namespace tradeledger::storage
