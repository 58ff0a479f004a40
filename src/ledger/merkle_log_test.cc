#include "ledger/merkle_log.h"

#include <gtest/gtest.h>

#include <bit>
#include <random>
#include <string>
#include <vector>

namespace tradeledger::ledger {
namespace {

using core::AsBytes;

// Reference MTH straight from RFC 9162 section 2.1.1, independent of the code under test.
Hash32 RefMth(std::span<const Hash32> leaves) {
  if (leaves.empty()) return EmptyRoot();
  if (leaves.size() == 1) return leaves[0];
  size_t k = 1;
  while (k * 2 < leaves.size()) k *= 2;
  return NodeHash(RefMth(leaves.first(k)), RefMth(leaves.subspan(k)));
}

std::vector<Hash32> TestLeaves(size_t n) {
  std::vector<Hash32> leaves;
  leaves.reserve(n);
  for (size_t i = 0; i < n; ++i) leaves.push_back(LeafHash(AsBytes("tx " + std::to_string(i))));
  return leaves;
}

// A log and its stored nodes, built by appending `leaves` in order.
struct BuiltLog {
  MerkleLog log;
  MemoryLogNodes nodes;
};

BuiltLog Build(const std::vector<Hash32>& leaves) {
  BuiltLog built;
  std::vector<LogNode> batch;
  for (const Hash32& leaf : leaves) built.log.Append(leaf, &batch);
  built.nodes.Add(batch);
  return built;
}

// Counts reads through the seam, to check the O(log n) bound.
class CountingReader : public LogNodeReader {
 public:
  explicit CountingReader(const LogNodeReader& inner) : inner_(inner) {}
  core::Result<Hash32> Node(uint32_t level, uint64_t index) const override {
    ++reads_;
    return inner_.Node(level, index);
  }
  int reads() const { return reads_; }
  void Reset() { reads_ = 0; }

 private:
  const LogNodeReader& inner_;
  mutable int reads_ = 0;
};

// A store that has failed.
class BrokenReader : public LogNodeReader {
 public:
  core::Result<Hash32> Node(uint32_t, uint64_t) const override {
    return core::Fail("STORAGE_ERROR", "disk on fire");
  }
};

constexpr size_t kMaxExhaustive = 64;

TEST(MerkleLog, StartsEmptyWithTheEmptyRoot) {
  MerkleLog log;
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(log.Root(), EmptyRoot());
  EXPECT_TRUE(log.frontier().empty());
  MemoryLogNodes nodes;
  EXPECT_EQ(*RootAt(0, nodes), EmptyRoot());
}

TEST(MerkleLog, RootMatchesReferenceAfterEveryAppend) {
  const std::vector<Hash32> leaves = TestLeaves(300);
  MerkleLog log;
  std::vector<LogNode> ignored;
  for (size_t n = 1; n <= leaves.size(); ++n) {
    log.Append(leaves[n - 1], &ignored);
    ASSERT_EQ(log.size(), n);
    EXPECT_EQ(log.Root(), RefMth({leaves.data(), n})) << "size " << n;
    EXPECT_EQ(log.frontier().size(), static_cast<size_t>(std::popcount(n)));
  }
}

TEST(MerkleLog, AppendEmitsTheLeafAndEveryCompletedParent) {
  const std::vector<Hash32> leaves = TestLeaves(64);
  MerkleLog log;
  MemoryLogNodes nodes;
  for (size_t i = 0; i < leaves.size(); ++i) {
    std::vector<LogNode> fresh;
    log.Append(leaves[i], &fresh);
    // The leaf, then one parent per trailing 1 bit of the old size, lowest level first.
    ASSERT_EQ(fresh.size(), static_cast<size_t>(std::countr_one(i)) + 1) << "leaf " << i;
    for (size_t j = 0; j < fresh.size(); ++j) {
      const LogNode& node = fresh[j];
      EXPECT_EQ(node.level, j);
      EXPECT_EQ(node.index, i >> j);
      const size_t width = size_t{1} << node.level;
      EXPECT_EQ(node.hash,
                RefMth(std::span<const Hash32>(leaves).subspan(node.index * width, width)));
    }
    nodes.Add(fresh);
    EXPECT_EQ(nodes.node_count(), 2 * (i + 1) - static_cast<size_t>(std::popcount(i + 1)));
  }
}

TEST(MerkleLog, AppendDoesNotClearTheCallersBatch) {
  MerkleLog log;
  std::vector<LogNode> batch;
  log.Append(LeafHash(AsBytes("a")), &batch);
  log.Append(LeafHash(AsBytes("b")), &batch);
  EXPECT_EQ(batch.size(), 3u);  // (0,0), (0,1), (1,0)
}

TEST(MerkleLog, RootAtMatchesReferenceForEveryEarlierSize) {
  const std::vector<Hash32> leaves = TestLeaves(200);
  const BuiltLog built = Build(leaves);
  for (size_t n = 0; n <= leaves.size(); ++n) {
    auto root = RootAt(n, built.nodes);
    ASSERT_TRUE(root) << root.error().ToString();
    EXPECT_EQ(*root, RefMth({leaves.data(), n})) << "size " << n;
  }
}

TEST(MerkleLog, RestoreReproducesRootForManySizes) {
  const std::vector<Hash32> leaves = TestLeaves(300);
  const BuiltLog built = Build(leaves);
  for (size_t n = 0; n <= leaves.size(); ++n) {
    CountingReader counting(built.nodes);
    auto restored = MerkleLog::Restore(n, counting);
    ASSERT_TRUE(restored) << restored.error().ToString();
    EXPECT_EQ(restored->size(), n);
    EXPECT_EQ(restored->Root(), RefMth({leaves.data(), n})) << "size " << n;
    EXPECT_EQ(counting.reads(), std::popcount(n));
  }
}

TEST(MerkleLog, RestoredLogContinuesLikeTheOriginal) {
  const std::vector<Hash32> leaves = TestLeaves(100);
  for (size_t cut : {0, 1, 5, 32, 63, 64, 77}) {
    const BuiltLog prefix = Build({leaves.begin(), leaves.begin() + static_cast<long>(cut)});
    auto restored = MerkleLog::Restore(cut, prefix.nodes);
    ASSERT_TRUE(restored);
    MemoryLogNodes nodes = prefix.nodes;
    for (size_t i = cut; i < leaves.size(); ++i) {
      std::vector<LogNode> fresh;
      restored->Append(leaves[i], &fresh);
      nodes.Add(fresh);  // aborts if a node conflicts with one already stored
    }
    EXPECT_EQ(restored->Root(), RefMth(leaves)) << "cut " << cut;
    EXPECT_EQ(nodes.node_count(), 2 * leaves.size() - std::popcount(leaves.size()));
  }
}

TEST(MerkleLog, RestoreReportsMissingAndFailingStorage) {
  const BuiltLog built = Build(TestLeaves(10));
  EXPECT_EQ(MerkleLog::Restore(11, built.nodes).error().code, "NOT_FOUND");
  EXPECT_EQ(MerkleLog::Restore(10, BrokenReader()).error().code, "STORAGE_ERROR");
  EXPECT_TRUE(MerkleLog::Restore(0, BrokenReader()));  // nothing to read
}

TEST(MerkleLog, FromFrontierChecksTheHashCount) {
  const BuiltLog built = Build(TestLeaves(11));
  auto copy = MerkleLog::FromFrontier(11, built.log.frontier());
  ASSERT_TRUE(copy);
  EXPECT_EQ(copy->Root(), built.log.Root());
  EXPECT_EQ(MerkleLog::FromFrontier(12, built.log.frontier()).error().code, "LOG_FRONTIER_INVALID");
  EXPECT_EQ(MerkleLog::FromFrontier(0, built.log.frontier()).error().code, "LOG_FRONTIER_INVALID");
}

TEST(MerkleLogProof, InclusionProofsVerifyForEveryLeafOfEverySizeUpTo64) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  const BuiltLog built = Build(leaves);
  for (size_t n = 1; n <= kMaxExhaustive; ++n) {
    const Hash32 root = RefMth({leaves.data(), n});
    for (size_t i = 0; i < n; ++i) {
      auto proof = ProveInclusion(i, n, built.nodes);
      ASSERT_TRUE(proof) << proof.error().ToString();
      EXPECT_EQ(proof->leaf_index, i);
      EXPECT_EQ(proof->tree_size, n);
      auto status = VerifyInclusion(leaves[i], *proof, root);
      EXPECT_TRUE(status) << i << " of " << n << ": " << status.error().ToString();
      // Another leaf's hash must not verify with this proof.
      EXPECT_FALSE(VerifyInclusion(leaves[(i + 1) % kMaxExhaustive], *proof, root));
    }
  }
}

TEST(MerkleLogProof, ConsistencyProofsVerifyForEveryPairUpTo64) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  const BuiltLog built = Build(leaves);
  for (size_t n = 1; n <= kMaxExhaustive; ++n) {
    const Hash32 new_root = RefMth({leaves.data(), n});
    for (size_t m = 0; m <= n; ++m) {
      const Hash32 old_root = RefMth({leaves.data(), m});
      auto proof = ProveConsistency(m, n, built.nodes);
      ASSERT_TRUE(proof) << proof.error().ToString();
      EXPECT_EQ(proof->old_size, m);
      EXPECT_EQ(proof->new_size, n);
      auto status = VerifyConsistency(*proof, old_root, new_root);
      EXPECT_TRUE(status) << m << " to " << n << ": " << status.error().ToString();
      if (m > 0 && m < n) {
        // A different old tree of the same size is not consistent with the new one.
        EXPECT_FALSE(VerifyConsistency(*proof, NodeHash(old_root, old_root), new_root));
      }
    }
  }
}

TEST(MerkleLogProof, ProofsSurviveEncoding) {
  const std::vector<Hash32> leaves = TestLeaves(37);
  const BuiltLog built = Build(leaves);
  auto inclusion = ProveInclusion(20, 37, built.nodes);
  ASSERT_TRUE(inclusion);
  auto decoded = InclusionProof::Decode(inclusion->Encode());
  ASSERT_TRUE(decoded);
  EXPECT_TRUE(VerifyInclusion(leaves[20], *decoded, built.log.Root()));

  auto consistency = ProveConsistency(13, 37, built.nodes);
  ASSERT_TRUE(consistency);
  auto decoded2 = ConsistencyProof::Decode(consistency->Encode());
  ASSERT_TRUE(decoded2);
  EXPECT_TRUE(VerifyConsistency(*decoded2, RefMth({leaves.data(), 13}), built.log.Root()));
}

TEST(MerkleLogProof, RejectsOutOfRangeRequests) {
  const BuiltLog built = Build(TestLeaves(8));
  EXPECT_EQ(ProveInclusion(8, 8, built.nodes).error().code, "INVALID_ARGUMENT");
  EXPECT_EQ(ProveInclusion(0, 0, built.nodes).error().code, "INVALID_ARGUMENT");
  EXPECT_EQ(ProveConsistency(5, 4, built.nodes).error().code, "INVALID_ARGUMENT");
  // Sizes beyond what is stored surface as the store's NOT_FOUND.
  EXPECT_EQ(ProveInclusion(3, 9, built.nodes).error().code, "NOT_FOUND");
  EXPECT_EQ(ProveConsistency(3, 9, built.nodes).error().code, "NOT_FOUND");
  EXPECT_EQ(RootAt(9, built.nodes).error().code, "NOT_FOUND");
}

TEST(MerkleLogProof, PropagatesStorageErrors) {
  BrokenReader broken;
  EXPECT_EQ(ProveInclusion(3, 9, broken).error().code, "STORAGE_ERROR");
  EXPECT_EQ(ProveConsistency(3, 9, broken).error().code, "STORAGE_ERROR");
  EXPECT_EQ(RootAt(9, broken).error().code, "STORAGE_ERROR");
  // Trivial proofs need no storage.
  EXPECT_TRUE(ProveConsistency(0, 9, broken));
  EXPECT_TRUE(ProveConsistency(9, 9, broken));
  EXPECT_TRUE(ProveInclusion(0, 1, broken));
}

// Every operation reads O(log n) stored nodes, never the leaves wholesale.
TEST(MerkleLogProof, ReadsLogarithmicallyManyNodes) {
  const size_t kSize = 70001;  // odd, with many set bits: a long ragged right edge
  const std::vector<Hash32> leaves = TestLeaves(kSize);
  const BuiltLog built = Build(leaves);
  CountingReader counting(built.nodes);
  std::mt19937_64 rng(20240501);
  for (int trial = 0; trial < 300; ++trial) {
    const uint64_t n = 1 + rng() % kSize;
    const uint64_t bound = 2 * static_cast<uint64_t>(std::bit_width(n)) + 2;
    const uint64_t i = rng() % n;

    counting.Reset();
    auto root = RootAt(n, counting);
    ASSERT_TRUE(root);
    EXPECT_LE(counting.reads(), std::bit_width(n));

    counting.Reset();
    auto inclusion = ProveInclusion(i, n, counting);
    ASSERT_TRUE(inclusion);
    EXPECT_LE(static_cast<uint64_t>(counting.reads()), bound) << i << " of " << n;
    EXPECT_TRUE(VerifyInclusion(leaves[i], *inclusion, *root)) << i << " of " << n;

    const uint64_t m = rng() % (n + 1);
    counting.Reset();
    auto consistency = ProveConsistency(m, n, counting);
    ASSERT_TRUE(consistency);
    EXPECT_LE(static_cast<uint64_t>(counting.reads()), bound) << m << " to " << n;
    auto old_root = RootAt(m, built.nodes);
    ASSERT_TRUE(old_root);
    EXPECT_TRUE(VerifyConsistency(*consistency, *old_root, *root)) << m << " to " << n;
  }
  // The full-size root agrees with the in-memory frontier and the plain fold.
  EXPECT_EQ(*RootAt(kSize, built.nodes), built.log.Root());
  EXPECT_EQ(built.log.Root(), RootOfLeafHashes(leaves));
}

TEST(MemoryLogNodes, ReportsMissingNodesAsNotFound) {
  MemoryLogNodes nodes;
  EXPECT_EQ(nodes.Node(0, 0).error().code, "NOT_FOUND");
  const Hash32 h = LeafHash(AsBytes("x"));
  nodes.Add({LogNode{0, 0, h}});
  nodes.Add({LogNode{0, 0, h}});  // identical re-add is a no-op
  EXPECT_EQ(nodes.node_count(), 1u);
  EXPECT_EQ(*nodes.Node(0, 0), h);
  EXPECT_EQ(nodes.Node(1, 0).error().code, "NOT_FOUND");
}

TEST(MemoryLogNodesDeathTest, RefusesToOverwriteANode) {
  MemoryLogNodes nodes;
  nodes.Add({LogNode{0, 0, LeafHash(AsBytes("x"))}});
  EXPECT_DEATH(nodes.Add({LogNode{0, 0, LeafHash(AsBytes("y"))}}), "invariant violated");
}

}  // namespace
}  // namespace tradeledger::ledger
