// Teeth: this binary links the core built with TL_CONSENSUS_TEETH_DISABLE_LOCK, whose
// SafetyRules accept a proposal justified by a TC even if its QC is below the TC's highest
// reported QC. The simulator must find the resulting safety violation (two correct replicas
// deciding different blocks at one height) within a bounded number of seeds — otherwise a
// passing sweep would prove little.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "simulation.h"

namespace tradeledger::sim {
namespace {

constexpr uint64_t kMaxSeeds = 40;

TEST(SimTeeth, FindsForkWhenLockCheckIsDisabled) {
  for (uint64_t s = 1; s <= kMaxSeeds; ++s) {
    SimOptions o;
    o.seed = s;
    o.n = 4;
    o.byzantine = 1;
    o.liveness_bound_ms = 0;  // only safety matters here
    SimResult r = RunSimulation(o);
    if (!r.ok && r.violation.find("liveness") == std::string::npos) {
      std::string replay = ReplayCommand(o);
      replay.replace(replay.find("/sim "), 5, "/sim_teeth ");
      std::printf("violation found at seed %llu: %s\nreplay: %s\n",
                  static_cast<unsigned long long>(s), r.violation.c_str(), replay.c_str());
      SUCCEED();
      return;
    }
  }
  FAIL() << "no safety violation in " << kMaxSeeds << " seeds with the lock check disabled";
}

}  // namespace
}  // namespace tradeledger::sim
