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
  std::vector<core::Bytes> locked;
  for (const auto& [hash, proposal] : locked_blocks_) locked.push_back(proposal);
  auto core = consensus::Replica::Create(config_, key_, *view_, persisted_, locked);
  TL_CHECK(core.has_value());
  core_ = std::move(*core);
}

void SimReplica::Persist(const consensus::Persist& p) {
  persisted_ = p.safety_state;
  std::map<ledger::BlockHash, core::Bytes> kept;
  for (const ledger::BlockHash& hash : p.locked) {
    if (auto it = locked_blocks_.find(hash); it != locked_blocks_.end()) {
      kept.insert(std::move(*it));
    }
  }
  for (const auto& [hash, proposal] : p.new_locked) kept[hash] = proposal;
  locked_blocks_ = std::move(kept);
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
