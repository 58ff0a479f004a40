// growth_bench (scenario f): timed reads over HTTP against the running node.
//
// Four kinds of request, each over its own uniformly random sample of the whole history, one
// at a time on one kept-alive connection, timed from just before the request is written until
// the whole response is read (the client signs before the clock starts; the node's check of
// the signature is inside the time):
//   document read (customs)  GET /v1/documents/{id} signed by the customs administrator, who
//                            may read every document; the node logs each such read in its read
//                            audit log (one synced RocksDB write), as it must;
//   document read (owner)    the same, signed by the member key that anchored it (not logged);
//   inclusion proof          GET /v1/proofs/inclusion/{tx id} (unsigned);
//   state proof              GET /v1/state/proof?key=doc/{id}, signed by customs.
// The first proof of each kind is verified offline (node::VerifyBundle) against the chain's
// validators file, so that the figures are for proofs that check.
//
// Thread safety: plain functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bench/growth_bench_build.h"
#include "cli/bench_stats.h"
#include "core/result.h"
#include "ledger/ids.h"

namespace tradeledger::bench {

// Independent uniform samples, one per kind, so that no kind reads what another just read.
struct ReadTargets {
  std::vector<uint64_t> customs_docs;  // anchor indexes (documents)
  std::vector<uint64_t> owner_docs;
  std::vector<uint64_t> state_docs;
  std::vector<ledger::TxId> tx_ids;  // committed anchors
};

// Picks `count` targets of each kind with a fixed seed: documents uniformly over every anchor,
// transactions uniformly from the manifest's sample (so nothing is read from the store first,
// which would warm its caches for the very reads to be timed). At most kSampledTxIds
// transactions (GROWTH_MANIFEST if the sample is empty).
core::Result<ReadTargets> PickTargets(const GrowthManifest& m, size_t count, uint64_t seed);

struct ReadKind {
  std::string name;
  cli::bench::LatencySummary latency;  // successful requests, ms
  size_t errors = 0;
  std::string first_error;
  double mean_response_bytes = 0;
  std::string verified;  // what VerifyBundle said about the first proof, for proof kinds
};

core::Result<std::vector<ReadKind>> MeasureReads(const GrowthPaths& paths, const GrowthManifest& m,
                                                 uint16_t http_port, const ReadTargets& targets);

}  // namespace tradeledger::bench
