// Benchmarks of the state tree: batch updates into a large tree, the stored form of the pages
// written, building a tree's pages from its values alone, proving, verifying.
//
// The tree is built once per size (Key(0..n-1), 32-byte values) in a MemoryNodeStore and
// shared by every benchmark. ApplyUpdates always starts from the same base root and discards
// its writes, so each iteration measures one 1,000-key batch (half updates of existing keys,
// half inserts of new keys) against an n-key tree.
#include <benchmark/benchmark.h>

#include <map>
#include <memory>
#include <random>
#include <string>
#include <unordered_map>

#include "state/state_proof.h"
#include "state/state_tree.h"

namespace tradeledger::state {
namespace {

using core::Bytes;
using core::Hash32;

Bytes Key(uint64_t i) { return core::ToBytes("key-" + std::to_string(i)); }
Bytes Value(uint64_t i) {
  Bytes v(32, 0);
  for (size_t b = 0; b < 8; ++b) v[b] = static_cast<uint8_t>(i >> (8 * b));
  return v;
}

struct BenchTree {
  MemoryNodeStore store;
  Hash32 root = kEmptyRoot;
  uint64_t size = 0;
};

const BenchTree& TreeOfSize(uint64_t n) {
  static std::map<uint64_t, std::unique_ptr<BenchTree>> trees;
  auto& slot = trees[n];
  if (!slot) {
    slot = std::make_unique<BenchTree>();
    slot->size = n;
    constexpr uint64_t kChunk = 100'000;
    for (uint64_t start = 0; start < n; start += kChunk) {
      std::vector<StateUpdate> updates;
      for (uint64_t i = start; i < std::min(n, start + kChunk); ++i) {
        updates.push_back({Key(i), Value(i)});
      }
      std::vector<NodeWrite> writes;
      auto root = ApplyUpdates(slot->store, slot->root, std::move(updates), &writes);
      if (!root) std::abort();
      slot->store.PutAll(writes);
      slot->root = *root;
    }
  }
  return *slot;
}

void BM_ApplyUpdates(benchmark::State& state) {
  const BenchTree& tree = TreeOfSize(static_cast<uint64_t>(state.range(0)));
  const uint64_t batch = static_cast<uint64_t>(state.range(1));
  std::mt19937_64 rng(1);
  uint64_t next_new = tree.size;
  size_t nodes_written = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<StateUpdate> updates;
    updates.reserve(batch);
    for (uint64_t i = 0; i < batch / 2; ++i) {
      // Existing keys may repeat within a batch; offset them to keep keys unique.
      updates.push_back({Key((rng() % (tree.size / batch)) * batch + i), Value(rng())});
    }
    for (uint64_t i = batch / 2; i < batch; ++i) updates.push_back({Key(next_new++), Value(i)});
    std::vector<NodeWrite> writes;
    state.ResumeTiming();
    auto root = ApplyUpdates(tree.store, tree.root, std::move(updates), &writes);
    benchmark::DoNotOptimize(root);
    nodes_written += writes.size();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(batch));
  state.counters["nodes_written_per_batch"] =
      static_cast<double>(nodes_written) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ApplyUpdates)->Args({1'000'000, 1'000})->Unit(benchmark::kMillisecond);

// The pages of one tree and nothing else: what a node would hold if it kept its state tree in
// memory and only the flat values on disk (ADR 0038). Updates read pages and never a leaf
// (ADR 0031), so a tree of two or more keys updates over this alone.
class PagesOnly : public NodeReader {
 public:
  core::Result<std::optional<Bytes>> Get(const Hash32& node_hash) const override {
    auto it = pages_.find(node_hash);
    if (it == pages_.end()) return std::optional<Bytes>();
    return std::optional<Bytes>(it->second);
  }
  // Keeps the pages among `writes` and drops the `stale` ones.
  void Apply(std::vector<NodeWrite>& writes, const std::vector<Hash32>& stale) {
    for (const Hash32& h : stale) pages_.erase(h);
    for (NodeWrite& w : writes) {
      if (IsPageEncoding(w.encoded)) pages_.emplace(w.hash, std::move(w.encoded));
    }
  }
  size_t pages() const { return pages_.size(); }
  // The pages' encodings, summed.
  size_t bytes() const {
    size_t sum = 0;
    for (const auto& [hash, encoded] : pages_) sum += encoded.size();
    return sum;
  }

 private:
  std::unordered_map<Hash32, Bytes, core::DigestHash> pages_;
};

// Builds an n-key tree from nothing in batches of 100,000 keys, keeping only its pages: what a
// node keeping its tree in memory would do at start, from its flat values (ADR 0038). Reports
// the time of the whole build and what the pages take (their full encodings, without the
// hash table's own overhead).
void BM_BuildPagesFromValues(benchmark::State& state) {
  const uint64_t n = static_cast<uint64_t>(state.range(0));
  constexpr uint64_t kChunk = 100'000;
  size_t pages = 0, bytes = 0;
  for (auto _ : state) {
    PagesOnly tree;
    Hash32 root = kEmptyRoot;
    for (uint64_t start = 0; start < n; start += kChunk) {
      std::vector<StateUpdate> updates;
      for (uint64_t i = start; i < std::min(n, start + kChunk); ++i) {
        updates.push_back({Key(i), Value(i)});
      }
      std::vector<NodeWrite> writes;
      std::vector<Hash32> stale;
      auto next = ApplyUpdates(tree, root, std::move(updates), &writes, &stale);
      if (!next) {
        state.SkipWithError(next.error().ToString().c_str());
        return;
      }
      tree.Apply(writes, stale);
      root = *next;
    }
    state.PauseTiming();
    pages = tree.pages();
    bytes = tree.bytes();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
  state.counters["pages"] = static_cast<double>(pages);
  state.counters["page_bytes"] = static_cast<double>(bytes);
  state.counters["page_bytes_per_key"] = static_cast<double>(bytes) / static_cast<double>(n);
}
BENCHMARK(BM_BuildPagesFromValues)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

// What a block's commit does to each page it writes (node::LedgerStore::AddStateTree): the
// full page form ApplyUpdates produces, converted to the stored form (ADR 0036). Arg 0: by
// decoding the page and encoding it again; arg 1: StoredNodeEncoding's one pass over the
// bytes. The pages are those a 1,000-key batch writes into a 1,000,000-key tree.
void BM_StoredNodeEncoding(benchmark::State& state) {
  const BenchTree& tree = TreeOfSize(1'000'000);
  std::vector<StateUpdate> updates;
  for (uint64_t i = 0; i < 1'000; ++i) updates.push_back({Key(i * 997), Value(i + 1)});
  std::vector<NodeWrite> writes;
  if (!ApplyUpdates(tree.store, tree.root, std::move(updates), &writes)) std::abort();
  std::vector<const NodeWrite*> pages;
  for (const NodeWrite& w : writes) {
    if (IsPageEncoding(w.encoded)) pages.push_back(&w);
  }
  const bool by_decoding = state.range(0) == 0;
  size_t i = 0;
  for (auto _ : state) {
    const NodeWrite& page = *pages[i++ % pages.size()];
    if (by_decoding) {
      auto node = DecodeVerifiedNode(page.hash, page.encoded);
      if (!node) std::abort();
      benchmark::DoNotOptimize(EncodeStoredPage(std::get<PageNode>(*node)));
    } else {
      benchmark::DoNotOptimize(StoredNodeEncoding(page.encoded));
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["pages"] = static_cast<double>(pages.size());
}
BENCHMARK(BM_StoredNodeEncoding)->Arg(0)->Arg(1);

void BM_Prove(benchmark::State& state) {
  const BenchTree& tree = TreeOfSize(static_cast<uint64_t>(state.range(0)));
  std::mt19937_64 rng(2);
  for (auto _ : state) {
    // Two keys in three are present.
    auto proof = Prove(tree.store, tree.root, Key(rng() % (tree.size * 3 / 2)));
    benchmark::DoNotOptimize(proof);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Prove)->Arg(1'000'000);

void BM_VerifyStateProof(benchmark::State& state) {
  const BenchTree& tree = TreeOfSize(static_cast<uint64_t>(state.range(0)));
  std::vector<StateProof> proofs;
  for (uint64_t i = 0; i < 1024; ++i) {
    proofs.push_back(*Prove(tree.store, tree.root, Key(i * 1'315'423'911u % (tree.size * 3 / 2))));
  }
  size_t i = 0;
  for (auto _ : state) {
    auto status = VerifyStateProof(proofs[i++ % proofs.size()], tree.root);
    if (!status) state.SkipWithError("proof rejected");
    benchmark::DoNotOptimize(status);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyStateProof)->Arg(1'000'000);

void BM_DecodeStateProof(benchmark::State& state) {
  const BenchTree& tree = TreeOfSize(static_cast<uint64_t>(state.range(0)));
  core::Bytes encoded = Prove(tree.store, tree.root, Key(12345))->Encode();
  for (auto _ : state) {
    auto proof = StateProof::Decode(encoded);
    benchmark::DoNotOptimize(proof);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(encoded.size()));
}
BENCHMARK(BM_DecodeStateProof)->Arg(1'000'000);

}  // namespace
}  // namespace tradeledger::state

BENCHMARK_MAIN();
