#include "crypto/sha256.h"

#include <gtest/gtest.h>

namespace tradeledger::crypto {
namespace {

using core::AsBytes;

TEST(Sha256, MatchesFips180Vectors) {
  EXPECT_EQ(Sha256Of(AsBytes("")).hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Of(AsBytes("abc")).hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Of(AsBytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).hex(),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, PiecesEqualWhole) {
  EXPECT_EQ(Sha256Of({AsBytes("ab"), AsBytes(""), AsBytes("c")}), Sha256Of(AsBytes("abc")));
  Sha256 h;
  h.Update(AsBytes("a")).Update(AsBytes("bc"));
  EXPECT_EQ(h.Finish(), Sha256Of(AsBytes("abc")));
  // Finish resets the hasher.
  EXPECT_EQ(h.Finish(), Sha256Of(AsBytes("")));
}

}  // namespace
}  // namespace tradeledger::crypto
