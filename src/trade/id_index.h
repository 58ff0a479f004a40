// An append-only, ordered list of distinct ids kept in state in pages of up to kIdIndexPage
// members, so that appending to it reads and writes a bounded amount however long it has
// grown, and a block's many appends to one index write one page, not one key each.
//
// History of the layout (ADR 0020, ADR 0030, ADR 0035): a JSON array rewritten on every append
// made each append cost the size of the whole history; one key per member made it constant,
// but every citation of a blanket certification then cost a new state tree path (about 8 node
// writes and as many later deletions). Pages keep the bound and share the path among the
// appends of a block; keeping at the index key only the last page's number (not the count)
// spares most appends a second path.
//
// Layout under an index key K (all values are ASCII):
//   K            the number p of the last page, decimal ("0", "1", ...; no leading zero);
//                absent when the index is empty
//   K#<q>        page q (q = 0 .. p, in decimal): the members q*kIdIndexPage onwards in append
//                order, each followed by '\n'; pages below p hold exactly kIdIndexPage, page p
//                1 to kIdIndexPage
// So an append writes K only when it starts a page (once in kIdIndexPage appends).
// K itself must not contain '#' (the callers build K from identifiers whose alphabet excludes
// it), so the keys of one index cannot collide with another's. A member is non-empty and holds
// no '\n'; AppendIdIndex refuses any other with ID_INDEX_MEMBER_INVALID and changes nothing.
//
// Members are distinct by the callers' construction, not by a check here: an index of the
// claims citing a certification gets each claim id once (claim ids are unique, and a claim
// moves to a superseding certification once), an index of licences each licence id once
// (licence.issue refuses an existing id and repeated recordationRefs). A membership key per
// member would cost every append another state tree path.
//
// Reads fail with STATE_CORRUPT when the stored values do not follow this layout (a bad page
// number, a missing or empty page, a page below the last that is not full, a page with more
// than kIdIndexPage members, an empty member or one without its newline).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "trade/working_state.h"

namespace tradeledger::trade {

// Members per page. Part of the state layout: changing it changes every state root.
inline constexpr uint64_t kIdIndexPage = 32;

// The members of the index at `key`, in append order (empty if the index is absent).
core::Result<std::vector<std::string>> LoadIdIndex(const StateReader& state, std::string_view key);

// Appends `id` to the index at `key`; `id` must not be a member already (see above). Reads the
// key and the last page; writes that page, or a new one and the key.
core::Status AppendIdIndex(WorkingState& state, std::string_view key, std::string_view id);

}  // namespace tradeledger::trade
