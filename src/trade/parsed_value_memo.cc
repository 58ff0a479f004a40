#include "trade/parsed_value_memo.h"

#include <functional>

#include "core/result.h"

namespace tradeledger::trade {

ParsedValueMemo::ParsedValueMemo(size_t slots, size_t max_bytes)
    : slots_(slots), max_bytes_(max_bytes) {
  TL_CHECK(slots > 0);
}

const Json* ParsedValueMemo::Find(std::string_view text) {
  const size_t hash = std::hash<std::string_view>{}(text);
  const Slot& slot = slots_[hash % slots_.size()];
  if (slot.used && slot.hash == hash && slot.text == text) {
    ++hits_;
    return &slot.value;
  }
  ++misses_;
  return nullptr;
}

void ParsedValueMemo::Remember(std::string_view text, const Json& value) {
  if (text.size() > max_bytes_) return;
  const size_t hash = std::hash<std::string_view>{}(text);
  Slot& slot = slots_[hash % slots_.size()];
  slot.used = true;
  slot.hash = hash;
  slot.text.assign(text);
  slot.value = value;
}

}  // namespace tradeledger::trade
