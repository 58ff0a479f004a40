// The Byzantine behaviours of the simulator. A Byzantine replica runs the real core with its
// own key (so it knows the protocol state an attacker would know) and this adversary rewrites
// what it sends and injects more:
//   equivocate      two different signed proposals for one view, each to half the replicas;
//   fork            as leader after a TC, propose on the grandparent of its highest QC's
//                   block instead (the attack the lock check stops);
//   split           as collector of a view's votes, form the QC but show it to a single
//                   correct replica (which then decides a block nobody else knows is
//                   decided), let the others time out, then fork with the TC;
//   double-vote     a second signed vote in the same view for another block;
//   unknown-vote    signed votes for blocks that do not exist;
//   bad-block       proposals with a wrong header field, correctly signed;
//   corrupt         flipped bytes (invalid signatures) and truncated or random bytes;
//   replay          old messages of any replica, resent later;
//   silent          long stretches of sending nothing at all.
// Every behaviour is drawn from the seeded Rng, so a seed replays exactly.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <vector>

#include "consensus/replica.h"
#include "sim_rng.h"

namespace tradeledger::sim {

struct Outgoing {
  consensus::ReplicaId to;
  core::Bytes bytes;
};

struct ByzantineBehaviours {
  bool equivocate = true;
  bool fork = true;
  bool double_vote = true;
  bool unknown_vote = true;
  bool bad_block = true;
  bool corrupt = true;
  bool replay = true;
  bool silent = true;
  bool split = true;
};

class Adversary {
 public:
  Adversary(consensus::ReplicaId self, uint32_t n, ledger::ChainId chain, crypto::KeyPair key,
            ByzantineBehaviours behaviours, uint64_t seed)
      : self_(self), n_(n), chain_(chain), key_(std::move(key)), b_(behaviours), rng_(seed) {}

  // Rewrites one Send/Broadcast of the core into the messages actually sent.
  std::vector<Outgoing> Transform(const consensus::Replica& core,
                                  const consensus::LedgerView& ledger,
                                  std::vector<consensus::ReplicaId> targets,
                                  const core::Bytes& bytes, uint64_t now_ms);
  // Sees every message addressed to the Byzantine replica first. Returns true if the core
  // must not see it; may add messages to send to *out.
  bool Intercept(const consensus::Replica& core, const core::Bytes& bytes,
                 std::vector<Outgoing>* out);
  // Unprompted mischief, called periodically.
  std::vector<Outgoing> Tick(const consensus::Replica& core, uint64_t now_ms);

 private:
  bool Silent(uint64_t now_ms);
  core::Bytes Corrupt(core::Bytes bytes);
  std::vector<Outgoing> ForkOrEquivocate(const consensus::Replica& core,
                                         const consensus::LedgerView& ledger,
                                         const std::vector<consensus::ReplicaId>& targets,
                                         const consensus::Proposal& p);

  consensus::ReplicaId self_;
  uint32_t n_;
  ledger::ChainId chain_;
  crypto::KeyPair key_;
  ByzantineBehaviours b_;
  Rng rng_;
  std::deque<core::Bytes> seen_;
  // Split attack: votes collected per view, and the views attacked.
  std::map<core::View, std::map<consensus::ReplicaId, consensus::Vote>> votes_;
  std::map<core::View, bool> split_views_;
  core::View fork_after_;  // fork the proposal of view fork_after_ + 1
  uint64_t silent_until_ = 0;
  uint64_t next_silence_check_ = 0;
};

}  // namespace tradeledger::sim
