// Block execution beside ordering (ADR 0032): the node's CommitQueue (node/driver.h).
//
// The consensus driver queues each decided block here instead of executing it on the consensus
// thread. One thread of the pipeline takes the blocks in the order queued, executes and durably
// stores each (DriverStorage::Commit, node::Chain::Commit: one synced write per block), and then
// tells DriverEffects::Committed, which answers the block's waiting clients. So a commit is still
// answered only after its synced write; what changes is that the consensus thread goes on voting
// and proposing while a block executes, instead of every view waiting for the execution of the
// block its commit certificate completed. The core orders further blocks on the last executed
// state: a proposal's header claims the proposer's latest executed state root (ADR 0007), and a
// replica that has not yet executed that height holds its vote until it has.
//
// At most `capacity` blocks wait: Enqueue blocks the consensus thread while the queue is full,
// so ordering never runs more than that far ahead of execution.
//
// A failed commit is kept (failure()) and stops the pipeline: the blocks queued after it are
// dropped unexecuted, and later Enqueues are ignored. The driver sees the failure at its next
// Step and stops the node, as when its own commit failed; the dropped blocks are decided, and a
// restarted node fetches them from its peers.
//
// Thread safety: Enqueue, Drain, failure() and queued_height() from any thread (the driver's);
// DriverStorage::Commit and DriverEffects::Committed run on the pipeline's thread only.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>

#include "node/driver.h"

namespace tradeledger::node {

class CommitPipeline final : public CommitQueue {
 public:
  static constexpr size_t kDefaultCapacity = 4;

  // Borrows `storage` and `effects`; they must outlive the pipeline. Starts its thread.
  CommitPipeline(DriverStorage& storage, DriverEffects& effects,
                 size_t capacity = kDefaultCapacity);
  // Executes what is queued (Drain), then stops the thread.
  ~CommitPipeline() override;
  CommitPipeline(const CommitPipeline&) = delete;
  CommitPipeline& operator=(const CommitPipeline&) = delete;

  void Enqueue(ledger::StoredBlock block) override;
  void Drain() override;
  std::optional<Failure> failure() const override;
  core::Height queued_height() const override;

 private:
  void Run();

  DriverStorage& storage_;
  DriverEffects& effects_;
  const size_t capacity_;

  mutable std::mutex mu_;
  std::condition_variable changed_;        // a block was queued or taken, or one finished
  std::deque<ledger::StoredBlock> queue_;  // guarded; waiting, oldest first
  bool executing_ = false;                 // guarded; a block is between the queue and done
  bool stopping_ = false;                  // guarded
  std::optional<Failure> failure_;         // guarded
  core::Height queued_height_;             // guarded
  std::thread thread_;                     // last: starts once the rest is initialised
};

}  // namespace tradeledger::node
