// Ed25519 signatures through libsodium.
//
// libsodium's verifier rejects non-canonical encodings of S and small-order public keys, so
// a valid signature cannot be altered into another valid one: transaction ids that hash the
// signature are stable.
//
// Thread safety: all functions are safe from any thread. A SecretKey is an ordinary value
// owned by one holder; it wipes its bytes when destroyed.
#pragma once

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::crypto {

using PublicKey = core::FixedBytes<32>;
using Signature = core::FixedBytes<64>;
using Seed = core::FixedBytes<32>;

class SecretKey {
 public:
  SecretKey() = default;
  ~SecretKey();
  SecretKey(const SecretKey&) = default;
  SecretKey& operator=(const SecretKey&) = default;

  // libsodium's 64-byte form: the seed followed by the public key.
  const core::FixedBytes<64>& expanded() const { return expanded_; }
  Seed seed() const;

 private:
  friend struct KeyPair;
  core::FixedBytes<64> expanded_{};
};

struct KeyPair {
  PublicKey public_key;
  SecretKey secret_key;

  // A fresh key from the operating system's random source.
  static KeyPair Generate();
  // The key determined by a 32-byte seed (used by key files and deterministic tests).
  static KeyPair FromSeed(const Seed& seed);
};

Signature Sign(const SecretKey& key, core::ByteSpan message);
bool Verify(const PublicKey& key, core::ByteSpan message, const Signature& signature);

// Initialises libsodium; called by every function above, safe to call repeatedly.
void EnsureSodium();

}  // namespace tradeledger::crypto
