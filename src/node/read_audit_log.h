// The node's log of reads: who read what, when, on behalf of which organisation (DOMAIN rules
// 30-31: every read by a party other than the owner is an audit event).
//
// Reads are not transactions: each node records the reads it served, durably, in a store of
// its own (data/reads, opened by run_node.cc; ADR 0011) under the 'A' prefix ('A' ‖ sequence
// u64 BE → JSON event). The log is append-only and outside the replicated state.
//
// Thread safety: Append and List are safe from any thread.
#pragma once

#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "storage/store.h"

namespace tradeledger::node {

struct ReadEvent {
  uint64_t at_ms = 0;  // the node's clock
  std::string reader_org;
  std::string reader_key;    // hex
  std::string subject_type;  // "document", "certification", "entry", ...
  std::string subject_id;
  std::string owner_org;  // the organisation the record belongs to
  std::string outcome;    // "FULL", "METADATA", "DENIED", or a reason code
  std::string detail;
};

class ReadAuditLog {
 public:
  // Borrows `store`; continues the sequence found in it.
  static core::Result<std::unique_ptr<ReadAuditLog>> Open(storage::Store& store);

  core::Status Append(const ReadEvent& event);
  // Appends every event of `events` in one synced write: all of them or, on failure, none.
  core::Status AppendAll(const std::vector<ReadEvent>& events);
  // Events in order, optionally only those about `subject_id` and/or owned by `owner_org`
  // (empty = any), at most `limit`, starting after sequence `after`.
  core::Result<std::vector<nlohmann::json>> List(const std::string& subject_id,
                                                 const std::string& owner_org, uint64_t after,
                                                 size_t limit) const;

 private:
  explicit ReadAuditLog(storage::Store& store, uint64_t next) : store_(store), next_(next) {}

  storage::Store& store_;
  std::mutex mu_;
  uint64_t next_;  // guarded by mu_
};

}  // namespace tradeledger::node
