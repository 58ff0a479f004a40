#include "storage/store.h"

#include <algorithm>

namespace tradeledger::storage {

void WriteBatch::Append(OpType type, core::ByteSpan key, core::ByteSpan value) {
  entries_.push_back(Entry{type, data_.size(), key.size(), value.size()});
  data_.insert(data_.end(), key.begin(), key.end());
  data_.insert(data_.end(), value.begin(), value.end());
}

void WriteBatch::Put(core::ByteSpan key, core::ByteSpan value) { Append(OpType::kPut, key, value); }

void WriteBatch::Delete(core::ByteSpan key) { Append(OpType::kDelete, key, {}); }

void WriteBatch::Clear() {
  entries_.clear();
  data_.clear();
}

void WriteBatch::Reserve(size_t ops, size_t bytes) {
  entries_.reserve(entries_.size() + ops);
  data_.reserve(data_.size() + bytes);
}

WriteBatch::Op WriteBatch::op(size_t index) const {
  const Entry& e = entries_[index];
  core::ByteSpan all(data_);
  return Op{e.type, all.subspan(e.offset, e.key_size),
            all.subspan(e.offset + e.key_size, e.value_size)};
}

std::vector<WriteBatch::Op> WriteBatch::ops() const {
  std::vector<Op> out;
  out.reserve(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) out.push_back(op(i));
  return out;
}

core::Status Store::Put(core::ByteSpan key, core::ByteSpan value, WriteOptions options) {
  WriteBatch batch;
  batch.Put(key, value);
  return Write(batch, options);
}

core::Status Store::Delete(core::ByteSpan key, WriteOptions options) {
  WriteBatch batch;
  batch.Delete(key);
  return Write(batch, options);
}

std::optional<core::Bytes> PrefixUpperBound(core::ByteSpan prefix) {
  core::Bytes bound(prefix.begin(), prefix.end());
  while (!bound.empty() && bound.back() == 0xff) bound.pop_back();
  if (bound.empty()) return std::nullopt;
  ++bound.back();
  return bound;
}

bool HasPrefix(core::ByteSpan key, core::ByteSpan prefix) {
  return key.size() >= prefix.size() && std::equal(prefix.begin(), prefix.end(), key.begin());
}

}  // namespace tradeledger::storage
