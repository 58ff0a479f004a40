// Internals of Server shared by http_server.cc and server_session.cc; not part of the API.
//
// Thread safety / invariants
//
// - Every connection is a `Session` whose stream is used only on its own strand. Code outside
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
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "api/http/http_server.h"
#include "api/http/http_types.h"

namespace tradeledger::api::http::detail {

// One connection, as the server, Responders and event streams see it. The I/O itself lives in
// the stream-specific subclass (plain TCP or TLS) that MakeSession() creates.
class Session : public std::enable_shared_from_this<Session> {
 public:
  virtual ~Session() = default;

  // The connection's strand.
  virtual boost::asio::any_io_executor executor() = 0;
  // Starts serving: the TLS handshake first on an HTTPS connection, then requests.
  virtual void Start() = 0;
  // On the strand: the handler's answer to request `seq`; ignored if it is not the pending one.
  virtual void Respond(uint64_t seq, Response response) = 0;
  // On the strand: bytes from the attached EventStream.
  virtual void StreamWrite(std::string bytes) = 0;
  // On the strand: the EventStream's owner closed it; flush, then close.
  virtual void FinishStream() = 0;
  // On the strand (or with no server thread running): closes the connection now. Idempotent.
  virtual void Close() = 0;
};

// Shared by the server, its sessions and every Responder / event-stream sink it hands out.
struct ServerState {
  ServerOptions options;
  Handler handler;  // used only on server threads, and reset by Stop() after they are joined
  // Set before serving when options.tls is; read-only afterwards (sessions create their TLS
  // streams from it on server threads).
  std::unique_ptr<boost::asio::ssl::context> tls_context;

  std::mutex mu;
  bool open = false;             // guarded by mu: posting to sessions is allowed
  uint64_t next_session_id = 0;  // guarded by mu
  std::unordered_map<uint64_t, std::shared_ptr<Session>> sessions;  // guarded by mu
};

// Runs fn(session) on the session's strand. Returns false (and does nothing) once the server
// has stopped or the session has closed.
template <typename Fn>
bool PostToSession(ServerState& state, const std::weak_ptr<Session>& weak, Fn&& fn) {
  std::lock_guard lock(state.mu);
  if (!state.open) return false;
  // Declared after the lock so that, if this is the last reference, the session is destroyed
  // while the io_context is known to be alive.
  std::shared_ptr<Session> session = weak.lock();
  if (!session) return false;
  boost::asio::post(session->executor(),
                    [session, fn = std::forward<Fn>(fn)]() mutable { fn(*session); });
  return true;
}

// A session for a connection just accepted on a strand: HTTPS if `state->tls_context` is set,
// plain HTTP otherwise. The caller registers it in `state->sessions`, then calls Start().
std::shared_ptr<Session> MakeSession(boost::asio::ip::tcp::socket socket,
                                     std::shared_ptr<ServerState> state, uint64_t id);

}  // namespace tradeledger::api::http::detail
