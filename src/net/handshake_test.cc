#include "net/handshake.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/encoding.h"
#include "crypto/sha256.h"
#include "net/frame.h"
#include "net/reasons.h"
#include "net/test_support.h"

namespace tradeledger::net {
namespace {

using testing::KeyFor;
using testing::TestChain;

// Offsets inside the messages (see handshake.h).
constexpr size_t kHelloVersionAt = 4;
constexpr size_t kHelloChainAt = 5;
constexpr size_t kReplyStaticAt = 32;
constexpr size_t kReplySignatureAt = 64;
constexpr size_t kFinishSignatureAt = 32;

bool SameKey(const Secret32& a, const Secret32& b) {
  return std::memcmp(a.data(), b.data(), Secret32::kSize) == 0;
}

KeyFilter Allow(const crypto::PublicKey& key) {
  return [key](const crypto::PublicKey& candidate) { return candidate == key; };
}

// Sends one payload through a session and reports whether it opened.
bool Talks(const SessionKeys& from, const SessionKeys& to) {
  FrameSealer sealer(from.send);
  FrameOpener opener(to.receive);
  core::Bytes frame = sealer.Seal(core::ToBytes("ping"));
  auto opened = opener.Open(core::Bytes(frame.begin() + kFrameHeaderBytes, frame.end()));
  return opened && *opened == core::ToBytes("ping");
}

class NetHandshakeTest : public ::testing::Test {
 protected:
  crypto::KeyPair initiator_key_ = KeyFor(1);
  crypto::KeyPair responder_key_ = KeyFor(2);
  InitiatorHandshake initiator_{initiator_key_, TestChain(), responder_key_.public_key};
  ResponderHandshake responder_{responder_key_, TestChain()};
};

TEST_F(NetHandshakeTest, BothSidesDeriveTheSameDirectionalKeys) {
  auto reply = responder_.OnHello(initiator_.Hello());
  ASSERT_TRUE(reply) << reply.error().ToString();
  auto finished = initiator_.OnReply(*reply);
  ASSERT_TRUE(finished) << finished.error().ToString();
  auto established = responder_.OnFinish(finished->finish, Allow(initiator_key_.public_key));
  ASSERT_TRUE(established) << established.error().ToString();

  EXPECT_EQ(finished->session.peer, responder_key_.public_key);
  EXPECT_EQ(established->peer, initiator_key_.public_key);
  const SessionKeys& i = finished->session.keys;
  const SessionKeys& r = established->keys;
  EXPECT_TRUE(SameKey(i.send, r.receive));
  EXPECT_TRUE(SameKey(i.receive, r.send));
  EXPECT_FALSE(SameKey(i.send, i.receive));
  EXPECT_TRUE(Talks(i, r));
  EXPECT_TRUE(Talks(r, i));
}

TEST_F(NetHandshakeTest, MessageLayoutsArePinned) {
  core::Bytes hello = initiator_.Hello();
  ASSERT_EQ(hello.size(), 69u);
  EXPECT_EQ(core::AsStringView(core::ByteSpan(hello).first(4)), "TLP2");
  EXPECT_EQ(hello[kHelloVersionAt], kProtocolVersion);
  const core::Hash32 chain = TestChain();
  EXPECT_TRUE(std::equal(chain.data.begin(), chain.data.end(), hello.begin() + kHelloChainAt));
  core::Bytes reply = *responder_.OnHello(hello);
  ASSERT_EQ(reply.size(), 128u);
  EXPECT_TRUE(std::equal(responder_key_.public_key.data.begin(),
                         responder_key_.public_key.data.end(), reply.begin() + kReplyStaticAt));
  auto finished = initiator_.OnReply(reply);
  ASSERT_TRUE(finished);
  ASSERT_EQ(finished->finish.size(), 96u);
  EXPECT_TRUE(std::equal(initiator_key_.public_key.data.begin(),
                         initiator_key_.public_key.data.end(), finished->finish.begin()));
}

TEST_F(NetHandshakeTest, EverySessionHasFreshKeys) {
  auto run = [&] {
    InitiatorHandshake initiator(initiator_key_, TestChain(), responder_key_.public_key);
    ResponderHandshake responder(responder_key_, TestChain());
    auto finished = initiator.OnReply(*responder.OnHello(initiator.Hello()));
    return std::move(finished->session.keys);
  };
  SessionKeys first = run();
  SessionKeys second = run();
  EXPECT_FALSE(SameKey(first.send, second.send));
}

TEST_F(NetHandshakeTest, ResponderRejectsOtherChain) {
  core::Bytes hello = initiator_.Hello();
  hello[kHelloChainAt] ^= 0x01;
  auto reply = responder_.OnHello(hello);
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().code, reason::kHandshakeWrongChain);
}

TEST_F(NetHandshakeTest, ResponderRejectsOtherVersionAndGarbage) {
  core::Bytes hello = initiator_.Hello();
  hello[kHelloVersionAt] = 2;
  EXPECT_EQ(responder_.OnHello(hello).error().code, reason::kHandshakeBadVersion);

  ResponderHandshake fresh(responder_key_, TestChain());
  EXPECT_EQ(fresh.OnHello(core::ToBytes("GET / HTTP/1.1\r\n")).error().code,
            reason::kHandshakeMalformed);
  core::Bytes long_hello = initiator_.Hello();
  long_hello.push_back(0);
  EXPECT_EQ(fresh.OnHello(long_hello).error().code, reason::kHandshakeMalformed);
}

TEST_F(NetHandshakeTest, ResponderRejectsLowOrderEphemeralKey) {
  core::Bytes hello = initiator_.Hello();
  std::fill(hello.end() - 32, hello.end(), 0);  // the identity point
  EXPECT_EQ(responder_.OnHello(hello).error().code, reason::kHandshakeMalformed);
}

TEST_F(NetHandshakeTest, InitiatorRejectsTamperedTranscript) {
  core::Bytes reply = *responder_.OnHello(initiator_.Hello());
  reply[3] ^= 0x01;  // the responder's ephemeral key, covered by its signature
  auto finished = initiator_.OnReply(reply);
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, reason::kHandshakeBadSignature);
}

TEST_F(NetHandshakeTest, InitiatorRejectsTamperedSignature) {
  core::Bytes reply = *responder_.OnHello(initiator_.Hello());
  reply[kReplySignatureAt + 10] ^= 0x01;
  auto finished = initiator_.OnReply(reply);
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, reason::kHandshakeBadSignature);
}

TEST_F(NetHandshakeTest, InitiatorRejectsResponderWithAnotherKey) {
  crypto::KeyPair impostor = KeyFor(3);
  ResponderHandshake responder(impostor, TestChain());
  auto finished = initiator_.OnReply(*responder.OnHello(initiator_.Hello()));
  ASSERT_FALSE(finished);
  EXPECT_EQ(finished.error().code, reason::kPeerWrongKey);
}

TEST_F(NetHandshakeTest, InitiatorRejectsSubstitutedStaticKey) {
  // The dialled key with a signature by someone else: the signature must not verify.
  crypto::KeyPair impostor = KeyFor(3);
  ResponderHandshake responder(impostor, TestChain());
  core::Bytes reply = *responder.OnHello(initiator_.Hello());
  std::copy(responder_key_.public_key.data.begin(), responder_key_.public_key.data.end(),
            reply.begin() + kReplyStaticAt);
  EXPECT_EQ(initiator_.OnReply(reply).error().code, reason::kHandshakeBadSignature);
}

TEST_F(NetHandshakeTest, ResponderRejectsUnknownInitiator) {
  auto finished = initiator_.OnReply(*responder_.OnHello(initiator_.Hello()));
  auto established = responder_.OnFinish(finished->finish, Allow(KeyFor(9).public_key));
  ASSERT_FALSE(established);
  EXPECT_EQ(established.error().code, reason::kPeerUnknownKey);
}

TEST_F(NetHandshakeTest, ResponderRejectsTamperedInitiatorSignature) {
  auto finished = initiator_.OnReply(*responder_.OnHello(initiator_.Hello()));
  finished->finish[kFinishSignatureAt] ^= 0x01;
  auto established = responder_.OnFinish(finished->finish, Allow(initiator_key_.public_key));
  ASSERT_FALSE(established);
  EXPECT_EQ(established.error().code, reason::kHandshakeBadSignature);
}

TEST_F(NetHandshakeTest, ResponderRejectsFinishReplayedFromAnotherSession) {
  auto finished = initiator_.OnReply(*responder_.OnHello(initiator_.Hello()));
  ASSERT_TRUE(finished);
  InitiatorHandshake initiator(initiator_key_, TestChain(), responder_key_.public_key);
  ResponderHandshake responder(responder_key_, TestChain());
  ASSERT_TRUE(responder.OnHello(initiator.Hello()));
  auto established = responder.OnFinish(finished->finish, Allow(initiator_key_.public_key));
  ASSERT_FALSE(established);
  EXPECT_EQ(established.error().code, reason::kHandshakeBadSignature);
}

TEST_F(NetHandshakeTest, ResignedFinishYieldsKeysTheInitiatorDoesNotHave) {
  // A validator in the middle relays the honest hello and reply, then replaces the finish
  // with its own key and a valid signature over the transcript naming its key (every input
  // is public). The responder accepts the session as the middle's, but the session keys
  // bind the initiator's identity, so the honest initiator's frames do not open there.
  crypto::KeyPair middle = KeyFor(4);
  core::Bytes hello = initiator_.Hello();
  core::Bytes reply = *responder_.OnHello(hello);
  auto honest = initiator_.OnReply(reply);
  ASSERT_TRUE(honest);

  core::Encoder transcript;
  transcript.PutFixed(core::AsBytes(kHandshakeContext)).PutU8(0);
  transcript.PutU8(kProtocolVersion).Put(TestChain());
  transcript.PutFixed(core::ByteSpan(hello).last(32));   // initiator's ephemeral
  transcript.PutFixed(core::ByteSpan(reply).first(64));  // responder's ephemeral, static
  transcript.Put(middle.public_key);
  core::Encoder signed_message;
  signed_message.PutFixed(core::AsBytes(kHandshakeContext)).PutU8(0).PutString("initiator");
  signed_message.Put(crypto::Sha256Of(transcript.bytes()));
  core::Encoder forged_finish;
  forged_finish.Put(middle.public_key).Put(crypto::Sign(middle.secret_key, signed_message.bytes()));

  auto established = responder_.OnFinish(forged_finish.bytes(), Allow(middle.public_key));
  ASSERT_TRUE(established) << established.error().ToString();
  EXPECT_EQ(established->peer, middle.public_key);
  EXPECT_FALSE(Talks(honest->session.keys, established->keys));
}

}  // namespace
}  // namespace tradeledger::net
