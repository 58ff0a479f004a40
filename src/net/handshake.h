// The authenticated key exchange between two validators: pure functions, no sockets.
//
// A SIGMA-style exchange over fresh X25519 ephemeral keys, authenticated by each side's
// static Ed25519 validator key. The byte layout and the reasoning are in
// doc/adr/0015-peer-transport.md. In short (I initiator, R responder; every message is a u32
// big-endian length and the body below):
//
//   hello   I -> R  "TLP2" | u8 version | chain id (32) | I's ephemeral key (32)
//   reply   R -> I  R's ephemeral key (32) | R's static key (32) | R's signature (64)
//   finish  I -> R  I's static key (32) | I's signature (64)
//
// R signs the transcript hash over (context, chain id, both ephemerals, R's static key);
// I signs the hash over that transcript extended with I's static key. The session keys come
// from the X25519 secret and the final transcript hash, so both identities are bound into
// them: a man in the middle that re-signs a message under its own key ends up with a session
// whose keys differ from the honest side's, and its first frame fails to open.
//
// Thread safety: each handshake object is used by one thread at a time.
#pragma once

#include <functional>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "net/secret.h"

namespace tradeledger::net {

inline constexpr std::string_view kHandshakeContext = "TRADELEDGER/P2P/v1";
inline constexpr uint8_t kProtocolVersion = 1;
// No handshake message body may be longer; longer length prefixes are rejected unread.
inline constexpr size_t kMaxHandshakeMessageBytes = 256;

// The keys of one established session, seen from one side.
struct SessionKeys {
  Secret32 send;     // seals what this side sends
  Secret32 receive;  // opens what the other side sends
};

struct Established {
  crypto::PublicKey peer;  // the other side's authenticated static key
  SessionKeys keys;
};

// Decides whether a static key belongs to a current validator.
using KeyFilter = std::function<bool(const crypto::PublicKey&)>;

class InitiatorHandshake {
 public:
  // Borrows `identity`, which must outlive this object. Draws a fresh ephemeral key.
  InitiatorHandshake(const crypto::KeyPair& identity, const core::Hash32& chain_id,
                     const crypto::PublicKey& expected_peer);

  // Message 1.
  core::Bytes Hello() const;

  struct Finished {
    core::Bytes finish;  // message 3, to send
    Established session;
  };
  // Checks message 2 and returns message 3. Fails with HANDSHAKE_MALFORMED (size, low-order
  // key), PEER_WRONG_KEY (not `expected_peer`) or HANDSHAKE_BAD_SIGNATURE. Call once.
  core::Result<Finished> OnReply(core::ByteSpan reply);

 private:
  const crypto::KeyPair& identity_;
  core::Hash32 chain_id_;
  crypto::PublicKey expected_peer_;
  crypto::PublicKey ephemeral_public_;
  Secret32 ephemeral_secret_;
};

class ResponderHandshake {
 public:
  // Borrows `identity`, which must outlive this object. Draws a fresh ephemeral key.
  ResponderHandshake(const crypto::KeyPair& identity, const core::Hash32& chain_id);

  // Checks message 1 and returns message 2. Fails with HANDSHAKE_MALFORMED (size, magic,
  // low-order key), HANDSHAKE_BAD_VERSION or HANDSHAKE_WRONG_CHAIN. Call once.
  core::Result<core::Bytes> OnHello(core::ByteSpan hello);

  // Checks message 3. Fails with HANDSHAKE_MALFORMED, PEER_UNKNOWN_KEY (`is_allowed` says
  // no; checked before the signature) or HANDSHAKE_BAD_SIGNATURE. Call once, after OnHello.
  core::Result<Established> OnFinish(core::ByteSpan finish, const KeyFilter& is_allowed);

 private:
  const crypto::KeyPair& identity_;
  core::Hash32 chain_id_;
  crypto::PublicKey ephemeral_public_;
  Secret32 ephemeral_secret_;
  bool have_hello_ = false;
  crypto::PublicKey initiator_ephemeral_;
  Secret32 shared_secret_;
};

}  // namespace tradeledger::net
