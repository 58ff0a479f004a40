// The authenticated, encrypted transport between validators (doc/adr/0015-peer-transport.md).
//
// Each validator listens for inbound connections and dials every other validator in the
// peer set. A connection is authenticated by a handshake in which both sides prove their
// static Ed25519 validator keys over fresh X25519 ephemeral keys; every frame after it is
// sealed with ChaCha20-Poly1305 under per-direction session keys. The outbound connection to
// a peer carries what we send to it; the inbound connection from a peer carries what it sends
// to us. So each pair of validators has two TCP connections and no tie-breaking races.
//
// Delivery is best effort, as consensus expects: messages are delivered to the handler
// exactly as sent and in order per connection, but a message may be lost when a connection
// drops (it is then redialled with exponential backoff and jitter, forever until Stop()) or
// when the peer's send queue is full. Nothing from a peer outside the set is delivered.
//
// Hostile input costs bounded memory and time and never stops honest peers: handshakes must
// finish within `handshake_timeout`, at most `max_handshaking` inbound handshakes run at once,
// a frame's length is checked before its buffer is allocated, and any malformed, forged,
// replayed or oversized input closes that one connection and is counted by reason
// (net/reasons.h). Inbound frames are delivered one at a time per connection, so a slow
// handler slows the sender through TCP flow control.
//
// Thread safety: every method may be called from any thread, except that Start() and Stop()
// are called by the one owning thread. The handler runs on transport threads: concurrently
// for different peers when `threads` > 1, never concurrently for one connection. It must be
// quick (hand the payload to a queue) and must not call Stop().
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/ed25519.h"

namespace tradeledger::net {

struct PeerAddress {
  crypto::PublicKey key;  // the validator's static key; the handshake must prove it
  std::string host;       // IP literal or host name
  uint16_t port = 0;
};

struct TransportOptions {
  crypto::KeyPair key;    // this validator's static key
  core::Hash32 chain_id;  // the ledger's chain id; peers of other chains are rejected
  std::string listen_address = "127.0.0.1";  // IPv4 or IPv6 literal
  uint16_t listen_port = 0;                  // 0: any free port (see port())
  std::vector<PeerAddress> peers;            // every other validator; our own key is ignored
  size_t max_frame_bytes = 80u << 20;        // largest payload sent or accepted
  size_t max_send_queue_bytes = 128u << 20;  // per peer; payload bytes plus 64 per message
  size_t max_handshaking = 64;               // inbound connections still in their handshake
  std::chrono::milliseconds handshake_timeout{5000};  // connect and handshake, per connection
  std::chrono::milliseconds backoff_min{100};   // first redial delay (halved by jitter at most)
  std::chrono::milliseconds backoff_max{5000};  // redial delays double up to this
  int threads = 1;                              // I/O threads, 1 or 2 is plenty
};

// Where the transport's log lines go (warning: true for problems, false for routine events
// such as a peer connecting). Default: stderr, prefixed "tradeledger net: ". Set once, before
// Start(); the sink may be called from any transport thread.
using LogSink = void (*)(bool warning, std::string_view message);
void SetLogSink(LogSink sink);

class Transport {
 public:
  // Runs on a transport thread for each payload received from the authenticated `from`.
  using Handler = std::function<void(const crypto::PublicKey& from, core::Bytes payload)>;

  // Validates the options (NET_BAD_OPTIONS) and binds the listening socket (NET_BIND_FAILED);
  // nothing is accepted, dialled or delivered before Start().
  static core::Result<std::unique_ptr<Transport>> Create(TransportOptions options, Handler handler);
  // Stops the transport if it is running.
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // The bound listening port.
  uint16_t port() const;

  // Starts accepting and dialling on background threads. Call at most once.
  void Start();
  // Closes every connection, joins the threads and drops queued messages; the handler is not
  // called after it returns. Idempotent; the transport cannot be restarted.
  void Stop();

  // Queues `payload` for `to` and returns true, or drops it and returns false (counted):
  // SEND_UNKNOWN_PEER, SEND_TOO_LARGE (over max_frame_bytes), SEND_QUEUE_FULL. Never blocks.
  // Messages queued while the peer is disconnected are sent once it reconnects.
  bool Send(const crypto::PublicKey& to, core::Bytes payload);
  // Queues one shared copy of `payload` for every peer (dropping it for peers whose queue is
  // full, counted).
  void Broadcast(const core::Bytes& payload);
  // Replaces the peer set (validator set change): removed peers are disconnected and their
  // queues dropped, added peers are dialled, a changed address is redialled. Our own key is
  // ignored; for a key listed twice the first entry counts.
  void SetPeers(std::vector<PeerAddress> peers);

  struct PeerStatus {
    crypto::PublicKey key;
    bool outbound_connected = false;  // authenticated outbound connection up
    bool inbound_connected = false;   // authenticated inbound connection up
    uint64_t frames_sent = 0;
    uint64_t frames_received = 0;
    uint64_t bytes_sent = 0;      // payload bytes
    uint64_t bytes_received = 0;  // payload bytes
    uint64_t dropped = 0;         // payloads Send/Broadcast dropped for this peer
  };
  // One entry per peer in the set, ordered by key.
  std::vector<PeerStatus> Peers() const;
  // Peers with an authenticated outbound connection.
  size_t ConnectedPeers() const;
  // Reason code (net/reasons.h) -> how often it happened since Create().
  std::map<std::string, uint64_t> Rejections() const;

 private:
  struct Impl;
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeledger::net
