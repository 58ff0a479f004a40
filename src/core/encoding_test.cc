#include "core/encoding.h"

#include <gtest/gtest.h>

namespace tradeledger::core {
namespace {

TEST(Encoding, GoldenBytes) {
  Encoder e;
  e.PutU8(1).PutU16(0x0203).PutU32(0x04050607).PutU64(0x08090a0b0c0d0e0fULL).PutBool(true);
  e.PutString("hi").PutBytes(Bytes{0xff});
  EXPECT_EQ(ToHex(e.bytes()),
            "01"                // u8
            "0203"              // u16 big-endian
            "04050607"          // u32
            "08090a0b0c0d0e0f"  // u64
            "01"                // bool
            "00000002"
            "6869"  // "hi"
            "00000001"
            "ff");  // bytes
}

TEST(Encoding, RoundTrips) {
  Encoder e;
  e.PutU8(7).PutU64(~0ULL).PutBool(false).PutString("héllo").PutBytes(Bytes{1, 2, 3});
  Bytes buf = std::move(e).Take();
  Decoder d(buf);
  EXPECT_EQ(*d.GetU8(), 7);
  EXPECT_EQ(*d.GetU64(), ~0ULL);
  EXPECT_EQ(*d.GetBool(), false);
  EXPECT_EQ(*d.GetString(100), "héllo");
  EXPECT_EQ(*d.GetOwnedBytes(100), (Bytes{1, 2, 3}));
  EXPECT_TRUE(d.Finish());
}

TEST(Encoding, RejectsTrailingBytes) {
  Bytes buf{0x01, 0x02};
  Decoder d(buf);
  ASSERT_TRUE(d.GetU8());
  EXPECT_EQ(d.Finish().error().code, "ENCODING_TRAILING_BYTES");
}

TEST(Encoding, RejectsTruncation) {
  Bytes buf{0x00, 0x00, 0x00};
  Decoder d(buf);
  EXPECT_EQ(d.GetU32().error().code, "ENCODING_TRUNCATED");
}

TEST(Encoding, RejectsLengthBeyondLimitBeforeReading) {
  Bytes buf{0xff, 0xff, 0xff, 0xff};
  Decoder d(buf);
  EXPECT_EQ(d.GetBytes(1024).error().code, "ENCODING_LENGTH_EXCEEDED");
}

TEST(Encoding, RejectsLengthBeyondInput) {
  Bytes buf{0x00, 0x00, 0x00, 0x05, 0x01};
  Decoder d(buf);
  EXPECT_EQ(d.GetBytes(1024).error().code, "ENCODING_TRUNCATED");
}

TEST(Encoding, RejectsNonCanonicalBool) {
  Bytes buf{0x02};
  Decoder d(buf);
  EXPECT_EQ(d.GetBool().error().code, "ENCODING_BAD_BOOL");
}

TEST(Encoding, RejectsWrongVersion) {
  Bytes buf{0x02};
  Decoder d(buf);
  EXPECT_EQ(d.ExpectVersion(1).error().code, "ENCODING_BAD_VERSION");
}

TEST(Encoding, RejectsCountAboveLimit) {
  Bytes buf{0x00, 0x00, 0x01, 0x00};
  Decoder d(buf);
  EXPECT_EQ(d.GetCount(255).error().code, "ENCODING_LENGTH_EXCEEDED");
}

TEST(Utf8, AcceptsValidAndRejectsMalformed) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Señal 中文 😀"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // > U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe2\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));              // lone continuation
}

TEST(Encoding, StringRejectsInvalidUtf8) {
  Encoder e;
  e.PutBytes(Bytes{0xc0, 0xaf});
  Decoder d(e.bytes());
  EXPECT_EQ(d.GetString(10).error().code, "ENCODING_BAD_UTF8");
}

}  // namespace
}  // namespace tradeledger::core
