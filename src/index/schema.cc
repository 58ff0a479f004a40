#include "index/schema.h"

namespace tradeledger::index {

// schema_sql.inc is schema.sql wrapped in a raw string literal by CMake (CMakeLists.txt).
std::string_view SchemaSql() {
  static constexpr std::string_view kSql =
#include "schema_sql.inc"
      ;
  return kSql;
}

core::Status ApplySchema(PgConnection& db) {
  // Two indexers starting together must not race on CREATE ... IF NOT EXISTS.
  TL_RETURN_IF_ERROR(db.ExecScript("SELECT pg_advisory_lock(7120240)"));
  auto applied = db.ExecScript(SchemaSql());
  (void)db.ExecScript("SELECT pg_advisory_unlock(7120240)");
  TL_RETURN_IF_ERROR(applied);
  return db.ExecScript("SET search_path TO tradeledger");
}

}  // namespace tradeledger::index
