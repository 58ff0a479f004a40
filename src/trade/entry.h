// Entry summaries (DOMAIN.md §7.1.4-5; rules 1-6, 12-20, 25) and the claims they make.
//
// entry.file {entryNumber, entryType, importer (org id), iorNumber, shipmentRef, importDate,
//             summaryFiledAt? (instant; default block time; never after it), portCode,
//             commercial? (default true),
//             lines: [{lineNo, hts10, countryOfOrigin, mid, quantity (integer), uom,
//                      value (USD), spi?, agreement?, certRef?, basis?, licenseRefs?: [id],
//                      ipr?: {brand?, recordationRefs?: [no]}}]}
// Filed by the importer (IMPORTER key) or by a BROKER whose organisation holds an ACTIVE
// delegation from the importer covering FILE_ENTRY (and CLAIM_PREFERENCE when a line has an
// SPI) at block time; otherwise NOT_AUTHORIZED_FILER. Entry data rules 1-5 reject the whole
// filing (primary code = first in rule order; detail lists all). Each line with an SPI then
// gets a PreferenceClaim decided at once by rules 6 and 12-20 (claim_rules.h): ACCEPTED, or
// REJECTED with every failing code. The IOR number is checked (rule 4) and only its salted
// hash is stored; it must match the importer's registered hash when it has one (IOR_MISMATCH).
//
// Stored record at entry/<XXX-NNNNNNN-C> (canonical entry number):
//   {entryNumber, entryType, filerCode, importer, importerName, iorNumberHash, filedBy,
//    filedByKey, shipmentRef, importDate (ms), summaryFiledAt (ms), portCode, commercial,
//    lines: [{lineNo, hts10 (10 digits), countryOfOrigin, mid, quantity, uom, valueCents,
//             spi?, agreement?, certRef?, basis?, licenseRefs[], ipr{}, claimId?}],
//    claimIds[], recordedAt, txId, height, retainUntil (importDate + 5 years), openCases[]}
// Readers in other modules (IPR) use LoadEntry and must treat unknown fields as additive.
#pragma once

#include <optional>
#include <string_view>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// The entry record, nullopt if none. `entry_number` may be given with or without dashes; a
// malformed number (or bad check digit) is simply not found.
core::Result<std::optional<Json>> LoadEntry(const StateReader& state,
                                            std::string_view entry_number);
void SaveEntry(WorkingState& state, const Json& entry);
// The line `line_no` of an entry record, nullptr if absent.
const Json* FindLine(const Json& entry, uint64_t line_no);

core::Result<TxOutcome> ExecuteEntryFile(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
