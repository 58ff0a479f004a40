// The node's on-disk layout over a storage::Store (RocksDB in production).
//
// Namespaces are one-byte key prefixes (doc/adr/0006-node-key-layout.md, ADR 0019):
//   'B' height(u64 BE)            -> StoredBlock encoding
//   'X' tx id(32)                 -> TxIndexEntry encoding
//   'L' level(u32 BE) index(u64 BE) -> RFC 9162 complete-subtree hash (32 bytes)
//   'N' node hash(32)             -> state tree node encoding || u64 BE birth: the last height
//                                    whose block wrote the node (content-addressed: a node
//                                    made stale may be written again by a later block)
//   'Z' height(u64 BE)            -> u8 version (1) || the hashes (32 each) of the nodes that
//                                    executing this block made stale; absent if none
//   'Y'                           -> u64 BE state horizon: every tree from this height to the
//                                    tip is complete; older ones are pruned (absent: 0)
//   'V'                           -> u32 BE layout version (kLayoutVersion)
//   'S' state key                 -> state value (flat copy of the state for fast reads)
//   'R' height(u64 BE)            -> state root after executing blocks 1..height (all kept)
//   'G'                           -> the genesis file's bytes (the data directory names its chain)
//   'P' block hash(32)            -> a signed proposal the consensus core is locked on
//                                    (consensus::Persist::locked_blocks; not part of the ledger)
// Everything a block changes is written in one atomic, synced WriteBatch (BlockWrite), so a
// node killed at any instant restarts with every block it acknowledged, or none of a block;
// that includes the pruning a block does (its StatePrunePlan).
//
// Thread safety: as the underlying Store: any number of readers and one writer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "core/strong_types.h"
#include "ledger/block.h"
#include "ledger/merkle_log.h"
#include "node/write_volume.h"
#include "state/state_tree.h"
#include "storage/rocksdb_store.h"
#include "storage/store.h"
#include "trade/working_state.h"

namespace tradeledger::node {

// Where a committed transaction is and what became of it.
struct TxIndexEntry {
  core::Height height;
  uint32_t position = 0;    // index within the block
  uint64_t leaf_index = 0;  // index in the ledger-wide transaction log
  std::string result_code;  // "OK" or a reason code
  // All failing rules' codes when several failed (trade::TxOutcome::reasons); empty otherwise.
  // Encoded after result_code; an entry written before this field decodes with none.
  std::vector<std::string> reasons;

  core::Bytes Encode() const;
  static core::Result<TxIndexEntry> Decode(core::ByteSpan bytes);
  bool operator==(const TxIndexEntry&) const = default;
};

// The version of the layout above and of the state it holds. Version 1 (before ADR 0019)
// stored nodes without a birth height and kept every node; version 2 (before ADR 0030) kept
// the state's id indexes one key per member, so its state roots are not the ones this build
// computes; version 3 (before ADR 0031) stored the state tree one binary node per key, not in
// pages; version 4 (before ADR 0035) kept an id index's member count at its key, not its last
// page's number; version 5 (before ADR 0036) stored pages in their full form, not without the
// hashes a reader computes, which a version-5 build cannot read. A node refuses a directory of
// another version (STORAGE_LAYOUT_UNSUPPORTED).
inline constexpr uint32_t kLayoutVersion = 6;

// The namespaces a node creates its database with uncompressed (storage::RocksDbOptions::
// uncompressed_namespaces, ADR 0029): the state tree nodes, whose bytes are mostly hashes.
inline constexpr std::string_view kUncompressedNamespaces = "N";
// The options a node (and a benchmark standing in for one) creates its database with: the
// defaults, with kUncompressedNamespaces. An existing database keeps its own families.
storage::RocksDbOptions NodeStoreOptions();

// The state pruning one block does (node/state_pruning.h): it consumes the stale lists of
// `heights` (ascending, each just above the previous horizon), deletes `delete_nodes` and
// moves the horizon to the last of `heights`. Empty: no pruning.
struct StatePrunePlan {
  std::vector<core::Height> heights;
  std::vector<core::Hash32> delete_nodes;
};

// Everything one block changes, gathered before the single atomic write.
struct BlockWrite {
  core::Bytes encoded_block;
  std::vector<std::pair<ledger::TxId, TxIndexEntry>> index;
  std::vector<ledger::LogNode> log_nodes;
  std::vector<state::NodeWrite> state_nodes;  // written with this block's height as birth
  std::vector<core::Hash32> stale_nodes;      // state::ApplyUpdates' stale nodes
  StatePrunePlan prune;                       // disjoint from state_nodes
  trade::WorkingState::Writes state_writes;
  core::Hash32 state_root;  // after this block
};

class LedgerStore {
 public:
  // Borrows `store`, which must outlive this object.
  explicit LedgerStore(storage::Store& store)
      : store_(store), log_nodes_(*this), state_nodes_(*this), flat_state_(*this) {}
  LedgerStore(const LedgerStore&) = delete;
  LedgerStore& operator=(const LedgerStore&) = delete;

  // The height of the latest stored block, 0 if none.
  core::Result<core::Height> TipHeight() const;
  // NOT_FOUND if there is no block at `height`; STORAGE_CORRUPT if it does not decode.
  core::Result<ledger::StoredBlock> ReadBlock(core::Height height) const;
  core::Result<std::optional<core::Bytes>> ReadBlockBytes(core::Height height) const;
  // The header and certificate of the block at `height` and, with a position, that one
  // transaction, without decoding the others (ledger::DecodeBlockExcerpt). Errors as ReadBlock.
  core::Result<ledger::BlockExcerpt> ReadBlockExcerpt(core::Height height,
                                                      std::optional<uint32_t> position) const;
  core::Result<std::optional<TxIndexEntry>> ReadTxIndex(const ledger::TxId& id) const;
  // The state root after executing blocks 1..height (height 0: the genesis state). Kept for
  // every height, pruned or not.
  core::Result<std::optional<core::Hash32>> ReadStateRoot(core::Height height) const;
  // The state horizon: the state tree after every height from it to the tip is complete; the
  // trees below it may lack nodes. 0 if nothing was ever pruned.
  core::Result<core::Height> ReadStateHorizon() const;
  // The nodes that executing the block at `height` made stale; empty if none or already
  // pruned. STORAGE_CORRUPT if the record does not decode.
  core::Result<std::vector<core::Hash32>> ReadStaleNodes(core::Height height) const;
  // The birth height of a stored state tree node, nullopt if it is not stored.
  core::Result<std::optional<core::Height>> ReadNodeBirth(const core::Hash32& node_hash) const;
  // The layout version of the data directory, nullopt if it records none (version 1 or empty).
  core::Result<std::optional<uint32_t>> ReadLayoutVersion() const;

  // The stored RFC 9162 complete-subtree hashes.
  const ledger::LogNodeReader& log_nodes() const { return log_nodes_; }
  // The stored state tree nodes (without their birth heights). STORAGE_CORRUPT if a stored
  // value is too short to hold a birth height.
  const state::NodeReader& state_nodes() const { return state_nodes_; }
  // The latest committed state, as a flat key-value map.
  const trade::StateReader& flat_state() const { return flat_state_; }
  // The state keys that start with `prefix` and sort after `after` (empty: from the first),
  // in key order, without their values; at most `limit`. Reads the flat copy as it was when
  // the walk started. Each call walks the keys of `prefix` up to `after` again: a cursor costs
  // its position (pilot scale; a seekable Store would make it constant).
  core::Result<std::vector<std::string>> ListStateKeys(std::string_view prefix,
                                                       std::string_view after, size_t limit) const;

  // Writes a whole block, and the pruning it does, atomically and durably. `write.prune`
  // must have been planned against the store as it is now (PlanStatePruning). With `volume`,
  // sets it to what the batch held, by part, whether or not the write succeeds.
  core::Status WriteBlock(core::Height height, const BlockWrite& write,
                          WriteVolume* volume = nullptr);
  core::Result<std::optional<core::Bytes>> ReadGenesisFile() const;
  // The locked blocks kept for a restart (consensus/replica.h, Persist::locked_blocks).
  core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>> ReadLockedBlocks() const;
  // Adds `add` and removes the blocks named in `remove`, in one batch. Not synced: it survives
  // a process crash; a power loss may cost the locked blocks (liveness of a fully restarted
  // network, never safety: ADR 0017).
  core::Status UpdateLockedBlocks(const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
                                  const std::vector<ledger::BlockHash>& remove);
  // Writes the genesis file, the layout version and the state (height 0) atomically and
  // durably.
  core::Status WriteGenesis(std::string_view genesis_file,
                            const trade::WorkingState::Writes& state_writes,
                            const std::vector<state::NodeWrite>& state_nodes,
                            const core::Hash32& state_root);

  storage::Store& store() { return store_; }

  static core::Bytes BlockKey(core::Height height);
  static core::Bytes TxIndexKey(const ledger::TxId& id);
  static core::Bytes LogNodeKey(uint32_t level, uint64_t index);
  static core::Bytes StateNodeKey(const core::Hash32& hash);
  static core::Bytes StateValueKey(core::ByteSpan state_key);
  static core::Bytes StateRootKey(core::Height height);
  static core::Bytes StaleNodesKey(core::Height height);
  static core::Bytes StateHorizonKey();

 private:
  void AddStateValues(storage::WriteBatch& batch, const trade::WorkingState::Writes& writes) const;
  void AddStateTree(storage::WriteBatch& batch, const std::vector<state::NodeWrite>& nodes,
                    core::Height height, const core::Hash32& root) const;
  void AddPruning(storage::WriteBatch& batch, core::Height height,
                  const std::vector<core::Hash32>& stale, const StatePrunePlan& prune) const;

  class LogNodes : public ledger::LogNodeReader {
   public:
    explicit LogNodes(const LedgerStore& s) : s_(s) {}
    core::Result<core::Hash32> Node(uint32_t level, uint64_t index) const override;

   private:
    const LedgerStore& s_;
  };
  class StateNodes : public state::NodeReader {
   public:
    explicit StateNodes(const LedgerStore& s) : s_(s) {}
    core::Result<std::optional<core::Bytes>> Get(const core::Hash32& node_hash) const override;

   private:
    const LedgerStore& s_;
  };
  class FlatState : public trade::StateReader {
   public:
    explicit FlatState(const LedgerStore& s) : s_(s) {}
    core::Result<std::optional<core::Bytes>> Get(core::ByteSpan state_key) const override;

   private:
    const LedgerStore& s_;
  };

  storage::Store& store_;
  LogNodes log_nodes_;
  StateNodes state_nodes_;
  FlatState flat_state_;
};

}  // namespace tradeledger::node
