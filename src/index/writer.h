// The indexer's writes to PostgreSQL (schema.sql). Each call is one database transaction:
// all of it or, on failure, none (the call rolls back).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "index/block_check.h"
#include "index/pg.h"
#include "index/record_rows.h"

namespace tradeledger::index {

// meta's row.
struct IndexMeta {
  std::string chain_id;
  std::string reader_org;
  std::string reader_key;
  uint64_t height = 0;
  std::string block_hash;
  uint64_t audit_seq = 0;
  uint64_t records_height = 0;
};

// A transaction of a block as GET /v1/transactions/{id} served it.
struct IndexedTx {
  std::string tx_id;
  uint64_t position = 0;
  nlohmann::json served;
};

class IndexWriter {
 public:
  explicit IndexWriter(PgConnection& db) : db_(db) {}

  // Reads meta, creating it for `chain`/`reader` on an empty database; CHAIN_MISMATCH or
  // READER_MISMATCH if the database holds another chain or another reader's view,
  // SCHEMA_VERSION_MISMATCH if another schema version wrote it.
  core::Result<IndexMeta> OpenMeta(const std::string& chain_id, const std::string& node_url,
                                   const std::string& reader_org, const std::string& reader_key);

  // The trusted validator sets: (public key, name, first height), replacing what was there.
  struct ValidatorRow {
    std::string public_key, name;
    uint64_t from_height = 0;
  };
  core::Status WriteValidators(const std::vector<ValidatorRow>& rows);

  // Block `block` with its transactions; meta.height must be block height - 1 (else
  // INDEX_CONFLICT) and becomes its height.
  core::Status WriteBlock(const CheckedBlock& block, const std::vector<IndexedTx>& txs,
                          int64_t seen_ms, bool live);

  // Replaces every record table with `tables` and stamps meta.records_*.
  core::Status ReplaceRecords(const std::vector<TableRows>& tables, uint64_t height, int64_t now_ms,
                              int64_t ledger_now_ms);

  // Appends read-audit events (GET /v1/audit-events items); meta.audit_seq becomes the last.
  core::Status AppendReadEvents(const std::vector<nlohmann::json>& events);

  struct NodeSample {
    std::string node_url;
    int64_t at_ms = 0;
    bool up = false;
    PgParam ready, height, view, peers, proofs_verified, proofs_rejected, latency_sum,
        latency_count;
  };
  core::Status WriteSample(const NodeSample& sample);

 private:
  // Runs `body` inside BEGIN..COMMIT, rolling back on failure.
  template <typename Fn>
  core::Status InTransaction(Fn&& body);

  PgConnection& db_;
};

}  // namespace tradeledger::index
