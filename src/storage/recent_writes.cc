#include "storage/recent_writes.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <string_view>

namespace tradeledger::storage {
namespace {

uint64_t HashOf(core::ByteSpan key) {
  return std::hash<std::string_view>()(core::AsStringView(key));
}

uint32_t ReadU32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

}  // namespace

core::ByteSpan RecentWrites::KeyOf(const uint8_t* record) {
  return core::ByteSpan(record + 8, ReadU32(record));
}

const uint8_t* RecentWrites::Append(core::ByteSpan key, std::optional<core::ByteSpan> value) {
  const size_t value_size = value ? value->size() : 0;
  const size_t need = 8 + key.size() + value_size;
  while (chunk_ < chunks_.size() && offset_ + need > chunk_sizes_[chunk_]) {
    ++chunk_;
    offset_ = 0;
  }
  if (chunk_ == chunks_.size()) {
    const size_t size = std::max(need, kChunkBytes);
    chunks_.push_back(std::make_unique<uint8_t[]>(size));
    chunk_sizes_.push_back(size);
    offset_ = 0;
  }
  uint8_t* record = chunks_[chunk_].get() + offset_;
  const uint32_t key_size = static_cast<uint32_t>(key.size());
  const uint32_t value_tag = value ? static_cast<uint32_t>(value_size) : kDeleted;
  std::memcpy(record, &key_size, 4);
  std::memcpy(record + 4, &value_tag, 4);
  if (!key.empty()) std::memcpy(record + 8, key.data(), key.size());
  if (value_size > 0) std::memcpy(record + 8 + key.size(), value->data(), value_size);
  offset_ += need;
  return record;
}

void RecentWrites::Put(core::ByteSpan key, std::optional<core::ByteSpan> value) {
  if ((count_ + 1) * 2 > slots_.size()) Grow();
  const uint8_t* record = Append(key, value);
  bytes_ += key.size() + (value ? value->size() : 0);
  const uint64_t hash = HashOf(key);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.record == nullptr) {
      slot = Slot{hash, record};
      ++count_;
      return;
    }
    if (slot.hash == hash && std::ranges::equal(KeyOf(slot.record), key)) {
      slot.record = record;
      return;
    }
  }
}

RecentWrites::Found RecentWrites::Find(core::ByteSpan key) const {
  if (count_ == 0) return {};
  const uint64_t hash = HashOf(key);
  const size_t mask = slots_.size() - 1;
  for (size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.record == nullptr) return {};
    if (slot.hash != hash || !std::ranges::equal(KeyOf(slot.record), key)) continue;
    const uint32_t key_size = ReadU32(slot.record);
    const uint32_t value_tag = ReadU32(slot.record + 4);
    if (value_tag == kDeleted) return Found{true, std::nullopt};
    return Found{true, core::ByteSpan(slot.record + 8 + key_size, value_tag)};
  }
}

void RecentWrites::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.record == nullptr) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].record != nullptr) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

void RecentWrites::Clear() {
  if (count_ > 0) std::fill(slots_.begin(), slots_.end(), Slot{});
  // Chunks made for one large record are not worth keeping.
  for (size_t i = chunks_.size(); i-- > 0;) {
    if (chunk_sizes_[i] == kChunkBytes) continue;
    chunks_.erase(chunks_.begin() + static_cast<std::ptrdiff_t>(i));
    chunk_sizes_.erase(chunk_sizes_.begin() + static_cast<std::ptrdiff_t>(i));
  }
  chunk_ = 0;
  offset_ = 0;
  count_ = 0;
  bytes_ = 0;
}

}  // namespace tradeledger::storage
