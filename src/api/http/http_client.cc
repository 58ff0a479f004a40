// Client and EventStreamClient on top of detail::Connection (client_connection.h), which owns
// the socket, the TLS stream if any, and the deadlines.
#include "api/http/http_client.h"

#include <array>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <optional>
#include <utility>

#include "api/http/client_connection.h"

namespace tradeledger::api::http {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using detail::ClientClock;
using detail::Connection;

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

// Errors on a kept-alive connection that mean "the server had already closed it". Over TLS a
// server that closes an idle connection without close_notify shows as a truncated stream.
bool IsStaleConnectionError(const beast::error_code& ec) {
  return ec == bhttp::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == bhttp::error::partial_message || ec == net::ssl::error::stream_truncated;
}

// The end of an event stream: a TCP FIN, or over TLS close_notify (eof) or its absence.
bool IsEndOfStream(const beast::error_code& ec) {
  return ec == net::error::eof || ec == net::ssl::error::stream_truncated;
}

// Boost 1.74's Beast speaks boost::string_view; these convert at the boundary.
std::string_view View(beast::string_view s) { return std::string_view(s.data(), s.size()); }
beast::string_view Bv(std::string_view s) { return beast::string_view(s.data(), s.size()); }

core::Result<detail::OutgoingRequest> BuildRequest(const Connection& connection,
                                                   std::string_view method, std::string_view target,
                                                   std::string_view body,
                                                   std::string_view content_type,
                                                   const Headers& headers) {
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
  detail::OutgoingRequest request;
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
  Impl(std::string host, uint16_t port, ClientTls tls)
      : connection(std::move(host), port, std::move(tls)) {}

  struct Attempt {
    core::Result<Response> result;
    bool stale = false;  // failed because a kept-alive connection was already dead
  };

  Attempt RoundTrip(detail::OutgoingRequest& request, ClientClock::time_point deadline,
                    bool reused) {
    if (beast::error_code ec = connection.Write(request, deadline)) {
      return Failure(ec, reused && IsStaleConnectionError(ec));
    }
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(kMaxResponseBodyBytes);
    parser.header_limit(kMaxResponseHeaderBytes);
    if (beast::error_code ec = connection.Read(parser, deadline)) {
      return Failure(ec, reused && !parser.got_some() && IsStaleConnectionError(ec));
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

Client::Client(std::string host, uint16_t port, ClientTls tls)
    : impl_(std::make_unique<Impl>(std::move(host), port, std::move(tls))) {}

Client::~Client() = default;

void Client::Disconnect() { impl_->connection.Close(); }

core::Result<Response> Client::Send(std::string_view method, std::string_view target,
                                    std::string_view body, std::string_view content_type,
                                    std::chrono::milliseconds timeout, const Headers& headers) {
  TL_ASSIGN_OR_RETURN(auto request,
                      BuildRequest(impl_->connection, method, target, body, content_type, headers));
  const ClientClock::time_point deadline = ClientClock::now() + timeout;
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
  Impl(std::string host, uint16_t port, ClientTls tls)
      : connection(std::move(host), port, std::move(tls)) {}

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

EventStreamClient::EventStreamClient(std::string host, uint16_t port, ClientTls tls)
    : impl_(std::make_unique<Impl>(std::move(host), port, std::move(tls))) {}

EventStreamClient::~EventStreamClient() = default;

void EventStreamClient::Close() { impl_->connection.Close(); }

core::Status EventStreamClient::Open(std::string_view target, std::chrono::milliseconds timeout,
                                     const Headers& headers) {
  Connection& connection = impl_->connection;
  impl_->pending.clear();
  impl_->current = ServerEvent();
  impl_->has_data = false;
  const ClientClock::time_point deadline = ClientClock::now() + timeout;
  TL_ASSIGN_OR_RETURN(auto request, BuildRequest(connection, "GET", target, {}, {}, headers));
  request.set(bhttp::field::accept, "text/event-stream");
  TL_RETURN_IF_ERROR(connection.Connect(deadline));

  bhttp::response_parser<bhttp::empty_body> parser;
  parser.header_limit(kMaxResponseHeaderBytes);
  beast::error_code ec = connection.Write(request, deadline);
  if (!ec) ec = connection.ReadHeader(parser, deadline);
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
  connection.ClearDeadline();
  auto leftover = connection.buffer().data();
  impl_->pending.assign(static_cast<const char*>(leftover.data()), leftover.size());
  connection.buffer().consume(leftover.size());
  return core::Ok();
}

core::Result<ServerEvent> EventStreamClient::Next(std::chrono::milliseconds timeout) {
  Connection& connection = impl_->connection;
  const ClientClock::time_point deadline = ClientClock::now() + timeout;
  while (true) {
    if (std::optional<ServerEvent> event = impl_->ParsePending()) return std::move(*event);
    if (!connection.connected()) return core::Fail("HTTP_STREAM_CLOSED", "stream not open");
    if (impl_->pending.size() > kMaxEventBytes) {
      connection.Close();
      return core::Fail("HTTP_PROTOCOL", "event line too long");
    }
    bool timed_out = false;
    auto [ec, n] = connection.ReadSome(net::buffer(impl_->chunk), deadline, timed_out);
    impl_->pending.append(impl_->chunk.data(), n);
    if (!ec) continue;
    if (timed_out && ec == net::error::operation_aborted) {
      return core::Fail("HTTP_TIMEOUT", "no event before the deadline");
    }
    connection.Close();
    if (IsEndOfStream(ec)) return core::Fail("HTTP_STREAM_CLOSED", "server ended the stream");
    return core::Fail("HTTP_PROTOCOL", ec.message());
  }
}

}  // namespace tradeledger::api::http
