// A layer of pending state changes over a read-only base.
//
// Execution reads and writes state through WorkingState: a block gets one over the committed
// state, and each transaction gets one over the block's, merged into it only if the
// transaction succeeds. Reads see this layer's writes first, then the base.
//
// Thread safety: one thread. The base must outlive the WorkingState and must not change
// while it is in use.
#pragma once

#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <utility>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::trade {

class StateReader {
 public:
  virtual ~StateReader() = default;
  // The value at `key`, nullopt if absent; STORAGE_ERROR if the backing store fails.
  virtual core::Result<std::optional<core::Bytes>> Get(core::ByteSpan key) const = 0;
  // The value at `key` parsed as JSON, immutable and shared: null if absent, STATE_CORRUPT if
  // it is not JSON, Get's errors passed through. The default parses what Get returns (through
  // ReadStateValue's memo, json_fields.h); a reader that keeps parsed values answers from them
  // (node/state_value_cache.h). Either way the result is exactly the parse of Get's bytes.
  virtual core::Result<std::shared_ptr<const nlohmann::json>> GetJson(core::ByteSpan key) const;
};

class WorkingState : public StateReader {
 public:
  using Writes = std::map<core::Bytes, std::optional<core::Bytes>>;  // nullopt = delete

  explicit WorkingState(const StateReader& base) : base_(base) {}
  // Copying would silently layer over the copy's base instead of over the original.
  WorkingState(const WorkingState&) = delete;
  WorkingState& operator=(const WorkingState&) = delete;

  core::Result<std::optional<core::Bytes>> Get(core::ByteSpan key) const override;
  // This layer's write if it has one (parsed), else the base's answer.
  core::Result<std::shared_ptr<const nlohmann::json>> GetJson(core::ByteSpan key) const override;
  void Put(core::ByteSpan key, core::Bytes value);
  void Delete(core::ByteSpan key);

  // Moves this layer's writes into `parent` (which must be the base of this layer).
  void MergeInto(WorkingState& parent) &&;

  const Writes& writes() const { return writes_; }
  // This layer's writes, moved out; the layer is empty afterwards.
  Writes TakeWrites() && { return std::exchange(writes_, {}); }

 private:
  // This layer's write of `key` (nullopt inside for a deletion), or null if it has none.
  const std::optional<core::Bytes>* Written(core::ByteSpan key) const;

  const StateReader& base_;
  Writes writes_;
};

// An empty state, the base of a ledger's first block.
class EmptyState : public StateReader {
 public:
  core::Result<std::optional<core::Bytes>> Get(core::ByteSpan) const override {
    return std::nullopt;
  }
};

}  // namespace tradeledger::trade
