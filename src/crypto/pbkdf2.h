// PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) through OpenSSL, the same function WebCrypto's
// deriveBits({name: "PBKDF2", hash: "SHA-256"}) computes, so a browser and the CLI derive the
// same bytes from the same inputs.
//
// Thread safety: safe from any thread.
#pragma once

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::crypto {

// 32 bytes derived from `password` and `salt` with `iterations` (>= 1) rounds.
// CRYPTO_FAILED if OpenSSL refuses (it does not for these parameters).
core::Result<core::Hash32> Pbkdf2Sha256(core::ByteSpan password, core::ByteSpan salt,
                                        uint32_t iterations);

}  // namespace tradeledger::crypto
