// Benchmarks of the RFC 9162 Merkle log (src/ledger/merkle_log.h) at a log of one million
// transactions held in MemoryLogNodes. The size is deliberately not a power of two, so proofs
// include ragged right-edge subtrees that are assembled from several stored nodes.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ledger/merkle.h"
#include "ledger/merkle_log.h"

namespace tradeledger::ledger {
namespace {

constexpr uint64_t kLogSize = 1'000'000;

Hash32 TestLeaf(uint64_t i) { return LeafHash(core::AsBytes("transaction " + std::to_string(i))); }

struct Fixture {
  std::vector<Hash32> leaves;
  MerkleLog log;
  MemoryLogNodes nodes;
};

// Built once, on first use, and shared by every benchmark.
const Fixture& MillionLeafLog() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture;
    f->leaves.reserve(kLogSize);
    std::vector<LogNode> batch;
    batch.reserve(2 * kLogSize);
    for (uint64_t i = 0; i < kLogSize; ++i) {
      f->leaves.push_back(TestLeaf(i));
      f->log.Append(f->leaves.back(), &batch);
    }
    f->nodes.Add(batch);
    return f;
  }();
  return *fixture;
}

// Appending one leaf to a growing log: hashing only (about two hashes per leaf on average).
void BM_Append(benchmark::State& state) {
  MerkleLog log;
  std::vector<LogNode> batch;
  const Hash32 leaf = TestLeaf(0);
  for (auto _ : state) {
    batch.clear();
    log.Append(leaf, &batch);
    benchmark::DoNotOptimize(batch.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Append);

// Appending and storing the new nodes, as a node does per committed transaction.
void BM_AppendAndStore(benchmark::State& state) {
  MerkleLog log;
  MemoryLogNodes nodes;
  std::vector<LogNode> batch;
  uint64_t i = 0;
  for (auto _ : state) {
    batch.clear();
    log.Append(TestLeaf(i++), &batch);
    nodes.Add(batch);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendAndStore);

void BM_ProveInclusion(benchmark::State& state) {
  const Fixture& f = MillionLeafLog();
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto proof = ProveInclusion(rng() % kLogSize, kLogSize, f.nodes);
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ProveInclusion);

void BM_VerifyInclusion(benchmark::State& state) {
  const Fixture& f = MillionLeafLog();
  const Hash32 root = f.log.Root();
  std::mt19937_64 rng(2);
  std::vector<InclusionProof> proofs;
  for (int i = 0; i < 1024; ++i)
    proofs.push_back(*ProveInclusion(rng() % kLogSize, kLogSize, f.nodes));
  size_t next = 0;
  for (auto _ : state) {
    const InclusionProof& proof = proofs[next++ % proofs.size()];
    auto status = VerifyInclusion(f.leaves[proof.leaf_index], proof, root);
    if (!status) state.SkipWithError("inclusion proof did not verify");
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyInclusion);

void BM_ProveConsistency(benchmark::State& state) {
  const Fixture& f = MillionLeafLog();
  std::mt19937_64 rng(3);
  for (auto _ : state) {
    auto proof = ProveConsistency(1 + rng() % (kLogSize - 1), kLogSize, f.nodes);
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ProveConsistency);

void BM_VerifyConsistency(benchmark::State& state) {
  const Fixture& f = MillionLeafLog();
  const Hash32 new_root = f.log.Root();
  std::mt19937_64 rng(4);
  struct Case {
    ConsistencyProof proof;
    Hash32 old_root;
  };
  std::vector<Case> cases;
  for (int i = 0; i < 256; ++i) {
    const uint64_t old_size = 1 + rng() % (kLogSize - 1);
    cases.push_back({*ProveConsistency(old_size, kLogSize, f.nodes), *RootAt(old_size, f.nodes)});
  }
  size_t next = 0;
  for (auto _ : state) {
    const Case& c = cases[next++ % cases.size()];
    auto status = VerifyConsistency(c.proof, c.old_root, new_root);
    if (!status) state.SkipWithError("consistency proof did not verify");
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyConsistency);

// Recovery after a restart: rebuild the frontier from storage.
void BM_Restore(benchmark::State& state) {
  const Fixture& f = MillionLeafLog();
  for (auto _ : state) {
    auto log = MerkleLog::Restore(kLogSize, f.nodes);
    benchmark::DoNotOptimize(log);
  }
}
BENCHMARK(BM_Restore);

}  // namespace
}  // namespace tradeledger::ledger

BENCHMARK_MAIN();
