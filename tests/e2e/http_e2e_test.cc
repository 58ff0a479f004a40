// Hostile HTTP clients against a real node process: every bad request is answered with a 4xx
// JSON error and a reason code (or, for bytes that are not HTTP at all, a closed connection),
// changes nothing, and leaves the node healthy.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "core/bytes.h"
#include "tests/e2e/test_network.h"

namespace tradeledger::e2e {
namespace {

using nlohmann::json;

struct RawReply {
  bool closed = false;  // the server closed the connection
  std::string bytes;    // whatever it sent before
};

// Sends `bytes` on a fresh TCP connection and reads until the server closes it or `timeout`.
RawReply SendRaw(uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
  RawReply reply;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return reply;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return reply;
  }
  (void)::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) <= 0) continue;
    char buf[4096];
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {  // EOF or reset: closed either way
      reply.closed = true;
      break;
    }
    reply.bytes.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return reply;
}

class HostileHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(net_.ok()) << net_.init_result().Describe();
    auto up = net_.Up();
    ASSERT_EQ(up.exit_code, 0) << up.Describe();
    chain_ = net_.chain_id();
    // One committed transaction, so "unchanged" is measured from a non-empty chain.
    auto r = SubmitAndWait(client_, AnchorTransaction(chain_, key_, 1, "E2E-HTTP-SEED"));
    ASSERT_EQ(r.status, 200) << r.body.dump() << r.error;
    auto health = net_.SettledHealth();
    ASSERT_TRUE(health);
    height_ = (*health)["height"].get<uint64_t>();
    log_size_ = (*health)["log_size"].get<uint64_t>();
    ASSERT_EQ(log_size_, 1u);
  }

  void TearDown() override { net_.Down(); }

  // Expects a 4xx JSON error whose code is `code` (any non-empty code if `code` is empty).
  void ExpectError(const SubmitResult& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body.dump() << r.error;
    ASSERT_TRUE(r.body.is_object() && r.body.contains("error") && r.body["error"].is_object())
        << r.body.dump();
    std::string got = r.body["error"].value("code", "");
    if (code.empty()) {
      EXPECT_FALSE(got.empty()) << r.body.dump();
    } else {
      EXPECT_EQ(got, code) << r.body.dump();
    }
    EXPECT_TRUE(r.body["error"]["message"].is_string()) << r.body.dump();
  }

  // The node is healthy and its chain has not moved.
  void ExpectUnchanged() {
    auto health = net_.SettledHealth();
    ASSERT_TRUE(health) << "node not healthy after hostile requests\n"
                        << ReadFileOrEmpty(net_.log_file());
    EXPECT_EQ((*health)["height"].get<uint64_t>(), height_);
    EXPECT_EQ((*health)["log_size"].get<uint64_t>(), log_size_);
  }

  SubmitResult Post(const std::string& body, const std::string& target = "/v1/transactions") {
    return SendJson(client_, "POST", target, body);
  }

  TestNetwork net_;
  api::http::Client client_{"127.0.0.1", net_.port()};
  crypto::KeyPair key_ = crypto::KeyPair::Generate();
  ledger::ChainId chain_;
  uint64_t height_ = 0;
  uint64_t log_size_ = 0;
};

TEST_F(HostileHttp, RejectsMalformedRequestsWithReasonCodesAndChangesNothing) {
  ExpectError(Post("{\"transaction\": "), 400, "REQUEST_INVALID");
  ExpectError(Post("[1, 2, 3]"), 400, "REQUEST_INVALID");
  ExpectError(Post("{\"transaction\": 42}"), 400, "REQUEST_INVALID");
  ExpectError(Post(""), 400, "REQUEST_INVALID");
  ExpectError(Post(json{{"transaction", "!!! not base64 ***"}}.dump()), 400, "");

  auto tx = AnchorTransaction(chain_, key_, 2, "E2E-HTTP-BAD");
  const core::Bytes& envelope = tx.envelope();
  for (size_t keep : {size_t{0}, size_t{1}, envelope.size() / 2, envelope.size() - 1}) {
    SCOPED_TRACE("envelope truncated to " + std::to_string(keep) + " bytes");
    core::Bytes cut(envelope.begin(), envelope.begin() + static_cast<ptrdiff_t>(keep));
    ExpectError(Post(json{{"transaction", core::ToBase64(cut)}}.dump()), 400, "");
  }
  core::Bytes bad_signature = envelope;
  bad_signature.back() ^= 0x01;
  ExpectError(Post(json{{"transaction", core::ToBase64(bad_signature)}}.dump()), 400,
              "BAD_SIGNATURE");
  auto foreign = AnchorTransaction(ledger::ChainId{}, key_, 3, "E2E-HTTP-FOREIGN");
  ExpectError(Post(json{{"transaction", core::ToBase64(foreign.envelope())}}.dump()), 400,
              "WRONG_CHAIN");
  ExpectError(SendJson(client_, "POST", "/v1/transactions", "\x01\x02garbage envelope"), 400, "");

  // One byte over the configured body limit (1 MiB by default when this test was written).
  const size_t limit = net_.MaxBodyBytes();
  ASSERT_GT(limit, 0u);
  std::string huge = "{\"transaction\": \"" + std::string(limit, 'A') + "\"}";
  huge.resize(limit + 1, ' ');
  api::http::Client big("127.0.0.1", net_.port());
  ExpectError(SendJson(big, "POST", "/v1/transactions", huge, std::chrono::seconds(20)), 413,
              "REQUEST_TOO_LARGE");

  // Routes and methods.
  ExpectError(SendJson(client_, "GET", "/v1/no/such/route"), 404, "ROUTE_NOT_FOUND");
  ExpectError(SendJson(client_, "DELETE", "/v1/transactions"), 405, "METHOD_NOT_ALLOWED");
  ExpectError(SendJson(client_, "GET", "/v1/transactions"), 405, "METHOD_NOT_ALLOWED");
  ExpectError(SendJson(client_, "POST", "/health", "{}"), 405, "METHOD_NOT_ALLOWED");
  ExpectError(SendJson(client_, "GET", "/v1/transactions/not-hex"), 400, "TX_ID_INVALID");
  ExpectError(SendJson(client_, "GET", "/v1/transactions/" + std::string(64, '0')), 404,
              "TX_NOT_FOUND");
  ExpectError(SendJson(client_, "GET", "/v1/blocks/-1"), 400, "HEIGHT_INVALID");
  ExpectError(SendJson(client_, "GET", "/v1/blocks/99999"), 404, "BLOCK_NOT_FOUND");

  // Bytes that are not HTTP: an error status or a closed connection, promptly.
  constexpr char kBinary[] = "\x00\xff\x13\x37 garbage garbage\r\n\r\n";
  for (const std::string& garbage :
       {std::string(kBinary, sizeof kBinary - 1), std::string("GET / HTTP/9.9\r\n\x01\x02\r\n\r\n"),
        std::string(20000, '\xfe'),
        std::string("POST /v1/transactions HTTP/1.1\r\nContent-Length: -5\r\n\r\n")}) {
    RawReply reply = SendRaw(net_.port(), garbage, std::chrono::seconds(10));
    EXPECT_TRUE(reply.closed) << "connection left open after garbage";
    if (!reply.bytes.empty()) {
      EXPECT_TRUE(reply.bytes.starts_with("HTTP/1.1 4")) << reply.bytes;
    }
  }

  ExpectUnchanged();
  // ... and it still commits a good transaction, in a later block.
  auto good = SubmitAndWait(client_, AnchorTransaction(chain_, key_, 4, "E2E-HTTP-GOOD"));
  EXPECT_EQ(good.status, 200) << good.body.dump() << good.error;
  EXPECT_EQ(good.body.value("result_code", ""), "OK");
  EXPECT_GT(good.body.value("height", uint64_t{0}), height_);
}

// gateway.h: "a handler ... never changes state on a rejected request".
TEST_F(HostileHttp, RequestRejectedForBadWaitTimeoutDoesNotAdmitTheTransaction) {
  auto tx = AnchorTransaction(chain_, key_, 2, "E2E-HTTP-TIMEOUT");
  auto r = Post(json{{"transaction", core::ToBase64(tx.envelope())}}.dump(),
                "/v1/transactions?wait=commit&timeout_ms=soon");
  ExpectError(r, 400, "REQUEST_INVALID");
  // Give the node time to produce a block, should it have admitted the transaction.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  auto status = SendJson(client_, "GET", "/v1/transactions/" + tx.id().hex());
  EXPECT_EQ(status.status, 404) << "rejected transaction was admitted: " << status.body.dump();
  ExpectUnchanged();
}

}  // namespace
}  // namespace tradeledger::e2e
