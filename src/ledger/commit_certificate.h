// Validator sets and commit certificates.
//
// A commit certificate proves that a quorum of the validator set signed a block header hash
// at a height. With n validators the network tolerates f = floor((n-1)/3) Byzantine ones and
// a quorum is n - f signatures (2f+1 when n = 3f+1). Each signature covers
//     "TRADELEDGER/COMMIT/v1" 0x00 || chain id || height (u64) || view (u64) || header hash
// so a signature can be checked with nothing but the validator set (doc/formats.md).
#pragma once

#include <cstdint>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "core/strong_types.h"
#include "crypto/ed25519.h"
#include "ledger/ids.h"

namespace tradeledger::ledger {

inline constexpr uint32_t kMaxValidators = 256;

class ValidatorSet {
 public:
  ValidatorSet() = default;
  // Fails with VALIDATOR_SET_INVALID if empty, too large or with duplicate keys.
  static core::Result<ValidatorSet> Create(std::vector<PublicKey> validators);

  const std::vector<PublicKey>& validators() const { return validators_; }
  size_t size() const { return validators_.size(); }
  size_t max_faulty() const { return (validators_.size() - 1) / 3; }
  size_t quorum() const { return validators_.size() - max_faulty(); }
  bool Contains(const PublicKey& key) const;

 private:
  std::vector<PublicKey> validators_;  // sorted, unique
};

struct CommitSignature {
  PublicKey validator;
  Signature signature;
};

struct CommitCertificate {
  core::Height height;
  core::View view;
  BlockHash block_hash;
  std::vector<CommitSignature> signatures;  // sorted by validator key, no duplicates

  static core::Bytes SigningMessage(const ChainId& chain, core::Height height, core::View view,
                                    const BlockHash& block_hash);

  // Adds `key`'s signature over this certificate's message, keeping signatures sorted.
  void AddSignature(const ChainId& chain, const crypto::KeyPair& key);

  // Succeeds if at least a quorum of distinct members of `set` signed this certificate's
  // message. Fails with CERTIFICATE_INVALID naming the first problem: a signer outside the
  // set, a duplicate or unsorted signer, a bad signature, or too few signatures.
  core::Status Verify(const ChainId& chain, const ValidatorSet& set) const;

  core::Bytes Encode() const;
  static core::Result<CommitCertificate> Decode(core::ByteSpan bytes);
};

}  // namespace tradeledger::ledger
