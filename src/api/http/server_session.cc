// The I/O of one server connection, written once as BasicSession<Stream> for both transports:
// Stream is beast::tcp_stream (HTTP) or beast::ssl_stream<beast::tcp_stream> (HTTPS). The two
// differ only where TLS has steps of its own, marked `if constexpr (kTls)`: the handshake
// before the first request, and closing (a close_notify alert instead of a TCP half-close).
// See server_session.h for the threading rules.
#include "api/http/server_session.h"

#include <array>
#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <deque>
#include <exception>
#include <optional>
#include <type_traits>

#include "api/http/server_messages.h"

namespace tradeledger::api::http::detail {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

constexpr uint32_t kHeaderLimit = 8 * 1024;
// How long, and how much, we keep reading (and discarding) after answering 400/413, so that
// the client's unread request bytes do not turn our close into a reset that loses the answer.
// The same time bounds a TLS close: sending close_notify and waiting for the peer's.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kMaxLingerBytes = 16 << 20;
// An event-stream client that falls this far behind is disconnected.
constexpr size_t kMaxStreamBacklogBytes = 4 << 20;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

// Delivers a handler's answer to its session; answers 500 if every copy is dropped unused.
class ResponderState {
 public:
  ResponderState(std::shared_ptr<ServerState> state, std::weak_ptr<Session> session, uint64_t seq)
      : state_(std::move(state)), session_(std::move(session)), seq_(seq) {}
  ~ResponderState() {
    if (!called_.exchange(true)) {
      Log("a handler dropped its Responder without answering; sent 500");
      Deliver(JsonError(500, "INTERNAL", "internal error"));
    }
  }
  ResponderState(const ResponderState&) = delete;
  ResponderState& operator=(const ResponderState&) = delete;

  // False if an answer was already given.
  bool TryRespond(Response response) {
    if (called_.exchange(true)) return false;
    Deliver(std::move(response));
    return true;
  }

 private:
  void Deliver(Response response) {
    PostToSession(*state_, session_,
                  [seq = seq_, response = std::move(response)](Session& s) mutable {
                    s.Respond(seq, std::move(response));
                  });
  }

  std::shared_ptr<ServerState> state_;
  std::weak_ptr<Session> session_;
  uint64_t seq_;
  std::atomic<bool> called_{false};
};

// Where an EventStream's bytes go: posted to the session's strand.
class Sink : public EventSink {
 public:
  Sink(std::shared_ptr<ServerState> state, std::weak_ptr<Session> session)
      : state_(std::move(state)), session_(std::move(session)) {}
  bool Write(std::string bytes) override {
    return PostToSession(*state_, session_, [bytes = std::move(bytes)](Session& s) mutable {
      s.StreamWrite(std::move(bytes));
    });
  }
  bool Close() override {
    return PostToSession(*state_, session_, [](Session& s) { s.FinishStream(); });
  }

 private:
  std::shared_ptr<ServerState> state_;
  std::weak_ptr<Session> session_;
};

template <typename Stream>
class BasicSession final : public Session {
  static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

 public:
  BasicSession(Stream stream, std::shared_ptr<ServerState> state, uint64_t id)
      : stream_(std::move(stream)),
        state_(std::move(state)),
        id_(id),
        close_timer_(stream_.get_executor()) {
    beast::error_code ec;
    tcp::endpoint peer = tcp_stream().socket().remote_endpoint(ec);
    if (!ec) remote_address_ = FormatEndpoint(peer);
  }

  net::any_io_executor executor() override { return stream_.get_executor(); }

  void Start() override {
    net::dispatch(stream_.get_executor(), [self = Self()] {
      if constexpr (kTls) {
        self->Handshake();
      } else {
        self->DoRead();
      }
    });
  }

  void Respond(uint64_t seq, Response response) override {
    if (closed_ || !awaiting_response_ || seq != request_seq_) return;
    awaiting_response_ = false;
    if (response.event_stream) {
      StartEventStream(std::move(response));
    } else {
      Write(BuildResponse(std::move(response), version_, keep_alive_, is_head_),
            keep_alive_ ? AfterWrite::kReadNext : AfterWrite::kClose);
    }
  }

  void StreamWrite(std::string bytes) override {
    if (closed_) return;
    stream_backlog_bytes_ += bytes.size();
    if (stream_backlog_bytes_ > kMaxStreamBacklogBytes) {
      Log("event stream client " + remote_address_ + " fell behind; disconnecting");
      return Close();
    }
    stream_queue_.push_back(std::move(bytes));
    PumpStream();
  }

  void FinishStream() override {
    if (closed_) return;
    stream_finish_requested_ = true;
    PumpStream();
  }

  void Close() override {
    if (closed_) return;
    closed_ = true;
    close_timer_.cancel();
    tcp_stream().close();
    {
      std::lock_guard lock(state_->mu);
      state_->sessions.erase(id_);
    }
    if (std::shared_ptr<EventStream> stream = std::move(event_stream_)) stream->MarkClosed();
  }

 private:
  enum class AfterWrite { kReadNext, kClose, kLinger };

  std::shared_ptr<BasicSession> Self() {
    return std::static_pointer_cast<BasicSession>(shared_from_this());
  }
  beast::tcp_stream& tcp_stream() { return beast::get_lowest_layer(stream_); }

  // TLS only: the handshake must complete within read_timeout, like a request.
  void Handshake() {
    tcp_stream().expires_after(state_->options.read_timeout);
    stream_.async_handshake(net::ssl::stream_base::server, [self = Self()](beast::error_code ec) {
      if (self->closed_) return;
      if (ec) return self->Close();  // plaintext, garbage, a failed handshake or a timeout
      self->DoRead();
    });
  }

  void DoRead() {
    if (closed_) return;
    parser_.emplace();
    parser_->body_limit(state_->options.max_body_bytes);
    parser_->header_limit(kHeaderLimit);
    tcp_stream().expires_after(state_->options.read_timeout);
    bhttp::async_read(stream_, buffer_, *parser_,
                      [self = Self()](beast::error_code ec, size_t) { self->OnRead(ec); });
  }

  void OnRead(beast::error_code ec) {
    if (closed_) return;
    if (ec) {
      if (ec == bhttp::error::body_limit) {
        return FailAndClose(413, "request body exceeds " +
                                     std::to_string(state_->options.max_body_bytes) + " bytes");
      }
      if (ec == bhttp::error::header_limit) {
        return FailAndClose(431,
                            "request headers exceed " + std::to_string(kHeaderLimit) + " bytes");
      }
      bool parse_error =
          ec.category() == bhttp::make_error_code(bhttp::error::bad_method).category();
      if (parse_error && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
        return FailAndClose(400, "malformed HTTP request: " + ec.message());
      }
      return Close();  // end of stream, timeout, reset: nobody to answer
    }
    Dispatch(parser_->release());
  }

  void Dispatch(IncomingRequest message) {
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    is_head_ = message.method() == bhttp::verb::head;
    ++request_seq_;
    awaiting_response_ = true;

    core::Result<Request> request = ToRequest(std::move(message), remote_address_);
    if (!request) {
      awaiting_response_ = false;
      return Write(BuildResponse(JsonError(400, "BAD_REQUEST", request.error().detail), version_,
                                 keep_alive_, is_head_),
                   keep_alive_ ? AfterWrite::kReadNext : AfterWrite::kClose);
    }
    auto responder_state = std::make_shared<ResponderState>(state_, weak_from_this(), request_seq_);
    Responder responder = [responder_state](Response response) {
      if (!responder_state->TryRespond(std::move(response))) {
        Log("a handler called its Responder twice; the second answer was ignored");
      }
    };
    try {
      state_->handler(std::move(*request), std::move(responder));
    } catch (const std::exception& e) {
      Log(std::string("handler threw: ") + e.what());
      responder_state->TryRespond(JsonError(500, "INTERNAL", "internal error"));
    } catch (...) {
      Log("handler threw a non-standard exception");
      responder_state->TryRespond(JsonError(500, "INTERNAL", "internal error"));
    }
  }

  // Answers with a JSON error and closes, draining what the client still sends.
  void FailAndClose(int status, std::string message) {
    keep_alive_ = false;
    is_head_ = false;
    std::string_view code = status == 400 ? "BAD_REQUEST" : "REQUEST_TOO_LARGE";
    Write(BuildResponse(JsonError(status, code, message), version_, keep_alive_, is_head_),
          AfterWrite::kLinger);
  }

  void Write(std::shared_ptr<OutgoingResponse> response, AfterWrite after) {
    tcp_stream().expires_after(state_->options.read_timeout);
    OutgoingResponse& message = *response;
    bhttp::async_write(stream_, message,
                       [self = Self(), response = std::move(response), after](
                           beast::error_code ec, size_t) { self->OnWrite(ec, after); });
  }

  void OnWrite(beast::error_code ec, AfterWrite after) {
    if (closed_) return;
    if (ec) return Close();
    switch (after) {
      case AfterWrite::kReadNext:
        return DoRead();
      case AfterWrite::kClose:
        return ShutdownAndClose();
      case AfterWrite::kLinger:
        return Linger();
    }
  }

  // Ends the connection in order: the client sees the end of the stream (a TCP FIN, or over
  // TLS a close_notify alert, which clients reading to the end require), then we close.
  void ShutdownAndClose() {
    if constexpr (kTls) {
      // async_shutdown sends close_notify, then waits for the client's; the timer bounds the
      // wait even when an event stream's close-watching read (without deadline) is pending.
      close_timer_.expires_after(kLingerTime);
      close_timer_.async_wait([self = Self()](beast::error_code) { self->Close(); });
      stream_.async_shutdown([self = Self()](beast::error_code) { self->Close(); });
    } else {
      beast::error_code ignored;
      tcp_stream().socket().shutdown(tcp::socket::shutdown_send, ignored);
      Close();
    }
  }

  // After 400/413: the answer is written; read and discard what the client still sends, for a
  // while. Over TLS there is no half-close that leaves reading possible (bytes after our
  // close_notify would be an error), so the end comes from the client or the deadline.
  void Linger() {
    if constexpr (!kTls) {
      beast::error_code ignored;
      tcp_stream().socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
    tcp_stream().expires_after(kLingerTime);
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(net::buffer(scratch_), [self = Self()](beast::error_code ec, size_t n) {
      if (self->closed_) return;
      self->lingered_bytes_ += n;
      if (ec || self->lingered_bytes_ > kMaxLingerBytes) return self->Close();
      self->DrainSome();
    });
  }

  // --- Server-sent events ---

  void StartEventStream(Response response) {
    event_stream_ = std::move(response.event_stream);
    keep_alive_ = false;
    std::shared_ptr<EventStreamHeader> header = BuildEventStreamHeader(response, version_);
    // Events the stream already holds are posted to this strand, so they queue behind us.
    if (!event_stream_->Attach(std::make_shared<Sink>(state_, weak_from_this()))) {
      stream_finish_requested_ = true;  // closed before it started: send the header and end
    }
    tcp_stream().expires_after(state_->options.read_timeout);
    EventStreamHeader& message = *header;
    bhttp::async_write(stream_, message, [self = Self(), header](beast::error_code ec, size_t) {
      if (self->closed_) return;
      if (ec) return self->Close();
      self->stream_ready_ = true;
      self->tcp_stream().expires_never();
      self->WatchForStreamClose();
      self->PumpStream();
    });
  }

  // The client sends nothing on an event stream; a read completes only when it goes away.
  void WatchForStreamClose() {
    stream_.async_read_some(net::buffer(scratch_), [self = Self()](beast::error_code ec, size_t) {
      if (self->closed_) return;
      if (ec) return self->Close();
      self->WatchForStreamClose();
    });
  }

  void PumpStream() {
    if (closed_ || !stream_ready_ || stream_writing_) return;
    if (stream_queue_.empty()) {
      if (stream_finish_requested_) ShutdownAndClose();
      return;
    }
    stream_writing_ = true;
    // Only the write timer is armed: the close-watching read stays without a deadline.
    tcp_stream().expires_after(state_->options.read_timeout);
    net::async_write(stream_, net::buffer(stream_queue_.front()),
                     [self = Self()](beast::error_code ec, size_t) {
                       self->stream_writing_ = false;
                       if (self->closed_) return;
                       if (ec) return self->Close();
                       self->stream_backlog_bytes_ -= self->stream_queue_.front().size();
                       self->stream_queue_.pop_front();
                       self->PumpStream();
                     });
  }

  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<ServerState> state_;
  const uint64_t id_;
  std::string remote_address_;
  std::array<char, 4096> scratch_{};
  net::steady_timer close_timer_;  // bounds a TLS shutdown

  bool closed_ = false;
  uint64_t request_seq_ = 0;  // the request being served
  bool awaiting_response_ = false;
  bool keep_alive_ = false;
  bool is_head_ = false;
  unsigned version_ = 11;
  size_t lingered_bytes_ = 0;

  std::shared_ptr<EventStream> event_stream_;
  std::deque<std::string> stream_queue_;  // front() is being written while stream_writing_
  size_t stream_backlog_bytes_ = 0;
  bool stream_ready_ = false;  // the event-stream header has been written
  bool stream_writing_ = false;
  bool stream_finish_requested_ = false;
};

}  // namespace

std::shared_ptr<Session> MakeSession(tcp::socket socket, std::shared_ptr<ServerState> state,
                                     uint64_t id) {
  if (state->tls_context) {
    TlsStream stream(std::move(socket), *state->tls_context);
    return std::make_shared<BasicSession<TlsStream>>(std::move(stream), std::move(state), id);
  }
  return std::make_shared<BasicSession<PlainStream>>(PlainStream(std::move(socket)),
                                                     std::move(state), id);
}

}  // namespace tradeledger::api::http::detail
