// Filing delegations (DOMAIN.md §7.1.10, rule 25): an importer authorises a broker to file
// entries, claim preference or present licences on its behalf, for a scope and a period.
//
// State:
//   delegation/<delegationId>              the FilingDelegation (JSON)
//   delegation-pair/<principal>/<agent>    JSON array of delegation ids between the two
//
// delegation.grant  {delegationId, agent, scope: [FILE_ENTRY|CLAIM_PREFERENCE|PRESENT_LICENSE],
//                    validFrom, validTo}            by an IMPORTER key of the principal
// delegation.revoke {delegationId}                  by the principal (or customs)
#pragma once

#include <optional>
#include <string>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"
#include "trade/participants.h"

namespace tradeledger::trade {

inline constexpr char kScopeFileEntry[] = "FILE_ENTRY";
inline constexpr char kScopeClaimPreference[] = "CLAIM_PREFERENCE";
inline constexpr char kScopePresentLicense[] = "PRESENT_LICENSE";

// True if `principal` has an ACTIVE delegation to `agent` covering `scope` at `time`
// (validFrom <= time < validTo, ends exclusive).
core::Result<bool> HasActiveDelegation(const StateReader& state, std::string_view principal,
                                       std::string_view agent, std::string_view scope,
                                       int64_t time);

// Rule 25: the signer's organisation may act for `importer` in `scope` at `time` — it is the
// importer itself, or holds an active delegation covering the scope.
core::Result<bool> MayActForImporter(const StateReader& state, std::string_view actor_org,
                                     std::string_view importer, std::string_view scope,
                                     int64_t time);

core::Result<std::optional<Json>> LoadDelegation(const StateReader& state,
                                                 std::string_view delegation_id);

// What `reader` may see of delegation `d`: the whole record for its principal, its agent and
// customs; NOT_AUTHORIZED for anyone else (a delegation names who files for whom).
core::Result<Json> ViewDelegation(const Json& d, const Actor& reader);

core::Result<TxOutcome> ExecuteDelegationGrant(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteDelegationRevoke(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
