// Proofs that a key has a given value, or no value, in the state tree with a given root.
//
// A proof carries the key, what the tree holds at the end of the key's path, and the hashes of
// the sibling subtrees along the path. Anyone holding a trusted root (from a quorum-signed
// header) can check it offline with VerifyStateProof; no node store is needed.
//
// Three kinds of proof, after where the walk along KeyPath(key) stops (see state_tree.h):
//  - presence: a leaf for this key; the proof holds the value;
//  - absence at an empty subtree;
//  - absence at another key's leaf that shares the first `depth` path bits but not the path.
//
// Encoding (all integers big-endian; doc/state-tree.md is the reference):
//   u8  version (= 1)
//   u32 key length (<= kMaxKeySize) || key
//   u8  kind: 0 = presence, 1 = absence at an empty subtree, 2 = absence at another leaf
//     kind 0: u32 value length (<= kMaxValueSize) || value
//     kind 2: leaf path[32] || leaf value hash[32]
//   u16 depth (<= 256) = number of siblings
//   bitmap: ceil(depth / 8) bytes; bit i (most significant bit of byte 0 first) is 1 iff
//           sibling i is not kEmptyHash; the unused low bits of the last byte are 0
//   the non-empty siblings, top-down, 32 bytes each; none may be kEmptyHash
// The decoder accepts exactly one encoding of each proof and rejects trailing bytes.
//
// Thread safety: plain values and free functions; no shared state.
#pragma once

#include <optional>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "state/state_tree.h"

namespace tradeledger::state {

// The leaf of a different key found at the end of an absence proof's path.
struct ProofLeaf {
  core::Hash32 path;
  core::Hash32 value_hash;

  bool operator==(const ProofLeaf&) const = default;
};

struct StateProof {
  static constexpr uint8_t kVersion = 1;

  core::Bytes key;
  // Set for a presence proof: the key's value. Never set together with `other_leaf`.
  std::optional<core::Bytes> value;
  // Set for an absence proof whose path ends at another key's leaf.
  std::optional<ProofLeaf> other_leaf;
  // Sibling hashes from the root down: siblings[i] is the subtree at depth i + 1 beside the
  // path (kEmptyHash for an empty one). siblings.size() is the depth where the path ends.
  std::vector<core::Hash32> siblings;

  bool IsPresence() const { return value.has_value(); }

  // The canonical encoding above. Precondition (a bug otherwise): not both `value` and
  // `other_leaf`, at most kPathBits siblings.
  core::Bytes Encode() const;
  // Strict decode. ENCODING_* codes from core::Decoder (ENCODING_BAD_VERSION,
  // ENCODING_TRUNCATED, ENCODING_LENGTH_EXCEEDED, ENCODING_TRAILING_BYTES) and
  // STATE_PROOF_MALFORMED for an unknown kind, depth over 256, non-zero bitmap padding or a
  // listed sibling equal to kEmptyHash.
  static core::Result<StateProof> Decode(core::ByteSpan bytes);

  bool operator==(const StateProof&) const = default;
};

// A proof for `key` against `root`: presence if the key is in the tree, absence otherwise.
// STATE_NODE_MISSING / STATE_NODE_CORRUPT if the store lacks or garbles a node on the path.
core::Result<StateProof> Prove(const NodeReader& reader, const core::Hash32& root,
                               core::ByteSpan key);

// Checks `proof` against `root`. On success, `proof.key` has value `*proof.value` in that tree
// if IsPresence(), and no value otherwise; the caller must still check that `proof.key` is the
// key it asked about.
//  - STATE_PROOF_MALFORMED: the proof breaks a rule that needs no root (sizes, both value and
//    other_leaf, other_leaf with the key's own path or off the key's path prefix, or a shape
//    the tree never has: a path ending below an empty sibling);
//  - STATE_PROOF_INVALID: the hashes do not lead to `root`.
core::Status VerifyStateProof(const StateProof& proof, const core::Hash32& root);

}  // namespace tradeledger::state
