// SHA-256 through OpenSSL's EVP interface.
//
// The EVP_MD is fetched once per process and each thread reuses one digest context, which
// is what makes OpenSSL's SHA-NI path fast for the many small inputs a ledger hashes.
//
// Thread safety: Sha256Of() is safe from any thread. A Sha256 object is used by one thread.
#pragma once

#include <initializer_list>

#include "core/bytes.h"

namespace tradeledger::crypto {

using core::ByteSpan;
using core::Hash32;

// Incremental hasher for inputs that arrive in pieces.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  Sha256& Update(ByteSpan bytes);
  // Returns the digest of everything passed to Update since construction or the last Finish,
  // and resets the hasher.
  Hash32 Finish();

 private:
  void* ctx_;  // EVP_MD_CTX*
};

// The digest of one byte string.
Hash32 Sha256Of(ByteSpan bytes);
// The digest of the concatenation of several byte strings, without copying them together.
Hash32 Sha256Of(std::initializer_list<ByteSpan> parts);

}  // namespace tradeledger::crypto
