#include "state/state_tree.h"

#include <algorithm>
#include <cstring>
#include <deque>
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

constexpr uint8_t kNodeVersion = 2;
constexpr uint8_t kLeafKind = 0;
constexpr uint8_t kPageKind = 2;        // every child's hash: ApplyUpdates' output, caches
constexpr uint8_t kStoredPageKind = 3;  // without the hashes a decoder recomputes: stores
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

namespace {

// EncodeLeafNode for a caller that has already hashed the value.
NodeWrite EncodeLeaf(const Hash32& path, ByteSpan value, const Hash32& value_hash) {
  TL_CHECK(value.size() <= kMaxValueSize);
  core::Encoder enc(2 + 32 + 4 + value.size());
  enc.PutU8(kNodeVersion).PutU8(kLeafKind).Put(path).PutBytes(value);
  return NodeWrite{LeafHash(path, value_hash), std::move(enc).Take()};
}

}  // namespace

NodeWrite EncodeLeafNode(const Hash32& path, ByteSpan value) {
  return EncodeLeaf(path, value, ValueHash(value));
}

bool IsPageEncoding(ByteSpan encoded) {
  return encoded.size() >= 2 && encoded[0] == kNodeVersion && encoded[1] == kPageKind;
}

bool IsStoredPageEncoding(ByteSpan encoded) {
  return encoded.size() >= 2 && encoded[0] == kNodeVersion && encoded[1] == kStoredPageKind;
}

namespace {

Result<TreeNode> Corrupt(const std::string& why) { return Fail("STATE_NODE_CORRUPT", why); }

// Parses the entry of the internal node at `relative_depth`, appending it (and then its inline
// descendants) to `page`; returns its index. In a page's full form, `hash` is the one its parent
// records; in the stored form (`hash` null) the hashes of the entry, of its inline children and
// of its leaf children are not in the bytes and are computed here.
Result<uint8_t> ParseEntry(core::Decoder& dec, const Hash32* hash, size_t relative_depth,
                           PageNode& page) {
  const bool stored = hash == nullptr;
  size_t index = page.entries.size();
  page.entries.push_back(PageEntry{stored ? Hash32{} : *hash, {}, {}});
  TL_ASSIGN_OR_RETURN(uint8_t kinds, dec.GetU8());
  PageChild children[2];
  for (int side = 0; side < 2; ++side) {
    uint8_t kind = side == 0 ? kinds >> 4 : kinds & 0x0f;
    if (kind > static_cast<uint8_t>(ChildKind::kPage)) {
      return Fail("STATE_NODE_CORRUPT", "unknown child kind " + std::to_string(kind));
    }
    children[side].kind = static_cast<ChildKind>(kind);
    bool inner = relative_depth + 1 < kPageLevels;
    if ((children[side].kind == ChildKind::kInline && !inner) ||
        (children[side].kind == ChildKind::kPage && inner)) {
      return Fail("STATE_NODE_CORRUPT",
                  "internal child at the wrong depth of a page: " + std::to_string(kind));
    }
  }
  auto is = [](const PageChild& c, ChildKind k) { return c.kind == k; };
  if (is(children[0], ChildKind::kEmpty) && is(children[1], ChildKind::kEmpty)) {
    return Fail("STATE_NODE_CORRUPT", "internal node with two empty children");
  }
  if ((is(children[0], ChildKind::kEmpty) && is(children[1], ChildKind::kLeaf)) ||
      (is(children[1], ChildKind::kEmpty) && is(children[0], ChildKind::kLeaf))) {
    return Fail("STATE_NODE_CORRUPT", "a lone leaf below an internal node");
  }
  for (PageChild& child : children) {
    if (child.kind == ChildKind::kEmpty) continue;
    if (!stored || child.kind == ChildKind::kPage) {
      TL_ASSIGN_OR_RETURN(child.hash, dec.Get<32>());
      if (child.hash.IsZero()) return Fail("STATE_NODE_CORRUPT", "a non-empty child hashes to 0");
    }
    if (child.kind != ChildKind::kLeaf) continue;
    TL_ASSIGN_OR_RETURN(child.path, dec.Get<32>());
    TL_ASSIGN_OR_RETURN(child.value_hash, dec.Get<32>());
    if (stored) child.hash = LeafHash(child.path, child.value_hash);
  }
  for (PageChild& child : children) {
    if (child.kind != ChildKind::kInline) continue;
    TL_ASSIGN_OR_RETURN(child.index,
                        ParseEntry(dec, stored ? nullptr : &child.hash, relative_depth + 1, page));
    if (stored) child.hash = page.entries[child.index].hash;
  }
  PageEntry& entry = page.entries[index];
  entry.left = children[0];
  entry.right = children[1];
  if (stored) entry.hash = InternalHash(entry.left.hash, entry.right.hash);
  return static_cast<uint8_t>(index);
}

// Appends the entry at `index` of `page`, and its inline descendants, in the full form or the
// stored one (the two differ only in the hashes the stored form leaves out).
void PutPageEntry(core::Encoder& enc, const PageNode& page, size_t index, bool stored) {
  const PageEntry& entry = page.entries[index];
  enc.PutU8(static_cast<uint8_t>(static_cast<uint8_t>(entry.left.kind) << 4 |
                                 static_cast<uint8_t>(entry.right.kind)));
  for (const PageChild* child : {&entry.left, &entry.right}) {
    if (child->kind == ChildKind::kEmpty) continue;
    if (!stored || child->kind == ChildKind::kPage) enc.Put(child->hash);
    if (child->kind == ChildKind::kLeaf) enc.Put(child->path).Put(child->value_hash);
  }
  for (const PageChild* child : {&entry.left, &entry.right}) {
    if (child->kind == ChildKind::kInline) PutPageEntry(enc, page, child->index, stored);
  }
}

Bytes EncodePageAs(const PageNode& page, bool stored) {
  TL_CHECK(!page.entries.empty());
  core::Encoder enc(kMaxPageBytes);
  enc.PutU8(kNodeVersion).PutU8(stored ? kStoredPageKind : kPageKind);
  PutPageEntry(enc, page, 0, stored);
  return std::move(enc).Take();
}

Result<TreeNode> DecodeNodeBytes(const Hash32& node_hash, ByteSpan encoded) {
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
  if (kind == kPageKind || kind == kStoredPageKind) {
    const bool stored = kind == kStoredPageKind;
    PageNode page;
    page.entries.reserve(kMaxPageEntries);  // one allocation, however full the page
    TL_RETURN_IF_ERROR(ParseEntry(dec, stored ? nullptr : &node_hash, 0, page));
    TL_RETURN_IF_ERROR(dec.Finish());
    if (stored && page.entries[0].hash != node_hash) return Corrupt("hashes differently");
    return page;
  }
  return Corrupt("unknown node kind " + std::to_string(kind));
}

}  // namespace

Result<TreeNode> DecodeVerifiedNode(const Hash32& node_hash, ByteSpan encoded) {
  auto node = DecodeNodeBytes(node_hash, encoded);
  if (!node) return Corrupt("node " + node_hash.hex() + ": " + node.error().ToString());
  return node;
}

Result<TreeNode> DecodeNode(const Hash32& expected_hash, ByteSpan encoded) {
  auto node = DecodeVerifiedNode(expected_hash, encoded);
  if (!node) return node;
  // The stored form's decode computed every hash from the bytes and checked the root's.
  if (IsStoredPageEncoding(encoded)) return node;
  bool matches = true;
  if (const auto* leaf = std::get_if<LeafNode>(&*node)) {
    matches = LeafHash(leaf->path, leaf->value_hash) == expected_hash;
  } else {
    // Each entry's hash is the one its parent records (the root's is expected_hash), so
    // checking every entry against its children checks the page from its root down.
    for (const PageEntry& entry : std::get<PageNode>(*node).entries) {
      matches = matches && InternalHash(entry.left.hash, entry.right.hash) == entry.hash;
      for (const PageChild* child : {&entry.left, &entry.right}) {
        matches = matches && (child->kind != ChildKind::kLeaf ||
                              LeafHash(child->path, child->value_hash) == child->hash);
      }
    }
  }
  if (!matches) return Corrupt("node " + expected_hash.hex() + " hashes differently");
  return node;
}

Bytes EncodePage(const PageNode& page) { return EncodePageAs(page, false); }

Bytes EncodeStoredPage(const PageNode& page) { return EncodePageAs(page, true); }

namespace {

// Copies the entry at `in`'s position, `relative_depth` in its page, and its inline
// descendants, from the full page form to the stored one: the same bytes less the hashes of
// leaf and inline children. The input is trusted to be a full page (StoredNodeEncoding's
// contract). Bytes cut short or left over, an unknown child kind, and an inline or page child
// at a depth where the format has none abort; what only hashing would find (a wrong hash, a
// lone leaf) is left to the reader's decode.
void TranscodeEntry(core::Decoder& in, core::Encoder& out, size_t relative_depth) {
  Result<uint8_t> kinds = in.GetU8();
  TL_CHECK(kinds.has_value());
  const uint8_t left = *kinds >> 4, right = *kinds & 0x0f;
  // Children below an entry are inline above the page's last level and pages at it.
  const bool inner = relative_depth + 1 < kPageLevels;
  const uint8_t deeper = static_cast<uint8_t>(inner ? ChildKind::kInline : ChildKind::kPage);
  for (uint8_t kind : {left, right}) {
    TL_CHECK(kind <= static_cast<uint8_t>(ChildKind::kLeaf) || kind == deeper);
  }
  out.PutU8(*kinds);
  for (ChildKind kind : {static_cast<ChildKind>(left), static_cast<ChildKind>(right)}) {
    if (kind == ChildKind::kEmpty) continue;
    Result<ByteSpan> hash = in.GetFixed(32);
    TL_CHECK(hash.has_value());
    if (kind == ChildKind::kPage) out.PutFixed(*hash);
    if (kind != ChildKind::kLeaf) continue;
    Result<ByteSpan> path_and_value_hash = in.GetFixed(64);
    TL_CHECK(path_and_value_hash.has_value());
    out.PutFixed(*path_and_value_hash);
  }
  for (uint8_t kind : {left, right}) {
    if (kind == static_cast<uint8_t>(ChildKind::kInline)) {
      TranscodeEntry(in, out, relative_depth + 1);
    }
  }
}

}  // namespace

void PutStoredNodeEncoding(core::Encoder& out, ByteSpan encoded) {
  if (!IsPageEncoding(encoded)) {
    out.PutFixed(encoded);
    return;
  }
  core::Decoder in(encoded.subspan(2));
  out.PutU8(kNodeVersion).PutU8(kStoredPageKind);
  TranscodeEntry(in, out, 0);
  TL_CHECK(in.remaining() == 0);
}

Bytes StoredNodeEncoding(ByteSpan encoded) {
  core::Encoder out(encoded.size());
  PutStoredNodeEncoding(out, encoded);
  return std::move(out).Take();
}

std::vector<Hash32> StoredChildren(const TreeNode& node) {
  std::vector<Hash32> out;
  const auto* page = std::get_if<PageNode>(&node);
  if (page == nullptr) return out;
  for (const PageEntry& entry : page->entries) {
    for (const PageChild* child : {&entry.left, &entry.right}) {
      if (child->kind == ChildKind::kLeaf || child->kind == ChildKind::kPage) {
        out.push_back(child->hash);
      }
    }
  }
  return out;
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

namespace {

// Reads the node a page child of kind kLeaf or kPage refers to, and checks it is of that kind.
template <typename Expected>
Result<Expected> ReadChild(const NodeReader& reader, const Hash32& hash) {
  // Kept in its Result (not moved out) to spare GCC 12 a false -Wmaybe-uninitialized.
  Result<TreeNode> node = ReadNode(reader, hash);
  if (!node) return Fail(std::move(node).error());
  auto* expected = std::get_if<Expected>(&*node);
  if (expected == nullptr) {
    return Fail("STATE_NODE_CORRUPT", "node " + hash.hex() + " is not of the kind its parent says");
  }
  return std::move(*expected);
}

}  // namespace

Result<PathEnd> WalkPath(const NodeReader& reader, const Hash32& root, const Hash32& path,
                         std::vector<Hash32>* siblings) {
  if (siblings != nullptr) siblings->clear();
  if (root.IsZero()) return PathEnd{0, std::nullopt};
  Result<TreeNode> top = ReadNode(reader, root);
  if (!top) return Fail(std::move(top).error());
  if (auto* leaf = std::get_if<LeafNode>(&*top)) return PathEnd{0, std::move(*leaf)};
  PageNode page = std::move(std::get<PageNode>(*top));
  size_t entry = 0;
  for (size_t depth = 0;; ++depth) {
    if (depth >= kPathBits) {
      return Fail("STATE_NODE_CORRUPT", "internal node below depth 256 under " + root.hex());
    }
    const PageEntry& node = page.entries[entry];
    bool right = PathBit(path, depth) == 1;
    if (siblings != nullptr) siblings->push_back(right ? node.left.hash : node.right.hash);
    PageChild next = right ? node.right : node.left;
    switch (next.kind) {
      case ChildKind::kEmpty:
        return PathEnd{depth + 1, std::nullopt};
      case ChildKind::kLeaf: {
        TL_ASSIGN_OR_RETURN(LeafNode leaf, ReadChild<LeafNode>(reader, next.hash));
        return PathEnd{depth + 1, std::move(leaf)};
      }
      case ChildKind::kInline:
        entry = next.index;
        break;
      case ChildKind::kPage: {
        TL_ASSIGN_OR_RETURN(page, ReadChild<PageNode>(reader, next.hash));
        entry = 0;
        break;
      }
    }
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
  Hash32 stored_leaf;  // the hash of the leaf (path, value_hash) if it is already stored, else 0
};
using OpSpan = std::span<const Op>;

struct Built;

// A subtree produced while rebuilding. kUnknown: the root, not read yet. A kLeaf subtree
// carries its leaf's path and value hash. The content (children) of a kInternal subtree is
// known when it lies in a page read by this update (`page`, `entry`) or was built by it
// (`built`); otherwise it is the root of a page not read yet.
struct Subtree {
  enum class Kind { kEmpty, kLeaf, kInternal, kUnknown };
  Hash32 hash;
  Kind kind;
  const PageNode* page = nullptr;
  uint8_t entry = 0;
  const Built* built = nullptr;
  Hash32 path{};        // kLeaf
  Hash32 value_hash{};  // kLeaf

  bool HasContent() const { return page != nullptr || built != nullptr; }
  static Subtree Of(const Hash32& h) { return {h, h.IsZero() ? Kind::kEmpty : Kind::kUnknown}; }
};
// An internal node built by an update; its hash is in the Subtree that refers to it.
struct Built {
  Subtree left;
  Subtree right;
};

Subtree FromChild(const PageNode* page, const PageChild& child) {
  using Kind = Subtree::Kind;
  switch (child.kind) {
    case ChildKind::kEmpty:
      return Subtree{kEmptyHash, Kind::kEmpty};
    case ChildKind::kLeaf:
      return Subtree{child.hash, Kind::kLeaf, nullptr, 0, nullptr, child.path, child.value_hash};
    case ChildKind::kInline:
      return Subtree{child.hash, Kind::kInternal, page, child.index};
    case ChildKind::kPage:
      break;
  }
  return Subtree{child.hash, Kind::kInternal};
}

// The children of an internal subtree whose content is known.
std::pair<Subtree, Subtree> ChildrenOf(const Subtree& node) {
  TL_CHECK(node.HasContent());
  if (node.built != nullptr) return {node.built->left, node.built->right};
  const PageEntry& entry = node.page->entries[node.entry];
  return {FromChild(node.page, entry.left), FromChild(node.page, entry.right)};
}

// Index of the first op whose path has bit `depth` set (ops share their first `depth` bits).
size_t SplitPoint(OpSpan ops, size_t depth) {
  auto it = std::partition_point(ops.begin(), ops.end(),
                                 [depth](const Op& op) { return PathBit(op.path, depth) == 0; });
  return static_cast<size_t>(it - ops.begin());
}

// Rebuilds subtrees bottom-up along the paths of a sorted batch, and stores the internal nodes
// it builds in pages. Invariants: every node it appends to writes_ is reachable from the
// subtree it returns; every node it appends to stale_ was reachable from the subtree it was
// given and is not reachable from the one it returns.
//
// Why stale_ is exactly "old tree minus new tree": an old subtree that no op reaches is kept
// whole (a lone leaf may move up, keeping its hash), so only nodes Update reads can leave the
// tree. An internal node's content fixes its position (its children's leaves first differ at
// its depth), so a page root that Update rebuilds into another hash is gone from the new tree,
// and with it its page (whose content its hash fixes). A leaf's hash fixes its key and value,
// so an old leaf is gone exactly when an op deletes its key or sets another value; otherwise it
// is kept, perhaps at another depth. Internal nodes inside a page are not stored on their own.
class Updater {
 public:
  explicit Updater(const NodeReader& reader) : reader_(reader) {}

  std::vector<NodeWrite>& writes() { return writes_; }
  std::vector<Hash32>& stale() { return stale_; }

  // The subtree at `depth` rooted at `node` with `ops` applied; `ops` all lie under it.
  Result<Subtree> Update(Subtree node, size_t depth, OpSpan ops) {
    if (ops.empty()) return node;
    if (node.kind == Subtree::Kind::kEmpty) return BuildFromOps(depth, ops, nullptr);
    if (node.kind == Subtree::Kind::kLeaf) return BuildFromOps(depth, ops, &node);
    if (!node.HasContent()) {
      // Kept in its Result (not moved out) to spare GCC 12 a false -Wmaybe-uninitialized.
      Result<TreeNode> read = ReadNode(reader_, node.hash);
      if (!read) return Fail(std::move(read).error());
      if (const auto* leaf = std::get_if<LeafNode>(&*read)) {
        if (node.kind == Subtree::Kind::kInternal) return WrongKind(node.hash);
        Subtree root_leaf{node.hash, Subtree::Kind::kLeaf, nullptr,         0,
                          nullptr,   leaf->path,           leaf->value_hash};
        return BuildFromOps(depth, ops, &root_leaf);
      }
      pages_.push_back(std::move(std::get<PageNode>(*read)));
      node = Subtree{node.hash, Subtree::Kind::kInternal, &pages_.back(), 0};
    }
    if (depth >= kPathBits) {
      return Fail("STATE_NODE_CORRUPT", "internal node below depth 256 at " + node.hash.hex());
    }
    auto [old_left, old_right] = ChildrenOf(node);
    size_t split = SplitPoint(ops, depth);
    TL_ASSIGN_OR_RETURN(Subtree left, Update(old_left, depth + 1, ops.first(split)));
    TL_ASSIGN_OR_RETURN(Subtree right, Update(old_right, depth + 1, ops.subspan(split)));
    if (left.hash == old_left.hash && right.hash == old_right.hash) return node;
    if (depth % kPageLevels == 0) stale_.push_back(node.hash);  // its page is gone
    return Combine(left, right, depth);
  }

 private:
  static Result<Subtree> WrongKind(const Hash32& hash) {
    return Fail("STATE_NODE_CORRUPT", "node " + hash.hex() + " is not of the kind its parent says");
  }

  // Builds the subtree at `depth` holding the leaf `old_leaf` (if any) merged with `ops`. The
  // old leaf is not read: its parent's page records its path and value hash.
  Result<Subtree> BuildFromOps(size_t depth, OpSpan ops, const Subtree* old_leaf) {
    // Build does not come back here, so one buffer serves every call.
    std::vector<Op>& entries = build_entries_;
    entries.clear();
    entries.reserve(ops.size() + 1);
    bool old_leaf_touched = false;
    for (const Op& op : ops) {
      bool on_old_leaf = old_leaf != nullptr && op.path == old_leaf->path;
      old_leaf_touched = old_leaf_touched || on_old_leaf;
      bool keeps_old_leaf =
          on_old_leaf && op.value != nullptr && op.value_hash == old_leaf->value_hash;
      if (on_old_leaf && !keeps_old_leaf) stale_.push_back(old_leaf->hash);
      if (op.value == nullptr) continue;  // a delete: the key is simply not in `entries`
      Op entry = op;
      if (keeps_old_leaf) entry.stored_leaf = old_leaf->hash;
      entries.push_back(entry);
    }
    if (old_leaf != nullptr && !old_leaf_touched) {
      Op kept{old_leaf->path, nullptr, old_leaf->value_hash, old_leaf->hash};
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
      Hash32 hash = e.stored_leaf;
      if (hash.IsZero()) {
        writes_.push_back(EncodeLeaf(e.path, *e.value, e.value_hash));
        hash = writes_.back().hash;
      }
      return Subtree{hash, Subtree::Kind::kLeaf, nullptr, 0, nullptr, e.path, e.value_hash};
    }
    TL_CHECK(depth < kPathBits);  // distinct paths differ at some bit < 256
    size_t split = SplitPoint(entries, depth);
    TL_ASSIGN_OR_RETURN(Subtree left, Build(depth + 1, entries.first(split)));
    TL_ASSIGN_OR_RETURN(Subtree right, Build(depth + 1, entries.subspan(split)));
    return Combine(left, right, depth);
  }

  // The subtree at `depth` whose children are `left` and `right`, compacted: an empty pair is
  // empty and a lone leaf moves up to replace its parent. A new internal node at a page root's
  // depth is written as a page, with the nodes below it down to the next page roots.
  Subtree Combine(const Subtree& left, const Subtree& right, size_t depth) {
    using Kind = Subtree::Kind;
    if (left.kind == Kind::kEmpty && right.kind == Kind::kEmpty) return left;
    if (left.kind == Kind::kEmpty && right.kind == Kind::kLeaf) return right;
    if (right.kind == Kind::kEmpty && left.kind == Kind::kLeaf) return left;
    built_.push_back(Built{left, right});
    Subtree node{InternalHash(left.hash, right.hash), Kind::kInternal, nullptr, 0, &built_.back()};
    if (depth % kPageLevels == 0) {
      core::Encoder enc(kMaxPageBytes);
      enc.PutU8(kNodeVersion).PutU8(kPageKind);
      PutEntry(enc, node, 0);
      writes_.push_back(NodeWrite{node.hash, std::move(enc).Take()});
    }
    return node;
  }

  // Appends the page entry of `node`, at `relative_depth` in its page (doc/state-tree.md).
  static void PutEntry(core::Encoder& enc, const Subtree& node, size_t relative_depth) {
    auto [left, right] = ChildrenOf(node);
    bool inner = relative_depth + 1 < kPageLevels;
    auto kind_of = [inner](const Subtree& child) {
      switch (child.kind) {
        case Subtree::Kind::kEmpty:
          return ChildKind::kEmpty;
        case Subtree::Kind::kLeaf:
          return ChildKind::kLeaf;
        default:
          return inner ? ChildKind::kInline : ChildKind::kPage;
      }
    };
    ChildKind left_kind = kind_of(left), right_kind = kind_of(right);
    enc.PutU8(static_cast<uint8_t>(static_cast<uint8_t>(left_kind) << 4 |
                                   static_cast<uint8_t>(right_kind)));
    for (const Subtree* child : {&left, &right}) {
      if (child->kind == Subtree::Kind::kEmpty) continue;
      enc.Put(child->hash);
      if (child->kind == Subtree::Kind::kLeaf) enc.Put(child->path).Put(child->value_hash);
    }
    if (left_kind == ChildKind::kInline) PutEntry(enc, left, relative_depth + 1);
    if (right_kind == ChildKind::kInline) PutEntry(enc, right, relative_depth + 1);
  }

  const NodeReader& reader_;
  std::vector<NodeWrite> writes_;
  std::vector<Hash32> stale_;
  std::deque<PageNode> pages_;     // the pages read, which subtrees point into
  std::deque<Built> built_;        // the internal nodes built, which subtrees point to
  std::vector<Op> build_entries_;  // BuildFromOps's merged entries
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
                     u.value ? ValueHash(*u.value) : kEmptyHash, kEmptyHash});
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
