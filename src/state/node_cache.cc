#include "state/node_cache.h"

#include <sys/mman.h>

#include <bit>
#include <cstring>
#include <new>

namespace tradeledger::state {
namespace {

// The shortest encoding a node can have (a leaf holding an empty value): it bounds how many
// nodes the capacity can hold, and so the size of the index.
constexpr size_t kMinEncoded = 2 + 32 + 4;

}  // namespace

void NodeCache::Unmap::operator()(IndexEntry* p) const noexcept { munmap(p, bytes); }

uint32_t NodeCache::CodeOf(const core::Hash32& hash) {
  uint32_t code;
  std::memcpy(&code, hash.data.data(), sizeof(code));  // already uniformly distributed
  return code;
}

NodeCache::NodeCache(const NodeReader& base, size_t capacity_bytes)
    : base_(base), capacity_(capacity_bytes) {
  if (capacity_ == 0) return;
  // At most half full when the capacity holds only the smallest nodes, so probes stay short.
  // An anonymous mapping: its zero pages are touched only as the cache fills. (A release
  // build's calloc of this size, tcmalloc's or glibc's, touches none either; the sanitizer
  // build's calloc and free spent tens of milliseconds on it, 32 MiB at the default capacity,
  // for every chain opened.)
  size_t most_nodes = capacity_ / (kMinEncoded + kEntryOverhead) + 1;
  size_t positions = std::bit_ceil(2 * most_nodes);
  const size_t bytes = positions * sizeof(IndexEntry);
  void* mapped = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mapped == MAP_FAILED) throw std::bad_alloc();
  index_ = std::unique_ptr<IndexEntry[], Unmap>(static_cast<IndexEntry*>(mapped), Unmap{bytes});
  mask_ = positions - 1;
}

size_t NodeCache::Position(const core::Hash32& hash, uint32_t code) const {
  for (size_t i = code & mask_;; i = (i + 1) & mask_) {
    IndexEntry e = index_[i];
    if (e == 0) return i;
    if (static_cast<uint32_t>(e >> 32) == code && slots_[(e & 0xffffffffu) - 1].hash == hash) {
      return i;
    }
  }
}

const NodeCache::Slot* NodeCache::Lookup(const core::Hash32& hash) const {
  if (capacity_ != 0) {
    IndexEntry e = index_[Position(hash, CodeOf(hash))];
    if (e != 0) {
      ++hits_;
      Slot& s = slots_[(e & 0xffffffffu) - 1];
      s.referenced = true;
      return &s;
    }
  }
  ++misses_;
  return nullptr;
}

core::Result<std::optional<core::Bytes>> NodeCache::Get(const core::Hash32& node_hash) const {
  if (const Slot* s = Lookup(node_hash)) return std::optional<core::Bytes>(s->encoded);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> found, base_.Get(node_hash));
  if (!found) return found;
  if (core::Result<TreeNode> node = DecodeNode(node_hash, *found))
    InsertRead(node_hash, *found, *node);
  return found;
}

core::Result<TreeNode> NodeCache::Read(const core::Hash32& node_hash) const {
  if (const Slot* s = Lookup(node_hash)) return DecodeVerifiedNode(node_hash, s->encoded);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> found, base_.Get(node_hash));
  if (!found) return core::Fail("STATE_NODE_MISSING", "node " + node_hash.hex());
  core::Result<TreeNode> node = DecodeNode(node_hash, *found);
  if (node) InsertRead(node_hash, *found, *node);
  return node;
}

void NodeCache::InsertRead(const core::Hash32& hash, const core::Bytes& encoded,
                           const TreeNode& node) const {
  if (!IsStoredPageEncoding(encoded)) return Insert(hash, encoded);
  Insert(hash, EncodePage(std::get<PageNode>(node)));
}

void NodeCache::Add(const std::vector<NodeWrite>& writes) {
  for (const NodeWrite& w : writes) Insert(w.hash, w.encoded);
}

void NodeCache::AddPages(const std::vector<NodeWrite>& writes) {
  for (const NodeWrite& w : writes) {
    if (IsPageEncoding(w.encoded)) Insert(w.hash, w.encoded);
  }
}

void NodeCache::Insert(const core::Hash32& hash, const core::Bytes& encoded) const {
  const size_t cost = encoded.size() + kEntryOverhead;
  if (capacity_ == 0 || encoded.size() > kMaxCachedNode || cost > capacity_) return;
  const uint32_t code = CodeOf(hash);
  if (IndexEntry e = index_[Position(hash, code)]; e != 0) {
    slots_[(e & 0xffffffffu) - 1].referenced = true;  // same hash, same bytes
    return;
  }
  MakeRoom(cost);
  uint32_t slot;
  if (!free_slots_.empty()) {
    slot = free_slots_.back();
    free_slots_.pop_back();
  } else {
    slot = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  Slot& s = slots_[slot];
  s.hash = hash;
  s.encoded = encoded;
  s.live = true;
  s.referenced = true;
  // Found again after MakeRoom: an eviction may have shifted the entries of this probe run.
  index_[Position(hash, code)] = (IndexEntry{code} << 32) | (IndexEntry{slot} + 1);
  bytes_ += cost;
  ++live_;
}

void NodeCache::MakeRoom(size_t incoming) const {
  while (bytes_ + incoming > capacity_ && live_ > 0) {
    if (hand_ >= slots_.size()) hand_ = 0;
    Slot& s = slots_[hand_];
    if (s.live) {
      if (s.referenced) {
        s.referenced = false;
      } else {
        Evict(static_cast<uint32_t>(hand_));
      }
    }
    ++hand_;
  }
}

void NodeCache::Evict(uint32_t slot) const {
  Slot& s = slots_[slot];
  size_t hole = Position(s.hash, CodeOf(s.hash));
  // Backward-shift deletion (linear probing): move later entries of the run into the hole
  // unless their home position lies cyclically after the hole, up to where they are.
  for (size_t j = (hole + 1) & mask_; index_[j] != 0; j = (j + 1) & mask_) {
    size_t home = (index_[j] >> 32) & mask_;
    bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (!stays) {
      index_[hole] = index_[j];
      hole = j;
    }
  }
  index_[hole] = 0;
  bytes_ -= s.encoded.size() + kEntryOverhead;
  core::Bytes().swap(s.encoded);  // release the memory the capacity no longer counts
  s.live = false;
  s.referenced = false;
  free_slots_.push_back(slot);
  --live_;
}

}  // namespace tradeledger::state
