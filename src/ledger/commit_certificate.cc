#include "ledger/commit_certificate.h"

#include <algorithm>

#include "core/encoding.h"

namespace tradeledger::ledger {
namespace {

constexpr uint8_t kCertificateVersion = 1;
constexpr char kCommitSigningContext[] = "TRADELEDGER/COMMIT/v1";

}  // namespace

core::Result<ValidatorSet> ValidatorSet::Create(std::vector<PublicKey> validators) {
  if (validators.empty() || validators.size() > kMaxValidators) {
    return core::Fail("VALIDATOR_SET_INVALID",
                      "need 1.." + std::to_string(kMaxValidators) + " validators");
  }
  std::sort(validators.begin(), validators.end());
  if (std::adjacent_find(validators.begin(), validators.end()) != validators.end()) {
    return core::Fail("VALIDATOR_SET_INVALID", "duplicate validator key");
  }
  ValidatorSet set;
  set.validators_ = std::move(validators);
  return set;
}

bool ValidatorSet::Contains(const PublicKey& key) const {
  return std::binary_search(validators_.begin(), validators_.end(), key);
}

core::Bytes CommitCertificate::SigningMessage(const ChainId& chain, core::Height height,
                                              core::View view, const BlockHash& block_hash) {
  core::Encoder e(128);
  e.PutFixed(core::AsBytes(std::string_view(kCommitSigningContext, sizeof(kCommitSigningContext))));
  e.Put(chain.hash).PutU64(height.value).PutU64(view.value).Put(block_hash.hash);
  return std::move(e).Take();
}

void CommitCertificate::AddSignature(const ChainId& chain, const crypto::KeyPair& key) {
  CommitSignature sig{
      key.public_key,
      crypto::Sign(key.secret_key, SigningMessage(chain, height, view, block_hash))};
  auto it = std::lower_bound(
      signatures.begin(), signatures.end(), sig.validator,
      [](const CommitSignature& s, const PublicKey& k) { return s.validator < k; });
  if (it != signatures.end() && it->validator == sig.validator) {
    *it = sig;
  } else {
    signatures.insert(it, sig);
  }
}

core::Status CommitCertificate::Verify(const ChainId& chain, const ValidatorSet& set) const {
  core::Bytes message = SigningMessage(chain, height, view, block_hash);
  for (size_t i = 0; i < signatures.size(); ++i) {
    const CommitSignature& s = signatures[i];
    if (i > 0 && !(signatures[i - 1].validator < s.validator)) {
      return core::Fail("CERTIFICATE_INVALID", "signers not sorted or duplicated");
    }
    if (!set.Contains(s.validator)) {
      return core::Fail("CERTIFICATE_INVALID",
                        "signer " + s.validator.hex() + " is not a validator");
    }
    if (!crypto::Verify(s.validator, message, s.signature)) {
      return core::Fail("CERTIFICATE_INVALID", "bad signature from " + s.validator.hex());
    }
  }
  if (signatures.size() < set.quorum()) {
    return core::Fail("CERTIFICATE_INVALID", std::to_string(signatures.size()) +
                                                 " signatures, quorum is " +
                                                 std::to_string(set.quorum()));
  }
  return core::Ok();
}

core::Bytes CommitCertificate::Encode() const {
  core::Encoder e(64 + signatures.size() * 96);
  e.PutU8(kCertificateVersion).PutU64(height.value).PutU64(view.value).Put(block_hash.hash);
  e.PutU32(static_cast<uint32_t>(signatures.size()));
  for (const CommitSignature& s : signatures) e.Put(s.validator).Put(s.signature);
  return std::move(e).Take();
}

core::Result<CommitCertificate> CommitCertificate::Decode(core::ByteSpan bytes) {
  core::Decoder d(bytes);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kCertificateVersion));
  CommitCertificate c;
  TL_ASSIGN_OR_RETURN(c.height.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(c.view.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(c.block_hash.hash, d.Get<32>());
  TL_ASSIGN_OR_RETURN(uint32_t n, d.GetCount(kMaxValidators));
  c.signatures.resize(n);
  for (CommitSignature& s : c.signatures) {
    TL_ASSIGN_OR_RETURN(s.validator, d.Get<32>());
    TL_ASSIGN_OR_RETURN(s.signature, d.Get<64>());
  }
  TL_RETURN_IF_ERROR(d.Finish());
  return c;
}

}  // namespace tradeledger::ledger
