// An HTTP/1.1 server (Boost.Beast) that hands each request to one Handler, over plain TCP or,
// when ServerOptions::tls is set, over TLS only (HTTPS; see tls_context.h for the protocol
// policy: TLS 1.2 at least, 1.3 preferred).
//
// Connections are kept alive and served one request at a time, in order; each connection runs
// on its own strand over a small pool of threads. Hostile or broken clients cost a bounded
// amount of memory and time, and never crash or stall the server:
//   - a request must arrive complete within `read_timeout` (slowloris), and an idle keep-alive
//     connection is closed after the same time; so is a TLS handshake not done by then;
//   - a client that sends plaintext HTTP or garbage to an HTTPS server fails the handshake and
//     is disconnected, like any failed handshake;
//   - a body over `max_body_bytes` gets 413 REQUEST_TOO_LARGE, headers over 8 KiB get 431
//     REQUEST_TOO_LARGE, malformed HTTP gets 400 BAD_REQUEST; all three then close;
//   - beyond `max_connections` open connections, new ones are closed at once;
//   - a response that cannot be written within `read_timeout` closes the connection;
//   - a handler that throws yields 500 INTERNAL (message on stderr).
//
// Thread safety: Start() and Stop() are called from one owning thread. The handler runs on
// server threads, concurrently for different connections.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "api/http/http_types.h"
#include "core/result.h"

namespace tradeledger::api::http {

// The certificate an HTTPS server presents. Both files are PEM and read once, by Start().
struct ServerTls {
  std::string cert_chain_file;   // the server's certificate first, then any intermediates
  std::string private_key_file;  // the certificate's private key, unencrypted
};

// Where the server's warnings go (a connection that failed, a handler that threw). Default:
// stderr, prefixed "tradeledger http: ". Set once, before any server starts; the sink may be
// called from any server thread.
using LogSink = void (*)(std::string_view message);
void SetLogSink(LogSink sink);

struct ServerOptions {
  std::string address = "127.0.0.1";      // IPv4 or IPv6 literal to listen on
  uint16_t port = 0;                      // 0: the kernel picks a free port; Start() returns it
  int threads = 2;                        // I/O threads (at least 1)
  size_t max_body_bytes = 1 << 20;        // larger request bodies get 413
  std::chrono::seconds read_timeout{30};  // per request read, per response write, and idle
  size_t max_connections = 1024;          // open connections, event streams included
  std::optional<ServerTls> tls;           // set: HTTPS only; unset: plain HTTP
};

class Server {
 public:
  Server(ServerOptions options, Handler handler);
  // Stops the server if it is running.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key if configured, binds and listens, then serves on
  // background threads. Returns the bound port. Fails with "HTTP_TLS_CONFIG" (a certificate
  // or key file missing, malformed or not matching) or "HTTP_BIND_FAILED" (bad address, port
  // in use, ...). Call at most once.
  core::Result<uint16_t> Start();

  // Stops accepting, closes every connection (open event streams see their close), and joins
  // the threads. Returns promptly even with connections mid-request; responses not yet
  // written are lost. Responders and streams that outlive it become no-ops. Idempotent; the
  // server cannot be restarted.
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tradeledger::api::http
