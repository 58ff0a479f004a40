// The pure parts of `tradeledger bench`: percentiles, the open-loop schedule, throughput
// windows, the mix, and the workload: every pre-signed transaction decodes and verifies, and
// committed in order on an in-memory chain with a customs authority, every one executes OK and
// every claim of the entries is accepted.
#include <gtest/gtest.h>

#include <cmath>
#include <future>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <thread>
#include <vector>

#include "cli/bench_report.h"
#include "cli/bench_stats.h"
#include "cli/bench_workload.h"
#include "core/thread_name.h"
#include "node/chain.h"
#include "node/metrics.h"
#include "storage/memory_store.h"
#include "trade/claim_rules.h"
#include "trade/participants.h"
#include "trade/time_util.h"

namespace tradeledger::cli::bench {
namespace {

using nlohmann::json;

TEST(BenchStats, PercentileIsNearestRank) {
  std::vector<double> hundred;
  for (int i = 1; i <= 100; ++i) hundred.push_back(i);
  EXPECT_EQ(Percentile(hundred, 50), 50);
  EXPECT_EQ(Percentile(hundred, 95), 95);
  EXPECT_EQ(Percentile(hundred, 99), 99);
  EXPECT_EQ(Percentile(hundred, 100), 100);
  std::vector<double> ten = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  EXPECT_EQ(Percentile(ten, 50), 5);
  EXPECT_EQ(Percentile(ten, 99), 10);  // no interpolation: a value some transaction had
  EXPECT_EQ(Percentile(std::vector<double>{7}, 1), 7);
  EXPECT_EQ(Percentile(std::vector<double>{}, 50), 0);
}

TEST(BenchStats, SummarizeSortsFirst) {
  LatencySummary s = Summarize({30, 10, 20, 40});
  EXPECT_EQ(s.count, 4u);
  EXPECT_EQ(s.p50, 20);
  EXPECT_EQ(s.p99, 40);
  EXPECT_EQ(s.max, 40);
  EXPECT_EQ(s.mean, 25);
  EXPECT_EQ(Summarize({}).count, 0u);
}

TEST(BenchStats, UncommittedTransactionsCountAsInfiniteLatency) {
  const double never = std::numeric_limits<double>::infinity();
  std::vector<double> values(98, 10.0);
  values.push_back(never);
  values.push_back(never);
  LatencySummary s = Summarize(values);
  EXPECT_EQ(s.count, 98u);
  EXPECT_EQ(s.not_committed, 2u);
  EXPECT_EQ(s.p95, 10);
  EXPECT_TRUE(std::isinf(s.p99));  // not the latency of a survivor
  EXPECT_TRUE(std::isinf(s.max));
  EXPECT_EQ(s.mean, 10);
}

TEST(BenchSchedule, IntendedTimeIsAFunctionOfTheIndexAlone) {
  EXPECT_EQ(IntendedSendNs(0, 1000), 0);
  EXPECT_EQ(IntendedSendNs(1, 1000), 1'000'000);
  EXPECT_EQ(IntendedSendNs(1000, 1000), 1'000'000'000);
  EXPECT_EQ(IntendedSendNs(1, 3), 333'333'333);
  EXPECT_EQ(IntendedSendNs(2, 3), 666'666'667);
  for (size_t i = 1; i < 5000; ++i) EXPECT_LT(IntendedSendNs(i - 1, 777), IntendedSendNs(i, 777));
}

TEST(BenchSchedule, ScheduledCountFillsTheDurationExactly) {
  EXPECT_EQ(ScheduledCount(1000, 20'000'000'000), 20'000u);
  EXPECT_EQ(ScheduledCount(3, 1'000'000'000), 3u);
  EXPECT_EQ(ScheduledCount(7, 1'000'000'000), 7u);
  EXPECT_EQ(ScheduledCount(100, 1), 1u);  // index 0 is due at once
  EXPECT_EQ(ScheduledCount(0, 1'000'000'000), 0u);
  for (double rate : {50.0, 333.0, 1000.0, 2000.0}) {
    size_t n = ScheduledCount(rate, 5'000'000'000);
    EXPECT_LT(IntendedSendNs(n - 1, rate), 5'000'000'000);
    EXPECT_GE(IntendedSendNs(n, rate), 5'000'000'000);
  }
}

TEST(BenchStats, WindowsAndSecondsCountCommits) {
  std::vector<int64_t> commits = {-1, 100'000'000, 900'000'000, 1'000'000'000, 2'500'000'000};
  std::vector<double> bounds = {0, 1, 3};
  auto w = Windows(commits, bounds);
  ASSERT_EQ(w.size(), 2u);
  EXPECT_EQ(w[0].committed, 2u);
  EXPECT_EQ(w[0].tx_per_s, 2);
  EXPECT_EQ(w[1].committed, 2u);
  EXPECT_EQ(w[1].tx_per_s, 1);
  EXPECT_EQ(CommitsPerSecond(commits), (std::vector<size_t>{2, 1, 1}));
}

TEST(BenchStats, LatencyBySecondGroupsByStartTime) {
  const double never = std::numeric_limits<double>::infinity();
  std::vector<int64_t> starts = {0, 500'000'000, -1, 1'200'000'000, 2'999'999'999, 2'000'000'000};
  std::vector<double> latency = {10, 30, 99, never, 7, 5};
  auto s = LatencyBySecond(starts, latency);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[0].count, 2u);  // the unsent one (start -1) is in no second
  EXPECT_EQ(s[0].p50, 10);
  EXPECT_EQ(s[0].max, 30);
  EXPECT_EQ(s[1].count, 0u);
  EXPECT_EQ(s[1].not_committed, 1u);
  EXPECT_TRUE(std::isinf(s[1].p99));
  EXPECT_EQ(s[2].count, 2u);
  EXPECT_EQ(s[2].p50, 5);
  EXPECT_EQ(s[2].p99, 7);
  EXPECT_TRUE(LatencyBySecond({}, {}).empty());
}

TEST(BenchWrites, ReadsWhatANodeRendersAndDividesTheGrowthByItsTransactions) {
  node::Metrics metrics;
  metrics.transactions_committed = 10;
  node::WriteVolume volume;
  volume.block = {2, 3'000};
  volume.state_tree = {40, 50'000};
  metrics.SetWriteVolume(volume);
  auto before = ParseNodeWrites(metrics.Render());
  ASSERT_TRUE(before) << before.error().ToString();
  EXPECT_EQ(before->transactions, 10u);
  EXPECT_EQ(before->bytes.size(), 5u);
  EXPECT_EQ(before->bytes.at("block"), 3'000u);
  EXPECT_EQ(before->bytes.at("state_tree"), 50'000u);
  EXPECT_EQ(before->bytes.at("pruning"), 0u);

  metrics.transactions_committed = 30;
  volume.block.bytes += 2'000;
  volume.state_tree.bytes += 30'000;
  volume.pruning.bytes += 500;
  metrics.SetWriteVolume(volume);
  auto after = ParseNodeWrites(metrics.Render());
  ASSERT_TRUE(after) << after.error().ToString();
  WritesPerTx w = WritesOver(*before, *after);
  EXPECT_EQ(w.transactions, 20u);
  EXPECT_DOUBLE_EQ(w.bytes.at("block"), 100);
  EXPECT_DOUBLE_EQ(w.bytes.at("state_tree"), 1'500);
  EXPECT_DOUBLE_EQ(w.bytes.at("pruning"), 25);
  EXPECT_DOUBLE_EQ(w.total, 1'625);
  // No transaction in between: nothing to divide by.
  EXPECT_EQ(WritesOver(*after, *after).transactions, 0u);
  EXPECT_TRUE(WritesOver(*after, *after).bytes.empty());
}

TEST(BenchCpu, ReadsANodesProcessFiguresAndChargesThemToTheTransactions) {
  node::Metrics metrics;
  auto own = ParseNodeProcess(metrics.Render());  // this test process's, through /proc
  ASSERT_TRUE(own) << own.error().ToString();
  EXPECT_GE(own->cpu_seconds, 0);
  EXPECT_GT(own->minor_faults, 0u);

  // Two nodes read both times, one only after the load: it is left out.
  std::vector<std::optional<NodeProcess>> before = {NodeProcess{10.0, 100}, NodeProcess{5.0, 50},
                                                    std::nullopt};
  std::vector<std::optional<NodeProcess>> after = {NodeProcess{12.0, 300}, NodeProcess{6.5, 150},
                                                   NodeProcess{99.0, 9'999}};
  NodesCpu c = CpuOver(before, after, 1'000);
  EXPECT_EQ(c.nodes, 2u);
  EXPECT_EQ(c.transactions, 1'000u);
  EXPECT_DOUBLE_EQ(c.cpu_ms_per_tx, 3.5);  // 3.5 s over 1,000 transactions
  EXPECT_DOUBLE_EQ(c.minor_faults_per_tx, 0.3);
  EXPECT_EQ(CpuOver(before, after, 0).cpu_ms_per_tx, 0);
  EXPECT_EQ(CpuOver({std::nullopt}, after, 1'000).nodes, 0u);
  EXPECT_TRUE(c.cpu_ms_per_tx_by_role.empty());  // no node reported its threads
}

TEST(BenchCpu, ChargesEachThreadRoleThatEveryNodeReported) {
  // This test process's threads, through /proc and the metrics text: a thread named for the
  // role "probe" is alive while the metrics are rendered.
  node::Metrics metrics;
  std::promise<void> named, rendered;
  std::thread probe([&] {
    core::NameThisThread("probe");
    named.set_value();
    rendered.get_future().wait();
  });
  named.get_future().wait();
  auto own = ParseNodeProcess(metrics.Render());
  rendered.set_value();
  probe.join();
  ASSERT_TRUE(own) << own.error().ToString();
  EXPECT_TRUE(own->thread_cpu_seconds.contains("probe")) << "the named thread is missing";
  EXPECT_TRUE(own->thread_cpu_seconds.contains("other")) << "the test's main thread";

  // "flush" only on the first node and "http" only after the load: both left out.
  std::vector<std::optional<NodeProcess>> before = {
      NodeProcess{10.0, 0, {{"commit", 4.0}, {"consensus", 1.0}, {"flush", 1.0}}},
      NodeProcess{5.0, 0, {{"commit", 2.0}, {"consensus", 1.0}}}};
  std::vector<std::optional<NodeProcess>> after = {
      NodeProcess{12.0, 0, {{"commit", 5.0}, {"consensus", 1.5}, {"flush", 2.0}}},
      NodeProcess{6.5, 0, {{"commit", 3.0}, {"consensus", 1.25}, {"http", 9.0}}}};
  NodesCpu c = CpuOver(before, after, 1'000);
  ASSERT_EQ(c.cpu_ms_per_tx_by_role.size(), 2u);
  EXPECT_DOUBLE_EQ(c.cpu_ms_per_tx_by_role.at("commit"), 2.0);  // 2 s over 1,000
  EXPECT_DOUBLE_EQ(c.cpu_ms_per_tx_by_role.at("consensus"), 0.75);
}

TEST(BenchCpu, RefusesAnUnreadableThreadLine) {
  const std::string base =
      "process_cpu_seconds_total 12.34\ntradeledger_process_minor_faults_total 56\n";
  auto good = ParseNodeProcess(base +
                               "tradeledger_thread_cpu_seconds_total{role=\"commit\"} 3.50\n"
                               "tradeledger_thread_cpu_seconds_total{role=\"http\"} 0.25\n");
  ASSERT_TRUE(good) << good.error().ToString();
  EXPECT_DOUBLE_EQ(good->thread_cpu_seconds.at("commit"), 3.5);
  EXPECT_DOUBLE_EQ(good->thread_cpu_seconds.at("http"), 0.25);
  for (std::string_view bad : {"tradeledger_thread_cpu_seconds_total{role=\"commit\"} x\n",
                               "tradeledger_thread_cpu_seconds_total{role=\"commit\"} -1\n",
                               "tradeledger_thread_cpu_seconds_total{role=\"\"} 1\n",
                               "tradeledger_thread_cpu_seconds_total{role=\"commit 1\n"}) {
    auto got = ParseNodeProcess(base + std::string(bad));
    ASSERT_FALSE(got) << bad;
    EXPECT_EQ(got.error().code, "METRICS_UNAVAILABLE");
  }
}

TEST(BenchCpu, RefusesMetricsWithoutTheProcessFigures) {
  for (std::string_view text : {std::string_view("tradeledger_height 5\n"),
                                std::string_view("process_cpu_seconds_total 1.5\n"),  // no faults
                                std::string_view("process_cpu_seconds_total 1.5x\n"
                                                 "tradeledger_process_minor_faults_total 7\n"),
                                std::string_view("process_cpu_seconds_total -1\n"
                                                 "tradeledger_process_minor_faults_total 7\n")}) {
    auto got = ParseNodeProcess(text);
    ASSERT_FALSE(got) << text;
    EXPECT_EQ(got.error().code, "METRICS_UNAVAILABLE");
  }
  auto good = ParseNodeProcess(
      "process_cpu_seconds_total 12.34\ntradeledger_process_minor_faults_total 56\n");
  ASSERT_TRUE(good) << good.error().ToString();
  EXPECT_DOUBLE_EQ(good->cpu_seconds, 12.34);
  EXPECT_EQ(good->minor_faults, 56u);
}

TEST(BenchWrites, RefusesMetricsWithoutTheFigures) {
  auto none = ParseNodeWrites("tradeledger_height 5\n");
  ASSERT_FALSE(none);
  EXPECT_EQ(none.error().code, "METRICS_UNAVAILABLE");
  auto bad = ParseNodeWrites(
      "tradeledger_transactions_committed_total 7\n"
      "tradeledger_block_write_bytes_total{part=\"block\"} 12x\n");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "METRICS_UNAVAILABLE");
}

TEST(BenchMix, ParsesKindsAndWeights) {
  auto equal = ParseMix("cert,entry,licence");
  ASSERT_TRUE(equal);
  ASSERT_EQ(equal->size(), 3u);
  EXPECT_EQ((*equal)[2].kind, TxKind::kLicence);
  auto weighted = ParseMix("entry=3,cert=1,licence=0");
  ASSERT_TRUE(weighted);
  ASSERT_EQ(weighted->size(), 2u);
  EXPECT_EQ((*weighted)[0].weight, 3);
  for (const char* bad : {"", "cert,cert", "anchor", "cert=x", "cert=0", "cert=-1"}) {
    EXPECT_FALSE(ParseMix(bad)) << bad;
  }
}

class BenchWorkloadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    json extra;
    extra["customs_authority"] = trade::RenderCustomsAuthority({.admin_key = customs_.public_key});
    extra["ior_salt"] = "00ff";
    auto g = node::Genesis::Parse(
        node::Genesis::Render("bench", core::TimestampMs(now_ - 86'400'000),
                              {{"v1", validator_.public_key}}, nlohmann::ordered_json(extra)));
    ASSERT_TRUE(g) << g.error().ToString();
    genesis_ = *g;
    auto chain = node::Chain::Open(ledger_, genesis_);
    ASSERT_TRUE(chain) << chain.error().ToString();
    chain_ = std::move(*chain);
  }

  // Commits `txs` as one block at `now_`; returns each result code.
  std::vector<std::string> Commit(std::vector<ledger::SignedTransaction> txs) {
    ledger::StoredBlock b;
    b.header = chain_->BuildHeader(txs, core::TimestampMs(now_), validator_.public_key);
    b.transactions = std::move(txs);
    b.certificate.height = b.header.height;
    b.certificate.view = core::View(b.header.height.value);
    b.certificate.block_hash = b.header.Hash();
    b.certificate.AddSignature(genesis_.chain_id, validator_);
    auto r = chain_->Commit(b, true);
    EXPECT_TRUE(r) << r.error().ToString();
    std::vector<std::string> codes;
    if (r) {
      for (const auto& e : *r) codes.push_back(e.result_code);
    }
    return codes;
  }

  WorkloadSpec Spec(size_t transactions, size_t signers) const {
    WorkloadSpec s;
    s.transactions = transactions;
    s.signers = signers;
    s.tag = "T7Q";
    s.now_ms = now_;
    s.customs_nonce = 1000;
    s.ior_salt = *core::FromHex("00ff");
    return s;
  }

  int64_t now_ = *trade::ParseInstant("2026-11-29T10:00:00Z");
  crypto::KeyPair validator_ = crypto::KeyPair::Generate();
  crypto::KeyPair customs_ = crypto::KeyPair::Generate();
  storage::MemoryStore store_;
  node::LedgerStore ledger_{store_};
  node::Genesis genesis_;
  std::unique_ptr<node::Chain> chain_;
};

TEST_F(BenchWorkloadTest, EveryTransactionDecodesVerifiesAndKeepsNonceOrder) {
  Workload w = BuildWorkload(Spec(300, 30), genesis_.chain_id, customs_);
  std::vector<const ledger::SignedTransaction*> all;
  for (const auto& phase : w.setup) {
    for (const auto& tx : phase) all.push_back(&tx);
  }
  std::map<TxKind, size_t> kinds;
  for (const auto& m : w.measured) {
    all.push_back(&m.tx);
    ++kinds[m.kind];
  }
  EXPECT_EQ(kinds[TxKind::kCert], 100u);
  EXPECT_EQ(kinds[TxKind::kEntry], 100u);
  EXPECT_EQ(kinds[TxKind::kLicence], 100u);
  std::set<std::string> ids;
  std::map<std::string, uint64_t> last_nonce;
  for (const auto* tx : all) {
    auto decoded = ledger::SignedTransaction::Decode(tx->envelope());
    ASSERT_TRUE(decoded) << decoded.error().ToString();
    EXPECT_TRUE(decoded->VerifySignature());
    EXPECT_EQ(decoded->id(), tx->id());
    EXPECT_EQ(decoded->payload().chain_id, genesis_.chain_id);
    EXPECT_TRUE(
        json::parse(core::AsStringView(decoded->payload().body), nullptr, false).is_object());
    EXPECT_TRUE(ids.insert(tx->id().hex()).second) << "duplicate transaction";
    uint64_t& last = last_nonce[tx->signer().hex()];
    EXPECT_GT(tx->payload().nonce, last) << tx->payload().type;
    last = tx->payload().nonce;
  }
  std::set<uint32_t> signers;
  for (const auto& m : w.measured) signers.insert(m.signer);
  EXPECT_EQ(signers.size(), 30u);
}

TEST_F(BenchWorkloadTest, EveryTransactionExecutesOkInOrder) {
  // 200 signers per kind need 4 organisations per role (63 measured keys each at most).
  Workload w = BuildWorkload(Spec(900, 600), genesis_.chain_id, customs_);
  EXPECT_EQ(w.groups, 4u);
  for (const auto& phase : w.setup) {
    for (const std::string& code : Commit(phase)) ASSERT_EQ(code, "OK");
  }
  std::vector<ledger::SignedTransaction> block;
  for (const auto& m : w.measured) {
    if (m.kind == TxKind::kEntry) {
      json body = json::parse(core::AsStringView(m.tx.payload().body));
      EXPECT_EQ(body["lines"].size(), 5u);
    }
    block.push_back(m.tx);
    if (block.size() == 300) {
      for (const std::string& code : Commit(std::move(block))) ASSERT_EQ(code, "OK");
      block.clear();
    }
  }
  EXPECT_TRUE(block.empty());
  // Every line's preference claim cites a certification that covers it: all accepted.
  size_t claims = 0;
  for (const auto& m : w.measured) {
    if (m.kind != TxKind::kEntry) continue;
    json body = json::parse(core::AsStringView(m.tx.payload().body));
    for (const json& line : body["lines"]) {
      std::string id = body["entryNumber"].get<std::string>() + "#" + line["lineNo"].dump();
      auto claim = trade::LoadClaim(ledger_.flat_state(), id);
      ASSERT_TRUE(claim && *claim) << id;
      EXPECT_EQ((**claim)["state"], "ACCEPTED") << (**claim).dump();
      ++claims;
    }
  }
  EXPECT_EQ(claims, 1500u);
}

TEST_F(BenchWorkloadTest, IsDeterministicForATag) {
  WorkloadSpec spec = Spec(30, 6);
  Workload a = BuildWorkload(spec, genesis_.chain_id, customs_);
  Workload b = BuildWorkload(spec, genesis_.chain_id, customs_);
  spec.tag = "T7R";
  Workload c = BuildWorkload(spec, genesis_.chain_id, customs_);
  ASSERT_EQ(a.measured.size(), 30u);
  for (size_t i = 0; i < a.measured.size(); ++i) {
    EXPECT_EQ(a.measured[i].tx.id(), b.measured[i].tx.id());
    EXPECT_NE(a.measured[i].tx.signer(), c.measured[i].tx.signer());
  }
}

TEST_F(BenchWorkloadTest, CommittedIdsAreTheSetupAndTheMeasuredSeenCommitted) {
  Workload w = BuildWorkload(Spec(30, 6), genesis_.chain_id, customs_);
  RunResult r;
  r.tx.resize(w.measured.size());
  r.tx[3].commit_ns = 1'000;
  r.tx[7].commit_ns = 0;
  r.tx[8].code = "SUBMIT_FAILED HTTP_CONNECT_FAILED";  // never committed
  std::vector<std::string> expected;
  for (const auto& phase : w.setup) {
    for (const auto& tx : phase) expected.push_back(tx.id().hex());
  }
  ASSERT_FALSE(expected.empty());
  expected.push_back(w.measured[3].tx.id().hex());
  expected.push_back(w.measured[7].tx.id().hex());
  std::string want;
  for (const auto& id : expected) want += id + "\n";
  EXPECT_EQ(CommittedIds(w, r), want);
}

}  // namespace
}  // namespace tradeledger::cli::bench
