#include "sim_replica.h"

namespace tradeledger::sim {

SimReplica::SimReplica(const node::Genesis& genesis, consensus::ReplicaConfig config,
                       crypto::KeyPair key)
    : genesis_(genesis), config_(std::move(config)), key_(std::move(key)) {
  Open();
}

void SimReplica::Open() {
  auto chain = node::Chain::Open(ledger_, genesis_);
  TL_CHECK(chain.has_value());
  chain_ = std::move(*chain);
  view_ = std::make_unique<node::ChainView>(ledger_, *chain_);
  auto core = consensus::Replica::Create(config_, key_, *view_, persisted_, locked_blocks_);
  TL_CHECK(core.has_value());
  core_ = std::move(*core);
}

void SimReplica::Crash() {
  core_.reset();
  view_.reset();
  chain_.reset();
}

void SimReplica::Restart() {
  TL_CHECK(!up());
  Open();
}

}  // namespace tradeledger::sim
