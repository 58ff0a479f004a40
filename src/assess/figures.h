// The figures of the 360-degree assessment (doc/assessment.md, "The report"): each one is a
// single SQL query over the indexer's database (src/index/schema.sql), run as written and
// printed under its figure, so that a reader can re-run it and get the same rows.
//
// Figure ids, columns and row orders are a contract: the end-to-end test compares the rows
// with what the node's API serves. Counts come back as PostgreSQL prints them (text); NULL as
// std::nullopt.
//
// Every query names its tables with the schema (tradeledger.claims): none depends on the
// session's search_path. For one consistent snapshot while an indexer writes, call ReadMeta and
// RunFigures inside one REPEATABLE READ transaction (`tradeledger assess` does).
//
// Error codes:
//   SCHEMA_MISSING           the database has no tradeledger.meta table (not an index)
//   SCHEMA_VERSION_MISMATCH  the index was written by another schema version
//   PG_QUERY_FAILED          a query was refused (index/pg.h)
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "index/pg.h"

namespace tradeledger::assess {

struct Figure {
  std::string id;       // stable, e.g. "claims_by_agreement"
  std::string section;  // "operations", "technical" or "legal"
  std::string title;
  std::string sql;    // the one query that produced `rows`, exactly as run
  std::string chart;  // "bar", "histogram", "line" or "table"
  std::string note;   // caveats and, for some figures, numbers derived from the data
  std::vector<std::string> columns;
  std::vector<std::vector<std::optional<std::string>>> rows;
};

// What the report was read from: the indexer's `meta` row, plus when the report was made.
struct ReportMeta {
  bool indexed = false;  // false: the schema exists but the indexer never wrote its meta row
  std::string chain_id;
  std::string node_url;
  std::string reader_org;
  int64_t height = 0;             // the last block the indexer wrote
  int64_t records_height = 0;     // the node's height when the records were read
  int64_t records_ledger_ms = 0;  // the ledger's trade time then
  int64_t generated_ms = 0;       // the report's own clock (set by the caller)
};

// SCHEMA_MISSING unless tradeledger.meta exists.
core::Status CheckSchema(index::PgConnection& db);

// The meta row (indexed = false when there is none); generated_ms is left 0.
core::Result<ReportMeta> ReadMeta(index::PgConnection& db);

// Runs every figure's query, in report order. An empty index gives figures with no rows (or
// rows of zeros where a figure has fixed rows), never an error.
core::Result<std::vector<Figure>> RunFigures(index::PgConnection& db);

// The figure `protected_identifiers` found no importer-of-record number anywhere (every
// cells_matching is 0). False for any other figure.
bool NoProtectedIdentifiers(const Figure& figure);

}  // namespace tradeledger::assess
