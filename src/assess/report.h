// The assessment report: one self-contained HTML page (inline CSS and SVG; no script, no
// external reference, printable) and a JSON document with every figure's rows. Pure: both are
// functions of what figures.h read.
//
// The page has a header naming what was read (chain, node, reader organisation, heights,
// times), then the sections Operations, Technical, and Legal and policy; each figure shows its
// title, its chart (unless it is a table), a table of its rows, its note and the SQL that
// produced it. Every text that came from the database is escaped.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "assess/figures.h"

namespace tradeledger::assess {

// The HTML page. Figures appear in the order given, grouped by section (operations, technical,
// legal); a figure of another section is left out.
std::string RenderHtml(const ReportMeta& meta, const std::vector<Figure>& figures);

// {"meta": {indexed, chain_id, node_url, reader_org, height, records_height, records_ledger_ms,
//  generated_ms, generated_utc}, "figures": [{id, section, title, sql, chart, columns, rows,
//  note}]} with every cell a string or null, as the database printed it.
nlohmann::json FiguresJson(const ReportMeta& meta, const std::vector<Figure>& figures);

// "2024-08-01 12:00:00 UTC" for milliseconds since the epoch.
std::string FormatUtc(int64_t ms);

}  // namespace tradeledger::assess
