#include "storage/memory_store.h"

#include <mutex>
#include <utility>
#include <vector>

namespace tradeledger::storage {
namespace {

using Entry = std::pair<core::Bytes, core::Bytes>;

// Iterates over a private copy of the entries, taken when the scan began.
class SnapshotIterator final : public Iterator {
 public:
  explicit SnapshotIterator(std::vector<Entry> entries) : entries_(std::move(entries)) {}

  bool Valid() const override { return pos_ < entries_.size(); }
  core::ByteSpan key() const override {
    TL_CHECK(Valid());
    return entries_[pos_].first;
  }
  core::ByteSpan value() const override {
    TL_CHECK(Valid());
    return entries_[pos_].second;
  }
  void Next() override {
    TL_CHECK(Valid());
    ++pos_;
  }
  core::Status status() const override { return core::Ok(); }

 private:
  std::vector<Entry> entries_;
  size_t pos_ = 0;
};

}  // namespace

core::Result<std::optional<core::Bytes>> MemoryStore::Get(core::ByteSpan key) const {
  std::shared_lock lock(mu_);
  auto it = entries_.find(core::Bytes(key.begin(), key.end()));
  if (it == entries_.end()) return std::optional<core::Bytes>();
  return std::optional<core::Bytes>(it->second);
}

core::Status MemoryStore::Write(const WriteBatch& batch, WriteOptions /*options*/) {
  std::unique_lock lock(mu_);
  for (const WriteBatch::Op& op : batch.ops()) {
    switch (op.type) {
      case WriteBatch::OpType::kPut:
        entries_.insert_or_assign(core::Bytes(op.key.begin(), op.key.end()),
                                  core::Bytes(op.value.begin(), op.value.end()));
        break;
      case WriteBatch::OpType::kDelete:
        entries_.erase(core::Bytes(op.key.begin(), op.key.end()));
        break;
    }
  }
  return core::Ok();
}

std::unique_ptr<Iterator> MemoryStore::Scan(core::ByteSpan prefix) const {
  std::vector<Entry> copy;
  std::shared_lock lock(mu_);
  for (auto it = entries_.lower_bound(core::Bytes(prefix.begin(), prefix.end()));
       it != entries_.end() && HasPrefix(it->first, prefix); ++it) {
    copy.push_back(*it);
  }
  return std::make_unique<SnapshotIterator>(std::move(copy));
}

core::Result<std::optional<core::Bytes>> MemoryStore::Last(core::ByteSpan prefix) const {
  std::optional<core::Bytes> upper = PrefixUpperBound(prefix);
  std::shared_lock lock(mu_);
  // The first key at or past the end of the prefix range; the entry before it is the answer
  // if it is in the range.
  auto it = upper ? entries_.lower_bound(*upper) : entries_.end();
  if (it == entries_.begin()) return std::optional<core::Bytes>();
  --it;
  if (!HasPrefix(it->first, prefix)) return std::optional<core::Bytes>();
  return std::optional<core::Bytes>(it->first);
}

size_t MemoryStore::size() const {
  std::shared_lock lock(mu_);
  return entries_.size();
}

}  // namespace tradeledger::storage
