// RFC 9162 (Certificate Transparency 2.0, section 2.1) Merkle tree hashing, proofs and verifiers.
//
// The Merkle Tree Hash (MTH) of an ordered list of n leaves is
//   MTH({})        = SHA-256()                                  (the empty string)
//   MTH({d0})      = LeafHash(d0)   = SHA-256(0x00 || d0)
//   MTH(D[0:n])    = NodeHash(MTH(D[0:k]), MTH(D[k:n]))          for n > 1,
//   where NodeHash(l, r) = SHA-256(0x01 || l || r) and k is the largest power of two < n.
// The distinct 0x00 / 0x01 prefixes keep a leaf from ever being mistaken for an interior node.
//
// Everything here is pure: no storage, no clocks. Proof *generation* lives in merkle_log.h
// because it needs stored nodes; the verifiers below need only the proof and the roots, so a
// client can check a proof offline.
//
// Wire format of the proofs (canonical encoding, core/encoding.h; see doc/formats.md):
//   InclusionProof:   u8 version=1 | u64 leaf_index | u64 tree_size | u32 count (<= 64) |
//                     count x 32-byte hash
//   ConsistencyProof: u8 version=1 | u64 old_size   | u64 new_size  | u32 count (<= 64) |
//                     count x 32-byte hash
// An inclusion proof never has more than 64 hashes; a consistency proof has at most
// ceil(log2(new_size)) + 1, so 64 covers every log of at most 2^63 leaves.
//
// Reason codes returned by the verifiers:
//   PROOF_MALFORMED  the proof cannot be a proof for the stated sizes: leaf_index >= tree_size,
//                    old_size > new_size, or a path of the wrong length for the sizes;
//   PROOF_INVALID    the proof is well formed but the hashes do not reproduce the given root(s).
// Decode additionally returns the core ENCODING_* codes.
//
// Thread safety: all functions are safe to call from any thread.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::ledger {

using core::Hash32;

// The most hashes an encoded proof may carry. Encode() aborts on a longer path (a consistency
// proof into a log of more than 2^63 leaves, which cannot be stored in practice).
inline constexpr uint32_t kMaxProofPathLength = 64;
// Version byte of both proof encodings.
inline constexpr uint8_t kProofEncodingVersion = 1;

// SHA-256(0x00 || leaf_data): the hash of one leaf (for the ledger, a transaction's bytes).
Hash32 LeafHash(core::ByteSpan leaf_data);
// SHA-256(0x01 || left || right): the hash of an interior node.
Hash32 NodeHash(const Hash32& left, const Hash32& right);
// SHA-256 of the empty string: the root of a tree with no leaves.
Hash32 EmptyRoot();

// MTH over leaves that are already leaf-hashed (for example a block's transaction root).
// Returns EmptyRoot() for an empty span. O(n) hashing, O(log n) extra memory.
Hash32 RootOfLeafHashes(std::span<const Hash32> leaf_hashes);

// Proof that the leaf at `leaf_index` is in the tree of the first `tree_size` leaves
// (RFC 9162 section 2.1.3). `path` is ordered from the leaf's sibling up towards the root.
struct InclusionProof {
  uint64_t leaf_index = 0;
  uint64_t tree_size = 0;
  std::vector<Hash32> path;

  // Requires path.size() <= kMaxProofPathLength (a longer path is a bug and aborts).
  core::Bytes Encode() const;
  // Strict: version 1, at most kMaxProofPathLength hashes, no trailing bytes. Does not check
  // that the sizes and the path length agree; VerifyInclusion does.
  static core::Result<InclusionProof> Decode(core::ByteSpan bytes);

  bool operator==(const InclusionProof&) const = default;
};

// Proof that the tree of the first `old_size` leaves is a prefix of the tree of the first
// `new_size` leaves (RFC 9162 section 2.1.4).
struct ConsistencyProof {
  uint64_t old_size = 0;
  uint64_t new_size = 0;
  std::vector<Hash32> path;

  // Requires path.size() <= kMaxProofPathLength (a longer path is a bug and aborts).
  core::Bytes Encode() const;
  // Strict, as InclusionProof::Decode.
  static core::Result<ConsistencyProof> Decode(core::ByteSpan bytes);

  bool operator==(const ConsistencyProof&) const = default;
};

// The number of hashes in a correct inclusion proof for (leaf_index, tree_size).
// Requires leaf_index < tree_size.
uint32_t InclusionPathLength(uint64_t leaf_index, uint64_t tree_size);
// The number of hashes in a correct consistency proof from old_size to new_size.
// Requires old_size <= new_size. Zero when old_size == 0 or old_size == new_size.
uint32_t ConsistencyPathLength(uint64_t old_size, uint64_t new_size);

// Checks that `leaf_hash` (already LeafHash-ed) is the leaf at proof.leaf_index of the tree of
// proof.tree_size leaves whose root is `root`, by the algorithm of RFC 9162 section 2.1.3.2.
// PROOF_MALFORMED if leaf_index >= tree_size or the path length is not the one the sizes
// dictate; PROOF_INVALID if the recomputed root differs from `root`.
// As in the RFC, the proof alone does not bind tree_size to `root` (the leaf-0 path of a 3-leaf
// tree also fits size 4): take both from the same signed tree head. The same holds for the
// sizes and roots given to VerifyConsistency.
core::Status VerifyInclusion(const Hash32& leaf_hash, const InclusionProof& proof,
                             const Hash32& root);

// Checks that the tree with root `old_root` and proof.old_size leaves is a prefix of the tree
// with root `new_root` and proof.new_size leaves, by RFC 9162 section 2.1.4.2.
//
// Edge cases (the RFC defines proofs only for 0 < old_size < new_size):
//  - old_size > new_size: PROOF_MALFORMED.
//  - old_size == new_size: the path must be empty (else PROOF_MALFORMED) and the roots must be
//    equal (else PROOF_INVALID); this is what RFC 9162's SUBPROOF(m, D[m], true) = {} gives.
//  - old_size == 0: every tree extends the empty tree, so the path must be empty (else
//    PROOF_MALFORMED) and old_root must be EmptyRoot() (else PROOF_INVALID); new_root is not
//    constrained. ProveConsistency produces exactly these empty proofs.
core::Status VerifyConsistency(const ConsistencyProof& proof, const Hash32& old_root,
                               const Hash32& new_root);

}  // namespace tradeledger::ledger
