#include "net/peer.h"

#include <sodium.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <climits>

#include "net/connection.h"
#include "net/hub.h"
#include "net/reasons.h"

namespace tradeledger::net {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

// What a queued message costs beyond its payload, so that empty payloads are bounded too.
constexpr size_t kQueueEntryOverhead = 64;

}  // namespace

Peer::Peer(std::shared_ptr<Hub> hub, PeerAddress address)
    : hub_(std::move(hub)),
      key_(address.key),
      strand_(asio::make_strand(hub_->ioc)),
      resolver_(strand_),
      redial_timer_(strand_),
      host_(std::move(address.host)),
      port_(address.port) {}

bool Peer::Enqueue(Payload payload) {
  const size_t size = payload->size();
  std::string_view drop;
  std::shared_ptr<Connection> writer;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return false;
    if (size > hub_->options.max_frame_bytes) {
      drop = reason::kSendTooLarge;
    } else if (queue_bytes_ + size + kQueueEntryOverhead > hub_->options.max_send_queue_bytes) {
      drop = reason::kSendQueueFull;
    } else {
      queue_.push_back(std::move(payload));
      queue_bytes_ += size + kQueueEntryOverhead;
      if (outbound_ready_) writer = outbound_;
    }
  }
  if (!drop.empty()) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    hub_->Count(drop,
                "to peer " + key_.hex().substr(0, 16) + ", " + std::to_string(size) + " bytes");
    return false;
  }
  if (writer) writer->Kick();
  return true;
}

Transport::PeerStatus Peer::Status() const {
  Transport::PeerStatus status;
  status.key = key_;
  {
    std::lock_guard lock(mu_);
    status.outbound_connected = outbound_ready_;
    status.inbound_connected = inbound_ != nullptr;
  }
  status.frames_sent = frames_sent_.load(std::memory_order_relaxed);
  status.frames_received = frames_received_.load(std::memory_order_relaxed);
  status.bytes_sent = bytes_sent_.load(std::memory_order_relaxed);
  status.bytes_received = bytes_received_.load(std::memory_order_relaxed);
  status.dropped = dropped_.load(std::memory_order_relaxed);
  return status;
}

bool Peer::outbound_connected() const {
  std::lock_guard lock(mu_);
  return outbound_ready_;
}

void Peer::StartDialing() {
  asio::post(strand_, [self = shared_from_this()] { self->Dial(); });
}

void Peer::SetAddress(const std::string& host, uint16_t port) {
  std::shared_ptr<Connection> old;
  {
    std::lock_guard lock(mu_);
    if (host == host_ && port == port_) return;
    host_ = host;
    port_ = port;
    failed_dials_ = 0;
    old = outbound_;
  }
  if (old) old->Close();  // redialled at the new address once it reports closed
}

void Peer::Shutdown() {
  std::shared_ptr<Connection> out;
  std::shared_ptr<Connection> in;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
    shut_down_ = true;
    out = std::move(outbound_);
    in = std::move(inbound_);
    outbound_ready_ = false;
    queue_.clear();
    queue_bytes_ = 0;
  }
  if (out) out->Close();
  if (in) in->Close();
  asio::post(strand_, [self = shared_from_this()] {
    self->redial_timer_.cancel();
    self->resolver_.cancel();
  });
}

void Peer::Abort() {
  std::shared_ptr<Connection> out;
  std::shared_ptr<Connection> in;
  {
    std::lock_guard lock(mu_);
    shut_down_ = true;
    out = std::move(outbound_);
    in = std::move(inbound_);
    outbound_ready_ = false;
    queue_.clear();
    queue_bytes_ = 0;
  }
  if (out) out->Abort();
  if (in) in->Abort();
  redial_timer_.cancel();
  resolver_.cancel();
}

Peer::Payload Peer::PopForSend() {
  std::lock_guard lock(mu_);
  if (queue_.empty()) return nullptr;
  Payload payload = std::move(queue_.front());
  queue_.pop_front();
  queue_bytes_ -= payload->size() + kQueueEntryOverhead;
  return payload;
}

bool Peer::OnOutboundReady(const std::shared_ptr<Connection>& connection) {
  std::lock_guard lock(mu_);
  if (shut_down_ || outbound_ != connection) return false;
  outbound_ready_ = true;
  failed_dials_ = 0;
  LogInfo("connected to peer " + key_.hex().substr(0, 16) + " at " + host_ + ":" +
          std::to_string(port_));
  return true;
}

void Peer::OnOutboundClosed(const Connection* connection) {
  {
    std::lock_guard lock(mu_);
    if (outbound_.get() != connection) return;
    outbound_.reset();
    if (outbound_ready_ && !shut_down_) {
      LogInfo("lost the connection to peer " + key_.hex().substr(0, 16) + "; redialling");
      down_since_ = std::chrono::steady_clock::now();
    } else if (!shut_down_) {
      // A dial that failed (refused, timed out, refused in the handshake). Logged at the 1st,
      // 2nd, 4th, 8th, ... consecutive failure: a peer down for an hour leaves about ten
      // lines, each saying for how long.
      const int attempts = failed_dials_ + 1;
      if ((attempts & (attempts - 1)) == 0) {
        const auto down = std::chrono::duration_cast<std::chrono::seconds>(
            std::chrono::steady_clock::now() - down_since_);
        Log("cannot reach peer " + key_.hex().substr(0, 16) + " at " + host_ + ":" +
            std::to_string(port_) + ": " + std::to_string(attempts) +
            " dial attempt(s) failed; unreachable for " + std::to_string(down.count()) + " s");
      }
    }
    outbound_ready_ = false;
    if (shut_down_) return;
  }
  asio::post(strand_, [self = shared_from_this()] { self->ScheduleRedial(); });
}

bool Peer::AttachInbound(const std::shared_ptr<Connection>& connection) {
  std::shared_ptr<Connection> older;
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return false;
    older = std::exchange(inbound_, connection);
  }
  if (older) older->Close();
  return true;
}

void Peer::DetachInbound(const Connection* connection) {
  std::lock_guard lock(mu_);
  if (inbound_.get() == connection) inbound_.reset();
}

void Peer::CountSent(size_t payload_bytes) {
  frames_sent_.fetch_add(1, std::memory_order_relaxed);
  bytes_sent_.fetch_add(payload_bytes, std::memory_order_relaxed);
}

void Peer::CountReceived(size_t payload_bytes) {
  frames_received_.fetch_add(1, std::memory_order_relaxed);
  bytes_received_.fetch_add(payload_bytes, std::memory_order_relaxed);
}

void Peer::Dial() {
  std::string host;
  uint16_t port = 0;
  {
    std::lock_guard lock(mu_);
    if (shut_down_ || outbound_) return;
    host = host_;
    port = port_;
  }
  resolver_.async_resolve(
      host, std::to_string(port),
      [self = shared_from_this(), host](error_code ec, tcp::resolver::results_type endpoints) {
        if (ec) {
          int failures = 0;
          {
            std::lock_guard lock(self->mu_);
            failures = self->failed_dials_;
          }
          // Logged at 0, 1, 2, 4, 8, ... consecutive failures, not on every redial.
          if (ec != asio::error::operation_aborted && (failures & (failures - 1)) == 0) {
            Log("cannot resolve " + host + " for peer " + self->key_.hex().substr(0, 16) + ": " +
                ec.message());
          }
          return self->ScheduleRedial();
        }
        auto connection =
            Connection::Outbound(self->hub_, self, tcp::socket(asio::make_strand(self->hub_->ioc)));
        {
          std::lock_guard lock(self->mu_);
          if (self->shut_down_ || self->outbound_) return;
          self->outbound_ = connection;
          self->outbound_ready_ = false;
        }
        connection->Connect(std::move(endpoints));
      });
}

void Peer::ScheduleRedial() {
  {
    std::lock_guard lock(mu_);
    if (shut_down_) return;
  }
  redial_timer_.expires_after(NextBackoff());
  redial_timer_.async_wait([self = shared_from_this()](error_code ec) {
    if (!ec) self->Dial();
  });
}

std::chrono::milliseconds Peer::NextBackoff() {
  int doublings = 0;
  {
    std::lock_guard lock(mu_);
    doublings = failed_dials_;
    if (failed_dials_ < INT_MAX) ++failed_dials_;
  }
  const auto max = hub_->options.backoff_max;
  auto base = hub_->options.backoff_min;
  for (int i = 0; i < doublings && base < max; ++i) base *= 2;
  base = std::min(base, max);
  // Uniform in [base/2, base], so that restarted validators do not dial in lockstep.
  const auto half = base / 2;
  const auto spread = static_cast<uint32_t>((base - half).count());
  return half + std::chrono::milliseconds(randombytes_uniform(spread + 1));
}

}  // namespace tradeledger::net
