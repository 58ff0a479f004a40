// The consensus core of one validator: a pure state machine, `Step(input) -> actions`.
//
// Protocol: 2-chain HotStuff with timeout certificates (Jolteon / DiemBFT v4), described with
// its safety and liveness argument in doc/adr/0010-consensus.md. Votes for view v go to the
// leader of v+1, which forms the QC and proposes; a block B is decided when a QC certifies a
// child of B from view(B)+1. A replica that decides B signs a CommitVote whose bytes are a
// ledger::CommitCertificate signature; 2f+1 of them are the certificate stored with B, and
// only then does the core emit Commit for B (so every stored certificate proves finality).
//
// The core does no I/O. Inputs are peer messages (bytes), timer firings, client batches and
// Start, each stamped with the replica's local clock. Outputs are actions the driver must
// carry out in order:
//   Persist   write the safety state durably BEFORE carrying out any later action of the same
//             Step (it always precedes the vote or timeout it protects);
//   Send / Broadcast   deliver bytes to one peer / to every other validator;
//   SetTimer  arm the single pacemaker timer (replacing any earlier one);
//   Decide    informational: this replica's commit rule fired for a block;
//   Commit    execute and store the block with its certificate (node::Chain::Commit), in
//             height order: before the next Step, or queued for another thread, after the
//             blocks queued before it (LedgerView::CommitTakenHeight). The core reads the
//             result back through LedgerView once it is executed, and until then orders
//             further blocks on the last executed state (ADR 0007, ADR 0032).
//
// Header building: the core builds and checks headers itself (prev hash, height, tx root and
// the transaction log from the MerkleLog frontier it keeps per block), and reads executed
// state roots, committed transaction ids and committed blocks through LedgerView, a narrow
// read-only view of the node's executed chain.
//
// Peer input is never trusted: every rejected message increments rejections()[REASON] and
// changes nothing else. Nothing a peer sends can make Step throw or abort.
//
// Thread safety: one thread owns a Replica. The LedgerView is borrowed and must outlive it.
#pragma once

#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <variant>
#include <vector>

#include "consensus/block_tree.h"
#include "consensus/messages.h"
#include "consensus/pacemaker.h"
#include "consensus/safety_rules.h"
#include "crypto/ed25519.h"
#include "ledger/block.h"
#include "ledger/commit_certificate.h"
#include "ledger/merkle_log.h"

namespace tradeledger::consensus {

// Read-only view of the node's executed chain (blocks the driver has committed). Every call
// reflects all Commit actions the driver has carried out.
class LedgerView {
 public:
  virtual ~LedgerView() = default;
  // Height of the latest executed block (0 = genesis only).
  virtual core::Height ExecutedHeight() const = 0;
  // State root after executing blocks 1..height; nullopt above ExecutedHeight().
  virtual std::optional<core::Hash32> StateRoot(core::Height height) const = 0;
  virtual bool IsCommitted(const ledger::TxId& id) const = 0;
  // The stored block at 1 <= height <= ExecutedHeight(); nullopt otherwise.
  virtual std::optional<ledger::StoredBlock> CommittedBlock(core::Height height) const = 0;
  // The transaction log after ExecutedHeight().
  virtual ledger::MerkleLog CommittedLog() const = 0;
  // The height up to which the driver has taken the core's Commit actions: ExecutedHeight()
  // for a driver that executes each before the next Step, and beyond it, by the blocks still
  // queued, for one that executes them on another thread (node/commit_pipeline.h). Below it,
  // the core offers its Commit actions again from the executed height.
  virtual core::Height CommitTakenHeight() const { return ExecutedHeight(); }
};

struct ReplicaConfig {
  ledger::ChainId chain_id;
  ledger::ValidatorSet validators;
  // The first view of this validator set's epoch (ADR 0018): 1 for the genesis set, epoch << 32
  // after a validator set change. Messages from earlier views are rejected (MESSAGE_STALE_EPOCH),
  // and the executed block the epoch starts from is certified to this epoch by an unsigned
  // "epoch root" QC at first_view - 1, as the genesis QC certifies the genesis root.
  core::View first_view{1};
  core::TimestampMs genesis_time;
  PacemakerConfig pacemaker;
  // Most transactions a proposal may carry. Default 500.
  uint32_t max_block_transactions = 500;
  // A replica does not vote for a block stamped more than this ahead of its clock. Default 5 s.
  uint64_t max_clock_ahead_ms = 5000;
  // Most client transactions waiting to be proposed. Default 20000.
  size_t max_mempool = 20000;
  // Most proposals buffered while their parent is fetched or their state root is executed.
  size_t max_buffered_proposals = 256;
  // How many executed blocks a proposal's state claim stays behind the proposer's latest
  // executed one (never below its parent's claim). 0: the latest. A driver that executes beside
  // ordering (ADR 0032) uses 1: the replicas execute the same blocks at about the same time, so
  // the proposer's latest is often one they are still executing, and each would hold its vote
  // until it has; the one before it they have.
  uint64_t state_claim_lag = 0;
  // Votes and timeouts for views further ahead than this are rejected. Default 1000.
  uint64_t view_window = 1000;
  // True: a leader always proposes, empty blocks included (the simulator). False: a leader
  // with no transactions proposes an empty block only while one is owed (to decide a block
  // with transactions, or to certify a new state root) or, with a heartbeat, once its parent
  // is heartbeat_ms old; otherwise it lets the view time out. The driver then feeds an empty
  // ClientBatch now and then as a tick so that an idle leader looks again.
  bool propose_when_idle = true;
  // 0: no heartbeat blocks. Must stay well below pacemaker.base_timeout_ms.
  uint64_t heartbeat_ms = 0;
  // Pacing (ADR 0037). A leader holding transactions, but fewer than a full block, proposes
  // them only once its parent is this old by the parent's timestamp, or once it has been this
  // long in the view by its own clock, whichever comes first (a parent stamped ahead of the
  // clock delays nobody beyond it; a clock stepped back since the view began holds nothing);
  // until then it lets the batch grow (proposal_due()). Any block with transactions is held,
  // including one owed to decide or certify its parent; a block without any (owed, heartbeat)
  // is not. 0: no pacing, every batch is proposed at once (the core's default). Must stay well
  // below pacemaker.base_timeout_ms (the node uses at most a quarter of it).
  uint64_t min_block_interval_ms = 0;
  // The content rule every transaction of a proposal must pass (node: trade::CheckAdmission);
  // a proposal with one that fails is refused (PROPOSAL_TX_INADMISSIBLE) and never voted for,
  // so a faulty leader cannot put such a body on the ledger. Null: every transaction passes.
  std::function<core::Status(const ledger::SignedTransaction&)> admissible;
};

struct PeerMessage {
  ReplicaId from;  // authenticated by the transport
  core::Bytes bytes;
};
struct TimerFired {
  core::View view;
};
// Transactions for the mempool; empty, a tick. With `admitted` the driver vouches that it
// checked every signature and ReplicaConfig::admissible (as a node does on admission), and
// the core skips both checks; otherwise it makes them. Either way a transaction in the mempool
// has passed them, and a proposal that carries it is not checked for it again.
struct ClientBatch {
  std::vector<ledger::SignedTransaction> transactions;
  bool admitted = false;
};
// The first input after Create: enters the first view and arms the timer.
struct Start {};

struct Input {
  core::TimestampMs now;  // the replica's local clock
  std::variant<Start, PeerMessage, TimerFired, ClientBatch> event;
};

struct Persist {
  core::Bytes safety_state;  // SafetyState::Encode()
  // The uncommitted blocks from the executed root up to the high QC's block: what a restarted
  // replica needs to extend its lock when every other replica restarted too. `locked` names
  // all of them; `new_locked` carries the signed proposals (as received) of those no earlier
  // Persist of this core carried. The driver keeps the proposals named by the latest Persist
  // and hands them back to Create (losing them costs liveness of a fully restarted network,
  // never safety).
  std::vector<ledger::BlockHash> locked;
  std::vector<std::pair<ledger::BlockHash, core::Bytes>> new_locked;
};
struct Send {
  ReplicaId to;
  core::Bytes bytes;
};
struct Broadcast {
  core::Bytes bytes;
};
struct SetTimer {
  core::View view;
  core::TimestampMs deadline;  // local clock
};
struct Decide {
  core::Height height;
  core::View view;
  ledger::BlockHash hash;
};
struct Commit {
  ledger::StoredBlock block;
};
using Action = std::variant<Persist, Send, Broadcast, SetTimer, Decide, Commit>;

class Replica {
 public:
  // `key` must be in config.validators (REPLICA_NOT_VALIDATOR). `persisted` is the last
  // Persist payload, or empty on first start (SAFETY_STATE_CORRUPT if it does not decode).
  // `locked_blocks` are the last Persist's locked_blocks; those that still extend the executed
  // chain are restored into the block tree (they were checked when first received).
  static core::Result<std::unique_ptr<Replica>> Create(
      ReplicaConfig config, crypto::KeyPair key, const LedgerView& ledger, core::ByteSpan persisted,
      const std::vector<core::Bytes>& locked_blocks = {});

  std::vector<Action> Step(const Input& input);

  // Rejected peer and client input by reason code; also SAFETY_CONFLICTING_COMMIT, which
  // would mean more than f Byzantine validators (or a bug) and never increments otherwise.
  const std::map<std::string, uint64_t>& rejections() const { return rejections_; }
  ReplicaId id() const { return id_; }
  core::View current_view() const { return pacemaker_.current_view(); }
  // The highest block height this replica has seen certified or proposed by anyone (its own
  // commits included): how far the network is, as far as this replica knows.
  core::Height max_seen_height() const { return max_seen_height_; }
  const SafetyState& safety_state() const { return safety_.state(); }
  const BlockTree& tree() const { return tree_; }
  const std::optional<TimeoutCert>& last_tc() const { return last_tc_; }
  core::Height decided_height() const { return decided_height_; }
  // Client transactions held for proposing.
  size_t mempool_size() const { return mempool_.size(); }
  // Those transactions, oldest first, each checked on entry (a driver that replaces the core at
  // a validator set change hands them to the next one, so that none is lost).
  const std::deque<ledger::SignedTransaction>& pending_transactions() const { return mempool_; }
  // The last view this replica proposed in (0 if none since it started).
  core::View last_proposed_view() const { return proposed_view_; }
  // When this replica, leading the current view, will propose the transactions it holds back
  // under ReplicaConfig::min_block_interval_ms; nullopt when it holds none back. The driver
  // must Step a ClientBatch (an empty one, a tick, will do) at or after it; a peer message
  // re-checks only when it changes the view or brings a proposal.
  std::optional<core::TimestampMs> proposal_due() const { return proposal_due_; }
  ReplicaId Leader(core::View view) const { return pacemaker_.Leader(view); }
  const ReplicaConfig& config() const { return config_; }

 private:
  struct Buffered {
    ReplicaId from;
    Proposal proposal;
    core::Bytes bytes;
  };
  struct Local {
    ReplicaId from;
    Message message;
    core::Bytes bytes;
    bool trusted;
  };

  Replica(ReplicaConfig config, crypto::KeyPair key, ReplicaId id, const LedgerView& ledger,
          SafetyState state);
  static BlockNode RootFromLedger(const ReplicaConfig& config, const LedgerView& ledger);

  void Reject(const std::string& code) { ++rejections_[code]; }
  void SyncWithLedger();
  // Drops the transactions with these ids from the mempool.
  void RemoveFromMempool(const std::unordered_set<ledger::TxId>& ids);
  void Dispatch(ReplicaId from, Message message, core::Bytes bytes, bool trusted);
  void HandleProposal(ReplicaId from, Proposal p, core::Bytes bytes, bool trusted);
  void HandleVote(const Vote& v, bool trusted);
  void HandleTimeout(const Timeout& t, bool trusted);
  void HandleCommitVote(const CommitVote& c, bool trusted);
  void HandleBlockRequest(ReplicaId from, const BlockRequest& r);
  void HandleSyncRequest(ReplicaId from, const SyncRequest& r);
  void HandleSyncResponse(ReplicaId from, const SyncResponse& r);
  void ApplySyncedBlocks(const SyncResponse& r);
  // Requests committed blocks from `peer` unless a request went out within the retry interval.
  void MaybeSync(ReplicaId peer);
  // True while the branch ending at `parent` still owes an empty block (see
  // ReplicaConfig::propose_when_idle).
  bool Eventful(const BlockNode& parent) const;
  // Whether a batch due at `due` is still held now (ADR 0037): before `due`, and the clock not
  // stepped back since the view began.
  bool StillHolding(core::TimestampMs due) const;
  void HandleClientBatch(const ClientBatch& batch);
  void HandleViewSync(const ViewSync& m, bool trusted);
  void SendViewSync(ReplicaId to);

  // Outcome of checking a proposal against its parent.
  enum class Check { kValid, kWaitForState };
  core::Result<Check> ValidateBlock(const Proposal& p, const BlockNode& parent, bool trusted);
  bool VerifyQc(const QuorumCert& qc);
  bool VerifyTc(const TimeoutCert& tc);
  void ProcessQc(const QuorumCert& qc);
  void ProcessTc(const TimeoutCert& tc);
  void OnNewView();
  void CheckCommitRule(const QuorumCert& qc);
  void DecideBlock(const BlockNode& block);
  void TryCommit();
  void ResendCommitVotes();
  void MaybeVote(const BlockNode& node, const std::optional<TimeoutCert>& tc);
  void LocalTimeout();
  void TryPropose();
  void RequestSync(ReplicaId peer);
  // Asks signers of `qc` for its block unless it is known, committed or recently requested.
  void FetchBlock(const QuorumCert& qc);
  void Buffer(std::vector<Buffered>& into, Buffered b);

  void Emit(Action action) { actions_.push_back(std::move(action)); }
  void SendTo(ReplicaId to, const Message& message);
  void BroadcastAll(const Message& message);
  void PersistSafety();
  // Restores a block the replica accepted before a restart (Create).
  void RestoreBlock(core::ByteSpan proposal_bytes);
  BlockNode MakeNode(const Proposal& p, const BlockNode& parent, core::Bytes bytes) const;

  const ReplicaConfig config_;
  const crypto::KeyPair key_;
  const ReplicaId id_;
  const LedgerView& ledger_;
  SafetyRules safety_;
  Pacemaker pacemaker_;
  BlockTree tree_;

  core::TimestampMs now_;
  std::vector<Action> actions_;
  std::deque<Local> local_;  // messages to self, handled within the same Step

  // Vote collection (as leader of view+1): view -> signer -> vote.
  std::map<core::View, std::map<ReplicaId, Vote>> votes_;
  std::set<core::View> qc_formed_;
  // Timeout collection: view -> signer -> timeout signature.
  std::map<core::View, std::map<ReplicaId, TimeoutSignature>> timeouts_;
  std::optional<TimeoutCert> last_tc_;
  core::View timed_out_view_;
  core::Bytes my_timeout_;
  core::View proposed_view_;
  // At most one proposal per Step, so that a validator set of one (which certifies its own
  // blocks at once) cannot loop within a Step; it proposes again on its next input.
  bool proposed_this_step_ = false;
  std::optional<core::TimestampMs> proposal_due_;
  // The batch a leader is pacing (ADR 0037): its view, its parent and when it is due. Until
  // then TryPropose keeps waiting without scanning the mempool again, unless the mempool could
  // fill a block or has lost transactions (which resets this).
  struct Pacing {
    core::View view;
    ledger::BlockHash parent;
    core::TimestampMs due;
  };
  std::optional<Pacing> pacing_;

  // Decided blocks above the executed root, by height.
  std::map<core::Height, ledger::BlockHash> decided_;
  core::Height decided_height_;
  // Commit votes: height -> (view, hash) -> signer key -> signature.
  struct CommitKey {
    core::View view;
    ledger::BlockHash hash;
    auto operator<=>(const CommitKey&) const = default;
  };
  std::map<core::Height, std::map<CommitKey, std::map<crypto::PublicKey, crypto::Signature>>>
      commit_votes_;
  std::map<core::Height, std::map<crypto::PublicKey, CommitKey>> commit_voters_;
  std::map<core::Height, ledger::CommitCertificate> certificates_;
  core::Height emitted_height_;  // highest height a Commit action was emitted for
  ledger::BlockHash emitted_hash_;

  // Proposals waiting for their parent (by parent hash) or for the executed state they claim.
  std::map<ledger::BlockHash, std::vector<Buffered>> orphans_;
  size_t orphan_count_ = 0;
  std::vector<Buffered> waiting_state_;

  std::deque<ledger::SignedTransaction> mempool_;
  std::unordered_set<ledger::TxId> mempool_ids_;

  std::set<core::Hash32> verified_certs_;         // digests of verified QCs and TCs
  std::optional<QuorumCert> epoch_root_qc_;       // for first_view > 1
  std::set<ledger::BlockHash> persisted_locked_;  // locked blocks a Persist (or Create) carried
  core::Height max_seen_height_;
  uint32_t sync_cursor_ = 0;
  core::TimestampMs sync_retry_at_;
  ledger::BlockHash last_fetch_;
  core::TimestampMs last_fetch_time_;
  size_t fetch_cursor_ = 0;
  std::map<std::string, uint64_t> rejections_;
};

}  // namespace tradeledger::consensus
