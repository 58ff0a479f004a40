#include "net/connection.h"

#include <boost/asio/connect.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstring>
#include <utility>

#include "net/hub.h"
#include "net/peer.h"
#include "net/reasons.h"

namespace tradeledger::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  std::string address = endpoint.address().to_string();
  if (endpoint.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(endpoint.port());
}

void TuneSocket(tcp::socket& socket) {
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  socket.set_option(asio::socket_base::keep_alive(true), ignored);
}

}  // namespace

std::shared_ptr<Connection> Connection::Inbound(std::shared_ptr<Hub> hub, Socket socket) {
  auto connection = std::make_shared<Connection>(std::move(hub), nullptr, std::move(socket));
  connection->holds_handshake_slot_ = true;
  connection->responder_.emplace(connection->hub_->options.key, connection->hub_->options.chain_id);
  error_code ec;
  tcp::endpoint remote = connection->socket_.remote_endpoint(ec);
  if (!ec) connection->remote_ = FormatEndpoint(remote);
  return connection;
}

std::shared_ptr<Connection> Connection::Outbound(std::shared_ptr<Hub> hub,
                                                 std::shared_ptr<Peer> peer, Socket socket) {
  const crypto::PublicKey key = peer->key();
  auto connection =
      std::make_shared<Connection>(std::move(hub), std::move(peer), std::move(socket));
  connection->initiator_.emplace(connection->hub_->options.key, connection->hub_->options.chain_id,
                                 key);
  connection->remote_ = "peer " + key.hex().substr(0, 16);
  return connection;
}

Connection::Connection(std::shared_ptr<Hub> hub, std::shared_ptr<Peer> peer, Socket socket)
    : hub_(std::move(hub)),
      peer_(std::move(peer)),
      outbound_(peer_ != nullptr),
      socket_(std::move(socket)),
      deadline_(socket_.get_executor()) {}

void Connection::Start() {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this()] {
    if (self->phase_ == Phase::kClosed) return;
    self->phase_ = Phase::kHandshake;
    TuneSocket(self->socket_);
    self->ArmDeadline();
    self->ReadHandshakeMessage([raw = self.get()] { raw->OnHello(raw->buffer_); });
  });
}

void Connection::Connect(tcp::resolver::results_type endpoints) {
  asio::dispatch(socket_.get_executor(), [self = shared_from_this(), endpoints] {
    if (self->phase_ == Phase::kClosed) return;
    self->ArmDeadline();
    asio::async_connect(self->socket_, endpoints, [self](error_code ec, const tcp::endpoint& to) {
      if (self->phase_ == Phase::kClosed) return;
      if (ec) return self->CloseOnStrand();  // the peer is down: redial, nothing to count
      self->remote_ += " at " + FormatEndpoint(to);
      self->phase_ = Phase::kHandshake;
      TuneSocket(self->socket_);
      Connection* raw = self.get();
      raw->WriteHandshakeMessage(raw->initiator_->Hello(), [raw] {
        raw->ReadHandshakeMessage([raw] { raw->OnReply(raw->buffer_); });
      });
    });
  });
}

void Connection::Close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseOnStrand(); });
}

void Connection::Kick() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->WriteNext(); });
}

void Connection::Abort() {
  phase_ = Phase::kClosed;
  deadline_.cancel();
  error_code ignored;
  socket_.close(ignored);
}

void Connection::ArmDeadline() {
  deadline_.expires_after(hub_->options.handshake_timeout);
  deadline_.async_wait([self = shared_from_this()](error_code ec) {
    if (ec || self->phase_ == Phase::kOpen || self->phase_ == Phase::kClosed) return;
    if (self->phase_ == Phase::kConnecting) return self->CloseOnStrand();  // peer unreachable
    self->Fail(reason::kHandshakeTimeout,
               "after " + std::to_string(self->hub_->options.handshake_timeout.count()) + " ms");
  });
}

void Connection::ReadHandshakeMessage(std::function<void()> then) {
  then_ = std::move(then);
  asio::async_read(socket_, asio::buffer(header_),
                   [self = shared_from_this()](error_code ec, size_t) {
                     if (self->phase_ == Phase::kClosed) return;
                     if (ec) return self->OnHandshakeError(ec);
                     self->OnHandshakeHeader();
                   });
}

void Connection::OnHandshakeHeader() {
  const uint32_t length = DecodeFrameHeader(header_);
  if (length > kMaxHandshakeMessageBytes) {
    return Fail(reason::kHandshakeMalformed,
                "handshake message of " + std::to_string(length) + " bytes");
  }
  buffer_.assign(length, 0);
  asio::async_read(socket_, asio::buffer(buffer_),
                   [self = shared_from_this()](error_code ec, size_t) {
                     if (self->phase_ == Phase::kClosed) return;
                     if (ec) return self->OnHandshakeError(ec);
                     std::exchange(self->then_, nullptr)();
                   });
}

void Connection::WriteHandshakeMessage(const core::Bytes& body, std::function<void()> then) {
  then_ = std::move(then);
  const FrameHeader header = EncodeFrameHeader(static_cast<uint32_t>(body.size()));
  out_.assign(header.begin(), header.end());
  out_.insert(out_.end(), body.begin(), body.end());
  asio::async_write(socket_, asio::buffer(out_),
                    [self = shared_from_this()](error_code ec, size_t) {
                      if (self->phase_ == Phase::kClosed) return;
                      if (ec) return self->OnHandshakeError(ec);
                      std::exchange(self->then_, nullptr)();
                    });
}

void Connection::OnHandshakeError(const error_code& ec) {
  Fail(reason::kHandshakeIncomplete, ec.message());
}

void Connection::OnHello(const core::Bytes& hello) {
  core::Result<core::Bytes> reply = responder_->OnHello(hello);
  if (!reply) return Fail(reply.error().code, reply.error().detail);
  WriteHandshakeMessage(*reply, [this] { ReadHandshakeMessage([this] { OnFinish(buffer_); }); });
}

void Connection::OnFinish(const core::Bytes& finish) {
  std::shared_ptr<Peer> peer;
  core::Result<Established> established =
      responder_->OnFinish(finish, [&](const crypto::PublicKey& key) {
        peer = hub_->FindPeer(key);
        return peer != nullptr;
      });
  if (!established) return Fail(established.error().code, established.error().detail);
  responder_.reset();
  holds_handshake_slot_ = false;
  hub_->handshaking.fetch_sub(1);
  phase_ = Phase::kOpen;
  deadline_.cancel();
  opener_.emplace(established->keys.receive);
  remote_ = "peer " + peer->key().hex().substr(0, 16) + " at " + remote_;
  peer_ = std::move(peer);
  if (!peer_->AttachInbound(shared_from_this())) return CloseOnStrand();
  ReadFrame();
}

void Connection::OnReply(const core::Bytes& reply) {
  core::Result<InitiatorHandshake::Finished> finished = initiator_->OnReply(reply);
  if (!finished) return Fail(finished.error().code, finished.error().detail);
  sealer_.emplace(finished->session.keys.send);
  WriteHandshakeMessage(finished->finish, [this] {
    initiator_.reset();
    phase_ = Phase::kOpen;
    deadline_.cancel();
    if (!peer_->OnOutboundReady(shared_from_this())) return CloseOnStrand();
    WatchForBytes();
    WriteNext();
  });
}

void Connection::ReadFrame() {
  asio::async_read(socket_, asio::buffer(header_),
                   [self = shared_from_this()](error_code ec, size_t) {
                     if (self->phase_ == Phase::kClosed) return;
                     // An error here is the peer going away; it will dial again.
                     if (ec) return self->CloseOnStrand();
                     self->OnFrameHeader();
                   });
}

void Connection::OnFrameHeader() {
  core::Result<size_t> length = CheckFrameHeader(header_, hub_->options.max_frame_bytes);
  if (!length) return Fail(length.error().code, length.error().detail);
  buffer_.assign(*length, 0);
  asio::async_read(
      socket_, asio::buffer(buffer_), [self = shared_from_this()](error_code ec, size_t) {
        if (self->phase_ == Phase::kClosed) return;
        if (ec) return self->CloseOnStrand();
        core::Result<core::Bytes> payload = self->opener_->Open(std::move(self->buffer_));
        if (!payload) return self->Fail(payload.error().code, payload.error().detail);
        self->peer_->CountReceived(payload->size());
        self->hub_->Deliver(self->peer_->key(), std::move(*payload));
        self->ReadFrame();
      });
}

void Connection::WatchForBytes() {
  socket_.async_read_some(asio::buffer(&stray_byte_, 1),
                          [self = shared_from_this()](error_code ec, size_t n) {
                            if (self->phase_ == Phase::kClosed) return;
                            if (!ec && n > 0) {
                              return self->Fail(reason::kFrameUnexpected, "bytes from responder");
                            }
                            self->CloseOnStrand();
                          });
}

void Connection::WriteNext() {
  if (!outbound_ || phase_ != Phase::kOpen || writing_) return;
  Peer::Payload payload = peer_->PopForSend();
  if (!payload) return;
  writing_ = true;
  writing_payload_bytes_ = payload->size();
  out_ = sealer_->Seal(*payload);
  payload.reset();
  asio::async_write(
      socket_, asio::buffer(out_), [self = shared_from_this()](error_code ec, size_t) {
        self->writing_ = false;
        core::Bytes().swap(self->out_);  // a frame may be large; do not keep it around
        if (self->phase_ == Phase::kClosed) return;
        if (ec) return self->CloseOnStrand();
        self->peer_->CountSent(self->writing_payload_bytes_);
        self->WriteNext();
      });
}

void Connection::Fail(std::string_view code, std::string_view detail) {
  std::string context = remote_.empty() ? std::string("unknown remote") : remote_;
  if (!detail.empty()) context.append(": ").append(detail);
  hub_->Count(code, context);
  CloseOnStrand();
}

void Connection::CloseOnStrand() {
  if (phase_ == Phase::kClosed) return;
  phase_ = Phase::kClosed;
  deadline_.cancel();
  error_code ignored;
  socket_.close(ignored);
  if (holds_handshake_slot_) {
    holds_handshake_slot_ = false;
    hub_->handshaking.fetch_sub(1);
  }
  if (!peer_) return;
  if (outbound_) {
    peer_->OnOutboundClosed(this);
  } else {
    peer_->DetachInbound(this);
  }
}

}  // namespace tradeledger::net
