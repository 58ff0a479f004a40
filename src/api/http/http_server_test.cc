// Server and client over real sockets on 127.0.0.1 with ephemeral ports.
#include "api/http/http_server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <stdexcept>
#include <thread>

#include "api/http/http_client.h"

namespace tradeledger::api::http {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Starts a server on an ephemeral port and stops it on destruction.
class TestServer {
 public:
  TestServer(Handler handler, ServerOptions options = {})
      : server_(std::move(options), std::move(handler)) {
    auto port = server_.Start();
    EXPECT_TRUE(port) << port.error().ToString();
    port_ = port ? *port : 0;
  }
  uint16_t port() const { return port_; }
  Server& server() { return server_; }

 private:
  Server server_;
  uint16_t port_ = 0;
};

Response Text(std::string body, int status = 200) {
  Response response;
  response.status = status;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

// A plain POSIX socket, so that tests can send bytes no HTTP client would.
class RawSocket {
 public:
  explicit RawSocket(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  }
  ~RawSocket() { Close(); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }

  bool Write(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  struct ReadResult {
    std::string bytes;
    bool closed = false;  // EOF or reset seen before the timeout
  };
  // Reads until the peer closes or `timeout` passes.
  ReadResult ReadUntilClosed(std::chrono::milliseconds timeout) {
    ReadResult result;
    auto deadline = Clock::now() + timeout;
    char buffer[4096];
    while (Clock::now() < deadline) {
      timeval tv{0, 100 * 1000};
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n > 0) {
        result.bytes.append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        result.closed = true;
        return result;
      }
    }
    return result;
  }

  // Closes with a reset rather than a FIN, like a client that crashed.
  void Abort() {
    linger option{1, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_LINGER, &option, sizeof(option));
    Close();
  }

  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

Handler EchoHandler() {
  return [](Request request, Responder respond) {
    std::string out = request.method + " " + request.path;
    for (const auto& [key, value] : request.query) out += " q:" + key + "=" + value;
    if (auto it = request.headers.find("x-test"); it != request.headers.end()) {
      out += " h:" + it->second;
    }
    if (auto it = request.headers.find("content-type"); it != request.headers.end()) {
      out += " ct:" + it->second;
    }
    out += " body:" + request.body;
    respond(Text(out));
  };
}

TEST(HttpServer, RoundTripsGetAndPostWithDecodedPathAndQuery) {
  TestServer server(EchoHandler());
  Client client("127.0.0.1", server.port());

  auto get = client.Send("GET", "/v1/docs/ab%20c?x=1%2B1&name=J%C3%BCrgen+M");
  ASSERT_TRUE(get) << get.error().ToString();
  EXPECT_EQ(get->status, 200);
  EXPECT_EQ(get->content_type, "text/plain");
  EXPECT_EQ(get->body, "GET /v1/docs/ab c q:name=J\xC3\xBCrgen M q:x=1+1 body:");

  auto post = client.Send("POST", "/v1/tx", R"({"a":1})");
  ASSERT_TRUE(post) << post.error().ToString();
  EXPECT_EQ(post->body, R"(POST /v1/tx ct:application/json body:{"a":1})");

  auto put = client.Send("PUT", "/x", "raw bytes", "application/octet-stream");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->body, "PUT /x ct:application/octet-stream body:raw bytes");
}

TEST(HttpServer, AnswersUndecodableTargetWith400AndKeepsConnection) {
  TestServer server(EchoHandler());
  Client client("127.0.0.1", server.port());
  auto bad = client.Send("GET", "/x?a=1&a=2");
  ASSERT_TRUE(bad) << bad.error().ToString();
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("BAD_REQUEST"), std::string::npos);
  auto good = client.Send("GET", "/y");
  ASSERT_TRUE(good);
  EXPECT_EQ(good->status, 200);
}

TEST(HttpServer, KeepAliveReusesOneConnection) {
  TestServer server(
      [](Request request, Responder respond) { respond(Text(request.remote_address)); });
  Client client("127.0.0.1", server.port());
  auto first = client.Send("GET", "/");
  auto second = client.Send("GET", "/");
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body, second->body);
  EXPECT_TRUE(first->body.starts_with("127.0.0.1:"));

  client.Disconnect();
  auto third = client.Send("GET", "/");
  ASSERT_TRUE(third);
  EXPECT_NE(third->body, first->body);  // a new connection, from a new local port
}

TEST(HttpClient, ReconnectsWhenServerClosedIdleConnection) {
  ServerOptions options;
  options.read_timeout = 1s;  // also the idle timeout
  TestServer server(
      [](Request request, Responder respond) { respond(Text(request.remote_address)); }, options);
  Client client("127.0.0.1", server.port());
  auto first = client.Send("GET", "/");
  ASSERT_TRUE(first);
  std::this_thread::sleep_for(1500ms);
  auto second = client.Send("POST", "/", "again");
  ASSERT_TRUE(second) << second.error().ToString();
  EXPECT_NE(first->body, second->body);
}

TEST(HttpServer, OversizedBodyGets413) {
  ServerOptions options;
  options.max_body_bytes = 1024;
  TestServer server(EchoHandler(), options);
  Client client("127.0.0.1", server.port());

  auto ok = client.Send("POST", "/", std::string(1024, 'a'));
  ASSERT_TRUE(ok) << ok.error().ToString();
  EXPECT_EQ(ok->status, 200);

  auto big = client.Send("POST", "/", std::string(200 * 1024, 'a'));
  ASSERT_TRUE(big) << big.error().ToString();
  EXPECT_EQ(big->status, 413);
  EXPECT_EQ(big->content_type, "application/json");
  EXPECT_NE(big->body.find(R"("code":"REQUEST_TOO_LARGE")"), std::string::npos);

  auto after = client.Send("GET", "/");  // reconnects: the server closed after the 413
  ASSERT_TRUE(after) << after.error().ToString();
  EXPECT_EQ(after->status, 200);
}

TEST(HttpServer, GarbageGets400OrCloseAndServerKeepsServing) {
  ServerOptions options;
  options.read_timeout = 2s;
  TestServer server(EchoHandler(), options);

  std::mt19937 rng(12345);
  std::string random_bytes(4096, '\0');
  for (char& c : random_bytes) c = static_cast<char>(rng() & 0xff);
  const std::string inputs[] = {
      std::string("\x00\x01\x02garbage\r\n\r\n", 14),
      "NOT HTTP AT ALL\r\n\r\n",
      "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
      "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
      "GET / HTTP/1.1\r\nHost x\r\n\r\n",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
      "GET / HTTP/1.1\r\nX: " + std::string(16 * 1024, 'h') + "\r\n\r\n",
      random_bytes,
  };
  for (const std::string& input : inputs) {
    RawSocket raw(server.port());
    ASSERT_TRUE(raw.connected());
    raw.Write(input);
    RawSocket::ReadResult result = raw.ReadUntilClosed(5s);
    EXPECT_TRUE(result.closed) << "server did not close after: " << input.substr(0, 40);
    if (!result.bytes.empty()) {
      EXPECT_TRUE(result.bytes.starts_with("HTTP/1.1 400") ||
                  result.bytes.starts_with("HTTP/1.1 431"))
          << result.bytes.substr(0, 80);
    }
  }
  Client client("127.0.0.1", server.port());
  auto after = client.Send("GET", "/still-here");
  ASSERT_TRUE(after) << after.error().ToString();
  EXPECT_EQ(after->status, 200);
}

TEST(HttpServer, HeadersOverTheLimitGet431AndBrokenFramingGets400) {
  TestServer server(EchoHandler());
  Client client("127.0.0.1", server.port());
  auto big = client.Send("GET", "/", {}, {}, 5s, {{"X-Big", std::string(16 * 1024, 'h')}});
  ASSERT_TRUE(big) << big.error().ToString();
  EXPECT_EQ(big->status, 431);
  EXPECT_NE(big->body.find(R"("code":"REQUEST_TOO_LARGE")"), std::string::npos) << big->body;
  for (const char* input : {"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                            "GET / HTTP/1.1\r\nHost x\r\n\r\n"}) {
    RawSocket raw(server.port());
    ASSERT_TRUE(raw.connected());
    raw.Write(input);
    RawSocket::ReadResult result = raw.ReadUntilClosed(5s);
    EXPECT_TRUE(result.closed) << input;
    EXPECT_TRUE(result.bytes.starts_with("HTTP/1.1 400")) << result.bytes;
    EXPECT_NE(result.bytes.find(R"("code":"BAD_REQUEST")"), std::string::npos) << result.bytes;
  }
  auto after = client.Send("GET", "/after");  // reconnects: the server closed after the 431
  ASSERT_TRUE(after) << after.error().ToString();
  EXPECT_EQ(after->status, 200);
}

TEST(HttpServer, SlowClientIsCutOffByReadTimeout) {
  ServerOptions options;
  options.read_timeout = 1s;
  TestServer server(EchoHandler(), options);
  RawSocket raw(server.port());
  ASSERT_TRUE(raw.connected());
  auto start = Clock::now();
  raw.Write("GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  // Trickle a byte now and then, never finishing the header.
  bool cut_off = false;
  while (Clock::now() - start < 5s) {
    if (!raw.Write("a")) {
      cut_off = true;
      break;
    }
    if (raw.ReadUntilClosed(300ms).closed) {
      cut_off = true;
      break;
    }
  }
  EXPECT_TRUE(cut_off);
  EXPECT_LT(Clock::now() - start, 3s);

  Client client("127.0.0.1", server.port());
  EXPECT_TRUE(client.Send("GET", "/"));
}

TEST(HttpServer, ClientVanishingMidResponseDoesNotHurtServer) {
  TestServer server([](Request request, Responder respond) {
    respond(Text(request.path == "/big" ? std::string(16 << 20, 'x') : "small"));
  });
  for (int i = 0; i < 5; ++i) {
    RawSocket raw(server.port());
    ASSERT_TRUE(raw.connected());
    raw.Write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(20ms);
    raw.Abort();
  }
  Client client("127.0.0.1", server.port());
  auto after = client.Send("GET", "/small");
  ASSERT_TRUE(after) << after.error().ToString();
  EXPECT_EQ(after->body, "small");
}

// Holds Responders that handlers handed over, for tests that answer later.
class ParkedResponders {
 public:
  void Park(Responder responder) {
    std::lock_guard lock(mu_);
    parked_.push_back(std::move(responder));
    cv_.notify_all();
  }
  bool WaitFor(size_t count, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return parked_.size() >= count; });
  }
  Responder Take() {
    std::lock_guard lock(mu_);
    Responder responder = std::move(parked_.front());
    parked_.pop_front();
    return responder;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Responder> parked_;
};

TEST(HttpServer, LongPollAnsweredLaterFromAnotherThread) {
  ParkedResponders parked;
  TestServer server([&](Request, Responder respond) { parked.Park(std::move(respond)); });

  std::thread answerer([&] {
    ASSERT_TRUE(parked.WaitFor(3, 5s));
    std::this_thread::sleep_for(100ms);
    for (int i = 0; i < 3; ++i) parked.Take()(Text("committed"));
  });
  std::vector<std::future<core::Result<Response>>> polls;
  for (int i = 0; i < 3; ++i) {
    polls.push_back(std::async(std::launch::async, [&] {
      Client client("127.0.0.1", server.port());
      return client.Send("GET", "/v1/wait?height=7", {}, {}, 10s);
    }));
  }
  for (auto& poll : polls) {
    auto response = poll.get();
    ASSERT_TRUE(response) << response.error().ToString();
    EXPECT_EQ(response->body, "committed");
  }
  answerer.join();
}

TEST(HttpServer, ManyConcurrentClientsAreAllAnswered) {
  ServerOptions options;
  options.threads = 4;
  TestServer server(
      [](Request request, Responder respond) { respond(Text(request.query.at("i"))); }, options);
  constexpr int kThreads = 8;
  constexpr int kRequests = 200;
  std::atomic<int> answered{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Client client("127.0.0.1", server.port());
      for (int i = 0; i < kRequests; ++i) {
        std::string tag = std::to_string(t) + "-" + std::to_string(i);
        auto response = client.Send("POST", "/echo?i=" + tag, "payload");
        if (response && response->status == 200 && response->body == tag) ++answered;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(answered.load(), kThreads * kRequests);
}

TEST(HttpClient, TimesOutWhenHandlerNeverAnswers) {
  ParkedResponders parked;
  TestServer server([&](Request request, Responder respond) {
    if (request.path == "/never") {
      parked.Park(std::move(respond));
    } else {
      respond(Text("prompt"));
    }
  });
  Client client("127.0.0.1", server.port());
  auto start = Clock::now();
  auto response = client.Send("GET", "/never", {}, {}, 300ms);
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, "HTTP_TIMEOUT");
  EXPECT_LT(Clock::now() - start, 2s);

  // Answering after the client gave up is harmless.
  ASSERT_TRUE(parked.WaitFor(1, 1s));
  parked.Take()(Text("too late"));

  auto next = client.Send("GET", "/prompt");
  ASSERT_TRUE(next) << next.error().ToString();
  EXPECT_EQ(next->body, "prompt");
}

TEST(HttpClient, ReportsConnectFailure) {
  uint16_t port = 0;
  {
    TestServer server(EchoHandler());
    port = server.port();
  }
  Client client("127.0.0.1", port);
  auto response = client.Send("GET", "/");
  ASSERT_FALSE(response);
  EXPECT_EQ(response.error().code, "HTTP_CONNECT_FAILED");

  Client bad_name("no-such-host.invalid", 80);
  auto unresolved = bad_name.Send("GET", "/", {}, {}, 2s);
  ASSERT_FALSE(unresolved);
  EXPECT_EQ(unresolved.error().code, "HTTP_CONNECT_FAILED");
}

TEST(HttpClient, RejectsInvalidMethodOrTarget) {
  Client client("127.0.0.1", 1);
  EXPECT_EQ(client.Send("GET", "/a b").error().code, "HTTP_PROTOCOL");
  EXPECT_EQ(client.Send("GET", "/a\r\nX: y").error().code, "HTTP_PROTOCOL");
  EXPECT_EQ(client.Send("GE T", "/").error().code, "HTTP_PROTOCOL");
  EXPECT_EQ(client.Send("GET", "relative").error().code, "HTTP_PROTOCOL");
}

TEST(HttpServer, ThrowingHandlerGets500AndConnectionSurvives) {
  TestServer server([](Request request, Responder respond) {
    if (request.path == "/throw") throw std::runtime_error("boom (expected by the test)");
    respond(Text(request.remote_address));
  });
  Client client("127.0.0.1", server.port());
  auto before = client.Send("GET", "/");
  auto thrown = client.Send("GET", "/throw");
  ASSERT_TRUE(thrown) << thrown.error().ToString();
  EXPECT_EQ(thrown->status, 500);
  EXPECT_EQ(thrown->body, R"({"error":{"code":"INTERNAL","message":"internal error"}})");
  auto after = client.Send("GET", "/");
  ASSERT_TRUE(before && after);
  EXPECT_EQ(before->body, after->body);  // same connection
}

TEST(HttpServer, DroppedResponderOrInvalidStatusGets500) {
  TestServer server([](Request request, Responder respond) {
    if (request.path == "/bad-status") respond(Text("x", 42));
    // Otherwise the Responder is dropped unanswered.
  });
  Client client("127.0.0.1", server.port());
  auto dropped = client.Send("GET", "/drop", {}, {}, 5s);
  ASSERT_TRUE(dropped) << dropped.error().ToString();
  EXPECT_EQ(dropped->status, 500);
  auto bad = client.Send("GET", "/bad-status", {}, {}, 5s);
  ASSERT_TRUE(bad) << bad.error().ToString();
  EXPECT_EQ(bad->status, 500);
}

TEST(HttpServer, ExtraHeadersAreSentAndInjectionIsDropped) {
  TestServer server([](Request, Responder respond) {
    Response response = Text("ok");
    response.headers = {
        {"X-Height", "7"}, {"X-Evil", "a\r\nSet-Cookie: x"}, {"Content-Length", "1"}};
    respond(std::move(response));
  });
  Client client("127.0.0.1", server.port());
  auto response = client.Send("GET", "/");
  ASSERT_TRUE(response) << response.error().ToString();
  EXPECT_EQ(response->body, "ok");
  int height = 0, evil = 0;
  for (const auto& [name, value] : response->headers) {
    if (name == "x-height" && value == "7") ++height;
    if (name == "x-evil" || name == "set-cookie") ++evil;
  }
  EXPECT_EQ(height, 1);
  EXPECT_EQ(evil, 0);
}

TEST(HttpServer, RefusesConnectionsBeyondLimit) {
  ServerOptions options;
  options.max_connections = 2;
  TestServer server(EchoHandler(), options);
  Client a("127.0.0.1", server.port());
  Client b("127.0.0.1", server.port());
  ASSERT_TRUE(a.Send("GET", "/"));
  ASSERT_TRUE(b.Send("GET", "/"));

  Client c("127.0.0.1", server.port());
  EXPECT_FALSE(c.Send("GET", "/", {}, {}, 2s));

  a.Disconnect();  // frees a slot once the server sees the close
  bool served = false;
  for (auto start = Clock::now(); !served && Clock::now() - start < 5s;) {
    served = c.Send("GET", "/", {}, {}, 2s).has_value();
    if (!served) std::this_thread::sleep_for(50ms);
  }
  EXPECT_TRUE(served);
}

TEST(HttpServer, StopWithOpenConnectionsReturnsPromptly) {
  ParkedResponders parked;
  std::shared_ptr<EventStream> stream = EventStream::Create();
  std::promise<void> stream_closed;
  stream->OnClose([&] { stream_closed.set_value(); });
  auto server = std::make_unique<TestServer>([&](Request request, Responder respond) {
    if (request.path == "/events") return respond(EventStreamResponse(stream));
    if (request.path == "/wait") return parked.Park(std::move(respond));
    respond(Text("ok"));
  });
  uint16_t port = server->port();

  std::vector<std::unique_ptr<Client>> idle;
  for (int i = 0; i < 3; ++i) {
    idle.push_back(std::make_unique<Client>("127.0.0.1", port));
    ASSERT_TRUE(idle.back()->Send("GET", "/"));
  }
  RawSocket half(port);
  half.Write("GET / HTTP/1.1\r\nHo");
  EventStreamClient events("127.0.0.1", port);
  ASSERT_TRUE(events.Open("/events"));
  auto poll = std::async(std::launch::async, [port] {
    Client client("127.0.0.1", port);
    return client.Send("GET", "/wait", {}, {}, 20s);
  });
  ASSERT_TRUE(parked.WaitFor(1, 5s));

  auto start = Clock::now();
  server->server().Stop();
  EXPECT_LT(Clock::now() - start, 2s);

  EXPECT_EQ(stream_closed.get_future().wait_for(1s), std::future_status::ready);
  EXPECT_FALSE(stream->Send("late", "ignored"));
  auto polled = poll.get();  // the long-poll client sees its connection close
  EXPECT_FALSE(polled);
  EXPECT_LT(Clock::now() - start, 5s);
  parked.Take()(Text("after stop"));  // harmless
  EXPECT_TRUE(half.ReadUntilClosed(2s).closed);
  server.reset();
}

TEST(HttpServer, EventStreamDeliversEventsInOrder) {
  std::shared_ptr<EventStream> stream = EventStream::Create();
  ASSERT_TRUE(stream->Send("hello", "buffered before the response"));
  std::promise<void> answered;
  TestServer server([&](Request, Responder respond) {
    respond(EventStreamResponse(stream));
    answered.set_value();
  });
  EventStreamClient client("127.0.0.1", server.port());
  auto opened = client.Open("/v1/events");
  ASSERT_TRUE(opened) << opened.error().ToString();
  answered.get_future().wait();

  std::thread producer([&] {
    for (int i = 0; i < 200; ++i) stream->Send("commit", std::to_string(i));
    stream->SendComment("heartbeat");
    stream->Send("", "line one\nline two\r\nline three");
  });
  auto first = client.Next(5s);
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->event, "hello");
  EXPECT_EQ(first->data, "buffered before the response");
  for (int i = 0; i < 200; ++i) {
    auto event = client.Next(5s);
    ASSERT_TRUE(event) << event.error().ToString();
    EXPECT_EQ(event->event, "commit");
    EXPECT_EQ(event->data, std::to_string(i));
  }
  auto multi = client.Next(5s);
  ASSERT_TRUE(multi) << multi.error().ToString();
  EXPECT_EQ(multi->event, "message");
  EXPECT_EQ(multi->data, "line one\nline two\nline three");
  producer.join();

  auto idle = client.Next(200ms);  // nothing more: a timeout that leaves the stream usable
  ASSERT_FALSE(idle);
  EXPECT_EQ(idle.error().code, "HTTP_TIMEOUT");
  stream->Send("commit", "late");
  auto late = client.Next(5s);
  ASSERT_TRUE(late) << late.error().ToString();
  EXPECT_EQ(late->data, "late");

  stream->Close();  // the owner ends the stream: the client sees it end
  EXPECT_FALSE(stream->IsOpen());
  auto end = client.Next(5s);
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error().code, "HTTP_STREAM_CLOSED");
}

TEST(HttpServer, EventStreamNoticesClientDisconnect) {
  std::shared_ptr<EventStream> stream = EventStream::Create();
  std::promise<void> closed;
  stream->OnClose([&] { closed.set_value(); });
  TestServer server([&](Request request, Responder respond) {
    respond(request.path == "/events" ? EventStreamResponse(stream) : Text("ok"));
  });
  EventStreamClient client("127.0.0.1", server.port());
  ASSERT_TRUE(client.Open("/events"));
  ASSERT_TRUE(stream->Send("x", "1"));
  ASSERT_TRUE(client.Next(5s));
  EXPECT_TRUE(stream->IsOpen());

  client.Close();
  EXPECT_EQ(closed.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(stream->IsOpen());
  EXPECT_FALSE(stream->Send("x", "2"));
  bool called_again = false;
  stream->OnClose([&] { called_again = true; });  // already closed: runs at once
  EXPECT_TRUE(called_again);

  Client other("127.0.0.1", server.port());  // the server still serves
  EXPECT_TRUE(other.Send("GET", "/", {}, {}, 5s));

  // Answering with a stream that has already closed ends the response at once.
  EventStreamClient late("127.0.0.1", server.port());
  ASSERT_TRUE(late.Open("/events", 5s));
  auto end = late.Next(5s);
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error().code, "HTTP_STREAM_CLOSED");
}

TEST(JsonError, EscapesAndReplacesInvalidUtf8) {
  Response response =
      JsonError(404, "NOT_FOUND", "no \"doc\" \\ here\n\t\x01\x7f caf\xC3\xA9 bad\xFF\xC3 end");
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body,
            "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no \\\"doc\\\" \\\\ here\\n\\t"
            "\\u0001\\u007f caf\xC3\xA9 bad\xEF\xBF\xBD\xEF\xBF\xBD end\"}}");
  EXPECT_EQ(JsonEscape("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");  // surrogate
  EXPECT_EQ(JsonEscape("\xF0\x9F\x93\xA6"), "\xF0\x9F\x93\xA6");                  // U+1F4E6
}

TEST(HttpServer, StartFailsOnBadAddressOrBusyPort) {
  TestServer first(EchoHandler());
  ServerOptions busy;
  busy.port = first.port();
  Server second(busy, EchoHandler());
  auto result = second.Start();
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "HTTP_BIND_FAILED");

  ServerOptions bad;
  bad.address = "not-an-ip";
  Server third(bad, EchoHandler());
  EXPECT_EQ(third.Start().error().code, "HTTP_BIND_FAILED");
}

}  // namespace
}  // namespace tradeledger::api::http
