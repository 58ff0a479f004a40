// Every figure's rows over a small hand-written index, an empty index, and a database without
// the schema, against a real PostgreSQL (scripts/pg-cluster.sh).
#include "assess/figures.h"

#include <gtest/gtest.h>

#include <map>

#include "index/pg_test_cluster.h"
#include "index/schema.h"

namespace tradeledger::assess {
namespace {

using Rows = std::vector<std::vector<std::optional<std::string>>>;
using Columns = std::vector<std::string>;

// The ledger time of the last records refresh: 2025-01-01 00:00:00 UTC.
constexpr std::string_view kDataset = R"sql(
INSERT INTO meta (schema_version, chain_id, node_url, reader_org, reader_key, height,
                  block_hash, records_height, records_ms, records_ledger_ms)
VALUES (1, 'tl-test', 'http://127.0.0.1:7711', 'CBP', 'idx', 6, 'h6', 6, 1735689700000,
        1735689600000);

-- Claims submitted 2024-11-01 (1730419200000); a day is 86400000 ms.
INSERT INTO claims (claim_id, agreement, state, submitted_at_ms, first_decision, auto_decided,
                    final, decided_at_ms, reason_codes, record) VALUES
  ('c1', 'USMCA', 'ACCEPTED', 1730419200000, 'ACCEPTED', true, true, 1730419200000, '{}', '{}'),
  ('c2', 'USMCA', 'ACCEPTED', 1730419200000, 'ACCEPTED', false, true, 1730548800000, '{}', '{}'),
  ('c3', 'USMCA', 'REJECTED', 1730419200000, 'REJECTED', false, true, 1731283200000,
   '{HTS_NOT_COVERED,CERT_EXPIRED}', '{}'),
  ('c4', 'USMCA', 'SUBMITTED', 1730419200000, NULL, NULL, false, NULL, '{}', '{}'),
  ('c5', 'CAFTA-DR', 'DENIED', 1730419200000, 'REJECTED', false, true, 1739059200000,
   '{CERT_EXPIRED}', '{}'),
  ('c6', 'CAFTA-DR', 'ACCEPTED', 1730419200000, 'ACCEPTED', true, true, 1730419200000, '{}',
   '{}'),
  ('c7', 'CAFTA-DR', 'REJECTED', 1730419200000, 'ACCEPTED', true, true, 1733875200000,
   '{CERT_EXPIRED}', '{}');

INSERT INTO cases (case_id, effective_state, record) VALUES
  ('k1', 'OPEN', '{}'), ('k2', 'CLOSED', '{}'), ('k3', 'OPEN', '{}');
INSERT INTO case_requests (case_id, seq, met) VALUES
  ('k1', 0, true), ('k1', 1, NULL), ('k2', 0, false), ('k2', 1, true);

INSERT INTO assessments (assessment_id, result, reason_codes, record) VALUES
  ('a1', 'FACILITATE', '{}', '{}'),
  ('a2', 'FLAG', '{NO_LICENCE,RECORDATION_MARK}', '{}'),
  ('a3', 'FLAG', '{NO_LICENCE}', '{}'),
  ('a4', 'FACILITATE', '{NO_LICENCE}', '{}');

-- Blocks from 2025-01-01 00:00:00 UTC (1735689600000): views 1, 2, 5, 6, 7, 9.
INSERT INTO blocks (height, hash, prev_hash, block_time_ms, proposer, view, tx_count, log_size,
                    state_height, signatures, quorum, set_size, seen_ms, live,
                    commit_latency_ms) VALUES
  (1, 'h1', 'h0', 1735689601000, 'p', 1, 2, 2, 0, 3, 3, 4, 1735689700000, false, NULL),
  (2, 'h2', 'h1', 1735689620000, 'p', 2, 3, 5, 1, 3, 3, 4, 1735689620050, true, 50),
  (3, 'h3', 'h2', 1735689661000, 'p', 5, 0, 5, 2, 3, 3, 4, 1735689661300, true, 300),
  (4, 'h4', 'h3', 1735689662000, 'p', 6, 1, 6, 3, 3, 3, 4, 1735689663500, true, 1500),
  (5, 'h5', 'h4', 1735689780000, 'p', 7, 4, 10, 4, 3, 3, 4, 1735689780120, true, 120),
  (6, 'h6', 'h5', 1735689781000, 'p', 4294967297, 1, 11, 5, 3, 3, 4, 1735689783500, true, 2500);

INSERT INTO validators (public_key, name, from_height) VALUES
  (repeat('a', 64), 'val-a-old', 0), (repeat('a', 64), 'val-a', 5),
  (repeat('b', 64), 'val-b', 0), (repeat('c', 64), 'val-c', 0), (repeat('d', 64), 'val-d', 0),
  (repeat('f', 64), 'val-f', 0);
INSERT INTO block_signers (height, validator)
  SELECT h, repeat(v, 64) FROM generate_series(1, 4) AS h, unnest('{a,b,c}'::text[]) AS v;
INSERT INTO block_signers (height, validator) VALUES
  (5, repeat('a', 64)), (5, repeat('b', 64)), (5, repeat('d', 64)),
  (6, repeat('a', 64)), (6, repeat('c', 64)), (6, repeat('e', 64));

-- node1 catches up twice (after 'ready', and after being down); node2 goes down last.
INSERT INTO node_samples (node_url, at_ms, up, ready, proofs_verified, proofs_rejected) VALUES
  ('http://node1', 1, true, 'ready', 10, 1),
  ('http://node1', 2, true, 'CATCHING_UP', 10, 1),
  ('http://node1', 3, true, 'CATCHING_UP', 10, 1),
  ('http://node1', 4, true, 'ready', 12, 2),
  ('http://node1', 5, false, NULL, NULL, NULL),
  ('http://node1', 6, true, 'CATCHING_UP', 13, 2),
  ('http://node2', 1, true, 'ready', 5, 0),
  ('http://node2', 2, true, 'ready', 7, 0),
  ('http://node2', 3, false, NULL, NULL, NULL);

INSERT INTO read_events (seq, at_ms, reader_org, reader_key, subject_type, subject_id,
                         owner_org, outcome, detail) VALUES
  (1, 1, 'CBP', 'k', 'claim', 'c1', 'MX-P', 'OK', ''),
  (2, 2, 'CBP', 'k', 'claim', 'c2', 'MX-P', 'OK', ''),
  (3, 3, 'MX-P', 'm', 'claim', 'c1', 'MX-P', 'OK', ''),
  (4, 4, 'US-I', 'u', 'certification', 'cert1', 'MX-P', 'OK', ''),
  (5, 5, 'CBP', 'k', 'document', 'doc1', '', 'OK', ''),
  (6, 6, 'CBP', 'k', 'certification', 'cert1', 'MX-P', 'OK', 'entry ABC-1234567-6'),
  (7, 7, 'CBP', 'idx', 'claim', 'c1', 'MX-P', 'FULL', '');  -- the indexer's own read

INSERT INTO documents (doc_id, retain_until_ms, purged_at_ms, record) VALUES
  ('d1', 1735689599999, NULL, '{}'),
  ('d2', 1735689600001, NULL, '{}'),
  ('d3', 1735689500000, 1735689550000, '{}'),
  ('d4', NULL, NULL, '{}');
INSERT INTO certifications (cert_id, retain_until_ms, record) VALUES
  ('cert1', 1735689599995, '{"certId": "cert1", "signedAt": "2024-08-01T00:00:00Z"}'),
  ('cert2', 1735689600005, '{}'),
  ('cert3', NULL, '{}');

-- One planted IOR number (EIN with suffix) in an entry; hashes and entry numbers elsewhere.
INSERT INTO entries (entry_number, ior_number_hash, record) VALUES
  ('ABC-1234567-6', repeat('9f', 32),
   '{"entryNumber": "ABC-1234567-6", "note": "IOR 12-3456789AB"}'),
  ('ABC-1234568-4', repeat('0a', 32),
   '{"entryNumber": "ABC-1234568-4", "iorNumberHash": "0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a0a"}');
INSERT INTO transactions (tx_id, height, position, leaf_index, access, type, body) VALUES
  ('t1', 2, 0, 2, 'full', 'document.anchor',
   '{"docId": "CO-1", "contentHash": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}'),
  ('t2', 2, 1, 3, 'id-only', NULL, NULL);
INSERT INTO organisations (org_id, record) VALUES ('MX-P', '{"orgId": "MX-P", "country": "MX"}');
)sql";

class AssessFiguresTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { cluster_ = new index::PgTestCluster(); }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }
  void SetUp() override { ASSERT_TRUE(cluster_->ok()) << cluster_->error(); }

  // A connection to database `name` of the cluster, created if needed (each test has its
  // own, so that they pass in any order and in one process).
  static std::unique_ptr<index::PgConnection> Connect(const std::string& name) {
    auto admin = index::PgConnection::Connect(cluster_->conninfo());
    EXPECT_TRUE(admin) << admin.error().ToString();
    if (!admin) return nullptr;
    auto exists =
        (*admin)->Exec("SELECT 1 FROM pg_database WHERE datname = $1", {index::PgText(name)});
    EXPECT_TRUE(exists) << exists.error().ToString();
    if (exists && exists->rows.empty()) {
      auto created = (*admin)->ExecScript("CREATE DATABASE " + name);
      EXPECT_TRUE(created) << created.error().ToString();
    }
    // In a libpq connection string the last dbname given wins.
    auto db = index::PgConnection::Connect(cluster_->conninfo() + " dbname=" + name);
    EXPECT_TRUE(db) << db.error().ToString();
    return db ? std::move(*db) : nullptr;
  }

  static index::PgTestCluster* cluster_;
};
index::PgTestCluster* AssessFiguresTest::cluster_ = nullptr;

std::map<std::string, Figure> ById(const std::vector<Figure>& figures) {
  std::map<std::string, Figure> out;
  for (const auto& f : figures) out[f.id] = f;
  return out;
}

TEST_F(AssessFiguresTest, EveryFigureOfAHandWrittenIndex) {
  auto db = Connect("hand_written");
  ASSERT_TRUE(db);
  ASSERT_TRUE(index::ApplySchema(*db));
  auto loaded = db->ExecScript(kDataset);
  ASSERT_TRUE(loaded) << loaded.error().ToString();

  auto meta = ReadMeta(*db);
  ASSERT_TRUE(meta) << meta.error().ToString();
  EXPECT_TRUE(meta->indexed);
  EXPECT_EQ(meta->chain_id, "tl-test");
  EXPECT_EQ(meta->node_url, "http://127.0.0.1:7711");
  EXPECT_EQ(meta->reader_org, "CBP");
  EXPECT_EQ(meta->height, 6);
  EXPECT_EQ(meta->records_height, 6);
  EXPECT_EQ(meta->records_ledger_ms, 1735689600000);

  auto figures = RunFigures(*db);
  ASSERT_TRUE(figures) << figures.error().ToString();
  std::vector<std::string> ids;
  for (const auto& f : *figures) ids.push_back(f.id);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "claims_by_agreement", "time_to_decision", "rejections_by_reason",
                     "verification_cases", "case_deadlines", "ipr_results", "ipr_flags_by_reason",
                     "throughput", "commit_latency", "commit_latency_over_time", "view_changes",
                     "validator_participation", "validator_availability", "proof_verifications",
                     "reads_by_non_owners", "retention", "protected_identifiers"}));
  auto f = ById(*figures);

  EXPECT_EQ(f["claims_by_agreement"].section, "operations");
  EXPECT_EQ(f["claims_by_agreement"].chart, "bar");
  EXPECT_EQ(f["claims_by_agreement"].columns,
            (Columns{"agreement", "filed", "decided", "accepted", "rejected", "denied",
                     "auto_accepted", "auto_accept_rate_pct"}));
  EXPECT_EQ(f["claims_by_agreement"].rows, (Rows{{"CAFTA-DR", "3", "3", "1", "1", "1", "2", "66.7"},
                                                 {"USMCA", "4", "3", "2", "1", "0", "1", "25.0"}}));

  EXPECT_EQ(f["time_to_decision"].columns, (Columns{"days", "claims"}));
  EXPECT_EQ(
      f["time_to_decision"].rows,
      (Rows{{"0", "2"}, {"1", "1"}, {"2-7", "0"}, {"8-30", "1"}, {"31-90", "1"}, {">90", "1"}}));

  EXPECT_EQ(f["rejections_by_reason"].columns, (Columns{"reason_code", "claims"}));
  EXPECT_EQ(f["rejections_by_reason"].rows,
            (Rows{{"CERT_EXPIRED", "3"}, {"HTS_NOT_COVERED", "1"}}));

  EXPECT_EQ(f["verification_cases"].columns, (Columns{"state", "cases"}));
  EXPECT_EQ(f["verification_cases"].rows, (Rows{{"CLOSED", "1"}, {"OPEN", "2"}}));

  EXPECT_EQ(f["case_deadlines"].columns, (Columns{"outcome", "requests"}));
  EXPECT_EQ(f["case_deadlines"].rows, (Rows{{"met", "2"}, {"missed", "1"}, {"open", "1"}}));

  EXPECT_EQ(f["ipr_results"].columns, (Columns{"result", "lines"}));
  EXPECT_EQ(f["ipr_results"].rows, (Rows{{"FACILITATE", "2"}, {"FLAG", "2"}}));

  EXPECT_EQ(f["ipr_flags_by_reason"].columns, (Columns{"reason_code", "lines"}));
  EXPECT_EQ(f["ipr_flags_by_reason"].rows, (Rows{{"NO_LICENCE", "2"}, {"RECORDATION_MARK", "1"}}));

  EXPECT_EQ(f["throughput"].section, "technical");
  EXPECT_EQ(f["throughput"].chart, "line");
  EXPECT_EQ(f["throughput"].columns, (Columns{"minute", "blocks", "transactions"}));
  EXPECT_EQ(f["throughput"].rows, (Rows{{"2025-01-01 00:00", "2", "5"},
                                        {"2025-01-01 00:01", "2", "1"},
                                        {"2025-01-01 00:03", "2", "5"}}));

  EXPECT_EQ(f["commit_latency_over_time"].chart, "line");
  EXPECT_EQ(f["commit_latency_over_time"].columns,
            (Columns{"minute", "blocks", "p50_ms", "p99_ms"}));
  EXPECT_EQ(f["commit_latency_over_time"].rows, (Rows{{"2025-01-01 00:00", "1", "50", "50"},
                                                      {"2025-01-01 00:01", "2", "900", "1488"},
                                                      {"2025-01-01 00:03", "2", "1310", "2476"}}));
  EXPECT_EQ(f["commit_latency"].chart, "histogram");
  EXPECT_EQ(f["commit_latency"].columns, (Columns{"bucket", "blocks"}));
  EXPECT_EQ(f["commit_latency"].rows, (Rows{{"<100 ms", "1"},
                                            {"100-250 ms", "1"},
                                            {"250-500 ms", "1"},
                                            {"500 ms-1 s", "0"},
                                            {"1-2 s", "1"},
                                            {">2 s", "1"}}));
  EXPECT_TRUE(f["commit_latency"].note.starts_with("p50 300 ms, p99 2500 ms over 5 live blocks."))
      << f["commit_latency"].note;

  EXPECT_EQ(f["view_changes"].chart, "table");
  EXPECT_EQ(f["view_changes"].columns, (Columns{"blocks", "views_skipped"}));
  // Block 6 opens epoch 1 (view 1 << 32 + 1, ADR 0018): the jump is not a skipped view.
  EXPECT_EQ(f["view_changes"].rows, (Rows{{"6", "2"}}));

  EXPECT_EQ(f["validator_participation"].columns,
            (Columns{"validator", "certificates_signed", "share_pct"}));
  EXPECT_EQ(f["validator_participation"].rows, (Rows{{"aaaaaaaaaaaaaaaa (val-a)", "6", "100.0"},
                                                     {"bbbbbbbbbbbbbbbb (val-b)", "5", "83.3"},
                                                     {"cccccccccccccccc (val-c)", "5", "83.3"},
                                                     {"dddddddddddddddd (val-d)", "1", "16.7"},
                                                     {"eeeeeeeeeeeeeeee", "1", "16.7"},
                                                     {"ffffffffffffffff (val-f)", "0", "0.0"}}));

  EXPECT_EQ(f["validator_availability"].columns,
            (Columns{"node_url", "samples", "up", "availability_pct", "catch_ups"}));
  EXPECT_EQ(f["validator_availability"].rows, (Rows{{"http://node1", "6", "5", "83.3", "2"},
                                                    {"http://node2", "3", "2", "66.7", "0"}}));

  EXPECT_EQ(f["proof_verifications"].columns, (Columns{"node_url", "verified", "rejected"}));
  EXPECT_EQ(f["proof_verifications"].rows,
            (Rows{{"http://node1", "13", "2"}, {"http://node2", "7", "0"}}));

  EXPECT_EQ(f["reads_by_non_owners"].section, "legal");
  EXPECT_EQ(f["reads_by_non_owners"].columns,
            (Columns{"reader_org", "subject_type", "owner_org", "reads"}));
  EXPECT_EQ(f["reads_by_non_owners"].rows, (Rows{{"CBP", "claim", "MX-P", "2"},
                                                 {"CBP", "certification", "MX-P", "1"},
                                                 {"US-I", "certification", "MX-P", "1"}}));

  EXPECT_EQ(f["retention"].columns, (Columns{"kind", "live", "past_retention", "purged"}));
  EXPECT_EQ(f["retention"].rows,
            (Rows{{"document", "2", "1", "1"}, {"certification", "2", "1", "0"}}));

  EXPECT_EQ(f["protected_identifiers"].columns, (Columns{"table_name", "cells_matching"}));
  EXPECT_EQ(f["protected_identifiers"].rows, (Rows{{"assessments", "0"},
                                                   {"cases", "0"},
                                                   {"certifications", "0"},
                                                   {"claims", "0"},
                                                   {"delegations", "0"},
                                                   {"documents", "0"},
                                                   {"entries", "1"},
                                                   {"licences", "0"},
                                                   {"organisations", "0"},
                                                   {"read_events", "0"},
                                                   {"recordations", "0"},
                                                   {"transactions", "0"}}));
  EXPECT_FALSE(NoProtectedIdentifiers(f["protected_identifiers"]));

  // The SQL of each figure is what ran: running it again gives the same rows.
  for (const auto& figure : *figures) {
    auto again = db->Exec(figure.sql);
    ASSERT_TRUE(again) << figure.id << ": " << again.error().ToString();
    EXPECT_EQ(again->rows, figure.rows) << figure.id;
    EXPECT_NE(figure.sql.find('\n'), std::string::npos) << figure.id << ": multi-line SQL";
    EXPECT_FALSE(figure.title.empty());
    EXPECT_FALSE(figure.note.empty());
  }

  // Without the planted number, nothing matches.
  ASSERT_TRUE(db->ExecScript("UPDATE entries SET record = '{}'"));
  auto clean = RunFigures(*db);
  ASSERT_TRUE(clean) << clean.error().ToString();
  EXPECT_TRUE(NoProtectedIdentifiers(ById(*clean)["protected_identifiers"]));
}

TEST_F(AssessFiguresTest, TheIorShapesMatchNumbersAndNotEntryNumbersOrHashes) {
  auto db = Connect("shapes");
  ASSERT_TRUE(db);
  ASSERT_TRUE(index::ApplySchema(*db));
  auto figures = RunFigures(*db);
  ASSERT_TRUE(figures) << figures.error().ToString();
  std::string sql = ById(*figures)["protected_identifiers"].sql;
  // The pattern is the one string literal of the query's first line of CTE.
  size_t start = sql.find("SELECT '") + 8;
  size_t end = sql.find("' AS shape");
  ASSERT_NE(end, std::string::npos) << sql;
  std::string pattern = sql.substr(start, end - start);
  auto matches = [&](const std::string& text) {
    auto r = db->Exec("SELECT $1::text ~ $2::text", {index::PgText(text), index::PgText(pattern)});
    EXPECT_TRUE(r) << r.error().ToString();
    return r && r->rows[0][0] == "t";
  };
  EXPECT_TRUE(matches("12-3456789AB"));
  EXPECT_TRUE(matches("{\"note\": \"IOR 12-345678900\"}"));
  EXPECT_TRUE(matches("ssn 123-45-6789."));
  EXPECT_TRUE(matches("cbp 123456-12345"));
  EXPECT_FALSE(matches("ABC-1234567-6"));
  EXPECT_FALSE(matches("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
  EXPECT_FALSE(matches("2024-08-01T00:00:00Z"));
  EXPECT_FALSE(matches("112-3456789AB"));
  EXPECT_FALSE(matches("12-3456789ABC"));
  EXPECT_FALSE(matches("550e8400-e29b-41d4-a716-446655440000"));
}

TEST_F(AssessFiguresTest, AnEmptyIndexGivesEmptyFiguresNotErrors) {
  auto db = Connect("empty_index");
  ASSERT_TRUE(db);
  ASSERT_TRUE(index::ApplySchema(*db));
  auto meta = ReadMeta(*db);
  ASSERT_TRUE(meta) << meta.error().ToString();
  EXPECT_FALSE(meta->indexed);
  auto figures = RunFigures(*db);
  ASSERT_TRUE(figures) << figures.error().ToString();
  ASSERT_EQ(figures->size(), 17u);
  auto f = ById(*figures);
  for (const char* id :
       {"claims_by_agreement", "rejections_by_reason", "verification_cases", "ipr_results",
        "ipr_flags_by_reason", "throughput", "commit_latency_over_time", "validator_participation",
        "validator_availability", "proof_verifications", "reads_by_non_owners"}) {
    EXPECT_EQ(f[id].rows, Rows{}) << id;
    EXPECT_FALSE(f[id].columns.empty()) << id;
  }
  EXPECT_EQ(
      f["time_to_decision"].rows,
      (Rows{{"0", "0"}, {"1", "0"}, {"2-7", "0"}, {"8-30", "0"}, {"31-90", "0"}, {">90", "0"}}));
  EXPECT_EQ(f["case_deadlines"].rows, (Rows{{"met", "0"}, {"missed", "0"}, {"open", "0"}}));
  EXPECT_EQ(f["commit_latency"].rows.size(), 6u);
  EXPECT_TRUE(f["commit_latency"].note.starts_with("No block was seen live"));
  EXPECT_EQ(f["view_changes"].rows, (Rows{{"0", "0"}}));
  EXPECT_EQ(f["retention"].rows,
            (Rows{{"document", "0", "0", "0"}, {"certification", "0", "0", "0"}}));
  EXPECT_EQ(f["protected_identifiers"].rows.size(), 12u);
  EXPECT_TRUE(NoProtectedIdentifiers(f["protected_identifiers"]));
}

TEST_F(AssessFiguresTest, ADatabaseWithoutTheSchemaIsRefused) {
  auto db = Connect("not_an_index");
  ASSERT_TRUE(db);
  auto figures = RunFigures(*db);
  ASSERT_FALSE(figures);
  EXPECT_EQ(figures.error().code, "SCHEMA_MISSING");
  auto meta = ReadMeta(*db);
  ASSERT_FALSE(meta);
  EXPECT_EQ(meta.error().code, "SCHEMA_MISSING");
}

TEST_F(AssessFiguresTest, AnIndexOfAnotherSchemaVersionIsRefused) {
  auto db = Connect("other_version");
  ASSERT_TRUE(db);
  ASSERT_TRUE(index::ApplySchema(*db));
  ASSERT_TRUE(db->ExecScript(
      "INSERT INTO meta (schema_version, chain_id, node_url, reader_org, reader_key) "
      "VALUES (99, 'c', 'n', 'o', 'k')"));
  auto meta = ReadMeta(*db);
  ASSERT_FALSE(meta);
  EXPECT_EQ(meta.error().code, "SCHEMA_VERSION_MISMATCH");
}

}  // namespace
}  // namespace tradeledger::assess
