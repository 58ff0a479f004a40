// The submitter's side of IOR number hashing (trade/ior_number.h, ADR 0021): the CLI, the
// stories and the load generator write bodies with a clear "iorNumber" as a person would type
// it, and these helpers replace it with "iorNumberHash" before the body is signed, so the number
// never leaves the submitter's machine.
//
// Thread safety: both functions are safe from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include "cli/node_client.h"

namespace tradeledger::cli {

// The network's salt for IOR hashes, as GET /v1/me serves it to a member signed by `key`.
// AUTH_* / NODE_UNAVAILABLE on failure.
core::Result<core::Bytes> FetchIorSalt(NodeClient& client, const crypto::KeyPair& key,
                                       const ledger::ChainId& chain);

// `body` with a top-level "iorNumber" replaced by its "iorNumberHash" for the importer the
// body names ("orgId" for org.admit, else "importer"); unchanged without "iorNumber".
// IOR_FORMAT if the number is malformed, IOR_IMPORTER_MISSING if no importer is named.
// Derivations are cached per (salt, importer, number): each costs 600,000 PBKDF2 rounds.
core::Result<nlohmann::json> HashIorNumberField(nlohmann::json body, core::ByteSpan salt);

}  // namespace tradeledger::cli
