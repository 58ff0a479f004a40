// The authenticated state of the ledger: a compact sparse Merkle tree over 256-bit paths.
//
// Every key is placed at path = SHA-256(key). Conceptually the tree has 2^256 leaf positions;
// it is stored compactly in the way of Diem's Jellyfish Merkle tree:
//  - an empty subtree is not stored and hashes to kEmptyHash (32 zero bytes) at every level;
//  - a subtree that holds exactly one key is represented by that key's leaf node, placed at
//    the highest level where it is alone (so a leaf's depth is one more than the length of the
//    longest prefix it shares with any other key);
//  - every other subtree is an internal node with two children, at least one of them
//    non-empty; an internal node with one empty child has an internal node as its other child.
// The tree shape is therefore a function of the key set alone, and so is the root: the same
// updates give the same root whatever their order.
//
// Hashes (exact byte strings; "||" is concatenation; doc/state-tree.md has the full format):
//   ValueHash(value)       = SHA-256(value)
//   KeyPath(key)           = SHA-256(key)
//   LeafHash(path, vh)     = SHA-256(0x00 || "TL-SMT-LEAF" || path[32] || vh[32])
//   InternalHash(l, r)     = SHA-256(0x01 || "TL-SMT-NODE" || l[32] || r[32])
//   hash of empty subtree  = kEmptyHash = 32 zero bytes (also the root of the empty tree)
// Bit i of a path (i = 0 is the most significant bit of byte 0) chooses the child at depth i:
// 0 = left, 1 = right. The root is at depth 0.
//
// Storage (doc/state-tree.md, ADR 0031): the binary nodes are hashed one by one but stored in
// pages. A page holds the internal nodes of four consecutive levels under an internal node at a
// depth that is a multiple of 4 (its root), and is stored under its root's hash; a leaf is
// stored on its own under its hash. So a changed key rewrites one page per four levels of its
// path and its leaf, not one node per level. A page's content is a function of its root's hash
// (an internal node's content fixes its depth), and the stored objects of a tree are its pages
// and leaves; "node" below means such a stored object.
//
// Stored objects are content-addressed by hash and immutable. An update writes new ones and
// never deletes old ones, so every historical root remains readable and provable as long as
// the store keeps them. An update also reports the objects it made stale (in the old tree,
// not in the new one); deleting them is the business of a higher layer (node/state_pruning.h,
// ADR 0019), which must allow for a stale object becoming live again: the same content gives
// the same hash, so a later update may re-create one an earlier update made stale.
//
// Thread safety: the free functions hold no state; they may run concurrently on one
// NodeReader if its Get is safe to call concurrently. MemoryNodeStore is not synchronised:
// Put must not run concurrently with any other call on the same store.
#pragma once

#include <cstddef>
#include <optional>
#include <unordered_map>
#include <variant>
#include <vector>

#include "core/bytes.h"
#include "core/encoding.h"
#include "core/result.h"

namespace tradeledger::state {

// Limits on what the tree stores; the same limits bound the proof decoder.
inline constexpr size_t kMaxKeySize = 1024;        // bytes
inline constexpr size_t kMaxValueSize = 1u << 20;  // bytes (1 MiB)
inline constexpr size_t kPathBits = 256;           // tree depth; also the maximum proof depth

// The hash of every empty subtree, and so the root of the empty tree.
inline constexpr core::Hash32 kEmptyHash{};
inline constexpr core::Hash32 kEmptyRoot{};

// The hash definitions above.
core::Hash32 KeyPath(core::ByteSpan key);
core::Hash32 ValueHash(core::ByteSpan value);
core::Hash32 LeafHash(const core::Hash32& path, const core::Hash32& value_hash);
core::Hash32 InternalHash(const core::Hash32& left, const core::Hash32& right);

// Bit `index` (0..255) of `path`, most significant bit first. 0 = left, 1 = right.
inline int PathBit(const core::Hash32& path, size_t index) {
  return (path.data[index / 8] >> (7 - index % 8)) & 1;
}
// True if the first `bits` bits of `a` and `b` are equal (bits <= 256).
bool SharesPrefix(const core::Hash32& a, const core::Hash32& b, size_t bits);

// ---- Nodes ---------------------------------------------------------------------------------
//
// Stored encoding of a node (the bytes a NodeReader returns; keyed by the node's hash):
//   u8 version (= 2) || u8 kind
//   kind 0, leaf: path[32] || u32 length || value      (length <= kMaxValueSize)
//   kind 2, page: entry(root), where, for the internal node at relative depth r (0..3):
//     entry := u8 (left kind << 4 | right kind) || child(left) || child(right)
//              || entry of the left child if inline || entry of the right child if inline
//     child  := nothing if empty; hash[32] || path[32] || value_hash[32] if a leaf; hash[32]
//              otherwise
//     child kinds: 0 empty, 1 leaf, 2 inline internal node (only at r < 3: the child is in this
//     page), 3 page (only at r = 3: the child is the root of another page, at relative depth 4).
//     An entry has at least one non-empty child, and an empty child's sibling is not a leaf.
//     A page records its leaf children's paths and value hashes, so that an update learns where
//     a leaf goes, and whether a write changes it, without reading the leaf.
//   kind 3, stored page (ADR 0036): the same entries without the hashes a decoder computes,
//     those of inline and leaf children: child := nothing if empty; path[32] || value_hash[32]
//     if a leaf; nothing if inline; hash[32] if a page. A store keeps pages in this form (a
//     third smaller); ApplyUpdates and the node cache use kind 2, whose decode hashes nothing.
// The hash is computed from the content (LeafHash / InternalHash), not from these bytes.

struct LeafNode {
  core::Hash32 path;
  core::Hash32 value_hash;  // ValueHash(value)
  core::Bytes value;
};

inline constexpr size_t kPageLevels = 4;  // a page root sits at a depth that is a multiple of 4

enum class ChildKind : uint8_t { kEmpty = 0, kLeaf = 1, kInline = 2, kPage = 3 };
// A child of an internal node of a page. `hash` is kEmptyHash for kEmpty; `index` is the
// child's entry in the page for kInline, 0 otherwise; `path` and `value_hash` are the leaf's
// for kLeaf (hash = LeafHash(path, value_hash)), zero otherwise.
struct PageChild {
  ChildKind kind = ChildKind::kEmpty;
  core::Hash32 hash;
  uint8_t index = 0;
  core::Hash32 path;
  core::Hash32 value_hash;
};
// An internal node of a page: `hash` = InternalHash(left.hash, right.hash).
struct PageEntry {
  core::Hash32 hash;
  PageChild left;
  PageChild right;
};
// The most internal nodes a page holds: its four levels, full.
inline constexpr size_t kMaxPageEntries = (size_t{1} << kPageLevels) - 1;
// A decoded page: its internal nodes in preorder (at most kMaxPageEntries); entries[0] is its
// root.
struct PageNode {
  std::vector<PageEntry> entries;
};
using TreeNode = std::variant<LeafNode, PageNode>;

// The most bytes a page's encoding takes: 15 entries, so 14 inline children (32 bytes each)
// and 16 other child slots, at most 96 bytes each (a leaf).
inline constexpr size_t kMaxPageBytes = 2 + 15 + 14 * 32 + 16 * 96;

// A node to persist: `encoded` is stored under key `hash`.
struct NodeWrite {
  core::Hash32 hash;
  core::Bytes encoded;
};

NodeWrite EncodeLeafNode(const core::Hash32& path, core::ByteSpan value);
// True if `encoded` is a page's full encoding (kind 2), respectively its stored encoding
// (kind 3), by its version and kind bytes alone (no validation).
bool IsPageEncoding(core::ByteSpan encoded);
bool IsStoredPageEncoding(core::ByteSpan encoded);
// A decoded page in its full and in its stored encoding; each is the only encoding of its kind
// that decodes to `page`. `page` must be one DecodeNode or DecodeVerifiedNode produced.
core::Bytes EncodePage(const PageNode& page);
core::Bytes EncodeStoredPage(const PageNode& page);
// What a store keeps for a node whose encoding is `encoded`: a full page in its stored form,
// anything else as it is. `encoded` must be what ApplyUpdates or EncodeLeafNode produced, or
// what DecodeNode accepted: a page cut short or overlong, or with a child kind the format
// does not allow where it stands, aborts; a wrong hash is not looked for. A page is converted
// in one pass over its bytes, dropping the hashes the stored form leaves out, without
// decoding or hashing it: a block's commit converts every page it writes.
core::Bytes StoredNodeEncoding(core::ByteSpan encoded);
// As StoredNodeEncoding, appended to `out`.
void PutStoredNodeEncoding(core::Encoder& out, core::ByteSpan encoded);
// Strict decode of a node that must hash to `expected_hash` (for a page: every entry's hash is
// recomputed and checked against the one its parent holds, and the root's against
// `expected_hash`; every leaf child's hash against its path and value hash; a stored page's
// hashes are all computed, its root's checked). Either page encoding decodes to the same
// PageNode. Fails with STATE_NODE_CORRUPT on bad bytes or a hash mismatch.
core::Result<TreeNode> DecodeNode(const core::Hash32& expected_hash, core::ByteSpan encoded);
// The same decode without hashing the content again, for bytes already known to hash to
// `node_hash`: those DecodeNode accepted, or those ApplyUpdates or EncodeLeafNode produced with
// that hash. A full page's entries take the hashes their parents hold (the root takes
// `node_hash`); a stored page holds no such hashes, so its decode computes them as DecodeNode
// does. Fails with STATE_NODE_CORRUPT on bytes that do not decode.
core::Result<TreeNode> DecodeVerifiedNode(const core::Hash32& node_hash, core::ByteSpan encoded);

// The stored nodes `node` refers to: a page's leaf and page children, in entry order; none for
// a leaf. Walking these from a root visits every stored node of its tree once.
std::vector<core::Hash32> StoredChildren(const TreeNode& node);

// Read access to stored nodes. Implementations backed by RocksDB live in a higher layer.
class NodeReader {
 public:
  virtual ~NodeReader();
  // The encoded node stored under `node_hash`, nullopt if there is none. An error means the
  // store itself failed; it is passed through unchanged.
  virtual core::Result<std::optional<core::Bytes>> Get(const core::Hash32& node_hash) const = 0;
  // The node `node_hash`, decoded: STATE_NODE_MISSING if the reader has no such node,
  // STATE_NODE_CORRUPT if its bytes do not decode to a node with that hash, store errors
  // passed through. The default is Get and DecodeNode; a reader that holds only bytes already
  // checked against their hash (NodeCache) may decode them without hashing again.
  virtual core::Result<TreeNode> Read(const core::Hash32& node_hash) const;
};

// reader.Read(node_hash). `node_hash` must not be kEmptyHash (the empty subtree has no node).
core::Result<TreeNode> ReadNode(const NodeReader& reader, const core::Hash32& node_hash);

// An in-memory node store for tests, benchmarks and the simulator. Never forgets a node.
class MemoryNodeStore : public NodeReader {
 public:
  MemoryNodeStore() = default;
  MemoryNodeStore(const MemoryNodeStore&) = delete;
  MemoryNodeStore& operator=(const MemoryNodeStore&) = delete;

  core::Result<std::optional<core::Bytes>> Get(const core::Hash32& node_hash) const override;
  // Stores `write` (idempotent: a node with the same hash has the same bytes).
  void Put(const NodeWrite& write);
  void PutAll(const std::vector<NodeWrite>& writes);
  size_t size() const { return nodes_.size(); }

 private:
  std::unordered_map<core::Hash32, core::Bytes, core::DigestHash> nodes_;
};

// ---- Reads and updates ---------------------------------------------------------------------

// One change to the state: set `key` to `value`, or delete it when `value` is nullopt.
struct StateUpdate {
  core::Bytes key;
  std::optional<core::Bytes> value;
};

// Applies a batch of updates to the tree with root `root` and returns the new root.
//  - Keys must be unique within the batch and at most kMaxKeySize bytes; values at most
//    kMaxValueSize bytes. Otherwise fails with STATE_UPDATE_INVALID.
//  - Deleting an absent key and setting a key to its current value are no-ops.
//  - The result depends only on `root` and the set of updates, not on their order.
//  - Appends to *new_nodes exactly the nodes of the new tree that the old tree lacks (and
//    that the caller must persist, atomically with the block, before using the new root).
//    A node may already be in the store if the same content existed in an older version;
//    writing it again is harmless. On error *new_nodes is left unchanged.
//  - If `stale_nodes` is not null, appends to it exactly the hashes of the nodes of the old
//    tree that the new tree lacks (each once). A node of a tree appears in it once, so these
//    are the nodes that only older trees need; the same hash may be in *new_nodes of a later
//    update that re-creates the content. On error *stale_nodes is left unchanged.
//  - Reads O(k log n) nodes for k updates in a tree of n keys (one page per four levels of
//    each changed key's path, and the leaves it meets).
//  - STATE_NODE_MISSING / STATE_NODE_CORRUPT if the store lacks or garbles a node on the way.
core::Result<core::Hash32> ApplyUpdates(const NodeReader& reader, const core::Hash32& root,
                                        std::vector<StateUpdate> updates,
                                        std::vector<NodeWrite>* new_nodes,
                                        std::vector<core::Hash32>* stale_nodes = nullptr);

// The value of `key` in the tree with root `root`, nullopt if absent. Errors as ReadNode.
core::Result<std::optional<core::Bytes>> Lookup(const NodeReader& reader, const core::Hash32& root,
                                                core::ByteSpan key);

// Where the walk from `root` along `path` stops: at an empty subtree (leaf == nullopt) or at
// a leaf, which may belong to `path` or to another key sharing the first `depth` bits.
struct PathEnd {
  size_t depth = 0;
  std::optional<LeafNode> leaf;
};
// Walks from `root` along `path`. If `siblings` is not null, it receives (replacing its
// contents) the hash of the sibling subtree at each level from the top down: (*siblings)[i]
// is the child of the depth-i node on the path that the path does not take; its size is the
// returned depth. Errors as ReadNode.
core::Result<PathEnd> WalkPath(const NodeReader& reader, const core::Hash32& root,
                               const core::Hash32& path, std::vector<core::Hash32>* siblings);

}  // namespace tradeledger::state
