// A SafetyStore in memory, for the simulator and unit tests (a validator keeps its safety state
// in a SafetyFile). It survives what the simulator calls a crash because the simulator keeps
// it beside its in-memory store, as a disk would keep the file.
#pragma once

#include "node/safety_file.h"

namespace tradeledger::node {

class MemorySafetyStore final : public SafetyStore {
 public:
  core::Result<core::Bytes> Read() override { return state_; }
  core::Status Write(core::ByteSpan state) override {
    state_.assign(state.begin(), state.end());
    return core::Ok();
  }

 private:
  core::Bytes state_;
};

}  // namespace tradeledger::node
