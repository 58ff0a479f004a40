// The committed chain of one node: checks, executes and persists certified blocks in order.
//
// Order, then execute: a block is built from an ordered batch of transactions without
// executing them (BuildHeader), certified by the validators, and only then executed here
// (Commit). The header of block h commits the state after block h-1, so building it needs no
// execution of h. Commit re-checks everything a header claims against the chain it extends,
// so a replica, block sync and `tradeledger audit` all run the same checks.
//
// Thread safety: one writer thread calls BuildHeader and Commit. Any thread may call tip(),
// which returns a consistent snapshot.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "core/result.h"
#include "ledger/block.h"
#include "ledger/merkle_log.h"
#include "node/genesis.h"
#include "node/ledger_store.h"
#include "node/state_pruning.h"
#include "node/state_value_cache.h"
#include "state/node_cache.h"
#include "trade/validator_set.h"

namespace tradeledger::node {

// The chain's latest committed position.
struct ChainTip {
  core::Height height;     // 0 before the first block
  ledger::BlockHash hash;  // header hash at height (zero at 0)
  core::TimestampMs time;  // block time at height (genesis time at 0)
  uint64_t log_size = 0;
  core::Hash32 log_root;
  core::Hash32 state_root;           // after executing blocks 1..height
  core::Height state_height_of_tip;  // the state height the tip's header committed
};

struct ChainOptions {
  // Heights whose state trees are kept whole (>= 1): committing height h deletes the nodes
  // only the trees before h - state_retention need (node/state_pruning.h, ADR 0019).
  uint64_t state_retention = kDefaultStateRetention;
  // Bounds the in-memory cache of state tree nodes that Commit reads through
  // (state/node_cache.h, ADR 0020); 0 reads every node from the store.
  size_t state_cache_bytes = size_t{256} << 20;
  // Bounds the in-memory record of the state nodes recent heights wrote, which spares pruning
  // reading nodes back (node/recent_node_writes.h, ADR 0028), at 19-29 bytes per node (at
  // most about 230 MB). Beyond it the oldest heights are dropped, and pruning reads their
  // nodes back. The default holds 129 heights (the default retention and the next) of up to
  // 65,000 node writes each, e.g. blocks of 1,000 document anchors at a few million keys.
  size_t recent_writes_limit = size_t{8} << 20;
  // Bounds the in-memory copy of the committed state values execution reads
  // (node/state_value_cache.h); 0 reads every value from the store.
  size_t state_value_cache_bytes = size_t{64} << 20;
};

class Chain {
 public:
  // Opens the chain in `store` (borrowed; must outlive the Chain), writing the genesis state
  // if the store is empty. Fails with STORAGE_CORRUPT if the stored tip is inconsistent and
  // STORAGE_LAYOUT_UNSUPPORTED if the store was written with another layout version.
  static core::Result<std::unique_ptr<Chain>> Open(LedgerStore& store, const Genesis& genesis,
                                                   ChainOptions options = {});

  ChainTip tip() const;
  // What the blocks this Chain committed wrote to the store, by part (since it was opened).
  WriteVolume written() const;
  const Genesis& genesis() const { return genesis_; }

  // The header of the next block over `transactions`, stamped with `time` (raised to the
  // tip's time if earlier, so block time never decreases), or on a ledger-clock network with
  // the clock's value in the committed state.
  ledger::BlockHeader BuildHeader(const std::vector<ledger::SignedTransaction>& transactions,
                                  core::TimestampMs time, const ledger::PublicKey& proposer) const;

  // The validator set that must certify the next block: the genesis set (epoch 0) until a
  // validator.set transaction changes it (trade/validator_set.h).
  struct Validators {
    uint64_t epoch = 0;
    ledger::ValidatorSet set;
    std::vector<trade::ValidatorEntry> entries;  // with addresses; empty for the genesis set
  };
  core::Result<Validators> NextValidators() const;

  // Checks `block` against the tip and the validator set in force at its height, executes it and
  // writes it with its index, log nodes, state and state pruning in one synced batch. With
  // `verify_signatures`, also checks every transaction signature (a node that verified them on
  // admission passes false). Fails with BLOCK_INVALID (and changes nothing) if any check fails;
  // STORAGE_* errors are passed through.
  core::Result<std::vector<TxIndexEntry>> Commit(const ledger::StoredBlock& block,
                                                 bool verify_signatures);

 private:
  Chain(LedgerStore& store, Genesis genesis, ChainOptions options)
      : store_(store),
        genesis_(std::move(genesis)),
        options_(options),
        node_cache_(store.state_nodes(), options.state_cache_bytes),
        value_cache_(store.flat_state(), options.state_value_cache_bytes) {}
  core::Status CheckBlock(const ledger::StoredBlock& block, const ChainTip& tip,
                          bool verify_signatures) const;

  LedgerStore& store_;
  const Genesis genesis_;
  const ChainOptions options_;
  ledger::MerkleLog log_;           // writer thread only
  state::NodeCache node_cache_;     // writer thread only
  StateValueCache value_cache_;     // writer thread only
  RecentNodeWrites recent_writes_;  // writer thread only

  mutable std::mutex mu_;
  ChainTip tip_;         // guarded by mu_
  WriteVolume written_;  // guarded by mu_
};

}  // namespace tradeledger::node
