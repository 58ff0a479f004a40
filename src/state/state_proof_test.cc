#include "state/state_proof.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/encoding.h"

namespace tradeledger::state {
namespace {

using core::AsBytes;
using core::Bytes;
using core::Hash32;
using core::ToBytes;

Bytes Key(int i) { return ToBytes("key-" + std::to_string(i)); }
Bytes Value(int i) { return ToBytes("value-" + std::to_string(i)); }

// A tree holding Key(0..n-1) -> Value(i).
struct Tree {
  MemoryNodeStore store;
  Hash32 root = kEmptyRoot;

  explicit Tree(int n) {
    std::vector<StateUpdate> updates;
    for (int i = 0; i < n; ++i) updates.push_back({Key(i), Value(i)});
    Set(std::move(updates));
  }
  void Set(std::vector<StateUpdate> updates) {
    std::vector<NodeWrite> writes;
    auto r = ApplyUpdates(store, root, std::move(updates), &writes);
    EXPECT_TRUE(r.has_value());
    store.PutAll(writes);
    root = *r;
  }
  StateProof ProveKey(const Bytes& key) const {
    auto proof = Prove(store, root, key);
    EXPECT_TRUE(proof.has_value()) << proof.error().ToString();
    return *proof;
  }
};

std::string CodeOf(const core::Status& s) { return s ? "OK" : s.error().code; }

// A proof whose last level has at least one non-empty sibling, from a tree of 200 keys.
StateProof DeepPresenceProof(const Tree& tree) {
  for (int i = 0;; ++i) {
    StateProof p = tree.ProveKey(Key(i));
    if (p.siblings.size() >= 4) return p;
  }
}

TEST(StateProof, ProvesPresenceAndAbsenceInTreesOfManySizes) {
  for (int n : {0, 1, 2, 3, 5, 17, 100, 1000, 5000}) {
    SCOPED_TRACE("n = " + std::to_string(n));
    Tree tree(n);
    int absent_at_leaf = 0, absent_at_empty = 0;
    std::vector<int> probes;  // a sample of present keys, then 300 absent ones
    for (int i = 0; i < n; i += (n > 200 ? 37 : 1)) probes.push_back(i);
    for (int i = n; i < n + 300; ++i) probes.push_back(i);
    for (int i : probes) {
      StateProof proof = tree.ProveKey(Key(i));
      ASSERT_EQ(proof.IsPresence(), i < n);
      if (proof.IsPresence()) {
        EXPECT_EQ(*proof.value, Value(i));
      }
      if (!proof.IsPresence()) ++(proof.other_leaf ? absent_at_leaf : absent_at_empty);
      EXPECT_EQ(CodeOf(VerifyStateProof(proof, tree.root)), "OK");
      auto decoded = StateProof::Decode(proof.Encode());
      ASSERT_TRUE(decoded.has_value()) << decoded.error().ToString();
      EXPECT_EQ(*decoded, proof);
      EXPECT_EQ(CodeOf(VerifyStateProof(*decoded, tree.root)), "OK");
      EXPECT_EQ(decoded->Encode(), proof.Encode());
    }
    if (n == 0) {
      EXPECT_EQ(absent_at_leaf, 0);
    }
    if (n == 1) {  // every path ends at the single leaf
      EXPECT_GT(absent_at_leaf, 0);
    }
    if (n >= 100) {
      EXPECT_GT(absent_at_leaf, 0);
      EXPECT_GT(absent_at_empty, 0);
    }
  }
}

TEST(StateProof, AbsenceCanEndAtAnotherKeysLeaf) {
  Tree tree(1);
  StateProof proof = tree.ProveKey(Key(42));
  ASSERT_TRUE(proof.other_leaf.has_value());
  EXPECT_TRUE(proof.siblings.empty());
  EXPECT_EQ(proof.other_leaf->path, KeyPath(Key(0)));
  EXPECT_EQ(proof.other_leaf->value_hash, ValueHash(Value(0)));
  EXPECT_EQ(CodeOf(VerifyStateProof(proof, tree.root)), "OK");
}

TEST(StateProof, RejectsTamperedValue) {
  Tree tree(200);
  StateProof proof = tree.ProveKey(Key(7));
  proof.value->push_back('!');
  EXPECT_EQ(CodeOf(VerifyStateProof(proof, tree.root)), "STATE_PROOF_INVALID");
}

TEST(StateProof, RejectsTamperedKey) {
  Tree tree(200);
  StateProof proof = tree.ProveKey(Key(7));
  proof.key = Key(8);
  EXPECT_NE(CodeOf(VerifyStateProof(proof, tree.root)), "OK");
  StateProof absent = tree.ProveKey(Key(500));
  absent.key = Key(501);
  EXPECT_NE(CodeOf(VerifyStateProof(absent, tree.root)), "OK");
}

TEST(StateProof, RejectsTamperedSibling) {
  Tree tree(200);
  StateProof proof = DeepPresenceProof(tree);
  for (size_t i = 0; i < proof.siblings.size(); ++i) {
    SCOPED_TRACE("sibling " + std::to_string(i));
    StateProof flipped = proof;
    flipped.siblings[i].data[31] ^= 1;
    EXPECT_NE(CodeOf(VerifyStateProof(flipped, tree.root)), "OK");
    StateProof emptied = proof;
    emptied.siblings[i] = kEmptyHash;
    if (proof.siblings[i].IsZero()) emptied.siblings[i].data[0] = 1;  // fill an empty one
    EXPECT_NE(CodeOf(VerifyStateProof(emptied, tree.root)), "OK");
  }
  StateProof shorter = proof;
  shorter.siblings.pop_back();
  EXPECT_NE(CodeOf(VerifyStateProof(shorter, tree.root)), "OK");
  StateProof longer = proof;
  longer.siblings.push_back(proof.siblings.back());
  EXPECT_NE(CodeOf(VerifyStateProof(longer, tree.root)), "OK");
}

TEST(StateProof, RejectsTamperedBitmap) {
  Tree tree(200);
  StateProof proof = DeepPresenceProof(tree);
  Bytes encoded = proof.Encode();
  // version, key, kind, value, depth; then the bitmap.
  size_t bitmap_at = 1 + 4 + proof.key.size() + 1 + 4 + proof.value->size() + 2;
  size_t bitmap_bits = proof.siblings.size();
  for (size_t bit = 0; bit < (bitmap_bits + 7) / 8 * 8; ++bit) {
    Bytes tampered = encoded;
    tampered[bitmap_at + bit / 8] ^= static_cast<uint8_t>(0x80 >> (bit % 8));
    auto decoded = StateProof::Decode(tampered);
    if (decoded) {
      EXPECT_NE(CodeOf(VerifyStateProof(*decoded, tree.root)), "OK") << bit;
    }
  }
}

TEST(StateProof, RejectsTamperedOtherLeaf) {
  Tree tree(1);
  StateProof proof = tree.ProveKey(Key(42));
  ASSERT_TRUE(proof.other_leaf.has_value());
  StateProof bad_hash = proof;
  bad_hash.other_leaf->value_hash.data[0] ^= 1;
  EXPECT_EQ(CodeOf(VerifyStateProof(bad_hash, tree.root)), "STATE_PROOF_INVALID");
  // Claiming the key's own path: that is a presence, not an absence.
  StateProof own = proof;
  own.other_leaf->path = KeyPath(own.key);
  EXPECT_EQ(CodeOf(VerifyStateProof(own, tree.root)), "STATE_PROOF_MALFORMED");
}

TEST(StateProof, RejectsOtherLeafOffThePath) {
  Tree tree(300);
  for (int i = 300;; ++i) {
    StateProof proof = tree.ProveKey(Key(i));
    if (!proof.other_leaf || proof.siblings.empty()) continue;
    // Point the key elsewhere: the leaf no longer shares the path prefix.
    StateProof moved = proof;
    for (int j = 0;; ++j) {
      moved.key = ToBytes("elsewhere-" + std::to_string(j));
      if (PathBit(KeyPath(moved.key), 0) != PathBit(proof.other_leaf->path, 0)) break;
    }
    EXPECT_EQ(CodeOf(VerifyStateProof(moved, tree.root)), "STATE_PROOF_MALFORMED");
    break;
  }
}

TEST(StateProof, RejectsSwitchedClaims) {
  Tree tree(200);
  StateProof present = tree.ProveKey(Key(3));
  StateProof as_absent = present;
  as_absent.value.reset();
  EXPECT_NE(CodeOf(VerifyStateProof(as_absent, tree.root)), "OK");

  StateProof absent = tree.ProveKey(Key(999));
  StateProof as_present = absent;
  as_present.other_leaf.reset();
  as_present.value = Value(999);
  EXPECT_NE(CodeOf(VerifyStateProof(as_present, tree.root)), "OK");
  StateProof both = absent;
  both.value = Value(999);
  if (!both.other_leaf) both.other_leaf = ProofLeaf{};
  EXPECT_EQ(CodeOf(VerifyStateProof(both, tree.root)), "STATE_PROOF_MALFORMED");
}

TEST(StateProof, RejectsWrongRoot) {
  Tree tree(200);
  Hash32 old_root = tree.root;
  StateProof proof = tree.ProveKey(Key(5));
  Hash32 flipped = tree.root;
  flipped.data[5] ^= 0x10;
  EXPECT_EQ(CodeOf(VerifyStateProof(proof, flipped)), "STATE_PROOF_INVALID");
  EXPECT_EQ(CodeOf(VerifyStateProof(proof, kEmptyRoot)), "STATE_PROOF_INVALID");
  tree.Set({{Key(5), ToBytes("new")}});
  EXPECT_EQ(CodeOf(VerifyStateProof(proof, tree.root)), "STATE_PROOF_INVALID");
  EXPECT_EQ(CodeOf(VerifyStateProof(proof, old_root)), "OK");
}

TEST(StateProof, RejectsMalformedShapes) {
  Tree tree(200);
  StateProof proof = DeepPresenceProof(tree);
  StateProof too_deep = proof;
  too_deep.siblings.resize(kPathBits + 1, Hash32{{1}});
  EXPECT_EQ(CodeOf(VerifyStateProof(too_deep, tree.root)), "STATE_PROOF_MALFORMED");
  StateProof below_empty = proof;
  below_empty.siblings.push_back(kEmptyHash);
  EXPECT_EQ(CodeOf(VerifyStateProof(below_empty, tree.root)), "STATE_PROOF_MALFORMED");
  StateProof long_key = proof;
  long_key.key.resize(kMaxKeySize + 1);
  EXPECT_EQ(CodeOf(VerifyStateProof(long_key, tree.root)), "STATE_PROOF_MALFORMED");
}

TEST(StateProof, OldRootsProveOldValues) {
  Tree tree(100);
  std::vector<Hash32> roots = {tree.root};
  for (int version = 1; version <= 5; ++version) {
    tree.Set({{Key(1), ToBytes("v" + std::to_string(version))},
              {Key(2), version % 2 ? std::nullopt : std::optional<Bytes>(Value(2))}});
    roots.push_back(tree.root);
  }
  for (size_t version = 0; version < roots.size(); ++version) {
    SCOPED_TRACE("version " + std::to_string(version));
    auto p1 = Prove(tree.store, roots[version], Key(1));
    ASSERT_TRUE(p1.has_value());
    EXPECT_EQ(*p1->value, version == 0 ? Value(1) : ToBytes("v" + std::to_string(version)));
    EXPECT_EQ(CodeOf(VerifyStateProof(*p1, roots[version])), "OK");
    auto p2 = Prove(tree.store, roots[version], Key(2));
    ASSERT_TRUE(p2.has_value());
    EXPECT_EQ(p2->IsPresence(), version % 2 == 0);
    EXPECT_EQ(CodeOf(VerifyStateProof(*p2, roots[version])), "OK");
    if (version > 0) {
      EXPECT_NE(CodeOf(VerifyStateProof(*p1, roots[version - 1])), "OK");
    }
  }
}

TEST(StateProof, EncodingIsPinned) {
  StateProof empty_tree = *Prove(MemoryNodeStore(), kEmptyRoot, AsBytes("a"));
  // version 1, key "a", kind 1 (absent, empty), depth 0, no bitmap.
  EXPECT_EQ(core::ToHex(empty_tree.Encode()), "010000000161010000");

  StateProof p;
  p.key = ToBytes("k");
  p.value = ToBytes("v");
  p.siblings = {kEmptyHash, Hash32{{0xaa}}};
  // version, key, kind 0, value, depth 2, bitmap 0b01000000, one sibling.
  EXPECT_EQ(core::ToHex(p.Encode()),
            "01000000016b0000000001760002"
            "40"
            "aa" +
                std::string(62, '0'));
}

TEST(StateProof, DecodeRejectsNonCanonicalInput) {
  Tree tree(200);
  Bytes good = DeepPresenceProof(tree).Encode();
  ASSERT_TRUE(StateProof::Decode(good).has_value());

  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(StateProof::Decode(trailing).error().code, "ENCODING_TRAILING_BYTES");
  Bytes truncated(good.begin(), good.end() - 1);
  EXPECT_EQ(StateProof::Decode(truncated).error().code, "ENCODING_TRUNCATED");
  Bytes bad_version = good;
  bad_version[0] = 2;
  EXPECT_EQ(StateProof::Decode(bad_version).error().code, "ENCODING_BAD_VERSION");

  auto header = [](uint8_t kind) {
    core::Encoder enc;
    enc.PutU8(1).PutBytes(AsBytes("k")).PutU8(kind);
    return enc;
  };
  core::Encoder long_key;
  long_key.PutU8(1).PutBytes(Bytes(kMaxKeySize + 1, 'k')).PutU8(1).PutU16(0);
  EXPECT_EQ(StateProof::Decode(long_key.bytes()).error().code, "ENCODING_LENGTH_EXCEEDED");
  core::Encoder long_value = header(0);
  long_value.PutU32(kMaxValueSize + 1);
  EXPECT_EQ(StateProof::Decode(long_value.bytes()).error().code, "ENCODING_LENGTH_EXCEEDED");
  core::Encoder unknown_kind = header(3);
  unknown_kind.PutU16(0);
  EXPECT_EQ(StateProof::Decode(unknown_kind.bytes()).error().code, "STATE_PROOF_MALFORMED");
  core::Encoder too_deep = header(1);
  too_deep.PutU16(257).PutFixed(Bytes(33, 0));
  EXPECT_EQ(StateProof::Decode(too_deep.bytes()).error().code, "STATE_PROOF_MALFORMED");
  core::Encoder padding = header(1);
  padding.PutU16(3).PutU8(0x10);  // bit 3 is padding
  EXPECT_EQ(StateProof::Decode(padding.bytes()).error().code, "STATE_PROOF_MALFORMED");
  core::Encoder zero_sibling = header(1);
  zero_sibling.PutU16(1).PutU8(0x80).Put(kEmptyHash);
  EXPECT_EQ(StateProof::Decode(zero_sibling.bytes()).error().code, "STATE_PROOF_MALFORMED");
  core::Encoder full_depth = header(1);
  full_depth.PutU16(256).PutFixed(Bytes(32, 0));
  EXPECT_TRUE(StateProof::Decode(full_depth.bytes()).has_value());
}

TEST(StateProof, ProveOnMissingNodeYieldsStateNodeMissing) {
  Tree tree(50);
  MemoryNodeStore empty_store;
  auto proof = Prove(empty_store, tree.root, Key(1));
  ASSERT_FALSE(proof.has_value());
  EXPECT_EQ(proof.error().code, "STATE_NODE_MISSING");
}

TEST(StateProof, RandomTreesProveEveryProbe) {
  std::mt19937_64 rng(99);
  Tree tree(0);
  for (int round = 0; round < 20; ++round) {
    std::vector<StateUpdate> batch;
    for (int i = 0; i < 50; ++i) {
      int k = static_cast<int>(rng() % 400);
      batch.push_back({Key(k), rng() % 3 ? std::optional<Bytes>(Value(round)) : std::nullopt});
    }
    std::sort(batch.begin(), batch.end(),
              [](const StateUpdate& a, const StateUpdate& b) { return a.key < b.key; });
    batch.erase(
        std::unique(batch.begin(), batch.end(),
                    [](const StateUpdate& a, const StateUpdate& b) { return a.key == b.key; }),
        batch.end());
    tree.Set(batch);
    for (int k = 0; k < 400; k += 13) {
      StateProof p = tree.ProveKey(Key(k));
      auto looked_up = Lookup(tree.store, tree.root, Key(k));
      ASSERT_TRUE(looked_up.has_value());
      EXPECT_EQ(p.value, *looked_up);
      EXPECT_EQ(CodeOf(VerifyStateProof(*StateProof::Decode(p.Encode()), tree.root)), "OK");
    }
  }
}

}  // namespace
}  // namespace tradeledger::state
