// What committed blocks wrote to the store, by part: the operator's view of a node's write
// volume (GET /metrics, tradeledger_block_write_*) and the load generator's bytes per
// transaction (doc/performance.md).
#pragma once

#include <cstdint>

namespace tradeledger::node {

struct WriteVolume {
  // Operations (puts and deletes) and their key and value bytes.
  struct Part {
    uint64_t ops = 0;
    uint64_t bytes = 0;

    Part& operator+=(const Part& other) {
      ops += other.ops;
      bytes += other.bytes;
      return *this;
    }
  };
  Part block;         // the encoded blocks
  Part index;         // transaction index entries and transaction log nodes
  Part state_values;  // the flat state's values, set or deleted
  Part state_tree;    // state tree leaves and pages, and each block's state root
  Part pruning;       // stale-node lists, deletes of pruned nodes, the pruning horizon

  // Calls f(name, part) for each part, in the order above, named as GET /metrics labels them.
  template <typename F>
  void ForEachPart(F&& f) const {
    f("block", block);
    f("index", index);
    f("state_values", state_values);
    f("state_tree", state_tree);
    f("pruning", pruning);
  }

  WriteVolume& operator+=(const WriteVolume& other) {
    block += other.block;
    index += other.index;
    state_values += other.state_values;
    state_tree += other.state_tree;
    pruning += other.pruning;
    return *this;
  }
};

}  // namespace tradeledger::node
