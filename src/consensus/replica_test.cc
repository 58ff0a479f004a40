// Unit tests of the pure core through its only seam: Step(input) -> actions.
#include "consensus/replica.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/sha256.h"
#include "ledger/merkle.h"

namespace tradeledger::consensus {
namespace {

// A ledger that has executed nothing.
class GenesisLedger : public LedgerView {
 public:
  core::Height ExecutedHeight() const override { return core::Height(0); }
  std::optional<core::Hash32> StateRoot(core::Height h) const override {
    if (h.value != 0) return std::nullopt;
    return core::Hash32{};
  }
  bool IsCommitted(const ledger::TxId&) const override { return false; }
  std::optional<ledger::StoredBlock> CommittedBlock(core::Height) const override {
    return std::nullopt;
  }
  ledger::MerkleLog CommittedLog() const override { return {}; }
};

class ReplicaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<crypto::PublicKey> pks;
    for (uint8_t i = 1; i <= 4; ++i) {
      crypto::Seed seed;
      seed.data.fill(i);
      keys_.push_back(crypto::KeyPair::FromSeed(seed));
      pks.push_back(keys_.back().public_key);
    }
    config_.validators = *ledger::ValidatorSet::Create(pks);
    config_.chain_id.hash = crypto::Sha256Of(core::AsBytes("chain"));
    config_.genesis_time = core::TimestampMs(1000);
  }

  // The replica with index `id` in the sorted validator set.
  std::unique_ptr<Replica> Make(uint32_t id) {
    const crypto::PublicKey& pk = config_.validators.validators()[id];
    for (const auto& k : keys_) {
      if (k.public_key == pk) return *Replica::Create(config_, k, ledger_, {});
    }
    return nullptr;
  }

  static Input At(uint64_t now, decltype(Input::event) event) {
    return Input{core::TimestampMs(now), std::move(event)};
  }

  // The key of the replica with index `id` in the sorted validator set.
  const crypto::KeyPair& KeyOf(uint32_t id) const {
    const crypto::PublicKey& pk = config_.validators.validators()[id];
    return *std::find_if(keys_.begin(), keys_.end(),
                         [&](const crypto::KeyPair& k) { return k.public_key == pk; });
  }

  std::vector<crypto::KeyPair> keys_;
  ReplicaConfig config_;
  GenesisLedger ledger_;
};

TEST_F(ReplicaTest, LeaderPersistsItsVoteBeforeSendingAnything) {
  auto leader = Make(1);  // leader of view 1 = 1 mod 4
  std::vector<Action> actions = leader->Step(At(2000, Start{}));
  ASSERT_GE(actions.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<SetTimer>(actions[0]));
  size_t persist = 0, vote = 0, proposal = 0;
  for (size_t i = 0; i < actions.size(); ++i) {
    if (std::holds_alternative<Persist>(actions[i])) persist = i;
    if (std::holds_alternative<Send>(actions[i])) vote = i;
    if (std::holds_alternative<Broadcast>(actions[i])) proposal = i;
  }
  EXPECT_LT(persist, vote);
  EXPECT_LT(vote, proposal);
  auto decoded = DecodeMessage(std::get<Broadcast>(actions[proposal]).bytes);
  ASSERT_TRUE(decoded);
  const Proposal& p = std::get<Proposal>(*decoded);
  EXPECT_EQ(p.view, core::View(1));
  EXPECT_EQ(p.header.height, core::Height(1));
  EXPECT_TRUE(p.justify.IsGenesis());
}

TEST_F(ReplicaTest, FollowerVotesForTheLeadersProposalOnce) {
  auto leader = Make(1);
  auto follower = Make(3);
  follower->Step(At(2000, Start{}));
  core::Bytes proposal;
  for (auto& a : leader->Step(At(2000, Start{}))) {
    if (auto* b = std::get_if<Broadcast>(&a)) proposal = b->bytes;
  }
  auto actions = follower->Step(At(2010, PeerMessage{ReplicaId(1), proposal}));
  int votes = 0;
  for (auto& a : actions) {
    if (auto* s = std::get_if<Send>(&a)) {
      EXPECT_EQ(s->to, ReplicaId(2));  // the leader of view 2 collects
      ++votes;
    }
  }
  EXPECT_EQ(votes, 1);
  actions = follower->Step(At(2020, PeerMessage{ReplicaId(1), proposal}));
  EXPECT_TRUE(actions.empty());
  EXPECT_TRUE(follower->rejections().empty());
}

TEST_F(ReplicaTest, PeerGarbageIsCountedNeverThrown) {
  auto r = Make(0);
  r->Step(At(2000, Start{}));
  EXPECT_TRUE(r->Step(At(2001, PeerMessage{ReplicaId(1), {1, 2, 3}})).empty());
  EXPECT_EQ(r->rejections().at("MESSAGE_MALFORMED"), 1u);
  r->Step(At(2002, PeerMessage{ReplicaId(9), {}}));
  EXPECT_EQ(r->rejections().at("MESSAGE_BAD_SENDER"), 1u);

  auto leader = Make(1);
  core::Bytes proposal;
  for (auto& a : leader->Step(At(2000, Start{}))) {
    if (auto* b = std::get_if<Broadcast>(&a)) proposal = b->bytes;
  }
  core::Bytes forged = proposal;
  forged.back() ^= 1;  // the signature is last
  r->Step(At(2003, PeerMessage{ReplicaId(1), forged}));
  EXPECT_EQ(r->rejections().at("PROPOSAL_BAD_SIGNATURE"), 1u);

  Vote v{core::View(3), core::Height(1), {}, ReplicaId(3), {}};  // replica 0 leads view 4
  v.Sign(config_.chain_id, keys_[0]);  // signed by the wrong key for replica 3
  r->Step(At(2004, PeerMessage{ReplicaId(3), EncodeMessage(v)}));
  EXPECT_EQ(r->rejections().at("VOTE_BAD_SIGNATURE"), 1u);
}

TEST_F(ReplicaTest, TimerTimesOutAndRestartKeepsTheVote) {
  auto r = Make(2);
  r->Step(At(2000, Start{}));
  std::vector<Action> actions = r->Step(At(3000, TimerFired{core::View(1)}));
  core::Bytes persisted;
  bool broadcast = false;
  for (auto& a : actions) {
    if (auto* p = std::get_if<Persist>(&a)) persisted = p->safety_state;
    if (std::holds_alternative<Broadcast>(a)) {
      EXPECT_FALSE(persisted.empty()) << "timeout sent before its state was persisted";
      broadcast = true;
    }
  }
  EXPECT_TRUE(broadcast);
  const crypto::PublicKey& pk = config_.validators.validators()[2];
  for (const auto& k : keys_) {
    if (k.public_key != pk) continue;
    auto restarted = *Replica::Create(config_, k, ledger_, persisted);
    EXPECT_EQ(restarted->safety_state().last_voted_view, core::View(1));
  }
  auto rotten = Replica::Create(config_, keys_[0], ledger_, core::Bytes{9});
  ASSERT_FALSE(rotten);
  EXPECT_EQ(rotten.error().code, "SAFETY_STATE_CORRUPT");
}

// The proposal a step broadcast, if any.
std::optional<Proposal> ProposalIn(const std::vector<Action>& actions) {
  for (const Action& a : actions) {
    if (const auto* b = std::get_if<Broadcast>(&a)) {
      auto m = DecodeMessage(b->bytes);
      if (m && std::holds_alternative<Proposal>(*m)) return std::get<Proposal>(*m);
    }
  }
  return std::nullopt;
}

TEST_F(ReplicaTest, AnIdleLeaderProposesOnlyOnItsHeartbeatOrForTransactions) {
  config_.propose_when_idle = false;
  config_.heartbeat_ms = 500;
  auto leader = Make(1);  // genesis (time 1000) is old by 499 ms: nothing to propose yet
  EXPECT_FALSE(ProposalIn(leader->Step(At(1499, Start{}))));
  EXPECT_FALSE(ProposalIn(leader->Step(At(1499, ClientBatch{}))));
  auto heartbeat = ProposalIn(leader->Step(At(1500, ClientBatch{})));
  ASSERT_TRUE(heartbeat);
  EXPECT_EQ(heartbeat->header.tx_count, 0u);

  config_.heartbeat_ms = 0;  // no heartbeat: only transactions make it propose
  auto quiet = Make(1);
  EXPECT_FALSE(ProposalIn(quiet->Step(At(100'000, Start{}))));
  EXPECT_FALSE(ProposalIn(quiet->Step(At(200'000, ClientBatch{}))));
  ledger::TxPayload payload;
  payload.chain_id = config_.chain_id;
  payload.type = "document.anchor";
  payload.nonce = 1;
  payload.body = core::ToBytes("{}");
  auto tx = ledger::SignedTransaction::Sign(payload, crypto::KeyPair::Generate());
  auto with_tx = ProposalIn(quiet->Step(At(200'001, ClientBatch{{tx}, false})));
  ASSERT_TRUE(with_tx);
  EXPECT_EQ(with_tx->header.tx_count, 1u);
}

// Pacing (ADR 0037): a batch smaller than a block waits until the parent is
// min_block_interval_ms old, or the leader has been that long in the view, whichever is first.
TEST_F(ReplicaTest, ALeaderPacesABatchSmallerThanABlock) {
  config_.propose_when_idle = false;
  config_.min_block_interval_ms = 30;
  config_.max_block_transactions = 3;
  auto make_tx = [&](uint64_t nonce) {
    ledger::TxPayload payload;
    payload.chain_id = config_.chain_id;
    payload.type = "document.anchor";
    payload.nonce = nonce;
    payload.body = core::ToBytes("{}");
    return ledger::SignedTransaction::Sign(payload, crypto::KeyPair::Generate());
  };

  // The parent is genesis, stamped 1000: the batch is due at 1030.
  auto leader = Make(1);
  EXPECT_FALSE(ProposalIn(leader->Step(At(1010, Start{}))));
  EXPECT_FALSE(leader->proposal_due());
  EXPECT_FALSE(ProposalIn(leader->Step(At(1015, ClientBatch{{make_tx(1)}, false}))));
  EXPECT_EQ(leader->proposal_due(), core::TimestampMs(1030));
  EXPECT_FALSE(ProposalIn(leader->Step(At(1029, ClientBatch{{make_tx(2)}, false}))));
  auto paced = ProposalIn(leader->Step(At(1030, ClientBatch{})));
  ASSERT_TRUE(paced);
  EXPECT_EQ(paced->header.tx_count, 2u);
  EXPECT_FALSE(leader->proposal_due());

  // A full block goes at once.
  auto full = Make(1);
  full->Step(At(1010, Start{}));
  auto at_once =
      ProposalIn(full->Step(At(1011, ClientBatch{{make_tx(1), make_tx(2), make_tx(3)}, false})));
  ASSERT_TRUE(at_once);
  EXPECT_EQ(at_once->header.tx_count, 3u);

  // So does a paced batch as soon as it grows to a full block, before it is due.
  auto grows = Make(1);
  grows->Step(At(1010, Start{}));
  EXPECT_FALSE(ProposalIn(grows->Step(At(1011, ClientBatch{{make_tx(1)}, false}))));
  EXPECT_FALSE(ProposalIn(grows->Step(At(1012, ClientBatch{{make_tx(2)}, false}))));
  EXPECT_EQ(grows->proposal_due(), core::TimestampMs(1030));
  auto filled = ProposalIn(grows->Step(At(1013, ClientBatch{{make_tx(3)}, false})));
  ASSERT_TRUE(filled);
  EXPECT_EQ(filled->header.tx_count, 3u);

  // A parent stamped ahead of the leader's clock holds the batch no longer than the interval
  // from when the leader entered the view (900 here).
  auto behind = Make(1);
  behind->Step(At(900, Start{}));
  EXPECT_FALSE(ProposalIn(behind->Step(At(905, ClientBatch{{make_tx(1)}, false}))));
  EXPECT_EQ(behind->proposal_due(), core::TimestampMs(930));
  EXPECT_TRUE(ProposalIn(behind->Step(At(930, ClientBatch{}))));

  // A clock stepped back since the view began holds nothing: the batch goes at once.
  auto stepped_back = Make(1);
  stepped_back->Step(At(1010, Start{}));
  auto at_step_back = ProposalIn(stepped_back->Step(At(1005, ClientBatch{{make_tx(1)}, false})));
  EXPECT_TRUE(at_step_back);
  EXPECT_FALSE(stepped_back->proposal_due());

  // Without pacing the same batch goes at once.
  config_.min_block_interval_ms = 0;
  auto unpaced = Make(1);
  unpaced->Step(At(1010, Start{}));
  EXPECT_TRUE(ProposalIn(unpaced->Step(At(1011, ClientBatch{{make_tx(1)}, false}))));
}

TEST_F(ReplicaTest, AProposalWithAnInadmissibleTransactionGetsNoVote) {
  // A faulty leader (no admission check) proposes a transaction the others' check refuses.
  config_.propose_when_idle = false;  // so that its first proposal carries the transaction
  auto leader = Make(1);
  config_.admissible = [](const ledger::SignedTransaction& tx) -> core::Status {
    if (core::AsStringView(tx.payload().body).find("forbidden") != std::string_view::npos) {
      return core::Fail("IOR_CLEARTEXT");
    }
    return core::Ok();
  };
  auto follower = Make(3);
  follower->Step(At(2000, Start{}));
  ledger::TxPayload payload;
  payload.chain_id = config_.chain_id;
  payload.type = "document.anchor";
  payload.nonce = 1;
  payload.body = core::ToBytes(R"({"note": "forbidden"})");
  auto tx = ledger::SignedTransaction::Sign(payload, crypto::KeyPair::Generate());
  EXPECT_FALSE(ProposalIn(leader->Step(At(2000, Start{}))));
  auto proposal = ProposalIn(leader->Step(At(2001, ClientBatch{{tx}, false})));
  ASSERT_TRUE(proposal);
  ASSERT_EQ(proposal->header.tx_count, 1u);

  auto actions = follower->Step(At(2010, PeerMessage{ReplicaId(1), EncodeMessage(*proposal)}));
  for (const auto& a : actions) EXPECT_FALSE(std::holds_alternative<Send>(a));
  EXPECT_EQ(follower->rejections().at("PROPOSAL_TX_INADMISSIBLE"), 1u);
}

// The content rule runs once per transaction and replica: when it enters the mempool (or the
// driver vouches that it ran), and in a proposal only for one the replica has not admitted.
TEST_F(ReplicaTest, AProposalIsCheckedOnlyForTransactionsTheReplicaHasNotAdmitted) {
  config_.propose_when_idle = false;
  auto leader = Make(1);
  auto checked = std::make_shared<std::vector<std::string>>();
  config_.admissible = [checked](const ledger::SignedTransaction& tx) -> core::Status {
    checked->push_back(std::string(core::AsStringView(tx.payload().body)));
    if (core::AsStringView(tx.payload().body).find("forbidden") != std::string_view::npos) {
      return core::Fail("IOR_CLEARTEXT");
    }
    return core::Ok();
  };
  auto follower = Make(3);
  follower->Step(At(2000, Start{}));
  auto make_tx = [&](uint64_t nonce, std::string_view body) {
    ledger::TxPayload payload;
    payload.chain_id = config_.chain_id;
    payload.type = "document.anchor";
    payload.nonce = nonce;
    payload.body = core::ToBytes(body);
    return ledger::SignedTransaction::Sign(payload, crypto::KeyPair::Generate());
  };
  auto vouched = make_tx(1, R"({"note": "vouched"})");
  auto unvouched = make_tx(2, R"({"note": "unvouched"})");
  auto unseen = make_tx(3, R"({"note": "unseen"})");
  auto refused = make_tx(4, R"({"note": "forbidden"})");
  follower->Step(At(2000, ClientBatch{{vouched}, true}));
  EXPECT_TRUE(checked->empty());  // the driver vouched for it
  follower->Step(At(2000, ClientBatch{{unvouched, refused}, false}));
  EXPECT_EQ(*checked,
            (std::vector<std::string>{R"({"note": "unvouched"})", R"({"note": "forbidden"})"}));
  EXPECT_EQ(follower->rejections().at("TX_INADMISSIBLE"), 1u);
  EXPECT_EQ(follower->mempool_size(), 2u);

  checked->clear();
  EXPECT_FALSE(ProposalIn(leader->Step(At(2000, Start{}))));
  auto proposal = ProposalIn(leader->Step(At(2001, ClientBatch{{vouched, unvouched, unseen}})));
  ASSERT_TRUE(proposal);
  ASSERT_EQ(proposal->header.tx_count, 3u);
  auto actions = follower->Step(At(2010, PeerMessage{ReplicaId(1), EncodeMessage(*proposal)}));
  EXPECT_EQ(*checked, (std::vector<std::string>{R"({"note": "unseen"})"}));
  EXPECT_FALSE(follower->rejections().contains("PROPOSAL_TX_INADMISSIBLE"));
  bool voted = false;
  for (const auto& a : actions) voted = voted || std::holds_alternative<Send>(a);
  EXPECT_TRUE(voted);
}

TEST_F(ReplicaTest, ANewEpochStartsAtItsFirstViewFromTheEpochRootQc) {
  config_.first_view = core::View(uint64_t{3} << 32);
  uint32_t leader_id = static_cast<uint32_t>(config_.first_view.value % 4);
  auto leader = Make(leader_id);
  auto p = ProposalIn(leader->Step(At(2000, Start{})));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->view, config_.first_view);
  EXPECT_EQ(p->justify.view.value, config_.first_view.value - 1);
  EXPECT_TRUE(p->justify.signatures.empty());
  EXPECT_EQ(p->header.height, core::Height(1));

  // A follower of the same epoch votes for it (the root QC is valid in this epoch only).
  auto follower = Make((leader_id + 2) % 4);
  follower->Step(At(2000, Start{}));
  auto actions = follower->Step(At(2001, PeerMessage{ReplicaId(leader_id), EncodeMessage(*p)}));
  bool voted = false;
  for (const Action& a : actions) voted = voted || std::holds_alternative<Send>(a);
  EXPECT_TRUE(voted);
  EXPECT_EQ(follower->rejections().count("PROPOSAL_BAD_QC"), 0u);
}

// A replica that has not executed a validator set change the others have (it was down) gets
// their next epoch's messages: it cannot check them, so it refuses them and asks the sender
// for the committed blocks it lacks, which its own set certified up to the change.
TEST_F(ReplicaTest, AMessageOfALaterEpochIsRefusedAndStartsASync) {
  config_.first_view = core::View(uint64_t{1} << 32);
  auto next_leader = Make(static_cast<uint32_t>(config_.first_view.value % 4));
  auto next = ProposalIn(next_leader->Step(At(2000, Start{})));
  ASSERT_TRUE(next);  // the first view of epoch 1, on its root QC
  config_.first_view = core::View(1);
  auto behind = Make((next->author.value + 1) % 4);
  behind->Step(At(2000, Start{}));
  auto actions = behind->Step(At(2001, PeerMessage{next->author, EncodeMessage(*next)}));
  EXPECT_EQ(behind->rejections().at("MESSAGE_FUTURE_EPOCH"), 1u);
  EXPECT_EQ(behind->rejections().count("PROPOSAL_BAD_QC"), 0u);
  bool asked = false;
  for (const Action& a : actions) {
    if (const auto* s = std::get_if<Send>(&a); s && s->to == next->author) {
      auto m = DecodeMessage(s->bytes);
      asked = asked || (m && std::holds_alternative<SyncRequest>(*m));
    }
  }
  EXPECT_TRUE(asked);
}

TEST_F(ReplicaTest, MessagesOfAnEarlierEpochAreRejected) {
  auto old_leader = Make(1);
  auto old = ProposalIn(old_leader->Step(At(2000, Start{})));
  ASSERT_TRUE(old);  // view 1, justified by the genesis QC
  config_.first_view = core::View(uint64_t{1} << 32);
  auto replica = Make(2);
  replica->Step(At(2000, Start{}));
  replica->Step(At(2001, PeerMessage{ReplicaId(1), EncodeMessage(*old)}));
  EXPECT_EQ(replica->rejections().at("MESSAGE_STALE_EPOCH"), 1u);
  // The genesis QC does not justify a proposal in a later epoch either.
  Proposal forged = *old;
  forged.view = core::View(config_.first_view.value + 1);
  for (const auto& k : keys_) {
    if (k.public_key == config_.validators.validators()[1]) forged.Sign(config_.chain_id, k);
  }
  replica->Step(At(2002, PeerMessage{ReplicaId(1), EncodeMessage(forged)}));
  EXPECT_EQ(replica->rejections().at("PROPOSAL_BAD_QC"), 1u);
  EXPECT_EQ(replica->current_view(), config_.first_view);
  EXPECT_EQ(replica->tree().Find(forged.header.Hash()), nullptr);
}

TEST_F(ReplicaTest, AProposalSignedByAValidatorThatDoesNotLeadTheViewGetsNoVote) {
  auto p = ProposalIn(Make(1)->Step(At(2000, Start{})));  // view 1, led by replica 1
  ASSERT_TRUE(p);
  p->author = ReplicaId(2);
  p->Sign(config_.chain_id, KeyOf(2));  // a genuine signature by a validator, not the leader
  auto follower = Make(3);
  follower->Step(At(2000, Start{}));
  auto actions = follower->Step(At(2010, PeerMessage{ReplicaId(2), EncodeMessage(*p)}));
  for (const Action& a : actions) EXPECT_FALSE(std::holds_alternative<Send>(a));
  EXPECT_EQ(follower->rejections().at("PROPOSAL_NOT_LEADER"), 1u);
  EXPECT_EQ(follower->tree().Find(p->header.Hash()), nullptr);
}

TEST_F(ReplicaTest, ASecondVoteOfOneValidatorForAnotherBlockInTheViewIsEquivocation) {
  auto leader = Make(0);  // collects the votes of view 3: it leads view 4
  leader->Step(At(2000, Start{}));
  for (uint8_t block : {1, 2}) {
    Vote v{core::View(3), core::Height(1), {}, ReplicaId(3), {}};
    v.block_hash.hash.data[0] = block;
    v.Sign(config_.chain_id, KeyOf(3));
    leader->Step(At(2001, PeerMessage{ReplicaId(3), EncodeMessage(v)}));
  }
  EXPECT_EQ(leader->rejections().at("VOTE_EQUIVOCATION"), 1u);
  EXPECT_EQ(leader->rejections().count("VOTE_BAD_SIGNATURE"), 0u);
}

// Block sync: a block a peer sends commits only with a quorum certificate of this validator
// set over its header, and only with the transactions its header names.
TEST_F(ReplicaTest, ASyncedBlockNeedsAQuorumCertificateAndTheTransactionsItsHeaderNames) {
  auto p = ProposalIn(Make(1)->Step(At(2000, Start{})));
  ASSERT_TRUE(p);
  auto follower = Make(3);
  follower->Step(At(2000, Start{}));
  auto commits = [&](const ledger::StoredBlock& block) {
    bool committed = false;
    for (const Action& a : follower->Step(
             At(2010, PeerMessage{ReplicaId(1), EncodeMessage(SyncResponse{{block}})}))) {
      committed = committed || std::holds_alternative<Commit>(a);
    }
    return committed;
  };
  ledger::TxPayload payload{config_.chain_id, "document.anchor", 1, core::ToBytes("{}")};
  ledger::StoredBlock block{p->header, {ledger::SignedTransaction::Sign(payload, KeyOf(0))}, {}};
  block.header.tx_count = 1;
  block.header.log_size = 1;
  block.header.tx_root = ledger::TransactionRoot(block.transactions);
  block.certificate = {block.header.height, p->view, block.header.Hash(), {}};
  block.certificate.AddSignature(config_.chain_id, KeyOf(0));
  block.certificate.AddSignature(config_.chain_id, KeyOf(2));  // two of four: below the quorum
  EXPECT_FALSE(commits(block));
  EXPECT_EQ(follower->rejections().at("SYNC_BAD_CERTIFICATE"), 1u);

  block.certificate.AddSignature(config_.chain_id, KeyOf(3));
  ledger::StoredBlock swapped = block;  // the certified header, another transaction
  payload.nonce = 2;
  swapped.transactions = {ledger::SignedTransaction::Sign(payload, KeyOf(0))};
  EXPECT_FALSE(commits(swapped));
  EXPECT_EQ(follower->rejections().at("SYNC_BAD_TRANSACTIONS"), 1u);

  EXPECT_TRUE(commits(block));  // the block as certified
}

}  // namespace
}  // namespace tradeledger::consensus
