#include "crypto/pbkdf2.h"

#include <gtest/gtest.h>

namespace tradeledger::crypto {
namespace {

using core::AsBytes;

// RFC 7914 §11 (first 32 bytes) and the widely published "password"/"salt" vectors.
TEST(Pbkdf2Sha256, MatchesPublishedVectors) {
  EXPECT_EQ(Pbkdf2Sha256(AsBytes("passwd"), AsBytes("salt"), 1)->hex(),
            "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc");
  EXPECT_EQ(Pbkdf2Sha256(AsBytes("password"), AsBytes("salt"), 1)->hex(),
            "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b");
  EXPECT_EQ(Pbkdf2Sha256(AsBytes("password"), AsBytes("salt"), 4096)->hex(),
            "c5e478d59288c841aa530db6845c4c8d962893a001ce4e11a4963873aa98134a");
}

TEST(Pbkdf2Sha256, RefusesZeroIterations) {
  auto r = Pbkdf2Sha256(AsBytes("p"), AsBytes("s"), 0);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "CRYPTO_FAILED");
}

}  // namespace
}  // namespace tradeledger::crypto
