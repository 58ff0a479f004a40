// Liveness only: which view a replica is in, who leads it, and when to give up on it.
//
// The pacemaker never decides what is safe to sign (SafetyRules does); a wrong timeout or a
// bad leader schedule can cost progress, never safety. Views advance on a QC for the current
// view or a later one (progress: the timeout backoff resets) or on a TC or f+1 timeouts
// (no progress: the next view waits twice as long, up to 2^max_backoff_exponent times the
// base). Leaders rotate round-robin over the validator set: leader(v) = v mod n.
//
// Time is an input: every call takes the replica's local `now`, and the pacemaker returns
// deadlines for the driver to arm as timers.
//
// Thread safety: a value type, used by one thread.
#pragma once

#include <cstdint>

#include "consensus/messages.h"
#include "core/strong_types.h"

namespace tradeledger::consensus {

struct PacemakerConfig {
  // Timer of a view entered after progress, in ms of the replica's clock. Default 1000.
  uint64_t base_timeout_ms = 1000;
  // Cap on the doubling after consecutive views without progress. Default 4 (16x base).
  uint32_t max_backoff_exponent = 4;
};

class Pacemaker {
 public:
  Pacemaker(uint32_t validator_count, PacemakerConfig config)
      : n_(validator_count), config_(config) {}

  core::View current_view() const { return view_; }
  ReplicaId Leader(core::View view) const {
    return ReplicaId(static_cast<uint32_t>(view.value % n_));
  }
  // When the current view's timer fires, in the replica's local time.
  core::TimestampMs deadline() const { return deadline_; }
  // When the current view was entered, in the replica's local time.
  core::TimestampMs entered_at() const { return entered_at_; }

  // Enters `view` if it is above the current one and returns true (the caller arms a timer at
  // deadline()). `progress` is true when a QC justified the move.
  bool Advance(core::View view, bool progress, core::TimestampMs now);
  // After the current view's timer fired: re-arms it (for retransmitting the timeout).
  void Rearm(core::TimestampMs now);
  uint64_t TimeoutMs() const;

 private:
  uint32_t n_;
  PacemakerConfig config_;
  core::View view_{0};
  uint32_t failures_ = 0;  // consecutive views left without progress
  core::TimestampMs deadline_;
  core::TimestampMs entered_at_;
};

}  // namespace tradeledger::consensus
