#include "crypto/pbkdf2.h"

#include <openssl/evp.h>

#include <limits>

namespace tradeledger::crypto {

core::Result<core::Hash32> Pbkdf2Sha256(core::ByteSpan password, core::ByteSpan salt,
                                        uint32_t iterations) {
  if (iterations == 0 || iterations > static_cast<uint32_t>(std::numeric_limits<int>::max()) ||
      password.size() > static_cast<size_t>(std::numeric_limits<int>::max()) ||
      salt.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return core::Fail("CRYPTO_FAILED", "PBKDF2 parameters out of range");
  }
  core::Hash32 out;
  if (PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(password.data()),
                        static_cast<int>(password.size()), salt.data(),
                        static_cast<int>(salt.size()), static_cast<int>(iterations), EVP_sha256(),
                        static_cast<int>(out.data.size()), out.data.data()) != 1) {
    return core::Fail("CRYPTO_FAILED", "PBKDF2-HMAC-SHA256 failed");
  }
  return out;
}

}  // namespace tradeledger::crypto
