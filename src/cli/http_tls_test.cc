// The HTTP transport (api/http) over TLS, on real sockets on 127.0.0.1, with throw-away
// certificates from tls_certs.h. Every wait is bounded.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <future>
#include <thread>

#include "api/http/http_client.h"
#include "api/http/http_server.h"
#include "cli/tls_certs.h"

namespace tradeledger::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using api::http::Client;
using api::http::ClientTls;
using api::http::EventStream;
using api::http::EventStreamClient;
using api::http::Request;
using api::http::Responder;
using api::http::Response;
using api::http::Server;
using api::http::ServerOptions;
using api::http::ServerTls;

// A CA and a server certificate for 127.0.0.1 and localhost, in a directory removed afterwards.
class TestPki {
 public:
  TestPki() {
    std::string pattern = "/tmp/tl-https-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) dir_ = pattern;
    ca_ = Ca("Test CA");
    ca_file_ = Write("ca.pem", ca_.certificate, false);
    server_ = Issue("server", {"localhost"}, {"127.0.0.1"});
  }
  ~TestPki() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // A fresh CA (not written).
  PemCredentials Ca(const std::string& name) {
    auto ca = CreateCertificateAuthority(name, 24h);
    EXPECT_TRUE(ca) << ca.error().ToString();
    return ca ? *ca : PemCredentials{};
  }
  // <dir>/<name>.pem and <name>.key for the given hosts, signed by the test CA.
  ServerTls Issue(const std::string& name, std::vector<std::string> dns,
                  std::vector<std::string> ips) {
    ServerCertificateSpec spec;
    spec.common_name = name;
    spec.dns_names = std::move(dns);
    spec.ip_addresses = std::move(ips);
    auto issued = IssueServerCertificate(ca_, spec);
    EXPECT_TRUE(issued) << issued.error().ToString();
    if (!issued) return {};
    return ServerTls{Write(name + ".pem", issued->certificate, false),
                     Write(name + ".key", issued->private_key, true)};
  }
  std::string Write(const std::string& name, const std::string& pem, bool secret) {
    std::string path = (dir_ / name).string();
    auto ok = WritePemFile(path, pem, secret);
    EXPECT_TRUE(ok) << ok.error().ToString();
    return path;
  }

  const fs::path& dir() const { return dir_; }
  const std::string& ca_file() const { return ca_file_; }
  const ServerTls& server() const { return server_; }
  ClientTls Trusting() const { return ClientTls{true, ca_file_}; }

 private:
  fs::path dir_;
  PemCredentials ca_;
  std::string ca_file_;
  ServerTls server_;
};

class TestServer {
 public:
  TestServer(api::http::Handler handler, ServerOptions options)
      : server_(std::move(options), std::move(handler)) {
    auto port = server_.Start();
    EXPECT_TRUE(port) << port.error().ToString();
    port_ = port ? *port : 0;
  }
  uint16_t port() const { return port_; }

 private:
  Server server_;
  uint16_t port_ = 0;
};

ServerOptions TlsOptions(const TestPki& pki) {
  ServerOptions options;
  options.tls = pki.server();
  return options;
}

Response Text(std::string body) {
  Response response;
  response.content_type = "text/plain";
  response.body = std::move(body);
  return response;
}

// The client address an EchoHandler answer names.
std::string PeerOf(const std::string& echo) {
  size_t from = echo.find(" from ") + 6;
  return echo.substr(from, echo.find(" body:") - from);
}

api::http::Handler EchoHandler() {
  return [](Request request, Responder respond) {
    respond(Text(request.method + " " + request.path + " from " + request.remote_address +
                 " body:" + request.body));
  };
}

// A plain TCP socket, for bytes no TLS client would send.
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
  ~RawSocket() { ::close(fd_); }
  RawSocket(const RawSocket&) = delete;
  RawSocket& operator=(const RawSocket&) = delete;

  bool connected() const { return connected_; }
  bool Write(std::string_view bytes) {
    return ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL) ==
           static_cast<ssize_t>(bytes.size());
  }
  // Reads until the peer closes (true) or `timeout` passes (false); `bytes` gets what came.
  bool ReadUntilClosed(std::chrono::milliseconds timeout, std::string* bytes = nullptr) {
    auto deadline = Clock::now() + timeout;
    char buffer[4096];
    while (Clock::now() < deadline) {
      timeval tv{0, 100 * 1000};
      ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      ssize_t n = ::recv(fd_, buffer, sizeof(buffer), 0);
      if (n > 0) {
        if (bytes) bytes->append(buffer, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        return true;
      }
    }
    return false;
  }

 private:
  int fd_ = -1;
  bool connected_ = false;
};

TEST(HttpTls, RoundTripsOverOneKeptAliveConnectionByIpOrName) {
  TestPki pki;
  TestServer server(EchoHandler(), TlsOptions(pki));
  Client client("127.0.0.1", server.port(), pki.Trusting());
  auto get = client.Send("GET", "/v1/health");
  ASSERT_TRUE(get) << get.error().ToString();
  EXPECT_EQ(get->status, 200);
  EXPECT_TRUE(get->body.starts_with("GET /v1/health from 127.0.0.1:")) << get->body;
  auto post = client.Send("POST", "/v1/tx", "payload");
  ASSERT_TRUE(post) << post.error().ToString();
  EXPECT_TRUE(post->body.ends_with("body:payload"));
  EXPECT_EQ(PeerOf(get->body), PeerOf(post->body)) << "one connection served both";

  Client by_name("localhost", server.port(), pki.Trusting());
  auto named = by_name.Send("GET", "/");
  ASSERT_TRUE(named) << named.error().ToString();
  EXPECT_EQ(named->status, 200);
}

TEST(HttpTls, ClientRefusesUntrustedOrMisnamedCertificatesAndPlainServers) {
  TestPki pki;
  std::atomic<int> requests{0};
  auto counting = [&](Request, Responder respond) {
    ++requests;
    respond(Text("ok"));
  };
  TestServer server(counting, TlsOptions(pki));

  const std::string other_ca = pki.Write("other-ca.pem", pki.Ca("Other CA").certificate, false);
  Client untrusted("127.0.0.1", server.port(), ClientTls{true, other_ca});
  auto refused = untrusted.Send("GET", "/", {}, {}, 5s);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "HTTP_TLS_FAILED");
  EXPECT_NE(refused.error().detail.find("not trusted"), std::string::npos)
      << refused.error().detail;
  EXPECT_NE(refused.error().detail.find(other_ca), std::string::npos) << refused.error().detail;

  ServerOptions misnamed_options;
  misnamed_options.tls = pki.Issue("elsewhere", {"node.example"}, {"10.9.9.9"});
  TestServer misnamed(counting, misnamed_options);
  for (const char* host : {"127.0.0.1", "localhost"}) {
    Client client(host, misnamed.port(), pki.Trusting());
    auto r = client.Send("GET", "/", {}, {}, 5s);
    ASSERT_FALSE(r) << host;
    EXPECT_EQ(r.error().code, "HTTP_TLS_FAILED") << host;
    EXPECT_NE(r.error().detail.find("mismatch"), std::string::npos) << r.error().detail;
  }

  Client missing_ca("127.0.0.1", server.port(),
                    ClientTls{true, (pki.dir() / "absent.pem").string()});
  auto no_ca = missing_ca.Send("GET", "/", {}, {}, 5s);
  ASSERT_FALSE(no_ca);
  EXPECT_EQ(no_ca.error().code, "HTTP_TLS_FAILED");
  EXPECT_NE(no_ca.error().detail.find("absent.pem: No such file"), std::string::npos)
      << no_ca.error().detail;

  TestServer plain(counting, ServerOptions{});
  Client to_plain("127.0.0.1", plain.port(), pki.Trusting());
  auto not_tls = to_plain.Send("GET", "/", {}, {}, 5s);
  ASSERT_FALSE(not_tls);
  EXPECT_EQ(not_tls.error().code, "HTTP_TLS_FAILED") << not_tls.error().detail;
  EXPECT_EQ(requests.load(), 0) << "no request may be sent before the server is verified";
}

TEST(HttpTls, StartFailsWithTlsConfigOnMissingMalformedOrMismatchedFiles) {
  TestPki pki;
  const ServerTls good = pki.server();
  const ServerTls other = pki.Issue("other", {"localhost"}, {});
  const std::string garbage = pki.Write("garbage.pem", "not PEM at all", true);
  const std::vector<ServerTls> bad = {{(pki.dir() / "absent.pem").string(), good.private_key_file},
                                      {good.cert_chain_file, (pki.dir() / "absent.key").string()},
                                      {garbage, good.private_key_file},
                                      {good.cert_chain_file, garbage},
                                      {good.cert_chain_file, other.private_key_file}};
  for (const ServerTls& tls : bad) {
    ServerOptions options;
    options.tls = tls;
    Server server(options, EchoHandler());
    auto started = server.Start();
    ASSERT_FALSE(started) << tls.cert_chain_file << " " << tls.private_key_file;
    EXPECT_EQ(started.error().code, "HTTP_TLS_CONFIG");
    bool names_a_file = started.error().detail.find(tls.cert_chain_file) != std::string::npos ||
                        started.error().detail.find(tls.private_key_file) != std::string::npos;
    EXPECT_TRUE(names_a_file) << started.error().detail;
    if (tls.cert_chain_file.ends_with("absent.pem")) {
      EXPECT_NE(started.error().detail.find("No such file"), std::string::npos)
          << started.error().detail;
    }
  }
}

TEST(HttpTls, PlaintextAndGarbageClientsAreDisconnectedWhileHttpsClientsKeepWorking) {
  TestPki pki;
  TestServer server(EchoHandler(), TlsOptions(pki));
  Client client("127.0.0.1", server.port(), pki.Trusting());
  ASSERT_TRUE(client.Send("GET", "/before"));

  RawSocket plaintext(server.port());
  ASSERT_TRUE(plaintext.connected());
  ASSERT_TRUE(plaintext.Write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
  std::string answer;
  EXPECT_TRUE(plaintext.ReadUntilClosed(5s, &answer));
  EXPECT_EQ(answer.find("HTTP/1.1"), std::string::npos) << "no plaintext answer: " << answer;

  RawSocket garbage(server.port());
  ASSERT_TRUE(garbage.Write(std::string("\x16\x03\x01\x00\x05hello\x00\xff", 12)));
  EXPECT_TRUE(garbage.ReadUntilClosed(5s));

  Client plain_client("127.0.0.1", server.port());
  EXPECT_FALSE(plain_client.Send("GET", "/", {}, {}, 5s));

  auto after = client.Send("GET", "/after");  // the kept-alive TLS connection still serves
  ASSERT_TRUE(after) << after.error().ToString();
  EXPECT_TRUE(after->body.starts_with("GET /after"));
}

TEST(HttpTls, StalledHandshakeIsTimedOutAndOthersAreServedMeanwhile) {
  TestPki pki;
  ServerOptions options = TlsOptions(pki);
  options.read_timeout = 1s;
  TestServer server(EchoHandler(), options);

  RawSocket silent(server.port());
  RawSocket partial(server.port());  // a TLS record header, then nothing
  ASSERT_TRUE(partial.Write(std::string("\x16\x03\x01\x02\x00", 5)));
  auto start = Clock::now();
  Client client("127.0.0.1", server.port(), pki.Trusting());
  auto served = client.Send("GET", "/", {}, {}, 5s);
  ASSERT_TRUE(served) << served.error().ToString();

  EXPECT_TRUE(partial.ReadUntilClosed(5s));
  EXPECT_TRUE(silent.ReadUntilClosed(5s));
  auto elapsed = Clock::now() - start;
  EXPECT_GE(elapsed, 900ms);
  EXPECT_LT(elapsed, 4s);
}

TEST(HttpTls, LimitsAnswer413And431AndIdleConnectionsAreReplaced) {
  TestPki pki;
  ServerOptions options = TlsOptions(pki);
  options.max_body_bytes = 1024;
  options.read_timeout = 1s;
  TestServer server(EchoHandler(), options);
  Client client("127.0.0.1", server.port(), pki.Trusting());

  auto big = client.Send("POST", "/", std::string(64 * 1024, 'x'), "text/plain", 5s);
  ASSERT_TRUE(big) << big.error().ToString();
  EXPECT_EQ(big->status, 413);
  EXPECT_NE(big->body.find("REQUEST_TOO_LARGE"), std::string::npos);

  auto headers = client.Send("GET", "/", {}, {}, 5s, {{"X-Big", std::string(16 * 1024, 'h')}});
  ASSERT_TRUE(headers) << headers.error().ToString();
  EXPECT_EQ(headers->status, 431);

  ASSERT_TRUE(client.Send("GET", "/one"));
  std::this_thread::sleep_for(1500ms);  // the server closes the idle connection
  auto again = client.Send("GET", "/two", {}, {}, 5s);
  ASSERT_TRUE(again) << again.error().ToString();
  EXPECT_EQ(again->status, 200);
}

TEST(HttpTls, EventStreamDeliversEventsAndItsEndOverTls) {
  TestPki pki;
  std::shared_ptr<EventStream> stream = EventStream::Create();
  ASSERT_TRUE(stream->Send("hello", "before the response"));
  TestServer server([&](Request, Responder respond) { respond(EventStreamResponse(stream)); },
                    TlsOptions(pki));
  EventStreamClient client("127.0.0.1", server.port(), pki.Trusting());
  auto opened = client.Open("/v1/events", 5s);
  ASSERT_TRUE(opened) << opened.error().ToString();

  auto first = client.Next(5s);
  ASSERT_TRUE(first) << first.error().ToString();
  EXPECT_EQ(first->event, "hello");
  for (int i = 0; i < 50; ++i) stream->Send("commit", std::to_string(i));
  for (int i = 0; i < 50; ++i) {
    auto event = client.Next(5s);
    ASSERT_TRUE(event) << event.error().ToString();
    EXPECT_EQ(event->data, std::to_string(i));
  }
  // A timeout leaves the TLS stream usable.
  auto quiet = client.Next(200ms);
  ASSERT_FALSE(quiet);
  EXPECT_EQ(quiet.error().code, "HTTP_TIMEOUT");
  stream->Send("late", "after a pause");
  auto late = client.Next(5s);
  ASSERT_TRUE(late) << late.error().ToString();
  EXPECT_EQ(late->data, "after a pause");

  stream->Send("last", "flushed before the end");
  stream->Close();
  auto last = client.Next(5s);
  ASSERT_TRUE(last) << last.error().ToString();
  EXPECT_EQ(last->event, "last");
  auto end = client.Next(5s);
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error().code, "HTTP_STREAM_CLOSED") << end.error().ToString();
}

TEST(HttpTls, EventStreamNoticesTlsClientGoing) {
  TestPki pki;
  std::shared_ptr<EventStream> stream = EventStream::Create();
  std::promise<void> closed;
  stream->OnClose([&] { closed.set_value(); });
  TestServer server([&](Request, Responder respond) { respond(EventStreamResponse(stream)); },
                    TlsOptions(pki));
  EventStreamClient client("127.0.0.1", server.port(), pki.Trusting());
  ASSERT_TRUE(client.Open("/v1/events", 5s));
  ASSERT_TRUE(stream->Send("one", "1"));
  ASSERT_TRUE(client.Next(5s));
  client.Close();
  EXPECT_EQ(closed.get_future().wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(stream->IsOpen());
}

}  // namespace
}  // namespace tradeledger::cli
