#include "consensus/block_tree.h"

#include <algorithm>

#include "ledger/merkle.h"

namespace tradeledger::consensus {

const BlockNode* BlockTree::Find(const ledger::BlockHash& hash) const {
  auto it = nodes_.find(hash);
  return it == nodes_.end() ? nullptr : &it->second;
}

void BlockTree::Insert(BlockNode node) {
  TL_CHECK(Find(node.header.prev_hash) != nullptr);
  ledger::BlockHash hash = node.hash;
  nodes_.emplace(hash, std::move(node));
}

bool BlockTree::OnBranch(const ledger::BlockHash& tip, const ledger::TxId& tx) const {
  const BlockNode* node = Find(tip);
  while (node != nullptr && node->hash != root_) {
    if (node->tx_ids.contains(tx)) return true;
    node = Find(node->header.prev_hash);
  }
  return false;
}

const BlockNode* BlockTree::AncestorAt(const ledger::BlockHash& hash, core::Height height) const {
  const BlockNode* node = Find(hash);
  while (node != nullptr && node->header.height > height) {
    if (node->hash == root_) return nullptr;
    node = Find(node->header.prev_hash);
  }
  return node != nullptr && node->header.height == height ? node : nullptr;
}

void BlockTree::AddQc(const QuorumCert& qc) {
  auto [it, inserted] = qcs_.emplace(qc.block_hash, qc);
  if (!inserted && it->second.view < qc.view) it->second = qc;
}

const QuorumCert* BlockTree::QcFor(const ledger::BlockHash& hash) const {
  auto it = qcs_.find(hash);
  return it == qcs_.end() ? nullptr : &it->second;
}

void BlockTree::Reroot(const ledger::BlockHash& hash) {
  TL_CHECK(Find(hash) != nullptr);
  std::unordered_map<ledger::BlockHash, BlockNode> kept;
  // A node survives if walking its parents reaches `hash`. Memoise per pass.
  std::unordered_map<ledger::BlockHash, bool> keep;
  keep[hash] = true;
  auto decide = [&](const ledger::BlockHash& start) {
    std::vector<ledger::BlockHash> path;
    ledger::BlockHash cur = start;
    bool result = false;
    while (true) {
      auto memo = keep.find(cur);
      if (memo != keep.end()) {
        result = memo->second;
        break;
      }
      const BlockNode* node = Find(cur);
      if (node == nullptr || cur == root_) {
        result = false;
        break;
      }
      path.push_back(cur);
      cur = node->header.prev_hash;
    }
    for (const auto& h : path) keep[h] = result;
    return result;
  };
  for (auto& [h, node] : nodes_) {
    if (decide(h)) kept.emplace(h, std::move(node));
  }
  nodes_ = std::move(kept);
  root_ = hash;
  core::Height root_height = nodes_.at(hash).header.height;
  for (auto it = qcs_.begin(); it != qcs_.end();) {
    it = (it->second.height < root_height) ? qcs_.erase(it) : std::next(it);
  }
}

void BlockTree::Reset(BlockNode root) {
  nodes_.clear();
  core::Height root_height = root.header.height;
  root_ = root.hash;
  nodes_.emplace(root_, std::move(root));
  for (auto it = qcs_.begin(); it != qcs_.end();) {
    it = (it->second.height < root_height) ? qcs_.erase(it) : std::next(it);
  }
}

std::vector<const BlockNode*> BlockTree::Nodes() const {
  std::vector<const BlockNode*> out;
  out.reserve(nodes_.size());
  for (const auto& [h, node] : nodes_) out.push_back(&node);
  return out;
}

StateClaim ChooseStateClaim(const BlockNode& parent, core::Height executed_height,
                            const core::Hash32& executed_root) {
  if (executed_height >= parent.header.state_height && executed_height <= parent.header.height) {
    return StateClaim{executed_height, executed_root};
  }
  return StateClaim{parent.header.state_height, parent.header.state_root};
}

ledger::MerkleLog ExtendLog(const ledger::MerkleLog& parent_log,
                            const std::vector<ledger::SignedTransaction>& transactions) {
  ledger::MerkleLog log = parent_log;
  std::vector<ledger::LogNode> unused;
  for (const auto& tx : transactions) {
    log.Append(ledger::LeafHash(tx.id().hash.span()), &unused);
    unused.clear();
  }
  return log;
}

ledger::BlockHeader BuildChildHeader(const BlockNode& parent,
                                     const std::vector<ledger::SignedTransaction>& transactions,
                                     core::TimestampMs time, const ledger::PublicKey& proposer,
                                     const StateClaim& state) {
  ledger::BlockHeader h;
  h.chain_id = parent.header.chain_id;
  h.height = core::Height(parent.header.height.value + 1);
  h.prev_hash = parent.hash;
  h.timestamp = std::max(time, parent.header.timestamp);
  h.proposer = proposer;
  h.tx_root = ledger::TransactionRoot(transactions);
  h.tx_count = static_cast<uint32_t>(transactions.size());
  ledger::MerkleLog log = ExtendLog(parent.log, transactions);
  h.log_size = log.size();
  h.log_root = log.Root();
  h.state_height = state.height;
  h.state_root = state.root;
  return h;
}

}  // namespace tradeledger::consensus
