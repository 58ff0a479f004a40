// A small PostgreSQL client (libpq) for the indexer and the assessment report.
//
// Values travel as text: parameters are bound as text (libpq converts them to the column's
// type on the server), results come back as text, NULL as std::nullopt. Statements are sent
// with PQexecParams, so no value is ever spliced into SQL.
//
// Error codes:
//   PG_CONNECT_FAILED  the server could not be reached or refused the connection info
//   PG_QUERY_FAILED    the server refused a statement; the detail carries its SQLSTATE and
//                      message (a failed statement inside Begin..Commit aborts that
//                      transaction: call Rollback)
//
// Thread safety: one thread at a time per PgConnection.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

struct pg_conn;

namespace tradeledger::index {

using PgParam = std::optional<std::string>;  // nullopt binds NULL
using PgRow = std::vector<std::optional<std::string>>;

struct PgResult {
  std::vector<std::string> columns;
  std::vector<PgRow> rows;
  uint64_t affected = 0;  // rows inserted, updated or deleted by the statement
};

class PgConnection {
 public:
  // `conninfo` is a libpq connection string or URI ("host=/tmp/pg dbname=tl",
  // "postgresql://user@host/db").
  static core::Result<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // One statement with $1..$n parameters.
  core::Result<PgResult> Exec(std::string_view sql, const std::vector<PgParam>& params = {});
  // Several statements separated by ';' and no parameters (the schema).
  core::Status ExecScript(std::string_view sql);

  core::Status Begin() { return ExecScript("BEGIN"); }
  core::Status Commit() { return ExecScript("COMMIT"); }
  // Never fails the caller: a rollback that cannot run leaves a broken connection that the
  // next call reports.
  void Rollback();

 private:
  explicit PgConnection(pg_conn* conn) : conn_(conn) {}
  pg_conn* conn_;
};

// Helpers for building parameter lists.
inline PgParam PgText(std::string_view s) { return std::string(s); }
PgParam PgInt(int64_t v);
// A PostgreSQL text[] literal ({"a","b"}) with every element quoted and escaped.
std::string PgTextArray(const std::vector<std::string>& items);

// The value of a result cell as an integer, or `fallback` when NULL or not a number.
int64_t PgToInt(const std::optional<std::string>& cell, int64_t fallback = 0);

}  // namespace tradeledger::index
