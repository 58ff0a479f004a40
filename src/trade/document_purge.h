// document.purge {docId}: removes a document's off-chain payload once its retention has run
// out (DOMAIN rule 32). The anchor, its content hash and its metadata stay on the ledger, so
// every proof of the hash stays valid; the record gains purgedAt, purgedBy (organisation) and
// purgeTxId, and the content's live-document count (state_keys.h DocumentLiveKey) drops by
// one. When it reaches zero every node deletes the file (api/attachments.h) and refuses to
// store it again.
//
// The document's retention date: five years after it was anchored, or the certification's
// retainUntil (importDate of the last citing entry + 5 years) when the document is a
// certification's, whichever is later.
//
// Who may purge: the organisation that anchored the document, or customs.
// Reason codes: PAYLOAD_INVALID, DOCUMENT_NOT_FOUND, NOT_AUTHORIZED, DOCUMENT_PURGED (already),
// RETENTION_NOT_EXPIRED (before the retention date; the detail names it), RETENTION_HOLD (a
// verification case is open on the certification).
#pragma once

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

core::Result<TxOutcome> ExecuteDocumentPurge(WorkingState& state, const TxContext& tx);

// The document's retention date (ms, ledger time) by the rule above: its anchoring plus five
// years, or its certification's retainUntil when that is later. `record` is the doc/ record.
core::Result<int64_t> DocumentRetainUntil(const StateReader& state, const Json& record);

// The number of anchored, unpurged documents with this content (0 when none or all purged).
core::Result<uint64_t> LiveDocuments(const StateReader& state, std::string_view content_hash_hex);
// Adds `delta` (+1 for an anchor, -1 for a purge) to that count.
core::Status AddLiveDocuments(WorkingState& state, std::string_view content_hash_hex,
                              int64_t delta);

}  // namespace tradeledger::trade
