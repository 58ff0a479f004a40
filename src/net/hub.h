// Internal: the state one Transport shares with its peers and connections.
//
// Thread safety / invariants
// - `options` and `ioc` never change. `ioc` is used only until Transport::Stop() (see
//   transport.cc), which empties `peers`.
// - `peers` is the current peer set; a Peer outside it has been shut down and is inert.
// - Lock order: Hub::mu before Peer::mu; Hub::counts_mu_ is a leaf. No user code (the
//   handler) runs under any of them.
#pragma once

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "crypto/ed25519.h"
#include "net/transport.h"

namespace tradeledger::net {

class Peer;

class Hub {
 public:
  Hub(TransportOptions transport_options, Transport::Handler handler,
      boost::asio::io_context& io_context)
      : options(std::move(transport_options)), ioc(io_context), handler_(std::move(handler)) {}
  Hub(const Hub&) = delete;
  Hub& operator=(const Hub&) = delete;

  // Counts one rejection; logs it (without secrets) when its count is a power of two, so a
  // flood costs log lines only logarithmically.
  // `context` says who and what, e.g. "127.0.0.1:4000: frame 3 does not authenticate".
  void Count(std::string_view code, std::string_view context = {});
  std::map<std::string, uint64_t> Counts() const;

  // Runs the handler; an exception from it is logged and swallowed.
  void Deliver(const crypto::PublicKey& from, core::Bytes payload);
  // Drops the handler. Only when no transport thread runs.
  void ResetHandler() { handler_ = nullptr; }

  // The peer with this key in the current set, or null.
  std::shared_ptr<Peer> FindPeer(const crypto::PublicKey& key) const;

  const TransportOptions options;  // `options.peers` is only the initial set
  boost::asio::io_context& ioc;
  std::atomic<size_t> handshaking{0};  // inbound connections in their handshake

  mutable std::mutex mu;
  bool running = false;  // guarded by mu: Start() ran and Stop() did not
  std::map<crypto::PublicKey, std::shared_ptr<Peer>> peers;  // guarded by mu

 private:
  Transport::Handler handler_;
  mutable std::mutex counts_mu_;
  std::map<std::string, uint64_t, std::less<>> counts_;  // guarded by counts_mu_
};

// Writes one line through the log sink (SetLogSink in transport.h): a warning by default,
// `info` for routine events (a peer connected or lost).
void Log(std::string_view message);
void LogInfo(std::string_view message);

}  // namespace tradeledger::net
