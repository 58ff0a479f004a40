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
  while (slots_[i].fingerprint != 0 && slots_[i].fingerprint != fingerprint) i = (i + 1) & mask;
  return i;
}

void RecentNodeWrites::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.empty() ? 1024 : old.size() * 2, Slot{});
  for (const Slot& s : old) {
    if (s.fingerprint != 0) slots_[Find(s.fingerprint)] = s;
  }
}

void RecentNodeWrites::Increment(uint64_t fingerprint) {
  if ((used_ + 1) * 2 > slots_.size()) Grow();  // load factor at most 1/2
  Slot& s = slots_[Find(fingerprint)];
  if (s.fingerprint == 0) {
    s.fingerprint = fingerprint;
    ++used_;
  }
  ++s.count;
}

void RecentNodeWrites::Decrement(uint64_t fingerprint) {
  const size_t mask = slots_.size() - 1;
  size_t i = Find(fingerprint);
  TL_CHECK(slots_[i].fingerprint == fingerprint && slots_[i].count > 0);
  if (--slots_[i].count > 0) return;
  // Backward-shift deletion: move later members of the probe run into the hole, so that no
  // lookup stops early at it (no tombstones).
  size_t hole = i;
  for (size_t j = (i + 1) & mask; slots_[j].fingerprint != 0; j = (j + 1) & mask) {
    size_t home = slots_[j].fingerprint & mask;
    // slots_[j] may move to the hole if its home is not in the cyclic range (hole, j].
    bool home_in_range = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
    if (!home_in_range) {
      slots_[hole] = slots_[j];
      hole = j;
    }
  }
  slots_[hole] = Slot{};
  --used_;
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
    Increment(fingerprints.back());
  }
  entries_ += fingerprints.size();
  heights_.push_back(std::move(fingerprints));
}

std::optional<bool> RecentNodeWrites::MayHaveWrittenSince(const core::Hash32& node_hash,
                                                          core::Height from) const {
  if (heights_.empty() || from.value < covered_from_) return std::nullopt;
  if (from.value >= covered_from_ + heights_.size() || used_ == 0) return false;
  // The counts cover every recorded height, including those below `from`: a hit there is a
  // false "may have", which only costs the caller a read.
  const Slot& s = slots_[Find(Fingerprint(node_hash))];
  return s.fingerprint != 0;
}

void RecentNodeWrites::Forget(core::Height height) {
  while (!heights_.empty() && covered_from_ <= height.value) {
    for (uint64_t f : heights_.front()) Decrement(f);
    entries_ -= heights_.front().size();
    heights_.pop_front();
    ++covered_from_;
  }
  if (heights_.empty()) covered_from_ = height.value + 1;
}

void RecentNodeWrites::Clear() {
  heights_.clear();
  slots_.clear();
  used_ = 0;
  entries_ = 0;
}

std::optional<core::Height> RecentNodeWrites::covered_from() const {
  if (heights_.empty()) return std::nullopt;
  return core::Height(covered_from_);
}

}  // namespace tradeledger::node
