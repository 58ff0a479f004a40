// Four validators as real processes over the authenticated transport: leader failure under
// load, f and f+1 failures, a full restart, a wiped validator catching up by block sync.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "tests/e2e/bft_network.h"

namespace tradeledger::e2e {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// The stated bound: after the leader is killed, the others commit again within this long.
// Derivation (doc/adr/0017): one view timeout (base 1 s) plus a view change and a 2-chain
// commit; the bound leaves room for a sanitizer build on a shared 2-core machine.
constexpr auto kResumeBound = 10s;

struct Acknowledged {
  ledger::TxId id;
  uint64_t height = 0;
};

// Client threads submitting anchors with wait=commit, each to its own validator, moving to the
// next validator when theirs stops answering. Every commit response is recorded.
class Load {
 public:
  Load(BftNetwork& net, int threads) {
    const ledger::ChainId chain = net.chain_id();
    for (int t = 0; t < threads; ++t) {
      threads_.emplace_back([this, &net, chain, t] {
        crypto::KeyPair key = crypto::KeyPair::Generate();
        int target = t % net.size();
        uint64_t nonce = 1;
        while (!stop_.load()) {
          api::http::Client client("127.0.0.1", net.http_port(target));
          auto tx = AnchorTransaction(chain, key, nonce,
                                      "BFT-" + std::to_string(t) + "-" + std::to_string(nonce));
          auto r = SubmitAndWait(client, tx, 20s);
          if (r.status == 200 && r.body.value("status", "") == "committed") {
            std::lock_guard lock(mu_);
            acknowledged_.push_back({tx.id(), r.body.value("height", uint64_t{0})});
            ++nonce;
          } else if (r.status == 0) {
            target = (target + 1) % net.size();  // this validator is gone: use another
          }
        }
      });
    }
  }
  ~Load() { Join(); }
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

 private:
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::vector<Acknowledged> acknowledged_;
};

// Every validator in `which` holds the same block at every height up to the lowest tip.
void ExpectSameChain(const BftNetwork& net, const std::vector<int>& which) {
  uint64_t low = UINT64_MAX;
  for (int i : which) low = std::min(low, net.Height(i));
  ASSERT_GT(low, 0u);
  for (uint64_t h = 1; h <= low; ++h) {
    auto first = net.BlockHash(which[0], h);
    ASSERT_TRUE(first) << "validator " << which[0] << " height " << h;
    for (int i : which)
      EXPECT_EQ(net.BlockHash(i, h), first) << "validator " << i << " height " << h;
  }
}

// Every acknowledged transaction is committed at its acknowledged height on validator i.
void ExpectAcknowledgedCommitted(const BftNetwork& net, int i,
                                 const std::vector<Acknowledged>& acks) {
  api::http::Client client("127.0.0.1", net.http_port(i));
  for (const Acknowledged& a : acks) {
    auto r = SendJson(client, "GET", "/v1/transactions/" + a.id.hex());
    ASSERT_EQ(r.status, 200) << a.id.hex();
    EXPECT_EQ(r.body.value("status", ""), "committed") << a.id.hex();
    EXPECT_EQ(r.body.value("height", uint64_t{0}), a.height) << a.id.hex();
  }
}

int LeaderIndex(const BftNetwork& net, int asking) {
  auto h = net.Health(asking);
  if (!h) return -1;
  for (int i = 0; i < net.size(); ++i) {
    auto other = net.Health(i);
    if (other && (*other)["validator"] == (*h)["leader"]) return i;
  }
  return -1;
}

class BftTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = std::make_unique<BftNetwork>(4);
    ASSERT_TRUE(net_->ok()) << net_->init_result().Describe();
    ASSERT_TRUE(net_->StartAll()) << net_->LogTail(0);
    ASSERT_TRUE(net_->WaitForHeight({0, 1, 2, 3}, 2, 30s)) << net_->LogTail(0);
  }
  void TearDown() override {
    if (HasFailure()) {
      for (int i = 0; i < net_->size(); ++i) {
        std::fprintf(stderr, "--- validator %d log tail ---\n%s\n", i, net_->LogTail(i).c_str());
      }
    }
  }
  std::unique_ptr<BftNetwork> net_;
};

TEST_F(BftTest, FourValidatorsCommitClientTransactionsSubmittedToAnyOfThem) {
  crypto::KeyPair key = crypto::KeyPair::Generate();
  std::vector<Acknowledged> acks;
  for (uint64_t nonce = 1; nonce <= 20; ++nonce) {
    api::http::Client client("127.0.0.1", net_->http_port(static_cast<int>(nonce % 4)));
    auto tx = AnchorTransaction(net_->chain_id(), key, nonce, "ANY-" + std::to_string(nonce));
    auto r = SubmitAndWait(client, tx, 20s);
    ASSERT_EQ(r.status, 200) << r.body.dump() << r.error;
    EXPECT_EQ(r.body.value("result_code", ""), "OK") << r.body.dump();
    acks.push_back({tx.id(), r.body.value("height", uint64_t{0})});
  }
  uint64_t top = 0;
  for (const auto& a : acks) top = std::max(top, a.height);
  ASSERT_TRUE(net_->WaitForHeight({0, 1, 2, 3}, top, 20s));
  for (int i = 0; i < 4; ++i) ExpectAcknowledgedCommitted(*net_, i, acks);
  ExpectSameChain(*net_, {0, 1, 2, 3});
  // Each validator reports its three peers connected.
  api::http::Client client("127.0.0.1", net_->http_port(0));
  auto metrics = client.Send("GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("tradeledger_peers_connected 3"), std::string::npos);
}

TEST_F(BftTest, LeaderKilledUnderLoadCommitsResumeAndNothingAcknowledgedIsLost) {
  Load load(*net_, 4);
  std::this_thread::sleep_for(3s);
  int leader = LeaderIndex(*net_, 0);
  ASSERT_GE(leader, 0);
  std::vector<int> rest = AllBut(4, {leader});
  uint64_t before = 0;
  for (int i : rest) before = std::max(before, net_->Height(i));
  auto killed_at = Clock::now();
  net_->Stop(leader, SIGKILL);
  ASSERT_TRUE(net_->WaitForHeight(rest, before + 3, kResumeBound))
      << "no commits within " << kResumeBound.count() << " s of killing the leader";
  auto resumed = std::chrono::duration<double>(Clock::now() - killed_at).count();
  std::fprintf(stderr, "leader %d killed: %.2f s until the others committed 3 more blocks\n",
               leader, resumed);
  std::this_thread::sleep_for(2s);
  load.Join();
  auto acks = load.acknowledged();
  EXPECT_GT(acks.size(), 10u);
  uint64_t top = 0;
  for (const auto& a : acks) top = std::max(top, a.height);
  ASSERT_TRUE(net_->WaitForHeight(rest, top, 20s));
  for (int i : rest) ExpectAcknowledgedCommitted(*net_, i, acks);
  ExpectSameChain(*net_, rest);
}

TEST_F(BftTest, OneDownProgressesTwoDownStallsWithoutDivergingThenResumes) {
  net_->Stop(3, SIGKILL);
  uint64_t h = net_->Height(0);
  ASSERT_TRUE(net_->WaitForHeight({0, 1, 2}, h + 3, 20s)) << "no progress with f = 1 down";

  net_->Stop(2, SIGKILL);
  std::this_thread::sleep_for(2s);  // let blocks certified before the kill settle
  uint64_t stalled = std::max(net_->Height(0), net_->Height(1));
  std::this_thread::sleep_for(4s);
  EXPECT_EQ(std::max(net_->Height(0), net_->Height(1)), stalled) << "progress with 2 of 4 down";
  ExpectSameChain(*net_, {0, 1});

  ASSERT_TRUE(net_->Start(2));
  ASSERT_TRUE(net_->Start(3));
  ASSERT_TRUE(net_->WaitForHeight({0, 1, 2, 3}, stalled + 3, 60s)) << "no progress after restart";
  ExpectSameChain(*net_, {0, 1, 2, 3});
}

TEST_F(BftTest, AllStoppedAndRestartedKeepTheSameChainAndEveryAuditPasses) {
  {
    Load load(*net_, 2);
    std::this_thread::sleep_for(3s);
  }
  std::vector<std::string> hashes;
  uint64_t low = UINT64_MAX;
  for (int i = 0; i < 4; ++i) low = std::min(low, net_->Height(i));
  for (uint64_t h = 1; h <= low; ++h) hashes.push_back(net_->BlockHash(0, h).value_or(""));
  for (int i = 0; i < 4; ++i) EXPECT_EQ(net_->Stop(i, SIGTERM), 0) << net_->LogTail(i);
  for (int i = 0; i < 4; ++i) {
    auto audit = net_->Audit(i);
    EXPECT_EQ(audit.exit_code, 0) << "validator " << i << ": " << audit.Describe();
  }
  ASSERT_TRUE(net_->StartAll());
  ASSERT_TRUE(net_->WaitForHeight({0, 1, 2, 3}, low + 3, 60s)) << "no progress after restart";
  for (int i = 0; i < 4; ++i) {
    for (uint64_t h = 1; h <= low; ++h) {
      EXPECT_EQ(net_->BlockHash(i, h).value_or("?"), hashes[h - 1]) << i << " at " << h;
    }
  }
  ExpectSameChain(*net_, {0, 1, 2, 3});
}

// Every validator SIGKILLed at once under load, twice: the blocks each was locked on come back
// from its data directory (Persist::locked_blocks), so the restarted network extends its locks
// instead of waiting forever for blocks nobody holds in memory any more.
TEST_F(BftTest, AllKilledAtOnceUnderLoadResumeAndKeepEveryAcknowledgedCommit) {
  std::vector<Acknowledged> all;
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Load load(*net_, 3);
    std::this_thread::sleep_for(3s);
    for (int i = 0; i < 4; ++i) net_->Stop(i, SIGKILL);
    load.Join();
    auto acks = load.acknowledged();
    all.insert(all.end(), acks.begin(), acks.end());
    ASSERT_TRUE(net_->StartAll());
    uint64_t top = 0;
    for (const auto& a : all) top = std::max(top, a.height);
    ASSERT_TRUE(net_->WaitForHeight({0, 1, 2, 3}, top + 3, 60s))
        << "no progress after every validator was killed";
  }
  EXPECT_GT(all.size(), 10u);
  for (int i = 0; i < 4; ++i) ExpectAcknowledgedCommitted(*net_, i, all);
  ExpectSameChain(*net_, {0, 1, 2, 3});
}

TEST_F(BftTest, WipedValidatorCatchesUpByBlockSync) {
  {
    Load load(*net_, 3);
    std::this_thread::sleep_for(4s);
  }
  net_->Stop(2, SIGKILL);
  std::filesystem::remove_all(net_->data_dir(2));
  uint64_t target = std::max(net_->Height(0), net_->Height(1));
  ASSERT_GT(target, 5u) << "validators 0 and 1 answered heights " << net_->Height(0) << " and "
                        << net_->Height(1);
  ASSERT_TRUE(net_->Start(2));
  ASSERT_TRUE(net_->WaitForHeight({2}, target, 60s))
      << "the wiped validator reached " << net_->Height(2) << " of " << target;
  ExpectSameChain(*net_, {0, 1, 2, 3});
  // Same height, same state root.
  // Heartbeat blocks keep coming, so the two are compared when seen at the same height.
  std::string last_seen;
  for (int attempt = 0; attempt < 100; ++attempt) {
    auto a = net_->Health(0);
    auto b = net_->Health(2);
    if (a && b && (*a)["height"] == (*b)["height"]) {
      EXPECT_EQ((*a)["state_root"], (*b)["state_root"]) << "at height " << (*a)["height"];
      return;
    }
    last_seen = (a ? (*a)["height"].dump() : "no answer") + " and " +
                (b ? (*b)["height"].dump() : "no answer");
    std::this_thread::sleep_for(20ms);
  }
  ADD_FAILURE() << "validators 0 and 2 were never seen at the same height; last seen at "
                << last_seen;
}

}  // namespace
}  // namespace tradeledger::e2e
