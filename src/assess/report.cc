#include "assess/report.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string_view>

#include "assess/svg.h"

namespace tradeledger::assess {
namespace {

// Rows beyond this are left out of a figure's table (the JSON has them all).
constexpr size_t kMaxTableRows = 100;

struct Section {
  std::string_view id;
  std::string_view heading;
  std::string_view intro;
};

constexpr Section kSections[] = {
    {"operations", "Operations",
     "How the customs processes ran on the ledger: preference claims and their decisions, "
     "verification cases and their deadlines, intellectual-property assessments at the border."},
    {"technical", "Technical",
     "How the network ran: blocks and transactions over time, commit latency, consensus rounds "
     "without a block, each validator's share of the commit certificates, availability."},
    {"legal", "Legal and policy",
     "Who read whose records, whether records outlive their retention period, and whether any "
     "importer-of-record number is stored in the clear."},
};

std::string Esc(std::string_view text) { return EscapeXml(text); }

std::optional<double> ParseNumber(const std::optional<std::string>& cell) {
  if (!cell || cell->empty()) return std::nullopt;
  char* end = nullptr;
  double v = std::strtod(cell->c_str(), &end);
  if (end != cell->c_str() + cell->size()) return std::nullopt;
  return v;
}

// Every non-NULL cell of column `c` is a number.
bool NumericColumn(const Figure& figure, size_t c) {
  for (const auto& row : figure.rows) {
    if (c < row.size() && row[c] && !ParseNumber(row[c])) return false;
  }
  return true;
}

std::string Label(const std::optional<std::string>& cell) { return cell ? *cell : "(none)"; }

std::vector<double> ColumnValues(const Figure& figure, size_t c) {
  std::vector<double> values;
  for (const auto& row : figure.rows) {
    values.push_back(c < row.size() ? ParseNumber(row[c]).value_or(0) : 0);
  }
  return values;
}

// The series a chart draws: the numeric columns after the first; percentages only when there
// is nothing else (a share beside its count would share the count's axis).
std::vector<Series> ChartSeries(const Figure& figure) {
  std::vector<size_t> numeric, counts;
  for (size_t c = 1; c < figure.columns.size(); ++c) {
    if (!NumericColumn(figure, c)) continue;
    numeric.push_back(c);
    if (!figure.columns[c].ends_with("_pct")) counts.push_back(c);
  }
  std::vector<Series> series;
  for (size_t c : counts.empty() ? numeric : counts) {
    series.push_back({figure.columns[c], ColumnValues(figure, c)});
  }
  return series;
}

// Minutes since the epoch of "YYYY-MM-DD HH:MI".
std::optional<double> ParseMinute(const std::optional<std::string>& cell) {
  if (!cell || cell->size() != 16) return std::nullopt;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0;
  if (std::sscanf(cell->c_str(), "%4d-%2d-%2d %2d:%2d", &y, &mo, &d, &h, &mi) != 5) {
    return std::nullopt;
  }
  std::chrono::year_month_day date{std::chrono::year{y},
                                   std::chrono::month{static_cast<unsigned>(mo)},
                                   std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return std::nullopt;
  auto days = std::chrono::sys_days{date}.time_since_epoch().count();
  return static_cast<double>(days) * 1440 + h * 60 + mi;
}

std::string Chart(const Figure& figure) {
  ChartFrame frame;
  frame.title = figure.title;
  if (figure.columns.empty()) return NoDataSvg(frame);
  std::vector<std::string> labels;
  for (const auto& row : figure.rows) labels.push_back(row.empty() ? "" : Label(row[0]));
  std::vector<Series> series = ChartSeries(figure);
  frame.x_label = figure.columns[0];
  if (series.size() == 1) frame.y_label = series[0].name;
  if (figure.chart == "bar") return BarChartSvg(frame, labels, series);
  if (figure.chart == "histogram") {
    return HistogramSvg(frame, labels, series.empty() ? std::vector<double>{} : series[0].values);
  }
  // "line": by time when the first column is a minute, else by position.
  std::vector<double> x;
  for (size_t i = 0; i < figure.rows.size(); ++i) {
    auto minute = figure.rows[i].empty() ? std::nullopt : ParseMinute(figure.rows[i][0]);
    if (!minute) {
      x.clear();
      for (size_t j = 0; j < figure.rows.size(); ++j) x.push_back(static_cast<double>(j));
      break;
    }
    x.push_back(*minute);
  }
  if (figure.columns[0] == "minute") frame.x_label = "minute (UTC)";
  return LineChartSvg(frame, x, labels, series);
}

std::string Table(const Figure& figure) {
  if (figure.rows.empty()) return "<p class=\"empty\">No rows.</p>";
  std::vector<bool> numeric;
  for (size_t c = 0; c < figure.columns.size(); ++c) numeric.push_back(NumericColumn(figure, c));
  std::string out = "<table class=\"rows\"><thead><tr>";
  for (const auto& column : figure.columns) out += "<th>" + Esc(column) + "</th>";
  out += "</tr></thead><tbody>";
  size_t shown = std::min(figure.rows.size(), kMaxTableRows);
  for (size_t r = 0; r < shown; ++r) {
    out += "<tr>";
    for (size_t c = 0; c < figure.rows[r].size(); ++c) {
      const auto& cell = figure.rows[r][c];
      if (!cell) {
        out += "<td class=\"null\">NULL</td>";
      } else {
        out += (c < numeric.size() && numeric[c] ? "<td class=\"num\">" : "<td>") + Esc(*cell) +
               "</td>";
      }
    }
    out += "</tr>";
  }
  out += "</tbody></table>";
  if (shown < figure.rows.size()) {
    out += "<p class=\"more\">The first " + std::to_string(shown) + " of " +
           std::to_string(figure.rows.size()) + " rows; the JSON has them all.</p>";
  }
  return out;
}

// The verdict of protected_identifiers, in words.
std::string Verdict(const Figure& figure) {
  if (NoProtectedIdentifiers(figure)) {
    return "<p class=\"verdict ok\">No raw importer-of-record number is stored: no cell of the "
           "tables below has the shape of one.</p>";
  }
  std::string where;
  for (const auto& row : figure.rows) {
    if (row.size() < 2 || row[1] == "0") continue;
    if (!where.empty()) where += ", ";
    where += Label(row[0]) + " (" + Label(row[1]) + ")";
  }
  return "<p class=\"verdict warning\" role=\"alert\"><strong>Warning:</strong> text with the "
         "shape of an importer-of-record number is stored in: " +
         Esc(where) +
         ". Only the salted hash of an IOR number may reach the ledger; find the cells with the "
         "query below.</p>";
}

std::string RenderFigure(const Figure& figure, int number) {
  std::string out = "<figure id=\"" + Esc(figure.id) + "\"><figcaption><span class=\"num\">" +
                    std::to_string(number) + ".</span> " + Esc(figure.title) +
                    " <code class=\"fig-id\">" + Esc(figure.id) + "</code></figcaption>";
  if (figure.id == "protected_identifiers") out += Verdict(figure);
  if (figure.chart != "table") out += Chart(figure);
  out += Table(figure);
  if (!figure.note.empty()) out += "<p class=\"note\">" + Esc(figure.note) + "</p>";
  // The query twice: folded on screen, and always printed (a closed <details> prints folded).
  std::string sql = Esc(figure.sql);
  out += "<details><summary>The query</summary><pre><code>" + sql +
         "</code></pre></details><pre class=\"sql-print\"><code>" + sql +
         "</code></pre></figure>\n";
  return out;
}

constexpr std::string_view kStyle = R"css(
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #222; max-width: 980px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 20px; border-bottom: 2px solid #0072b2; padding-bottom: 4px; margin-top: 40px; }
table.meta { border-collapse: collapse; margin: 12px 0; }
table.meta th { text-align: left; padding: 2px 16px 2px 0; color: #555; font-weight: 600;
                vertical-align: top; white-space: nowrap; }
table.meta td { padding: 2px 0; }
.notice { background: #fff8e1; border-left: 4px solid #e69f00; padding: 6px 10px; }
nav ol { columns: 2; font-size: 13px; }
nav a { color: #0072b2; text-decoration: none; }
figure { margin: 24px 0; padding: 12px 16px; border: 1px solid #ddd; border-radius: 6px;
         break-inside: avoid; }
figcaption { font-weight: 600; font-size: 16px; margin-bottom: 8px; }
figcaption .num { color: #0072b2; }
.fig-id { font-weight: 400; color: #777; font-size: 12px; margin-left: 6px; }
svg.chart { display: block; max-width: 100%; height: auto; margin: 8px 0; }
table.rows { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
table.rows th, table.rows td { border: 1px solid #ddd; padding: 2px 8px; text-align: left; }
table.rows th { background: #f3f5f7; }
table.rows td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.rows td.null { color: #999; font-style: italic; }
.empty, .more { color: #666; font-size: 12px; }
.note { color: #444; font-size: 13px; }
details summary { cursor: pointer; color: #0072b2; font-size: 13px; }
details pre { background: #f6f8fa; padding: 8px 10px; overflow-x: auto; font-size: 12px;
              border-radius: 4px; }
pre.sql-print { display: none; }
.verdict { padding: 6px 10px; margin: 8px 0; }
.verdict.ok { background: #e8f5e9; border-left: 4px solid #009e73; }
.verdict.warning { background: #fdecea; border-left: 4px solid #d55e00; color: #8a1c00; }
footer { margin-top: 40px; color: #777; font-size: 12px; }
@media print {
  @page { margin: 14mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  nav { display: none; }
  section { break-before: page; }
  figure { border: none; padding: 0; margin: 12px 0 18px; break-inside: auto; }
  figcaption, svg.chart { break-after: avoid; break-inside: avoid; }
  details { display: none; }
  pre.sql-print { display: block; white-space: pre-wrap; border: 1px solid #ccc;
                  padding: 4px 6px; font-size: 8.5px; break-inside: avoid; }
  .verdict, table.rows th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
)css";

std::string Header(const ReportMeta& meta) {
  std::string out = "<header><h1>TradeLedger: 360-degree assessment</h1>";
  out +=
      "<p>Policy, operations, legal and technical aspects of a TradeLedger network, read from "
      "the index that <code>tradeledger index</code> wrote. Every figure is one SQL query over "
      "that database, printed under it.</p>";
  if (!meta.indexed) {
    out +=
        "<p class=\"notice\">The database has the index's schema but no <code>meta</code> row: "
        "the indexer has not written to it, so there is nothing to assess and every figure is "
        "empty.</p>";
  }
  auto row = [](std::string_view name, const std::string& value_html) {
    return "<tr><th>" + std::string(name) + "</th><td>" + value_html + "</td></tr>";
  };
  out += "<table class=\"meta\">";
  if (meta.indexed) {
    out += row("Chain", "<code>" + Esc(meta.chain_id) + "</code>");
    out += row("Read through", "<code>" + Esc(meta.node_url) + "</code>");
    out += row("Read as",
               "<strong>" + Esc(meta.reader_org) +
                   "</strong>. The database holds only what this organisation may see: records "
                   "as the node serves them to its key, transaction bodies only where it is a "
                   "party (or customs), and the read audit log of that one node.");
    out += row("Blocks", meta.height == 0 ? std::string("none yet")
                                          : "1 to " + std::to_string(meta.height) +
                                                ", each verified against its commit certificate");
    out += row("Records as of",
               "height " + std::to_string(meta.records_height) + ", ledger time " +
                   (meta.records_ledger_ms > 0 ? Esc(FormatUtc(meta.records_ledger_ms)) : "-"));
  }
  out += row("Generated", Esc(FormatUtc(meta.generated_ms)));
  out += "</table></header>\n";
  return out;
}

std::string Contents(const std::vector<Figure>& figures) {
  std::string out = "<nav><ol>";
  for (const auto& section : kSections) {
    for (const auto& figure : figures) {
      if (figure.section != section.id) continue;
      out += "<li><a href=\"#" + Esc(figure.id) + "\">" + Esc(figure.title) + "</a></li>";
    }
  }
  return out + "</ol></nav>\n";
}

}  // namespace

std::string FormatUtc(int64_t ms) {
  using namespace std::chrono;
  sys_time<milliseconds> time{milliseconds{ms}};
  auto day = floor<days>(time);
  year_month_day date{day};
  hh_mm_ss<milliseconds> clock{time - day};
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02d:%02d:%02d UTC", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()),
                static_cast<int>(clock.seconds().count()));
  return buf;
}

std::string RenderHtml(const ReportMeta& meta, const std::vector<Figure>& figures) {
  std::string title = "TradeLedger assessment";
  if (meta.indexed) title += ": " + meta.chain_id;
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  out += "<title>" + Esc(title) + "</title><style>" + std::string(kStyle) + "</style></head>\n";
  out += "<body>" + Header(meta) + Contents(figures);
  int number = 0;
  for (const auto& section : kSections) {
    out += "<section id=\"section-" + std::string(section.id) + "\"><h2>" +
           std::string(section.heading) + "</h2><p>" + std::string(section.intro) + "</p>\n";
    for (const auto& figure : figures) {
      if (figure.section == section.id) out += RenderFigure(figure, ++number);
    }
    out += "</section>\n";
  }
  out +=
      "<footer>Made by <code>tradeledger assess</code>. The rows of every figure are also in "
      "the JSON written beside this page (<code>--json</code>).</footer>\n</body></html>\n";
  return out;
}

nlohmann::json FiguresJson(const ReportMeta& meta, const std::vector<Figure>& figures) {
  nlohmann::json out;
  out["meta"] = {{"indexed", meta.indexed},
                 {"chain_id", meta.chain_id},
                 {"node_url", meta.node_url},
                 {"reader_org", meta.reader_org},
                 {"height", meta.height},
                 {"records_height", meta.records_height},
                 {"records_ledger_ms", meta.records_ledger_ms},
                 {"generated_ms", meta.generated_ms},
                 {"generated_utc", FormatUtc(meta.generated_ms)}};
  out["figures"] = nlohmann::json::array();
  for (const auto& figure : figures) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& row : figure.rows) {
      nlohmann::json cells = nlohmann::json::array();
      for (const auto& cell : row) cells.push_back(cell ? nlohmann::json(*cell) : nullptr);
      rows.push_back(std::move(cells));
    }
    out["figures"].push_back({{"id", figure.id},
                              {"section", figure.section},
                              {"title", figure.title},
                              {"sql", figure.sql},
                              {"chart", figure.chart},
                              {"columns", figure.columns},
                              {"rows", std::move(rows)},
                              {"note", figure.note}});
  }
  return out;
}

}  // namespace tradeledger::assess
