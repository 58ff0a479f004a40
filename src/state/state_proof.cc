#include "state/state_proof.h"

#include <string>

#include "core/encoding.h"

namespace tradeledger::state {

using core::Bytes;
using core::ByteSpan;
using core::Fail;
using core::Hash32;
using core::Result;

namespace {

constexpr uint8_t kPresence = 0;
constexpr uint8_t kAbsentEmpty = 1;
constexpr uint8_t kAbsentOtherLeaf = 2;

size_t BitmapSize(size_t depth) { return (depth + 7) / 8; }

}  // namespace

Bytes StateProof::Encode() const {
  TL_CHECK(!(value && other_leaf));
  TL_CHECK(siblings.size() <= kPathBits);
  core::Encoder enc(64 + key.size() + (value ? value->size() : 0) + 33 * siblings.size());
  enc.PutU8(kVersion).PutBytes(key);
  if (value) {
    enc.PutU8(kPresence).PutBytes(*value);
  } else if (other_leaf) {
    enc.PutU8(kAbsentOtherLeaf).Put(other_leaf->path).Put(other_leaf->value_hash);
  } else {
    enc.PutU8(kAbsentEmpty);
  }
  enc.PutU16(static_cast<uint16_t>(siblings.size()));
  Bytes bitmap(BitmapSize(siblings.size()), 0);
  for (size_t i = 0; i < siblings.size(); ++i) {
    if (!siblings[i].IsZero()) bitmap[i / 8] |= static_cast<uint8_t>(0x80 >> (i % 8));
  }
  enc.PutFixed(bitmap);
  for (const Hash32& s : siblings) {
    if (!s.IsZero()) enc.Put(s);
  }
  return std::move(enc).Take();
}

Result<StateProof> StateProof::Decode(ByteSpan bytes) {
  core::Decoder dec(bytes);
  TL_RETURN_IF_ERROR(dec.ExpectVersion(kVersion));
  StateProof proof;
  TL_ASSIGN_OR_RETURN(proof.key, dec.GetOwnedBytes(kMaxKeySize));
  TL_ASSIGN_OR_RETURN(uint8_t kind, dec.GetU8());
  switch (kind) {
    case kPresence: {
      TL_ASSIGN_OR_RETURN(proof.value, dec.GetOwnedBytes(kMaxValueSize));
      break;
    }
    case kAbsentEmpty:
      break;
    case kAbsentOtherLeaf: {
      ProofLeaf leaf;
      TL_ASSIGN_OR_RETURN(leaf.path, dec.Get<32>());
      TL_ASSIGN_OR_RETURN(leaf.value_hash, dec.Get<32>());
      proof.other_leaf = leaf;
      break;
    }
    default:
      return Fail("STATE_PROOF_MALFORMED", "unknown proof kind " + std::to_string(kind));
  }
  TL_ASSIGN_OR_RETURN(uint16_t depth, dec.GetU16());
  if (depth > kPathBits) {
    return Fail("STATE_PROOF_MALFORMED", "depth " + std::to_string(depth) + " exceeds 256");
  }
  TL_ASSIGN_OR_RETURN(ByteSpan bitmap, dec.GetFixed(BitmapSize(depth)));
  if (depth % 8 != 0) {
    uint8_t padding_mask = static_cast<uint8_t>(0xff >> (depth % 8));
    if ((bitmap.back() & padding_mask) != 0) {
      return Fail("STATE_PROOF_MALFORMED", "non-zero bitmap padding");
    }
  }
  proof.siblings.resize(depth, kEmptyHash);
  for (size_t i = 0; i < depth; ++i) {
    if ((bitmap[i / 8] & (0x80 >> (i % 8))) == 0) continue;
    TL_ASSIGN_OR_RETURN(proof.siblings[i], dec.Get<32>());
    if (proof.siblings[i].IsZero()) {
      return Fail("STATE_PROOF_MALFORMED", "sibling " + std::to_string(i) + " listed but empty");
    }
  }
  TL_RETURN_IF_ERROR(dec.Finish());
  return proof;
}

Result<StateProof> Prove(const NodeReader& reader, const Hash32& root, ByteSpan key) {
  StateProof proof;
  proof.key.assign(key.begin(), key.end());
  Hash32 path = KeyPath(key);
  TL_ASSIGN_OR_RETURN(PathEnd end, WalkPath(reader, root, path, &proof.siblings));
  if (end.leaf) {
    if (end.leaf->path == path) {
      proof.value = std::move(end.leaf->value);
    } else {
      proof.other_leaf = ProofLeaf{end.leaf->path, end.leaf->value_hash};
    }
  }
  return proof;
}

core::Status VerifyStateProof(const StateProof& proof, const Hash32& root) {
  if (proof.key.size() > kMaxKeySize) return Fail("STATE_PROOF_MALFORMED", "key too long");
  if (proof.value && proof.value->size() > kMaxValueSize) {
    return Fail("STATE_PROOF_MALFORMED", "value too long");
  }
  if (proof.value && proof.other_leaf) {
    return Fail("STATE_PROOF_MALFORMED", "both a value and another key's leaf");
  }
  const size_t depth = proof.siblings.size();
  if (depth > kPathBits) return Fail("STATE_PROOF_MALFORMED", "more than 256 siblings");
  // A leaf or an empty subtree directly below an empty sibling would have been compacted
  // into the parent, so an honest tree never produces such a path.
  if (depth > 0 && proof.siblings.back().IsZero()) {
    return Fail("STATE_PROOF_MALFORMED", "path ends below an empty sibling");
  }

  const Hash32 path = KeyPath(proof.key);
  Hash32 hash = kEmptyHash;
  if (proof.value) {
    hash = LeafHash(path, ValueHash(*proof.value));
  } else if (proof.other_leaf) {
    if (proof.other_leaf->path == path) {
      return Fail("STATE_PROOF_MALFORMED", "absence proof ends at the key's own leaf");
    }
    if (!SharesPrefix(proof.other_leaf->path, path, depth)) {
      return Fail("STATE_PROOF_MALFORMED", "other leaf is not on the key's path");
    }
    hash = LeafHash(proof.other_leaf->path, proof.other_leaf->value_hash);
  }
  for (size_t i = depth; i-- > 0;) {
    const Hash32& sibling = proof.siblings[i];
    hash = PathBit(path, i) == 0 ? InternalHash(hash, sibling) : InternalHash(sibling, hash);
  }
  if (hash != root) {
    return Fail("STATE_PROOF_INVALID", "proof leads to root " + hash.hex() + ", not " + root.hex());
  }
  return core::Ok();
}

}  // namespace tradeledger::state
