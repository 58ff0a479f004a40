// The CI seed sweep, the liveness bound and fixed scenarios of the simulator.
//
// The sweep is split into chunks (one ctest entry each) so `ctest -j` runs them in parallel.
// TL_SIM_SEED_BASE shifts every seed (to explore new seeds without editing this file).
#include <gtest/gtest.h>

#include <cstdlib>
#include <ostream>
#include <string>
#include <utility>

#include "simulation.h"

namespace tradeledger::sim {
namespace {

uint64_t SeedBase() {
  const char* base = std::getenv("TL_SIM_SEED_BASE");
  return base ? std::strtoull(base, nullptr, 10) : 0;
}

struct Chunk {
  uint32_t n;
  uint32_t byzantine;
  uint64_t first_seed;
  uint64_t seeds;
  // The node's idle rule (heartbeat 250 ms, half the base timeout) with sparse client load
  // (a batch a second), so that idle views, heartbeats and owed empty blocks all occur.
  bool idle = false;
  // Validator set changes during the fault phase (SimOptions::validator_changes).
  uint32_t validator_changes = 0;
  // Leaders pace batches smaller than a block (SimOptions::min_block_interval_ms, ADR 0037).
  uint64_t pacing_ms = 0;
};

void PrintTo(const Chunk& c, std::ostream* os) {
  *os << "n=" << c.n << " byzantine=" << c.byzantine << " seeds " << c.first_seed << ".."
      << c.first_seed + c.seeds - 1 << " validator changes " << c.validator_changes << " pacing "
      << c.pacing_ms << " ms";
}

class SimSweep : public ::testing::TestWithParam<Chunk> {};

// Each seed: the full fault model during the fault phase, then the liveness check.
TEST_P(SimSweep, InvariantsHoldAndProgressResumesAfterHeal) {
  const Chunk c = GetParam();
  uint64_t wakes = 0;
  for (uint64_t s = c.first_seed; s < c.first_seed + c.seeds; ++s) {
    SimOptions o;
    o.seed = SeedBase() + s;
    o.n = c.n;
    o.byzantine = c.byzantine;
    if (c.idle) {
      o.idle_heartbeat_ms = 250;
      o.client_interval_ms = 1000;
    }
    o.validator_changes = c.validator_changes;
    o.min_block_interval_ms = c.pacing_ms;
    SimResult r = RunSimulation(o);
    ASSERT_TRUE(r.ok) << Summary(o, r);
    wakes += r.stats.pacing_wakes;
  }
  // The paced chunks did hold batches until their due time, not only propose them at once.
  if (c.pacing_ms > 0) {
    EXPECT_GT(wakes, 0u);
  }
}

// 240 seeds: 120 at n = 4 (f = 1) and 120 at n = 7 (f = 2). Seeds alternate between runs with
// f Byzantine replicas and runs with fewer, so crash/partition-only runs are covered too.
INSTANTIATE_TEST_SUITE_P(N4, SimSweep,
                         ::testing::Values(Chunk{4, 1, 1, 30}, Chunk{4, 1, 31, 30},
                                           Chunk{4, 0, 61, 30}, Chunk{4, 1, 91, 30}),
                         [](const auto& p) {
                           return "seeds_" + std::to_string(p.param.first_seed);
                         });
INSTANTIATE_TEST_SUITE_P(
    Idle, SimSweep, ::testing::Values(Chunk{4, 1, 2001, 30, true}, Chunk{7, 2, 3001, 20, true}),
    [](const auto& p) { return "seeds_" + std::to_string(p.param.first_seed); });
INSTANTIATE_TEST_SUITE_P(N7, SimSweep,
                         ::testing::Values(Chunk{7, 2, 1001, 30}, Chunk{7, 2, 1031, 30},
                                           Chunk{7, 1, 1061, 30}, Chunk{7, 2, 1091, 30}),
                         [](const auto& p) {
                           return "seeds_" + std::to_string(p.param.first_seed);
                         });

// Validator set changes under the full fault model (crashes at writes included): customs
// submits two validator.set transactions; at n = 5 the first leaves one validator out.
INSTANTIATE_TEST_SUITE_P(Epochs, SimSweep,
                         ::testing::Values(Chunk{4, 1, 4001, 20, false, 2},
                                           Chunk{5, 1, 5001, 20, false, 2},
                                           Chunk{7, 2, 6001, 15, false, 2}),
                         [](const auto& p) {
                           return "seeds_" + std::to_string(p.param.first_seed);
                         });

// Pacing under the full fault model (ADR 0037): a leader holds a batch smaller than a block for
// up to 100 ms (a fifth of the base timeout), and is stepped at the due time as the node's loop
// wakes for it. The simulator checks that such a step proposes (simulation.cc, kPacingWake),
// beside every other invariant; views, parents and the mempool change under held batches.
INSTANTIATE_TEST_SUITE_P(
    Paced, SimSweep,
    ::testing::Values(Chunk{4, 1, 7001, 30, false, 0, 100}, Chunk{4, 1, 7101, 20, true, 0, 100},
                      Chunk{7, 2, 7201, 20, false, 0, 100}, Chunk{4, 1, 7301, 15, false, 2, 100}),
    [](const auto& p) { return "seeds_" + std::to_string(p.param.first_seed); });

// The stated liveness bound: with every fault stopped at the heal (Byzantine replicas still
// misbehaving), every correct replica executes a new block within 8 s of simulated time
// (160 mean network delays; about 2 + f view timeouts at the capped backoff).
TEST(SimLiveness, EveryCorrectReplicaCommitsWithinBoundAfterHeal) {
  for (uint32_t n : {4u, 7u}) {
    for (uint64_t s = 1; s <= 5; ++s) {
      SimOptions o;
      o.seed = SeedBase() + 500 + s;
      o.n = n;
      o.byzantine = (n - 1) / 3;
      o.liveness_bound_ms = 8000;
      SimResult r = RunSimulation(o);
      ASSERT_TRUE(r.ok) << Summary(o, r);
      EXPECT_LE(r.stats.recovery_ms, 8000u);
    }
  }
}

// Five seconds of a network without faults: no fault phase, loss, duplicates, partitions or
// crashes (clock skew as configured), and no liveness check, which needs a heal.
SimOptions FaultFree(uint64_t seed) {
  SimOptions o;
  o.seed = seed;
  o.fault_ms = 0;
  o.calm_ms = 5000;
  o.loss = o.duplicate = 0;
  o.partitions = o.crashes = false;
  o.liveness_bound_ms = 0;
  return o;
}

// Without faults every view commits: the chain grows steadily and nothing is rejected.
TEST(SimScenario, FaultFreeRunCommitsSteadily) {
  SimOptions o = FaultFree(7);
  SimResult r = RunSimulation(o);
  ASSERT_TRUE(r.ok) << Summary(o, r);
  EXPECT_GE(r.stats.min_height, 20u) << Summary(o, r);
  EXPECT_GT(r.stats.transactions_committed, 0u);
  EXPECT_TRUE(r.stats.rejections.empty());
}

// Pacing makes blocks larger under a steady trickle of transactions. With the node's idle rule,
// a 1-5 ms network and a transaction every 20 ms, a leader that proposes at once sends nearly
// every transaction in a block of its own (and the owed empty blocks after it); one that holds
// its batch for 100 ms sends several in each.
TEST(SimScenario, PacedLeadersProposeFewerLargerBlocks) {
  auto run = [](uint64_t pacing_ms) {
    SimOptions o = FaultFree(9);
    o.min_delay_ms = 1;
    o.max_delay_ms = 5;
    o.max_skew_ms = 0;
    o.idle_heartbeat_ms = 250;
    o.client_interval_ms = 20;
    o.txs_per_batch = 1;
    o.min_block_interval_ms = pacing_ms;
    return std::pair{o, RunSimulation(o)};
  };
  auto [o0, unpaced] = run(0);
  auto [o1, paced] = run(100);
  ASSERT_TRUE(unpaced.ok) << Summary(o0, unpaced);
  ASSERT_TRUE(paced.ok) << Summary(o1, paced);
  ASSERT_GT(unpaced.stats.max_height, 0u);
  ASSERT_GT(paced.stats.max_height, 0u);
  const double per_block_unpaced = static_cast<double>(unpaced.stats.transactions_committed) /
                                   static_cast<double>(unpaced.stats.max_height);
  const double per_block_paced = static_cast<double>(paced.stats.transactions_committed) /
                                 static_cast<double>(paced.stats.max_height);
  EXPECT_GT(per_block_paced, 2 * per_block_unpaced) << Summary(o0, unpaced) << "\n"
                                                    << Summary(o1, paced);
  EXPECT_GT(paced.stats.pacing_wakes, 0u);
  EXPECT_TRUE(paced.stats.rejections.empty());
}

// Byzantine input is rejected and counted, never crashes a correct replica.
TEST(SimScenario, ByzantineInputIsRejectedWithCountedReasons) {
  SimOptions o;
  o.seed = 11;
  o.n = 4;
  o.byzantine = 1;
  SimResult r = RunSimulation(o);
  ASSERT_TRUE(r.ok) << Summary(o, r);
  EXPECT_FALSE(r.stats.rejections.empty());
  EXPECT_EQ(r.stats.rejections.count("SAFETY_CONFLICTING_COMMIT"), 0u);
}

// Two validator set changes without other faults: every replica enters both epochs, the
// first change leaves one of five validators out, and the other four go on committing.
TEST(SimScenario, ValidatorSetChangesTakeEffectOnEveryReplica) {
  SimOptions o;
  o.seed = 21;
  o.n = 5;
  o.fault_ms = 3000;
  o.calm_ms = 4000;
  o.loss = o.duplicate = 0;
  o.partitions = o.crashes = false;
  o.validator_changes = 2;
  o.liveness_bound_ms = 0;  // run the whole calm phase rather than stop at the first block
  SimResult r = RunSimulation(o);
  ASSERT_TRUE(r.ok) << Summary(o, r);
  EXPECT_EQ(r.stats.max_epoch, 2u) << Summary(o, r);
  EXPECT_EQ(r.stats.removed, 1u) << Summary(o, r);
  EXPECT_GE(r.stats.min_height, 40u) << Summary(o, r);
  EXPECT_LE(r.stats.max_height - r.stats.min_height, 2u) << Summary(o, r);
}

// A crash at every one of a replica's first storage writes (safety state, locked blocks,
// block commits, the validator set change among them), each once with the write carried out
// and once without: the replica restarts from what it stored, nothing conflicts, and by the
// end of the calm phase every replica, the crashed one included, is within two blocks of the
// highest.
TEST(SimCrashPoints, EveryWriteOfAReplicaIsASafeCrashPoint) {
  for (uint64_t write = 1; write <= 48; ++write) {
    for (bool applied : {false, true}) {
      SimOptions o;
      o.seed = 31;
      o.fault_ms = 2000;
      o.calm_ms = 5000;
      o.loss = o.duplicate = 0;
      o.partitions = o.crashes = false;
      o.validator_changes = 1;
      o.crash_at_write = write;
      o.crash_replica = static_cast<uint32_t>(write % 4);
      o.crash_write_applied = applied;
      o.liveness_bound_ms = 0;  // the whole calm phase; caught up is checked below
      SimResult r = RunSimulation(o);
      ASSERT_TRUE(r.ok) << Summary(o, r);
      EXPECT_EQ(r.stats.max_epoch, 1u) << Summary(o, r);
      EXPECT_GE(r.stats.min_height, 20u) << Summary(o, r);
      EXPECT_LE(r.stats.max_height - r.stats.min_height, 2u) << Summary(o, r);
    }
  }
}

// The same seed gives the same run.
TEST(SimScenario, SeedsReplayExactly) {
  SimOptions o;
  o.seed = 3;
  o.byzantine = 1;
  SimResult a = RunSimulation(o);
  SimResult b = RunSimulation(o);
  EXPECT_EQ(a.stats.steps, b.stats.steps);
  EXPECT_EQ(a.stats.bytes, b.stats.bytes);
  EXPECT_EQ(a.stats.max_height, b.stats.max_height);
}

}  // namespace
}  // namespace tradeledger::sim
