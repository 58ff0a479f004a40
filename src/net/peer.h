// Internal: one remote validator: its send queue, counters, connections and redial loop.
//
// Thread safety / invariants
// - Public methods may be called from any thread. `mu_` guards the queue, the connection
//   pointers, the address and the backoff; the counters are atomics.
// - The dialling state (resolver, redial timer) is used only on `strand_`.
// - At most one outbound connection exists at a time: a new one is dialled only after the
//   previous one reported OnOutboundClosed(). A newer authenticated inbound connection
//   replaces (closes) the older one.
// - Once Shutdown() or Abort() ran the peer is inert: nothing is queued or dialled, and
//   connections that still report in are closed.
#pragma once

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <chrono>
#include <deque>
#include <memory>
#include <mutex>

#include "net/transport.h"

namespace tradeledger::net {

class Connection;
class Hub;

class Peer : public std::enable_shared_from_this<Peer> {
 public:
  using Payload = std::shared_ptr<const core::Bytes>;

  Peer(std::shared_ptr<Hub> hub, PeerAddress address);
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  const crypto::PublicKey& key() const { return key_; }

  // Queues a payload; false (counted) when it is too large or the queue is full.
  bool Enqueue(Payload payload);
  Transport::PeerStatus Status() const;
  bool outbound_connected() const;
  // Dials for the first time.
  void StartDialing();
  // Takes effect at the next dial; a changed address closes the current outbound connection.
  void SetAddress(const std::string& host, uint16_t port);
  // Closes both connections, drops the queue and stops redialling.
  void Shutdown();
  // As Shutdown(), synchronously. Only when no transport thread runs.
  void Abort();

  // --- Called by this peer's connections, on their strands. ---
  // The next payload to send, or null; it leaves the queue's byte count.
  Payload PopForSend();
  // False when the connection is not (or no longer) this peer's outbound one: it must close.
  bool OnOutboundReady(const std::shared_ptr<Connection>& connection);
  void OnOutboundClosed(const Connection* connection);
  // False when the peer has been shut down (the connection must close).
  bool AttachInbound(const std::shared_ptr<Connection>& connection);
  void DetachInbound(const Connection* connection);
  void CountSent(size_t payload_bytes);
  void CountReceived(size_t payload_bytes);

 private:
  void Dial();
  void ScheduleRedial();
  std::chrono::milliseconds NextBackoff();

  const std::shared_ptr<Hub> hub_;
  const crypto::PublicKey key_;
  boost::asio::strand<boost::asio::io_context::executor_type> strand_;
  boost::asio::ip::tcp::resolver resolver_;  // on strand_
  boost::asio::steady_timer redial_timer_;   // on strand_

  mutable std::mutex mu_;
  std::string host_;                      // guarded by mu_
  uint16_t port_ = 0;                     // guarded by mu_
  bool shut_down_ = false;                // guarded by mu_
  std::deque<Payload> queue_;             // guarded by mu_
  size_t queue_bytes_ = 0;                // guarded by mu_
  std::shared_ptr<Connection> outbound_;  // guarded by mu_: dialling, handshaking or ready
  bool outbound_ready_ = false;           // guarded by mu_
  std::shared_ptr<Connection> inbound_;   // guarded by mu_: authenticated only
  int failed_dials_ = 0;                  // guarded by mu_: since the last authentication
  // guarded by mu_: when the peer was last lost, or this Peer made; for the unreachable log
  std::chrono::steady_clock::time_point down_since_ = std::chrono::steady_clock::now();

  std::atomic<uint64_t> frames_sent_{0};
  std::atomic<uint64_t> frames_received_{0};
  std::atomic<uint64_t> bytes_sent_{0};
  std::atomic<uint64_t> bytes_received_{0};
  std::atomic<uint64_t> dropped_{0};
};

}  // namespace tradeledger::net
