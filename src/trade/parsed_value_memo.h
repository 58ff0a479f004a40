// A small memo of parsed JSON state values, keyed by their exact bytes.
//
// Execution parses the same few state values over and over: the blanket certification every
// line of every entry cites, the organisation and member key behind every signature. A parse
// of a 1.4 KB certification costs about four times a copy of its result (doc/performance.md,
// "Parsed state values"), so FromStateValue (json_fields.h) keeps the recent parses of each
// thread here and returns a copy of the remembered one when the bytes are the same. A reader
// that only looks at the value (ReadStateValue) shares the remembered parse and copies nothing.
//
// Correctness rests on the key being the whole value: a hit requires byte-for-byte equal text,
// so the result is exactly what parsing would give, whatever key the value was read from and
// whatever changed in state since. Nothing needs invalidating; a changed value simply misses.
//
// Direct-mapped: a value's slot is its std::hash modulo the slot count, and a new value evicts
// whatever held its slot. Values over max_bytes are not remembered, so the memo holds at most
// slots * max_bytes of text (and the parsed copies).
//
// Thread safety: none; FromStateValue keeps one per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trade/json_fields.h"

namespace tradeledger::trade {

class ParsedValueMemo {
 public:
  static constexpr size_t kDefaultSlots = 256;
  static constexpr size_t kDefaultMaxBytes = 16u << 10;

  explicit ParsedValueMemo(size_t slots = kDefaultSlots, size_t max_bytes = kDefaultMaxBytes);

  // The parse of `text`: the remembered one if `text` is byte for byte a value remembered in
  // its slot (a hit), else a fresh parse, remembered if `text` is JSON and at most max_bytes
  // long (a miss). Null if `text` is not JSON. The parse is immutable and shared: a later
  // eviction from the slot leaves it valid for whoever holds it.
  std::shared_ptr<const Json> Share(std::string_view text);
  // A copy of Share(text); nullopt if `text` is not JSON.
  std::optional<Json> Parse(std::string_view text);

  size_t hits() const { return hits_; }
  size_t misses() const { return misses_; }

 private:
  struct Slot {
    bool used = false;
    size_t hash = 0;
    std::string text;
    std::shared_ptr<const Json> value;
  };
  std::vector<Slot> slots_;
  size_t max_bytes_;
  size_t hits_ = 0;
  size_t misses_ = 0;
};

}  // namespace tradeledger::trade
