// One client connection, plain TCP or TLS, driven by a private io_context; the blocking core of
// Client and EventStreamClient (http_client.h). Not part of the API.
//
// Every operation blocks until it completes or its deadline passes. Deadlines come from
// beast::tcp_stream's timers, which close the socket when they fire, except in ReadSome(),
// which cancels the read instead so that a timeout leaves the connection usable.
//
// Thread safety: one thread at a time.
#pragma once

#include <boost/asio/buffer.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "api/http/http_client.h"
#include "core/result.h"

namespace tradeledger::api::http::detail {

using ClientClock = std::chrono::steady_clock;
using OutgoingRequest = boost::beast::http::request<boost::beast::http::string_body>;

class Connection {
 public:
  Connection(std::string host, uint16_t port, ClientTls tls);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const { return plain_.has_value() || tls_.has_value(); }
  // Bytes read past the end of what the last read consumed (plaintext, also over TLS).
  boost::beast::flat_buffer& buffer() { return buffer_; }
  // "host:port" as the Host header wants it (IPv6 literals in brackets).
  std::string HostHeader() const;

  // Replaces any connection with a new one: resolve, connect and, over TLS, the handshake.
  // HTTP_CONNECT_FAILED (retryable) or, over TLS, HTTP_TLS_FAILED (see tls_context.h).
  core::Status Connect(ClientClock::time_point deadline);

  // Each returns the operation's error (beast::error::timeout after the deadline); on error
  // the connection should be closed.
  boost::beast::error_code Write(OutgoingRequest& request, ClientClock::time_point deadline);
  boost::beast::error_code Read(
      boost::beast::http::response_parser<boost::beast::http::string_body>& parser,
      ClientClock::time_point deadline);
  boost::beast::error_code ReadHeader(
      boost::beast::http::response_parser<boost::beast::http::empty_body>& parser,
      ClientClock::time_point deadline);
  // Reads what has arrived (at least a byte) into `out`, without consuming buffer(). On the
  // deadline the read is cancelled: `timed_out` is set and the connection stays usable.
  std::pair<boost::beast::error_code, size_t> ReadSome(boost::asio::mutable_buffer out,
                                                       ClientClock::time_point deadline,
                                                       bool& timed_out);
  // No deadline for later operations (an event stream idles for as long as it likes).
  void ClearDeadline();

  void Close();

 private:
  using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

  boost::beast::tcp_stream& tcp();
  // Calls fn(stream) with the plain or the TLS stream, whichever is connected.
  template <typename Fn>
  void WithStream(Fn&& fn) {
    if (tls_) {
      fn(*tls_);
    } else {
      fn(*plain_);
    }
  }
  // Starts one operation through `start(handler)` and runs until everything has completed.
  template <typename Start>
  std::pair<boost::beast::error_code, size_t> Run(Start&& start);
  std::string Peer() const;

  std::string host_;
  uint16_t port_;
  ClientTls tls_options_;
  boost::asio::io_context ioc_{1};
  std::unique_ptr<boost::asio::ssl::context> tls_context_;  // made on the first TLS connect
  std::optional<boost::beast::tcp_stream> plain_;           // engaged while connected, HTTP
  std::optional<TlsStream> tls_;                            // engaged while connected, HTTPS
  boost::beast::flat_buffer buffer_;
};

}  // namespace tradeledger::api::http::detail
