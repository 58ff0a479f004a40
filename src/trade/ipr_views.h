// Read access to IPR records for the API layer (DOMAIN.md rule 30, §6). Pure functions of the
// state, the stored record, the reader (resolved by the caller) and the time used to derive
// states (EXPIRED, ACTIVE from validFrom, effective states of sublicences).
//
//   recordation  customs and the owner: everything; anyone else: {recordationNo, rightType,
//                state} (anchor metadata).
//   licence      customs and every party (licensor or licensee) of the licence or of one of its
//                ancestors: everything, with ownState, effectiveState, quantityUsed and the
//                remaining quantity; anyone else: {licenseId, rightType, recordationRefs, state}.
//   assessment   customs, the importer, the filer and a broker holding the importer's ACTIVE
//                PRESENT_LICENSE delegation: everything; a licensor of a link of the assessed
//                chain: the result, reason codes (QUANTITY_LIMIT_EXCEEDED included) and chain
//                of a FACILITATE/FLAG result, never the entry number or line values; anyone
//                else: NOT_AUTHORIZED.
// Read logging (AuditEvent, rule 31) is the API layer's job.
#pragma once

#include <string_view>

#include "core/result.h"
#include "trade/json_fields.h"
#include "trade/participants.h"
#include "trade/working_state.h"

namespace tradeledger::trade {

core::Result<Json> ViewRecordation(const StateReader& state, const Json& record,
                                   const Actor& reader, int64_t now);
core::Result<Json> ViewLicence(const StateReader& state, const Json& record, const Actor& reader,
                               int64_t now);
core::Result<Json> ViewAssessment(const StateReader& state, const Json& record, const Actor& reader,
                                  int64_t now);

// The tree of licences rooted in a recordation, from the per-recordation and per-parent index
// keys (no scans): {recordationNo, licenses: [{licenseId, licensor, licensee, permissions,
// ownState, effectiveState, children: [...]}]}. Unfiltered: for customs and internal use.
core::Result<Json> LicenceChain(const StateReader& state, std::string_view recordation_no,
                                int64_t now);
// The same tree as `reader` may see it: customs and the recordation's owner see all of it;
// another reader sees the licences it is a party to (with their descendants) in full, their
// ancestors as {licenseId, effectiveState}, and nothing else.
core::Result<Json> ViewLicenceChain(const StateReader& state, std::string_view recordation_no,
                                    const Actor& reader, int64_t now);

}  // namespace tradeledger::trade
