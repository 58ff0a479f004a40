// The consensus driver (node/driver.h) on a network of one over the node's ChainStorage on a
// MemoryStore: the order of its writes and sends, a failed write stopping the step, and the
// validator set changes that start a new core or take the node out; and the same with its
// commits queued to a CommitPipeline (node/commit_pipeline.h), as a node runs it.
#include "node/driver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "node/chain_storage.h"
#include "node/commit_pipeline.h"
#include "node/genesis.h"
#include "node/ledger_store.h"
#include "node/memory_safety_store.h"
#include "storage/memory_store.h"
#include "trade/participants.h"

namespace tradeledger::node {
namespace {

using nlohmann::json;

constexpr uint64_t kGenesisMs = 1'733'011'200'000;

// What the driver did, in order; appended to from the driver's thread and a pipeline's.
struct CallLog {
  std::mutex mu;
  std::vector<std::string> entries;
  void Add(std::string entry) {
    std::lock_guard lock(mu);
    entries.push_back(std::move(entry));
  }
};

// ChainStorage that records every call, and fails the one named by `fail`. While `hold` is set,
// a commit waits (on the pipeline's thread) until Release.
class RecordingStorage final : public DriverStorage {
 public:
  RecordingStorage(ChainStorage& inner, CallLog& log) : inner_(inner), log_(log) {}
  std::string fail;

  void Hold() {
    std::lock_guard lock(gate_mu_);
    hold_ = true;
  }
  void Release() {
    {
      std::lock_guard lock(gate_mu_);
      hold_ = false;
    }
    gate_cv_.notify_all();
  }

  const consensus::LedgerView& view() const override { return inner_.view(); }
  core::Result<Chain::Validators> NextValidators() const override {
    return inner_.NextValidators();
  }
  core::Result<std::vector<TxIndexEntry>> Commit(const ledger::StoredBlock& block) override {
    {
      std::unique_lock lock(gate_mu_);
      gate_cv_.wait(lock, [&] { return !hold_; });
    }
    log_.Add("commit " + block.header.height.ToString());
    if (fail == "commit") return core::Fail("STORAGE_IO", "disk full");
    return inner_.Commit(block);
  }
  core::Result<core::Bytes> ReadSafetyState() override { return inner_.ReadSafetyState(); }
  core::Status WriteSafetyState(core::ByteSpan state) override {
    log_.Add("safety");
    if (fail == "safety") return core::Fail("SAFETY_FILE_IO", "disk full");
    return inner_.WriteSafetyState(state);
  }
  core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>> ReadLockedBlocks() override {
    return inner_.ReadLockedBlocks();
  }
  core::Status UpdateLockedBlocks(const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
                                  const std::vector<ledger::BlockHash>& remove) override {
    log_.Add("locked");
    return inner_.UpdateLockedBlocks(add, remove);
  }
  void PinView() override { inner_.PinView(); }

 private:
  ChainStorage& inner_;
  CallLog& log_;
  std::mutex gate_mu_;
  std::condition_variable gate_cv_;
  bool hold_ = false;  // guarded by gate_mu_
};

class RecordingEffects final : public DriverEffects {
 public:
  explicit RecordingEffects(CallLog& log) : log_(log) {}
  void Send(const crypto::PublicKey&, const core::Bytes&) override { log_.Add("send"); }
  void Broadcast(const core::Bytes&) override { log_.Add("broadcast"); }
  void Decided(const consensus::Decide& d) override { log_.Add("decided " + d.height.ToString()); }
  // On the pipeline's thread when there is one; `results` is read once it is drained.
  void Committed(const ledger::StoredBlock& block, const std::vector<TxIndexEntry>& entries,
                 std::chrono::steady_clock::duration) override {
    log_.Add("committed " + block.header.height.ToString());
    for (const TxIndexEntry& e : entries) results.push_back(e.result_code);
  }
  void EpochEntered(const Chain::Validators& v) override { epochs.push_back(v.epoch); }
  std::vector<uint64_t> epochs;
  std::vector<std::string> results;

 private:
  CallLog& log_;
};

class DriverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nlohmann::ordered_json extra;
    extra["customs_authority"] =
        trade::RenderCustomsAuthority({.admin_key = customs_.public_key, .roles = {"CBP_ADMIN"}});
    auto g = Genesis::Parse(Genesis::Render("driver", core::TimestampMs(kGenesisMs),
                                            {{"v1", self_.public_key}}, extra));
    ASSERT_TRUE(g) << g.error().ToString();
    genesis_ = *g;
    chain_ = std::move(*Chain::Open(ledger_, genesis_));
    chain_storage_ = std::make_unique<ChainStorage>(ledger_, *chain_, safety_);
    storage_ = std::make_unique<RecordingStorage>(*chain_storage_, calls_);
    DriverOptions o;
    o.chain_id = genesis_.chain_id;
    o.genesis_time = genesis_.genesis_time;
    options_ = o;
    auto driver = Driver::Create(*storage_, self_, options_, effects_);
    ASSERT_TRUE(driver) << driver.error().ToString();
    driver_ = std::move(*driver);
  }

  // From here on the driver queues its commits to a pipeline (whose queue may hold 8 blocks).
  void UsePipeline() {
    pipeline_ = std::make_unique<CommitPipeline>(*storage_, effects_, 8);
    options_.commit_queue = pipeline_.get();
    auto driver = Driver::Create(*storage_, self_, options_, effects_);
    ASSERT_TRUE(driver) << driver.error().ToString();
    driver_ = std::move(*driver);
  }
  // One step, and with a pipeline every commit it queued.
  void StepAndDrain(consensus::Input input) {
    driver_->Step(std::move(input));
    if (pipeline_ != nullptr) pipeline_->Drain();
  }

  core::TimestampMs Now() { return core::TimestampMs(kGenesisMs + 1000 * ++ticks_); }

  ledger::SignedTransaction Tx(const crypto::KeyPair& key, const std::string& type,
                               const json& body) {
    ledger::TxPayload p;
    p.chain_id = genesis_.chain_id;
    p.type = type;
    p.nonce = ++nonce_;
    p.body = core::ToBytes(body.dump());
    return ledger::SignedTransaction::Sign(p, key);
  }
  json Anchor(const std::string& id) {
    return {{"docId", id},
            {"docType", "INVOICE"},
            {"contentHash", std::string(64, 'a')},
            {"issuer", "Imp"}};
  }
  json ValidatorSet(const std::vector<crypto::PublicKey>& keys) {
    json list = json::array();
    for (size_t i = 0; i < keys.size(); ++i) {
      list.push_back({{"name", "v" + std::to_string(i + 1)},
                      {"publicKey", keys[i].hex()},
                      {"address", "127.0.0.1:" + std::to_string(7100 + i)}});
    }
    return {{"validators", list}};
  }
  // Steps the network of one until `height` is committed or the driver stops (at most 40
  // steps, as the node's ticks would).
  void RunTo(uint64_t height) {
    for (int i = 0; i < 40 && driver_->state() == Driver::State::kRunning &&
                    chain_->tip().height.value < height;
         ++i) {
      StepAndDrain({Now(), consensus::ClientBatch{}});
    }
  }

  crypto::KeyPair self_ = crypto::KeyPair::Generate();
  crypto::KeyPair customs_ = crypto::KeyPair::Generate();
  uint64_t nonce_ = 0;
  uint64_t ticks_ = 0;
  storage::MemoryStore store_;
  LedgerStore ledger_{store_};
  MemorySafetyStore safety_;
  Genesis genesis_;
  std::unique_ptr<Chain> chain_;
  std::unique_ptr<ChainStorage> chain_storage_;
  CallLog calls_;
  std::vector<std::string>& log_ = calls_.entries;  // read once nothing is executing
  std::unique_ptr<RecordingStorage> storage_;
  RecordingEffects effects_{calls_};
  DriverOptions options_;
  std::unique_ptr<CommitPipeline> pipeline_;  // drained when destroyed, after the driver
  std::unique_ptr<Driver> driver_;
};

TEST_F(DriverTest, PersistsTheLockBeforeTheSafetyStateAndBothBeforeTheCommit) {
  ASSERT_EQ(effects_.epochs, std::vector<uint64_t>{0});
  driver_->Step({Now(), consensus::Start{}});
  driver_->Step(
      {Now(), consensus::ClientBatch{{Tx(customs_, "document.anchor", Anchor("D-1"))}, false}});
  RunTo(1);
  ASSERT_EQ(driver_->state(), Driver::State::kRunning);
  ASSERT_GE(chain_->tip().height.value, 1u);
  // Every safety-state write follows a locked-blocks update; the first commit follows at
  // least one of each, and is told to the effects after its decision.
  auto first = [&](const std::string& what) {
    return std::find(log_.begin(), log_.end(), what) - log_.begin();
  };
  for (size_t i = 0; i < log_.size(); ++i) {
    if (log_[i] == "safety") {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(log_[i - 1], "locked") << "at " << i;
    }
  }
  EXPECT_LT(first("safety"), first("commit 1"));
  EXPECT_LT(first("decided 1"), first("commit 1"));
  EXPECT_EQ(first("committed 1"), first("commit 1") + 1);
  EXPECT_EQ(effects_.results, std::vector<std::string>{"OK"});
  // Each locked-blocks update, safety-state write and block commit counts one write.
  uint64_t writes = 0;
  for (const std::string& entry : log_) {
    writes += entry == "locked" || entry == "safety" || entry.starts_with("commit ") ? 1 : 0;
  }
  EXPECT_EQ(driver_->writes(), writes);
}

TEST_F(DriverTest, AFailedSafetyWriteStopsTheStepBeforeAnythingElse) {
  storage_->fail = "safety";
  driver_->Step({Now(), consensus::Start{}});
  driver_->Step(
      {Now(), consensus::ClientBatch{{Tx(customs_, "document.anchor", Anchor("D-1"))}, false}});
  RunTo(1);
  ASSERT_EQ(driver_->state(), Driver::State::kFailed);
  ASSERT_TRUE(driver_->failure().has_value());
  EXPECT_EQ(driver_->failure()->first, "writing the consensus safety state");
  EXPECT_EQ(driver_->failure()->second.code, "SAFETY_FILE_IO");
  // The failed write was the last thing the driver did, and it stays stopped.
  ASSERT_FALSE(log_.empty());
  EXPECT_EQ(log_.back(), "safety");
  size_t before = log_.size();
  driver_->Step({Now(), consensus::ClientBatch{}});
  EXPECT_EQ(log_.size(), before);
  EXPECT_EQ(chain_->tip().height.value, 0u);
}

// Without a queue the failed commit stops the step at once; queued, it stops the driver at its
// next Step. Either way the driver then does nothing, and no later block is executed.
class DriverModeTest : public DriverTest, public ::testing::WithParamInterface<bool> {
 protected:
  // The driver for the mode: with a pipeline (true) or without (false).
  void SetUpMode() {
    if (GetParam()) {
      UsePipeline();
      return;
    }
    auto driver = Driver::Create(*storage_, self_, options_, effects_);
    ASSERT_TRUE(driver) << driver.error().ToString();
    driver_ = std::move(*driver);
  }
};

TEST_P(DriverModeTest, AFailedCommitStopsTheDriverWithTheBlockNamed) {
  SetUpMode();
  storage_->fail = "commit";
  StepAndDrain({Now(), consensus::Start{}});
  StepAndDrain(
      {Now(), consensus::ClientBatch{{Tx(customs_, "document.anchor", Anchor("D-1"))}, false}});
  RunTo(1);
  ASSERT_EQ(driver_->state(), Driver::State::kFailed);
  EXPECT_EQ(driver_->failure()->first, "commit of block 1");
  EXPECT_EQ(driver_->failure()->second.code, "STORAGE_IO");
  EXPECT_EQ(std::count(log_.begin(), log_.end(), "committed 1"), 0);
  EXPECT_EQ(std::count(log_.begin(), log_.end(), "commit 2"), 0);
  const size_t before = log_.size();
  StepAndDrain({Now(), consensus::ClientBatch{}});
  EXPECT_EQ(log_.size(), before);
  EXPECT_EQ(chain_->tip().height.value, 0u);
}

// The point of the pipeline: while a decided block waits to be executed, the core goes on
// ordering (here it decides the next block too), where without one the Step that decides a
// block executes it before anything else. Once released, every block commits exactly once: the
// core does not offer again the commits it has queued (LedgerView::CommitTakenHeight).
TEST_F(DriverTest, WithAPipelineTheCoreOrdersOnWhileABlockExecutes) {
  UsePipeline();
  storage_->Hold();
  driver_->Step({Now(), consensus::Start{}});
  driver_->Step(
      {Now(), consensus::ClientBatch{{Tx(customs_, "document.anchor", Anchor("D-1"))}, false}});
  for (int i = 0; i < 20 && driver_->core().decided_height().value < 2; ++i) {
    driver_->Step({Now(), consensus::ClientBatch{}});
  }
  EXPECT_GE(driver_->core().decided_height().value, 2u);
  EXPECT_EQ(chain_->tip().height.value, 0u);  // nothing executed yet
  EXPECT_EQ(driver_->state(), Driver::State::kRunning);
  storage_->Release();
  RunTo(4);
  ASSERT_EQ(driver_->state(), Driver::State::kRunning);
  ASSERT_GE(chain_->tip().height.value, 4u);
  EXPECT_EQ(effects_.results, std::vector<std::string>{"OK"});
  for (uint64_t h = 1; h <= chain_->tip().height.value; ++h) {
    EXPECT_EQ(std::count(log_.begin(), log_.end(), "commit " + std::to_string(h)), 1) << h;
    EXPECT_EQ(std::count(log_.begin(), log_.end(), "committed " + std::to_string(h)), 1) << h;
  }
  // Blocks ordered while block 1 waited claim the state before it; a later one claims its own.
  auto block2 = ledger_.ReadBlock(core::Height(2));
  ASSERT_TRUE(block2.has_value());
  EXPECT_EQ(block2->header.state_height.value, 0u);
  auto tip = ledger_.ReadBlock(chain_->tip().height);
  ASSERT_TRUE(tip.has_value());
  EXPECT_GE(tip->header.state_height.value, 1u);
}

// ADR 0037: pacing never takes more than a quarter of the view timeout.
TEST_F(DriverTest, PacesAtMostAQuarterOfTheViewTimeout) {
  options_.pacemaker.base_timeout_ms = 1000;
  options_.min_block_interval_ms = 20;
  auto paced = Driver::Create(*storage_, self_, options_, effects_);
  ASSERT_TRUE(paced);
  EXPECT_EQ((*paced)->core().config().min_block_interval_ms, 20u);
  options_.min_block_interval_ms = 999;
  auto clamped = Driver::Create(*storage_, self_, options_, effects_);
  ASSERT_TRUE(clamped);
  EXPECT_EQ((*clamped)->core().config().min_block_interval_ms, 250u);
}

TEST_F(DriverTest, AKeyOutsideTheSetInForceIsNotAValidator) {
  auto other = Driver::Create(*storage_, crypto::KeyPair::Generate(), options_, effects_);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "NODE_NOT_VALIDATOR");
}

// One transaction a block, so the anchor submitted with the change waits in the old core's
// mempool while the change commits: the new core must get it, and commit it. With a pipeline,
// the driver waits for the change block to execute before it goes on, as without one.
TEST_P(DriverModeTest, ASetChangeStartsANewCoreThatKeepsThePendingTransactions) {
  options_.max_block_transactions = 1;
  SetUpMode();
  effects_.epochs.clear();
  StepAndDrain({Now(), consensus::Start{}});
  StepAndDrain({Now(), consensus::ClientBatch{
                           {Tx(customs_, "validator.set", ValidatorSet({self_.public_key})),
                            Tx(customs_, "document.anchor", Anchor("D-2"))},
                           false}});
  for (int i = 0;
       i < 40 && driver_->state() == Driver::State::kRunning && effects_.results.size() < 2; ++i) {
    StepAndDrain({Now(), consensus::ClientBatch{}});
  }
  ASSERT_EQ(driver_->state(), Driver::State::kRunning);
  EXPECT_EQ(effects_.epochs, std::vector<uint64_t>{1});
  EXPECT_EQ(driver_->epoch(), 1u);
  EXPECT_GE(driver_->core().current_view().value, uint64_t{1} << 32);
  // The change executed alone in block 1; the anchor, carried over, in a block of epoch 1.
  ASSERT_EQ(effects_.results, (std::vector<std::string>{"OK", "OK"}));
  // Once the core has seen the commit, nothing is left to propose again.
  StepAndDrain({Now(), consensus::ClientBatch{}});
  EXPECT_EQ(driver_->core().mempool_size(), 0u);
  auto block1 = ledger_.ReadBlock(core::Height(1));
  ASSERT_TRUE(block1.has_value());
  ASSERT_EQ(block1->transactions.size(), 1u);
  EXPECT_EQ(block1->transactions[0].payload().type, "validator.set");
  std::optional<ledger::StoredBlock> anchored;
  for (uint64_t h = 2; h <= chain_->tip().height.value; ++h) {
    auto block = ledger_.ReadBlock(core::Height(h));
    ASSERT_TRUE(block.has_value());
    if (!block->transactions.empty()) anchored = *block;
  }
  ASSERT_TRUE(anchored.has_value());
  ASSERT_EQ(anchored->transactions.size(), 1u);
  EXPECT_EQ(anchored->transactions[0].payload().type, "document.anchor");
  EXPECT_GE(anchored->certificate.view.value, uint64_t{1} << 32);
}

INSTANTIATE_TEST_SUITE_P(CommitsInline, DriverModeTest, ::testing::Values(false));
INSTANTIATE_TEST_SUITE_P(CommitsQueued, DriverModeTest, ::testing::Values(true));

TEST_F(DriverTest, ASetWithoutThisNodeTakesItOut) {
  crypto::KeyPair next = crypto::KeyPair::Generate();
  driver_->Step({Now(), consensus::Start{}});
  driver_->Step(
      {Now(), consensus::ClientBatch{
                  {Tx(customs_, "validator.set", ValidatorSet({next.public_key}))}, false}});
  RunTo(1);
  EXPECT_EQ(driver_->state(), Driver::State::kRemoved);
  EXPECT_EQ(effects_.results, std::vector<std::string>{"OK"});
  EXPECT_EQ(effects_.epochs, std::vector<uint64_t>{0});
  EXPECT_FALSE(driver_->timer().has_value());
  // A driver is created again only by the new set's members.
  auto again = Driver::Create(*storage_, self_, options_, effects_);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "NODE_NOT_VALIDATOR");
}

}  // namespace
}  // namespace tradeledger::node
