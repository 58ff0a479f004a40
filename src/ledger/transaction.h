// Transactions: a signed envelope around exact payload bytes.
//
// The payload is encoded once by its author and never re-encoded: the signature, the
// transaction id and every replica's execution all read the same bytes. Layouts are in
// doc/formats.md ("Transaction payload", "Transaction envelope").
//
//   payload  = version 1 | chain id | type | nonce | body (the JSON document of the type)
//   envelope = version 1 | payload bytes | signer public key | Ed25519 signature
//   signature covers  "TRADELEDGER/TX/v1" 0x00 || payload bytes
//   tx id     = SHA-256(envelope)
//
// libsodium rejects malleated signatures, so a transaction has exactly one id.
//
// Thread safety: SignedTransaction is an immutable value after construction.
#pragma once

#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "ledger/ids.h"

namespace tradeledger::ledger {

// Largest accepted envelope, in bytes (TX_TOO_LARGE beyond).
inline constexpr size_t kMaxTransactionBytes = 64 * 1024;
inline constexpr size_t kMaxTxTypeLength = 64;

struct TxPayload {
  ChainId chain_id;
  std::string type;    // e.g. "document.anchor"; [a-z0-9._-], 1..64 characters
  uint64_t nonce = 0;  // per signer, strictly increasing across the signer's executed txs
  core::Bytes body;    // UTF-8 JSON object, exactly as the author wrote it

  core::Bytes Encode() const;
  static core::Result<TxPayload> Decode(core::ByteSpan bytes);
};

class SignedTransaction {
 public:
  // Encodes and signs `payload` with `key`.
  static SignedTransaction Sign(const TxPayload& payload, const crypto::KeyPair& key);

  // Strictly decodes an envelope (and the payload inside it). Does not check the signature:
  // call VerifySignature(). Fails with TX_TOO_LARGE or an ENCODING_* / TX_* reason code.
  static core::Result<SignedTransaction> Decode(core::ByteSpan envelope);

  // BAD_SIGNATURE unless the signature is valid for the payload bytes and signer.
  core::Status VerifySignature() const;

  const core::Bytes& envelope() const { return envelope_; }
  const TxId& id() const { return id_; }
  const TxPayload& payload() const { return payload_; }
  core::ByteSpan payload_bytes() const;
  const PublicKey& signer() const { return signer_; }
  const Signature& signature() const { return signature_; }

  // The bytes an author signs for `payload_bytes`.
  static core::Bytes SigningMessage(core::ByteSpan payload_bytes);

 private:
  SignedTransaction() = default;

  core::Bytes envelope_;
  size_t payload_offset_ = 0;
  size_t payload_size_ = 0;
  TxPayload payload_;
  PublicKey signer_;
  Signature signature_;
  TxId id_;
};

}  // namespace tradeledger::ledger
