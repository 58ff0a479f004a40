// `tradeledger assess`: the 360-degree assessment report (doc/assessment.md, "The report").
//
// Reads the database that `tradeledger index` fills, in one read-only snapshot, and writes one
// self-contained HTML page; optionally the JSON of every figure and a PDF printed from the page
// by Debian's headless chromium (found on PATH).
//
// Exit codes: 0 written; 1 the database is not an index (SCHEMA_MISSING,
// SCHEMA_VERSION_MISMATCH), a query failed, a file could not be written, chromium failed;
// 2 the database could not be reached (PG_CONNECT_FAILED), or --pdf without chromium on PATH
// (the HTML and JSON are written first).
#pragma once

#include <string>

namespace tradeledger::cli {

struct AssessOptions {
  std::string db;        // libpq connection string of the index
  std::string out_html;  // the report page
  std::string out_json;  // empty: no JSON
  std::string out_pdf;   // empty: no PDF
};

int Assess(const AssessOptions& options);

}  // namespace tradeledger::cli
