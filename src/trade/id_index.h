// An append-only, ordered set of ids kept in state one key per member, so that appending to
// it reads and writes a constant number of small values however long it has grown.
//
// A JSON array rewritten on every append (the layout this replaces) makes each append cost
// the size of the whole history: a blanket certification cited by every entry of a year, or
// a recordation with thousands of licences, slows every later transaction that touches it.
//
// Layout under an index key K (all values are ASCII):
//   K            the number of members, decimal ("3"); absent when the index is empty
//   K#<n>        the n-th member (n = 0, 1, ... in decimal), in append order
//   K@<id>       the member's position n, decimal: an id is appended at most once
// K itself must contain neither '#' nor '@' (the callers build K from identifiers whose
// alphabet excludes both), so the three families cannot collide across indexes. Members may
// contain any bytes.
//
// Reads fail with STATE_CORRUPT when the stored values do not follow this layout.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "trade/working_state.h"

namespace tradeledger::trade {

// The members of the index at `key`, in append order (empty if the index is absent).
core::Result<std::vector<std::string>> LoadIdIndex(const StateReader& state, std::string_view key);

// The number of members of the index at `key`.
core::Result<uint64_t> IdIndexSize(const StateReader& state, std::string_view key);

// True if `id` is a member of the index at `key`.
core::Result<bool> IdIndexContains(const StateReader& state, std::string_view key,
                                   std::string_view id);

// Appends `id` to the index at `key` unless it is already a member.
core::Status AppendIdIndex(WorkingState& state, std::string_view key, std::string_view id);

}  // namespace tradeledger::trade
