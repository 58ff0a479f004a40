// The clients block by running a private io_context until the one operation they started
// completes; deadlines come from beast::tcp_stream's timers (which close the socket when they
// fire), except in EventStreamClient::Next(), which uses a separate timer and cancels the read
// so that a timeout leaves the stream usable.
#include "api/http/http_client.h"

#include <array>
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <utility>

namespace tradeledger::api::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

constexpr uint64_t kMaxResponseBodyBytes = 64ull << 20;
constexpr uint32_t kMaxResponseHeaderBytes = 64 * 1024;
constexpr size_t kMaxEventBytes = 1 << 20;

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool IsValidMethod(std::string_view method) {
  if (method.empty()) return false;
  for (char c : method) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

bool IsValidTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') return false;
  for (char c : target) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return false;
  }
  return true;
}

// Errors on a kept-alive connection that mean "the server had already closed it".
bool IsStaleConnectionError(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == bhttp::error::partial_message;
}

// Boost 1.74's Beast speaks boost::string_view; these convert at the boundary.
std::string_view View(beast::string_view s) { return std::string_view(s.data(), s.size()); }
beast::string_view Bv(std::string_view s) { return beast::string_view(s.data(), s.size()); }

// One TCP connection driven by a private io_context.
class Connection {
 public:
  Connection(std::string host, uint16_t port) : host_(std::move(host)), port_(port) {}

  bool connected() const { return stream_.has_value(); }
  beast::tcp_stream& stream() { return *stream_; }
  beast::flat_buffer& buffer() { return buffer_; }
  net::io_context& ioc() { return ioc_; }

  std::string HostHeader() const {
    std::string host = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
    return host + ":" + std::to_string(port_);
  }

  core::Status Connect(Clock::time_point deadline) {
    Close();
    tcp::resolver resolver(ioc_);
    beast::error_code ec;
    auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
    if (ec) return core::Fail("HTTP_CONNECT_FAILED", "resolve " + host_ + ": " + ec.message());
    stream_.emplace(ioc_);
    stream_->expires_at(deadline);
    auto [connect_ec, unused] = Run([&](auto handler) {
      stream_->async_connect(endpoints, [handler](beast::error_code e,
                                                  const tcp::endpoint&) mutable { handler(e, 0); });
    });
    if (connect_ec) {
      Close();
      return core::Fail("HTTP_CONNECT_FAILED",
                        HostHeader() + ": " +
                            (connect_ec == beast::error::timeout ? std::string("timed out")
                                                                 : connect_ec.message()));
    }
    return core::Ok();
  }

  // Starts one operation through `start(handler)` and runs until everything has completed.
  template <typename Start>
  std::pair<beast::error_code, size_t> Run(Start&& start) {
    beast::error_code result = net::error::would_block;
    size_t transferred = 0;
    std::forward<Start>(start)([&result, &transferred](beast::error_code ec, size_t n) {
      result = ec;
      transferred = n;
    });
    ioc_.restart();
    ioc_.run();
    return {result, transferred};
  }

  void Close() {
    if (stream_) {
      beast::error_code ignored;
      stream_->socket().shutdown(tcp::socket::shutdown_both, ignored);
      stream_->close();
      stream_.reset();
    }
    buffer_.consume(buffer_.size());
  }

 private:
  std::string host_;
  uint16_t port_;
  net::io_context ioc_{1};
  std::optional<beast::tcp_stream> stream_;  // engaged while connected
  beast::flat_buffer buffer_;
};

core::Result<bhttp::request<bhttp::string_body>> BuildRequest(
    const Connection& connection, std::string_view method, std::string_view target,
    std::string_view body, std::string_view content_type, const Headers& headers) {
  if (!IsValidMethod(method)) return core::Fail("HTTP_PROTOCOL", "invalid method");
  if (!IsValidTarget(target)) return core::Fail("HTTP_PROTOCOL", "invalid request target");
  if (content_type.find_first_of(std::string_view("\r\n\0", 3)) != std::string_view::npos) {
    return core::Fail("HTTP_PROTOCOL", "invalid content type");
  }
  for (const auto& [name, value] : headers) {
    if ((name + value).find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos ||
        name.empty()) {
      return core::Fail("HTTP_PROTOCOL", "invalid header");
    }
  }
  bhttp::request<bhttp::string_body> request;
  try {
    request.version(11);
    request.method_string(Bv(method));
    request.target(Bv(target));
    request.set(bhttp::field::host, connection.HostHeader());
    request.set(bhttp::field::user_agent, "tradeledger");
    for (const auto& [name, value] : headers) request.set(name, value);
    if (!body.empty() && !content_type.empty()) {
      request.set(bhttp::field::content_type, Bv(content_type));
    }
    request.body() = std::string(body);
    request.keep_alive(true);
    request.prepare_payload();
  } catch (const std::exception& e) {
    return core::Fail("HTTP_PROTOCOL", std::string("cannot build request: ") + e.what());
  }
  return request;
}

}  // namespace

// --- Client -------------------------------------------------------------------------------

struct Client::Impl {
  Impl(std::string host, uint16_t port) : connection(std::move(host), port) {}

  struct Attempt {
    core::Result<Response> result;
    bool stale = false;  // failed because a kept-alive connection was already dead
  };

  Attempt RoundTrip(bhttp::request<bhttp::string_body>& request, Clock::time_point deadline,
                    bool reused) {
    beast::tcp_stream& stream = connection.stream();
    stream.expires_at(deadline);
    auto [write_ec, written] = connection.Run(
        [&](auto handler) { bhttp::async_write(stream, request, std::move(handler)); });
    if (write_ec) return Failure(write_ec, reused && IsStaleConnectionError(write_ec));

    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxResponseBodyBytes);
    parser.header_limit(kMaxResponseHeaderBytes);
    stream.expires_at(deadline);
    auto [read_ec, read] = connection.Run([&](auto handler) {
      bhttp::async_read(stream, connection.buffer(), parser, std::move(handler));
    });
    if (read_ec) {
      return Failure(read_ec, reused && !parser.got_some() && IsStaleConnectionError(read_ec));
    }

    bhttp::response<bhttp::string_body> message = parser.release();
    Response response;
    response.status = static_cast<int>(message.result_int());
    response.content_type.clear();
    for (const auto& field : message) {
      std::string name = AsciiLower(View(field.name_string()));
      if (name == "content-type") response.content_type = std::string(View(field.value()));
      response.headers.emplace_back(std::move(name), std::string(View(field.value())));
    }
    response.body = std::move(message.body());
    if (!message.keep_alive()) connection.Close();
    return Attempt{std::move(response), false};
  }

  Attempt Failure(const beast::error_code& ec, bool stale) {
    connection.Close();
    if (ec == beast::error::timeout) {
      return Attempt{core::Fail("HTTP_TIMEOUT", "no complete response before the deadline"), false};
    }
    return Attempt{core::Fail("HTTP_PROTOCOL", ec.message()), stale};
  }

  Connection connection;
};

Client::Client(std::string host, uint16_t port)
    : impl_(std::make_unique<Impl>(std::move(host), port)) {}

Client::~Client() = default;

void Client::Disconnect() { impl_->connection.Close(); }

core::Result<Response> Client::Send(std::string_view method, std::string_view target,
                                    std::string_view body, std::string_view content_type,
                                    std::chrono::milliseconds timeout, const Headers& headers) {
  TL_ASSIGN_OR_RETURN(auto request,
                      BuildRequest(impl_->connection, method, target, body, content_type, headers));
  const Clock::time_point deadline = Clock::now() + timeout;
  for (int attempt = 0;; ++attempt) {
    bool reused = impl_->connection.connected();
    if (!reused) TL_RETURN_IF_ERROR(impl_->connection.Connect(deadline));
    Impl::Attempt outcome = impl_->RoundTrip(request, deadline, reused);
    // The server closed an idle kept-alive connection before reading our request: it never
    // saw it, so sending it once more on a fresh connection is safe.
    if (!outcome.result && outcome.stale && attempt == 0) continue;
    return std::move(outcome.result);
  }
}

// --- EventStreamClient --------------------------------------------------------------------

struct EventStreamClient::Impl {
  Impl(std::string host, uint16_t port) : connection(std::move(host), port) {}

  // Parses complete lines from `pending`; returns an event once a blank line ends one.
  std::optional<ServerEvent> ParsePending() {
    size_t newline;
    while ((newline = pending.find('\n')) != std::string::npos) {
      std::string line = pending.substr(0, newline);
      pending.erase(0, newline + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.empty()) {
        bool complete = has_data;
        ServerEvent event = std::move(current);
        current = ServerEvent();
        has_data = false;
        if (complete) return event;
        continue;
      }
      if (line.front() == ':') continue;  // comment
      size_t colon = line.find(':');
      std::string field = line.substr(0, colon);
      std::string value = colon == std::string::npos ? std::string() : line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (field == "event") {
        current.event = std::move(value);
      } else if (field == "data") {
        if (has_data) current.data.push_back('\n');
        current.data.append(value);
        has_data = true;
      } else if (field == "id") {
        current.id = std::move(value);
      }
    }
    return std::nullopt;
  }

  Connection connection;
  std::string pending;  // body bytes received but not yet parsed
  ServerEvent current;
  bool has_data = false;
  std::array<char, 4096> chunk{};
};

EventStreamClient::EventStreamClient(std::string host, uint16_t port)
    : impl_(std::make_unique<Impl>(std::move(host), port)) {}

EventStreamClient::~EventStreamClient() = default;

void EventStreamClient::Close() { impl_->connection.Close(); }

core::Status EventStreamClient::Open(std::string_view target, std::chrono::milliseconds timeout) {
  Connection& connection = impl_->connection;
  impl_->pending.clear();
  impl_->current = ServerEvent();
  impl_->has_data = false;
  const Clock::time_point deadline = Clock::now() + timeout;
  TL_ASSIGN_OR_RETURN(auto request, BuildRequest(connection, "GET", target, {}, {}, {}));
  request.set(bhttp::field::accept, "text/event-stream");
  TL_RETURN_IF_ERROR(connection.Connect(deadline));

  beast::tcp_stream& stream = connection.stream();
  stream.expires_at(deadline);
  auto [write_ec, written] = connection.Run(
      [&](auto handler) { bhttp::async_write(stream, request, std::move(handler)); });
  bhttp::response_parser<bhttp::empty_body> parser;
  beast::error_code ec = write_ec;
  if (!ec) {
    parser.header_limit(kMaxResponseHeaderBytes);
    stream.expires_at(deadline);
    ec = connection
             .Run([&](auto handler) {
               bhttp::async_read_header(stream, connection.buffer(), parser, std::move(handler));
             })
             .first;
  }
  if (ec) {
    connection.Close();
    if (ec == beast::error::timeout) return core::Fail("HTTP_TIMEOUT", "no event-stream header");
    return core::Fail("HTTP_PROTOCOL", ec.message());
  }
  const auto& header = parser.get();
  std::string_view type = View(header[bhttp::field::content_type]);
  if (header.result_int() != 200 || !type.starts_with("text/event-stream")) {
    connection.Close();
    return core::Fail("HTTP_PROTOCOL",
                      "not an event stream: status " + std::to_string(header.result_int()));
  }
  stream.expires_never();
  auto leftover = connection.buffer().data();
  impl_->pending.assign(static_cast<const char*>(leftover.data()), leftover.size());
  connection.buffer().consume(leftover.size());
  return core::Ok();
}

core::Result<ServerEvent> EventStreamClient::Next(std::chrono::milliseconds timeout) {
  Connection& connection = impl_->connection;
  const Clock::time_point deadline = Clock::now() + timeout;
  while (true) {
    if (std::optional<ServerEvent> event = impl_->ParsePending()) return std::move(*event);
    if (!connection.connected()) return core::Fail("HTTP_STREAM_CLOSED", "stream not open");
    if (impl_->pending.size() > kMaxEventBytes) {
      connection.Close();
      return core::Fail("HTTP_PROTOCOL", "event line too long");
    }

    tcp::socket& socket = connection.stream().socket();
    net::steady_timer timer(connection.ioc());
    timer.expires_at(deadline);
    bool timed_out = false;
    timer.async_wait([&](beast::error_code ec) {
      if (!ec) {
        timed_out = true;
        beast::error_code ignored;
        socket.cancel(ignored);
      }
    });
    auto [ec, n] = connection.Run([&](auto handler) {
      socket.async_read_some(net::buffer(impl_->chunk),
                             [&timer, handler](beast::error_code e, size_t size) mutable {
                               timer.cancel();
                               handler(e, size);
                             });
    });
    impl_->pending.append(impl_->chunk.data(), n);
    if (!ec) continue;
    if (timed_out && ec == net::error::operation_aborted) {
      return core::Fail("HTTP_TIMEOUT", "no event before the deadline");
    }
    connection.Close();
    if (ec == net::error::eof) return core::Fail("HTTP_STREAM_CLOSED", "server ended the stream");
    return core::Fail("HTTP_PROTOCOL", ec.message());
  }
}

}  // namespace tradeledger::api::http
