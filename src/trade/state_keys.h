// The layout of keys in the authenticated state. Every key starts with a short namespace so
// that a state proof names what it proves. See doc/formats.md ("State keys").
#pragma once

#include <string_view>

#include "core/bytes.h"
#include "crypto/ed25519.h"

namespace tradeledger::trade {

// "nonce/" + 32-byte signer key -> u64 big-endian: the signer's last executed nonce.
core::Bytes NonceKey(const crypto::PublicKey& signer);
// "doc/" + document id -> the document record (JSON, see document_anchor.h).
core::Bytes DocumentKey(std::string_view doc_id);
// "doc-hash/" + content hash (hex) -> the organisation that first anchored that content.
core::Bytes DocumentHashKey(std::string_view content_hash_hex);
// "doc-hash/" + content hash + "/" + org -> the first document id that org anchored with that
// content: one key per (content, organisation), so anchoring costs the same however many
// documents share a content hash.
core::Bytes DocumentHashOrgKey(std::string_view content_hash_hex, std::string_view org_id);
// "doc-live/" + content hash -> u64 big-endian: anchored documents with that content not yet
// purged (document_purge.h). Zero: the file may be deleted everywhere.
core::Bytes DocumentLiveKey(std::string_view content_hash_hex);

}  // namespace tradeledger::trade
