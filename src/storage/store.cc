#include "storage/store.h"

#include <algorithm>

namespace tradeledger::storage {

void WriteBatch::Put(core::ByteSpan key, core::ByteSpan value) {
  ops_.push_back(Op{OpType::kPut, core::Bytes(key.begin(), key.end()),
                    core::Bytes(value.begin(), value.end())});
  size_bytes_ += key.size() + value.size();
}

void WriteBatch::Delete(core::ByteSpan key) {
  ops_.push_back(Op{OpType::kDelete, core::Bytes(key.begin(), key.end()), {}});
  size_bytes_ += key.size();
}

void WriteBatch::Clear() {
  ops_.clear();
  size_bytes_ = 0;
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
