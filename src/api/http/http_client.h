// Blocking HTTP/1.1 clients for the CLI and the tests (Boost.Beast), over plain TCP or TLS.
//
// `Client` keeps one connection to one server alive across calls and reconnects when the
// server has closed it. Every call has a deadline covering connect, TLS handshake, write and
// read.
//
// Over TLS (ClientTls::enabled) the server must present a certificate chain that verifies
// against the given CA file, or the system's trust store, and that names the host the client
// was given: a DNS subjectAltName for a name, an IP address subjectAltName for an IP literal.
// TLS 1.2 is the minimum and 1.3 is used whenever the server speaks it.
//
// Error codes (in Error::code):
//   HTTP_CONNECT_FAILED  the request was never sent: name resolution, refusal, or no connection
//                        (or TLS handshake) within the deadline. Safe to retry.
//   HTTP_TLS_FAILED      the request was never sent because TLS could not be set up: the
//                        server's certificate is not trusted or does not name the host, the
//                        CA file cannot be loaded, or the server does not speak TLS. The
//                        message says which; retrying will not help.
//   HTTP_TIMEOUT         the request was sent but no complete response arrived in time. The
//                        server may or may not have acted on it.
//   HTTP_PROTOCOL        the connection broke or the response was malformed or too large
//                        (> 64 MiB); also an invalid method or target passed by the caller.
//   HTTP_STREAM_CLOSED   (EventStreamClient) the server ended the event stream.
//
// Thread safety: a Client or EventStreamClient is used by one thread at a time.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/http/http_types.h"
#include "api/http/url.h"
#include "core/result.h"

namespace tradeledger::api::http {

// Extra request headers (name, value); names and values may not contain CR, LF or NUL.
using Headers = std::vector<std::pair<std::string, std::string>>;

// How a client secures its connection. The default is plain HTTP.
struct ClientTls {
  bool enabled = false;  // speak HTTPS (e.g. for an https:// URL: ParsedUrl::tls())
  std::string ca_file;   // PEM CA certificates to trust; empty: the system's trust store
};

class Client {
 public:
  // Connects lazily, on the first Send(). `host` is a name or an IP literal; over TLS it is
  // also the name the server's certificate must carry.
  Client(std::string host, uint16_t port, ClientTls tls = {});
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Sends one request and waits for the whole response (any status: a 404 is a successful
  // call). `target` is the encoded origin-form target, e.g. "/v1/docs?id=x%20y". A kept-alive
  // connection the server had already closed is replaced and the request sent again, but only
  // when not a byte of response had arrived. Response::headers holds the response headers
  // with lower-case names; Response::content_type comes from Content-Type.
  core::Result<Response> Send(std::string_view method, std::string_view target,
                              std::string_view body = {},
                              std::string_view content_type = "application/json",
                              std::chrono::milliseconds timeout = std::chrono::seconds(30),
                              const Headers& headers = {});

  // Drops the connection, if any; the next Send() reconnects.
  void Disconnect();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One server-sent event as parsed from a text/event-stream body.
struct ServerEvent {
  std::string event = "message";  // the "event:" field, "message" if absent
  std::string data;               // "data:" lines joined with '\n'
  std::string id;                 // the "id:" field, if any
};

// A minimal server-sent-events reader (for tests and `tradeledger watch`): one GET, then
// events one at a time. Comments and unknown fields are skipped; events without data are not
// reported, as in the SSE specification.
class EventStreamClient {
 public:
  EventStreamClient(std::string host, uint16_t port, ClientTls tls = {});
  ~EventStreamClient();
  EventStreamClient(const EventStreamClient&) = delete;
  EventStreamClient& operator=(const EventStreamClient&) = delete;

  // Sends GET `target` (with `headers`, e.g. a read signature) and reads the response header.
  // Fails as Client::Send does, and with HTTP_PROTOCOL if the status is not 200 or the
  // content type is not text/event-stream.
  core::Status Open(std::string_view target,
                    std::chrono::milliseconds timeout = std::chrono::seconds(30),
                    const Headers& headers = {});

  // Waits for the next event. HTTP_TIMEOUT leaves the stream usable; HTTP_STREAM_CLOSED and
  // HTTP_PROTOCOL end it.
  core::Result<ServerEvent> Next(std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Closes the connection; the server sees the stream close.
  void Close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeledger::api::http
