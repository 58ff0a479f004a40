#include "consensus/pacemaker.h"

#include <algorithm>

namespace tradeledger::consensus {

bool Pacemaker::Advance(core::View view, bool progress, core::TimestampMs now) {
  if (view <= view_) return false;
  if (progress) {
    failures_ = 0;
  } else {
    failures_ = std::min(failures_ + 1, config_.max_backoff_exponent);
  }
  view_ = view;
  entered_at_ = now;
  deadline_ = core::TimestampMs(now.value + TimeoutMs());
  return true;
}

void Pacemaker::Rearm(core::TimestampMs now) {
  deadline_ = core::TimestampMs(now.value + TimeoutMs());
}

uint64_t Pacemaker::TimeoutMs() const { return config_.base_timeout_ms << failures_; }

}  // namespace tradeledger::consensus
