// The committed state values that execution reads most, kept in memory in front of the flat
// state (LedgerStore::FlatState).
//
// Every transaction reads the same few values: its signer's member key and organisation, the
// customs authority, the calendar, the certifications an importer's lines cite. Each read is a
// RocksDB point lookup (a memtable probe and a block-cache search per level); under load they
// were about 5 % of the machine (doc/performance.md, "Committed values in memory").
//
// Contract: the cache answers Get exactly as its base would, provided every committed change
// to the base passes through Apply after it is durable and before the next Get. The chain's
// writer thread is the only writer of the flat state once the chain is open (Chain::Commit), so
// Chain keeps one cache and calls Apply right after each block's synced write. A value is
// cached when read (an absent key too, as absent); Apply updates the keys already cached and
// leaves others out, so documents written once and never read again do not fill it.
//
// Bounded: when an insert would take the cached bytes (keys plus values plus a fixed overhead
// per entry) over the capacity, the cache empties itself first, and the hot keys come back on
// their next read. Capacity 0 caches nothing.
//
// Thread safety: none; the chain's writer thread owns it.
#pragma once

#include <cstddef>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/bytes.h"
#include "core/result.h"
#include "trade/working_state.h"

namespace tradeledger::node {

class StateValueCache : public trade::StateReader {
 public:
  // `base` (borrowed) must outlive the cache.
  StateValueCache(const trade::StateReader& base, size_t capacity_bytes)
      : base_(base), capacity_bytes_(capacity_bytes) {}

  // The base's answer, from memory if cached. A base error is passed through, not cached.
  core::Result<std::optional<core::Bytes>> Get(core::ByteSpan key) const override;
  // The parse of Get's answer, kept with the cached value once made (so the same key's record
  // is parsed once, not once per transaction) and dropped when Apply changes the value.
  core::Result<std::shared_ptr<const nlohmann::json>> GetJson(core::ByteSpan key) const override;

  // A block's writes, now durable in the base (nullopt = deleted).
  void Apply(const trade::WorkingState::Writes& writes);

  // Forgets everything (for a caller that changed the base another way).
  void Clear();

  size_t bytes() const { return bytes_; }
  size_t entries() const { return entries_.size(); }
  uint64_t hits() const { return hits_; }
  uint64_t misses() const { return misses_; }

  // Bookkeeping charged per entry on top of its key and value bytes.
  static constexpr size_t kEntryOverhead = 96;
  // A kept parse is charged this many times its value's length (nlohmann's tree of maps and
  // strings for a trade record measures 4-6 times its text).
  static constexpr size_t kParseFactor = 6;

 private:
  struct Entry {
    std::optional<core::Bytes> value;              // nullopt: the key is absent
    std::shared_ptr<const nlohmann::json> parsed;  // the parse of value, once made
  };
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>()(s); }
  };
  using Map = std::unordered_map<std::string, Entry, Hash, std::equal_to<>>;

  static size_t Cost(std::string_view key, const Entry& entry);
  // The entry for `key`, read from the base and cached (if it fits) on a miss; null if it
  // did not fit, with the base's value in `*uncached`.
  core::Result<Entry*> Find(core::ByteSpan key, std::optional<core::Bytes>* uncached) const;

  const trade::StateReader& base_;
  const size_t capacity_bytes_;
  mutable Map entries_;
  mutable size_t bytes_ = 0;
  mutable uint64_t hits_ = 0;
  mutable uint64_t misses_ = 0;
};

}  // namespace tradeledger::node
