#include "node/chain_view.h"

namespace tradeledger::node {

core::Height ChainView::ExecutedHeight() const { return Tip().height; }

std::optional<core::Hash32> ChainView::StateRoot(core::Height height) const {
  if (height > ExecutedHeight()) return std::nullopt;
  auto root = store_.ReadStateRoot(height);
  TL_CHECK(root.has_value());
  return *root;
}

bool ChainView::IsCommitted(const ledger::TxId& id) const {
  auto entry = store_.ReadTxIndex(id);
  TL_CHECK(entry.has_value());
  return entry->has_value();
}

std::optional<ledger::StoredBlock> ChainView::CommittedBlock(core::Height height) const {
  if (height.value == 0 || height > ExecutedHeight()) return std::nullopt;
  auto block = store_.ReadBlock(height);
  TL_CHECK(block.has_value());
  return std::move(*block);
}

ledger::MerkleLog ChainView::CommittedLog() const {
  auto log = ledger::MerkleLog::Restore(Tip().log_size, store_.log_nodes());
  TL_CHECK(log.has_value());
  return std::move(*log);
}

}  // namespace tradeledger::node
