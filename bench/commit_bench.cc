// Block commit of `tradeledger bench`'s realistic mix (cli/bench_workload.h: certifications,
// entries claiming preference, licences) on RocksDB, as a validator commits it: execution,
// state tree, pruning, log, index and one synced write per block, signatures checked on
// admission. This is most of what a validator spends per transaction (doc/performance.md,
// "What limits throughput"); the end-to-end figure comes from `tradeledger bench`.
//
// Each benchmark commits a whole workload once, in blocks of range(0) transactions, on a fresh
// data directory after the workload's setup: the per-transaction time covers a state that
// grows from the setup to range(1) measured transactions. range(2) = 0 runs the chain without
// its in-memory record of recent node writes, so that state pruning reads back the birth of
// every node it deletes, as before ADR 0028 (pruning starts once 128 heights exist).
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli/bench_workload.h"
#include "node/chain.h"
#include "node/ledger_store.h"
#include "storage/rocksdb_store.h"
#include "trade/participants.h"
#include "trade/time_util.h"

namespace tradeledger {
namespace {

class MixChain {
 public:
  MixChain(std::string dir, node::ChainOptions options) : dir_(std::move(dir)) {
    std::filesystem::remove_all(dir_);
    nlohmann::ordered_json extra;
    extra["customs_authority"] = trade::RenderCustomsAuthority({.admin_key = customs_.public_key});
    extra["ior_salt"] = "00ff";
    auto genesis = node::Genesis::Parse(node::Genesis::Render(
        "bench", core::TimestampMs(now_ - 86'400'000), {{"v1", validator_.public_key}}, extra));
    TL_CHECK(genesis.has_value());
    genesis_ = *genesis;
    auto store = storage::RocksDbStore::Open(dir_, node::NodeStoreOptions());
    TL_CHECK(store.has_value());
    store_ = std::move(*store);
    ledger_ = std::make_unique<node::LedgerStore>(*store_);
    auto chain = node::Chain::Open(*ledger_, genesis_, options);
    TL_CHECK(chain.has_value());
    chain_ = std::move(*chain);
  }
  ~MixChain() {
    chain_.reset();
    ledger_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  cli::bench::Workload Workload(size_t transactions) const {
    cli::bench::WorkloadSpec spec;
    spec.transactions = transactions;
    spec.tag = "CB1";
    spec.now_ms = now_;
    spec.customs_nonce = 1;
    spec.ior_salt = *core::FromHex("00ff");
    return cli::bench::BuildWorkload(spec, genesis_.chain_id, customs_);
  }

  ledger::StoredBlock Block(std::vector<ledger::SignedTransaction> txs) const {
    ledger::StoredBlock b;
    b.header = chain_->BuildHeader(txs, core::TimestampMs(now_), validator_.public_key);
    b.transactions = std::move(txs);
    b.certificate.height = b.header.height;
    b.certificate.view = core::View(b.header.height.value);
    b.certificate.block_hash = b.header.Hash();
    b.certificate.AddSignature(genesis_.chain_id, validator_);
    return b;
  }

  // Commits `block`; false (with the reason in `error`) if it fails or a result is not OK.
  node::WriteVolume written() const { return chain_->written(); }

  bool Commit(const ledger::StoredBlock& block, std::string& error) {
    auto r = chain_->Commit(block, /*verify_signatures=*/false);
    if (!r) {
      error = r.error().ToString();
      return false;
    }
    for (const node::TxIndexEntry& e : *r) {
      if (e.result_code != "OK") {
        error = "a transaction executed " + e.result_code;
        return false;
      }
    }
    return true;
  }

 private:
  std::string dir_;
  int64_t now_ = *trade::ParseInstant("2026-11-29T10:00:00Z");
  crypto::KeyPair validator_ = crypto::KeyPair::Generate();
  crypto::KeyPair customs_ = crypto::KeyPair::Generate();
  node::Genesis genesis_;
  std::unique_ptr<storage::RocksDbStore> store_;
  std::unique_ptr<node::LedgerStore> ledger_;
  std::unique_ptr<node::Chain> chain_;
};

void BM_CommitMix(benchmark::State& state) {
  const size_t per_block = static_cast<size_t>(state.range(0));
  const size_t total = static_cast<size_t>(state.range(1));
  node::ChainOptions options;
  if (state.range(2) == 0) options.recent_writes_limit = 0;
  std::unique_ptr<MixChain> owner;
  // What the chains had written before and after their measured blocks, over all iterations.
  node::WriteVolume before, after;
  for (auto _ : state) {
    state.PauseTiming();
    owner = std::make_unique<MixChain>(
        std::filesystem::temp_directory_path() / ("tl-commit-bench-" + std::to_string(::getpid())),
        options);
    MixChain& chain = *owner;
    cli::bench::Workload w = chain.Workload(total);
    std::string error;
    for (auto& phase : w.setup) {
      if (!chain.Commit(chain.Block(std::move(phase)), error)) {
        state.SkipWithError(("setup: " + error).c_str());
        return;
      }
    }
    std::vector<std::vector<ledger::SignedTransaction>> blocks;
    for (size_t i = 0; i < w.measured.size(); i += per_block) {
      std::vector<ledger::SignedTransaction> txs;
      for (size_t j = i; j < std::min(i + per_block, w.measured.size()); ++j) {
        txs.push_back(std::move(w.measured[j].tx));
      }
      blocks.push_back(std::move(txs));
    }
    before += chain.written();
    state.ResumeTiming();
    for (auto& txs : blocks) {
      // Building the header is the proposer's work, not the commit's, but cheap (the log
      // append of the ids); it is timed here for simplicity.
      if (!chain.Commit(chain.Block(std::move(txs)), error)) {
        state.SkipWithError(error.c_str());
        return;
      }
    }
    after += chain.written();  // ten counters copied: negligible inside the timing
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(total));
  // What the node writes per transaction: for a block size, steady between runs to the fifth
  // digit (the keys are generated afresh), unlike the time (doc/performance.md, "What a
  // transaction costs the disk").
  const double txs = static_cast<double>(state.iterations() * total);
  auto per_tx = [&](uint64_t end, uint64_t start) {
    return static_cast<double>(end - start) / txs;
  };
  state.counters["state_keys_per_tx"] = per_tx(after.state_values.ops, before.state_values.ops);
  state.counters["tree_objects_per_tx"] = per_tx(after.state_tree.ops, before.state_tree.ops);
  state.counters["tree_bytes_per_tx"] = per_tx(after.state_tree.bytes, before.state_tree.bytes);
}
BENCHMARK(BM_CommitMix)
    ->Args({25, 30'000, 1})
    ->Args({200, 30'000, 1})
    ->Args({2'000, 30'000, 1})
    ->Args({200, 60'000, 1})
    ->Args({200, 60'000, 0})
    ->Iterations(1)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tradeledger

BENCHMARK_MAIN();
