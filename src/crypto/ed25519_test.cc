#include "crypto/ed25519.h"

#include <gtest/gtest.h>

namespace tradeledger::crypto {
namespace {

using core::AsBytes;

TEST(Ed25519, MatchesRfc8032TestVector1) {
  auto seed = Seed::FromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  ASSERT_TRUE(seed);
  KeyPair kp = KeyPair::FromSeed(*seed);
  EXPECT_EQ(kp.public_key.hex(),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  Signature sig = Sign(kp.secret_key, {});
  EXPECT_EQ(sig.hex(),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
            "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
  EXPECT_TRUE(Verify(kp.public_key, {}, sig));
  EXPECT_EQ(kp.secret_key.seed(), *seed);
}

TEST(Ed25519, RejectsAlteredMessageSignatureOrKey) {
  KeyPair kp = KeyPair::Generate();
  Signature sig = Sign(kp.secret_key, AsBytes("entry ABC-1234567-8"));
  EXPECT_TRUE(Verify(kp.public_key, AsBytes("entry ABC-1234567-8"), sig));
  EXPECT_FALSE(Verify(kp.public_key, AsBytes("entry ABC-1234567-9"), sig));
  Signature bad = sig;
  bad.data[10] ^= 1;
  EXPECT_FALSE(Verify(kp.public_key, AsBytes("entry ABC-1234567-8"), bad));
  EXPECT_FALSE(Verify(KeyPair::Generate().public_key, AsBytes("entry ABC-1234567-8"), sig));
}

TEST(Ed25519, GeneratedKeysDiffer) {
  EXPECT_NE(KeyPair::Generate().public_key, KeyPair::Generate().public_key);
}

}  // namespace
}  // namespace tradeledger::crypto
