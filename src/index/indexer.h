// `tradeledger index`: follows one node's committed blocks and writes, into PostgreSQL
// (schema.sql), what the indexer's key may read (ADR 0024, doc/assessment.md).
//
// What it writes and when:
//   - each block, after CheckServedBlock (certificate by a quorum of the trusted set in force,
//     hash, chain, link to the previous block written, tx_root over the served ids), with its
//     signers and its transactions as GET /v1/transactions/{id} shows them to the key (a body
//     only where the key is entitled to it) — one database transaction per block, which also
//     advances meta.height. A block is never written twice and never skipped: after a crash
//     the indexer resumes at meta.height + 1;
//   - the records (organisations, certifications, entries and lines, claims and their history,
//     cases and deadlines, recordations, licences, assessments, documents, delegations), read
//     through the node's list routes and replaced in one database transaction, after blocks
//     with transactions arrived and at most every `records_interval` (reads the node audits);
//   - the followed node's read audit log from meta.audit_seq on;
//   - a sample of each --watch node's health, readiness and counters every `sample_interval`.
// Blocks are learnt from the signed event stream; /health is polled as well, so a missed event
// or a broken stream only delays a block. A node that cannot be reached is retried with
// back-off; a block that fails its checks stops the indexer (nothing of it is written).
//
// Error codes (besides those of the parts): CHAIN_MISMATCH (the node or the database is of
// another chain than the validators file), READER_MISMATCH (the database was filled by another
// key: one database holds one reader's view), SCHEMA_VERSION_MISMATCH, INDEX_CONFLICT
// (another indexer wrote the same database meanwhile).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "api/http/http_client.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "node/genesis.h"

namespace tradeledger::index {

struct IndexerOptions {
  std::string node_url;
  api::http::ClientTls tls;  // for node_url and the watch URLs
  crypto::KeyPair key;       // the reader: a member key of some organisation
  node::TrustedValidators trusted;
  std::string validators_json;     // the validators file's text (for the validators' names)
  std::string db;                  // libpq connection string
  std::vector<std::string> watch;  // node URLs to sample (availability, catch-ups, counters)
  uint64_t until_height = 0;       // stop once this height is written (0: follow for ever)
  bool once = false;               // stop once caught up with the tip at start
  std::chrono::milliseconds records_interval{5000};
  std::chrono::milliseconds sample_interval{2000};
  std::function<bool()> stop;                   // polled; true: finish and return
  std::function<void(const std::string&)> log;  // progress and retries, one line each
};

// Runs until `stop` says so, `until_height` is written or, with `once`, the tip at start is.
// Before returning normally it refreshes the records and the audit log one last time.
core::Status RunIndexer(const IndexerOptions& options);

}  // namespace tradeledger::index
