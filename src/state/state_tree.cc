#include "state/state_tree.h"

#include <algorithm>
#include <cstring>
#include <span>
#include <string>

#include "core/encoding.h"
#include "crypto/sha256.h"

namespace tradeledger::state {

using core::Bytes;
using core::ByteSpan;
using core::Fail;
using core::Hash32;
using core::Result;

namespace {

constexpr uint8_t kNodeVersion = 1;
constexpr uint8_t kLeafKind = 0;
constexpr uint8_t kInternalKind = 1;
constexpr uint8_t kLeafPrefix = 0x00;
constexpr uint8_t kInternalPrefix = 0x01;
constexpr std::string_view kLeafTag = "TL-SMT-LEAF";
constexpr std::string_view kInternalTag = "TL-SMT-NODE";

}  // namespace

Hash32 KeyPath(ByteSpan key) { return crypto::Sha256Of(key); }

Hash32 ValueHash(ByteSpan value) { return crypto::Sha256Of(value); }

Hash32 LeafHash(const Hash32& path, const Hash32& value_hash) {
  return crypto::Sha256Of(
      {ByteSpan(&kLeafPrefix, 1), core::AsBytes(kLeafTag), path.span(), value_hash.span()});
}

Hash32 InternalHash(const Hash32& left, const Hash32& right) {
  return crypto::Sha256Of(
      {ByteSpan(&kInternalPrefix, 1), core::AsBytes(kInternalTag), left.span(), right.span()});
}

bool SharesPrefix(const Hash32& a, const Hash32& b, size_t bits) {
  TL_CHECK(bits <= kPathBits);
  size_t whole = bits / 8;
  if (std::memcmp(a.data.data(), b.data.data(), whole) != 0) return false;
  size_t rest = bits % 8;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.data[whole] & mask) == (b.data[whole] & mask);
}

// ---- Nodes ---------------------------------------------------------------------------------

NodeWrite EncodeLeafNode(const Hash32& path, ByteSpan value) {
  TL_CHECK(value.size() <= kMaxValueSize);
  core::Encoder enc(2 + 32 + 4 + value.size());
  enc.PutU8(kNodeVersion).PutU8(kLeafKind).Put(path).PutBytes(value);
  return NodeWrite{LeafHash(path, ValueHash(value)), std::move(enc).Take()};
}

NodeWrite EncodeInternalNode(const Hash32& left, const Hash32& right) {
  TL_CHECK(!(left.IsZero() && right.IsZero()));
  core::Encoder enc(2 + 64);
  enc.PutU8(kNodeVersion).PutU8(kInternalKind).Put(left).Put(right);
  return NodeWrite{InternalHash(left, right), std::move(enc).Take()};
}

namespace {

Result<TreeNode> DecodeNodeBytes(ByteSpan encoded) {
  core::Decoder dec(encoded);
  TL_RETURN_IF_ERROR(dec.ExpectVersion(kNodeVersion));
  TL_ASSIGN_OR_RETURN(uint8_t kind, dec.GetU8());
  if (kind == kLeafKind) {
    LeafNode leaf;
    TL_ASSIGN_OR_RETURN(leaf.path, dec.Get<32>());
    TL_ASSIGN_OR_RETURN(leaf.value, dec.GetOwnedBytes(kMaxValueSize));
    TL_RETURN_IF_ERROR(dec.Finish());
    leaf.value_hash = ValueHash(leaf.value);
    return leaf;
  }
  if (kind == kInternalKind) {
    InternalNode node;
    TL_ASSIGN_OR_RETURN(node.left, dec.Get<32>());
    TL_ASSIGN_OR_RETURN(node.right, dec.Get<32>());
    TL_RETURN_IF_ERROR(dec.Finish());
    if (node.left.IsZero() && node.right.IsZero()) {
      return Fail("STATE_NODE_CORRUPT", "internal node with two empty children");
    }
    return node;
  }
  return Fail("STATE_NODE_CORRUPT", "unknown node kind " + std::to_string(kind));
}

Hash32 HashOf(const TreeNode& node) {
  if (const auto* leaf = std::get_if<LeafNode>(&node)) {
    return LeafHash(leaf->path, leaf->value_hash);
  }
  const auto& internal = std::get<InternalNode>(node);
  return InternalHash(internal.left, internal.right);
}

}  // namespace

Result<TreeNode> DecodeVerifiedNode(const Hash32& node_hash, ByteSpan encoded) {
  auto node = DecodeNodeBytes(encoded);
  if (!node) {
    return Fail("STATE_NODE_CORRUPT", "node " + node_hash.hex() + ": " + node.error().ToString());
  }
  return node;
}

Result<TreeNode> DecodeNode(const Hash32& expected_hash, ByteSpan encoded) {
  auto node = DecodeVerifiedNode(expected_hash, encoded);
  if (node && HashOf(*node) != expected_hash) {
    return Fail("STATE_NODE_CORRUPT", "node " + expected_hash.hex() + " hashes differently");
  }
  return node;
}

NodeReader::~NodeReader() = default;

Result<TreeNode> NodeReader::Read(const Hash32& node_hash) const {
  TL_ASSIGN_OR_RETURN(std::optional<Bytes> encoded, Get(node_hash));
  if (!encoded) return Fail("STATE_NODE_MISSING", "node " + node_hash.hex());
  return DecodeNode(node_hash, *encoded);
}

Result<TreeNode> ReadNode(const NodeReader& reader, const Hash32& node_hash) {
  TL_CHECK(!node_hash.IsZero());
  return reader.Read(node_hash);
}

size_t MemoryNodeStore::HashOfHash::operator()(const Hash32& h) const noexcept {
  size_t out;
  std::memcpy(&out, h.data.data(), sizeof(out));  // already uniformly distributed
  return out;
}

Result<std::optional<Bytes>> MemoryNodeStore::Get(const Hash32& node_hash) const {
  auto it = nodes_.find(node_hash);
  if (it == nodes_.end()) return std::optional<Bytes>();
  return std::optional<Bytes>(it->second);
}

void MemoryNodeStore::Put(const NodeWrite& write) { nodes_.try_emplace(write.hash, write.encoded); }

void MemoryNodeStore::PutAll(const std::vector<NodeWrite>& writes) {
  for (const NodeWrite& w : writes) Put(w);
}

// ---- Reads ---------------------------------------------------------------------------------

Result<PathEnd> WalkPath(const NodeReader& reader, const Hash32& root, const Hash32& path,
                         std::vector<Hash32>* siblings) {
  if (siblings != nullptr) siblings->clear();
  Hash32 current = root;
  for (size_t depth = 0;; ++depth) {
    if (current.IsZero()) return PathEnd{depth, std::nullopt};
    // Kept in its Result (not moved out) to spare GCC 12 a false -Wmaybe-uninitialized.
    Result<TreeNode> node = ReadNode(reader, current);
    if (!node) return Fail(std::move(node).error());
    if (auto* leaf = std::get_if<LeafNode>(&*node)) return PathEnd{depth, std::move(*leaf)};
    if (depth >= kPathBits) {
      return Fail("STATE_NODE_CORRUPT", "internal node below depth 256 at " + current.hex());
    }
    const auto& internal = std::get<InternalNode>(*node);
    bool right = PathBit(path, depth) == 1;
    if (siblings != nullptr) siblings->push_back(right ? internal.left : internal.right);
    current = right ? internal.right : internal.left;
  }
}

Result<std::optional<Bytes>> Lookup(const NodeReader& reader, const Hash32& root, ByteSpan key) {
  Hash32 path = KeyPath(key);
  TL_ASSIGN_OR_RETURN(PathEnd end, WalkPath(reader, root, path, nullptr));
  if (!end.leaf || end.leaf->path != path) return std::optional<Bytes>();
  return std::optional<Bytes>(std::move(end.leaf->value));
}

// ---- Updates -------------------------------------------------------------------------------

namespace {

// One change, or one surviving old leaf, at a path. Sorted by path, paths unique.
struct Op {
  Hash32 path;
  const Bytes* value;  // nullptr: delete
  Hash32 value_hash;
  bool persisted;  // the leaf (path, value_hash) is already a stored node
};
using OpSpan = std::span<const Op>;

// A subtree produced while rebuilding. kUnknown: non-empty, not read yet.
struct Subtree {
  enum class Kind { kEmpty, kLeaf, kInternal, kUnknown };
  Hash32 hash;
  Kind kind;

  static Subtree Of(const Hash32& h) { return {h, h.IsZero() ? Kind::kEmpty : Kind::kUnknown}; }
};

// Index of the first op whose path has bit `depth` set (ops share their first `depth` bits).
size_t SplitPoint(OpSpan ops, size_t depth) {
  auto it = std::partition_point(ops.begin(), ops.end(),
                                 [depth](const Op& op) { return PathBit(op.path, depth) == 0; });
  return static_cast<size_t>(it - ops.begin());
}

// Rebuilds subtrees bottom-up along the paths of a sorted batch. Invariants: every node it
// appends to writes_ is reachable from the subtree it returns; every node it appends to
// stale_ was reachable from the subtree it was given and is not reachable from the one it
// returns.
//
// Why stale_ is exactly "old tree minus new tree": an old subtree that no op reaches is kept
// whole (a lone leaf may move up, keeping its hash), so only nodes Update reads can leave the
// tree. An internal node's content fixes its position (its children's leaves first differ at
// its depth), so one that Update rebuilds into another hash is gone from the new tree. A leaf's
// hash fixes its key and value, so an old leaf is gone exactly when an op deletes its key or
// sets another value; otherwise it is kept, perhaps at another depth.
class Updater {
 public:
  explicit Updater(const NodeReader& reader) : reader_(reader) {}

  std::vector<NodeWrite>& writes() { return writes_; }
  std::vector<Hash32>& stale() { return stale_; }

  // The subtree at `depth` rooted at `node` with `ops` applied; `ops` all lie under it.
  Result<Subtree> Update(const Subtree& node, size_t depth, OpSpan ops) {
    if (ops.empty()) return node;
    if (node.kind == Subtree::Kind::kEmpty) return BuildFromOps(depth, ops, nullptr, kEmptyHash);
    TL_ASSIGN_OR_RETURN(TreeNode decoded, ReadNode(reader_, node.hash));
    if (const auto* leaf = std::get_if<LeafNode>(&decoded)) {
      return BuildFromOps(depth, ops, leaf, node.hash);
    }
    if (depth >= kPathBits) {
      return Fail("STATE_NODE_CORRUPT", "internal node below depth 256 at " + node.hash.hex());
    }
    const auto& internal = std::get<InternalNode>(decoded);
    size_t split = SplitPoint(ops, depth);
    TL_ASSIGN_OR_RETURN(Subtree left,
                        Update(Subtree::Of(internal.left), depth + 1, ops.first(split)));
    TL_ASSIGN_OR_RETURN(Subtree right,
                        Update(Subtree::Of(internal.right), depth + 1, ops.subspan(split)));
    if (left.hash == internal.left && right.hash == internal.right) {
      return Subtree{node.hash, Subtree::Kind::kInternal};
    }
    stale_.push_back(node.hash);
    return Combine(left, right);
  }

 private:
  // Builds the subtree at `depth` holding `old_leaf` (if any, stored as `old_leaf_hash`)
  // merged with `ops`.
  Result<Subtree> BuildFromOps(size_t depth, OpSpan ops, const LeafNode* old_leaf,
                               const Hash32& old_leaf_hash) {
    std::vector<Op> entries;
    entries.reserve(ops.size() + 1);
    bool old_leaf_touched = false;
    for (const Op& op : ops) {
      bool on_old_leaf = old_leaf != nullptr && op.path == old_leaf->path;
      old_leaf_touched = old_leaf_touched || on_old_leaf;
      bool keeps_old_leaf =
          on_old_leaf && op.value != nullptr && op.value_hash == old_leaf->value_hash;
      if (on_old_leaf && !keeps_old_leaf) stale_.push_back(old_leaf_hash);
      if (op.value == nullptr) continue;  // a delete: the key is simply not in `entries`
      Op entry = op;
      entry.persisted = keeps_old_leaf;
      entries.push_back(entry);
    }
    if (old_leaf != nullptr && !old_leaf_touched) {
      Op kept{old_leaf->path, &old_leaf->value, old_leaf->value_hash, true};
      auto pos = std::lower_bound(entries.begin(), entries.end(), kept,
                                  [](const Op& a, const Op& b) { return a.path < b.path; });
      entries.insert(pos, kept);
    }
    return Build(depth, entries);
  }

  // Builds the subtree at `depth` holding exactly `entries` (sorted, unique, all sets).
  Result<Subtree> Build(size_t depth, OpSpan entries) {
    if (entries.empty()) return Subtree{kEmptyHash, Subtree::Kind::kEmpty};
    if (entries.size() == 1) {
      const Op& e = entries.front();
      if (e.persisted) return Subtree{LeafHash(e.path, e.value_hash), Subtree::Kind::kLeaf};
      writes_.push_back(EncodeLeafNode(e.path, *e.value));
      return Subtree{writes_.back().hash, Subtree::Kind::kLeaf};
    }
    TL_CHECK(depth < kPathBits);  // distinct paths differ at some bit < 256
    size_t split = SplitPoint(entries, depth);
    TL_ASSIGN_OR_RETURN(Subtree left, Build(depth + 1, entries.first(split)));
    TL_ASSIGN_OR_RETURN(Subtree right, Build(depth + 1, entries.subspan(split)));
    return Combine(left, right);
  }

  // The subtree whose children are `left` and `right`, compacted: an empty pair is empty and
  // a lone leaf moves up to replace its parent.
  Result<Subtree> Combine(Subtree left, Subtree right) {
    using Kind = Subtree::Kind;
    if (left.kind == Kind::kEmpty && right.kind == Kind::kEmpty) return left;
    if (left.kind == Kind::kEmpty || right.kind == Kind::kEmpty) {
      Subtree& only = left.kind == Kind::kEmpty ? right : left;
      TL_RETURN_IF_ERROR(Resolve(&only));
      if (only.kind == Kind::kLeaf) return only;
    }
    writes_.push_back(EncodeInternalNode(left.hash, right.hash));
    return Subtree{writes_.back().hash, Kind::kInternal};
  }

  // Reads an untouched subtree's root to learn whether it is a leaf.
  core::Status Resolve(Subtree* subtree) {
    if (subtree->kind != Subtree::Kind::kUnknown) return core::Ok();
    TL_ASSIGN_OR_RETURN(TreeNode node, ReadNode(reader_, subtree->hash));
    subtree->kind =
        std::holds_alternative<LeafNode>(node) ? Subtree::Kind::kLeaf : Subtree::Kind::kInternal;
    return core::Ok();
  }

  const NodeReader& reader_;
  std::vector<NodeWrite> writes_;
  std::vector<Hash32> stale_;
};

}  // namespace

Result<Hash32> ApplyUpdates(const NodeReader& reader, const Hash32& root,
                            std::vector<StateUpdate> updates, std::vector<NodeWrite>* new_nodes,
                            std::vector<Hash32>* stale_nodes) {
  TL_CHECK(new_nodes != nullptr);
  std::vector<Op> ops;
  ops.reserve(updates.size());
  for (const StateUpdate& u : updates) {
    if (u.key.size() > kMaxKeySize) {
      return Fail("STATE_UPDATE_INVALID", "key of " + std::to_string(u.key.size()) + " bytes");
    }
    if (u.value && u.value->size() > kMaxValueSize) {
      return Fail("STATE_UPDATE_INVALID", "value of " + std::to_string(u.value->size()) + " bytes");
    }
    ops.push_back(Op{KeyPath(u.key), u.value ? &*u.value : nullptr,
                     u.value ? ValueHash(*u.value) : kEmptyHash, false});
  }
  std::sort(ops.begin(), ops.end(), [](const Op& a, const Op& b) { return a.path < b.path; });
  auto dup = std::adjacent_find(ops.begin(), ops.end(),
                                [](const Op& a, const Op& b) { return a.path == b.path; });
  if (dup != ops.end()) {
    return Fail("STATE_UPDATE_INVALID", "key at path " + dup->path.hex() + " updated twice");
  }

  Updater updater(reader);
  TL_ASSIGN_OR_RETURN(Subtree result, updater.Update(Subtree::Of(root), 0, ops));
  auto& writes = updater.writes();
  new_nodes->insert(new_nodes->end(), std::make_move_iterator(writes.begin()),
                    std::make_move_iterator(writes.end()));
  if (stale_nodes != nullptr) {
    stale_nodes->insert(stale_nodes->end(), updater.stale().begin(), updater.stale().end());
  }
  return result.hash;
}

}  // namespace tradeledger::state
