// Hostile peers played with raw sockets against validator A, while A and the honest B keep
// exchanging messages. Each attack must close that one connection and be counted by reason.
#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "net/frame.h"
#include "net/handshake.h"
#include "net/reasons.h"
#include "net/test_support.h"
#include "net/transport.h"

namespace tradeledger::net {
namespace {

using namespace testing;

class NetHostilePeerTest : public ::testing::Test {
 protected:
  void SetUp() override { Build(DefaultOptionsForA()); }

  static TransportOptions DefaultOptionsForA() {
    TransportOptions options = TestOptions(0);
    options.handshake_timeout = 300ms;
    return options;
  }

  // A knows B and Mallory; nothing answers at Mallory's address unless a test says so.
  void Build(TransportOptions a_options) {
    a_.reset();
    b_.reset();
    a_ = MakeNode(std::move(a_options));
    b_ = MakeNode(TestOptions(1));
    a_->transport->SetPeers({AddressOf(*b_), {mallory_.public_key, "127.0.0.1", UnusedPort()}});
    b_->transport->SetPeers({AddressOf(*a_)});
    a_->transport->Start();
    b_->transport->Start();
    ASSERT_TRUE(WaitFor([&] {
      return a_->transport->ConnectedPeers() == 1 && b_->transport->ConnectedPeers() == 1;
    }));
  }

  static PeerAddress AddressOf(const Node& node) {
    return {node.key.public_key, "127.0.0.1", node.transport->port()};
  }

  uint64_t Count(std::string_view code) const {
    return a_->transport->Rejections()[std::string(code)];
  }

  bool WaitCounted(std::string_view code, uint64_t at_least = 1) const {
    return WaitFor([&] { return Count(code) >= at_least; });
  }

  // A and B exchange a new message each way.
  void ExpectHonestTraffic() {
    const core::Bytes text = core::ToBytes("round " + std::to_string(++round_));
    ASSERT_TRUE(a_->transport->Send(b_->key.public_key, text));
    ASSERT_TRUE(b_->transport->Send(a_->key.public_key, text));
    EXPECT_TRUE(WaitFor([&] {
      auto at_b = b_->inbox->From(a_->key.public_key);
      auto at_a = a_->inbox->From(b_->key.public_key);
      return !at_b.empty() && at_b.back() == text && !at_a.empty() && at_a.back() == text;
    }));
  }

  // Completes a handshake with A as Mallory, a validator in A's set.
  std::optional<Established> HandshakeAsMallory(RawSocket& socket) {
    return HandshakeAsInitiator(socket, mallory_, TestChain(), a_->key.public_key);
  }

  static bool SendFrame(RawSocket& socket, FrameSealer& sealer, std::string_view text) {
    return socket.Send(sealer.Seal(core::AsBytes(text)));
  }

  crypto::KeyPair mallory_ = KeyFor(5);   // in A's peer set, but no honest node behind it
  crypto::KeyPair stranger_ = KeyFor(6);  // in nobody's set
  std::unique_ptr<Node> a_;
  std::unique_ptr<Node> b_;
  int round_ = 0;
};

TEST_F(NetHostilePeerTest, GarbageIsRejectedAsMalformed) {
  RawSocket http = RawSocket::Connect(a_->transport->port());
  http.Send(core::AsBytes("GET / HTTP/1.1\r\nHost: validator\r\n\r\n"));
  EXPECT_TRUE(http.WaitClosed());
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    RawSocket noise = RawSocket::Connect(a_->transport->port());
    noise.Send(RandomBytes(4096, seed));
    EXPECT_TRUE(noise.WaitClosed());
  }
  EXPECT_TRUE(WaitCounted(reason::kHandshakeMalformed, 6));
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, HugeHandshakeLengthIsRejectedUnread) {
  RawSocket socket = RawSocket::Connect(a_->transport->port());
  socket.Send(std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xFF});
  EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kHandshakeMalformed));
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, SlowlorisHandshakesTimeOutWithoutStallingOthers) {
  InitiatorHandshake handshake(mallory_, TestChain(), a_->key.public_key);
  core::Bytes hello = handshake.Hello();
  const FrameHeader header = EncodeFrameHeader(static_cast<uint32_t>(hello.size()));
  core::Bytes partial(header.begin(), header.end());
  partial.insert(partial.end(), hello.begin(), hello.begin() + 10);
  std::vector<RawSocket> held;
  for (int i = 0; i < 20; ++i) {
    held.push_back(RawSocket::Connect(a_->transport->port()));
    held.back().Send(partial);
  }
  ExpectHonestTraffic();  // while twenty handshakes hang
  for (RawSocket& socket : held) EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kHandshakeTimeout, 20));

  // Trickling one byte at a time does not extend the deadline.
  RawSocket trickle = RawSocket::Connect(a_->transport->port());
  auto start = std::chrono::steady_clock::now();
  size_t sent = 0;
  while (sent < partial.size() && trickle.Send(core::ByteSpan(partial).subspan(sent, 1))) {
    ++sent;
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(trickle.WaitClosed());
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, TruncatedHandshakeIsCountedIncomplete) {
  {
    RawSocket socket = RawSocket::Connect(a_->transport->port());
    socket.Send(std::vector<uint8_t>{0, 0, 0, 69, 'T', 'L'});
  }  // closed midway
  EXPECT_TRUE(WaitCounted(reason::kHandshakeIncomplete));
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, UnknownKeyIsRejected) {
  RawSocket socket = RawSocket::Connect(a_->transport->port());
  HandshakeAsInitiator(socket, stranger_, TestChain(), a_->key.public_key);
  EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kPeerUnknownKey));
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, OtherChainIsRejected) {
  core::Hash32 other_chain = TestChain();
  other_chain.data[0] ^= 1;
  RawSocket socket = RawSocket::Connect(a_->transport->port());
  EXPECT_FALSE(HandshakeAsInitiator(socket, mallory_, other_chain, a_->key.public_key));
  EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kHandshakeWrongChain));
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, HugeFrameAfterHandshakeIsRejectedUnread) {
  RawSocket socket = RawSocket::Connect(a_->transport->port());
  ASSERT_TRUE(HandshakeAsMallory(socket));
  socket.Send(std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xF0});
  EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kFrameTooLarge));
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, CorruptedFrameClosesTheConnection) {
  RawSocket socket = RawSocket::Connect(a_->transport->port());
  std::optional<Established> session = HandshakeAsMallory(socket);
  ASSERT_TRUE(session);
  FrameSealer sealer(session->keys.send);
  ASSERT_TRUE(SendFrame(socket, sealer, "genuine"));
  ASSERT_TRUE(WaitFor([&] { return a_->inbox->From(mallory_.public_key).size() == 1; }));
  EXPECT_EQ(a_->inbox->From(mallory_.public_key).front(), core::ToBytes("genuine"));

  core::Bytes forged = sealer.Seal(core::ToBytes("tampered"));
  forged[kFrameHeaderBytes + 3] ^= 0x20;
  socket.Send(forged);
  EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kFrameDecryptFailed));
  EXPECT_EQ(a_->inbox->From(mallory_.public_key).size(), 1u);
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, ReplayedFrameClosesTheConnection) {
  RawSocket socket = RawSocket::Connect(a_->transport->port());
  std::optional<Established> session = HandshakeAsMallory(socket);
  ASSERT_TRUE(session);
  FrameSealer sealer(session->keys.send);
  core::Bytes frame = sealer.Seal(core::ToBytes("vote"));
  socket.Send(frame);
  socket.Send(frame);
  EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kFrameDecryptFailed));
  EXPECT_EQ(a_->inbox->From(mallory_.public_key).size(), 1u);
  ExpectHonestTraffic();
}

TEST_F(NetHostilePeerTest, NewerInboundConnectionReplacesTheOlder) {
  auto mallory_inbound = [&] {
    for (const auto& peer : a_->transport->Peers()) {
      if (peer.key == mallory_.public_key) return peer.inbound_connected;
    }
    return false;
  };
  RawSocket first = RawSocket::Connect(a_->transport->port());
  ASSERT_TRUE(HandshakeAsMallory(first));
  ASSERT_TRUE(WaitFor(mallory_inbound));
  RawSocket second = RawSocket::Connect(a_->transport->port());
  std::optional<Established> session = HandshakeAsMallory(second);
  ASSERT_TRUE(session);
  EXPECT_TRUE(first.WaitClosed());
  FrameSealer sealer(session->keys.send);
  ASSERT_TRUE(SendFrame(second, sealer, "from the newer connection"));
  EXPECT_TRUE(WaitFor([&] { return a_->inbox->From(mallory_.public_key).size() == 1; }));
}

TEST_F(NetHostilePeerTest, HandshakeSlotsAreBounded) {
  TransportOptions options = DefaultOptionsForA();
  options.max_handshaking = 4;
  options.handshake_timeout = 3s;
  Build(options);
  std::vector<RawSocket> idle;
  for (int i = 0; i < 4; ++i) idle.push_back(RawSocket::Connect(a_->transport->port()));
  RawSocket extra = RawSocket::Connect(a_->transport->port());
  EXPECT_TRUE(extra.WaitClosed(1s));
  EXPECT_TRUE(WaitCounted(reason::kHandshakeSlotsFull));
  ExpectHonestTraffic();  // established connections are not affected
  idle.clear();           // closing them frees the slots
  RawSocket later = RawSocket::Connect(a_->transport->port());
  EXPECT_TRUE(HandshakeAsMallory(later));
}

// Points A's dialler for Mallory at a raw listener and accepts A's connection.
class NetHostileResponderTest : public NetHostilePeerTest {
 protected:
  std::optional<RawSocket> AcceptDialFromA() {
    a_->transport->SetPeers({AddressOf(*b_), {mallory_.public_key, "127.0.0.1", listener_.port()}});
    return listener_.Accept();
  }

  RawListener listener_;
};

TEST_F(NetHostileResponderTest, ResponderWithAnotherKeyIsRejected) {
  std::optional<RawSocket> accepted = AcceptDialFromA();
  ASSERT_TRUE(accepted);
  RawSocket& socket = *accepted;
  ResponderHandshake impostor(stranger_, TestChain());
  std::optional<core::Bytes> hello = socket.ReadMessage();
  ASSERT_TRUE(hello);
  socket.SendMessage(*impostor.OnHello(*hello));
  EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kPeerWrongKey));
  ExpectHonestTraffic();
}

TEST_F(NetHostileResponderTest, OutboundFramesOpenAndBytesBackAreRejected) {
  std::optional<RawSocket> accepted = AcceptDialFromA();
  ASSERT_TRUE(accepted);
  RawSocket& socket = *accepted;
  ResponderHandshake responder(mallory_, TestChain());
  std::optional<core::Bytes> hello = socket.ReadMessage();
  ASSERT_TRUE(hello);
  ASSERT_TRUE(socket.SendMessage(*responder.OnHello(*hello)));
  std::optional<core::Bytes> finish = socket.ReadMessage();
  ASSERT_TRUE(finish);
  auto session = responder.OnFinish(
      *finish, [&](const crypto::PublicKey& key) { return key == a_->key.public_key; });
  ASSERT_TRUE(session) << session.error().ToString();
  ASSERT_TRUE(WaitFor([&] { return a_->transport->ConnectedPeers() == 2; }));

  ASSERT_TRUE(a_->transport->Send(mallory_.public_key, core::ToBytes("for mallory")));
  std::optional<core::Bytes> header = socket.Read(kFrameHeaderBytes);
  ASSERT_TRUE(header);
  auto length = CheckFrameHeader({(*header)[0], (*header)[1], (*header)[2], (*header)[3]}, 1024);
  ASSERT_TRUE(length);
  std::optional<core::Bytes> body = socket.Read(*length);
  ASSERT_TRUE(body);
  FrameOpener opener(session->keys.receive);
  auto payload = opener.Open(*body);
  ASSERT_TRUE(payload);
  EXPECT_EQ(*payload, core::ToBytes("for mallory"));

  socket.Send(std::vector<uint8_t>{0});
  EXPECT_TRUE(socket.WaitClosed());
  EXPECT_TRUE(WaitCounted(reason::kFrameUnexpected));
  ExpectHonestTraffic();
}

}  // namespace
}  // namespace tradeledger::net
