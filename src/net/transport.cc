// Thread safety / invariants
// - The Runtime (io_context, acceptor, threads) is created by Create() and destroyed by
//   Stop(), after the threads are joined and every Peer has been taken out of the Hub and
//   aborted; destroying the io_context then destroys the remaining handlers and with them
//   the connections still handshaking. So no asio object outlives its io_context.
// - Send, Broadcast and SetPeers run under a shared lock of Impl::gate and do nothing once
//   `stopped` is set; Stop() sets it under the exclusive lock, so when Stop() tears the
//   Runtime down no caller still holds a Peer or posts to the io_context. Stop() does not
//   hold the gate while it joins, so a handler may call Send() meanwhile (it returns false).
// - Impl::started is used only by the owning thread (Start, Stop, destructor).
#include "net/transport.h"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <exception>
#include <optional>
#include <shared_mutex>
#include <thread>

#include "core/thread_name.h"
#include "net/connection.h"
#include "net/frame.h"
#include "net/hub.h"
#include "net/peer.h"
#include "net/reasons.h"

namespace tradeledger::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

core::Status CheckOptions(const TransportOptions& o) {
  auto bad = [](std::string detail) { return core::Fail("NET_BAD_OPTIONS", std::move(detail)); };
  if (o.max_frame_bytes == 0 || o.max_frame_bytes > kMaxFramePayloadBytes) {
    return bad("max_frame_bytes must be between 1 and " + std::to_string(kMaxFramePayloadBytes));
  }
  if (o.max_send_queue_bytes == 0) return bad("max_send_queue_bytes must be positive");
  if (o.max_handshaking == 0) return bad("max_handshaking must be positive");
  if (o.handshake_timeout.count() <= 0) return bad("handshake_timeout must be positive");
  if (o.backoff_min.count() <= 0 || o.backoff_max < o.backoff_min ||
      o.backoff_max > std::chrono::hours(1)) {
    return bad("need 0 < backoff_min <= backoff_max <= 1 h");
  }
  if (o.threads < 1 || o.threads > 64) return bad("threads must be between 1 and 64");
  return core::Ok();
}

}  // namespace

struct Transport::Impl {
  struct Runtime {
    explicit Runtime(int thread_count) : ioc(thread_count) {}

    asio::io_context ioc;  // first, so that it is destroyed last
    tcp::acceptor acceptor{ioc};
    asio::steady_timer accept_retry{ioc};
    std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
    std::vector<std::thread> threads;
  };

  void ApplyPeers(const std::vector<PeerAddress>& addresses);
  void DoAccept();
  void OnAccept(const error_code& ec, tcp::socket socket);
  void RunLoop();

  std::unique_ptr<Runtime> runtime;
  std::shared_ptr<Hub> hub;
  uint16_t port = 0;
  bool started = false;
  std::shared_mutex gate;
  bool stopped = false;  // guarded by gate (written only by the owning thread)
};

void Transport::Impl::ApplyPeers(const std::vector<PeerAddress>& addresses) {
  std::vector<std::shared_ptr<Peer>> removed;
  std::vector<std::shared_ptr<Peer>> added;
  {
    std::lock_guard lock(hub->mu);
    std::map<crypto::PublicKey, const PeerAddress*> wanted;
    for (const PeerAddress& address : addresses) {
      if (address.key != hub->options.key.public_key) wanted.try_emplace(address.key, &address);
    }
    for (auto it = hub->peers.begin(); it != hub->peers.end();) {
      if (wanted.contains(it->first)) {
        ++it;
      } else {
        removed.push_back(std::move(it->second));
        it = hub->peers.erase(it);
      }
    }
    for (const auto& [key, address] : wanted) {
      auto it = hub->peers.find(key);
      if (it != hub->peers.end()) {
        it->second->SetAddress(address->host, address->port);
        continue;
      }
      auto peer = std::make_shared<Peer>(hub, *address);
      hub->peers.emplace(key, peer);
      if (hub->running) added.push_back(std::move(peer));
    }
  }
  for (auto& peer : removed) peer->Shutdown();
  for (auto& peer : added) peer->StartDialing();
}

void Transport::Impl::DoAccept() {
  runtime->acceptor.async_accept(
      asio::make_strand(runtime->ioc),
      [this](error_code ec, tcp::socket socket) { OnAccept(ec, std::move(socket)); });
}

void Transport::Impl::OnAccept(const error_code& ec, tcp::socket socket) {
  if (ec == asio::error::operation_aborted) return;
  if (ec) {
    // Typically EMFILE: back off instead of spinning, then keep accepting.
    Log("accept failed: " + ec.message());
    runtime->accept_retry.expires_after(std::chrono::milliseconds(100));
    runtime->accept_retry.async_wait([this](error_code wait_ec) {
      if (!wait_ec) DoAccept();
    });
    return;
  }
  if (hub->handshaking.load() >= hub->options.max_handshaking) {
    error_code ignored;
    tcp::endpoint remote = socket.remote_endpoint(ignored);
    hub->Count(reason::kHandshakeSlotsFull, remote.address().to_string());
    socket.close(ignored);
  } else {
    hub->handshaking.fetch_add(1);
    Connection::Inbound(hub, std::move(socket))->Start();
  }
  DoAccept();
}

void Transport::Impl::RunLoop() {
  while (true) {
    try {
      runtime->ioc.run();
      return;
    } catch (const std::exception& e) {
      Log(std::string("unexpected exception on a transport thread: ") + e.what());
    }
  }
}

core::Result<std::unique_ptr<Transport>> Transport::Create(TransportOptions options,
                                                           Handler handler) {
  TL_RETURN_IF_ERROR(CheckOptions(options));
  crypto::EnsureSodium();
  auto impl = std::make_unique<Impl>();
  impl->runtime = std::make_unique<Impl::Runtime>(options.threads);
  error_code ec;
  asio::ip::address address = asio::ip::make_address(options.listen_address, ec);
  if (ec) return core::Fail("NET_BIND_FAILED", "bad address '" + options.listen_address + "'");
  tcp::endpoint endpoint(address, options.listen_port);
  tcp::acceptor& acceptor = impl->runtime->acceptor;
  acceptor.open(endpoint.protocol(), ec);
  if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor.bind(endpoint, ec);
  if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
  tcp::endpoint bound;
  if (!ec) bound = acceptor.local_endpoint(ec);
  if (ec) {
    return core::Fail(
        "NET_BIND_FAILED",
        options.listen_address + ":" + std::to_string(options.listen_port) + ": " + ec.message());
  }
  impl->port = bound.port();
  std::vector<PeerAddress> initial = options.peers;
  impl->hub = std::make_shared<Hub>(std::move(options), std::move(handler), impl->runtime->ioc);
  impl->ApplyPeers(initial);
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Transport::~Transport() { Stop(); }

uint16_t Transport::port() const { return impl_->port; }

void Transport::Start() {
  TL_CHECK(!impl_->started && !impl_->stopped);
  impl_->started = true;
  std::vector<std::shared_ptr<Peer>> peers;
  {
    std::lock_guard lock(impl_->hub->mu);
    impl_->hub->running = true;
    for (const auto& [key, peer] : impl_->hub->peers) peers.push_back(peer);
  }
  Impl::Runtime& runtime = *impl_->runtime;
  runtime.work.emplace(asio::make_work_guard(runtime.ioc));
  impl_->DoAccept();
  for (auto& peer : peers) peer->StartDialing();
  for (int i = 0; i < impl_->hub->options.threads; ++i) {
    runtime.threads.emplace_back([impl = impl_.get()] {
      core::NameThisThread("p2p");
      impl->RunLoop();
    });
  }
}

void Transport::Stop() {
  {
    std::unique_lock lock(impl_->gate);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  std::map<crypto::PublicKey, std::shared_ptr<Peer>> peers;
  {
    std::lock_guard lock(impl_->hub->mu);
    impl_->hub->running = false;
    peers.swap(impl_->hub->peers);
  }
  Impl::Runtime& runtime = *impl_->runtime;
  runtime.work.reset();
  runtime.ioc.stop();
  for (std::thread& thread : runtime.threads) thread.join();
  runtime.threads.clear();
  // No transport thread runs any more: sockets and timers may be touched from here.
  for (auto& [key, peer] : peers) peer->Abort();
  peers.clear();
  impl_->hub->ResetHandler();
  impl_->runtime.reset();
}

bool Transport::Send(const crypto::PublicKey& to, core::Bytes payload) {
  std::shared_lock lock(impl_->gate);
  if (impl_->stopped) return false;
  std::shared_ptr<Peer> peer = impl_->hub->FindPeer(to);
  if (!peer) {
    impl_->hub->Count(reason::kSendUnknownPeer, "peer " + to.hex().substr(0, 16));
    return false;
  }
  return peer->Enqueue(std::make_shared<const core::Bytes>(std::move(payload)));
}

void Transport::Broadcast(const core::Bytes& payload) {
  std::shared_lock gate(impl_->gate);
  if (impl_->stopped) return;
  std::vector<std::shared_ptr<Peer>> peers;
  {
    std::lock_guard lock(impl_->hub->mu);
    for (const auto& [key, peer] : impl_->hub->peers) peers.push_back(peer);
  }
  if (peers.empty()) return;
  auto shared = std::make_shared<const core::Bytes>(payload);
  for (auto& peer : peers) peer->Enqueue(shared);
}

void Transport::SetPeers(std::vector<PeerAddress> peers) {
  std::shared_lock lock(impl_->gate);
  if (!impl_->stopped) impl_->ApplyPeers(peers);
}

std::vector<Transport::PeerStatus> Transport::Peers() const {
  std::lock_guard lock(impl_->hub->mu);
  std::vector<PeerStatus> out;
  out.reserve(impl_->hub->peers.size());
  for (const auto& [key, peer] : impl_->hub->peers) out.push_back(peer->Status());
  return out;
}

size_t Transport::ConnectedPeers() const {
  std::lock_guard lock(impl_->hub->mu);
  size_t n = 0;
  for (const auto& [key, peer] : impl_->hub->peers) n += peer->outbound_connected() ? 1 : 0;
  return n;
}

std::map<std::string, uint64_t> Transport::Rejections() const { return impl_->hub->Counts(); }

}  // namespace tradeledger::net
