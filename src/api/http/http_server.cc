// Thread safety / invariants
//
// - Every connection is a `Session` whose socket is used only on its own strand. Code outside
//   the strand (Responders, event streams) reaches a session only by posting to that strand,
//   through PostToSession().
// - `ServerState::sessions` owns every open session; a session removes itself when it closes.
//   Outsiders hold only weak pointers, so a Responder kept by a handler never keeps a
//   connection (or the io_context it belongs to) alive.
// - PostToSession() posts while holding `ServerState::mu` and only while `open` is true.
//   Stop() clears `open` under the same mutex before it stops the io_context, so nothing is
//   posted to (or destroyed against) an io_context that has stopped or been destroyed.
// - One request is in flight per connection: the next read starts only after the response to
//   the previous one has been written. Each request has a sequence number; a Responder answers
//   only the request it was created for.
// - Lock order: EventStream::mu_ before ServerState::mu. No user code runs under either.
#include "api/http/http_server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstdio>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "api/http/url.h"

namespace tradeledger::api::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

constexpr uint32_t kHeaderLimit = 8 * 1024;
// How long, and how much, we keep reading (and discarding) after answering 400/413, so that
// the client's unread request bytes do not turn our close into a reset that loses the answer.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr size_t kMaxLingerBytes = 16 << 20;
// An event-stream client that falls this far behind is disconnected.
constexpr size_t kMaxStreamBacklogBytes = 4 << 20;

void Log(std::string_view message) {
  std::fprintf(stderr, "tradeledger http: %.*s\n", static_cast<int>(message.size()),
               message.data());
}

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsValidHeaderValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Headers the transport itself manages; a handler may not set them.
bool IsReservedHeader(std::string_view lower_name) {
  return lower_name == "content-length" || lower_name == "transfer-encoding" ||
         lower_name == "connection" || lower_name == "content-type";
}

std::string FormatEndpoint(const tcp::endpoint& endpoint) {
  std::string address = endpoint.address().to_string();
  if (endpoint.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(endpoint.port());
}

// Length of the valid UTF-8 sequence at the start of `s` (a non-ASCII lead byte), or 0.
size_t Utf8SequenceLength(std::string_view s) {
  auto lead = static_cast<unsigned char>(s[0]);
  size_t length = 0;
  uint32_t code_point = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07u;
  } else {
    return 0;
  }
  if (s.size() < length) return 0;
  for (size_t k = 1; k < length; ++k) {
    auto byte = static_cast<unsigned char>(s[k]);
    if ((byte & 0xC0u) != 0x80u) return 0;
    code_point = (code_point << 6) | (byte & 0x3Fu);
  }
  if (length == 3 && (code_point < 0x800 || (code_point >= 0xD800 && code_point <= 0xDFFF))) {
    return 0;
  }
  if (length == 4 && (code_point < 0x10000 || code_point > 0x10FFFF)) return 0;
  return length;
}

class Session;

// Shared by the server, its sessions and every Responder / event-stream sink it hands out.
struct ServerState {
  ServerOptions options;
  Handler handler;  // used only on server threads, and reset by Stop() after they are joined

  std::mutex mu;
  bool open = false;             // guarded by mu: posting to sessions is allowed
  uint64_t next_session_id = 0;  // guarded by mu
  std::unordered_map<uint64_t, std::shared_ptr<Session>> sessions;  // guarded by mu
};

template <typename Fn>
bool PostToSession(ServerState& state, const std::weak_ptr<Session>& weak, Fn&& fn);

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::shared_ptr<ServerState> state, uint64_t id)
      : stream_(std::move(socket)), state_(std::move(state)), id_(id) {
    beast::error_code ec;
    tcp::endpoint peer = stream_.socket().remote_endpoint(ec);
    if (!ec) remote_address_ = FormatEndpoint(peer);
  }

  auto executor() { return stream_.get_executor(); }

  void Start() {
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->DoRead(); });
  }

  // On the strand: the handler's answer to request `seq`.
  void Respond(uint64_t seq, Response response) {
    if (closed_ || !awaiting_response_ || seq != request_seq_) return;
    awaiting_response_ = false;
    if (response.event_stream) {
      StartEventStream(std::move(response));
    } else {
      Write(BuildResponse(std::move(response)),
            keep_alive_ ? AfterWrite::kReadNext : AfterWrite::kClose);
    }
  }

  // On the strand: bytes from the attached EventStream.
  void StreamWrite(std::string bytes) {
    if (closed_) return;
    stream_backlog_bytes_ += bytes.size();
    if (stream_backlog_bytes_ > kMaxStreamBacklogBytes) {
      Log("event stream client " + remote_address_ + " fell behind; disconnecting");
      return Close();
    }
    stream_queue_.push_back(std::move(bytes));
    PumpStream();
  }

  // On the strand: the EventStream's owner closed it; flush, then close.
  void FinishStream() {
    if (closed_) return;
    stream_finish_requested_ = true;
    PumpStream();
  }

  // On the strand (or with no server thread running): closes the connection now.
  void Close() {
    if (closed_) return;
    closed_ = true;
    stream_.close();
    {
      std::lock_guard lock(state_->mu);
      state_->sessions.erase(id_);
    }
    if (std::shared_ptr<EventStream> stream = std::move(event_stream_)) stream->MarkClosed();
  }

 private:
  enum class AfterWrite { kReadNext, kClose, kLinger };
  using OutgoingResponse = bhttp::response<bhttp::string_body>;

  void DoRead() {
    if (closed_) return;
    parser_.emplace();
    parser_->body_limit(state_->options.max_body_bytes);
    parser_->header_limit(kHeaderLimit);
    stream_.expires_after(state_->options.read_timeout);
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
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

  void Dispatch(bhttp::request<bhttp::string_body> message) {
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    is_head_ = message.method() == bhttp::verb::head;
    ++request_seq_;
    awaiting_response_ = true;

    auto target = ParseTarget(std::string_view(message.target().data(), message.target().size()));
    if (!target) {
      awaiting_response_ = false;
      return Write(BuildResponse(JsonError(400, "BAD_REQUEST", target.error().detail)),
                   keep_alive_ ? AfterWrite::kReadNext : AfterWrite::kClose);
    }

    Request request;
    request.method = std::string(message.method_string());
    request.path = std::move(target->path);
    request.query = std::move(target->query);
    for (const auto& field : message) {
      std::string name =
          AsciiLower(std::string_view(field.name_string().data(), field.name_string().size()));
      std::string_view value(field.value().data(), field.value().size());
      auto [it, inserted] = request.headers.try_emplace(std::move(name), value);
      if (!inserted) it->second.append(", ").append(value);
    }
    request.body = std::move(message.body());
    request.remote_address = remote_address_;

    auto responder_state = std::make_shared<ResponderState>(state_, weak_from_this(), request_seq_);
    Responder responder = [responder_state](Response response) {
      if (!responder_state->TryRespond(std::move(response))) {
        Log("a handler called its Responder twice; the second answer was ignored");
      }
    };
    try {
      state_->handler(std::move(request), std::move(responder));
    } catch (const std::exception& e) {
      Log(std::string("handler threw: ") + e.what());
      responder_state->TryRespond(JsonError(500, "INTERNAL", "internal error"));
    } catch (...) {
      Log("handler threw a non-standard exception");
      responder_state->TryRespond(JsonError(500, "INTERNAL", "internal error"));
    }
  }

  // Turns a handler's Response into a Beast message. Never throws: a response Beast cannot
  // represent becomes a plain 500.
  std::shared_ptr<OutgoingResponse> BuildResponse(Response response) {
    if (response.status < 200 || response.status > 599) {
      Log("handler answered with status " + std::to_string(response.status) + "; sent 500");
      response = JsonError(500, "INTERNAL", "internal error");
    }
    auto out = std::make_shared<OutgoingResponse>();
    try {
      out->version(version_);
      out->result(static_cast<unsigned>(response.status));
      out->set(bhttp::field::server, "tradeledger");
      if (!response.content_type.empty() && IsValidHeaderValue(response.content_type)) {
        out->set(bhttp::field::content_type, response.content_type);
      }
      for (const auto& [name, value] : response.headers) {
        if (!IsValidHeaderName(name) || !IsValidHeaderValue(value) ||
            IsReservedHeader(AsciiLower(name))) {
          Log("dropped invalid or reserved response header '" + name + "'");
          continue;
        }
        out->insert(name, value);
      }
      out->keep_alive(keep_alive_);
      if (response.status != 204 && response.status != 304) out->body() = std::move(response.body);
      out->prepare_payload();
      if (is_head_) out->body().clear();  // Content-Length still describes the GET body
    } catch (const std::exception& e) {
      Log(std::string("could not build response: ") + e.what());
      out = std::make_shared<OutgoingResponse>(bhttp::status::internal_server_error, version_);
      out->set(bhttp::field::content_type, "application/json");
      out->body() = JsonError(500, "INTERNAL", "internal error").body;
      keep_alive_ = false;
      out->keep_alive(false);
      out->prepare_payload();
    }
    return out;
  }

  // Answers with a JSON error and closes, draining what the client still sends.
  void FailAndClose(int status, std::string message) {
    keep_alive_ = false;
    is_head_ = false;
    std::string_view code = status == 400 ? "BAD_REQUEST" : "REQUEST_TOO_LARGE";
    Write(BuildResponse(JsonError(status, code, message)), AfterWrite::kLinger);
  }

  void Write(std::shared_ptr<OutgoingResponse> response, AfterWrite after) {
    stream_.expires_after(state_->options.read_timeout);
    OutgoingResponse& message = *response;
    bhttp::async_write(stream_, message,
                       [self = shared_from_this(), response = std::move(response), after](
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

  void ShutdownAndClose() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    Close();
  }

  void Linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(kLingerTime);
    DrainSome();
  }

  void DrainSome() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (self->closed_) return;
                              self->lingered_bytes_ += n;
                              if (ec || self->lingered_bytes_ > kMaxLingerBytes) {
                                return self->Close();
                              }
                              self->DrainSome();
                            });
  }

  // --- Server-sent events ---

  class Sink : public detail::EventSink {
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

  void StartEventStream(Response response) {
    event_stream_ = std::move(response.event_stream);
    keep_alive_ = false;
    auto header = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::ok, version_);
    header->set(bhttp::field::server, "tradeledger");
    header->set(bhttp::field::content_type, "text/event-stream");
    header->set(bhttp::field::cache_control, "no-cache");
    for (const auto& [name, value] : response.headers) {
      if (IsValidHeaderName(name) && IsValidHeaderValue(value) &&
          !IsReservedHeader(AsciiLower(name))) {
        header->insert(name, value);
      }
    }
    // No Content-Length and not chunked: the body runs until the connection closes.
    header->keep_alive(false);
    // Events the stream already holds are posted to this strand, so they queue behind us.
    if (!event_stream_->Attach(std::make_shared<Sink>(state_, weak_from_this()))) {
      stream_finish_requested_ = true;  // closed before it started: send the header and end
    }
    stream_.expires_after(state_->options.read_timeout);
    bhttp::response<bhttp::empty_body>& message = *header;
    bhttp::async_write(stream_, message,
                       [self = shared_from_this(), header](beast::error_code ec, size_t) {
                         if (self->closed_) return;
                         if (ec) return self->Close();
                         self->stream_ready_ = true;
                         self->stream_.expires_never();
                         self->WatchForStreamClose();
                         self->PumpStream();
                       });
  }

  // The client sends nothing on an event stream; a read completes only when it goes away.
  void WatchForStreamClose() {
    stream_.async_read_some(net::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
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
    stream_.expires_after(state_->options.read_timeout);
    net::async_write(stream_, net::buffer(stream_queue_.front()),
                     [self = shared_from_this()](beast::error_code ec, size_t) {
                       self->stream_writing_ = false;
                       if (self->closed_) return;
                       if (ec) return self->Close();
                       self->stream_backlog_bytes_ -= self->stream_queue_.front().size();
                       self->stream_queue_.pop_front();
                       self->PumpStream();
                     });
  }

  // --- Responders ---

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

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::shared_ptr<ServerState> state_;
  const uint64_t id_;
  std::string remote_address_;
  std::array<char, 4096> scratch_{};

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

template <typename Fn>
bool PostToSession(ServerState& state, const std::weak_ptr<Session>& weak, Fn&& fn) {
  std::lock_guard lock(state.mu);
  if (!state.open) return false;
  // Declared after the lock so that, if this is the last reference, the session is destroyed
  // while the io_context is known to be alive.
  std::shared_ptr<Session> session = weak.lock();
  if (!session) return false;
  net::post(session->executor(), [session, fn = std::forward<Fn>(fn)]() mutable { fn(*session); });
  return true;
}

}  // namespace

// --- JSON helpers -------------------------------------------------------------------------

std::string JsonEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x80) {
      size_t length = Utf8SequenceLength(text.substr(i));
      if (length == 0) {
        out.append("\xEF\xBF\xBD");  // U+FFFD REPLACEMENT CHARACTER
        ++i;
      } else {
        out.append(text.substr(i, length));
        i += length;
      }
      continue;
    }
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      case '\b':
        out.append("\\b");
        break;
      case '\f':
        out.append("\\f");
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          static constexpr char kHex[] = "0123456789abcdef";
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
    ++i;
  }
  return out;
}

Response JsonError(int status, std::string_view code, std::string_view message) {
  Response response;
  response.status = status;
  response.body = R"({"error":{"code":")" + JsonEscape(code) + R"(","message":")" +
                  JsonEscape(message) + R"("}})";
  return response;
}

// --- EventStream --------------------------------------------------------------------------

std::shared_ptr<EventStream> EventStream::Create() {
  return std::shared_ptr<EventStream>(new EventStream());
}

bool EventStream::Send(std::string_view event, std::string_view data) {
  std::string out;
  out.reserve(event.size() + data.size() + 16);
  if (!event.empty()) {
    out.append("event: ");
    for (char c : event) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
    out.push_back('\n');
  }
  size_t start = 0;
  while (true) {
    size_t end = data.find_first_of("\r\n", start);
    out.append("data: ").append(data.substr(start, end - start)).push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + 1;
    if (data[end] == '\r' && start < data.size() && data[start] == '\n') ++start;
  }
  out.push_back('\n');
  return Enqueue(std::move(out));
}

bool EventStream::SendComment(std::string_view text) {
  std::string out = ": ";
  for (char c : text) out.push_back(c == '\r' || c == '\n' ? ' ' : c);
  out.append("\n\n");
  return Enqueue(std::move(out));
}

bool EventStream::Enqueue(std::string bytes) {
  {
    std::lock_guard lock(mu_);
    if (closed_ || close_requested_) return false;
    if (!sink_) {
      pending_.push_back(std::move(bytes));
      return true;
    }
    if (sink_->Write(std::move(bytes))) return true;
  }
  MarkClosed();  // the connection is gone (or the server stopped)
  return false;
}

void EventStream::Close() {
  bool gone = false;
  {
    std::lock_guard lock(mu_);
    if (closed_ || close_requested_) return;
    close_requested_ = true;
    if (sink_) gone = !sink_->Close();
  }
  if (gone) MarkClosed();
}

bool EventStream::IsOpen() const {
  std::lock_guard lock(mu_);
  return !closed_ && !close_requested_;
}

void EventStream::OnClose(std::function<void()> callback) {
  {
    std::lock_guard lock(mu_);
    if (!closed_) {
      on_close_ = std::move(callback);
      return;
    }
  }
  if (callback) callback();
}

bool EventStream::Attach(std::shared_ptr<detail::EventSink> sink) {
  bool gone = false;
  {
    std::lock_guard lock(mu_);
    if (closed_) return false;
    sink_ = std::move(sink);
    for (std::string& bytes : pending_) {
      if (!sink_->Write(std::move(bytes))) gone = true;
    }
    pending_.clear();
    if (close_requested_ && !sink_->Close()) gone = true;
  }
  if (gone) MarkClosed();
  return true;
}

void EventStream::MarkClosed() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mu_);
    if (closed_) return;
    closed_ = true;
    sink_.reset();
    pending_.clear();
    callback = std::move(on_close_);
  }
  if (callback) callback();
}

Response EventStreamResponse(std::shared_ptr<EventStream> stream) {
  Response response;
  response.content_type = "text/event-stream";
  response.event_stream = std::move(stream);
  return response;
}

// --- Server -------------------------------------------------------------------------------

struct Server::Impl {
  Impl(ServerOptions options, Handler handler)
      : ioc(std::max(1, options.threads)), state(std::make_shared<ServerState>()) {
    state->options = std::move(options);
    state->handler = std::move(handler);
  }

  void DoAccept() {
    acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
      OnAccept(ec, std::move(socket));
    });
  }

  void OnAccept(beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      // Typically EMFILE: back off instead of spinning, then keep accepting.
      Log("accept failed: " + ec.message());
      retry_timer.expires_after(std::chrono::milliseconds(100));
      retry_timer.async_wait([this](beast::error_code wait_ec) {
        if (!wait_ec) DoAccept();
      });
      return;
    }
    std::shared_ptr<Session> session;
    {
      std::lock_guard lock(state->mu);
      if (!state->open) return;
      if (state->sessions.size() < state->options.max_connections) {
        uint64_t id = state->next_session_id++;
        session = std::make_shared<Session>(std::move(socket), state, id);
        state->sessions.emplace(id, session);
      }
    }
    if (session) {
      session->Start();
    } else {
      beast::error_code ignored;
      socket.close(ignored);  // refused: over max_connections
    }
    DoAccept();
  }

  void RunLoop() {
    while (true) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        Log(std::string("unexpected exception on a server thread: ") + e.what());
      }
    }
  }

  // Declared first so that it is destroyed last: everything below refers to it.
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer retry_timer{ioc};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::shared_ptr<ServerState> state;
  bool started = false;
  bool stopped = false;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { Stop(); }

core::Result<uint16_t> Server::Start() {
  TL_CHECK(!impl_->started);
  impl_->started = true;
  const ServerOptions& options = impl_->state->options;
  beast::error_code ec;
  net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) return core::Fail("HTTP_BIND_FAILED", "bad address '" + options.address + "'");
  tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  tcp::endpoint bound;
  if (!ec) bound = acceptor.local_endpoint(ec);
  if (ec) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return core::Fail("HTTP_BIND_FAILED", FormatEndpoint(endpoint) + ": " + ec.message());
  }
  {
    std::lock_guard lock(impl_->state->mu);
    impl_->state->open = true;
  }
  impl_->work.emplace(net::make_work_guard(impl_->ioc));
  impl_->DoAccept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] { impl->RunLoop(); });
  }
  return bound.port();
}

void Server::Stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  {
    std::lock_guard lock(impl_->state->mu);
    impl_->state->open = false;
  }
  impl_->work.reset();
  impl_->ioc.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();

  // No server thread runs any more, so sockets may be touched from here.
  beast::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->retry_timer.cancel();
  std::unordered_map<uint64_t, std::shared_ptr<Session>> sessions;
  {
    std::lock_guard lock(impl_->state->mu);
    sessions.swap(impl_->state->sessions);
  }
  for (auto& [id, session] : sessions) session->Close();
  sessions.clear();
  // A handler may hold Responders (which refer back to the state); drop it to break the cycle.
  impl_->state->handler = nullptr;
}

}  // namespace tradeledger::api::http
