#include "node/commit_pipeline.h"

#include <chrono>

#include "core/thread_name.h"

namespace tradeledger::node {

CommitPipeline::CommitPipeline(DriverStorage& storage, DriverEffects& effects, size_t capacity)
    : storage_(storage), effects_(effects), capacity_(capacity), thread_([this] { Run(); }) {
  TL_CHECK(capacity > 0);
}

CommitPipeline::~CommitPipeline() {
  Drain();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void CommitPipeline::Enqueue(ledger::StoredBlock block) {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return queue_.size() < capacity_ || failure_; });
  if (failure_) return;
  queued_height_ = block.header.height;
  queue_.push_back(std::move(block));
  changed_.notify_all();
}

void CommitPipeline::Drain() {
  std::unique_lock lock(mu_);
  changed_.wait(lock, [&] { return (queue_.empty() && !executing_) || failure_; });
}

std::optional<CommitQueue::Failure> CommitPipeline::failure() const {
  std::lock_guard lock(mu_);
  return failure_;
}

core::Height CommitPipeline::queued_height() const {
  std::lock_guard lock(mu_);
  return queued_height_;
}

void CommitPipeline::Run() {
  core::NameThisThread("commit");
  while (true) {
    ledger::StoredBlock block;
    {
      std::unique_lock lock(mu_);
      changed_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, with nothing left
      block = std::move(queue_.front());
      queue_.pop_front();
      executing_ = true;
    }
    changed_.notify_all();  // room in the queue
    auto started = std::chrono::steady_clock::now();
    auto entries = storage_.Commit(block);
    if (entries) {
      effects_.Committed(block, *entries, std::chrono::steady_clock::now() - started);
    }
    {
      std::lock_guard lock(mu_);
      executing_ = false;
      if (!entries) {
        failure_ = Failure{"commit of block " + block.header.height.ToString(), entries.error()};
        queue_.clear();
      }
    }
    changed_.notify_all();
  }
}

}  // namespace tradeledger::node
