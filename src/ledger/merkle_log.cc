#include "ledger/merkle_log.h"

#include <algorithm>
#include <array>
#include <bit>
#include <functional>
#include <limits>
#include <string>
#include <utility>

namespace tradeledger::ledger {
namespace {

// The complete subtrees that tile leaves [begin, end), largest (leftmost) first: one per set bit
// of end - begin. Every subtree RFC 9162's recursion visits starts at a multiple of a power of
// two at least its own width, so each tile is a stored node; TL_CHECK guards that invariant.
struct Tiles {
  std::array<Hash32, 64> hashes;
  size_t count = 0;
};

core::Result<Tiles> ReadTiles(uint64_t begin, uint64_t end, const LogNodeReader& nodes) {
  TL_CHECK(begin <= end);
  Tiles tiles;
  const uint64_t width = end - begin;
  uint64_t pos = begin;
  for (int level = std::bit_width(width) - 1; level >= 0; --level) {
    const uint64_t tile = uint64_t{1} << level;
    if ((width & tile) == 0) continue;
    TL_CHECK((pos & (tile - 1)) == 0);
    TL_ASSIGN_OR_RETURN(tiles.hashes[tiles.count],
                        nodes.Node(static_cast<uint32_t>(level), pos >> level));
    ++tiles.count;
    pos += tile;
  }
  return tiles;
}

// MTH(D[0:n]) = NodeHash(largest complete subtree, MTH(rest)): fold the tiles from the right.
Hash32 FoldFromRight(std::span<const Hash32> tiles) {
  TL_CHECK(!tiles.empty());
  Hash32 root = tiles.back();
  for (size_t i = tiles.size() - 1; i-- > 0;) root = NodeHash(tiles[i], root);
  return root;
}

// MTH of leaves [begin, end), end > begin, read from at most log2(end - begin) + 1 nodes.
core::Result<Hash32> RangeRoot(uint64_t begin, uint64_t end, const LogNodeReader& nodes) {
  TL_CHECK(begin < end);
  TL_ASSIGN_OR_RETURN(Tiles tiles, ReadTiles(begin, end, nodes));
  return FoldFromRight(std::span<const Hash32>(tiles.hashes.data(), tiles.count));
}

// The split point of RFC 9162's recursion for leaves [lo, hi), hi - lo >= 2: lo plus the largest
// power of two strictly below the width.
uint64_t Split(uint64_t lo, uint64_t hi) { return lo + std::bit_floor(hi - lo - 1); }

}  // namespace

LogNodeReader::~LogNodeReader() = default;

core::Result<MerkleLog> MerkleLog::FromFrontier(uint64_t size, std::vector<Hash32> frontier) {
  if (frontier.size() != static_cast<size_t>(std::popcount(size))) {
    return core::Fail("LOG_FRONTIER_INVALID", "size " + std::to_string(size) + " needs " +
                                                  std::to_string(std::popcount(size)) +
                                                  " frontier hashes, got " +
                                                  std::to_string(frontier.size()));
  }
  MerkleLog log;
  log.size_ = size;
  log.frontier_ = std::move(frontier);
  return log;
}

core::Result<MerkleLog> MerkleLog::Restore(uint64_t size, const LogNodeReader& nodes) {
  TL_ASSIGN_OR_RETURN(Tiles tiles, ReadTiles(0, size, nodes));
  return FromFrontier(
      size, std::vector<Hash32>(tiles.hashes.begin(),
                                tiles.hashes.begin() + static_cast<std::ptrdiff_t>(tiles.count)));
}

Hash32 MerkleLog::Root() const {
  if (size_ == 0) return EmptyRoot();
  return FoldFromRight(frontier_);
}

void MerkleLog::Append(const Hash32& leaf_hash, std::vector<LogNode>* new_nodes) {
  TL_CHECK(new_nodes != nullptr);
  TL_CHECK(size_ != std::numeric_limits<uint64_t>::max());
  // Like incrementing a binary counter: each trailing 1 bit of the old size is a frontier
  // subtree of the same width as the one being carried, and the two merge into their parent.
  Hash32 hash = leaf_hash;
  uint32_t level = 0;
  uint64_t index = size_;
  new_nodes->push_back(LogNode{level, index, hash});
  while ((index & 1) != 0) {
    hash = NodeHash(frontier_.back(), hash);
    frontier_.pop_back();
    ++level;
    index >>= 1;
    new_nodes->push_back(LogNode{level, index, hash});
  }
  frontier_.push_back(hash);
  ++size_;
}

core::Result<Hash32> RootAt(uint64_t tree_size, const LogNodeReader& nodes) {
  if (tree_size == 0) return EmptyRoot();
  return RangeRoot(0, tree_size, nodes);
}

core::Result<InclusionProof> ProveInclusion(uint64_t leaf_index, uint64_t tree_size,
                                            const LogNodeReader& nodes) {
  if (leaf_index >= tree_size) {
    return core::Fail("INVALID_ARGUMENT", "leaf index " + std::to_string(leaf_index) +
                                              " not below tree size " + std::to_string(tree_size));
  }
  InclusionProof proof{leaf_index, tree_size, {}};
  // Descend RFC 9162's PATH recursion from the root, taking the subtree on the other side of the
  // split at each level. Only a sibling that ends at tree_size can be incomplete, and once the
  // descent turns left no later sibling reaches the edge, so this costs O(log n) reads.
  uint64_t lo = 0;
  uint64_t hi = tree_size;
  while (hi - lo > 1) {
    const uint64_t split = Split(lo, hi);
    if (leaf_index < split) {
      TL_ASSIGN_OR_RETURN(Hash32 right, RangeRoot(split, hi, nodes));
      proof.path.push_back(right);
      hi = split;
    } else {
      TL_ASSIGN_OR_RETURN(Hash32 left, RangeRoot(lo, split, nodes));
      proof.path.push_back(left);
      lo = split;
    }
  }
  std::reverse(proof.path.begin(), proof.path.end());  // the RFC orders the path leaf-first
  return proof;
}

core::Result<ConsistencyProof> ProveConsistency(uint64_t old_size, uint64_t new_size,
                                                const LogNodeReader& nodes) {
  if (old_size > new_size) {
    return core::Fail("INVALID_ARGUMENT", "old size " + std::to_string(old_size) +
                                              " exceeds new size " + std::to_string(new_size));
  }
  ConsistencyProof proof{old_size, new_size, {}};
  if (old_size == 0 || old_size == new_size) return proof;
  // Descend RFC 9162's SUBPROOF recursion. Invariant: lo < old_size <= hi. Each level adds the
  // subtree the old tree does not determine; the walk ends at the node whose right edge is the
  // old tree's, which is included unless it is the old root itself (the verifier has that).
  uint64_t lo = 0;
  uint64_t hi = new_size;
  bool at_old_root = true;
  while (old_size != hi) {
    const uint64_t split = Split(lo, hi);
    if (old_size <= split) {
      TL_ASSIGN_OR_RETURN(Hash32 right, RangeRoot(split, hi, nodes));
      proof.path.push_back(right);
      hi = split;
    } else {
      TL_ASSIGN_OR_RETURN(Hash32 left, RangeRoot(lo, split, nodes));
      proof.path.push_back(left);
      lo = split;
      at_old_root = false;
    }
  }
  if (!at_old_root) {
    TL_ASSIGN_OR_RETURN(Hash32 boundary, RangeRoot(lo, hi, nodes));
    proof.path.push_back(boundary);
  }
  std::reverse(proof.path.begin(), proof.path.end());  // deepest node first, as the RFC orders
  return proof;
}

size_t MemoryLogNodes::KeyHash::operator()(const Key& k) const noexcept {
  return std::hash<uint64_t>{}(k.index * 0x9E3779B97F4A7C15ULL + k.level);
}

void MemoryLogNodes::Add(const std::vector<LogNode>& nodes) {
  for (const LogNode& n : nodes) {
    auto [it, inserted] = nodes_.try_emplace(Key{n.level, n.index}, n.hash);
    TL_CHECK(inserted || it->second == n.hash);
  }
}

core::Result<Hash32> MemoryLogNodes::Node(uint32_t level, uint64_t index) const {
  auto it = nodes_.find(Key{level, index});
  if (it == nodes_.end()) {
    return core::Fail("NOT_FOUND", "no log node at level " + std::to_string(level) + " index " +
                                       std::to_string(index));
  }
  return it->second;
}

}  // namespace tradeledger::ledger
