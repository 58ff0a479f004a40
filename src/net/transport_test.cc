#include "net/transport.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/reasons.h"
#include "net/test_support.h"

namespace tradeledger::net {
namespace {

using namespace testing;

core::Bytes Message(size_t from, size_t to, int seq) {
  return core::ToBytes("from " + std::to_string(from) + " to " + std::to_string(to) + " #" +
                       std::to_string(seq));
}

std::vector<std::unique_ptr<Node>> StartNodes(int count) {
  std::vector<std::unique_ptr<Node>> nodes;
  for (int i = 0; i < count; ++i) {
    TransportOptions options = TestOptions(i);
    options.threads = 1 + i % 2;  // both one and two I/O threads
    nodes.push_back(MakeNode(options));
  }
  ConnectAll(nodes);
  return nodes;
}

TEST(NetTransport, CreateRejectsBadOptionsAndBusyPort) {
  TransportOptions options = TestOptions(0);
  options.max_frame_bytes = 0;
  EXPECT_EQ(Transport::Create(options, nullptr).error().code, "NET_BAD_OPTIONS");
  options = TestOptions(0);
  options.listen_address = "not-an-address";
  EXPECT_EQ(Transport::Create(options, nullptr).error().code, "NET_BIND_FAILED");
  RawListener busy;
  options = TestOptions(0);
  options.listen_port = busy.port();
  EXPECT_EQ(Transport::Create(options, nullptr).error().code, "NET_BIND_FAILED");
}

TEST(NetTransport, FourValidatorsConnectToEachOther) {
  auto nodes = StartNodes(4);
  ASSERT_TRUE(WaitFor([&] { return FullyConnected(nodes); }));
  for (const auto& node : nodes) {
    EXPECT_EQ(node->transport->Peers().size(), 3u);
    EXPECT_TRUE(node->transport->Rejections().empty());
  }
}

TEST(NetTransport, SendDeliversExactPayloadsInOrderPerPeer) {
  auto nodes = StartNodes(4);
  ASSERT_TRUE(WaitFor([&] { return FullyConnected(nodes); }));
  constexpr int kMessages = 50;
  for (int seq = 0; seq < kMessages; ++seq) {
    for (size_t from = 0; from < nodes.size(); ++from) {
      for (size_t to = 0; to < nodes.size(); ++to) {
        if (from == to) continue;
        ASSERT_TRUE(
            nodes[from]->transport->Send(nodes[to]->key.public_key, Message(from, to, seq)));
      }
    }
  }
  const size_t expected = kMessages * (nodes.size() - 1);
  ASSERT_TRUE(WaitFor([&] {
    for (const auto& node : nodes) {
      if (node->inbox->Count() != expected) return false;
    }
    return true;
  }));
  for (size_t to = 0; to < nodes.size(); ++to) {
    for (size_t from = 0; from < nodes.size(); ++from) {
      if (from == to) continue;
      std::vector<core::Bytes> got = nodes[to]->inbox->From(nodes[from]->key.public_key);
      ASSERT_EQ(got.size(), static_cast<size_t>(kMessages));
      for (int seq = 0; seq < kMessages; ++seq) EXPECT_EQ(got[seq], Message(from, to, seq));
    }
  }
  auto status = nodes[0]->transport->Peers();
  for (const auto& peer : status) {
    EXPECT_EQ(peer.frames_sent, static_cast<uint64_t>(kMessages));
    EXPECT_EQ(peer.frames_received, static_cast<uint64_t>(kMessages));
    EXPECT_EQ(peer.dropped, 0u);
  }
}

TEST(NetTransport, BroadcastReachesEveryPeerButNotItself) {
  auto nodes = StartNodes(4);
  ASSERT_TRUE(WaitFor([&] { return FullyConnected(nodes); }));
  nodes[2]->transport->Broadcast(core::ToBytes("proposal"));
  nodes[2]->transport->Broadcast(core::ToBytes("vote"));
  ASSERT_TRUE(WaitFor([&] {
    return nodes[0]->inbox->Count() == 2 && nodes[1]->inbox->Count() == 2 &&
           nodes[3]->inbox->Count() == 2;
  }));
  EXPECT_EQ(nodes[2]->inbox->Count(), 0u);
  for (int i : {0, 1, 3}) {
    EXPECT_EQ(nodes[i]->inbox->From(nodes[2]->key.public_key),
              (std::vector<core::Bytes>{core::ToBytes("proposal"), core::ToBytes("vote")}));
  }
}

TEST(NetTransport, LargePayloadArrivesIntact) {
  auto nodes = StartNodes(2);
  ASSERT_TRUE(WaitFor([&] { return FullyConnected(nodes); }));
  core::Bytes big = RandomBytes(10 << 20, 42);
  ASSERT_TRUE(nodes[0]->transport->Send(nodes[1]->key.public_key, big));
  ASSERT_TRUE(WaitFor([&] { return nodes[1]->inbox->Count() == 1; }, 20s));
  EXPECT_EQ(nodes[1]->inbox->From(nodes[0]->key.public_key).front(), big);
}

TEST(NetTransport, DropsPayloadsOverTheFrameLimitAndUnknownPeers) {
  TransportOptions options = TestOptions(0);
  options.max_frame_bytes = 1024;
  options.peers = {{KeyFor(1).public_key, "127.0.0.1", UnusedPort()}};
  auto node = MakeNode(options);
  EXPECT_FALSE(node->transport->Send(KeyFor(1).public_key, core::Bytes(1025)));
  EXPECT_TRUE(node->transport->Send(KeyFor(1).public_key, core::Bytes(1024)));
  EXPECT_FALSE(node->transport->Send(KeyFor(7).public_key, core::Bytes(1)));
  EXPECT_FALSE(node->transport->Send(KeyFor(0).public_key, core::Bytes(1)));  // ourselves
  auto rejections = node->transport->Rejections();
  EXPECT_EQ(rejections[std::string(reason::kSendTooLarge)], 1u);
  EXPECT_EQ(rejections[std::string(reason::kSendUnknownPeer)], 2u);
  EXPECT_EQ(node->transport->Peers().at(0).dropped, 1u);
}

TEST(NetTransport, FullSendQueueDropsInsteadOfGrowing) {
  TransportOptions options = TestOptions(0);
  options.max_send_queue_bytes = 1 << 20;
  options.peers = {{KeyFor(1).public_key, "127.0.0.1", UnusedPort()}};  // never answers
  auto node = MakeNode(options);
  node->transport->Start();
  const core::Bytes chunk(300 << 10);
  int accepted = 0;
  int dropped = 0;
  for (int i = 0; i < 10; ++i) {
    (node->transport->Send(KeyFor(1).public_key, chunk) ? accepted : dropped) += 1;
  }
  EXPECT_EQ(accepted, 3);
  EXPECT_EQ(dropped, 7);
  node->transport->Broadcast(chunk);
  EXPECT_EQ(node->transport->Rejections()[std::string(reason::kSendQueueFull)], 8u);
  EXPECT_EQ(node->transport->Peers().at(0).dropped, 8u);
}

// What an operator reads about a peer that never answers: a line at the 1st, 2nd, 4th, ...
// failed dial, each saying for how long, and nothing in between.
std::mutex log_mu;
std::vector<std::string> log_lines;  // guarded by log_mu
void CaptureLog(bool warning, std::string_view message) {
  std::lock_guard lock(log_mu);
  if (warning) log_lines.emplace_back(message);
}

TEST(NetTransport, AnUnreachablePeerIsLoggedAtDoublingAttempts) {
  uint16_t closed_port = 0;
  {
    RawListener listener;  // a port that was just free, closed again: dials are refused
    closed_port = listener.port();
  }
  SetLogSink(&CaptureLog);
  TransportOptions options = TestOptions(0);
  options.peers = {{KeyFor(1).public_key, "127.0.0.1", closed_port}};
  auto node = MakeNode(options);
  node->transport->Start();
  auto lines_about = [&](const std::string& what) {
    std::lock_guard lock(log_mu);
    return std::count_if(log_lines.begin(), log_lines.end(), [&](const std::string& line) {
      return line.find("cannot reach peer") != std::string::npos &&
             line.find(what) != std::string::npos;
    });
  };
  EXPECT_TRUE(WaitFor([&] { return lines_about(" 8 dial attempt(s) failed") == 1; }));
  node.reset();
  SetLogSink(nullptr);
  EXPECT_EQ(lines_about(" 1 dial attempt(s) failed"), 1);
  EXPECT_EQ(lines_about(" 2 dial attempt(s) failed"), 1);
  EXPECT_EQ(lines_about(" 4 dial attempt(s) failed"), 1);
  EXPECT_EQ(lines_about(" 3 dial attempt(s) failed"), 0);
  EXPECT_EQ(lines_about(" 5 dial attempt(s) failed"), 0);
  EXPECT_EQ(lines_about("127.0.0.1:" + std::to_string(closed_port)), lines_about("dial attempt"));
}

TEST(NetTransport, RestartedPeerIsRedialledAndReceivesAgain) {
  auto nodes = StartNodes(2);
  ASSERT_TRUE(WaitFor([&] { return FullyConnected(nodes); }));
  const uint16_t port = nodes[1]->transport->port();
  nodes[1].reset();  // stops it
  ASSERT_TRUE(WaitFor([&] { return nodes[0]->transport->ConnectedPeers() == 0; }));

  TransportOptions options = TestOptions(1);
  options.listen_port = port;
  options.peers = {{nodes[0]->key.public_key, "127.0.0.1", nodes[0]->transport->port()}};
  nodes[1] = MakeNode(options);
  nodes[1]->transport->Start();
  ASSERT_TRUE(WaitFor([&] { return FullyConnected(nodes); }));
  ASSERT_TRUE(nodes[0]->transport->Send(nodes[1]->key.public_key, core::ToBytes("again")));
  ASSERT_TRUE(nodes[1]->transport->Send(nodes[0]->key.public_key, core::ToBytes("back")));
  ASSERT_TRUE(WaitFor([&] {
    return nodes[1]->inbox->Count() == 1 &&
           !nodes[0]->inbox->From(nodes[1]->key.public_key).empty();
  }));
  EXPECT_EQ(nodes[1]->inbox->From(nodes[0]->key.public_key).back(), core::ToBytes("again"));
}

TEST(NetTransport, SetPeersDialsAddedAndDropsRemovedValidators) {
  auto nodes = StartNodes(2);
  ASSERT_TRUE(WaitFor([&] { return FullyConnected(nodes); }));
  auto third = MakeNode(TestOptions(2));
  std::vector<PeerAddress> all;
  for (const Node* node : {nodes[0].get(), nodes[1].get(), third.get()}) {
    all.push_back({node->key.public_key, "127.0.0.1", node->transport->port()});
  }
  third->transport->SetPeers(all);
  third->transport->Start();
  nodes[0]->transport->SetPeers(all);
  ASSERT_TRUE(WaitFor([&] { return nodes[0]->transport->ConnectedPeers() == 2; }));

  // Node 0 leaves node 1's set: node 1 drops it, and node 0's connection attempts fail.
  nodes[1]->transport->SetPeers({all[1], all[2]});
  ASSERT_TRUE(WaitFor([&] {
    auto peers = nodes[1]->transport->Peers();
    return peers.size() == 1 && peers[0].key == third->key.public_key;
  }));
  EXPECT_FALSE(nodes[1]->transport->Send(nodes[0]->key.public_key, core::ToBytes("x")));
  ASSERT_TRUE(WaitFor([&] {
    return nodes[1]->transport->Rejections()[std::string(reason::kPeerUnknownKey)] >= 1;
  }));
  ASSERT_TRUE(nodes[0]->transport->Send(third->key.public_key, core::ToBytes("hi")));
  ASSERT_TRUE(WaitFor([&] { return third->inbox->Count() == 1; }));
}

// Blocks handlers until opened; opens itself when destroyed, so that a failing test does not
// leave a transport thread blocked while the transport is being stopped.
class HandlerGate {
 public:
  ~HandlerGate() { Open(); }
  void Wait() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return open_; });
  }
  void Open() {
    {
      std::lock_guard lock(mu_);
      open_ = true;
    }
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

TEST(NetTransport, SlowHandlerSlowsTheSenderInsteadOfBuffering) {
  std::atomic<int> delivered{0};
  auto gate = std::make_shared<HandlerGate>();
  auto receiver =
      Transport::Create(TestOptions(1), [gate, &delivered](const crypto::PublicKey&, core::Bytes) {
        gate->Wait();
        ++delivered;
      });
  ASSERT_TRUE(receiver);
  struct OpenOnExit {
    std::shared_ptr<HandlerGate> gate;
    ~OpenOnExit() { gate->Open(); }
  } open_on_exit{gate};  // destroyed before the receiver
  auto sender = MakeNode(TestOptions(0));
  (*receiver)->SetPeers({{sender->key.public_key, "127.0.0.1", sender->transport->port()}});
  sender->transport->SetPeers({{KeyFor(1).public_key, "127.0.0.1", (*receiver)->port()}});
  (*receiver)->Start();
  sender->transport->Start();
  ASSERT_TRUE(WaitFor([&] { return sender->transport->ConnectedPeers() == 1; }));

  constexpr int kFrames = 64;
  const core::Bytes chunk(1 << 20);
  for (int i = 0; i < kFrames; ++i) {
    ASSERT_TRUE(sender->transport->Send(KeyFor(1).public_key, chunk));
  }
  // With the handler blocked, the receiver reads no further frame, the socket buffers fill
  // and the sender stops writing; the rest waits in the sender's bounded queue.
  std::this_thread::sleep_for(300ms);
  EXPECT_LT(sender->transport->Peers().at(0).frames_sent, static_cast<uint64_t>(kFrames) / 2);
  EXPECT_EQ((*receiver)->Peers().at(0).frames_received, 1u);
  gate->Open();
  EXPECT_TRUE(WaitFor([&] { return delivered.load() == kFrames; }, 20s));
}

TEST(NetTransport, StopIsIdempotentAndEndsDelivery) {
  auto nodes = StartNodes(2);
  ASSERT_TRUE(WaitFor([&] { return FullyConnected(nodes); }));
  nodes[0]->transport->Stop();
  nodes[0]->transport->Stop();
  EXPECT_EQ(nodes[0]->transport->ConnectedPeers(), 0u);
  EXPECT_FALSE(nodes[0]->transport->Send(nodes[1]->key.public_key, core::ToBytes("late")));
  ASSERT_TRUE(WaitFor([&] { return nodes[1]->transport->ConnectedPeers() == 0; }));
  nodes[1]->transport->Send(nodes[0]->key.public_key, core::ToBytes("nobody listens"));
  EXPECT_EQ(nodes[0]->inbox->Count(), 0u);
}

TEST(NetTransport, HandlerMayReplyAndStopMayRaceSenders) {
  std::atomic<Transport*> echo_transport{nullptr};
  TransportOptions echo_options = TestOptions(1);
  echo_options.max_send_queue_bytes = 64 << 10;
  auto echo = Transport::Create(echo_options, [&](const crypto::PublicKey& from, core::Bytes in) {
    echo_transport.load()->Send(from, std::move(in));  // from a transport thread
  });
  ASSERT_TRUE(echo);
  echo_transport = echo->get();
  TransportOptions client_options = TestOptions(0);
  client_options.max_send_queue_bytes = 64 << 10;
  auto client = MakeNode(client_options);
  (*echo)->SetPeers({{client->key.public_key, "127.0.0.1", client->transport->port()}});
  client->transport->SetPeers({{KeyFor(1).public_key, "127.0.0.1", (*echo)->port()}});
  (*echo)->Start();
  client->transport->Start();
  ASSERT_TRUE(WaitFor(
      [&] { return client->transport->ConnectedPeers() == 1 && (*echo)->ConnectedPeers() == 1; }));

  std::atomic<bool> done{false};
  std::thread sender([&] {
    for (int i = 0; !done; ++i) {
      client->transport->Send(KeyFor(1).public_key, core::ToBytes(std::to_string(i)));
    }
  });
  EXPECT_TRUE(WaitFor([&] { return client->inbox->Count() >= 100; }));
  (*echo)->Stop();            // while its handler is replying
  client->transport->Stop();  // while another thread is sending
  done = true;
  sender.join();
  EXPECT_FALSE(client->transport->Send(KeyFor(1).public_key, core::ToBytes("after stop")));
}

}  // namespace
}  // namespace tradeledger::net
