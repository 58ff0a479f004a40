#include "core/bytes.h"

#include <gtest/gtest.h>

namespace tradeledger::core {
namespace {

TEST(Hex, RoundTripsEveryByteValue) {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  std::string hex = ToHex(all);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  auto back = FromHex(hex);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, all);
}

TEST(Hex, AcceptsUpperCase) {
  auto b = FromHex("ABcd");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, (Bytes{0xab, 0xcd}));
}

TEST(Hex, RejectsOddLengthAndNonHex) {
  EXPECT_EQ(FromHex("abc").error().code, "HEX_INVALID");
  EXPECT_EQ(FromHex("zz").error().code, "HEX_INVALID");
}

TEST(Base64, MatchesRfc4648TestVectors) {
  // RFC 4648 section 10.
  const std::pair<std::string, std::string> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(ToBase64(AsBytes(plain)), encoded);
    auto decoded = FromBase64(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(AsStringView(*decoded), plain);
  }
}

TEST(Base64, RejectsNonCanonicalForms) {
  EXPECT_FALSE(FromBase64("Zg="));       // bad length
  EXPECT_FALSE(FromBase64("Zh=="));      // non-zero trailing bits
  EXPECT_FALSE(FromBase64("Zm9=v"));     // padding inside
  EXPECT_FALSE(FromBase64("Zm9v!A=="));  // outside the alphabet
  EXPECT_FALSE(FromBase64("Zg==Zg=="));  // padding before the end
}

TEST(FixedBytes, RejectsWrongLength) {
  EXPECT_EQ(Hash32::FromSpan(Bytes(31)).error().code, "LENGTH_INVALID");
  EXPECT_TRUE(Hash32::FromSpan(Bytes(32)));
  EXPECT_TRUE(Hash32{}.IsZero());
}

}  // namespace
}  // namespace tradeledger::core
