// An append-only, ordered list of distinct ids kept in state one key per member, so that
// appending to it reads and writes a constant number of small values however long it has grown.
//
// A JSON array rewritten on every append (the layout this replaces) makes each append cost
// the size of the whole history: a blanket certification cited by every entry of a year, or
// a recordation with thousands of licences, slows every later transaction that touches it.
//
// Layout under an index key K (all values are ASCII):
//   K            the number of members, decimal ("3"); absent when the index is empty
//   K#<n>        the n-th member (n = 0, 1, ... in decimal), in append order
// K itself must not contain '#' (the callers build K from identifiers whose alphabet excludes
// it), so the keys of one index cannot collide with another's. Members may contain any bytes.
//
// Members are distinct by the callers' construction, not by a check here: an index of the
// claims citing a certification gets each claim id once (claim ids are unique, and a claim
// moves to a superseding certification once), an index of licences each licence id once
// (licence.issue refuses an existing id and repeated recordationRefs). A membership key per
// member would cost every append another state tree path.
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

// Appends `id` to the index at `key`; `id` must not be a member already (see above).
core::Status AppendIdIndex(WorkingState& state, std::string_view key, std::string_view id);

}  // namespace tradeledger::trade
