#include "index/event_feed.h"

#include <algorithm>
#include <chrono>

namespace tradeledger::index {
namespace {

int64_t WallMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// At most this many arrivals are remembered (a feed far ahead of a slow main loop).
constexpr size_t kMaxArrivals = 100'000;

}  // namespace

EventFeed::EventFeed(std::unique_ptr<NodeSource> source) : source_(std::move(source)) {
  thread_ = std::thread([this] { Run(); });
}

EventFeed::~EventFeed() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

std::optional<int64_t> EventFeed::TakeArrival(uint64_t height) {
  std::lock_guard lock(mu_);
  std::optional<int64_t> out;
  if (auto it = arrivals_.find(height); it != arrivals_.end()) out = it->second;
  arrivals_.erase(arrivals_.begin(), arrivals_.upper_bound(height));
  return out;
}

void EventFeed::Run() {
  using std::chrono::milliseconds;
  milliseconds backoff(200);
  while (!stop_) {
    if (!connected_) {
      if (source_->OpenEvents()) {
        connected_ = true;
        backoff = milliseconds(200);
      } else {
        for (auto waited = milliseconds(0); waited < backoff && !stop_;
             waited += milliseconds(50)) {
          std::this_thread::sleep_for(milliseconds(50));
        }
        backoff = std::min(backoff * 2, milliseconds(5000));
        continue;
      }
    }
    auto event = source_->NextBlockEvent(milliseconds(200));
    if (!event) {
      connected_ = false;
      continue;
    }
    if (!*event) continue;
    int64_t now = WallMs();
    uint64_t height = **event;
    std::lock_guard lock(mu_);
    if (arrivals_.size() < kMaxArrivals) arrivals_.emplace(height, now);
    announced_ = std::max(announced_.load(), height);
  }
}

}  // namespace tradeledger::index
