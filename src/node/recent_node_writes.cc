#include "node/recent_node_writes.h"

#include <cstring>

#include "core/result.h"

namespace tradeledger::node {

uint64_t RecentNodeWrites::Fingerprint(const core::Hash32& hash) {
  uint64_t out;
  std::memcpy(&out, hash.data.data(), sizeof(out));  // a hash: already uniformly distributed
  return out == 0 ? 1 : out;                         // 0 marks an empty slot
}

size_t RecentNodeWrites::Find(uint64_t fingerprint) const {
  const size_t mask = slots_.size() - 1;
  size_t i = fingerprint & mask;
  while (slots_[i] != 0 && slots_[i] != fingerprint) i = (i + 1) & mask;
  return i;
}

void RecentNodeWrites::Grow() {
  std::vector<uint64_t> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, 0);
  const size_t mask = slots_.size() - 1;
  for (uint64_t f : old) {
    if (f == 0) continue;
    size_t i = f & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = f;
  }
}

void RecentNodeWrites::Insert(uint64_t fingerprint) {
  if ((entries_ + 1) * 4 > slots_.size() * 3) Grow();  // load factor at most 3/4
  // A multiset: a fingerprint recorded at several heights takes a slot for each.
  const size_t mask = slots_.size() - 1;
  size_t i = fingerprint & mask;
  while (slots_[i] != 0) i = (i + 1) & mask;
  slots_[i] = fingerprint;
  ++entries_;
}

void RecentNodeWrites::Erase(uint64_t fingerprint) {
  const size_t mask = slots_.size() - 1;
  size_t i = Find(fingerprint);
  TL_CHECK(slots_[i] == fingerprint);
  // Backward-shift deletion: move later members of the probe run into the hole, so that no
  // lookup stops early at it (no tombstones).
  size_t hole = i;
  for (size_t j = (i + 1) & mask; slots_[j] != 0; j = (j + 1) & mask) {
    size_t home = slots_[j] & mask;
    // slots_[j] may move to the hole if its home is not in the cyclic range (hole, j].
    bool home_in_range = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (!home_in_range) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = 0;
  --entries_;
}

void RecentNodeWrites::Record(core::Height height, const std::vector<core::Hash32>& written) {
  if (heights_.empty() || height.value != covered_from_ + heights_.size()) {
    Clear();
    covered_from_ = height.value;
  }
  std::vector<uint64_t> fingerprints;
  fingerprints.reserve(written.size());
  for (const core::Hash32& h : written) {
    fingerprints.push_back(Fingerprint(h));
    Insert(fingerprints.back());
  }
  heights_.push_back(std::move(fingerprints));
}

std::optional<bool> RecentNodeWrites::MayHaveWrittenSince(const core::Hash32& node_hash,
                                                          core::Height from) const {
  if (heights_.empty() || from.value < covered_from_) return std::nullopt;
  if (from.value >= covered_from_ + heights_.size() || entries_ == 0) return false;
  // The table holds every recorded height, including those below `from`: a hit there is a
  // false "may have", which only costs the caller a read.
  return slots_[Find(Fingerprint(node_hash))] != 0;
}

void RecentNodeWrites::Forget(core::Height height) {
  while (!heights_.empty() && covered_from_ <= height.value) {
    for (uint64_t f : heights_.front()) Erase(f);
    heights_.pop_front();
    ++covered_from_;
  }
  if (heights_.empty()) covered_from_ = height.value + 1;
}

void RecentNodeWrites::Clear() {
  heights_.clear();
  slots_.clear();
  entries_ = 0;
}

std::optional<core::Height> RecentNodeWrites::covered_from() const {
  if (heights_.empty()) return std::nullopt;
  return core::Height(covered_from_);
}

}  // namespace tradeledger::node
