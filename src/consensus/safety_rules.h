// The voting and timeout rules that keep correct replicas from ever committing conflicting
// blocks (Jolteon / DiemBFT v4 style, 2-chain commit). This class is the whole safety argument
// of doc/adr/0010-consensus.md in code: it decides whether a replica may sign, and records what
// it signed; it never sends, never reads a clock and knows nothing about timers or leaders.
//
// Invariants (for one replica, across crashes if the driver persists SafetyState before the
// signed vote or timeout leaves the process — the Replica emits Persist first):
//  - it signs at most one vote per view, and no vote for a view it has timed out of;
//  - locked_view is the highest QC view it has ever seen, and never decreases;
//  - a timeout it signs reports its real highest QC (high_qc.view == locked_view).
//
// Thread safety: a value type, used by one thread.
#pragma once

#include "consensus/messages.h"
#include "core/bytes.h"
#include "core/result.h"
#include "core/strong_types.h"

namespace tradeledger::consensus {

// What must survive a crash. Encoding: version 1 | last_voted_view u64 | QC (high_qc).
// locked_view is high_qc.view.
struct SafetyState {
  core::View last_voted_view;  // highest view voted in or timed out of
  QuorumCert high_qc;          // highest QC seen; its view is the lock

  core::Bytes Encode() const;
  static core::Result<SafetyState> Decode(core::ByteSpan bytes);
};

class SafetyRules {
 public:
  explicit SafetyRules(SafetyState state) : state_(std::move(state)) {}

  const SafetyState& state() const { return state_; }
  core::View locked_view() const { return state_.high_qc.view; }
  const QuorumCert& high_qc() const { return state_.high_qc; }

  // Records a verified QC; returns true if it raised the lock (the state must be persisted
  // before the next signature).
  bool ObserveQc(const QuorumCert& qc);

  // May this replica vote for a block of `block_view` whose justify QC is from `qc_view`,
  // entering the view through `tc` (null when the QC is from the previous view)?
  //   block_view > max(last_voted_view, qc_view), and either
  //   qc_view + 1 == block_view, or tc->view + 1 == block_view and qc_view >= tc's highest
  //   reported QC view (the lock check: a leader cannot skip a QC that a quorum may hold).
  bool SafeToVote(core::View block_view, core::View qc_view, const TimeoutCert* tc) const;
  // Records the vote; call only after SafeToVote returned true.
  void RecordVote(core::View block_view);

  // May this replica time out of `view`? Only of a view it has not left, and only reporting
  // its highest QC.
  bool SafeToTimeout(core::View view) const;
  void RecordTimeout(core::View view);

 private:
  SafetyState state_;
};

}  // namespace tradeledger::consensus
