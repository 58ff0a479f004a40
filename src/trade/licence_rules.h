// Licence chains and the issuance rules of DOMAIN.md §7.3:
//   26 LICENSOR_NOT_ENTITLED      the licensor owns every referenced ACTIVE recordation, or is
//                                 the licensee of an ACTIVE parent licence with SUBLICENSE;
//   27 SUBLICENSE_EXCEEDS_PARENT  a sublicence stays within its parent (permissions, validity,
//                                 recordations, right type, products/HTS prefixes, MIDs,
//                                 countries and importers when the parent restricts them,
//                                 quantityLimit <= the parent's remaining quantity), the chain
//                                 is at most kMaxLicenceChainDepth deep, and no organisation
//                                 appears twice along a chain (no cycles).
// All functions are pure reads of the state.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/licence.h"

namespace tradeledger::trade {

// The longest licence chain: a licence on recordations has depth 1, its sublicence 2, ...
// Eight levels cover brand owner -> master licensee -> regional licensee -> factory with room
// to spare, and bound the work of every chain walk. Changing it is a network upgrade.
inline constexpr int kMaxLicenceChainDepth = 8;

// The licence and its ancestors, leaf first, root last. STATE_CORRUPT if a parent is missing,
// an id repeats or the chain is longer than kMaxLicenceChainDepth.
core::Result<std::vector<Licence>> LoadAncestry(const StateReader& state, const Licence& leaf);

// The effective state of a licence at `time`: the most severe own state along its chain
// (REVOKED > EXPIRED > SUSPENDED > ISSUED > ACTIVE), so a descendant of a revoked licence is
// REVOKED although its record was never rewritten. `cause` names the licence that decided it.
struct EffectiveLicenceState {
  std::string state;
  std::string cause;
};
EffectiveLicenceState EffectiveStateOfChain(const std::vector<Licence>& chain, int64_t time);
core::Result<EffectiveLicenceState> EffectiveLicenceStateAt(const StateReader& state,
                                                            const Licence& l, int64_t time);

// The quantity left under a chain: the least (quantityLimit - quantityUsed) over the links
// that set a limit; nullopt when none does.
core::Result<std::optional<uint64_t>> RemainingQuantity(const StateReader& state,
                                                        const std::vector<Licence>& chain);

// Rule 26 for a licence granted directly on recordations (no parent), with the right-type and
// existence checks that come with it (RECORDATION_NOT_FOUND, RIGHT_TYPE_MISMATCH).
// Returns the outcome of the first failure, nullopt if the licence may be issued.
core::Result<std::optional<TxOutcome>> CheckRootEntitlement(const StateReader& state,
                                                            const Licence& l, int64_t now);

// Rules 26 and 27 for a sublicence; `parent_chain` is LoadAncestry(parent). Fills the fields
// the sublicence inherits when it omits them (recordationRefs, rightType) and its depth.
core::Result<std::optional<TxOutcome>> CheckSublicence(const StateReader& state, Licence& l,
                                                       const std::vector<Licence>& parent_chain,
                                                       int64_t now);

}  // namespace tradeledger::trade
