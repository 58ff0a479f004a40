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
  auto core = consensus::Replica::Create(config_, key_, *this, persisted_);
  TL_CHECK(core.has_value());
  core_ = std::move(*core);
}

void SimReplica::Crash() {
  core_.reset();
  chain_.reset();
}

void SimReplica::Restart() {
  TL_CHECK(!up());
  Open();
}

core::Height SimReplica::ExecutedHeight() const { return chain_->tip().height; }

std::optional<core::Hash32> SimReplica::StateRoot(core::Height height) const {
  if (height > ExecutedHeight()) return std::nullopt;
  auto root = ledger_.ReadStateRoot(height);
  TL_CHECK(root.has_value());
  return *root;
}

bool SimReplica::IsCommitted(const ledger::TxId& id) const {
  auto entry = ledger_.ReadTxIndex(id);
  TL_CHECK(entry.has_value());
  return entry->has_value();
}

std::optional<ledger::StoredBlock> SimReplica::CommittedBlock(core::Height height) const {
  if (height.value == 0 || height > ExecutedHeight()) return std::nullopt;
  auto block = ledger_.ReadBlock(height);
  TL_CHECK(block.has_value());
  return std::move(*block);
}

ledger::MerkleLog SimReplica::CommittedLog() const {
  auto log = ledger::MerkleLog::Restore(chain_->tip().log_size, ledger_.log_nodes());
  TL_CHECK(log.has_value());
  return std::move(*log);
}

}  // namespace tradeledger::sim
