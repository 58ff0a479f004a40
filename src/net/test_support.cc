#include "net/test_support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <thread>

#include "net/frame.h"

namespace tradeledger::net::testing {

namespace {

sockaddr_in Loopback(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

sockaddr* AsSockaddr(sockaddr_in* address) { return reinterpret_cast<sockaddr*>(address); }

// Waits until `fd` is readable; false on timeout.
bool WaitReadable(int fd, std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (left.count() < 0) return false;
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(left.count())) > 0;
}

}  // namespace

crypto::KeyPair KeyFor(int index) {
  crypto::Seed seed;
  seed.data.fill(static_cast<uint8_t>(index + 1));
  return crypto::KeyPair::FromSeed(seed);
}

core::Hash32 TestChain() {
  core::Hash32 chain;
  chain.data.fill(0xC4);
  return chain;
}

core::Bytes RandomBytes(size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  core::Bytes out(size);
  for (uint8_t& b : out) b = static_cast<uint8_t>(rng());
  return out;
}

bool WaitFor(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(5ms);
  }
  return true;
}

Transport::Handler Inbox::Handler() {
  return [this](const crypto::PublicKey& from, core::Bytes payload) {
    std::lock_guard lock(mu_);
    received_.emplace_back(from, std::move(payload));
  };
}

std::vector<core::Bytes> Inbox::From(const crypto::PublicKey& sender) const {
  std::lock_guard lock(mu_);
  std::vector<core::Bytes> out;
  for (const auto& [from, payload] : received_) {
    if (from == sender) out.push_back(payload);
  }
  return out;
}

size_t Inbox::Count() const {
  std::lock_guard lock(mu_);
  return received_.size();
}

TransportOptions TestOptions(int index) {
  TransportOptions options;
  options.key = KeyFor(index);
  options.chain_id = TestChain();
  options.handshake_timeout = 1s;
  options.backoff_min = 20ms;
  options.backoff_max = 200ms;
  return options;
}

std::unique_ptr<Node> MakeNode(TransportOptions options) {
  auto node = std::make_unique<Node>();
  node->key = options.key;
  auto transport = Transport::Create(std::move(options), node->inbox->Handler());
  if (!transport) {
    std::fprintf(stderr, "cannot create transport: %s\n", transport.error().ToString().c_str());
    std::abort();
  }
  node->transport = std::move(*transport);
  return node;
}

void ConnectAll(const std::vector<std::unique_ptr<Node>>& nodes) {
  std::vector<PeerAddress> all;
  for (const auto& node : nodes) {
    all.push_back({node->key.public_key, "127.0.0.1", node->transport->port()});
  }
  for (const auto& node : nodes) node->transport->SetPeers(all);
  for (const auto& node : nodes) node->transport->Start();
}

bool FullyConnected(const std::vector<std::unique_ptr<Node>>& nodes) {
  for (const auto& node : nodes) {
    if (node->transport->ConnectedPeers() != nodes.size() - 1) return false;
    for (const auto& status : node->transport->Peers()) {
      if (!status.inbound_connected) return false;
    }
  }
  return true;
}

uint16_t UnusedPort() {
  RawListener listener;
  return listener.port();
}

RawSocket RawSocket::Connect(uint16_t port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(port);
  if (fd < 0 || ::connect(fd, AsSockaddr(&address), sizeof(address)) != 0) {
    std::perror("connect");
    std::abort();
  }
  return RawSocket(fd);
}

RawSocket::~RawSocket() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawSocket::Send(core::ByteSpan bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    sent += static_cast<size_t>(n);
  }
  return true;
}

bool RawSocket::SendMessage(core::ByteSpan body) {
  // One write: a second small write would wait for a delayed ACK (Nagle) and slow tests.
  FrameHeader header = EncodeFrameHeader(static_cast<uint32_t>(body.size()));
  core::Bytes message(header.begin(), header.end());
  message.insert(message.end(), body.begin(), body.end());
  return Send(message);
}

std::optional<core::Bytes> RawSocket::Read(size_t size, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  core::Bytes out(size);
  size_t got = 0;
  while (got < size) {
    if (!WaitReadable(fd_, deadline)) return std::nullopt;
    ssize_t n = ::recv(fd_, out.data() + got, size - got, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return std::nullopt;
    got += static_cast<size_t>(n);
  }
  return out;
}

std::optional<core::Bytes> RawSocket::ReadMessage(std::chrono::milliseconds limit) {
  std::optional<core::Bytes> header = Read(kFrameHeaderBytes, limit);
  if (!header) return std::nullopt;
  FrameHeader h;
  std::copy(header->begin(), header->end(), h.begin());
  uint32_t length = DecodeFrameHeader(h);
  if (length > kMaxHandshakeMessageBytes) return std::nullopt;
  return Read(length, limit);
}

bool RawSocket::WaitClosed(std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  uint8_t scratch[4096];
  while (WaitReadable(fd_, deadline)) {
    ssize_t n = ::recv(fd_, scratch, sizeof(scratch), 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;
  }
  return false;
}

RawListener::RawListener() {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address = Loopback(0);
  socklen_t length = sizeof(address);
  if (fd_ < 0 || ::bind(fd_, AsSockaddr(&address), sizeof(address)) != 0 ||
      ::listen(fd_, 16) != 0 || ::getsockname(fd_, AsSockaddr(&address), &length) != 0) {
    std::perror("listen");
    std::abort();
  }
  port_ = ntohs(address.sin_port);
}

RawListener::~RawListener() { ::close(fd_); }

std::optional<RawSocket> RawListener::Accept(std::chrono::milliseconds limit) {
  if (!WaitReadable(fd_, std::chrono::steady_clock::now() + limit)) return std::nullopt;
  int fd = ::accept(fd_, nullptr, nullptr);
  if (fd < 0) return std::nullopt;
  return RawSocket(fd);
}

std::optional<Established> HandshakeAsInitiator(RawSocket& socket, const crypto::KeyPair& key,
                                                const core::Hash32& chain,
                                                const crypto::PublicKey& responder) {
  InitiatorHandshake handshake(key, chain, responder);
  if (!socket.SendMessage(handshake.Hello())) return std::nullopt;
  std::optional<core::Bytes> reply = socket.ReadMessage();
  if (!reply) return std::nullopt;
  auto finished = handshake.OnReply(*reply);
  if (!finished || !socket.SendMessage(finished->finish)) return std::nullopt;
  return std::move(finished->session);
}

}  // namespace tradeledger::net::testing
