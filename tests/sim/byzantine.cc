#include "byzantine.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>

namespace tradeledger::sim {

using consensus::Message;
using consensus::Proposal;
using consensus::ReplicaId;

bool Adversary::Silent(uint64_t now_ms) {
  if (!b_.silent) return false;
  if (now_ms >= next_silence_check_) {
    next_silence_check_ = now_ms + 2000;
    if (rng_.Chance(0.15)) silent_until_ = now_ms + rng_.Between(1000, 5000);
  }
  return now_ms < silent_until_;
}

core::Bytes Adversary::Corrupt(core::Bytes bytes) {
  switch (rng_.Below(3)) {
    case 0:  // a flipped bit: usually an invalid signature, sometimes a malformed field
      if (!bytes.empty())
        bytes[rng_.Below(bytes.size())] ^= static_cast<uint8_t>(1u << rng_.Below(8));
      break;
    case 1:  // truncated
      bytes.resize(rng_.Below(bytes.size() + 1));
      break;
    default: {  // random bytes with a plausible prefix
      core::Bytes junk(rng_.Between(0, 300));
      for (auto& b : junk) b = static_cast<uint8_t>(rng_.Next());
      if (junk.size() >= 2) {
        junk[0] = consensus::kWireVersion;
        junk[1] = static_cast<uint8_t>(rng_.Between(0, 8));
      }
      bytes = std::move(junk);
    }
  }
  return bytes;
}

std::vector<Outgoing> Adversary::ForkOrEquivocate(const consensus::Replica& core,
                                                  const consensus::LedgerView& ledger,
                                                  const std::vector<ReplicaId>& targets,
                                                  const Proposal& p) {
  std::vector<Outgoing> out;
  auto send_all = [&](const Proposal& q) {
    core::Bytes bytes = consensus::EncodeMessage(q);
    for (ReplicaId to : targets) out.push_back({to, bytes});
  };
  bool planned = p.tc && fork_after_.value + 1 == p.view.value;
  if (b_.fork && p.tc && (planned || rng_.Chance(0.5))) {
    // Extend the grandparent of the block our highest QC certifies, skipping a certified block
    // (the honest proposal's parent) that a quorum may be locked on.
    const consensus::BlockNode* parent = core.tree().Find(p.header.prev_hash);
    const consensus::BlockNode* grand =
        parent == nullptr ? nullptr : core.tree().Find(parent->header.prev_hash);
    if (grand != nullptr && !parent->justify.IsGenesis()) {
      Proposal fork = p;
      core::Height executed = ledger.ExecutedHeight();
      auto root = ledger.StateRoot(executed);
      consensus::StateClaim claim = consensus::ChooseStateClaim(*grand, executed, *root);
      fork.transactions.clear();
      fork.header =
          consensus::BuildChildHeader(*grand, {}, p.header.timestamp, key_.public_key, claim);
      fork.justify = parent->justify;
      fork.Sign(chain_, key_);
      if (std::getenv("TL_SIM_TRACE")) {
        std::fprintf(stderr, "  byzantine %u forks view %llu at height %llu (qc view %llu)\n",
                     self_.value, static_cast<unsigned long long>(p.view.value),
                     static_cast<unsigned long long>(fork.header.height.value),
                     static_cast<unsigned long long>(fork.justify.view.value));
      }
      send_all(fork);
      return out;
    }
  }
  if (b_.equivocate && rng_.Chance(0.5)) {
    Proposal other = p;
    other.transactions.clear();
    ++other.header.timestamp.value;
    other.header.tx_count = 0;
    other.header.tx_root = ledger::TransactionRoot({});
    if (const auto* parent = core.tree().Find(p.header.prev_hash)) {
      other.header.log_size = parent->log.size();
      other.header.log_root = parent->log.Root();
    }
    other.Sign(chain_, key_);
    core::Bytes a = consensus::EncodeMessage(p);
    core::Bytes b = consensus::EncodeMessage(other);
    for (size_t i = 0; i < targets.size(); ++i) out.push_back({targets[i], i % 2 ? a : b});
    return out;
  }
  if (b_.bad_block && rng_.Chance(0.2)) {
    Proposal bad = p;
    switch (rng_.Below(4)) {
      case 0:
        bad.header.tx_root.data[0] ^= 1;
        break;
      case 1:
        bad.header.log_root.data[0] ^= 1;
        break;
      case 2:
        bad.header.state_root.data[0] ^= 1;
        break;
      default:
        bad.header.timestamp.value += 3'600'000;
        break;  // an hour ahead
    }
    bad.Sign(chain_, key_);
    send_all(bad);
    return out;
  }
  send_all(p);
  return out;
}

std::vector<Outgoing> Adversary::Transform(const consensus::Replica& core,
                                           const consensus::LedgerView& ledger,
                                           std::vector<ReplicaId> targets, const core::Bytes& bytes,
                                           uint64_t now_ms) {
  if (Silent(now_ms)) return {};
  std::vector<Outgoing> out;
  auto decoded = consensus::DecodeMessage(bytes);
  TL_CHECK(decoded.has_value());  // our own core's output
  if (const auto* p = std::get_if<Proposal>(&*decoded); p != nullptr && p->author == self_) {
    out = ForkOrEquivocate(core, ledger, targets, *p);
  } else if (const auto* v = std::get_if<consensus::Vote>(&*decoded)) {
    for (ReplicaId to : targets) out.push_back({to, bytes});
    if (b_.double_vote && rng_.Chance(0.5)) {
      consensus::Vote other = *v;
      auto nodes = core.tree().Nodes();
      const consensus::BlockNode* pick = nodes[rng_.Below(nodes.size())];
      if (pick->hash != v->block_hash) {
        other.block_hash = pick->hash;
        other.height = pick->header.height;
      } else {
        other.block_hash.hash.data[0] ^= 0x5a;
      }
      other.Sign(chain_, key_);
      core::Bytes b = consensus::EncodeMessage(other);
      for (uint32_t i = 0; i < n_; ++i) {
        if (ReplicaId(i) != self_) out.push_back({ReplicaId(i), b});
      }
    }
  } else {
    for (ReplicaId to : targets) out.push_back({to, bytes});
  }
  if (b_.corrupt) {
    for (Outgoing& o : out) {
      if (rng_.Chance(0.05)) o.bytes = Corrupt(std::move(o.bytes));
    }
  }
  return out;
}

bool Adversary::Intercept(const consensus::Replica& core, const core::Bytes& bytes,
                          std::vector<Outgoing>* out) {
  if (b_.replay && rng_.Chance(0.1)) {
    seen_.push_back(bytes);
    if (seen_.size() > 64) seen_.pop_front();
  }
  if (!b_.split) return false;
  auto decoded = consensus::DecodeMessage(bytes);
  if (!decoded) return false;
  const auto* v = std::get_if<consensus::Vote>(&*decoded);
  if (v == nullptr || core.Leader(core::View(v->view.value + 1)) != self_) return false;
  auto [plan, fresh] = split_views_.emplace(v->view, false);
  if (fresh) plan->second = rng_.Chance(0.5);
  if (!plan->second) return false;
  // Withhold the vote from our own core (it will time out of the view), but collect it.
  auto& by_signer = votes_[v->view];
  by_signer.emplace(v->author, *v);
  if (votes_.size() > 16) votes_.erase(votes_.begin());
  consensus::QuorumCert qc{v->view, v->height, v->block_hash, {}};
  for (const auto& [signer, vote] : by_signer) {
    if (vote.block_hash == v->block_hash) qc.signatures.push_back({signer, vote.signature});
  }
  const auto& set = core.config().validators;
  if (qc.signatures.size() + 1 != set.quorum()) return true;
  consensus::Vote mine{v->view, v->height, v->block_hash, self_, {}};
  mine.Sign(chain_, key_);
  qc.signatures.push_back({self_, mine.signature});
  std::sort(qc.signatures.begin(), qc.signatures.end(),
            [](const auto& a, const auto& b) { return a.signer < b.signer; });
  // Show the QC to one correct replica only; everyone else times out of the view.
  ReplicaId lucky(static_cast<uint32_t>(rng_.Below(n_)));
  if (lucky == self_) lucky = ReplicaId((lucky.value + 1) % n_);
  out->push_back({lucky, consensus::EncodeMessage(consensus::ViewSync{qc, std::nullopt})});
  fork_after_ = v->view;
  return true;
}

std::vector<Outgoing> Adversary::Tick(const consensus::Replica& core, uint64_t now_ms) {
  std::vector<Outgoing> out;
  if (Silent(now_ms)) return out;
  ReplicaId to(static_cast<uint32_t>(rng_.Below(n_)));
  if (to == self_) return out;
  if (b_.replay && !seen_.empty() && rng_.Chance(0.5)) {
    out.push_back({to, seen_[rng_.Below(seen_.size())]});
  }
  if (b_.unknown_vote && rng_.Chance(0.3)) {
    consensus::Vote v;
    v.view = core.current_view();
    v.height = core::Height(rng_.Between(1, 1000));
    for (auto& b : v.block_hash.hash.data) b = static_cast<uint8_t>(rng_.Next());
    v.author = self_;
    v.Sign(chain_, key_);
    out.push_back({core.Leader(core::View(v.view.value + 1)), consensus::EncodeMessage(v)});
  }
  if (b_.corrupt && rng_.Chance(0.3)) {
    core::Bytes junk = seen_.empty() ? core::Bytes{} : seen_[rng_.Below(seen_.size())];
    out.push_back({to, Corrupt(std::move(junk))});
  }
  if (rng_.Chance(0.1)) {  // a sync request for heights that do not exist
    out.push_back({to, consensus::EncodeMessage(consensus::SyncRequest{
                           core::Height(rng_.Between(1'000'000, 2'000'000))})});
  }
  return out;
}

}  // namespace tradeledger::sim
