// Test-only helpers for the net tests: keys, transports on loopback, an inbox that records
// deliveries, polling with deadlines, and raw POSIX sockets for playing a hostile peer.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>
#include <vector>

#include "core/bytes.h"
#include "crypto/ed25519.h"
#include "net/handshake.h"
#include "net/transport.h"

namespace tradeledger::net::testing {

using namespace std::chrono_literals;

crypto::KeyPair KeyFor(int index);
core::Hash32 TestChain();
core::Bytes RandomBytes(size_t size, uint32_t seed);

// Polls `done` every few milliseconds until it holds or `limit` passes.
bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit = 5s);

// Records every delivery, in order.
class Inbox {
 public:
  Transport::Handler Handler();
  std::vector<core::Bytes> From(const crypto::PublicKey& sender) const;
  size_t Count() const;

 private:
  mutable std::mutex mu_;
  std::vector<std::pair<crypto::PublicKey, core::Bytes>> received_;
};

// Options for validator `index` on loopback with short backoff and timeouts.
TransportOptions TestOptions(int index);

struct Node {
  crypto::KeyPair key;
  std::shared_ptr<Inbox> inbox = std::make_shared<Inbox>();
  std::unique_ptr<Transport> transport;
};

// Creates (not starts) a node; aborts the test binary if binding fails.
std::unique_ptr<Node> MakeNode(TransportOptions options);
// Points every node at all the others, then starts them.
void ConnectAll(const std::vector<std::unique_ptr<Node>>& nodes);
// True once every node has an authenticated connection both ways to every other one.
bool FullyConnected(const std::vector<std::unique_ptr<Node>>& nodes);
// A loopback port that nothing listens on (at the time of the call).
uint16_t UnusedPort();

// A blocking POSIX TCP socket on loopback, for hostile-peer tests.
class RawSocket {
 public:
  explicit RawSocket(int fd) : fd_(fd) {}
  static RawSocket Connect(uint16_t port);
  ~RawSocket();
  RawSocket(RawSocket&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  // Best effort: false once the other side has closed.
  bool Send(core::ByteSpan bytes);
  bool SendMessage(core::ByteSpan body);  // with a u32 length prefix
  // Exactly `size` bytes, or nullopt on close, error or timeout.
  std::optional<core::Bytes> Read(size_t size, std::chrono::milliseconds limit = 3s);
  std::optional<core::Bytes> ReadMessage(std::chrono::milliseconds limit = 3s);
  // True once the other side closes (bytes received meanwhile are discarded).
  bool WaitClosed(std::chrono::milliseconds limit = 3s);

 private:
  int fd_ = -1;
};

// A listening POSIX socket on loopback.
class RawListener {
 public:
  RawListener();
  ~RawListener();
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;
  uint16_t port() const { return port_; }
  std::optional<RawSocket> Accept(std::chrono::milliseconds limit = 3s);

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

// Runs the initiator side over `socket` and returns the session, or nullopt if the
// responder rejects or closes.
std::optional<Established> HandshakeAsInitiator(RawSocket& socket, const crypto::KeyPair& key,
                                                const core::Hash32& chain,
                                                const crypto::PublicKey& responder);

}  // namespace tradeledger::net::testing
