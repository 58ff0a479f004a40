#include "trade/parsed_value_memo.h"

#include <functional>

#include "core/result.h"

namespace tradeledger::trade {

ParsedValueMemo::ParsedValueMemo(size_t slots, size_t max_bytes)
    : slots_(slots), max_bytes_(max_bytes) {
  TL_CHECK(slots > 0);
}

std::optional<Json> ParsedValueMemo::Parse(std::string_view text) {
  const size_t hash = std::hash<std::string_view>{}(text);
  Slot& slot = slots_[hash % slots_.size()];
  if (slot.used && slot.hash == hash && slot.text == text) {
    ++hits_;
    return slot.value;
  }
  ++misses_;
  Json value = Json::parse(text, nullptr, false);
  if (value.is_discarded()) return std::nullopt;
  if (text.size() <= max_bytes_) {
    slot.used = true;
    slot.hash = hash;
    slot.text.assign(text);
    slot.value = value;
  }
  return value;
}

}  // namespace tradeledger::trade
