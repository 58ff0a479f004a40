#include "ledger/merkle.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/encoding.h"
#include "crypto/sha256.h"

namespace tradeledger::ledger {
namespace {

using core::AsBytes;
using core::Bytes;

// Reference implementations written straight from the recursive definitions of RFC 9162
// (MTH in 2.1.1, PATH in 2.1.3.1, PROOF/SUBPROOF in 2.1.4.1): slow and obviously correct, and
// independent of the code under test apart from LeafHash/NodeHash.
size_t LargestPowerOfTwoBelow(size_t n) {
  size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Hash32 RefMth(std::span<const Hash32> leaves) {
  if (leaves.empty()) return crypto::Sha256Of(core::ByteSpan());
  if (leaves.size() == 1) return leaves[0];
  const size_t k = LargestPowerOfTwoBelow(leaves.size());
  return NodeHash(RefMth(leaves.first(k)), RefMth(leaves.subspan(k)));
}

std::vector<Hash32> RefPath(size_t m, std::span<const Hash32> leaves) {
  if (leaves.size() <= 1) return {};
  const size_t k = LargestPowerOfTwoBelow(leaves.size());
  std::vector<Hash32> path;
  if (m < k) {
    path = RefPath(m, leaves.first(k));
    path.push_back(RefMth(leaves.subspan(k)));
  } else {
    path = RefPath(m - k, leaves.subspan(k));
    path.push_back(RefMth(leaves.first(k)));
  }
  return path;
}

std::vector<Hash32> RefSubproof(size_t m, std::span<const Hash32> leaves, bool whole_old_tree) {
  if (m == leaves.size()) {
    if (whole_old_tree) return {};
    return {RefMth(leaves)};
  }
  const size_t k = LargestPowerOfTwoBelow(leaves.size());
  std::vector<Hash32> proof;
  if (m <= k) {
    proof = RefSubproof(m, leaves.first(k), whole_old_tree);
    proof.push_back(RefMth(leaves.subspan(k)));
  } else {
    proof = RefSubproof(m - k, leaves.subspan(k), false);
    proof.push_back(RefMth(leaves.first(k)));
  }
  return proof;
}

std::vector<Hash32> TestLeaves(size_t n) {
  std::vector<Hash32> leaves;
  for (size_t i = 0; i < n; ++i) leaves.push_back(LeafHash(AsBytes("leaf " + std::to_string(i))));
  return leaves;
}

Hash32 Flipped(Hash32 h, size_t byte = 0) {
  h.data[byte % Hash32::kSize] ^= 0x01;
  return h;
}

constexpr size_t kMaxExhaustive = 64;

TEST(MerkleHash, EmptyRootIsSha256OfEmptyString) {
  EXPECT_EQ(EmptyRoot().hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(RootOfLeafHashes({}), EmptyRoot());
}

TEST(MerkleHash, LeafAndNodeHashesAreDomainSeparated) {
  const Bytes data = core::ToBytes("abc");
  Bytes prefixed{0x00};
  prefixed.insert(prefixed.end(), data.begin(), data.end());
  EXPECT_EQ(LeafHash(data), crypto::Sha256Of(prefixed));

  const Hash32 l = LeafHash(AsBytes("l"));
  const Hash32 r = LeafHash(AsBytes("r"));
  Bytes node{0x01};
  node.insert(node.end(), l.data.begin(), l.data.end());
  node.insert(node.end(), r.data.begin(), r.data.end());
  EXPECT_EQ(NodeHash(l, r), crypto::Sha256Of(node));
  EXPECT_NE(NodeHash(l, r), NodeHash(r, l));
  // A leaf whose data is the concatenation of two hashes does not collide with their parent.
  Bytes both(l.data.begin(), l.data.end());
  both.insert(both.end(), r.data.begin(), r.data.end());
  EXPECT_NE(LeafHash(both), NodeHash(l, r));
}

// The Certificate Transparency test vectors (RFC 6962 reference implementation). The expected
// roots were recomputed independently (Python hashlib) before being pinned here.
TEST(MerkleHash, MatchesCertificateTransparencyKnownAnswers) {
  const char* kInputs[] = {"",
                           "00",
                           "10",
                           "2021",
                           "3031",
                           "40414243",
                           "5051525354555657",
                           "606162636465666768696a6b6c6d6e6f"};
  const char* kRoots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  std::vector<Hash32> leaves;
  for (size_t i = 0; i < 8; ++i) {
    auto data = core::FromHex(kInputs[i]);
    ASSERT_TRUE(data);
    leaves.push_back(LeafHash(*data));
    EXPECT_EQ(RefMth(leaves).hex(), std::string(kRoots[i])) << "reference, size " << i + 1;
    EXPECT_EQ(RootOfLeafHashes(leaves).hex(), std::string(kRoots[i])) << "size " << i + 1;
  }
}

TEST(MerkleHash, RootOfLeafHashesMatchesReferenceForAllSizes) {
  const std::vector<Hash32> leaves = TestLeaves(200);
  for (size_t n = 0; n <= leaves.size(); ++n) {
    std::span<const Hash32> prefix(leaves.data(), n);
    EXPECT_EQ(RootOfLeafHashes(prefix), RefMth(prefix)) << "size " << n;
  }
}

TEST(MerkleProof, VerifiesEveryReferenceInclusionProof) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  for (size_t n = 1; n <= kMaxExhaustive; ++n) {
    std::span<const Hash32> tree(leaves.data(), n);
    const Hash32 root = RefMth(tree);
    for (size_t i = 0; i < n; ++i) {
      InclusionProof proof{i, n, RefPath(i, tree)};
      EXPECT_EQ(proof.path.size(), InclusionPathLength(i, n)) << i << " of " << n;
      EXPECT_TRUE(VerifyInclusion(leaves[i], proof, root)) << i << " of " << n;
    }
  }
}

TEST(MerkleProof, VerifiesEveryReferenceConsistencyProof) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  for (size_t n = 1; n <= kMaxExhaustive; ++n) {
    std::span<const Hash32> tree(leaves.data(), n);
    const Hash32 new_root = RefMth(tree);
    for (size_t m = 1; m <= n; ++m) {
      ConsistencyProof proof{m, n, RefSubproof(m, tree, true)};
      EXPECT_EQ(proof.path.size(), ConsistencyPathLength(m, n)) << m << " to " << n;
      EXPECT_TRUE(VerifyConsistency(proof, RefMth(tree.first(m)), new_root)) << m << " to " << n;
    }
  }
}

TEST(MerkleProof, RejectsTamperedSibling) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  for (size_t n = 1; n <= kMaxExhaustive; ++n) {
    std::span<const Hash32> tree(leaves.data(), n);
    const Hash32 root = RefMth(tree);
    for (size_t i = 0; i < n; ++i) {
      const InclusionProof good{i, n, RefPath(i, tree)};
      for (size_t s = 0; s < good.path.size(); ++s) {
        InclusionProof bad = good;
        bad.path[s] = Flipped(bad.path[s], s);
        auto status = VerifyInclusion(leaves[i], bad, root);
        ASSERT_FALSE(status) << i << " of " << n << " sibling " << s;
        EXPECT_EQ(status.error().code, "PROOF_INVALID");
      }
    }
  }
}

TEST(MerkleProof, RejectsTamperedLeafOrRoot) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  for (size_t n = 1; n <= kMaxExhaustive; ++n) {
    std::span<const Hash32> tree(leaves.data(), n);
    const Hash32 root = RefMth(tree);
    for (size_t i = 0; i < n; ++i) {
      const InclusionProof proof{i, n, RefPath(i, tree)};
      EXPECT_EQ(VerifyInclusion(Flipped(leaves[i]), proof, root).error().code, "PROOF_INVALID");
      EXPECT_EQ(VerifyInclusion(leaves[i], proof, Flipped(root, 31)).error().code, "PROOF_INVALID");
    }
  }
}

TEST(MerkleProof, RejectsWrongLeafIndex) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  for (size_t n = 1; n <= kMaxExhaustive; ++n) {
    std::span<const Hash32> tree(leaves.data(), n);
    const Hash32 root = RefMth(tree);
    for (size_t i = 0; i < n; ++i) {
      InclusionProof proof{i, n, RefPath(i, tree)};
      for (size_t j = 0; j < n + 2; ++j) {
        if (j == i) continue;
        proof.leaf_index = j;
        EXPECT_FALSE(VerifyInclusion(leaves[i], proof, root)) << i << " as " << j << " of " << n;
      }
    }
  }
}

// A tree size is only meaningful together with the root it was signed with: a proof relabelled
// with another size must not verify against that size's root.
TEST(MerkleProof, RejectsWrongTreeSize) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  std::vector<Hash32> roots;
  for (size_t n = 0; n <= kMaxExhaustive; ++n) roots.push_back(RefMth({leaves.data(), n}));
  for (size_t n = 1; n <= kMaxExhaustive; ++n) {
    std::span<const Hash32> tree(leaves.data(), n);
    for (size_t i = 0; i < n; ++i) {
      InclusionProof proof{i, n, RefPath(i, tree)};
      for (size_t other = 1; other <= kMaxExhaustive; ++other) {
        if (other == n) continue;
        proof.tree_size = other;
        EXPECT_FALSE(VerifyInclusion(leaves[i], proof, roots[other]))
            << i << " of " << n << " as size " << other;
      }
    }
  }
}

// As in RFC 9162, a proof does not bind the tree size to the root on its own: the leaf-0 path
// of a 3-leaf tree has the same shape as the leaf-0 path of a 4-leaf tree. Callers must take the
// size and the root from the same signed tree head; this test pins that contract.
TEST(MerkleProof, SizeIsBoundToTheRootOnlyByTheCaller) {
  const std::vector<Hash32> leaves = TestLeaves(3);
  InclusionProof proof{0, 4, RefPath(0, leaves)};
  EXPECT_TRUE(VerifyInclusion(leaves[0], proof, RefMth(leaves)));
}

TEST(MerkleProof, RejectsMalformedInclusionProofs) {
  const std::vector<Hash32> leaves = TestLeaves(5);
  const Hash32 root = RefMth(leaves);
  const InclusionProof good{2, 5, RefPath(2, leaves)};
  ASSERT_TRUE(VerifyInclusion(leaves[2], good, root));

  InclusionProof bad = good;
  bad.leaf_index = 5;
  EXPECT_EQ(VerifyInclusion(leaves[2], bad, root).error().code, "PROOF_MALFORMED");
  bad = good;
  bad.tree_size = 0;
  bad.leaf_index = 0;
  EXPECT_EQ(VerifyInclusion(leaves[2], bad, root).error().code, "PROOF_MALFORMED");
  bad = good;
  bad.path.push_back(root);
  EXPECT_EQ(VerifyInclusion(leaves[2], bad, root).error().code, "PROOF_MALFORMED");
  bad = good;
  bad.path.pop_back();
  EXPECT_EQ(VerifyInclusion(leaves[2], bad, root).error().code, "PROOF_MALFORMED");
  // A one-leaf tree: the leaf is the root and the path is empty.
  EXPECT_TRUE(VerifyInclusion(leaves[0], InclusionProof{0, 1, {}}, leaves[0]));
}

TEST(MerkleProof, HandlesLargeTreeSizesWithoutOverflow) {
  const uint64_t kMax = ~uint64_t{0};
  EXPECT_EQ(InclusionPathLength(0, kMax), 64u);
  EXPECT_EQ(InclusionPathLength(kMax - 1, kMax), 63u);
  EXPECT_LE(ConsistencyPathLength(kMax - 1, kMax), kMaxProofPathLength);
  // A consistency proof has at most ceil(log2(new_size)) + 1 hashes: 65 only beyond 2^63 leaves.
  EXPECT_EQ(ConsistencyPathLength(12345, kMax), 65u);
  EXPECT_LE(ConsistencyPathLength(12345, uint64_t{1} << 63), kMaxProofPathLength);
  const Hash32 h = LeafHash(AsBytes("x"));
  EXPECT_EQ(VerifyInclusion(h, InclusionProof{kMax - 1, kMax, std::vector<Hash32>(63, h)}, h)
                .error()
                .code,
            "PROOF_INVALID");
}

TEST(MerkleConsistency, RejectsTamperedPathAndRoots) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  for (size_t n = 2; n <= kMaxExhaustive; ++n) {
    std::span<const Hash32> tree(leaves.data(), n);
    const Hash32 new_root = RefMth(tree);
    for (size_t m = 1; m < n; ++m) {
      const Hash32 old_root = RefMth(tree.first(m));
      const ConsistencyProof good{m, n, RefSubproof(m, tree, true)};
      for (size_t s = 0; s < good.path.size(); ++s) {
        ConsistencyProof bad = good;
        bad.path[s] = Flipped(bad.path[s], s);
        auto status = VerifyConsistency(bad, old_root, new_root);
        ASSERT_FALSE(status) << m << " to " << n << " hash " << s;
        EXPECT_EQ(status.error().code, "PROOF_INVALID");
      }
      EXPECT_EQ(VerifyConsistency(good, Flipped(old_root), new_root).error().code, "PROOF_INVALID");
      EXPECT_EQ(VerifyConsistency(good, old_root, Flipped(new_root)).error().code, "PROOF_INVALID");
      // Swapping the roots must not verify either.
      EXPECT_FALSE(VerifyConsistency(good, new_root, old_root));
    }
  }
}

TEST(MerkleConsistency, RejectsWrongSizes) {
  const std::vector<Hash32> leaves = TestLeaves(kMaxExhaustive);
  std::vector<Hash32> roots;
  for (size_t n = 0; n <= kMaxExhaustive; ++n) roots.push_back(RefMth({leaves.data(), n}));
  for (size_t n = 2; n <= kMaxExhaustive; n += 5) {
    std::span<const Hash32> tree(leaves.data(), n);
    for (size_t m = 1; m < n; ++m) {
      const ConsistencyProof good{m, n, RefSubproof(m, tree, true)};
      for (size_t m2 = 1; m2 <= kMaxExhaustive; ++m2) {
        for (size_t n2 = m2; n2 <= kMaxExhaustive; ++n2) {
          if (m2 == m && n2 == n) continue;
          ConsistencyProof bad = good;
          bad.old_size = m2;
          bad.new_size = n2;
          EXPECT_FALSE(VerifyConsistency(bad, roots[m2], roots[n2]))
              << m << "->" << n << " relabelled " << m2 << "->" << n2;
        }
      }
    }
  }
}

TEST(MerkleConsistency, FollowsTheDocumentedEdgeCases) {
  const std::vector<Hash32> leaves = TestLeaves(6);
  const Hash32 root = RefMth(leaves);
  const Hash32 other = RefMth(std::span<const Hash32>(leaves).first(5));

  // old_size > new_size.
  EXPECT_EQ(VerifyConsistency({7, 6, {}}, root, root).error().code, "PROOF_MALFORMED");
  // Equal sizes: empty path and equal roots.
  EXPECT_TRUE(VerifyConsistency({6, 6, {}}, root, root));
  EXPECT_EQ(VerifyConsistency({6, 6, {}}, other, root).error().code, "PROOF_INVALID");
  EXPECT_EQ(VerifyConsistency({6, 6, {root}}, root, root).error().code, "PROOF_MALFORMED");
  // From the empty tree: empty path and the empty root.
  EXPECT_TRUE(VerifyConsistency({0, 6, {}}, EmptyRoot(), root));
  EXPECT_TRUE(VerifyConsistency({0, 0, {}}, EmptyRoot(), EmptyRoot()));
  EXPECT_EQ(VerifyConsistency({0, 6, {}}, other, root).error().code, "PROOF_INVALID");
  EXPECT_EQ(VerifyConsistency({0, 6, {root}}, EmptyRoot(), root).error().code, "PROOF_MALFORMED");
  // 0 < old < new needs a non-empty path of exactly the right length.
  EXPECT_EQ(VerifyConsistency({5, 6, {}}, other, root).error().code, "PROOF_MALFORMED");
  ConsistencyProof longer{5, 6, RefSubproof(5, leaves, true)};
  longer.path.push_back(root);
  EXPECT_EQ(VerifyConsistency(longer, other, root).error().code, "PROOF_MALFORMED");
}

TEST(MerkleProofEncoding, GoldenBytes) {
  Hash32 a;
  a.data.fill(0xaa);
  const InclusionProof proof{3, 0x0102, {a}};
  EXPECT_EQ(core::ToHex(proof.Encode()),
            "01"                // version
            "0000000000000003"  // leaf_index
            "0000000000000102"  // tree_size
            "00000001"          // path count
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
  const ConsistencyProof empty{0, 0, {}};
  EXPECT_EQ(core::ToHex(empty.Encode()),
            "01"
            "0000000000000000"
            "0000000000000000"
            "00000000");
}

TEST(MerkleProofEncoding, RoundTrips) {
  const std::vector<Hash32> leaves = TestLeaves(13);
  const InclusionProof inclusion{9, 13, RefPath(9, leaves)};
  auto decoded = InclusionProof::Decode(inclusion.Encode());
  ASSERT_TRUE(decoded) << decoded.error().ToString();
  EXPECT_EQ(*decoded, inclusion);

  const ConsistencyProof consistency{5, 13, RefSubproof(5, leaves, true)};
  auto decoded2 = ConsistencyProof::Decode(consistency.Encode());
  ASSERT_TRUE(decoded2) << decoded2.error().ToString();
  EXPECT_EQ(*decoded2, consistency);

  const InclusionProof longest{0, ~uint64_t{0}, std::vector<Hash32>(64, leaves[0])};
  auto decoded3 = InclusionProof::Decode(longest.Encode());
  ASSERT_TRUE(decoded3);
  EXPECT_EQ(*decoded3, longest);
}

TEST(MerkleProofEncoding, DecodingIsStrict) {
  const std::vector<Hash32> leaves = TestLeaves(13);
  const Bytes good = InclusionProof{9, 13, RefPath(9, leaves)}.Encode();

  Bytes trailing = good;
  trailing.push_back(0x00);
  EXPECT_EQ(InclusionProof::Decode(trailing).error().code, "ENCODING_TRAILING_BYTES");
  EXPECT_EQ(ConsistencyProof::Decode(trailing).error().code, "ENCODING_TRAILING_BYTES");

  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_EQ(InclusionProof::Decode(truncated).error().code, "ENCODING_TRUNCATED");

  Bytes wrong_version = good;
  wrong_version[0] = 2;
  EXPECT_EQ(InclusionProof::Decode(wrong_version).error().code, "ENCODING_BAD_VERSION");

  EXPECT_FALSE(InclusionProof::Decode(Bytes{}));

  // 65 hashes: the count is rejected before any hash is read.
  core::Encoder e;
  e.PutU8(1).PutU64(0).PutU64(~uint64_t{0}).PutU32(65);
  for (int i = 0; i < 65; ++i) e.Put(leaves[0]);
  EXPECT_EQ(InclusionProof::Decode(e.bytes()).error().code, "ENCODING_LENGTH_EXCEEDED");
  EXPECT_EQ(ConsistencyProof::Decode(e.bytes()).error().code, "ENCODING_LENGTH_EXCEEDED");
}

}  // namespace
}  // namespace tradeledger::ledger
