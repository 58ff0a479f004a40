#include "node/driver.h"

#include <algorithm>

#include "trade/validator_set.h"

namespace tradeledger::node {

namespace {

// Whether executing `block` may change the validator set: only a validator.set transaction
// does (trade/validator_set.h).
bool MayChangeValidatorSet(const ledger::StoredBlock& block) {
  return std::any_of(block.transactions.begin(), block.transactions.end(),
                     [](const ledger::SignedTransaction& tx) {
                       return tx.payload().type == trade::kValidatorSetTxType;
                     });
}

}  // namespace

core::Height Driver::CoreView::CommitTakenHeight() const {
  if (queue_ == nullptr) return base_.CommitTakenHeight();
  return std::max(base_.ExecutedHeight(), queue_->queued_height());
}

core::Result<std::unique_ptr<Driver>> Driver::Create(DriverStorage& storage, crypto::KeyPair key,
                                                     DriverOptions options,
                                                     DriverEffects& effects) {
  TL_ASSIGN_OR_RETURN(Chain::Validators validators, storage.NextValidators());
  if (!validators.set.Contains(key.public_key)) {
    return core::Fail("NODE_NOT_VALIDATOR",
                      "the node key is not in the validator set in force (epoch " +
                          std::to_string(validators.epoch) + ")");
  }
  std::unique_ptr<Driver> driver(new Driver(storage, std::move(key), std::move(options), effects));
  TL_RETURN_IF_ERROR(driver->EnterEpoch(std::move(validators)));
  return driver;
}

Driver::Driver(DriverStorage& storage, crypto::KeyPair key, DriverOptions options,
               DriverEffects& effects)
    : storage_(storage),
      core_view_(storage.view(), options.commit_queue),
      key_(std::move(key)),
      options_(std::move(options)),
      effects_(effects) {}

core::Status Driver::EnterEpoch(Chain::Validators validators) {
  TL_ASSIGN_OR_RETURN(core::Bytes persisted, storage_.ReadSafetyState());
  TL_ASSIGN_OR_RETURN(auto stored_locked, storage_.ReadLockedBlocks());
  std::vector<core::Bytes> locked;
  locked_stored_.clear();
  for (auto& [hash, proposal] : stored_locked) {
    locked_stored_.push_back(hash);
    locked.push_back(std::move(proposal));
  }
  std::sort(locked_stored_.begin(), locked_stored_.end());
  consensus::ReplicaConfig config;
  config.chain_id = options_.chain_id;
  config.validators = validators.set;
  config.first_view = core::View(validators.epoch == 0 ? 1 : validators.epoch << 32);
  config.genesis_time = options_.genesis_time;
  config.pacemaker = options_.pacemaker;
  config.max_block_transactions = options_.max_block_transactions;
  config.max_mempool = options_.max_mempool;
  config.propose_when_idle = options_.propose_when_idle;
  config.heartbeat_ms = validators.set.size() > 1 ? options_.heartbeat_ms : 0;
  config.min_block_interval_ms = std::min(options_.min_block_interval_ms,
                                          MaxBlockIntervalMs(options_.pacemaker.base_timeout_ms));
  config.admissible = options_.admissible;
  config.state_claim_lag = options_.commit_queue != nullptr ? 1 : 0;
  if (options_.commit_queue != nullptr) storage_.PinView();
  TL_ASSIGN_OR_RETURN(
      core_, consensus::Replica::Create(std::move(config), key_, core_view_, persisted, locked));
  epoch_ = validators.epoch;
  timer_.reset();
  effects_.EpochEntered(validators);
  return core::Ok();
}

Driver::State Driver::Step(consensus::Input input) {
  if (state_ != State::kRunning) return state_;
  if (!CheckQueue()) return state_;
  if (options_.commit_queue != nullptr) storage_.PinView();
  const core::TimestampMs now = input.now;
  std::vector<consensus::Action> actions = core_->Step(input);
  for (consensus::Action& action : actions) {
    if (!Apply(action)) return state_;
    if (epoch_changed_) {
      // The block just executed changed the validator set: what the old epoch's core still
      // asked for (later commits, votes) is void. A new core takes over from this block.
      epoch_changed_ = false;
      Reconfigure(now);
      return state_;
    }
  }
  return state_;
}

bool Driver::StepPeer(core::TimestampMs now, const crypto::PublicKey& from, core::Bytes message) {
  const auto& keys = core_->config().validators.validators();
  auto it = std::find(keys.begin(), keys.end(), from);
  if (it == keys.end() || from == key_.public_key) return false;
  consensus::ReplicaId id(static_cast<uint32_t>(it - keys.begin()));
  Step({now, consensus::PeerMessage{id, std::move(message)}});
  return true;
}

bool Driver::Apply(consensus::Action& action) {
  if (auto* p = std::get_if<consensus::Persist>(&action)) return Persist(*p);
  if (auto* s = std::get_if<consensus::Send>(&action)) {
    effects_.Send(core_->config().validators.validators()[s->to.value], s->bytes);
  } else if (auto* b = std::get_if<consensus::Broadcast>(&action)) {
    effects_.Broadcast(b->bytes);
  } else if (auto* t = std::get_if<consensus::SetTimer>(&action)) {
    timer_ = *t;
  } else if (auto* d = std::get_if<consensus::Decide>(&action)) {
    effects_.Decided(*d);
  } else if (auto* c = std::get_if<consensus::Commit>(&action)) {
    return CommitBlock(c->block);
  }
  return true;
}

bool Driver::Persist(const consensus::Persist& p) {
  // The blocks of the lock first (unsynced: process-crash durable), then the safety state.
  std::vector<ledger::BlockHash> keep(p.locked.begin(), p.locked.end());
  std::sort(keep.begin(), keep.end());
  std::vector<ledger::BlockHash> remove;
  std::set_difference(locked_stored_.begin(), locked_stored_.end(), keep.begin(), keep.end(),
                      std::back_inserter(remove));
  ++writes_;
  if (auto stored = storage_.UpdateLockedBlocks(p.new_locked, remove); !stored) {
    Fail("storing the locked blocks", stored.error());
    return false;
  }
  locked_stored_ = std::move(keep);
  ++writes_;
  if (auto written = storage_.WriteSafetyState(p.safety_state); !written) {
    Fail("writing the consensus safety state", written.error());
    return false;
  }
  return true;
}

bool Driver::CommitBlock(const ledger::StoredBlock& block) {
  ++writes_;
  if (CommitQueue* queue = options_.commit_queue; queue != nullptr) {
    const bool may_change_set = MayChangeValidatorSet(block);
    queue->Enqueue(block);
    if (!may_change_set) return CheckQueue();
    queue->Drain();
    if (!CheckQueue()) return false;
  } else {
    auto started = std::chrono::steady_clock::now();
    auto entries = storage_.Commit(block);
    if (!entries) {
      Fail("commit of block " + block.header.height.ToString(), entries.error());
      return false;
    }
    effects_.Committed(block, *entries, std::chrono::steady_clock::now() - started);
  }
  auto next = storage_.NextValidators();
  if (!next) {
    Fail("reading the validator set", next.error());
    return false;
  }
  epoch_changed_ = next->epoch != epoch_;
  return true;
}

bool Driver::Reconfigure(core::TimestampMs now) {
  auto next = storage_.NextValidators();
  if (!next) {
    Fail("reading the validator set", next.error());
    return false;
  }
  if (!next->set.Contains(key_.public_key)) {
    state_ = State::kRemoved;
    timer_.reset();
    return false;
  }
  uint64_t epoch = next->epoch;
  // The transactions the old core held for proposing (checked when they entered it) go to the
  // new one; those the change block's successors carried were never executed.
  std::vector<ledger::SignedTransaction> pending(core_->pending_transactions().begin(),
                                                 core_->pending_transactions().end());
  if (auto entered = EnterEpoch(std::move(*next)); !entered) {
    Fail("entering validator epoch " + std::to_string(epoch), entered.error());
    return false;
  }
  if (Step({now, consensus::Start{}}) != State::kRunning) return false;
  if (!pending.empty()) Step({now, consensus::ClientBatch{std::move(pending), true}});
  return state_ == State::kRunning;
}

bool Driver::CheckQueue() {
  if (options_.commit_queue == nullptr) return true;
  std::optional<CommitQueue::Failure> failed = options_.commit_queue->failure();
  if (!failed) return true;
  Fail(std::move(failed->what), std::move(failed->error));
  return false;
}

void Driver::Fail(std::string what, core::Error error) {
  failure_.emplace(std::move(what), std::move(error));
  state_ = State::kFailed;
}

}  // namespace tradeledger::node
