// The consensus thread of a node wakes when a paced batch is due (ADR 0037), not only at its
// tick or its view timer: a network of one, pacing for 2 s, with a 60 s tick and 40 s views,
// commits a transaction submitted just after genesis only if the thread wakes by the due time.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>

#include "node/chain.h"
#include "node/clock.h"
#include "node/genesis.h"
#include "node/ledger_store.h"
#include "node/metrics.h"
#include "node/node.h"
#include "node/safety_file.h"
#include "storage/memory_store.h"

namespace tradeledger::node {
namespace {

TEST(NodePacing, TheConsensusThreadWakesWhenAPacedBatchIsDue) {
  const crypto::KeyPair validator = crypto::KeyPair::Generate();
  SystemClock clock;
  // Genesis stamped now, so that the batch is due 2 s from now, not at once.
  const core::TimestampMs genesis_time = clock.Now();
  Genesis genesis =
      *Genesis::Parse(Genesis::Render("pacing", genesis_time, {{"v1", validator.public_key}}, {}));
  storage::MemoryStore store;
  LedgerStore ledger(store);
  std::unique_ptr<Chain> chain = std::move(*Chain::Open(ledger, genesis));
  const std::filesystem::path safety_path =
      std::filesystem::temp_directory_path() / ("tl-pacing-test-" + std::to_string(::getpid()));
  std::filesystem::remove(safety_path);
  SafetyFile safety(safety_path);
  Metrics metrics;
  NodeOptions options;
  options.min_block_interval_ms = 2000;
  options.pacemaker.base_timeout_ms = 40'000;
  options.tick = std::chrono::seconds(60);
  auto node = Node::Create(ledger, *chain, validator, clock, options, metrics, safety, nullptr);
  ASSERT_TRUE(node) << node.error().ToString();
  (*node)->Start();

  ledger::TxPayload payload;
  payload.chain_id = genesis.chain_id;
  payload.type = "document.anchor";
  payload.nonce = 1;
  payload.body = core::ToBytes(nlohmann::json{
      {"docId", "INV-1"},
      {"docType", "INVOICE"},
      {"contentHash", std::string(64, 'a')},
      {"issuer", "Owner Inc."}}.dump());
  const auto tx = ledger::SignedTransaction::Sign(payload, crypto::KeyPair::Generate());
  const auto submitted = std::chrono::steady_clock::now();
  auto admitted = (*node)->Submit(tx);
  ASSERT_TRUE(admitted) << admitted.error().ToString();
  ASSERT_EQ(admitted->status, TxStatus::kPending);

  // Without the wake-up the thread would sleep until its view timer (40 s): the waiter's
  // deadline, 20 s, would pass first and it would be answered with nullopt.
  std::promise<std::optional<TxIndexEntry>> committed;
  (*node)->WaitForCommit(tx.id(), submitted + std::chrono::seconds(20),
                         [&](std::optional<TxIndexEntry> entry) { committed.set_value(entry); });
  std::optional<TxIndexEntry> entry = committed.get_future().get();
  const auto waited = std::chrono::steady_clock::now() - submitted;
  const uint64_t since_genesis_ms = clock.Now().value - genesis_time.value;
  (*node)->Stop();
  std::filesystem::remove(safety_path);
  ASSERT_TRUE(entry) << "not committed: the consensus thread slept past the due time";
  // Committed by the waiter's deadline: at the view timer (40 s) a commit could still win the
  // race with the waiter's expiry.
  EXPECT_LT(waited, std::chrono::seconds(20));
  // Held until due (by the node's own clock), not proposed at once.
  EXPECT_GE(since_genesis_ms, 2000u);
}

}  // namespace
}  // namespace tradeledger::node
