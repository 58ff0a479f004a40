// Machine limits for the figures in doc/performance.md: Ed25519 signing and verification (one
// thread and all cores) and SHA-256 throughput.
#include <benchmark/benchmark.h>

#include "crypto/ed25519.h"
#include "crypto/sha256.h"

namespace tradeledger::crypto {
namespace {

void BM_Ed25519Sign(benchmark::State& state) {
  KeyPair key = KeyPair::Generate();
  core::Bytes msg(200, 7);
  for (auto _ : state) benchmark::DoNotOptimize(Sign(key.secret_key, msg));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Sign);

void BM_Ed25519Verify(benchmark::State& state) {
  KeyPair key = KeyPair::Generate();
  core::Bytes msg(200, 7);
  Signature sig = Sign(key.secret_key, msg);
  for (auto _ : state) benchmark::DoNotOptimize(Verify(key.public_key, msg, sig));
  state.SetItemsProcessed(state.iterations());
}
// Threads(2) runs one verifier per core: items_per_second is then the all-core rate.
BENCHMARK(BM_Ed25519Verify)->Threads(1)->Threads(2)->UseRealTime();

void BM_Sha256(benchmark::State& state) {
  core::Bytes data(static_cast<size_t>(state.range(0)), 0x5a);
  for (auto _ : state) benchmark::DoNotOptimize(Sha256Of(data));
  state.SetBytesProcessed(state.iterations() * state.range(0));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256)->Arg(64)->Arg(1024)->Arg(1 << 20);

}  // namespace
}  // namespace tradeledger::crypto

BENCHMARK_MAIN();
