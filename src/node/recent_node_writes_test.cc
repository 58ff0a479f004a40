#include "node/recent_node_writes.h"

#include <gtest/gtest.h>

#include <cstring>
#include <map>
#include <random>

namespace tradeledger::node {
namespace {

using core::Hash32;
using core::Height;

Hash32 H(uint64_t prefix, uint8_t tail = 0) {
  Hash32 h;
  std::memcpy(h.data.data(), &prefix, sizeof(prefix));
  h.data[31] = tail;
  return h;
}

TEST(RecentNodeWritesTest, AnswersOnlyForTheHeightsItCovers) {
  RecentNodeWrites r;
  EXPECT_EQ(r.MayHaveWrittenSince(H(1), Height(1)), std::nullopt);
  r.Record(Height(5), {H(1)});
  r.Record(Height(6), {H(2)});
  EXPECT_EQ(r.covered_from(), Height(5));
  EXPECT_EQ(r.MayHaveWrittenSince(H(1), Height(4)), std::nullopt);  // height 4 was not seen
  EXPECT_EQ(r.MayHaveWrittenSince(H(1), Height(5)), true);
  EXPECT_EQ(r.MayHaveWrittenSince(H(3), Height(5)), false);
  EXPECT_EQ(r.MayHaveWrittenSince(H(2), Height(7)), false);  // nothing recorded from 7 on
  EXPECT_EQ(r.size(), 2u);
}

TEST(RecentNodeWritesTest, ForgettingHeightsDropsTheirNodesAndRaisesCoverage) {
  RecentNodeWrites r;
  r.Record(Height(1), {H(1), H(2)});
  r.Record(Height(2), {H(2), H(3)});  // the same node written again
  r.Record(Height(3), {H(4)});
  r.Forget(Height(1));
  EXPECT_EQ(r.covered_from(), Height(2));
  EXPECT_EQ(r.size(), 3u);
  EXPECT_EQ(r.MayHaveWrittenSince(H(1), Height(2)), false);
  EXPECT_EQ(r.MayHaveWrittenSince(H(2), Height(2)), true);  // still counted for height 2
  EXPECT_EQ(r.MayHaveWrittenSince(H(1), Height(1)), std::nullopt);
  r.Forget(Height(2));
  EXPECT_EQ(r.MayHaveWrittenSince(H(2), Height(3)), false);
  EXPECT_EQ(r.MayHaveWrittenSince(H(4), Height(3)), true);
  r.Forget(Height(9));
  EXPECT_EQ(r.size(), 0u);
  EXPECT_EQ(r.covered_from(), std::nullopt);
}

TEST(RecentNodeWritesTest, AGapInTheHeightsRestartsCoverage) {
  RecentNodeWrites r;
  r.Record(Height(1), {H(1)});
  r.Record(Height(3), {H(3)});  // height 2 was never recorded
  EXPECT_EQ(r.covered_from(), Height(3));
  EXPECT_EQ(r.size(), 1u);
  EXPECT_EQ(r.MayHaveWrittenSince(H(1), Height(3)), false);
  EXPECT_EQ(r.MayHaveWrittenSince(H(1), Height(2)), std::nullopt);
}

// Nodes sharing a fingerprint (the hash's first 8 bytes) are one entry: a hit is only "may".
TEST(RecentNodeWritesTest, ASharedFingerprintIsAMayHave) {
  RecentNodeWrites r;
  r.Record(Height(1), {H(7, 1)});
  EXPECT_EQ(r.MayHaveWrittenSince(H(7, 2), Height(1)), true);
  EXPECT_EQ(r.MayHaveWrittenSince(H(0), Height(1)), false);  // prefix 0 is stored as 1
  r.Record(Height(2), {H(0)});
  EXPECT_EQ(r.MayHaveWrittenSince(H(1), Height(1)), true);
}

// Random records and forgets on a table that grows and shrinks, with fingerprints chosen to
// collide in their low bits (long probe runs, deletions in the middle of them), against a
// plain multiset of what each covered height wrote.
TEST(RecentNodeWritesTest, MatchesAReferenceUnderRandomRecordsAndForgets) {
  std::mt19937_64 rng(20261206);
  RecentNodeWrites r;
  std::map<uint64_t, std::vector<uint64_t>> reference;  // height -> prefixes written
  uint64_t next = 1;
  for (int step = 0; step < 2000; ++step) {
    std::vector<Hash32> written;
    std::vector<uint64_t> prefixes;
    size_t n = rng() % 40;
    for (size_t i = 0; i < n; ++i) {
      uint64_t p = ((rng() % 64) << 20) | (rng() % 8);  // few distinct low bits
      prefixes.push_back(p == 0 ? 1 : p);
      written.push_back(H(p));
    }
    r.Record(Height(next), written);
    reference[next] = prefixes;
    ++next;
    if (rng() % 3 == 0 && reference.size() > 1) {
      uint64_t upto = reference.begin()->first + rng() % (reference.size() - 1);
      r.Forget(Height(upto));
      while (!reference.empty() && reference.begin()->first <= upto) {
        reference.erase(reference.begin());
      }
    }
    size_t total = 0;
    std::map<uint64_t, int> counts;
    for (const auto& [height, ps] : reference) {
      total += ps.size();
      for (uint64_t p : ps) ++counts[p];
    }
    ASSERT_EQ(r.size(), total) << "step " << step;
    ASSERT_EQ(r.covered_from(), Height(reference.begin()->first)) << "step " << step;
    for (int probe = 0; probe < 20; ++probe) {
      uint64_t p = ((rng() % 64) << 20) | (rng() % 8);
      if (p == 0) p = 1;
      ASSERT_EQ(r.MayHaveWrittenSince(H(p), Height(reference.begin()->first)), counts.contains(p))
          << "step " << step << " prefix " << p;
    }
  }
}

}  // namespace
}  // namespace tradeledger::node
