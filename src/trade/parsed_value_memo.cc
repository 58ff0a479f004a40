#include "trade/parsed_value_memo.h"

#include <functional>

#include "core/result.h"

namespace tradeledger::trade {

ParsedValueMemo::ParsedValueMemo(size_t slots, size_t max_bytes)
    : slots_(slots), max_bytes_(max_bytes) {
  TL_CHECK(slots > 0);
}

std::shared_ptr<const Json> ParsedValueMemo::Share(std::string_view text) {
  const size_t hash = std::hash<std::string_view>{}(text);
  Slot& slot = slots_[hash % slots_.size()];
  if (slot.used && slot.hash == hash && slot.text == text) {
    ++hits_;
    return slot.value;
  }
  ++misses_;
  auto value = std::make_shared<Json>(Json::parse(text, nullptr, false));
  if (value->is_discarded()) return nullptr;
  if (text.size() <= max_bytes_) {
    slot.used = true;
    slot.hash = hash;
    slot.text.assign(text);
    slot.value = value;
  }
  return value;
}

std::optional<Json> ParsedValueMemo::Parse(std::string_view text) {
  std::shared_ptr<const Json> shared = Share(text);
  if (shared == nullptr) return std::nullopt;
  return *shared;
}

}  // namespace tradeledger::trade
