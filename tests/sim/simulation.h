// The deterministic network simulator (doc/simulation.md).
//
// One thread, one seed. n replicas run the real consensus core over the real node::Chain
// (real Ed25519 signatures, real execution of every committed block). Time is simulated: an
// event queue ordered by (time, sequence) delivers messages, fires timers, submits client
// transactions, crashes and restarts replicas and starts and heals partitions. Every random
// choice comes from one SplitMix64 stream seeded by SimOptions::seed, so a seed replays
// exactly.
//
// A run has a fault phase (loss, duplication, reordering, partitions, crashes, clock skew,
// Byzantine replicas) followed by a calm phase (the network heals, crashed replicas restart;
// Byzantine replicas keep misbehaving). Invariants are checked after every step; liveness is
// checked at the end of the calm phase.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "byzantine.h"

namespace tradeledger::sim {

struct SimOptions {
  uint64_t seed = 1;
  uint32_t n = 4;
  // Byzantine replicas (at most f = (n-1)/3); chosen by the seed.
  uint32_t byzantine = 0;
  ByzantineBehaviours behaviours;
  // Simulated duration of the fault phase and of the calm phase that follows, in ms.
  uint64_t fault_ms = 8000;
  uint64_t calm_ms = 12000;
  // Stop after this many steps (0: no limit).
  uint64_t max_steps = 0;
  // One-way message delay, uniform in [min, max] ms; the mean is the "network delay" unit.
  uint64_t min_delay_ms = 10;
  uint64_t max_delay_ms = 90;
  // Fault phase only: per-message loss and duplication probabilities.
  double loss = 0.05;
  double duplicate = 0.03;
  bool partitions = true;
  // Crashes during the fault phase: one correct replica at a time, either at once or at one
  // of its next few storage writes (with or without that write done), restarted later from
  // what it had stored.
  bool crashes = true;
  // Validator set changes customs submits (validator.set) at random times of the fault phase.
  // With n >= 5 the first leaves one validator out; the others keep the members (new epochs).
  uint32_t validator_changes = 0;
  // A crash of replica `crash_replica` at its crash_at_write-th storage write from the start
  // (0: none), the write carried out (`crash_write_applied`) or not; it restarts later.
  uint64_t crash_at_write = 0;
  uint32_t crash_replica = 0;
  bool crash_write_applied = false;
  // Each replica's clock is offset by a fixed amount in [-max_skew_ms, max_skew_ms].
  uint64_t max_skew_ms = 300;
  // Client load: a batch of `txs_per_batch` transactions every `client_interval_ms`.
  uint64_t client_interval_ms = 200;
  uint32_t txs_per_batch = 2;
  uint64_t base_timeout_ms = 500;
  uint32_t max_backoff_exponent = 2;
  // The node's idle behaviour (consensus::ReplicaConfig::propose_when_idle, heartbeat_ms):
  // with idle_heartbeat_ms > 0 leaders propose empty blocks only when owed or on the
  // heartbeat, and every replica gets an empty ClientBatch (a tick) every tick_ms, as the
  // node driver does. 0: leaders always propose (the core's default).
  uint64_t idle_heartbeat_ms = 0;
  uint64_t tick_ms = 20;
  // Pacing (consensus::ReplicaConfig::min_block_interval_ms, ADR 0037): a leader holding fewer
  // transactions than a block proposes them once its parent is this old, or it has been this
  // long in the view. The simulator steps it with an empty ClientBatch at the due time, as the
  // node's loop wakes for it. 0: no pacing (every batch is proposed at once). The driver caps
  // it at a quarter of base_timeout_ms (node::MaxBlockIntervalMs).
  uint64_t min_block_interval_ms = 0;
  // Liveness: within this long after the heal, every correct replica executes a block above
  // the highest height any correct replica had executed at the heal (0: not checked).
  uint64_t liveness_bound_ms = 10000;
  bool verbose = false;
};

struct SimStats {
  uint64_t steps = 0;
  uint64_t sim_time_ms = 0;
  uint64_t messages = 0;  // sent by correct replicas
  uint64_t bytes = 0;
  uint64_t min_height = 0;  // lowest executed height among correct replicas at the end
  uint64_t max_height = 0;
  uint64_t transactions_committed = 0;  // at the highest correct replica
  // Proposal (header time) to decision and to execution with a certificate, in ms, averaged
  // over blocks and correct replicas.
  double mean_decide_latency_ms = 0;
  double mean_commit_latency_ms = 0;
  uint64_t recovery_ms = 0;   // heal to liveness target reached by every correct replica
  uint64_t max_epoch = 0;     // the highest validator set epoch any replica entered
  uint32_t removed = 0;       // replicas the newest validator set leaves out
  uint64_t pacing_wakes = 0;  // correct leaders stepped at the due time of a held batch
  std::map<std::string, uint64_t> rejections;  // summed over correct replicas
};

struct SimResult {
  bool ok = true;
  std::string violation;  // empty when ok
  SimStats stats;
};

SimResult RunSimulation(const SimOptions& options);
// The command line that replays `options` with the `sim` binary.
std::string ReplayCommand(const SimOptions& options);
std::string Summary(const SimOptions& options, const SimResult& result);

}  // namespace tradeledger::sim
