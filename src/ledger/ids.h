// Identifiers of ledger objects. Each is a SHA-256 digest, and each is its own type so that a
// transaction id cannot be passed where a block hash is expected.
#pragma once

#include <string>

#include "core/bytes.h"
#include "crypto/ed25519.h"

namespace tradeledger::ledger {

template <typename Tag>
struct DigestId {
  core::Hash32 hash;

  static core::Result<DigestId> FromHex(std::string_view hex) {
    TL_ASSIGN_OR_RETURN(core::Hash32 h, core::Hash32::FromHex(hex));
    return DigestId{h};
  }
  std::string hex() const { return hash.hex(); }
  auto operator<=>(const DigestId&) const = default;
};

// SHA-256 of a transaction's exact envelope bytes.
using TxId = DigestId<struct TxIdTag>;
// SHA-256 of a block header's canonical encoding.
using BlockHash = DigestId<struct BlockHashTag>;
// SHA-256 of the genesis file's exact bytes; every signed message names it, so that nothing
// signed for one network is valid on another.
using ChainId = DigestId<struct ChainIdTag>;

using crypto::PublicKey;
using crypto::Signature;

}  // namespace tradeledger::ledger

template <typename Tag>
struct std::hash<tradeledger::ledger::DigestId<Tag>> {
  size_t operator()(const tradeledger::ledger::DigestId<Tag>& id) const noexcept {
    size_t v = 0;
    for (int i = 0; i < 8; ++i) v = (v << 8) | id.hash.data[i];
    return v;
  }
};
