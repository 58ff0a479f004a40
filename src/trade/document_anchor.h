// document.anchor: puts a document's SHA-256 on the ledger with its type, issuer and metadata,
// exactly what CBP's 2018 certificate-of-origin test put on its chain (DOMAIN.md §1.1).
//
// Body (JSON object):
//   docId        1..128 characters of [A-Za-z0-9._:/-]; unique on the ledger
//   docType      CERT_OF_ORIGIN | LICENSE | RECORDATION | MILL_CERT | INVOICE | OTHER
//   contentHash  SHA-256 of the document's bytes, 64 hex digits
//   issuer       1..256 characters naming the issuing party
//   metadata     optional object, at most 16 levels deep, at most 8 KiB when printed
//
// Stored record at DocumentKey(docId): the fields above plus version (1), anchoredAt (block
// time, ms), anchoredBy (signer key, hex), anchoredByOrg (its organisation, on networks with
// participants), txId and height.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"
#include "trade/executor.h"

namespace tradeledger::trade {

struct DocumentAnchor {
  std::string doc_id;
  std::string doc_type;
  std::string content_hash;  // lower-case hex
  std::string issuer;
  nlohmann::json metadata = nlohmann::json::object();
};

// Parses and validates a document.anchor body. Reason codes: PAYLOAD_INVALID (not a JSON
// object or a field of the wrong JSON type), DOC_ID_INVALID, DOC_TYPE_INVALID,
// CONTENT_HASH_INVALID, ISSUER_INVALID, METADATA_INVALID.
core::Result<DocumentAnchor> ParseDocumentAnchor(core::ByteSpan body);

// Executes a parsed anchor: DOCUMENT_EXISTS if the id is taken, otherwise writes the record
// and adds the id to the content-hash index.
core::Result<TxOutcome> ExecuteDocumentAnchor(WorkingState& state, const TxContext& tx);

// Records that `org_id` anchored `doc_id` with `content_hash` in the content-hash index
// (state_keys.h), which decides who may download the file. Constant work per anchor.
core::Status IndexDocumentHash(WorkingState& state, std::string_view content_hash,
                               std::string_view org_id, std::string_view doc_id);

// document.present {docId, presentedHash}: a party presents a copy of an anchored document
// (DOMAIN rule 21). DOCUMENT_NOT_FOUND, or DOCUMENT_HASH_MISMATCH when the presented file's
// SHA-256 differs from the anchor; either way the presentation and its presenter are on the
// ledger and the anchor is unchanged.
core::Result<TxOutcome> ExecuteDocumentPresent(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
