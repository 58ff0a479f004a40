#include "net/frame.h"

#include <gtest/gtest.h>

#include "net/reasons.h"
#include "net/test_support.h"

namespace tradeledger::net {
namespace {

using testing::RandomBytes;

Secret32 KeyOf(uint8_t fill) {
  Secret32 key;
  std::fill(key.data(), key.data() + Secret32::kSize, fill);
  return key;
}

FrameHeader HeaderOf(const core::Bytes& frame) {
  FrameHeader header;
  std::copy(frame.begin(), frame.begin() + kFrameHeaderBytes, header.begin());
  return header;
}

core::Bytes BodyOf(const core::Bytes& frame) {
  return core::Bytes(frame.begin() + kFrameHeaderBytes, frame.end());
}

TEST(NetFrameHeader, IsBigEndian) {
  EXPECT_EQ(EncodeFrameHeader(0x01020304u), (FrameHeader{1, 2, 3, 4}));
  EXPECT_EQ(DecodeFrameHeader(FrameHeader{0xFF, 0, 0, 0x10}), 0xFF000010u);
}

TEST(NetFrameHeader, RejectsOversizedLengthBeforeReadingTheBody) {
  auto ok = CheckFrameHeader(EncodeFrameHeader(1000 + kFrameTagBytes), 1000);
  ASSERT_TRUE(ok);
  EXPECT_EQ(*ok, 1000 + kFrameTagBytes);
  auto too_large = CheckFrameHeader(EncodeFrameHeader(1001 + kFrameTagBytes), 1000);
  ASSERT_FALSE(too_large);
  EXPECT_EQ(too_large.error().code, reason::kFrameTooLarge);
  auto huge = CheckFrameHeader(FrameHeader{0xFF, 0xFF, 0xFF, 0xFF}, 80u << 20);
  ASSERT_FALSE(huge);
  EXPECT_EQ(huge.error().code, reason::kFrameTooLarge);
}

TEST(NetFrameHeader, RejectsLengthShorterThanTag) {
  auto short_frame = CheckFrameHeader(EncodeFrameHeader(kFrameTagBytes - 1), 1000);
  ASSERT_FALSE(short_frame);
  EXPECT_EQ(short_frame.error().code, reason::kFrameDecryptFailed);
}

TEST(NetFrame, SealOpenRoundTripsInOrder) {
  FrameSealer sealer(KeyOf(7));
  FrameOpener opener(KeyOf(7));
  std::vector<core::Bytes> payloads = {{}, core::ToBytes("hello"), RandomBytes(1 << 20, 1)};
  for (const core::Bytes& payload : payloads) {
    core::Bytes frame = sealer.Seal(payload);
    ASSERT_EQ(frame.size(), kFrameHeaderBytes + payload.size() + kFrameTagBytes);
    auto length = CheckFrameHeader(HeaderOf(frame), 2 << 20);
    ASSERT_TRUE(length);
    EXPECT_EQ(*length, frame.size() - kFrameHeaderBytes);
    auto opened = opener.Open(BodyOf(frame));
    ASSERT_TRUE(opened) << opened.error().ToString();
    EXPECT_EQ(*opened, payload);
  }
  EXPECT_EQ(sealer.next_sequence(), 3u);
  EXPECT_EQ(opener.next_sequence(), 3u);
}

TEST(NetFrame, EqualPayloadsSealDifferently) {
  FrameSealer sealer(KeyOf(7));
  EXPECT_NE(sealer.Seal(core::ToBytes("same")), sealer.Seal(core::ToBytes("same")));
}

TEST(NetFrame, RejectsFlippedCiphertextByte) {
  for (size_t position : {size_t{0}, size_t{5}, size_t{20}}) {
    FrameOpener opener(KeyOf(7));
    core::Bytes body = BodyOf(FrameSealer(KeyOf(7)).Seal(core::ToBytes("payload")));
    body[position] ^= 0x01;
    auto opened = opener.Open(body);
    ASSERT_FALSE(opened) << "position " << position;
    EXPECT_EQ(opened.error().code, reason::kFrameDecryptFailed);
  }
}

TEST(NetFrame, RejectsTruncatedFrame) {
  FrameOpener opener(KeyOf(7));
  core::Bytes body = BodyOf(FrameSealer(KeyOf(7)).Seal(core::ToBytes("payload")));
  body.pop_back();
  EXPECT_FALSE(opener.Open(body));
  EXPECT_FALSE(FrameOpener(KeyOf(7)).Open(core::Bytes(kFrameTagBytes - 1)));
}

TEST(NetFrame, RejectsReplayedFrame) {
  FrameSealer sealer(KeyOf(7));
  FrameOpener opener(KeyOf(7));
  core::Bytes body = BodyOf(sealer.Seal(core::ToBytes("once")));
  ASSERT_TRUE(opener.Open(body));
  auto replayed = opener.Open(body);
  ASSERT_FALSE(replayed);
  EXPECT_EQ(replayed.error().code, reason::kFrameDecryptFailed);
}

TEST(NetFrame, RejectsReorderedFrames) {
  FrameSealer sealer(KeyOf(7));
  core::Bytes first = BodyOf(sealer.Seal(core::ToBytes("first")));
  core::Bytes second = BodyOf(sealer.Seal(core::ToBytes("second")));
  FrameOpener opener(KeyOf(7));
  auto opened = opener.Open(second);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, reason::kFrameDecryptFailed);
}

TEST(NetFrame, OpenerStaysFailedAfterARejection) {
  FrameSealer sealer(KeyOf(7));
  FrameOpener opener(KeyOf(7));
  core::Bytes bad = BodyOf(sealer.Seal(core::ToBytes("x")));
  bad.back() ^= 0x80;
  ASSERT_FALSE(opener.Open(bad));
  FrameSealer fresh(KeyOf(7));
  EXPECT_FALSE(opener.Open(BodyOf(fresh.Seal(core::ToBytes("x")))));
}

TEST(NetFrame, RejectsOtherKey) {
  FrameSealer sealer(KeyOf(7));
  core::Bytes body = BodyOf(sealer.Seal(core::ToBytes("payload")));
  EXPECT_FALSE(FrameOpener(KeyOf(8)).Open(body));
}

TEST(NetFrame, LengthPrefixIsAuthenticated) {
  // The same ciphertext announced under a different length (by cutting the tag short and
  // padding) must not open: the header is associated data.
  FrameSealer sealer(KeyOf(7));
  core::Bytes body = BodyOf(sealer.Seal(core::ToBytes("payload")));
  body.push_back(0);
  EXPECT_FALSE(FrameOpener(KeyOf(7)).Open(body));
}

}  // namespace
}  // namespace tradeledger::net
