// The latest write of each key since the last Clear, held in memory: RocksDbStore answers
// reads of its uncompressed family's newest writes from one of these (rocksdb_store.h).
//
// Records are appended to an arena of large chunks and found through an open-addressing
// index of (hash, record) slots, so a write costs a copy and a probe, not allocations: the
// family takes hundreds of writes per block, and a hash map of owned strings cost more than
// the memtable inserts it was meant to spare (doc/performance.md). A key written again gets
// a new record and its slot points there; the old record stays in the arena until Clear,
// which keeps the memory for reuse.
//
// Thread safety: none. RocksDbStore serialises writers and takes a shared lock for Find.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/bytes.h"

namespace tradeledger::storage {

class RecentWrites {
 public:
  // What Find knows of a key: `written` false if there was no write since the last Clear;
  // otherwise `value` is the latest value, nullopt if that write was a deletion. The span
  // borrows the arena: valid until the next Clear.
  struct Found {
    bool written = false;
    std::optional<core::ByteSpan> value;
  };

  // Records that `key` was set to `value`, or deleted when `value` is nullopt, replacing any
  // earlier write of it. Keys and values must be under 4 GiB.
  void Put(core::ByteSpan key, std::optional<core::ByteSpan> value);
  Found Find(core::ByteSpan key) const;
  // Forgets every write; keeps the arena's chunks and the index's slots for reuse.
  void Clear();

  // Keys recorded (each once, however often written).
  size_t size() const { return count_; }
  // Bytes of keys and values put since the last Clear, rewrites included.
  size_t bytes() const { return bytes_; }

 private:
  struct Slot {
    uint64_t hash = 0;
    const uint8_t* record = nullptr;  // nullptr: empty
  };
  static constexpr size_t kChunkBytes = 1u << 20;
  static constexpr uint32_t kDeleted = 0xffffffff;  // value length of a deletion

  // A record: u32 key length || u32 value length (kDeleted) || key || value.
  const uint8_t* Append(core::ByteSpan key, std::optional<core::ByteSpan> value);
  static core::ByteSpan KeyOf(const uint8_t* record);
  void Grow();

  std::vector<std::unique_ptr<uint8_t[]>> chunks_;  // each kChunkBytes, or one record's size
  std::vector<size_t> chunk_sizes_;
  size_t chunk_ = 0;         // the chunk being filled
  size_t offset_ = 0;        // within it
  std::vector<Slot> slots_;  // a power of two in size, at most half full
  size_t count_ = 0;
  size_t bytes_ = 0;
};

}  // namespace tradeledger::storage
