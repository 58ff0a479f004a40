// The tree of uncommitted blocks a replica has validated, rooted at its latest executed block.
//
// Every node keeps what is needed to validate and build children without touching storage:
// its header, transactions, the RFC 9162 log frontier after it (ledger::MerkleLog, O(log n)
// hashes) and the signed proposal bytes (to serve BlockRequest). The root is the latest block
// the node has executed; blocks that do not descend from it are pruned when it moves.
//
// Invariants: every non-root node's parent is in the tree; heights increase by one along
// edges; a node's `log` is its parent's log with this block's transaction ids appended.
//
// Thread safety: a value type, used by one thread.
#pragma once

#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "consensus/messages.h"
#include "ledger/block.h"
#include "ledger/merkle_log.h"

namespace tradeledger::consensus {

struct BlockNode {
  ledger::BlockHash hash;  // header hash; all zero for the genesis root
  core::View view;         // view it was proposed in (the certificate's view for a root)
  ledger::BlockHeader header;
  std::vector<ledger::SignedTransaction> transactions;  // empty for the root
  std::unordered_set<ledger::TxId> tx_ids;
  QuorumCert justify;     // the QC of the parent carried by the proposal
  ledger::MerkleLog log;  // the transaction log after this block
  core::Bytes proposal;   // the signed proposal as received; empty for the root
};

class BlockTree {
 public:
  explicit BlockTree(BlockNode root) { Reset(std::move(root)); }

  const BlockNode& root() const { return *Find(root_); }
  const BlockNode* Find(const ledger::BlockHash& hash) const;
  // Adds a validated block whose parent is in the tree (aborts otherwise: a caller bug).
  void Insert(BlockNode node);
  // Whether `tx` is in a block on the branch from `tip` up to, but excluding, the root.
  bool OnBranch(const ledger::BlockHash& tip, const ledger::TxId& tx) const;
  // The ancestor of `hash` (or itself) at `height`, if the branch reaches that height.
  const BlockNode* AncestorAt(const ledger::BlockHash& hash, core::Height height) const;

  // Records a verified QC, keeping the one of highest view per block.
  void AddQc(const QuorumCert& qc);
  const QuorumCert* QcFor(const ledger::BlockHash& hash) const;

  // Makes the block `hash` (which must be in the tree) the root and prunes every block that
  // does not descend from it.
  void Reroot(const ledger::BlockHash& hash);
  // Replaces the whole tree by a single root.
  void Reset(BlockNode root);

  size_t size() const { return nodes_.size(); }
  // Every node, in no particular order (for inspection by tests and the simulator).
  std::vector<const BlockNode*> Nodes() const;

 private:
  ledger::BlockHash root_;
  std::unordered_map<ledger::BlockHash, BlockNode> nodes_;
  std::unordered_map<ledger::BlockHash, QuorumCert> qcs_;
};

// The state a proposer commits in a child of `parent`: its latest executed height when that is
// in [parent.state_height, parent.height], otherwise the parent's own claim (which every
// correct voter checked when it accepted the parent). `executed_root` is the root at
// `executed_height`.
struct StateClaim {
  core::Height height;
  core::Hash32 root;
};
StateClaim ChooseStateClaim(const BlockNode& parent, core::Height executed_height,
                            const core::Hash32& executed_root);

// The header of a child of `parent` over `transactions`; block time is raised to the
// parent's so it never decreases.
ledger::BlockHeader BuildChildHeader(const BlockNode& parent,
                                     const std::vector<ledger::SignedTransaction>& transactions,
                                     core::TimestampMs time, const ledger::PublicKey& proposer,
                                     const StateClaim& state);

// The log after appending `transactions` to `parent_log`.
ledger::MerkleLog ExtendLog(const ledger::MerkleLog& parent_log,
                            const std::vector<ledger::SignedTransaction>& transactions);

}  // namespace tradeledger::consensus
