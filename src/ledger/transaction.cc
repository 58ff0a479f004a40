#include "ledger/transaction.h"

#include "core/encoding.h"
#include "crypto/sha256.h"

namespace tradeledger::ledger {
namespace {

constexpr uint8_t kPayloadVersion = 1;
constexpr uint8_t kEnvelopeVersion = 1;
constexpr char kTxSigningContext[] = "TRADELEDGER/TX/v1";

bool IsValidType(std::string_view type) {
  if (type.empty() || type.size() > kMaxTxTypeLength) return false;
  for (char c : type) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

core::Bytes TxPayload::Encode() const {
  core::Encoder e(64 + type.size() + body.size());
  e.PutU8(kPayloadVersion).Put(chain_id.hash).PutString(type).PutU64(nonce).PutBytes(body);
  return std::move(e).Take();
}

core::Result<TxPayload> TxPayload::Decode(core::ByteSpan bytes) {
  core::Decoder d(bytes);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kPayloadVersion));
  TxPayload p;
  TL_ASSIGN_OR_RETURN(p.chain_id.hash, d.Get<32>());
  TL_ASSIGN_OR_RETURN(p.type, d.GetString(kMaxTxTypeLength));
  if (!IsValidType(p.type))
    return core::Fail("TX_TYPE_INVALID", "transaction type '" + p.type + "'");
  TL_ASSIGN_OR_RETURN(p.nonce, d.GetU64());
  TL_ASSIGN_OR_RETURN(std::string body, d.GetString(kMaxTransactionBytes));
  p.body = core::ToBytes(body);
  TL_RETURN_IF_ERROR(d.Finish());
  return p;
}

core::Bytes SignedTransaction::SigningMessage(core::ByteSpan payload_bytes) {
  core::Encoder e(sizeof(kTxSigningContext) + payload_bytes.size());
  // The context string includes its terminating NUL as the separator.
  e.PutFixed(core::AsBytes(std::string_view(kTxSigningContext, sizeof(kTxSigningContext))));
  e.PutFixed(payload_bytes);
  return std::move(e).Take();
}

SignedTransaction SignedTransaction::Sign(const TxPayload& payload, const crypto::KeyPair& key) {
  core::Bytes payload_bytes = payload.Encode();
  Signature sig = crypto::Sign(key.secret_key, SigningMessage(payload_bytes));
  core::Encoder e(payload_bytes.size() + 128);
  e.PutU8(kEnvelopeVersion).PutBytes(payload_bytes).Put(key.public_key).Put(sig);
  auto tx = Decode(e.bytes());
  TL_CHECK(tx.has_value());
  return std::move(*tx);
}

core::Result<SignedTransaction> SignedTransaction::Decode(core::ByteSpan envelope) {
  if (envelope.size() > kMaxTransactionBytes) {
    return core::Fail("TX_TOO_LARGE", std::to_string(envelope.size()) + " bytes, limit " +
                                          std::to_string(kMaxTransactionBytes));
  }
  SignedTransaction tx;
  tx.envelope_.assign(envelope.begin(), envelope.end());
  core::Decoder d(tx.envelope_);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kEnvelopeVersion));
  TL_ASSIGN_OR_RETURN(core::ByteSpan payload_bytes, d.GetBytes(kMaxTransactionBytes));
  TL_ASSIGN_OR_RETURN(tx.signer_, d.Get<32>());
  TL_ASSIGN_OR_RETURN(tx.signature_, d.Get<64>());
  TL_RETURN_IF_ERROR(d.Finish());
  TL_ASSIGN_OR_RETURN(tx.payload_, TxPayload::Decode(payload_bytes));
  tx.payload_offset_ = static_cast<size_t>(payload_bytes.data() - tx.envelope_.data());
  tx.payload_size_ = payload_bytes.size();
  tx.id_.hash = crypto::Sha256Of(tx.envelope_);
  return tx;
}

core::ByteSpan SignedTransaction::payload_bytes() const {
  return core::ByteSpan(envelope_).subspan(payload_offset_, payload_size_);
}

core::Status SignedTransaction::VerifySignature() const {
  if (!crypto::Verify(signer_, SigningMessage(payload_bytes()), signature_)) {
    return core::Fail("BAD_SIGNATURE", "signature does not verify for signer " + signer_.hex());
  }
  return core::Ok();
}

}  // namespace tradeledger::ledger
