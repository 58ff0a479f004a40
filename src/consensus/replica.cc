#include "consensus/replica.h"

#include <algorithm>

#include "crypto/sha256.h"
#include "ledger/merkle.h"

namespace tradeledger::consensus {
namespace {

// Most committed blocks served per SyncRequest.
constexpr uint32_t kSyncBatch = kMaxSyncBlocks;
// A sync request without an answer is sent again (to the next peer) after this long.
constexpr uint64_t kSyncRetryMs = 500;
// A block is requested again only after this long without an answer.
constexpr uint64_t kRefetchMs = 200;
// Cap on the verified-certificate cache; it is cleared when full.
constexpr size_t kMaxVerifiedCache = 4096;

core::Hash32 DigestOf(const QuorumCert& qc) {
  core::Encoder e;
  e.PutU8(1);
  qc.EncodeTo(e);
  return crypto::Sha256Of(e.bytes());
}

core::Hash32 DigestOf(const TimeoutCert& tc) {
  core::Encoder e;
  e.PutU8(2);
  tc.EncodeTo(e);
  return crypto::Sha256Of(e.bytes());
}

}  // namespace

core::Result<std::unique_ptr<Replica>> Replica::Create(
    ReplicaConfig config, crypto::KeyPair key, const LedgerView& ledger, core::ByteSpan persisted,
    const std::vector<core::Bytes>& locked_blocks) {
  const auto& validators = config.validators.validators();
  auto it = std::find(validators.begin(), validators.end(), key.public_key);
  if (it == validators.end()) {
    return core::Fail("REPLICA_NOT_VALIDATOR", "key is not in the validator set");
  }
  ReplicaId id(static_cast<uint32_t>(it - validators.begin()));
  SafetyState state;
  if (!persisted.empty()) {
    auto decoded = SafetyState::Decode(persisted);
    if (!decoded) return core::Fail("SAFETY_STATE_CORRUPT", decoded.error().ToString());
    state = std::move(*decoded);
  }
  std::unique_ptr<Replica> replica(
      new Replica(std::move(config), std::move(key), id, ledger, std::move(state)));
  // Parents first, whatever order the driver stored them in.
  std::vector<std::pair<uint64_t, const core::Bytes*>> by_height;
  for (const core::Bytes& block : locked_blocks) {
    auto decoded = DecodeMessage(block);
    if (decoded && std::holds_alternative<Proposal>(*decoded)) {
      by_height.emplace_back(std::get<Proposal>(*decoded).header.height.value, &block);
    }
  }
  std::sort(by_height.begin(), by_height.end());
  for (const auto& [height, block] : by_height) replica->RestoreBlock(*block);
  return replica;
}

void Replica::RestoreBlock(core::ByteSpan proposal_bytes) {
  auto decoded = DecodeMessage(proposal_bytes);
  if (!decoded || !std::holds_alternative<Proposal>(*decoded)) return Reject("RESTORE_MALFORMED");
  const Proposal& p = std::get<Proposal>(*decoded);
  if (p.view < config_.first_view || p.header.chain_id != config_.chain_id) {
    return;  // of another epoch: nothing to extend
  }
  ledger::BlockHash hash = p.header.Hash();
  const BlockNode* parent = tree_.Find(p.header.prev_hash);
  if (parent == nullptr || tree_.Find(hash) != nullptr) return;  // committed since, or stale
  tree_.Insert(MakeNode(p, *parent, core::Bytes(proposal_bytes.begin(), proposal_bytes.end())));
  tree_.AddQc(p.justify);
  persisted_locked_.insert(hash);
}

BlockNode Replica::MakeNode(const Proposal& p, const BlockNode& parent, core::Bytes bytes) const {
  BlockNode node;
  node.hash = p.header.Hash();
  node.view = p.view;
  node.header = p.header;
  node.transactions = p.transactions;
  for (const auto& tx : node.transactions) node.tx_ids.insert(tx.id());
  node.justify = p.justify;
  node.log = ExtendLog(parent.log, p.transactions);
  node.proposal = std::move(bytes);
  return node;
}

void Replica::PersistSafety() {
  Persist persist{safety_.state().Encode(), {}, {}};
  std::set<ledger::BlockHash> locked;
  const BlockNode* node = tree_.Find(safety_.high_qc().block_hash);
  while (node != nullptr && node->hash != tree_.root().hash) {
    persist.locked.push_back(node->hash);
    locked.insert(node->hash);
    if (!persisted_locked_.contains(node->hash)) {
      persist.new_locked.emplace_back(node->hash, node->proposal);
    }
    node = tree_.Find(node->header.prev_hash);
  }
  persisted_locked_ = std::move(locked);
  Emit(std::move(persist));
}

Replica::Replica(ReplicaConfig config, crypto::KeyPair key, ReplicaId id, const LedgerView& ledger,
                 SafetyState state)
    : config_(std::move(config)),
      key_(std::move(key)),
      id_(id),
      ledger_(ledger),
      safety_(std::move(state)),
      pacemaker_(static_cast<uint32_t>(config_.validators.size()), config_.pacemaker),
      tree_(RootFromLedger(config_, ledger)) {
  emitted_height_ = tree_.root().header.height;
  emitted_hash_ = tree_.root().hash;
  decided_height_ = emitted_height_;
  max_seen_height_ = emitted_height_;
  if (config_.first_view.value > 1) {
    // A new epoch starts from the executed block at which the validator set changed.
    epoch_root_qc_ = QuorumCert{core::View(config_.first_view.value - 1),
                                tree_.root().header.height,
                                tree_.root().hash,
                                {}};
    tree_.AddQc(*epoch_root_qc_);
    safety_.ObserveQc(*epoch_root_qc_);
  }
}

namespace {

// The view a message speaks for, if it speaks for one.
std::optional<core::View> ViewOf(const Message& m) {
  if (const auto* p = std::get_if<Proposal>(&m)) return p->view;
  if (const auto* v = std::get_if<Vote>(&m)) return v->view;
  if (const auto* t = std::get_if<Timeout>(&m)) return t->view;
  if (const auto* c = std::get_if<CommitVote>(&m)) return c->view;
  if (const auto* s = std::get_if<ViewSync>(&m)) return core::View(s->high_qc.view.value + 1);
  return std::nullopt;
}

}  // namespace

BlockNode Replica::RootFromLedger(const ReplicaConfig& config, const LedgerView& ledger) {
  BlockNode root;
  core::Height height = ledger.ExecutedHeight();
  if (height.value == 0) {
    root.header.chain_id = config.chain_id;
    root.header.timestamp = config.genesis_time;
    root.header.log_root = ledger::EmptyRoot();
    auto state_root = ledger.StateRoot(core::Height(0));
    TL_CHECK(state_root.has_value());
    root.header.state_root = *state_root;
    return root;
  }
  std::optional<ledger::StoredBlock> block = ledger.CommittedBlock(height);
  TL_CHECK(block.has_value());  // the driver's LedgerView contract
  root.hash = block->header.Hash();
  root.view = block->certificate.view;
  root.header = block->header;
  root.log = ledger.CommittedLog();
  return root;
}

std::vector<Action> Replica::Step(const Input& input) {
  now_ = input.now;
  actions_.clear();
  proposed_this_step_ = false;
  SyncWithLedger();
  if (std::holds_alternative<Start>(input.event)) {
    core::View first(std::max<uint64_t>({config_.first_view.value, safety_.high_qc().view.value + 1,
                                         safety_.state().last_voted_view.value}));
    if (pacemaker_.Advance(first, true, now_)) OnNewView();
  } else if (const auto* m = std::get_if<PeerMessage>(&input.event)) {
    if (m->from.value >= config_.validators.size() || m->from == id_) {
      Reject("MESSAGE_BAD_SENDER");
    } else {
      auto decoded = DecodeMessage(m->bytes);
      if (!decoded) {
        Reject("MESSAGE_MALFORMED");
      } else {
        Dispatch(m->from, std::move(*decoded), m->bytes, false);
      }
    }
  } else if (const auto* t = std::get_if<TimerFired>(&input.event)) {
    if (t->view == pacemaker_.current_view()) LocalTimeout();
  } else if (const auto* b = std::get_if<ClientBatch>(&input.event)) {
    HandleClientBatch(*b);
    TryPropose();  // a waiting leader proposes new transactions at once; a tick re-checks idling
  }
  while (!local_.empty()) {
    Local l = std::move(local_.front());
    local_.pop_front();
    Dispatch(l.from, std::move(l.message), std::move(l.bytes), l.trusted);
  }
  return std::move(actions_);
}

void Replica::SyncWithLedger() {
  core::Height executed = ledger_.ExecutedHeight();
  if (ledger_.CommitTakenHeight() < emitted_height_) {
    // The driver did not carry out a Commit (it failed or crashed part-way): offer it again.
    emitted_height_ = executed;
    emitted_hash_ = executed == tree_.root().header.height
                        ? tree_.root().hash
                        : ledger_.CommittedBlock(executed)->header.Hash();
  }
  if (executed <= tree_.root().header.height) return;
  std::optional<ledger::StoredBlock> block = ledger_.CommittedBlock(executed);
  TL_CHECK(block.has_value());
  ledger::BlockHash hash = block->header.Hash();
  if (tree_.Find(hash) != nullptr) {
    // The executed blocks are the branch from `hash` up to the old root: their transactions
    // leave the mempool by id, without asking the ledger about every waiting transaction.
    std::unordered_set<ledger::TxId> executed_ids;
    for (const BlockNode* n = tree_.Find(hash); n != nullptr && n->hash != tree_.root().hash;
         n = tree_.Find(n->header.prev_hash)) {
      executed_ids.insert(n->tx_ids.begin(), n->tx_ids.end());
    }
    tree_.Reroot(hash);
    RemoveFromMempool(executed_ids);
  } else {
    tree_.Reset(RootFromLedger(config_, ledger_));
    pacing_.reset();
    // Blocks arrived by other means (sync, or a restart): ask the ledger about each.
    std::erase_if(mempool_, [&](const ledger::SignedTransaction& tx) {
      if (!ledger_.IsCommitted(tx.id())) return false;
      mempool_ids_.erase(tx.id());
      return true;
    });
  }
  if (emitted_height_ < executed) {
    emitted_height_ = executed;
    emitted_hash_ = hash;
  }
  decided_height_ = std::max(decided_height_, executed);
  decided_.erase(decided_.begin(), decided_.upper_bound(executed));
  certificates_.erase(certificates_.begin(), certificates_.upper_bound(executed));
  commit_votes_.erase(commit_votes_.begin(), commit_votes_.upper_bound(executed));
  commit_voters_.erase(commit_voters_.begin(), commit_voters_.upper_bound(executed));
  // Proposals that waited for this state are checked again, after the current input.
  for (Buffered& b : waiting_state_) {
    local_.push_back(Local{b.from, Message(std::move(b.proposal)), std::move(b.bytes), false});
  }
  waiting_state_.clear();
}

void Replica::RemoveFromMempool(const std::unordered_set<ledger::TxId>& ids) {
  if (ids.empty() || mempool_.empty()) return;
  size_t removed = 0;
  for (const ledger::TxId& id : ids) removed += mempool_ids_.erase(id);
  if (removed == 0) return;
  pacing_.reset();  // the paced batch may have lost transactions
  std::erase_if(mempool_,
                [&](const ledger::SignedTransaction& tx) { return ids.contains(tx.id()); });
}

void Replica::Dispatch(ReplicaId from, Message message, core::Bytes bytes, bool trusted) {
  if (std::optional<core::View> view = ViewOf(message)) {
    if (*view < config_.first_view) return Reject("MESSAGE_STALE_EPOCH");
    // A view of a later epoch (ADR 0018: epoch e's views start at e << 32): the network has
    // executed a validator set change this replica has not. The message cannot be checked
    // against this epoch's set, but the blocks up to the change are certified by it: catch up
    // by sync from the sender (rate-limited; a response is verified block by block), and the
    // driver moves to the next epoch when it executes the change.
    if ((view->value >> 32) > (config_.first_view.value >> 32)) {
      if (from != id_) MaybeSync(from);
      return Reject("MESSAGE_FUTURE_EPOCH");
    }
  }
  std::visit(
      [&](auto& m) {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, Proposal>) {
          HandleProposal(from, std::move(m), std::move(bytes), trusted);
        } else if constexpr (std::is_same_v<T, Vote>) {
          HandleVote(m, trusted);
        } else if constexpr (std::is_same_v<T, Timeout>) {
          HandleTimeout(m, trusted);
        } else if constexpr (std::is_same_v<T, CommitVote>) {
          HandleCommitVote(m, trusted);
        } else if constexpr (std::is_same_v<T, BlockRequest>) {
          HandleBlockRequest(from, m);
        } else if constexpr (std::is_same_v<T, SyncRequest>) {
          HandleSyncRequest(from, m);
        } else if constexpr (std::is_same_v<T, ViewSync>) {
          HandleViewSync(m, trusted);
        } else {
          HandleSyncResponse(from, m);
        }
      },
      message);
}

bool Replica::VerifyQc(const QuorumCert& qc) {
  if (epoch_root_qc_ && qc == *epoch_root_qc_) return true;
  if (qc.IsGenesis()) {  // certifies the genesis root, so only in the first epoch
    return config_.first_view.value == 1 &&
           qc.Verify(config_.chain_id, config_.validators).has_value();
  }
  core::Hash32 digest = DigestOf(qc);
  if (verified_certs_.contains(digest)) return true;
  if (!qc.Verify(config_.chain_id, config_.validators)) return false;
  if (verified_certs_.size() >= kMaxVerifiedCache) verified_certs_.clear();
  verified_certs_.insert(digest);
  return true;
}

bool Replica::VerifyTc(const TimeoutCert& tc) {
  core::Hash32 digest = DigestOf(tc);
  if (verified_certs_.contains(digest)) return true;
  if (!tc.Verify(config_.chain_id, config_.validators)) return false;
  if (verified_certs_.size() >= kMaxVerifiedCache) verified_certs_.clear();
  verified_certs_.insert(digest);
  return true;
}

void Replica::HandleProposal(ReplicaId from, Proposal p, core::Bytes bytes, bool trusted) {
  if (p.author.value >= config_.validators.size()) return Reject("PROPOSAL_BAD_AUTHOR");
  if (p.author != pacemaker_.Leader(p.view)) return Reject("PROPOSAL_NOT_LEADER");
  const ledger::BlockHash hash = p.header.Hash();
  if (const BlockNode* known = tree_.Find(hash)) {
    if (known->view != p.view) return Reject("PROPOSAL_DUPLICATE_BLOCK");
    return;  // already processed (a duplicate or a fetched copy)
  }
  if (p.header.height <= tree_.root().header.height) return Reject("PROPOSAL_STALE");
  if (p.justify.block_hash != p.header.prev_hash ||
      p.justify.height.value + 1 != p.header.height.value || p.justify.view >= p.view) {
    return Reject("PROPOSAL_BAD_JUSTIFY");
  }
  if (p.tc && p.tc->view >= p.view) return Reject("PROPOSAL_BAD_TC");
  if (!trusted) {
    const crypto::PublicKey& author_key = config_.validators.validators()[p.author.value];
    if (!crypto::Verify(author_key, Proposal::SigningMessage(config_.chain_id, p.view, hash),
                        p.signature)) {
      return Reject("PROPOSAL_BAD_SIGNATURE");
    }
  }
  if (!VerifyQc(p.justify)) return Reject("PROPOSAL_BAD_QC");
  if (p.tc && !VerifyTc(*p.tc)) return Reject("PROPOSAL_BAD_TC");
  max_seen_height_ = std::max(max_seen_height_, p.justify.height);

  // The certificates are valid whatever the block holds: learn from them first.
  ProcessQc(p.justify);
  if (p.tc) ProcessTc(*p.tc);

  const BlockNode* parent = tree_.Find(p.header.prev_hash);
  if (parent == nullptr) {
    if (p.justify.height <= tree_.root().header.height) return Reject("PROPOSAL_STALE");
    ledger::BlockHash parent_hash = p.header.prev_hash;
    if (orphan_count_ >= config_.max_buffered_proposals) {
      orphans_.clear();
      orphan_count_ = 0;
      Reject("BUFFER_OVERFLOW");
    }
    core::Height justified = p.justify.height;
    orphans_[parent_hash].push_back(Buffered{from, std::move(p), std::move(bytes)});
    ++orphan_count_;
    if (from == id_) return;
    // Far behind, fetching parents one by one would crawl: ask for committed blocks instead.
    if (justified.value > emitted_height_.value + 2) return MaybeSync(from);
    SendTo(from, BlockRequest{parent_hash});
    return;
  }

  auto check = ValidateBlock(p, *parent, trusted);
  if (!check) return Reject(check.error().code);
  if (*check == Check::kWaitForState) {
    // We have not executed the state the proposer claims: catch up, then check again.
    if (from != id_) MaybeSync(from);
    Buffer(waiting_state_, Buffered{from, std::move(p), std::move(bytes)});
    return;
  }

  tree_.Insert(MakeNode(p, *parent, std::move(bytes)));
  const BlockNode& inserted = *tree_.Find(hash);

  // A QC seen before the block arrived may complete a 2-chain now.
  if (const QuorumCert* qc = tree_.QcFor(hash)) CheckCommitRule(*qc);
  MaybeVote(inserted, p.tc);
  TryCommit();
  TryPropose();  // we may have been waiting for this block to extend it

  if (auto it = orphans_.find(hash); it != orphans_.end()) {
    for (Buffered& b : it->second) {
      local_.push_back(Local{b.from, Message(std::move(b.proposal)), std::move(b.bytes), false});
      --orphan_count_;
    }
    orphans_.erase(it);
  }
}

core::Result<Replica::Check> Replica::ValidateBlock(const Proposal& p, const BlockNode& parent,
                                                    bool trusted) {
  const ledger::BlockHeader& h = p.header;
  if (h.chain_id != config_.chain_id) return core::Fail("PROPOSAL_WRONG_CHAIN");
  if (h.height.value != parent.header.height.value + 1) return core::Fail("PROPOSAL_BAD_HEIGHT");
  if (h.timestamp < parent.header.timestamp) return core::Fail("PROPOSAL_TIME_BACKWARDS");
  if (h.proposer != config_.validators.validators()[p.author.value]) {
    return core::Fail("PROPOSAL_BAD_PROPOSER");
  }
  if (p.transactions.size() > config_.max_block_transactions ||
      h.tx_count != p.transactions.size()) {
    return core::Fail("PROPOSAL_BAD_TX_COUNT");
  }
  if (h.tx_root != ledger::TransactionRoot(p.transactions)) {
    return core::Fail("PROPOSAL_BAD_TX_ROOT");
  }
  std::unordered_set<ledger::TxId> seen;
  for (const auto& tx : p.transactions) {
    if (tx.payload().chain_id != config_.chain_id) return core::Fail("PROPOSAL_TX_WRONG_CHAIN");
    if (!seen.insert(tx.id()).second || tree_.OnBranch(parent.hash, tx.id()) ||
        ledger_.IsCommitted(tx.id())) {
      return core::Fail("PROPOSAL_TX_DUPLICATE");
    }
    // One in the mempool passed the rule when it entered (HandleClientBatch).
    if (config_.admissible && !mempool_ids_.contains(tx.id()) && !config_.admissible(tx)) {
      return core::Fail("PROPOSAL_TX_INADMISSIBLE");
    }
  }
  if (!trusted) {
    for (const auto& tx : p.transactions) {
      if (!mempool_ids_.contains(tx.id()) && !tx.VerifySignature()) {
        return core::Fail("PROPOSAL_TX_BAD_SIGNATURE");
      }
    }
  }
  ledger::MerkleLog log = ExtendLog(parent.log, p.transactions);
  if (h.log_size != log.size() || h.log_root != log.Root()) {
    return core::Fail("PROPOSAL_BAD_LOG_ROOT");
  }
  if (h.state_height < parent.header.state_height || h.state_height > parent.header.height) {
    return core::Fail("PROPOSAL_BAD_STATE_HEIGHT");
  }
  if (h.state_height <= ledger_.ExecutedHeight()) {
    std::optional<core::Hash32> root = ledger_.StateRoot(h.state_height);
    if (!root || *root != h.state_root) return core::Fail("PROPOSAL_BAD_STATE_ROOT");
    return Check::kValid;
  }
  if (h.state_height == parent.header.state_height && h.state_root == parent.header.state_root) {
    return Check::kValid;  // inherited from the parent, which was checked when it was accepted
  }
  return Check::kWaitForState;
}

void Replica::MaybeVote(const BlockNode& node, const std::optional<TimeoutCert>& tc) {
  if (node.view != pacemaker_.current_view()) return;
  if (node.header.timestamp.value > now_.value + config_.max_clock_ahead_ms) {
    return Reject("PROPOSAL_TIME_AHEAD");
  }
  if (!safety_.SafeToVote(node.view, node.justify.view, tc ? &*tc : nullptr)) return;
  safety_.RecordVote(node.view);
  PersistSafety();
  Vote v{node.view, node.header.height, node.hash, id_, {}};
  v.Sign(config_.chain_id, key_);
  SendTo(pacemaker_.Leader(core::View(node.view.value + 1)), v);
}

void Replica::HandleVote(const Vote& v, bool trusted) {
  if (v.author.value >= config_.validators.size()) return Reject("VOTE_BAD_AUTHOR");
  if (pacemaker_.Leader(core::View(v.view.value + 1)) != id_) return Reject("VOTE_NOT_LEADER");
  core::View current = pacemaker_.current_view();
  if (v.view.value + 1 < current.value) return;  // late: the view is over, nothing to learn
  if (v.view.value > current.value + config_.view_window) return Reject("VOTE_TOO_FAR");
  if (qc_formed_.contains(v.view)) return;
  auto& by_signer = votes_[v.view];
  if (auto it = by_signer.find(v.author); it != by_signer.end()) {
    if (it->second.block_hash == v.block_hash && it->second.height == v.height) {
      return;  // a duplicate from the network
    }
    return Reject("VOTE_EQUIVOCATION");
  }
  if (!trusted) {
    const crypto::PublicKey& key = config_.validators.validators()[v.author.value];
    if (!crypto::Verify(key,
                        QuorumCert::VoteMessage(config_.chain_id, v.view, v.height, v.block_hash),
                        v.signature)) {
      return Reject("VOTE_BAD_SIGNATURE");
    }
  }
  by_signer.emplace(v.author, v);
  QuorumCert qc{v.view, v.height, v.block_hash, {}};
  for (const auto& [signer, vote] : by_signer) {
    if (vote.block_hash == v.block_hash && vote.height == v.height) {
      qc.signatures.push_back(VoteSignature{signer, vote.signature});
    }
  }
  if (qc.signatures.size() < config_.validators.quorum()) return;
  qc_formed_.insert(v.view);
  verified_certs_.insert(DigestOf(qc));
  ProcessQc(qc);
}

void Replica::HandleViewSync(const ViewSync& m, bool trusted) {
  if (m.last_tc && m.last_tc->view < pacemaker_.current_view()) return;
  if (!m.high_qc.IsGenesis() && m.high_qc.view > safety_.high_qc().view) {
    if (!trusted && !VerifyQc(m.high_qc)) return Reject("VIEW_SYNC_BAD_QC");
    ProcessQc(m.high_qc);
  }
  if (m.last_tc && m.last_tc->view >= pacemaker_.current_view()) {
    if (!trusted && !VerifyTc(*m.last_tc)) return Reject("VIEW_SYNC_BAD_TC");
    ProcessTc(*m.last_tc);
  }
}

void Replica::SendViewSync(ReplicaId to) {
  if (to == id_) return;
  SendTo(to, ViewSync{safety_.high_qc(), last_tc_});
}

void Replica::HandleTimeout(const Timeout& t, bool trusted) {
  if (t.author.value >= config_.validators.size()) return Reject("TIMEOUT_BAD_AUTHOR");
  core::View current = pacemaker_.current_view();
  if (t.view < current) {  // late: the sender is behind; tell it how we moved on
    if (t.author != id_) SendViewSync(t.author);
    return;
  }
  if (t.view.value > current.value + config_.view_window) return Reject("TIMEOUT_TOO_FAR");
  if (t.high_qc.view >= t.view) return Reject("TIMEOUT_BAD_QC");
  if (t.last_tc && t.last_tc->view >= t.view) return Reject("TIMEOUT_BAD_TC");
  if (t.last_tc && t.last_tc->view >= current) {
    if (!trusted && !VerifyTc(*t.last_tc)) return Reject("TIMEOUT_BAD_TC");
    ProcessTc(*t.last_tc);
  }
  if (auto it = timeouts_.find(t.view); it != timeouts_.end() && it->second.contains(t.author)) {
    return;  // a retransmission or a duplicate from the network
  }
  if (!trusted) {
    const crypto::PublicKey& key = config_.validators.validators()[t.author.value];
    if (!crypto::Verify(key, TimeoutCert::TimeoutMessage(config_.chain_id, t.view, t.high_qc.view),
                        t.signature)) {
      return Reject("TIMEOUT_BAD_SIGNATURE");
    }
    if (!VerifyQc(t.high_qc)) return Reject("TIMEOUT_BAD_QC");
  }
  ProcessQc(t.high_qc);
  if (t.view < pacemaker_.current_view()) return;
  auto& by_signer = timeouts_[t.view];
  by_signer.emplace(t.author, TimeoutSignature{t.author, t.high_qc.view, t.signature});
  // f+1 timeouts for a view mean at least one correct replica gave up on it: join them
  // (Bracha-style amplification), so that a TC forms even if our own timer is late.
  if (by_signer.size() >= config_.validators.max_faulty() + 1 && timed_out_view_ < t.view) {
    if (pacemaker_.Advance(t.view, false, now_)) OnNewView();
    if (pacemaker_.current_view() == t.view) LocalTimeout();
  }
  if (by_signer.size() < config_.validators.quorum()) return;
  TimeoutCert tc{t.view, {}};
  for (const auto& [signer, sig] : by_signer) tc.signatures.push_back(sig);
  verified_certs_.insert(DigestOf(tc));
  ProcessTc(tc);
}

void Replica::FetchBlock(const QuorumCert& qc) {
  if (qc.IsGenesis() || qc.height <= tree_.root().header.height) return;
  if (tree_.Find(qc.block_hash) != nullptr) return;
  if (last_fetch_ == qc.block_hash && now_.value < last_fetch_time_.value + kRefetchMs) return;
  last_fetch_ = qc.block_hash;
  last_fetch_time_ = now_;
  // Ask two of the signers (one may be faulty); they voted, so they hold the block.
  uint32_t asked = 0;
  size_t start = fetch_cursor_++;
  for (size_t k = 0; k < qc.signatures.size() && asked < 2; ++k) {
    ReplicaId peer = qc.signatures[(start + k) % qc.signatures.size()].signer;
    if (peer == id_) continue;
    SendTo(peer, BlockRequest{qc.block_hash});
    ++asked;
  }
}

void Replica::ProcessQc(const QuorumCert& qc) {
  if (qc.IsGenesis()) return;
  FetchBlock(qc);
  tree_.AddQc(qc);
  max_seen_height_ = std::max(max_seen_height_, qc.height);
  safety_.ObserveQc(qc);
  CheckCommitRule(qc);
  if (pacemaker_.Advance(core::View(qc.view.value + 1), true, now_)) OnNewView();
}

void Replica::ProcessTc(const TimeoutCert& tc) {
  if (!last_tc_ || last_tc_->view < tc.view) last_tc_ = tc;
  if (pacemaker_.Advance(core::View(tc.view.value + 1), false, now_)) OnNewView();
}

void Replica::OnNewView() {
  core::View view = pacemaker_.current_view();
  Emit(SetTimer{view, pacemaker_.deadline()});
  votes_.erase(votes_.begin(), votes_.lower_bound(core::View(view.value - 1)));
  qc_formed_.erase(qc_formed_.begin(), qc_formed_.lower_bound(core::View(view.value - 1)));
  timeouts_.erase(timeouts_.begin(), timeouts_.lower_bound(view));
  TryPropose();
}

void Replica::CheckCommitRule(const QuorumCert& qc) {
  const BlockNode* b1 = tree_.Find(qc.block_hash);
  if (b1 == nullptr || b1->hash == tree_.root().hash) return;
  const BlockNode* b0 = tree_.Find(b1->header.prev_hash);
  if (b0 == nullptr || b1->view.value != b0->view.value + 1) return;
  DecideBlock(*b0);
}

void Replica::DecideBlock(const BlockNode& block) {
  if (block.header.height <= decided_height_) {
    auto it = decided_.find(block.header.height);
    if (it != decided_.end() && it->second != block.hash) Reject("SAFETY_CONFLICTING_COMMIT");
    return;
  }
  // The branch from the block down to the last decided height must contain the last decided
  // block; anything else would be a conflicting commit.
  std::vector<const BlockNode*> branch;
  const BlockNode* node = &block;
  while (node != nullptr && node->header.height > decided_height_) {
    branch.push_back(node);
    node = tree_.Find(node->header.prev_hash);
  }
  ledger::BlockHash decided_tip = decided_.empty() ? tree_.root().hash : decided_.rbegin()->second;
  if (decided_.empty() && decided_height_ > tree_.root().header.height) return;  // cannot check
  if (node == nullptr || node->hash != decided_tip) return Reject("SAFETY_CONFLICTING_COMMIT");
  for (auto it = branch.rbegin(); it != branch.rend(); ++it) {
    const BlockNode& b = **it;
    decided_[b.header.height] = b.hash;
    decided_height_ = b.header.height;
    Emit(Decide{b.header.height, b.view, b.hash});
    CommitVote cv{b.header.height, b.view, b.hash, id_, {}};
    cv.Sign(config_.chain_id, key_);
    BroadcastAll(cv);
  }
  if (decided_height_.value > emitted_height_.value + 2) ResendCommitVotes();
}

void Replica::ResendCommitVotes() {
  // Commit votes are sent once; if some were lost, no certificate forms at the lowest
  // undecided height and execution stalls while consensus moves on. Resend ours for the
  // first few heights still waiting for a certificate.
  for (uint64_t h = emitted_height_.value + 1;
       h <= std::min(decided_height_.value, emitted_height_.value + 4); ++h) {
    auto it = decided_.find(core::Height(h));
    if (it == decided_.end()) continue;
    const BlockNode* node = tree_.Find(it->second);
    if (node == nullptr) continue;
    CommitVote cv{node->header.height, node->view, node->hash, id_, {}};
    cv.Sign(config_.chain_id, key_);
    Emit(Broadcast{EncodeMessage(cv)});
  }
}

void Replica::HandleCommitVote(const CommitVote& c, bool trusted) {
  if (c.author.value >= config_.validators.size()) return Reject("COMMIT_VOTE_BAD_AUTHOR");
  if (c.height <= emitted_height_) return;  // already committed
  if (c.height.value > emitted_height_.value + config_.view_window) {
    return Reject("COMMIT_VOTE_TOO_FAR");
  }
  const crypto::PublicKey& key = config_.validators.validators()[c.author.value];
  auto& voters = commit_voters_[c.height];
  if (auto it = voters.find(key); it != voters.end()) {
    if (it->second == CommitKey{c.view, c.block_hash}) return;  // a retransmission
    return Reject("COMMIT_VOTE_EQUIVOCATION");
  }
  if (!trusted && !crypto::Verify(key,
                                  ledger::CommitCertificate::SigningMessage(
                                      config_.chain_id, c.height, c.view, c.block_hash),
                                  c.signature)) {
    return Reject("COMMIT_VOTE_BAD_SIGNATURE");
  }
  voters.emplace(key, CommitKey{c.view, c.block_hash});
  max_seen_height_ = std::max(max_seen_height_, c.height);
  auto& sigs = commit_votes_[c.height][CommitKey{c.view, c.block_hash}];
  sigs.emplace(key, c.signature);
  if (sigs.size() < config_.validators.quorum() || certificates_.contains(c.height)) return;
  ledger::CommitCertificate cert;
  cert.height = c.height;
  cert.view = c.view;
  cert.block_hash = c.block_hash;
  for (const auto& [signer, sig] : sigs) cert.signatures.push_back({signer, sig});
  certificates_.emplace(c.height, std::move(cert));
  TryCommit();
}

void Replica::TryCommit() {
  while (true) {
    core::Height next(emitted_height_.value + 1);
    auto cert = certificates_.find(next);
    if (cert == certificates_.end()) return;
    const BlockNode* node = tree_.Find(cert->second.block_hash);
    if (node == nullptr) {
      // Certified but never received: ask a signer other than ourselves.
      for (const auto& s : cert->second.signatures) {
        const auto& vals = config_.validators.validators();
        auto it = std::find(vals.begin(), vals.end(), s.validator);
        ReplicaId peer(static_cast<uint32_t>(it - vals.begin()));
        if (peer != id_) {
          SendTo(peer, BlockRequest{cert->second.block_hash});
          break;
        }
      }
      return;
    }
    if (auto d = decided_.find(next); d != decided_.end() && d->second != node->hash) {
      return Reject("SAFETY_CONFLICTING_COMMIT");
    }
    if (node->header.prev_hash != emitted_hash_) return Reject("SAFETY_CONFLICTING_COMMIT");
    Emit(Commit{ledger::StoredBlock{node->header, node->transactions, cert->second}});
    emitted_height_ = next;
    emitted_hash_ = node->hash;
    if (decided_height_ < next) {
      decided_[next] = node->hash;
      decided_height_ = next;
    }
  }
}

void Replica::HandleBlockRequest(ReplicaId from, const BlockRequest& r) {
  const BlockNode* node = tree_.Find(r.block_hash);
  if (node == nullptr || node->proposal.empty()) return;
  Emit(Send{from, node->proposal});
}

void Replica::HandleSyncRequest(ReplicaId from, const SyncRequest& r) {
  core::Height executed = ledger_.ExecutedHeight();
  if (r.from_height.value == 0 || r.from_height > executed) return;
  SyncResponse resp;
  for (uint64_t h = r.from_height.value; h <= executed.value && resp.blocks.size() < kSyncBatch;
       ++h) {
    std::optional<ledger::StoredBlock> block = ledger_.CommittedBlock(core::Height(h));
    if (!block) break;
    resp.blocks.push_back(std::move(*block));
  }
  if (!resp.blocks.empty()) SendTo(from, resp);
}

void Replica::HandleSyncResponse(ReplicaId from, const SyncResponse& r) {
  const core::Height before = emitted_height_;
  ApplySyncedBlocks(r);
  // Still behind after a useful answer: ask the same peer for the next batch at once.
  if (emitted_height_ > before && max_seen_height_.value > emitted_height_.value + 1) {
    sync_retry_at_ = core::TimestampMs(now_.value + kSyncRetryMs);
    RequestSync(from);
  }
}

void Replica::MaybeSync(ReplicaId peer) {
  if (now_ < sync_retry_at_) return;
  sync_retry_at_ = core::TimestampMs(now_.value + kSyncRetryMs);
  RequestSync(peer);
}

void Replica::ApplySyncedBlocks(const SyncResponse& r) {
  for (const ledger::StoredBlock& block : r.blocks) {
    if (block.header.height.value != emitted_height_.value + 1) continue;
    const ledger::BlockHash hash = block.header.Hash();
    if (block.certificate.height != block.header.height || block.certificate.block_hash != hash ||
        !block.certificate.Verify(config_.chain_id, config_.validators)) {
      return Reject("SYNC_BAD_CERTIFICATE");
    }
    if (block.header.prev_hash != emitted_hash_) return Reject("SYNC_NOT_EXTENDING");
    // The certificate covers the header; the header's tx root covers the transactions.
    if (block.header.tx_count != block.transactions.size() ||
        block.header.tx_root != ledger::TransactionRoot(block.transactions)) {
      return Reject("SYNC_BAD_TRANSACTIONS");
    }
    if (auto d = decided_.find(block.header.height); d != decided_.end() && d->second != hash) {
      return Reject("SAFETY_CONFLICTING_COMMIT");
    }
    Emit(Commit{block});
    emitted_height_ = block.header.height;
    emitted_hash_ = hash;
    max_seen_height_ = std::max(max_seen_height_, emitted_height_);
    if (decided_height_ < emitted_height_) {
      decided_[emitted_height_] = hash;
      decided_height_ = emitted_height_;
    }
  }
}

void Replica::HandleClientBatch(const ClientBatch& batch) {
  for (const auto& tx : batch.transactions) {
    if (tx.payload().chain_id != config_.chain_id) {
      Reject("TX_WRONG_CHAIN");
      continue;
    }
    if (mempool_ids_.contains(tx.id()) || ledger_.IsCommitted(tx.id())) continue;
    if (!batch.admitted && !tx.VerifySignature()) {
      Reject("TX_BAD_SIGNATURE");
      continue;
    }
    if (!batch.admitted && config_.admissible && !config_.admissible(tx)) {
      Reject("TX_INADMISSIBLE");
      continue;
    }
    if (mempool_.size() >= config_.max_mempool) {
      Reject("MEMPOOL_FULL");
      continue;
    }
    mempool_ids_.insert(tx.id());
    mempool_.push_back(tx);
  }
}

void Replica::LocalTimeout() {
  core::View view = pacemaker_.current_view();
  if (timed_out_view_ == view && !my_timeout_.empty()) {
    Emit(Broadcast{my_timeout_});  // retransmit: some copies may have been lost
  } else if (safety_.SafeToTimeout(view)) {
    safety_.RecordTimeout(view);
    PersistSafety();
    Timeout t{view, id_, safety_.high_qc(), std::nullopt, {}};
    if (last_tc_ && last_tc_->view.value + 1 == view.value) t.last_tc = last_tc_;
    t.Sign(config_.chain_id, key_);
    timed_out_view_ = view;
    my_timeout_ = EncodeMessage(t);
    BroadcastAll(t);
  }
  pacemaker_.Rearm(now_);
  Emit(SetTimer{view, pacemaker_.deadline()});
  if (decided_height_ > emitted_height_) ResendCommitVotes();
  // A replica that keeps timing out may simply be behind: ask a peer for committed blocks.
  if (max_seen_height_.value > emitted_height_.value + 2 || !waiting_state_.empty() ||
      decided_height_ > emitted_height_) {
    uint32_t n = static_cast<uint32_t>(config_.validators.size());
    RequestSync(ReplicaId((id_.value + 1 + (sync_cursor_++ % (n - 1))) % n));
  }
}

void Replica::RequestSync(ReplicaId peer) {
  if (peer == id_) return;
  SendTo(peer, SyncRequest{core::Height(emitted_height_.value + 1)});
}

void Replica::TryPropose() {
  proposal_due_.reset();
  core::View view = pacemaker_.current_view();
  if (pacemaker_.Leader(view) != id_ || proposed_view_ >= view ||
      view <= safety_.state().last_voted_view || proposed_this_step_) {
    return;
  }
  const QuorumCert& hqc = safety_.high_qc();
  std::optional<TimeoutCert> tc;
  if (last_tc_ && last_tc_->view.value + 1 == view.value) tc = last_tc_;
  if (hqc.view.value + 1 != view.value && !tc) return;  // nothing justifies a proposal yet
  const BlockNode* parent = tree_.Find(hqc.block_hash);
  if (parent == nullptr) {
    FetchBlock(hqc);  // TryPropose runs again when the block arrives
    return;
  }
  // A batch already found too small for a block, whose parent and due time have not changed:
  // new transactions can only make it grow, so it waits on unless they can fill a block.
  if (pacing_ && pacing_->view == view && pacing_->parent == parent->hash &&
      mempool_.size() < config_.max_block_transactions && StillHolding(pacing_->due)) {
    proposal_due_ = pacing_->due;
    return;
  }
  pacing_.reset();
  // Pointers first: a leader pacing its batch looks again until it proposes, and copies the
  // transactions only when it does.
  std::vector<const ledger::SignedTransaction*> batch;
  for (const auto& tx : mempool_) {
    if (batch.size() >= config_.max_block_transactions) break;
    if (tree_.OnBranch(parent->hash, tx.id())) continue;
    batch.push_back(&tx);
  }
  const uint64_t latest = ledger_.ExecutedHeight().value;
  const core::Height claimable(latest - std::min(latest, config_.state_claim_lag));
  std::optional<core::Hash32> claimable_root = ledger_.StateRoot(claimable);
  TL_CHECK(claimable_root.has_value());
  StateClaim state = ChooseStateClaim(*parent, claimable, *claimable_root);
  if (batch.empty() && !config_.propose_when_idle && !Eventful(*parent) &&
      parent->header.state_root == state.root &&
      (config_.heartbeat_ms == 0 ||
       now_.value < parent->header.timestamp.value + config_.heartbeat_ms)) {
    return;  // idle: nothing to order, decide or certify; a later input proposes
  }
  if (!batch.empty() && batch.size() < config_.max_block_transactions &&
      config_.min_block_interval_ms > 0) {
    const uint64_t interval = config_.min_block_interval_ms;
    const core::TimestampMs due(std::min(parent->header.timestamp.value + interval,
                                         pacemaker_.entered_at().value + interval));
    if (StillHolding(due)) {
      proposal_due_ = due;  // pacing: let the batch grow; a later input proposes
      pacing_ = Pacing{view, parent->hash, due};
      return;
    }
  }
  std::vector<ledger::SignedTransaction> txs;
  txs.reserve(batch.size());
  for (const ledger::SignedTransaction* tx : batch) txs.push_back(*tx);
  Proposal p;
  p.view = view;
  p.author = id_;
  p.header = BuildChildHeader(*parent, txs, now_, key_.public_key, state);
  // A header identical to one already proposed (same parent, time and batch) would make two
  // blocks share a hash; move the clock on by a millisecond until it is unique.
  while (tree_.Find(p.header.Hash()) != nullptr) ++p.header.timestamp.value;
  p.transactions = std::move(txs);
  p.justify = hqc;
  p.tc = tc;
  p.Sign(config_.chain_id, key_);
  proposed_view_ = view;
  proposed_this_step_ = true;
  core::Bytes bytes = EncodeMessage(p);
  // Process our own proposal first, so the vote (and its Persist) precede the broadcast: a
  // leader that crashes after proposing restarts past the view and never proposes twice.
  HandleProposal(id_, p, bytes, true);
  Emit(Broadcast{std::move(bytes)});
}

bool Replica::StillHolding(core::TimestampMs due) const {
  // A clock stepped back since the view began would hold the batch past the interval.
  return now_ < due && now_ >= pacemaker_.entered_at();
}

bool Replica::Eventful(const BlockNode& parent) const {
  // A block with transactions needs two certified descendants to be decided, and one whose
  // header claims a new state root needs the same to certify it; so an empty block is still
  // owed while the parent or the grandparent carried transactions or a new state claim.
  auto changed = [&](const ledger::BlockHeader& h) -> std::optional<bool> {
    if (h.height.value == 0) return false;
    if (h.tx_count > 0) return true;
    const BlockNode* up = tree_.Find(h.prev_hash);
    if (up != nullptr) return up->header.state_root != h.state_root;
    if (h.height.value == 1) return false;
    std::optional<ledger::StoredBlock> b = ledger_.CommittedBlock(core::Height(h.height.value - 1));
    if (!b) return std::nullopt;
    return b->header.state_root != h.state_root;
  };
  if (changed(parent.header).value_or(true)) return true;
  const BlockNode* grand = tree_.Find(parent.header.prev_hash);
  if (grand != nullptr) return changed(grand->header).value_or(true);
  if (parent.header.height.value <= 1) return false;
  std::optional<ledger::StoredBlock> g =
      ledger_.CommittedBlock(core::Height(parent.header.height.value - 1));
  return !g || changed(g->header).value_or(true);
}

void Replica::Buffer(std::vector<Buffered>& into, Buffered b) {
  if (into.size() >= config_.max_buffered_proposals) {
    into.erase(into.begin());
    Reject("BUFFER_OVERFLOW");
  }
  into.push_back(std::move(b));
}

void Replica::SendTo(ReplicaId to, const Message& message) {
  if (to == id_) {
    local_.push_back(Local{id_, message, {}, true});
    return;
  }
  Emit(Send{to, EncodeMessage(message)});
}

void Replica::BroadcastAll(const Message& message) {
  Emit(Broadcast{EncodeMessage(message)});
  local_.push_back(Local{id_, message, {}, true});
}

}  // namespace tradeledger::consensus
