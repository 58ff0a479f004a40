// The indexer's relational schema (schema.sql, documented in doc/assessment.md).
#pragma once

#include <string_view>

#include "core/result.h"
#include "index/pg.h"

namespace tradeledger::index {

// Bumped when schema.sql changes in a way an existing database cannot follow; a database of
// another version is refused (SCHEMA_VERSION_MISMATCH) rather than migrated silently.
inline constexpr int kSchemaVersion = 1;

// The text of schema.sql.
std::string_view SchemaSql();

// Creates whatever is missing of the schema (idempotent) and sets the session's search_path
// to it.
core::Status ApplySchema(PgConnection& db);

}  // namespace tradeledger::index
