#include "api/http/client_connection.h"

#include "api/http/tls_context.h"

namespace tradeledger::api::http::detail {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

Connection::Connection(std::string host, uint16_t port, ClientTls tls)
    : host_(std::move(host)), port_(port), tls_options_(std::move(tls)) {}

Connection::~Connection() { Close(); }

std::string Connection::HostHeader() const {
  std::string host = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  return host + ":" + std::to_string(port_);
}

std::string Connection::Peer() const { return HostHeader(); }

beast::tcp_stream& Connection::tcp() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

template <typename Start>
std::pair<beast::error_code, size_t> Connection::Run(Start&& start) {
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

core::Status Connection::Connect(ClientClock::time_point deadline) {
  Close();
  if (tls_options_.enabled && !tls_context_) {
    TL_ASSIGN_OR_RETURN(tls_context_, MakeClientTlsContext(tls_options_.ca_file));
  }
  tcp::resolver resolver(ioc_);
  beast::error_code ec;
  auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
  if (ec) return core::Fail("HTTP_CONNECT_FAILED", "resolve " + host_ + ": " + ec.message());
  if (tls_options_.enabled) {
    tls_.emplace(ioc_, *tls_context_);
  } else {
    plain_.emplace(ioc_);
  }
  tcp().expires_at(deadline);
  auto [connect_ec, unused] = Run([&](auto handler) {
    tcp().async_connect(
        endpoints, [handler](beast::error_code e, const tcp::endpoint&) mutable { handler(e, 0); });
  });
  if (connect_ec) {
    Close();
    return core::Fail("HTTP_CONNECT_FAILED",
                      Peer() + ": " +
                          (connect_ec == beast::error::timeout ? std::string("timed out")
                                                               : connect_ec.message()));
  }
  if (!tls_) return core::Ok();

  if (core::Status prepared = PrepareClientHandshake(tls_->native_handle(), host_); !prepared) {
    Close();
    return prepared;
  }
  tcp().expires_at(deadline);
  auto [handshake_ec, none] = Run([&](auto handler) {
    tls_->async_handshake(net::ssl::stream_base::client,
                          [handler](beast::error_code e) mutable { handler(e, 0); });
  });
  if (handshake_ec) {
    core::Error error = DescribeClientHandshakeFailure(handshake_ec, tls_->native_handle(), Peer(),
                                                       tls_options_.ca_file);
    Close();
    return core::Fail(std::move(error));
  }
  return core::Ok();
}

beast::error_code Connection::Write(OutgoingRequest& request, ClientClock::time_point deadline) {
  tcp().expires_at(deadline);
  return Run([&](auto handler) {
           WithStream([&](auto& stream) { bhttp::async_write(stream, request, handler); });
         })
      .first;
}

beast::error_code Connection::Read(bhttp::response_parser<bhttp::string_body>& parser,
                                   ClientClock::time_point deadline) {
  tcp().expires_at(deadline);
  return Run([&](auto handler) {
           WithStream([&](auto& stream) { bhttp::async_read(stream, buffer_, parser, handler); });
         })
      .first;
}

beast::error_code Connection::ReadHeader(bhttp::response_parser<bhttp::empty_body>& parser,
                                         ClientClock::time_point deadline) {
  tcp().expires_at(deadline);
  return Run([&](auto handler) {
           WithStream(
               [&](auto& stream) { bhttp::async_read_header(stream, buffer_, parser, handler); });
         })
      .first;
}

std::pair<beast::error_code, size_t> Connection::ReadSome(net::mutable_buffer out,
                                                          ClientClock::time_point deadline,
                                                          bool& timed_out) {
  timed_out = false;
  tcp::socket& socket = tcp().socket();
  net::steady_timer timer(ioc_);
  timer.expires_at(deadline);
  timer.async_wait([&](beast::error_code ec) {
    if (!ec) {
      timed_out = true;
      beast::error_code ignored;
      socket.cancel(ignored);
    }
  });
  return Run([&](auto handler) {
    WithStream([&](auto& stream) {
      stream.async_read_some(out, [&timer, handler](beast::error_code e, size_t size) mutable {
        timer.cancel();
        handler(e, size);
      });
    });
  });
}

void Connection::ClearDeadline() { tcp().expires_never(); }

void Connection::Close() {
  if (connected()) {
    beast::error_code ignored;
    tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
    tcp().close();
    tls_.reset();
    plain_.reset();
  }
  buffer_.consume(buffer_.size());
}

}  // namespace tradeledger::api::http::detail
