// The committed-block events of one node, read on a thread of their own so that each event is
// timestamped when it arrives, however busy the indexer's main loop is (records refresh,
// database writes). The stream is signed with the indexer's key and reopened with back-off
// when it breaks.
//
// Thread safety: every public method is safe from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "index/node_source.h"

namespace tradeledger::index {

class EventFeed {
 public:
  // Starts reading at once; `source` is this feed's own (its connections are not shared).
  explicit EventFeed(std::unique_ptr<NodeSource> source);
  ~EventFeed();  // stops the thread
  EventFeed(const EventFeed&) = delete;
  EventFeed& operator=(const EventFeed&) = delete;

  // The highest height announced so far (0: none).
  uint64_t announced() const { return announced_.load(); }
  // Whether the stream is open now.
  bool connected() const { return connected_.load(); }
  // The indexer's clock (ms) when the event for `height` arrived, if one did; forgets every
  // arrival at or below `height`.
  std::optional<int64_t> TakeArrival(uint64_t height);

 private:
  void Run();

  std::unique_ptr<NodeSource> source_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> connected_{false};
  std::atomic<uint64_t> announced_{0};
  std::mutex mu_;
  std::map<uint64_t, int64_t> arrivals_;  // guarded by mu_
  std::thread thread_;
};

}  // namespace tradeledger::index
