// The report page: self-contained, every figure with its SQL, everything escaped; the JSON of
// the figures round-trips.
#include "assess/report.h"

#include <gtest/gtest.h>

#include <regex>

#include "assess/svg.h"
#include "index/pg_test_cluster.h"
#include "index/schema.h"

namespace tradeledger::assess {
namespace {

ReportMeta Meta() {
  return {.indexed = true,
          .chain_id = "tl-<chain>",
          .node_url = "http://127.0.0.1:7711",
          .reader_org = "CBP",
          .height = 42,
          .records_height = 40,
          .records_ledger_ms = 1735689600000,
          .generated_ms = 1735693200000};
}

std::vector<Figure> HandMade() {
  return {
      {.id = "claims_by_agreement",
       .section = "operations",
       .title = "Preference claims by agreement",
       .sql = "SELECT agreement, count(*) AS filed\nFROM tradeledger.claims\nWHERE x < 1",
       .chart = "bar",
       .note = "A note & a caveat.",
       .columns = {"agreement", "filed", "auto_accept_rate_pct"},
       .rows = {{"<script>alert('x')</script>", "3", "66.7"}, {std::nullopt, "1", "0.0"}}},
      {.id = "time_to_decision",
       .section = "operations",
       .title = "Time to decision",
       .sql = "SELECT 1\n",
       .chart = "histogram",
       .note = "n",
       .columns = {"days", "claims"},
       .rows = {{"0", "0"}, {">90", "0"}}},
      {.id = "throughput",
       .section = "technical",
       .title = "Throughput",
       .sql = "SELECT 2\n",
       .chart = "line",
       .note = "n",
       .columns = {"minute", "blocks", "transactions"},
       .rows = {{"2025-01-01 00:00", "2", "5"}, {"2025-01-01 00:03", "1", "1"}}},
      {.id = "view_changes",
       .section = "technical",
       .title = "Views",
       .sql = "SELECT 3\n",
       .chart = "table",
       .note = "n",
       .columns = {"blocks", "views_skipped"},
       .rows = {{"6", "3"}}},
      {.id = "protected_identifiers",
       .section = "legal",
       .title = "IOR numbers",
       .sql = "SELECT '\\m\\d{2}-\\d{7}[A-Z0-9]{2}\\M' ~ 'x'\n",
       .chart = "table",
       .note = "n",
       .columns = {"table_name", "cells_matching"},
       .rows = {{"entries", "0"}, {"transactions", "0"}}},
  };
}

// No reference that a browser would fetch: no src, no link, no CSS url() or @import, no
// script, no attribute pointing at http(s).
void ExpectSelfContained(const std::string& html) {
  for (const char* forbidden : {"src=", "<link", "url(", "@import", "<script", "<iframe", "<img",
                                "<object", "<embed", "xmlns"}) {
    EXPECT_EQ(html.find(forbidden), std::string::npos) << forbidden;
  }
  EXPECT_FALSE(std::regex_search(html, std::regex("=\\s*\"\\s*(https?|ftp|file):")))
      << "an attribute refers to a URL";
}

TEST(AssessReport, TheHtmlIsSelfContainedAndShowsEveryFigureWithItsQuery) {
  auto figures = HandMade();
  std::string html = RenderHtml(Meta(), figures);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(html.ends_with("</html>\n"));
  ExpectSelfContained(html);
  for (const auto& figure : figures) {
    EXPECT_NE(html.find("id=\"" + figure.id + "\""), std::string::npos) << figure.id;
    EXPECT_NE(html.find(EscapeXml(figure.sql)), std::string::npos) << figure.id;
  }
  for (const char* text :
       {">Operations<", ">Technical<", ">Legal and policy<", "@media print",
        "http://127.0.0.1:7711", ">CBP<", "tl-&lt;chain&gt;", "2025-01-01 00:00:00 UTC",
        "2025-01-01 01:00:00 UTC", "holds only what this organisation may see", "<details>",
        "A note &amp; a caveat."}) {
    EXPECT_NE(html.find(text), std::string::npos) << text;
  }
  // Charts for bar, histogram and line figures; the all-zero histogram says "no data".
  EXPECT_NE(html.find("class=\"bar\""), std::string::npos);
  EXPECT_NE(html.find("<polyline"), std::string::npos);
  EXPECT_NE(html.find(">no data<"), std::string::npos);
  // NULL cells are shown as such; the percentage is in the table, not drawn beside the count.
  EXPECT_NE(html.find("<td class=\"null\">NULL</td>"), std::string::npos);
  EXPECT_EQ(html.find(">auto_accept_rate_pct</text>"), std::string::npos);
}

TEST(AssessReport, APlantedScriptIsEscapedEverywhere) {
  auto figures = HandMade();
  figures[0].title = "<script>alert(1)</script>";
  figures[3].columns[0] = "<b onclick=\"x\">";
  ReportMeta meta = Meta();
  meta.reader_org = "<script>evil()</script>";
  std::string html = RenderHtml(meta, figures);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<b onclick"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;evil()&lt;/script&gt;"), std::string::npos);
}

TEST(AssessReport, ProtectedIdentifiersAreStatedCleanOrRaiseAWarning) {
  auto figures = HandMade();
  std::string clean = RenderHtml(Meta(), figures);
  EXPECT_NE(clean.find("No raw importer-of-record number is stored"), std::string::npos);
  EXPECT_EQ(clean.find("verdict warning"), std::string::npos);

  figures[4].rows[0][1] = "2";
  std::string found = RenderHtml(Meta(), figures);
  EXPECT_EQ(found.find("No raw importer-of-record number is stored"), std::string::npos);
  EXPECT_NE(found.find("class=\"verdict warning\" role=\"alert\""), std::string::npos);
  EXPECT_NE(found.find("entries (2)"), std::string::npos);
}

TEST(AssessReport, AnIndexWithoutMetaSaysSoAndLongTablesAreCut) {
  auto figures = HandMade();
  for (int i = 0; i < 150; ++i) figures[3].rows.push_back({std::to_string(i), "0"});
  std::string html = RenderHtml(ReportMeta{}, figures);
  EXPECT_NE(html.find("no <code>meta</code> row"), std::string::npos);
  EXPECT_NE(html.find("The first 100 of 151 rows"), std::string::npos);
  EXPECT_EQ(html.find(">149</td>"), std::string::npos);
}

TEST(AssessReport, FiguresJsonRoundTrips) {
  auto figures = HandMade();
  nlohmann::json json = FiguresJson(Meta(), figures);
  nlohmann::json parsed = nlohmann::json::parse(json.dump(2));
  EXPECT_EQ(parsed, json);
  EXPECT_EQ(parsed["meta"]["chain_id"], "tl-<chain>");
  EXPECT_EQ(parsed["meta"]["reader_org"], "CBP");
  EXPECT_EQ(parsed["meta"]["height"], 42);
  EXPECT_EQ(parsed["meta"]["records_height"], 40);
  EXPECT_EQ(parsed["meta"]["records_ledger_ms"], 1735689600000);
  EXPECT_EQ(parsed["meta"]["generated_utc"], "2025-01-01 01:00:00 UTC");
  ASSERT_EQ(parsed["figures"].size(), figures.size());
  for (size_t i = 0; i < figures.size(); ++i) {
    const auto& j = parsed["figures"][i];
    Figure back{.id = j["id"],
                .section = j["section"],
                .title = j["title"],
                .sql = j["sql"],
                .chart = j["chart"],
                .note = j["note"],
                .columns = j["columns"].get<std::vector<std::string>>(),
                .rows = {}};
    for (const auto& row : j["rows"]) {
      std::vector<std::optional<std::string>> cells;
      for (const auto& cell : row) {
        cells.push_back(cell.is_null() ? std::nullopt
                                       : std::optional<std::string>(cell.get<std::string>()));
      }
      back.rows.push_back(std::move(cells));
    }
    EXPECT_EQ(back.id, figures[i].id);
    EXPECT_EQ(back.section, figures[i].section);
    EXPECT_EQ(back.title, figures[i].title);
    EXPECT_EQ(back.sql, figures[i].sql);
    EXPECT_EQ(back.chart, figures[i].chart);
    EXPECT_EQ(back.note, figures[i].note);
    EXPECT_EQ(back.columns, figures[i].columns);
    EXPECT_EQ(back.rows, figures[i].rows);
  }
  EXPECT_TRUE(parsed["figures"][0]["rows"][1][0].is_null());
  EXPECT_TRUE(parsed["figures"][0]["rows"][0][1].is_string()) << "counts stay as printed";
}

TEST(AssessReport, FormatUtcPrintsUtcToTheSecond) {
  EXPECT_EQ(FormatUtc(0), "1970-01-01 00:00:00 UTC");
  EXPECT_EQ(FormatUtc(1722470459999), "2024-08-01 00:00:59 UTC");
}

// The real figures of an empty index, rendered: all seventeen, each with its query, "no data"
// charts, still self-contained.
TEST(AssessReport, TheReportOfAnEmptyIndexHasEveryFigure) {
  index::PgTestCluster cluster;
  ASSERT_TRUE(cluster.ok()) << cluster.error();
  auto db = index::PgConnection::Connect(cluster.conninfo());
  ASSERT_TRUE(db) << db.error().ToString();
  ASSERT_TRUE(index::ApplySchema(**db));
  auto meta = ReadMeta(**db);
  ASSERT_TRUE(meta) << meta.error().ToString();
  auto figures = RunFigures(**db);
  ASSERT_TRUE(figures) << figures.error().ToString();
  ASSERT_EQ(figures->size(), 17u);
  std::string html = RenderHtml(*meta, *figures);
  ExpectSelfContained(html);
  for (const auto& figure : *figures) {
    EXPECT_NE(html.find("id=\"" + figure.id + "\""), std::string::npos) << figure.id;
    EXPECT_NE(html.find(EscapeXml(figure.sql)), std::string::npos) << figure.id;
  }
  EXPECT_NE(html.find(">no data<"), std::string::npos);
  EXPECT_NE(html.find("No raw importer-of-record number is stored"), std::string::npos);
  auto json = FiguresJson(*meta, *figures);
  EXPECT_EQ(json["figures"].size(), 17u);
  EXPECT_FALSE(json["meta"]["indexed"].get<bool>());
}

}  // namespace
}  // namespace tradeledger::assess
