#include "net/handshake.h"

#include <sodium.h>

#include <optional>
#include <string>

#include "core/encoding.h"
#include "crypto/sha256.h"
#include "net/reasons.h"

namespace tradeledger::net {

namespace {

constexpr std::string_view kMagic = "TLP2";
constexpr std::string_view kResponderRole = "responder";
constexpr std::string_view kInitiatorRole = "initiator";
// crypto_kdf context: exactly crypto_kdf_CONTEXTBYTES characters.
constexpr char kKdfContext[] = "TLP2Pkey";
constexpr uint64_t kInitiatorToResponderKeyId = 1;
constexpr uint64_t kResponderToInitiatorKeyId = 2;

constexpr size_t kHelloBytes = kMagic.size() + 1 + 32 + 32;
constexpr size_t kReplyBytes = 32 + 32 + 64;
constexpr size_t kFinishBytes = 32 + 64;
static_assert(kHelloBytes <= kMaxHandshakeMessageBytes && kReplyBytes <= kMaxHandshakeMessageBytes);
static_assert(sizeof(kKdfContext) - 1 == crypto_kdf_CONTEXTBYTES);
static_assert(crypto_scalarmult_BYTES == Secret32::kSize);

std::unexpected<core::Error> Reject(std::string_view code, std::string detail) {
  return core::Fail(std::string(code), std::move(detail));
}

void GenerateEphemeral(crypto::PublicKey& public_key, Secret32& secret) {
  crypto::EnsureSodium();
  randombytes_buf(secret.data(), Secret32::kSize);
  crypto_scalarmult_base(public_key.data.data(), secret.data());
}

// X25519; fails on a low-order peer key (the shared secret would be all zeros).
std::optional<Secret32> SharedSecret(const Secret32& own_secret, const crypto::PublicKey& peer) {
  Secret32 shared;
  if (crypto_scalarmult(shared.data(), own_secret.data(), peer.data.data()) != 0) {
    return std::nullopt;
  }
  return shared;
}

// Every signed or hashed message starts "TRADELEDGER/P2P/v1" 0x00, as the other signing
// contexts of the ledger do, so no handshake signature is valid as anything else.
core::Encoder& PutContext(core::Encoder& e) {
  return e.PutFixed(core::AsBytes(kHandshakeContext)).PutU8(0);
}

core::Hash32 TranscriptHash(const core::Hash32& chain_id, const crypto::PublicKey& initiator_eph,
                            const crypto::PublicKey& responder_eph,
                            const crypto::PublicKey& responder_static,
                            const crypto::PublicKey* initiator_static) {
  core::Encoder e;
  PutContext(e).PutU8(kProtocolVersion).Put(chain_id);
  e.Put(initiator_eph).Put(responder_eph).Put(responder_static);
  if (initiator_static != nullptr) e.Put(*initiator_static);
  return crypto::Sha256Of(e.bytes());
}

core::Bytes SignedMessage(std::string_view role, const core::Hash32& transcript) {
  core::Encoder e;
  PutContext(e).PutString(role).Put(transcript);
  return std::move(e).Take();
}

SessionKeys DeriveKeys(const Secret32& shared, const core::Hash32& transcript, bool initiator) {
  Secret32 master;
  crypto_generichash(master.data(), Secret32::kSize, transcript.data.data(), transcript.kSize,
                     shared.data(), Secret32::kSize);
  Secret32 i2r;
  Secret32 r2i;
  crypto_kdf_derive_from_key(i2r.data(), Secret32::kSize, kInitiatorToResponderKeyId, kKdfContext,
                             master.data());
  crypto_kdf_derive_from_key(r2i.data(), Secret32::kSize, kResponderToInitiatorKeyId, kKdfContext,
                             master.data());
  return initiator ? SessionKeys{i2r, r2i} : SessionKeys{r2i, i2r};
}

}  // namespace

InitiatorHandshake::InitiatorHandshake(const crypto::KeyPair& identity,
                                       const core::Hash32& chain_id,
                                       const crypto::PublicKey& expected_peer)
    : identity_(identity), chain_id_(chain_id), expected_peer_(expected_peer) {
  GenerateEphemeral(ephemeral_public_, ephemeral_secret_);
}

core::Bytes InitiatorHandshake::Hello() const {
  core::Encoder e;
  e.PutFixed(core::AsBytes(kMagic)).PutU8(kProtocolVersion).Put(chain_id_).Put(ephemeral_public_);
  return std::move(e).Take();
}

core::Result<InitiatorHandshake::Finished> InitiatorHandshake::OnReply(core::ByteSpan reply) {
  if (reply.size() != kReplyBytes) {
    return Reject(reason::kHandshakeMalformed, "reply of " + std::to_string(reply.size()) +
                                                   " bytes, expected " +
                                                   std::to_string(kReplyBytes));
  }
  core::Decoder d(reply);
  auto responder_eph = d.Get<32>();
  auto responder_static = d.Get<32>();
  auto signature = d.Get<64>();
  TL_CHECK(responder_eph && responder_static && signature && d.Finish());
  if (*responder_static != expected_peer_) {
    return Reject(reason::kPeerWrongKey, "responder is " + responder_static->hex().substr(0, 16) +
                                             ", dialled " + expected_peer_.hex().substr(0, 16));
  }
  std::optional<Secret32> shared = SharedSecret(ephemeral_secret_, *responder_eph);
  if (!shared) return Reject(reason::kHandshakeMalformed, "low-order ephemeral key");
  core::Hash32 responder_transcript =
      TranscriptHash(chain_id_, ephemeral_public_, *responder_eph, *responder_static, nullptr);
  if (!crypto::Verify(*responder_static, SignedMessage(kResponderRole, responder_transcript),
                      *signature)) {
    return Reject(reason::kHandshakeBadSignature, "responder's transcript signature");
  }
  core::Hash32 transcript = TranscriptHash(chain_id_, ephemeral_public_, *responder_eph,
                                           *responder_static, &identity_.public_key);
  crypto::Signature own =
      crypto::Sign(identity_.secret_key, SignedMessage(kInitiatorRole, transcript));
  core::Encoder finish;
  finish.Put(identity_.public_key).Put(own);
  return Finished{std::move(finish).Take(),
                  Established{*responder_static, DeriveKeys(*shared, transcript, true)}};
}

ResponderHandshake::ResponderHandshake(const crypto::KeyPair& identity,
                                       const core::Hash32& chain_id)
    : identity_(identity), chain_id_(chain_id) {
  GenerateEphemeral(ephemeral_public_, ephemeral_secret_);
}

core::Result<core::Bytes> ResponderHandshake::OnHello(core::ByteSpan hello) {
  TL_CHECK(!have_hello_);
  if (hello.size() < kMagic.size() + 1 ||
      core::AsStringView(hello.first(kMagic.size())) != kMagic) {
    return Reject(reason::kHandshakeMalformed, "not a TradeLedger peer hello");
  }
  if (hello[kMagic.size()] != kProtocolVersion) {
    return Reject(reason::kHandshakeBadVersion,
                  "protocol version " + std::to_string(hello[kMagic.size()]));
  }
  if (hello.size() != kHelloBytes) {
    return Reject(reason::kHandshakeMalformed, "hello of " + std::to_string(hello.size()) +
                                                   " bytes, expected " +
                                                   std::to_string(kHelloBytes));
  }
  core::Decoder d(hello.subspan(kMagic.size() + 1));
  auto chain_id = d.Get<32>();
  auto initiator_eph = d.Get<32>();
  TL_CHECK(chain_id && initiator_eph && d.Finish());
  if (*chain_id != chain_id_) {
    return Reject(reason::kHandshakeWrongChain, "chain " + chain_id->hex().substr(0, 16));
  }
  std::optional<Secret32> shared = SharedSecret(ephemeral_secret_, *initiator_eph);
  if (!shared) return Reject(reason::kHandshakeMalformed, "low-order ephemeral key");
  have_hello_ = true;
  initiator_ephemeral_ = *initiator_eph;
  shared_secret_ = *shared;
  core::Hash32 transcript = TranscriptHash(chain_id_, initiator_ephemeral_, ephemeral_public_,
                                           identity_.public_key, nullptr);
  crypto::Signature signature =
      crypto::Sign(identity_.secret_key, SignedMessage(kResponderRole, transcript));
  core::Encoder reply;
  reply.Put(ephemeral_public_).Put(identity_.public_key).Put(signature);
  return std::move(reply).Take();
}

core::Result<Established> ResponderHandshake::OnFinish(core::ByteSpan finish,
                                                       const KeyFilter& is_allowed) {
  TL_CHECK(have_hello_);
  if (finish.size() != kFinishBytes) {
    return Reject(reason::kHandshakeMalformed, "finish of " + std::to_string(finish.size()) +
                                                   " bytes, expected " +
                                                   std::to_string(kFinishBytes));
  }
  core::Decoder d(finish);
  auto initiator_static = d.Get<32>();
  auto signature = d.Get<64>();
  TL_CHECK(initiator_static && signature && d.Finish());
  if (!is_allowed(*initiator_static)) {
    return Reject(reason::kPeerUnknownKey, "initiator " + initiator_static->hex().substr(0, 16));
  }
  core::Hash32 transcript = TranscriptHash(chain_id_, initiator_ephemeral_, ephemeral_public_,
                                           identity_.public_key, &*initiator_static);
  if (!crypto::Verify(*initiator_static, SignedMessage(kInitiatorRole, transcript), *signature)) {
    return Reject(reason::kHandshakeBadSignature, "initiator's transcript signature");
  }
  return Established{*initiator_static, DeriveKeys(shared_secret_, transcript, false)};
}

}  // namespace tradeledger::net
