#include "crypto/sha256.h"

#include <openssl/evp.h>

#include "core/result.h"

namespace tradeledger::crypto {
namespace {

const EVP_MD* FetchedSha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  TL_CHECK(md != nullptr);
  return md;
}

EVP_MD_CTX* Ctx(void* p) { return static_cast<EVP_MD_CTX*>(p); }

void Init(EVP_MD_CTX* ctx) { TL_CHECK(EVP_DigestInit_ex2(ctx, FetchedSha256(), nullptr) == 1); }

}  // namespace

Sha256::Sha256() : ctx_(EVP_MD_CTX_new()) {
  TL_CHECK(ctx_ != nullptr);
  Init(Ctx(ctx_));
}

Sha256::~Sha256() { EVP_MD_CTX_free(Ctx(ctx_)); }

Sha256& Sha256::Update(ByteSpan bytes) {
  TL_CHECK(EVP_DigestUpdate(Ctx(ctx_), bytes.data(), bytes.size()) == 1);
  return *this;
}

Hash32 Sha256::Finish() {
  Hash32 out;
  unsigned int len = 0;
  TL_CHECK(EVP_DigestFinal_ex(Ctx(ctx_), out.data.data(), &len) == 1);
  TL_CHECK(len == Hash32::kSize);
  Init(Ctx(ctx_));
  return out;
}

Hash32 Sha256Of(ByteSpan bytes) { return Sha256Of({bytes}); }

Hash32 Sha256Of(std::initializer_list<ByteSpan> parts) {
  thread_local Sha256 hasher;
  for (ByteSpan p : parts) hasher.Update(p);
  return hasher.Finish();
}

}  // namespace tradeledger::crypto
