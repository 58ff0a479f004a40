// Read access to origin records (DOMAIN.md §6, rules 30-31), as pure functions for the API
// layer: given a stored record and the resolved reader, what the reader may see. The API
// answers NOT_AUTHORIZED with 403 and logs every read by a non-owner as an AuditEvent.
//
//   certification  customs, the certifier (certifierOrg) and the importer it names
//                  (importerOrg): the full record; producerOnRequest (the producer behind
//                  AVAILABLE_UPON_REQUEST) only for customs and the certifier. Anyone else:
//                  anchor metadata {view: "metadata", certId, docType, contentHash, state,
//                  agreement, anchoredAt}.
//   entry          customs, the importer, and a broker with an ACTIVE delegation (FILE_ENTRY or
//                  CLAIM_PREFERENCE) at `now`: the full entry with lines, values and its claims.
//                  A certifier whose certification a claim cites: {view: "claim-status",
//                  entryNumber, claims: [{claimId, lineNo, agreement, certRef, state,
//                  reasonCodes}]} for those claims only, no values. Others: NOT_AUTHORIZED.
//   claim          as the entry (full for customs/importer/broker; status for the certifier).
//   case           customs, the importer and the addressees of its requests.
// Where `now` is given, views add effectiveState (EXPIRED / OVERDUE are derived).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "trade/json_fields.h"
#include "trade/participants.h"

namespace tradeledger::trade {

core::Result<Json> ViewCertification(const StateReader& state, const Json& cert,
                                     const Actor& reader, std::optional<int64_t> now = {});
core::Result<Json> ViewEntry(const StateReader& state, const Json& entry, const Actor& reader,
                             int64_t now);
core::Result<Json> ViewClaim(const StateReader& state, const Json& claim, const Actor& reader,
                             int64_t now);
core::Result<Json> ViewCase(const StateReader& state, const Json& vcase, const Actor& reader,
                            int64_t now);
// The ids of the claims citing `cert_id` (cert-claims index), in filing order.
core::Result<std::vector<std::string>> ClaimsCitingCertification(const StateReader& state,
                                                                 std::string_view cert_id);

}  // namespace tradeledger::trade
