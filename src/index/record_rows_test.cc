// RecordRows: the records as the list routes serve them become the documented rows.
#include "index/record_rows.h"

#include <gtest/gtest.h>

namespace tradeledger::index {
namespace {

using nlohmann::json;

const RecordKind& Kind(const std::string& table) {
  for (const auto& k : RecordKinds()) {
    if (k.tables.front() == table) return k;
  }
  ADD_FAILURE() << "no kind " << table;
  return RecordKinds().front();
}

// The value of `column` in row `row` of `t`.
PgParam Cell(const TableRows& t, size_t row, const std::string& column) {
  for (size_t i = 0; i < t.columns.size(); ++i) {
    if (t.columns[i] == column) return t.rows.at(row).at(i);
  }
  ADD_FAILURE() << "no column " << column << " in " << t.table;
  return std::nullopt;
}

TEST(RecordRows, AClaimDecidedAtFilingAndOneDeniedAfterVerification) {
  json auto_accepted = {
      {"claimId", "E-1#1"},
      {"agreement", "USMCA"},
      {"state", "ACCEPTED"},
      {"reasonCodes", json::array()},
      {"history",
       {{{"at", 100}, {"by", "BRK"}, {"state", "SUBMITTED"}, {"reasonCodes", json::array()}},
        {{"at", 100}, {"by", "BRK"}, {"state", "ACCEPTED"}, {"reasonCodes", json::array()}}}}};
  json denied = {{"claimId", "E-2#1"},
                 {"agreement", "USMCA"},
                 {"state", "DENIED"},
                 {"reasonCodes", {"VERIFICATION_DENIED"}},
                 {"history",
                  {{{"at", 100}, {"state", "SUBMITTED"}},
                   {{"at", 100}, {"state", "ACCEPTED"}},
                   {{"at", 500}, {"state", "UNDER_VERIFICATION"}},
                   {{"at", 900}, {"state", "DENIED"}, {"reasonCodes", {"VERIFICATION_DENIED"}}}}}};
  json open = {{"claimId", "E-3#1"},
               {"state", "UNDER_VERIFICATION"},
               {"history", {{{"at", 7}, {"state", "SUBMITTED"}}}}};
  auto tables = RecordRows(Kind("claims"), {auto_accepted, denied, open}, 0);
  ASSERT_EQ(tables.size(), 2u);
  const TableRows& claims = tables[0];
  ASSERT_EQ(claims.rows.size(), 3u);
  EXPECT_EQ(Cell(claims, 0, "submitted_at_ms"), "100");
  EXPECT_EQ(Cell(claims, 0, "first_decision"), "ACCEPTED");
  EXPECT_EQ(Cell(claims, 0, "auto_decided"), "true");
  EXPECT_EQ(Cell(claims, 0, "final"), "true");
  EXPECT_EQ(Cell(claims, 0, "decided_at_ms"), "100");
  EXPECT_EQ(Cell(claims, 1, "decided_at_ms"), "900");
  EXPECT_EQ(Cell(claims, 1, "reason_codes"), "{\"VERIFICATION_DENIED\"}");
  EXPECT_EQ(Cell(claims, 2, "final"), "false");
  EXPECT_FALSE(Cell(claims, 2, "decided_at_ms").has_value());
  EXPECT_FALSE(Cell(claims, 2, "first_decision").has_value());
  EXPECT_EQ(json::parse(*Cell(claims, 1, "record")), denied);
  const TableRows& events = tables[1];
  EXPECT_EQ(events.table, "claim_events");
  EXPECT_EQ(events.rows.size(), 2u + 4u + 1u);
}

TEST(RecordRows, CaseDeadlinesAreMetMissedOrOpen) {
  json c = {
      {"caseId", "C-1"},
      {"claimIds", {"a", "b"}},
      {"history", {{{"at", 10}, {"state", "OPEN"}}}},
      {"requests",
       {{{"addressee", "IMP"}, {"requestedAt", 10}, {"dueAt", 100}},
        {{"addressee", "MXP"}, {"requestedAt", 20}, {"dueAt", 200}},
        {{"addressee", "IMP"}, {"requestedAt", 150}, {"dueAt", 400}},
        {{"addressee", "OTH"}, {"requestedAt", 150}, {"dueAt", 900}}}},
      {"responses",
       {{{"by", "IMP"}, {"at", 90}}, {{"by", "MXP"}, {"at", 250}}, {{"by", "IMP"}, {"at", 160}}}}};
  auto tables = RecordRows(Kind("cases"), {c}, /*ledger_now_ms=*/500);
  ASSERT_EQ(tables.size(), 2u);
  EXPECT_EQ(Cell(tables[0], 0, "opened_at_ms"), "10");
  EXPECT_EQ(Cell(tables[0], 0, "claim_count"), "2");
  const TableRows& requests = tables[1];
  ASSERT_EQ(requests.rows.size(), 4u);
  EXPECT_EQ(Cell(requests, 0, "responded_at_ms"), "90");
  EXPECT_EQ(Cell(requests, 0, "met"), "true");
  EXPECT_EQ(Cell(requests, 1, "met"), "false");            // answered after its due date
  EXPECT_EQ(Cell(requests, 2, "responded_at_ms"), "160");  // the answer after the request
  EXPECT_EQ(Cell(requests, 2, "met"), "true");
  EXPECT_FALSE(Cell(requests, 3, "met").has_value());  // due later than the ledger's now

  auto later = RecordRows(Kind("cases"), {c}, /*ledger_now_ms=*/1000);
  EXPECT_EQ(Cell(later[1], 3, "met"), "false");  // due date passed without an answer
}

TEST(RecordRows, EntriesBecomeEntriesAndLines) {
  json e = {{"entryNumber", "ABC-1234567-6"},
            {"importer", "IMP"},
            {"iorNumberHash", std::string(64, 'f')},
            {"lines",
             {{{"lineNo", 1}, {"hts10", "8708300050"}, {"valueCents", 1200000}, {"quantity", 100}},
              {{"lineNo", 2}, {"hts10", "8708300051"}, {"quantity", 2.5}}}}};
  auto tables = RecordRows(Kind("entries"), {e, {{"noId", true}}}, 0);
  ASSERT_EQ(tables.size(), 2u);
  ASSERT_EQ(tables[0].rows.size(), 1u);  // the item without an id is skipped
  EXPECT_EQ(Cell(tables[0], 0, "ior_number_hash"), std::string(64, 'f'));
  ASSERT_EQ(tables[1].rows.size(), 2u);
  EXPECT_EQ(Cell(tables[1], 0, "value_cents"), "1200000");
  EXPECT_FALSE(Cell(tables[1], 1, "value_cents").has_value());
  EXPECT_EQ(Cell(tables[1], 1, "quantity").value().substr(0, 3), "2.5");
}

TEST(RecordRows, AMetadataViewLeavesTheFieldsItLacksNull) {
  json doc = {{"docId", "INV-1"}, {"docType", "INVOICE"}, {"access", "metadata"}};
  auto tables = RecordRows(Kind("documents"), {doc}, 0);
  ASSERT_EQ(tables.size(), 1u);
  EXPECT_EQ(Cell(tables[0], 0, "doc_type"), "INVOICE");
  EXPECT_FALSE(Cell(tables[0], 0, "anchored_by_org").has_value());
  EXPECT_FALSE(Cell(tables[0], 0, "retain_until_ms").has_value());
}

TEST(RecordRows, EveryKindHasATableAndAnInsert) {
  for (const RecordKind& kind : RecordKinds()) {
    auto tables = RecordRows(kind, {}, 0);
    ASSERT_EQ(tables.size(), kind.tables.size()) << kind.list_path;
    for (size_t i = 0; i < tables.size(); ++i) {
      EXPECT_EQ(tables[i].table, kind.tables[i]);
      EXPECT_TRUE(InsertSql(tables[i]).starts_with("INSERT INTO " + kind.tables[i] + " ("));
    }
  }
}

TEST(RecordRows, AffirmedIsADecisionAndALicensorsAssessmentsAreKept) {
  json affirmed = {{"claimId", "E-4#1"},
                   {"state", "AFFIRMED"},
                   {"history",
                    {{{"at", 1}, {"state", "SUBMITTED"}},
                     {{"at", 1}, {"state", "UNDER_VERIFICATION"}},
                     {{"at", 9}, {"state", "AFFIRMED"}}}}};
  auto claims = RecordRows(Kind("claims"), {affirmed}, 0);
  EXPECT_EQ(Cell(claims[0], 0, "final"), "true");
  EXPECT_EQ(Cell(claims[0], 0, "first_decision"), "AFFIRMED");
  EXPECT_EQ(Cell(claims[0], 0, "decided_at_ms"), "9");
  EXPECT_EQ(Cell(claims[0], 0, "auto_decided"), "false");

  // A licensor sees {result, reasonCodes, licenseChain, assessedAt}: no id (it would name the
  // entry). Each such item is kept, numbered by its place in the list.
  json licensor = {
      {"result", "FLAG"}, {"reasonCodes", {"QUANTITY_LIMIT_EXCEEDED"}}, {"assessedAt", 5}};
  json full = {{"assessmentId", "E-1#1"}, {"result", "FACILITATE"}};
  auto rows = RecordRows(Kind("assessments"), {licensor, full, licensor}, 0);
  ASSERT_EQ(rows[0].rows.size(), 3u);
  EXPECT_EQ(Cell(rows[0], 0, "assessment_id"), "licensor-view-1");
  EXPECT_EQ(Cell(rows[0], 1, "assessment_id"), "E-1#1");
  EXPECT_EQ(Cell(rows[0], 2, "assessment_id"), "licensor-view-3");
  EXPECT_EQ(Cell(rows[0], 0, "result"), "FLAG");
}

}  // namespace
}  // namespace tradeledger::index
