// Drives a workload (bench_workload.h) against running validators and times every
// transaction from submission to commit.
//
// Closed loop (rate 0): `concurrency` submitters, each owning a disjoint set of signers and
// spread over the nodes, post one transaction at a time with wait=commit; a signer's
// transactions are therefore submitted in nonce order, one after the other. Latency is from
// the start of the request to the commit answer.
//
// Open loop (rate > 0): transaction i is due i / rate seconds after the start whatever the
// answers to earlier ones (bench_stats.h: IntendedSendNs); `concurrency` sender threads post
// the due transactions without waiting for commit, each signer's to one node. Commit times
// come from the nodes' event streams (GET /v1/events): the first block notification naming
// the transaction. Latency is from the intended send time, so a server that falls behind is
// charged for the whole delay (no coordinated omission).
//
// Both loops fail over: a transaction whose node cannot be reached is posted again, same
// envelope, to the next node (resubmission is idempotent, rule 34).
//
// Thread safety: the functions start and join their own threads; call them from one thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "cli/bench_workload.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "ledger/ids.h"

namespace tradeledger::cli::bench {

// A shell command run at `at_s` seconds into the measured run (e.g. killing a validator).
struct Hook {
  double at_s = 0;
  std::string command;
};
struct HookRun {
  Hook hook;
  bool ran = false;  // false: the run ended first
  double ran_at_s = 0;
  int status = -1;  // std::system's result
};

// Who the load generator reads as (ADR 0021: event streams name transaction ids and
// transaction status is read by members only): signed reads by `key` on `chain`.
struct ReadIdentity {
  crypto::KeyPair key;
  ledger::ChainId chain;
};

struct DriverOptions {
  std::vector<std::string> nodes;           // node API URLs, http:// or https://
  size_t concurrency = 64;                  // closed: submitters; open: sender threads
  double rate = 0;                          // open loop: offered transactions/s; 0: closed loop
  std::chrono::milliseconds duration{0};    // send for this long; 0: until all are sent
  std::chrono::milliseconds drain{30'000};  // open loop: wait for commits after the last send
  std::chrono::milliseconds commit_timeout{60'000};  // closed loop: wait=commit timeout
  std::vector<Hook> hooks;
  size_t check_sample = 300;  // open loop: result codes read back for this many transactions
  // Signs the event streams and status reads (a member key, e.g. the customs administrator's,
  // entitled to every transaction's result); null on a network without participants.
  std::shared_ptr<const ReadIdentity> reader;
};

// What happened to one measured transaction; times in ns from the start, -1: never.
struct TxTiming {
  int64_t intended_ns = -1;  // open loop: the schedule; closed loop: the first send
  int64_t sent_ns = -1;      // the first attempt began
  int64_t commit_ns = -1;    // the first commit notification or answer
  std::string code;          // result code, or the error that kept it out ("" = not known)
};

struct RunResult {
  std::vector<TxTiming> tx;  // one per measured transaction, in workload order
  size_t attempted = 0;      // transactions the loop started (a prefix of the workload)
  double elapsed_s = 0;      // from the start to the last commit seen
  std::vector<HookRun> hooks;
  std::map<std::string, size_t> retries;  // retried posts by reason (failover, MEMPOOL_FULL)
  std::map<std::string, size_t> codes;    // result codes: closed loop all, open loop a sample
  size_t codes_checked = 0;
  std::vector<size_t> blocks_seen;       // per node: blocks its event stream announced in the run
  std::vector<size_t> events_connected;  // per node: 1 if its event stream was open at start
};

// Runs the setup phases: each phase's signers in parallel, one signer's transactions in order,
// each posted with wait=commit; fails with SETUP_FAILED naming the first transaction that did
// not commit with OK.
core::Status RunSetup(const std::vector<std::string>& nodes,
                      const std::vector<std::vector<ledger::SignedTransaction>>& phases);

// Runs the measured load. INVALID_URL if a node URL does not parse; NO_EVENTS if no node's
// event stream can be opened.
core::Result<RunResult> RunLoad(const DriverOptions& options, std::span<const MeasuredTx> load);

}  // namespace tradeledger::cli::bench
