// The node's source of time for stamping blocks. Execution never reads it: it uses the
// agreed block time. Tests and demo networks can run on a ManualClock.
#pragma once

#include <atomic>
#include <chrono>

#include "core/strong_types.h"

namespace tradeledger::node {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual core::TimestampMs Now() const = 0;
};

class SystemClock : public Clock {
 public:
  core::TimestampMs Now() const override {
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    return core::TimestampMs(static_cast<uint64_t>(ms.count()));
  }
};

// A clock that moves only when told to. Thread-safe.
class ManualClock : public Clock {
 public:
  explicit ManualClock(core::TimestampMs start) : now_(start.value) {}
  core::TimestampMs Now() const override { return core::TimestampMs(now_.load()); }
  void Set(core::TimestampMs t) { now_.store(t.value); }

 private:
  std::atomic<uint64_t> now_;
};

}  // namespace tradeledger::node
