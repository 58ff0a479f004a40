// The listener and the server's threads. Connections are served by the sessions of
// server_session.cc; see server_session.h for the threading rules.
#include "api/http/http_server.h"

#include <algorithm>
#include <boost/asio.hpp>
#include <exception>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "api/http/server_messages.h"
#include "api/http/server_session.h"
#include "api/http/tls_context.h"
#include "core/thread_name.h"

namespace tradeledger::api::http {

namespace net = boost::asio;
using tcp = net::ip::tcp;
using detail::Log;

struct Server::Impl {
  Impl(ServerOptions options, Handler handler)
      : ioc(std::max(1, options.threads)), state(std::make_shared<detail::ServerState>()) {
    state->options = std::move(options);
    state->handler = std::move(handler);
  }

  void DoAccept() {
    acceptor.async_accept(net::make_strand(ioc),
                          [this](boost::system::error_code ec, tcp::socket socket) {
                            OnAccept(ec, std::move(socket));
                          });
  }

  void OnAccept(boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      // Typically EMFILE: back off instead of spinning, then keep accepting.
      Log("accept failed: " + ec.message());
      retry_timer.expires_after(std::chrono::milliseconds(100));
      retry_timer.async_wait([this](boost::system::error_code wait_ec) {
        if (!wait_ec) DoAccept();
      });
      return;
    }
    std::shared_ptr<detail::Session> session;
    {
      std::lock_guard lock(state->mu);
      if (!state->open) return;
      if (state->sessions.size() < state->options.max_connections) {
        uint64_t id = state->next_session_id++;
        session = detail::MakeSession(std::move(socket), state, id);
        state->sessions.emplace(id, session);
      }
    }
    if (session) {
      session->Start();
    } else {
      boost::system::error_code ignored;
      socket.close(ignored);  // refused: over max_connections
    }
    DoAccept();
  }

  void RunLoop() {
    while (true) {
      try {
        ioc.run();
        return;
      } catch (const std::exception& e) {
        Log(std::string("unexpected exception on a server thread: ") + e.what());
      }
    }
  }

  // Declared first so that it is destroyed last: everything below refers to it.
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  net::steady_timer retry_timer{ioc};
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  std::shared_ptr<detail::ServerState> state;
  bool started = false;
  bool stopped = false;
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() { Stop(); }

core::Result<uint16_t> Server::Start() {
  TL_CHECK(!impl_->started);
  impl_->started = true;
  const ServerOptions& options = impl_->state->options;
  if (options.tls) {
    TL_ASSIGN_OR_RETURN(
        impl_->state->tls_context,
        detail::MakeServerTlsContext(options.tls->cert_chain_file, options.tls->private_key_file));
  }
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(options.address, ec);
  if (ec) return core::Fail("HTTP_BIND_FAILED", "bad address '" + options.address + "'");
  tcp::endpoint endpoint(address, options.port);
  tcp::acceptor& acceptor = impl_->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(net::socket_base::max_listen_connections, ec);
  tcp::endpoint bound;
  if (!ec) bound = acceptor.local_endpoint(ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    return core::Fail("HTTP_BIND_FAILED", detail::FormatEndpoint(endpoint) + ": " + ec.message());
  }
  {
    std::lock_guard lock(impl_->state->mu);
    impl_->state->open = true;
  }
  impl_->work.emplace(net::make_work_guard(impl_->ioc));
  impl_->DoAccept();
  for (int i = 0; i < std::max(1, options.threads); ++i) {
    impl_->threads.emplace_back([impl = impl_.get()] {
      core::NameThisThread("http");
      impl->RunLoop();
    });
  }
  return bound.port();
}

void Server::Stop() {
  if (!impl_->started || impl_->stopped) return;
  impl_->stopped = true;
  {
    std::lock_guard lock(impl_->state->mu);
    impl_->state->open = false;
  }
  impl_->work.reset();
  impl_->ioc.stop();
  for (std::thread& thread : impl_->threads) thread.join();
  impl_->threads.clear();

  // No server thread runs any more, so sockets may be touched from here.
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  impl_->retry_timer.cancel();
  std::unordered_map<uint64_t, std::shared_ptr<detail::Session>> sessions;
  {
    std::lock_guard lock(impl_->state->mu);
    sessions.swap(impl_->state->sessions);
  }
  for (auto& [id, session] : sessions) session->Close();
  sessions.clear();
  // A handler may hold Responders (which refer back to the state); drop it to break the cycle.
  impl_->state->handler = nullptr;
}

}  // namespace tradeledger::api::http
