// Authenticated reads: every query is signed by the reader's member key.
//
// A client sends three headers:
//   X-TL-Key        its Ed25519 public key (hex)
//   X-TL-Time       its clock, ms since the Unix epoch
//   X-TL-Signature  hex Ed25519 signature over ReadSigningMessage(chain, time, method, path,
//                   query)
// The message is "TRADELEDGER/READ/v2" 0x00 || chain id || time (u64) || string(method) ||
// string(decoded path) || u32 count || for each decoded query parameter, sorted by name:
// string(name) || string(value), where string(x) = u32 length || bytes (core/encoding.h).
// Every part carries its length, so two different reads never share a message. (v1 joined
// the query as "k=v" with '&', so ?a=1%26b%3D2 and ?a=1&b=2 signed the same bytes; a v1
// signature does not verify as v2.)
// The node accepts a signature whose time is within five minutes of its own clock, so a
// captured request cannot be replayed later, and resolves the key to an organisation and
// roles at the ledger's latest block time (trade::ResolveActor).
//
// Reason codes: AUTH_REQUIRED (no headers, 401), AUTH_INVALID (malformed or bad signature,
// 401), AUTH_EXPIRED (time outside the window, 401), AUTH_UNKNOWN_KEY (not an active member,
// 403).
#pragma once

#include <map>
#include <string>

#include "api/http/http_types.h"
#include "core/result.h"
#include "ledger/ids.h"
#include "trade/participants.h"

namespace tradeledger::api {

inline constexpr int64_t kReadSignatureWindowMs = 5 * 60 * 1000;

core::Bytes ReadSigningMessage(const ledger::ChainId& chain, uint64_t time_ms,
                               std::string_view method, std::string_view path,
                               const std::map<std::string, std::string>& query);

// The headers a client adds to sign a read.
std::map<std::string, std::string> SignReadHeaders(const ledger::ChainId& chain,
                                                   const crypto::KeyPair& key, uint64_t time_ms,
                                                   std::string_view method, std::string_view path,
                                                   const std::map<std::string, std::string>& query);

// Verifies a request's signature; returns the signer's key. `now_ms` is the node's clock.
core::Result<crypto::PublicKey> VerifyReadSignature(const http::Request& request,
                                                    const ledger::ChainId& chain, uint64_t now_ms);

}  // namespace tradeledger::api
