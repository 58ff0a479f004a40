#include "net/hub.h"

#include <atomic>
#include <cstdio>
#include <exception>

namespace tradeledger::net {

namespace {
std::atomic<LogSink> log_sink{nullptr};
void Emit(bool warning, std::string_view message) {
  if (LogSink sink = log_sink.load()) return sink(warning, message);
  std::fprintf(stderr, "tradeledger net: %.*s\n", static_cast<int>(message.size()), message.data());
}
}  // namespace

void SetLogSink(LogSink sink) { log_sink.store(sink); }
void Log(std::string_view message) { Emit(true, message); }
void LogInfo(std::string_view message) { Emit(false, message); }

void Hub::Count(std::string_view code, std::string_view context) {
  uint64_t count = 0;
  {
    std::lock_guard lock(counts_mu_);
    auto it = counts_.find(code);
    if (it == counts_.end()) it = counts_.emplace(std::string(code), 0).first;
    count = ++it->second;
  }
  if ((count & (count - 1)) != 0) return;
  std::string line(code);
  if (!context.empty()) line.append(": ").append(context);
  line.append(" (").append(std::to_string(count)).append(" so far)");
  Log(line);
}

std::map<std::string, uint64_t> Hub::Counts() const {
  std::lock_guard lock(counts_mu_);
  return {counts_.begin(), counts_.end()};
}

void Hub::Deliver(const crypto::PublicKey& from, core::Bytes payload) {
  try {
    handler_(from, std::move(payload));
  } catch (const std::exception& e) {
    Log(std::string("handler threw: ") + e.what());
  } catch (...) {
    Log("handler threw a non-standard exception");
  }
}

std::shared_ptr<Peer> Hub::FindPeer(const crypto::PublicKey& key) const {
  std::lock_guard lock(mu);
  auto it = peers.find(key);
  return it == peers.end() ? nullptr : it->second;
}

}  // namespace tradeledger::net
