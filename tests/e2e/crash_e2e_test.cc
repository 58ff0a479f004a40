// A node SIGKILLed under load forgets nothing it acknowledged. It runs with a state retention
// of 2 heights, so most of its blocks also prune state tree nodes (ADR 0019) in their batch,
// and the audit at the end checks the pruned store.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <thread>

#include "node/ledger_store.h"
#include "storage/rocksdb_store.h"
#include "tests/e2e/test_network.h"

namespace tradeledger::e2e {
namespace {

struct Acknowledged {
  ledger::TxId id;
  uint64_t height = 0;
};

// Four client threads submit anchors with wait=commit until told to stop or until the node
// goes away; every 200 commit response is recorded.
class Load {
 public:
  Load(uint16_t port, const ledger::ChainId& chain, int round) {
    for (int t = 0; t < 4; ++t) {
      threads_.emplace_back([this, port, chain, round, t] {
        api::http::Client client("127.0.0.1", port);
        crypto::KeyPair key = crypto::KeyPair::Generate();
        for (uint64_t nonce = 1; !stop_.load(); ++nonce) {
          auto tx = AnchorTransaction(chain, key, nonce,
                                      "E2E-CRASH-" + std::to_string(round) + "-" +
                                          std::to_string(t) + "-" + std::to_string(nonce));
          auto r = SubmitAndWait(client, tx, std::chrono::seconds(20));
          if (r.status == 0) return;  // the node is gone
          if (r.status == 200 && r.body.value("status", "") == "committed") {
            std::lock_guard lock(mu_);
            acknowledged_.push_back({tx.id(), r.body.value("height", uint64_t{0})});
            if (r.body.value("result_code", "") != "OK") {
              unexpected_.push_back(r.body.dump());
            }
          } else {
            std::lock_guard lock(mu_);
            unexpected_.push_back(std::to_string(r.status) + " " + r.body.dump());
          }
        }
      });
    }
  }
  ~Load() { Join(); }

  size_t acknowledged_count() {
    std::lock_guard lock(mu_);
    return acknowledged_.size();
  }
  void Join() {
    stop_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }
  std::vector<Acknowledged> acknowledged() {
    std::lock_guard lock(mu_);
    return acknowledged_;
  }
  std::vector<std::string> unexpected() {
    std::lock_guard lock(mu_);
    return unexpected_;
  }

 private:
  std::atomic<bool> stop_{false};
  std::mutex mu_;
  std::vector<Acknowledged> acknowledged_;
  std::vector<std::string> unexpected_;
  std::vector<std::thread> threads_;
};

TEST(CrashRecovery, KeepsEveryAcknowledgedCommitAfterSigkillUnderLoad) {
  TestNetwork net;
  ASSERT_TRUE(net.ok()) << net.init_result().Describe();
  {
    auto config = nlohmann::json::parse(ReadFileOrEmpty(net.config_file()), nullptr, false);
    ASSERT_FALSE(config.is_discarded());
    config["state_retention_heights"] = 2;
    std::ofstream(net.config_file(), std::ios::trunc) << config.dump(2);
  }
  const ledger::ChainId chain = net.chain_id();
  std::vector<Acknowledged> all;
  auto start = std::chrono::steady_clock::now();

  // Kill moments: right after the first acknowledged commit, after a few dozen, and later.
  const size_t kill_after[] = {1, 50, 400};
  for (int round = 0; round < 3; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", kill after " +
                 std::to_string(kill_after[round]) + " acknowledged commits");
    auto pid = net.StartNode();
    ASSERT_TRUE(pid) << ReadFileOrEmpty(net.log_file());

    // Everything acknowledged before any earlier kill is still committed at its height.
    api::http::Client client("127.0.0.1", net.port());
    for (const Acknowledged& a : all) {
      auto r = SendJson(client, "GET", "/v1/transactions/" + a.id.hex());
      ASSERT_EQ(r.status, 200) << a.id.hex() << " " << r.body.dump() << r.error;
      EXPECT_EQ(r.body.value("status", ""), "committed") << r.body.dump();
      EXPECT_EQ(r.body.value("height", uint64_t{0}), a.height) << r.body.dump();
    }

    Load load(net.port(), chain, round);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (load.acknowledged_count() < kill_after[round] &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_GE(load.acknowledged_count(), kill_after[round]) << "the load made no progress";
    EXPECT_EQ(net.StopNode(SIGKILL), 128 + SIGKILL);
    EXPECT_FALSE(ProcessAlive(*pid));
    load.Join();
    auto unexpected = load.unexpected();
    EXPECT_TRUE(unexpected.empty())
        << unexpected.size() << " unexpected answers, first " << unexpected.front();
    auto acked = load.acknowledged();
    std::printf("[ info ] round %d: %zu commits acknowledged before SIGKILL\n", round,
                acked.size());
    all.insert(all.end(), acked.begin(), acked.end());
  }

  // Restart once more, check every acknowledged commit, stop cleanly and audit.
  auto pid = net.StartNode();
  ASSERT_TRUE(pid) << ReadFileOrEmpty(net.log_file());
  api::http::Client client("127.0.0.1", net.port());
  uint64_t max_height = 0;
  for (const Acknowledged& a : all) {
    auto r = SendJson(client, "GET", "/v1/transactions/" + a.id.hex());
    ASSERT_EQ(r.status, 200) << a.id.hex() << " " << r.body.dump() << r.error;
    EXPECT_EQ(r.body.value("status", ""), "committed") << r.body.dump();
    EXPECT_EQ(r.body.value("height", uint64_t{0}), a.height) << r.body.dump();
    max_height = std::max(max_height, a.height);
  }
  auto health = net.Health();
  ASSERT_TRUE(health);
  EXPECT_GE((*health)["height"].get<uint64_t>(), max_height);
  EXPECT_GE((*health)["log_size"].get<uint64_t>(), all.size());
  EXPECT_EQ(net.StopNode(SIGTERM), 0) << ReadFileOrEmpty(net.log_file());
  {
    storage::RocksDbOptions options;
    options.create_if_missing = false;
    auto store = storage::RocksDbStore::Open(net.data_dir().string(), options);
    ASSERT_TRUE(store) << store.error().ToString();
    node::LedgerStore ledger(**store);
    auto horizon = ledger.ReadStateHorizon();
    ASSERT_TRUE(horizon) << horizon.error().ToString();
    EXPECT_GT(horizon->value, 0u) << "nothing was pruned";
  }
  auto audit = net.Audit();
  EXPECT_EQ(audit.exit_code, 0) << audit.Describe();
  std::printf("[ timing ] three kills and recoveries, %zu acknowledged commits: %.2f s\n",
              all.size(),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
}

}  // namespace
}  // namespace tradeledger::e2e
