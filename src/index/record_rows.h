// The records the node's list routes serve, as rows of the indexer's tables (schema.sql).
// Pure: JSON in, SQL parameters out. A field the reader's view does not carry becomes NULL;
// the whole record is always kept in the `record` column as served.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "index/pg.h"

namespace tradeledger::index {

// One table's rows: INSERT INTO table (columns...) VALUES ($1..$n) for each row.
struct TableRows {
  std::string table;
  std::vector<std::string> columns;
  std::vector<std::vector<PgParam>> rows;
};

// A kind of record: the list route that serves it and the tables it fills (the main table
// first, then its child tables).
struct RecordKind {
  std::string list_path;            // "/v1/claims"
  std::vector<std::string> tables;  // {"claims", "claim_events"}
};
const std::vector<RecordKind>& RecordKinds();

// The rows of `items` (the records a list route served, all of one kind). `ledger_now_ms` is
// the ledger's trade time when they were read: it decides whether a deadline without an
// answer has been missed yet. Items that lack their id field are skipped (a view never does).
std::vector<TableRows> RecordRows(const RecordKind& kind, const std::vector<nlohmann::json>& items,
                                  int64_t ledger_now_ms);

// The statement for one row of `rows`.
std::string InsertSql(const TableRows& rows);

}  // namespace tradeledger::index
