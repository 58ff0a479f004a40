// Ledger hot paths: envelope decoding, block commit (execution, state tree, one synced RocksDB
// write) and the data disk's synced-write rate, the bound on blocks per second.
#include <benchmark/benchmark.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "crypto/sha256.h"
#include "node/chain.h"
#include "node/ledger_store.h"
#include "storage/rocksdb_store.h"

namespace tradeledger {
namespace {

std::string TempDir(const char* tag) {
  auto dir = std::filesystem::temp_directory_path() /
             ("tl-bench-" + std::to_string(::getpid()) + "-" + tag);
  std::filesystem::remove_all(dir);
  return dir.string();
}

ledger::SignedTransaction Anchor(const ledger::ChainId& chain, const crypto::KeyPair& key,
                                 uint64_t nonce) {
  ledger::TxPayload p;
  p.chain_id = chain;
  p.type = "document.anchor";
  p.nonce = nonce;
  p.body = core::ToBytes(nlohmann::json{
      {"docId", "BENCH-" + std::to_string(nonce)},
      {"docType", "CERT_OF_ORIGIN"},
      {"contentHash", crypto::Sha256Of(core::AsBytes("invoice " + std::to_string(nonce))).hex()},
      {"issuer", "BENCH EXPORTER S.A."},
      {"metadata", {{"agreement", "USMCA"}}}}
                             .dump());
  return ledger::SignedTransaction::Sign(p, key);
}

void BM_DecodeEnvelope(benchmark::State& state) {
  auto tx = Anchor({}, crypto::KeyPair::Generate(), 1);
  for (auto _ : state) benchmark::DoNotOptimize(ledger::SignedTransaction::Decode(tx.envelope()));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_DecodeEnvelope);

// One synced empty write per iteration: the fsyncs per second of the data disk.
void BM_SyncedWrite(benchmark::State& state) {
  std::string dir = TempDir("fsync");
  auto store = storage::RocksDbStore::Open(dir, {});
  if (!store) {
    state.SkipWithError(store.error().ToString().c_str());
    return;
  }
  uint64_t i = 0;
  for (auto _ : state) {
    storage::WriteBatch batch;
    core::Bytes key = core::ToBytes("k" + std::to_string(i++));
    batch.Put(key, key);
    benchmark::DoNotOptimize((*store)->Write(batch, {.sync = true}));
  }
  state.SetItemsProcessed(state.iterations());
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_SyncedWrite)->UseRealTime();

// Commits blocks of range(0) pre-signed document anchors on RocksDB (execution, state tree,
// log, index, one synced write per block). Signatures were checked on admission, as in the node.
void BM_BlockCommit(benchmark::State& state) {
  const size_t per_block = static_cast<size_t>(state.range(0));
  std::string dir = TempDir("commit");
  auto store = storage::RocksDbStore::Open(dir, node::NodeStoreOptions());
  if (!store) {
    state.SkipWithError(store.error().ToString().c_str());
    return;
  }
  crypto::KeyPair validator = crypto::KeyPair::Generate();
  auto genesis = node::Genesis::Parse(
      node::Genesis::Render("bench", core::TimestampMs(1), {{"v", validator.public_key}}));
  node::LedgerStore ledger(**store);
  auto chain = node::Chain::Open(ledger, *genesis);
  crypto::KeyPair client = crypto::KeyPair::Generate();
  uint64_t nonce = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<ledger::SignedTransaction> txs;
    for (size_t i = 0; i < per_block; ++i)
      txs.push_back(Anchor(genesis->chain_id, client, ++nonce));
    ledger::StoredBlock block;
    block.header = (*chain)->BuildHeader(txs, core::TimestampMs(2), validator.public_key);
    block.transactions = std::move(txs);
    block.certificate.height = block.header.height;
    block.certificate.block_hash = block.header.Hash();
    block.certificate.AddSignature(genesis->chain_id, validator);
    state.ResumeTiming();
    auto r = (*chain)->Commit(block, /*verify_signatures=*/false);
    if (!r) state.SkipWithError(r.error().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(per_block));
  chain->reset();
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_BlockCommit)
    ->Arg(1)
    ->Arg(100)
    ->Arg(1000)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tradeledger

BENCHMARK_MAIN();
