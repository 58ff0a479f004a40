// The values that cross the HTTP transport: requests, responses, the callback a handler
// answers through, and server-sent event streams.
//
// A handler receives a decoded `Request` and a `Responder`. It answers by calling the
// Responder exactly once, either before returning or later from any thread (long-poll: keep the
// Responder and answer when a transaction commits). To stream server-sent events instead, it
// creates an `EventStream`, answers with `EventStreamResponse(stream)` and keeps the stream to
// `Send()` on.
//
// Thread safety: Request and Response are plain values. A Responder may be invoked from any
// thread; EventStream is safe to use from any number of threads.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tradeledger::api::http {

class EventStream;

struct Request {
  std::string method;                          // as sent, e.g. "GET"
  std::string path;                            // percent-decoded path, without the query
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-case names; repeats joined with ", "
  std::string body;
  std::string remote_address;  // "ip:port" of the peer
};

struct Response {
  int status = 200;  // 200..599; anything else is answered as 500 and logged
  std::string content_type = "application/json";  // empty: no Content-Type header
  std::string body;
  // Extra headers. Names or values containing CR, LF or NUL are dropped (and logged).
  std::vector<std::pair<std::string, std::string>> headers;
  // Set only by EventStreamResponse(); when set, `body` and `content_type` are ignored.
  std::shared_ptr<EventStream> event_stream;
};

// Answers the request it was handed with. Call exactly once, from any thread, at any time;
// after the connection closed or the server stopped the call does nothing. A second call is a
// handler bug: it is ignored and logged. If every copy of a Responder is destroyed without
// being called, the server answers 500 INTERNAL so the client is not left hanging.
using Responder = std::function<void(Response)>;

// Called on a server thread for every request. It must not block for long (it holds one of
// the server's few threads); slow work answers later through the Responder. It should not
// throw: if it does, the client gets 500 INTERNAL and the message goes to stderr.
using Handler = std::function<void(Request, Responder)>;

// Escapes `text` as the inside of a JSON string (no surrounding quotes): '"', '\\' and control
// characters are escaped, and bytes that are not valid UTF-8 become U+FFFD so the output is
// always valid JSON whatever the input.
std::string JsonEscape(std::string_view text);

// {"error":{"code":"<code>","message":"<message>"}} with the given status.
Response JsonError(int status, std::string_view code, std::string_view message);

namespace detail {
// Where an attached EventStream delivers its bytes; implemented by the server's connection.
// Both methods may be called from any thread; they return false once the connection is gone.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual bool Write(std::string bytes) = 0;
  virtual bool Close() = 0;
};
}  // namespace detail

// One server-sent-events response (text/event-stream) to one client.
//
// Events sent before the server has attached the stream to its connection are buffered and
// delivered in order once it has. The stream is "open" until the client disconnects, a write
// fails or times out, Close() is called, or the server stops; after that Send() returns false
// and the OnClose callback has run (exactly once, on an arbitrary thread, without locks held).
class EventStream {
 public:
  static std::shared_ptr<EventStream> Create();
  ~EventStream() = default;
  EventStream(const EventStream&) = delete;
  EventStream& operator=(const EventStream&) = delete;

  // Queues one event: "event: <event>\n" (omitted when empty) then one "data: " line per line
  // of `data`, then a blank line. CR and LF in `event` are replaced by spaces. Returns false if
  // the stream is closed (the event is dropped). Never blocks on the network.
  bool Send(std::string_view event, std::string_view data);
  // Queues an SSE comment line (": text"), useful as a heartbeat through idle proxies.
  bool SendComment(std::string_view text);
  // Flushes what was queued, then ends the response and closes the connection.
  void Close();
  bool IsOpen() const;
  // Runs `callback` once when the stream closes (immediately, on this thread, if it already
  // has). Replaces any earlier callback that has not run yet.
  void OnClose(std::function<void()> callback);

  // For the server: connects the stream to its connection and flushes buffered events.
  // Returns false if the stream had already closed (its response should end at once).
  bool Attach(std::shared_ptr<detail::EventSink> sink);
  // For the server: the connection has gone away.
  void MarkClosed();

 private:
  EventStream() = default;
  bool Enqueue(std::string bytes);

  mutable std::mutex mu_;
  bool closed_ = false;                      // guarded by mu_
  bool close_requested_ = false;             // guarded by mu_
  std::shared_ptr<detail::EventSink> sink_;  // guarded by mu_; null until attached
  std::vector<std::string> pending_;         // guarded by mu_; events before Attach()
  std::function<void()> on_close_;           // guarded by mu_
};

// A Response that turns the connection into the given event stream: 200, text/event-stream,
// Cache-Control: no-cache, then events until the stream closes. The connection is not reused.
Response EventStreamResponse(std::shared_ptr<EventStream> stream);

}  // namespace tradeledger::api::http
