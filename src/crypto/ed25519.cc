#include "crypto/ed25519.h"

#include <sodium.h>

namespace tradeledger::crypto {

void EnsureSodium() {
  static const bool ok = sodium_init() >= 0;
  TL_CHECK(ok);
}

SecretKey::~SecretKey() { sodium_memzero(expanded_.data.data(), expanded_.data.size()); }

Seed SecretKey::seed() const {
  Seed s;
  crypto_sign_ed25519_sk_to_seed(s.data.data(), expanded_.data.data());
  return s;
}

KeyPair KeyPair::Generate() {
  EnsureSodium();
  KeyPair kp;
  crypto_sign_ed25519_keypair(kp.public_key.data.data(), kp.secret_key.expanded_.data.data());
  return kp;
}

KeyPair KeyPair::FromSeed(const Seed& seed) {
  EnsureSodium();
  KeyPair kp;
  crypto_sign_ed25519_seed_keypair(kp.public_key.data.data(), kp.secret_key.expanded_.data.data(),
                                   seed.data.data());
  return kp;
}

Signature Sign(const SecretKey& key, core::ByteSpan message) {
  EnsureSodium();
  Signature sig;
  crypto_sign_ed25519_detached(sig.data.data(), nullptr, message.data(), message.size(),
                               key.expanded().data.data());
  return sig;
}

bool Verify(const PublicKey& key, core::ByteSpan message, const Signature& signature) {
  EnsureSodium();
  return crypto_sign_ed25519_verify_detached(signature.data.data(), message.data(), message.size(),
                                             key.data.data()) == 0;
}

}  // namespace tradeledger::crypto
