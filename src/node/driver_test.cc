// The consensus driver (node/driver.h) on a network of one over the node's ChainStorage on a
// MemoryStore: the order of its writes and sends, a failed write stopping the step, and the
// validator set changes that start a new core or take the node out.
#include "node/driver.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "node/chain_storage.h"
#include "node/genesis.h"
#include "node/ledger_store.h"
#include "node/memory_safety_store.h"
#include "storage/memory_store.h"
#include "trade/participants.h"

namespace tradeledger::node {
namespace {

using nlohmann::json;

constexpr uint64_t kGenesisMs = 1'733'011'200'000;

// ChainStorage that records every call, and fails the one named by `fail`.
class RecordingStorage final : public DriverStorage {
 public:
  RecordingStorage(ChainStorage& inner, std::vector<std::string>& log) : inner_(inner), log_(log) {}
  std::string fail;

  const consensus::LedgerView& view() const override { return inner_.view(); }
  core::Result<Chain::Validators> NextValidators() const override {
    return inner_.NextValidators();
  }
  core::Result<std::vector<TxIndexEntry>> Commit(const ledger::StoredBlock& block) override {
    log_.push_back("commit " + block.header.height.ToString());
    if (fail == "commit") return core::Fail("STORAGE_IO", "disk full");
    return inner_.Commit(block);
  }
  core::Result<core::Bytes> ReadSafetyState() override { return inner_.ReadSafetyState(); }
  core::Status WriteSafetyState(core::ByteSpan state) override {
    log_.push_back("safety");
    if (fail == "safety") return core::Fail("SAFETY_FILE_IO", "disk full");
    return inner_.WriteSafetyState(state);
  }
  core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>> ReadLockedBlocks() override {
    return inner_.ReadLockedBlocks();
  }
  core::Status UpdateLockedBlocks(const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
                                  const std::vector<ledger::BlockHash>& remove) override {
    log_.push_back("locked");
    return inner_.UpdateLockedBlocks(add, remove);
  }

 private:
  ChainStorage& inner_;
  std::vector<std::string>& log_;
};

class RecordingEffects final : public DriverEffects {
 public:
  explicit RecordingEffects(std::vector<std::string>& log) : log_(log) {}
  void Send(const crypto::PublicKey&, const core::Bytes&) override { log_.push_back("send"); }
  void Broadcast(const core::Bytes&) override { log_.push_back("broadcast"); }
  void Decided(const consensus::Decide& d) override {
    log_.push_back("decided " + d.height.ToString());
  }
  void Committed(const ledger::StoredBlock& block, const std::vector<TxIndexEntry>& entries,
                 std::chrono::steady_clock::duration) override {
    log_.push_back("committed " + block.header.height.ToString());
    for (const TxIndexEntry& e : entries) results.push_back(e.result_code);
  }
  void EpochEntered(const Chain::Validators& v) override { epochs.push_back(v.epoch); }
  std::vector<uint64_t> epochs;
  std::vector<std::string> results;

 private:
  std::vector<std::string>& log_;
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
    storage_ = std::make_unique<RecordingStorage>(*chain_storage_, log_);
    DriverOptions o;
    o.chain_id = genesis_.chain_id;
    o.genesis_time = genesis_.genesis_time;
    options_ = o;
    auto driver = Driver::Create(*storage_, self_, options_, effects_);
    ASSERT_TRUE(driver) << driver.error().ToString();
    driver_ = std::move(*driver);
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
      driver_->Step({Now(), consensus::ClientBatch{}});
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
  std::vector<std::string> log_;
  std::unique_ptr<RecordingStorage> storage_;
  RecordingEffects effects_{log_};
  DriverOptions options_;
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

TEST_F(DriverTest, AFailedCommitStopsTheDriverWithTheBlockNamed) {
  storage_->fail = "commit";
  driver_->Step({Now(), consensus::Start{}});
  driver_->Step(
      {Now(), consensus::ClientBatch{{Tx(customs_, "document.anchor", Anchor("D-1"))}, false}});
  RunTo(1);
  ASSERT_EQ(driver_->state(), Driver::State::kFailed);
  EXPECT_EQ(driver_->failure()->first, "commit of block 1");
  EXPECT_EQ(driver_->failure()->second.code, "STORAGE_IO");
  EXPECT_EQ(std::count(log_.begin(), log_.end(), "committed 1"), 0);
}

TEST_F(DriverTest, AKeyOutsideTheSetInForceIsNotAValidator) {
  auto other = Driver::Create(*storage_, crypto::KeyPair::Generate(), options_, effects_);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, "NODE_NOT_VALIDATOR");
}

// One transaction a block, so the anchor submitted with the change waits in the old core's
// mempool while the change commits: the new core must get it, and commit it.
TEST_F(DriverTest, ASetChangeStartsANewCoreThatKeepsThePendingTransactions) {
  options_.max_block_transactions = 1;
  auto driver = Driver::Create(*storage_, self_, options_, effects_);
  ASSERT_TRUE(driver) << driver.error().ToString();
  driver_ = std::move(*driver);
  effects_.epochs.clear();
  driver_->Step({Now(), consensus::Start{}});
  driver_->Step({Now(), consensus::ClientBatch{
                            {Tx(customs_, "validator.set", ValidatorSet({self_.public_key})),
                             Tx(customs_, "document.anchor", Anchor("D-2"))},
                            false}});
  for (int i = 0;
       i < 40 && driver_->state() == Driver::State::kRunning && effects_.results.size() < 2; ++i) {
    driver_->Step({Now(), consensus::ClientBatch{}});
  }
  ASSERT_EQ(driver_->state(), Driver::State::kRunning);
  EXPECT_EQ(effects_.epochs, std::vector<uint64_t>{1});
  EXPECT_EQ(driver_->epoch(), 1u);
  EXPECT_GE(driver_->core().current_view().value, uint64_t{1} << 32);
  // The change executed alone in block 1; the anchor, carried over, in a block of epoch 1.
  ASSERT_EQ(effects_.results, (std::vector<std::string>{"OK", "OK"}));
  // Once the core has seen the commit, nothing is left to propose again.
  driver_->Step({Now(), consensus::ClientBatch{}});
  EXPECT_EQ(driver_->core().mempool_size(), 0u);
  auto block1 = storage_->view().CommittedBlock(core::Height(1));
  ASSERT_TRUE(block1.has_value());
  ASSERT_EQ(block1->transactions.size(), 1u);
  EXPECT_EQ(block1->transactions[0].payload().type, "validator.set");
  std::optional<ledger::StoredBlock> anchored;
  for (uint64_t h = 2; h <= chain_->tip().height.value; ++h) {
    auto block = storage_->view().CommittedBlock(core::Height(h));
    ASSERT_TRUE(block.has_value());
    if (!block->transactions.empty()) anchored = block;
  }
  ASSERT_TRUE(anchored.has_value());
  ASSERT_EQ(anchored->transactions.size(), 1u);
  EXPECT_EQ(anchored->transactions[0].payload().type, "document.anchor");
  EXPECT_GE(anchored->certificate.view.value, uint64_t{1} << 32);
}

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
