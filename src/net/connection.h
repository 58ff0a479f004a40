// Internal: one TCP connection between two validators, either direction.
//
// An outbound connection runs the initiator side of the handshake and then writes the
// peer's queued payloads as frames; it accepts no bytes back (FRAME_UNEXPECTED). An inbound
// connection runs the responder side and then reads frames, delivering each one to the
// handler before reading the next.
//
// Thread safety / invariants
// - All state, the socket and the timer are used only on the connection's strand (the
//   socket's executor). Close() and Kick() may be called from any thread: they post.
// - A connection is owned by its pending handlers and by the Peer it is attached to; it
//   holds its Peer and the Hub, so both outlive it.
// - An inbound connection holds one of the Hub's `handshaking` slots from construction
//   until its handshake ends (either way).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "net/frame.h"
#include "net/handshake.h"

namespace tradeledger::net {

class Hub;
class Peer;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  using Socket = boost::asio::ip::tcp::socket;

  // An accepted connection; the caller has taken a `handshaking` slot for it.
  static std::shared_ptr<Connection> Inbound(std::shared_ptr<Hub> hub, Socket socket);
  // A connection to `peer`, whose key the responder must prove; `socket` is not yet open.
  static std::shared_ptr<Connection> Outbound(std::shared_ptr<Hub> hub, std::shared_ptr<Peer> peer,
                                              Socket socket);

  Connection(std::shared_ptr<Hub> hub, std::shared_ptr<Peer> peer, Socket socket);
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Inbound: starts the handshake.
  void Start();
  // Outbound: connects to the first endpoint that answers, then starts the handshake.
  void Connect(boost::asio::ip::tcp::resolver::results_type endpoints);
  // Closes the connection (asynchronously); the Peer hears of it. Idempotent.
  void Close();
  // Outbound: starts writing queued payloads unless a write is already under way.
  void Kick();
  // Closes the socket now, without telling anyone. Only when no transport thread runs.
  void Abort();

 private:
  enum class Phase { kConnecting, kHandshake, kOpen, kClosed };
  // Reads one length-prefixed handshake message into buffer_, or writes one, then runs
  // `then`. The pending operation holds the connection, so `then` may capture it raw.
  void ReadHandshakeMessage(std::function<void()> then);
  void OnHandshakeHeader();
  void WriteHandshakeMessage(const core::Bytes& body, std::function<void()> then);
  void OnHello(const core::Bytes& hello);
  void OnFinish(const core::Bytes& finish);
  void OnReply(const core::Bytes& reply);
  void ReadFrame();
  void OnFrameHeader();
  void WatchForBytes();
  void WriteNext();
  void ArmDeadline();
  void OnHandshakeError(const boost::system::error_code& ec);
  void Fail(std::string_view code, std::string_view detail);
  void CloseOnStrand();

  const std::shared_ptr<Hub> hub_;
  std::shared_ptr<Peer> peer_;  // outbound: from the start; inbound: once authenticated
  const bool outbound_;
  Socket socket_;
  boost::asio::steady_timer deadline_;
  std::string remote_;  // "address:port", for logs
  Phase phase_ = Phase::kConnecting;
  bool holds_handshake_slot_ = false;
  std::optional<InitiatorHandshake> initiator_;
  std::optional<ResponderHandshake> responder_;
  std::optional<FrameSealer> sealer_;
  std::optional<FrameOpener> opener_;
  std::function<void()> then_;  // the handshake step after the pending read or write
  FrameHeader header_{};
  core::Bytes buffer_;  // a handshake message or a frame's ciphertext being read
  core::Bytes out_;     // the frame or handshake message being written
  bool writing_ = false;
  size_t writing_payload_bytes_ = 0;
  uint8_t stray_byte_ = 0;  // outbound: where a byte from the responder would land
};

}  // namespace tradeledger::net
