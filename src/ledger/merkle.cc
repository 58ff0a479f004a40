#include "ledger/merkle.h"

#include <bit>
#include <string>
#include <utility>

#include "core/encoding.h"
#include "crypto/sha256.h"

namespace tradeledger::ledger {
namespace {

constexpr uint8_t kLeafPrefix[1] = {0x00};
constexpr uint8_t kNodePrefix[1] = {0x01};

// Both proof types share one layout: version, two u64 sizes, then the counted path.
core::Bytes EncodeProof(uint64_t first, uint64_t second, const std::vector<Hash32>& path) {
  TL_CHECK(path.size() <= kMaxProofPathLength);
  core::Encoder e(1 + 8 + 8 + 4 + path.size() * Hash32::kSize);
  e.PutU8(kProofEncodingVersion).PutU64(first).PutU64(second);
  e.PutU32(static_cast<uint32_t>(path.size()));
  for (const Hash32& h : path) e.Put(h);
  return std::move(e).Take();
}

struct DecodedProof {
  uint64_t first = 0;
  uint64_t second = 0;
  std::vector<Hash32> path;
};

core::Result<DecodedProof> DecodeProof(core::ByteSpan bytes) {
  core::Decoder d(bytes);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kProofEncodingVersion));
  DecodedProof out;
  TL_ASSIGN_OR_RETURN(out.first, d.GetU64());
  TL_ASSIGN_OR_RETURN(out.second, d.GetU64());
  TL_ASSIGN_OR_RETURN(uint32_t count, d.GetCount(kMaxProofPathLength));
  out.path.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TL_ASSIGN_OR_RETURN(Hash32 h, d.Get<Hash32::kSize>());
    out.path.push_back(h);
  }
  TL_RETURN_IF_ERROR(d.Finish());
  return out;
}

// RFC 9162 uses "right-shift fn and sn together" in both verifiers.
void ShiftBoth(uint64_t& fn, uint64_t& sn) {
  fn >>= 1;
  sn >>= 1;
}

}  // namespace

Hash32 LeafHash(core::ByteSpan leaf_data) { return crypto::Sha256Of({kLeafPrefix, leaf_data}); }

Hash32 NodeHash(const Hash32& left, const Hash32& right) {
  return crypto::Sha256Of({kNodePrefix, left.span(), right.span()});
}

Hash32 EmptyRoot() {
  static const Hash32 kEmpty = crypto::Sha256Of(core::ByteSpan());
  return kEmpty;
}

Hash32 RootOfLeafHashes(std::span<const Hash32> leaf_hashes) {
  if (leaf_hashes.empty()) return EmptyRoot();
  // Keep the roots of the complete subtrees along the right edge (largest first); appending a
  // leaf merges equal-sized neighbours exactly like a binary counter carrying.
  std::vector<Hash32> edge;
  edge.reserve(64);
  for (uint64_t i = 0; i < leaf_hashes.size(); ++i) {
    Hash32 h = leaf_hashes[i];
    for (uint64_t carry = i; (carry & 1) != 0; carry >>= 1) {
      h = NodeHash(edge.back(), h);
      edge.pop_back();
    }
    edge.push_back(h);
  }
  // MTH(D[0:n]) = NodeHash(largest complete subtree, MTH(rest)), so fold from the right.
  Hash32 root = edge.back();
  for (size_t i = edge.size() - 1; i-- > 0;) root = NodeHash(edge[i], root);
  return root;
}

core::Bytes InclusionProof::Encode() const { return EncodeProof(leaf_index, tree_size, path); }

core::Result<InclusionProof> InclusionProof::Decode(core::ByteSpan bytes) {
  TL_ASSIGN_OR_RETURN(DecodedProof p, DecodeProof(bytes));
  return InclusionProof{p.first, p.second, std::move(p.path)};
}

core::Bytes ConsistencyProof::Encode() const { return EncodeProof(old_size, new_size, path); }

core::Result<ConsistencyProof> ConsistencyProof::Decode(core::ByteSpan bytes) {
  TL_ASSIGN_OR_RETURN(DecodedProof p, DecodeProof(bytes));
  return ConsistencyProof{p.first, p.second, std::move(p.path)};
}

uint32_t InclusionPathLength(uint64_t leaf_index, uint64_t tree_size) {
  TL_CHECK(leaf_index < tree_size);
  // Below the highest level where the leaf's ancestor and the last leaf's ancestor differ,
  // every level contributes one sibling. Above it the leaf's ancestor lies on the right edge,
  // where a level contributes a (left) sibling only when the ancestor is a right child.
  const int inner = std::bit_width(leaf_index ^ (tree_size - 1));
  const int border = inner < 64 ? std::popcount(leaf_index >> inner) : 0;
  return static_cast<uint32_t>(inner + border);
}

uint32_t ConsistencyPathLength(uint64_t old_size, uint64_t new_size) {
  TL_CHECK(old_size <= new_size);
  if (old_size == 0 || old_size == new_size) return 0;
  // Walk down RFC 9162's SUBPROOF recursion: one hash per level until the old tree's right
  // edge meets a node boundary, plus that node itself unless it is the old tree's root.
  uint32_t count = 0;
  uint64_t lo = 0;
  uint64_t hi = new_size;
  bool at_old_root = true;
  while (old_size != hi) {
    const uint64_t split = lo + std::bit_floor(hi - lo - 1);
    if (old_size <= split) {
      hi = split;
    } else {
      lo = split;
      at_old_root = false;
    }
    ++count;
  }
  return count + (at_old_root ? 0 : 1);
}

core::Status VerifyInclusion(const Hash32& leaf_hash, const InclusionProof& proof,
                             const Hash32& root) {
  if (proof.leaf_index >= proof.tree_size) {
    return core::Fail("PROOF_MALFORMED", "leaf index " + std::to_string(proof.leaf_index) +
                                             " not below tree size " +
                                             std::to_string(proof.tree_size));
  }
  const uint32_t expected = InclusionPathLength(proof.leaf_index, proof.tree_size);
  if (proof.path.size() != expected) {
    return core::Fail("PROOF_MALFORMED", "inclusion path has " + std::to_string(proof.path.size()) +
                                             " hashes, expected " + std::to_string(expected));
  }
  // RFC 9162 section 2.1.3.2. fn tracks the leaf's ancestor, sn the last leaf's ancestor.
  uint64_t fn = proof.leaf_index;
  uint64_t sn = proof.tree_size - 1;
  Hash32 r = leaf_hash;
  for (const Hash32& p : proof.path) {
    if (sn == 0) return core::Fail("PROOF_INVALID", "inclusion path too long");
    if ((fn & 1) != 0 || fn == sn) {
      r = NodeHash(p, r);
      if ((fn & 1) == 0) {
        // The ancestor is on the right edge with nothing to its right: climb past the levels
        // where it is promoted unchanged.
        while ((fn & 1) == 0 && fn != 0) ShiftBoth(fn, sn);
      }
    } else {
      r = NodeHash(r, p);
    }
    ShiftBoth(fn, sn);
  }
  if (sn != 0) return core::Fail("PROOF_INVALID", "inclusion path too short");
  if (r != root) return core::Fail("PROOF_INVALID", "inclusion path does not lead to the root");
  return core::Ok();
}

core::Status VerifyConsistency(const ConsistencyProof& proof, const Hash32& old_root,
                               const Hash32& new_root) {
  if (proof.old_size > proof.new_size) {
    return core::Fail("PROOF_MALFORMED", "old size " + std::to_string(proof.old_size) +
                                             " exceeds new size " + std::to_string(proof.new_size));
  }
  const uint32_t expected = ConsistencyPathLength(proof.old_size, proof.new_size);
  if (proof.path.size() != expected) {
    return core::Fail("PROOF_MALFORMED", "consistency path has " +
                                             std::to_string(proof.path.size()) +
                                             " hashes, expected " + std::to_string(expected));
  }
  if (proof.old_size == 0) {
    if (old_root != EmptyRoot()) return core::Fail("PROOF_INVALID", "old root of size 0 not empty");
    return core::Ok();
  }
  if (proof.old_size == proof.new_size) {
    if (old_root != new_root) return core::Fail("PROOF_INVALID", "equal sizes, different roots");
    return core::Ok();
  }
  // RFC 9162 section 2.1.4.2, for 0 < old_size < new_size (so the path is not empty). When the
  // old tree is a complete subtree its root is the first node of the walk and the proof omits it.
  size_t next = 0;
  const Hash32 start = std::has_single_bit(proof.old_size) ? old_root : proof.path[next++];
  Hash32 fr = start;  // recomputes the old root
  Hash32 sr = start;  // recomputes the new root
  uint64_t fn = proof.old_size - 1;
  uint64_t sn = proof.new_size - 1;
  while ((fn & 1) != 0) ShiftBoth(fn, sn);
  for (; next < proof.path.size(); ++next) {
    const Hash32& c = proof.path[next];
    if (sn == 0) return core::Fail("PROOF_INVALID", "consistency path too long");
    if ((fn & 1) != 0 || fn == sn) {
      fr = NodeHash(c, fr);
      sr = NodeHash(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) ShiftBoth(fn, sn);
      }
    } else {
      sr = NodeHash(sr, c);
    }
    ShiftBoth(fn, sn);
  }
  if (sn != 0) return core::Fail("PROOF_INVALID", "consistency path too short");
  if (fr != old_root) return core::Fail("PROOF_INVALID", "path does not lead to the old root");
  if (sr != new_root) return core::Fail("PROOF_INVALID", "path does not lead to the new root");
  return core::Ok();
}

}  // namespace tradeledger::ledger
