#include "assess/figures.h"

#include <array>
#include <string_view>

#include "index/schema.h"

namespace tradeledger::assess {
namespace {

// One figure's definition: everything but the rows. The SQL is printed in the report as is.
struct FigureSpec {
  std::string_view id;
  std::string_view section;
  std::string_view title;
  std::string_view chart;
  std::string_view note;
  std::string_view sql;
};

// The IOR-number shapes protected_identifiers looks for (PostgreSQL ARE; \m and \M are the
// start and end of a word): EIN with a two-character suffix, SSN, CBP-assigned number.
constexpr std::array<FigureSpec, 17> kFigures = {{
    // Operations.
    {"claims_by_agreement", "operations", "Preference claims by agreement", "bar",
     "Records as of the last refresh (meta.records_height). filed: every claim the reader may "
     "see; decided: in a final state (ACCEPTED, REJECTED, DENIED, VOLUNTARILY_CORRECTED); "
     "accepted, rejected, denied: the current state; auto_accepted: the first decision was "
     "ACCEPTED and came at the submission's ledger time (the rules decided at filing).",
     R"sql(SELECT agreement,
       count(*) AS filed,
       count(*) FILTER (WHERE final) AS decided,
       count(*) FILTER (WHERE state = 'ACCEPTED') AS accepted,
       count(*) FILTER (WHERE state = 'REJECTED') AS rejected,
       count(*) FILTER (WHERE state = 'DENIED') AS denied,
       count(*) FILTER (WHERE first_decision = 'ACCEPTED' AND auto_decided) AS auto_accepted,
       round(100.0 * count(*) FILTER (WHERE first_decision = 'ACCEPTED' AND auto_decided)
             / count(*), 1) AS auto_accept_rate_pct
FROM tradeledger.claims
GROUP BY agreement
ORDER BY agreement)sql"},
    {"time_to_decision", "operations", "Time from filing to decision", "histogram",
     "Claims in a final state, by whole days of ledger time from submission to the last "
     "change of state. Every bucket is listed, empty ones with 0.",
     R"sql(WITH decided AS (
  SELECT floor((decided_at_ms - submitted_at_ms) / 86400000.0) AS days
  FROM tradeledger.claims
  WHERE final AND decided_at_ms IS NOT NULL AND submitted_at_ms IS NOT NULL
)
SELECT b.label AS days, count(d.days) AS claims
FROM (VALUES (1, '0', 0, 0),
             (2, '1', 1, 1),
             (3, '2-7', 2, 7),
             (4, '8-30', 8, 30),
             (5, '31-90', 31, 90),
             (6, '>90', 91, NULL)) AS b (n, label, low, high)
LEFT JOIN decided d ON d.days >= b.low AND (b.high IS NULL OR d.days <= b.high)
GROUP BY b.n, b.label
ORDER BY b.n)sql"},
    {"rejections_by_reason", "operations", "Rejected and denied claims by reason code", "bar",
     "Claims whose current state is REJECTED or DENIED, counted once under each reason code "
     "they carry (a claim with two codes counts under both).",
     R"sql(SELECT reason AS reason_code, count(DISTINCT claim_id) AS claims
FROM tradeledger.claims, unnest(reason_codes) AS reason
WHERE state IN ('REJECTED', 'DENIED')
GROUP BY reason
ORDER BY claims DESC, reason_code)sql"},
    {"verification_cases", "operations", "Verification cases by state", "bar",
     "The effective state at the ledger time of the last records refresh (a case whose "
     "deadline has passed shows the state the rules give it then).",
     R"sql(SELECT effective_state AS state, count(*) AS cases
FROM tradeledger.cases
GROUP BY effective_state
ORDER BY state)sql"},
    {"case_deadlines", "operations", "Requests for information: deadlines", "bar",
     "met: answered by the addressee by the deadline; missed: not answered by the deadline; "
     "open: the deadline had not passed at the last records refresh.",
     R"sql(SELECT o.outcome, count(r.case_id) AS requests
FROM (VALUES (1, 'met', true),
             (2, 'missed', false),
             (3, 'open', NULL::boolean)) AS o (n, outcome, met)
LEFT JOIN tradeledger.case_requests r ON r.met IS NOT DISTINCT FROM o.met
GROUP BY o.n, o.outcome
ORDER BY o.n)sql"},
    {"ipr_results", "operations", "IPR assessments of entry lines", "bar",
     "One assessment per entry line: FACILITATE (release) or FLAG (hold for examination).",
     R"sql(SELECT result, count(*) AS lines
FROM tradeledger.assessments
GROUP BY result
ORDER BY result)sql"},
    {"ipr_flags_by_reason", "operations", "Flagged lines by reason code", "bar",
     "Assessments with result FLAG, counted once under each reason code they carry.",
     R"sql(SELECT reason AS reason_code, count(DISTINCT assessment_id) AS lines
FROM tradeledger.assessments, unnest(reason_codes) AS reason
WHERE result = 'FLAG'
GROUP BY reason
ORDER BY lines DESC, reason_code)sql"},
    // Technical.
    {"throughput", "technical", "Blocks and transactions per minute", "line",
     "By the block header's timestamp (the proposer's clock, UTC), not the ledger clock. "
     "Minutes without a block have no row.",
     R"sql(SELECT to_char(to_timestamp(block_time_ms / 1000.0) AT TIME ZONE 'UTC',
               'YYYY-MM-DD HH24:MI') AS minute,
       count(*) AS blocks,
       sum(tx_count) AS transactions
FROM tradeledger.blocks
GROUP BY minute
ORDER BY minute)sql"},
    {"commit_latency", "technical", "Commit latency", "histogram",
     "From the proposer's timestamp to the moment the indexer learnt of the block from the "
     "event stream: two clocks, so skew between them shows up here. Only blocks seen live; "
     "blocks read back later (backfilled) have no latency.",
     R"sql(SELECT b.label AS bucket, count(k.height) AS blocks
FROM (VALUES (1, '<100 ms', NULL, 100),
             (2, '100-250 ms', 100, 250),
             (3, '250-500 ms', 250, 500),
             (4, '500 ms-1 s', 500, 1000),
             (5, '1-2 s', 1000, 2000),
             (6, '>2 s', 2000, NULL)) AS b (n, label, low, high)
LEFT JOIN tradeledger.blocks k
  ON k.live AND k.commit_latency_ms IS NOT NULL
  AND (b.low IS NULL OR k.commit_latency_ms >= b.low)
  AND (b.high IS NULL OR k.commit_latency_ms < b.high)
GROUP BY b.n, b.label
ORDER BY b.n)sql"},
    {"commit_latency_over_time", "technical", "Commit latency per minute", "line",
     "The same latency as above (blocks seen live), per minute of block time: the median and "
     "the 99th percentile in ms. Minutes without a live block have no row.",
     R"sql(SELECT to_char(to_timestamp(block_time_ms / 1000.0) AT TIME ZONE 'UTC',
               'YYYY-MM-DD HH24:MI') AS minute,
       count(*) AS blocks,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY commit_latency_ms)) AS p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY commit_latency_ms)) AS p99_ms
FROM tradeledger.blocks
WHERE live AND commit_latency_ms IS NOT NULL
GROUP BY minute
ORDER BY minute)sql"},
    {"view_changes", "technical", "Consensus views without a block", "table",
     "A skipped view is a consensus round that ended without a block: its leader was down, "
     "slow or cut off, and the validators timed out and moved on. A validator-set change "
     "starts a new epoch whose views start at epoch << 32 (ADR 0018); that jump is not counted.",
     R"sql(SELECT count(*) AS blocks,
       coalesce(sum(skipped) FILTER (WHERE skipped > 0), 0) AS views_skipped
FROM (
  SELECT CASE WHEN (view >> 32) = (lag(view) OVER w >> 32)
              THEN view - lag(view) OVER w - 1 END AS skipped
  FROM tradeledger.blocks
  WINDOW w AS (ORDER BY height)
) AS v)sql"},
    {"validator_participation", "technical", "Commit certificates signed per validator", "bar",
     "share_pct: the share of all indexed blocks whose certificate the validator signed. A "
     "quorum signs each certificate, so a validator that is up may still be absent from some. "
     "Validators of the trusted sets that signed nothing are listed with 0.",
     R"sql(WITH names AS (
  SELECT DISTINCT ON (public_key) public_key, name
  FROM tradeledger.validators
  ORDER BY public_key, from_height DESC
),
keys AS (
  SELECT public_key AS validator FROM names
  UNION
  SELECT validator FROM tradeledger.block_signers
)
SELECT left(k.validator, 16) || coalesce(' (' || nullif(n.name, '') || ')', '') AS validator,
       count(s.height) AS certificates_signed,
       round(100.0 * count(s.height)
             / nullif((SELECT count(*) FROM tradeledger.blocks), 0), 1) AS share_pct
FROM keys k
LEFT JOIN names n ON n.public_key = k.validator
LEFT JOIN tradeledger.block_signers s ON s.validator = k.validator
GROUP BY k.validator, n.name
ORDER BY validator)sql"},
    {"validator_availability", "technical", "Validator availability", "table",
     "From the indexer's polls of each validator's API (tradeledger index --watch), on the "
     "indexer's clock. catch_ups: episodes of samples reporting CATCHING_UP.",
     R"sql(WITH s AS (
  SELECT node_url, up, ready,
         lag(ready) OVER (PARTITION BY node_url ORDER BY at_ms) AS previous_ready
  FROM tradeledger.node_samples
)
SELECT node_url,
       count(*) AS samples,
       count(*) FILTER (WHERE up) AS up,
       round(100.0 * count(*) FILTER (WHERE up) / count(*), 1) AS availability_pct,
       count(*) FILTER (WHERE ready = 'CATCHING_UP'
                          AND previous_ready IS DISTINCT FROM 'CATCHING_UP') AS catch_ups
FROM s
GROUP BY node_url
ORDER BY node_url)sql"},
    {"proof_verifications", "technical", "Proof verifications served by each node", "table",
     "The node's own counters (since it last started) of the proof bundles clients had it "
     "check (POST /v1/proofs/verify), at its latest answered sample: verified valid, rejected "
     "invalid.",
     R"sql(SELECT DISTINCT ON (node_url)
       node_url, proofs_verified AS verified, proofs_rejected AS rejected
FROM tradeledger.node_samples
WHERE up
ORDER BY node_url, at_ms DESC)sql"},
    // Legal and policy.
    {"reads_by_non_owners", "legal", "Reads of records by parties other than their owner", "table",
     "From the followed node's read audit log only: each node logs the reads it served, so "
     "reads served by other validators are in their logs. Times there are the node's clock. "
     "The indexer's own reads (made with meta.reader_key: the copy into this database) are "
     "left out; index with a key used for nothing else to keep them apart.",
     R"sql(SELECT reader_org, subject_type, owner_org, count(*) AS reads
FROM tradeledger.read_events
WHERE owner_org <> '' AND reader_org <> owner_org
  AND reader_key <> (SELECT reader_key FROM tradeledger.meta)
GROUP BY reader_org, subject_type, owner_org
ORDER BY reads DESC, reader_org, subject_type, owner_org)sql"},
    {"retention", "legal", "Retention of documents and certifications", "table",
     "past_retention: retain_until_ms is before the ledger time of the last records refresh "
     "(meta.records_ledger_ms) and the record is not purged. Certifications have no purge.",
     R"sql(WITH ledger AS (
  SELECT (SELECT records_ledger_ms FROM tradeledger.meta) AS now_ms
)
SELECT kind, live, past_retention, purged
FROM (
  SELECT 1 AS n, 'document' AS kind,
         count(d.doc_id) FILTER (WHERE d.purged_at_ms IS NULL
                                   AND (d.retain_until_ms < l.now_ms) IS NOT TRUE) AS live,
         count(d.doc_id) FILTER (WHERE d.purged_at_ms IS NULL
                                   AND d.retain_until_ms < l.now_ms) AS past_retention,
         count(d.doc_id) FILTER (WHERE d.purged_at_ms IS NOT NULL) AS purged
  FROM ledger l LEFT JOIN tradeledger.documents d ON true
  UNION ALL
  SELECT 2, 'certification',
         count(c.cert_id) FILTER (WHERE (c.retain_until_ms < l.now_ms) IS NOT TRUE),
         count(c.cert_id) FILTER (WHERE c.retain_until_ms < l.now_ms),
         0
  FROM ledger l LEFT JOIN tradeledger.certifications c ON true
) AS r
ORDER BY n)sql"},
    {"protected_identifiers", "legal", "Importer-of-record numbers in stored text", "table",
     "Cells whose text has the shape of an IOR number: EIN with suffix (12-3456789AB), SSN "
     "(123-45-6789) or CBP-assigned (123456-12345). Only the salted hash of an IOR number may "
     "be on the ledger; every count is expected to be 0.",
     R"sql(WITH ior AS (
  SELECT '\m\d{2}-\d{7}[A-Za-z0-9]{2}\M|\m\d{3}-\d{2}-\d{4}\M|\m\d{6}-\d{5}\M' AS shape
)
SELECT table_name, cells_matching
FROM (
  SELECT 'transactions' AS table_name,
         count(*) FILTER (WHERE t.body::text ~ ior.shape) AS cells_matching
  FROM tradeledger.transactions t, ior
  UNION ALL
  SELECT 'organisations', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.organisations x, ior
  UNION ALL
  SELECT 'certifications', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.certifications x, ior
  UNION ALL
  SELECT 'entries', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.entries x, ior
  UNION ALL
  SELECT 'claims', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.claims x, ior
  UNION ALL
  SELECT 'cases', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.cases x, ior
  UNION ALL
  SELECT 'recordations', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.recordations x, ior
  UNION ALL
  SELECT 'licences', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.licences x, ior
  UNION ALL
  SELECT 'assessments', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.assessments x, ior
  UNION ALL
  SELECT 'documents', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.documents x, ior
  UNION ALL
  SELECT 'delegations', count(*) FILTER (WHERE x.record::text ~ ior.shape)
  FROM tradeledger.delegations x, ior
  UNION ALL
  SELECT 'read_events', count(*) FILTER (WHERE e.detail ~ ior.shape)
                        + count(*) FILTER (WHERE e.subject_id ~ ior.shape)
  FROM tradeledger.read_events e, ior
) AS cells
ORDER BY table_name)sql"},
}};

// p50 and p99 of the live commit latencies, for commit_latency's note.
constexpr std::string_view kLatencyPercentilesSql = R"sql(SELECT count(*),
       percentile_disc(0.5) WITHIN GROUP (ORDER BY commit_latency_ms),
       percentile_disc(0.99) WITHIN GROUP (ORDER BY commit_latency_ms)
FROM tradeledger.blocks
WHERE live AND commit_latency_ms IS NOT NULL)sql";

core::Result<std::string> LatencyNote(index::PgConnection& db) {
  TL_ASSIGN_OR_RETURN(auto result, db.Exec(kLatencyPercentilesSql));
  if (result.rows.size() != 1 || result.rows[0].size() != 3) {
    return core::Fail("PG_QUERY_FAILED", "commit latency percentiles: unexpected result shape");
  }
  const auto& row = result.rows[0];
  int64_t live = index::PgToInt(row[0]);
  if (live == 0) return std::string("No block was seen live: no latency to show.");
  return "p50 " + row[1].value_or("?") + " ms, p99 " + row[2].value_or("?") + " ms over " +
         std::to_string(live) + " live block" + (live == 1 ? "" : "s") + ".";
}

}  // namespace

core::Status CheckSchema(index::PgConnection& db) {
  TL_ASSIGN_OR_RETURN(auto result, db.Exec("SELECT to_regclass('tradeledger.meta') IS NOT NULL"));
  if (result.rows.empty() || result.rows[0].empty() || result.rows[0][0] != "t") {
    return core::Fail("SCHEMA_MISSING",
                      "the database has no tradeledger.meta table: it is not a TradeLedger index "
                      "(run `tradeledger index` against it first)");
  }
  return core::Ok();
}

core::Result<ReportMeta> ReadMeta(index::PgConnection& db) {
  TL_RETURN_IF_ERROR(CheckSchema(db));
  TL_ASSIGN_OR_RETURN(auto result,
                      db.Exec("SELECT schema_version, chain_id, node_url, reader_org, height, "
                              "records_height, records_ledger_ms FROM tradeledger.meta"));
  ReportMeta meta;
  if (result.rows.empty()) return meta;
  const auto& row = result.rows[0];
  if (index::PgToInt(row[0]) != index::kSchemaVersion) {
    return core::Fail("SCHEMA_VERSION_MISMATCH",
                      "the index has schema version " + row[0].value_or("NULL") +
                          "; this report reads version " + std::to_string(index::kSchemaVersion));
  }
  meta.indexed = true;
  meta.chain_id = row[1].value_or("");
  meta.node_url = row[2].value_or("");
  meta.reader_org = row[3].value_or("");
  meta.height = index::PgToInt(row[4]);
  meta.records_height = index::PgToInt(row[5]);
  meta.records_ledger_ms = index::PgToInt(row[6]);
  return meta;
}

core::Result<std::vector<Figure>> RunFigures(index::PgConnection& db) {
  TL_RETURN_IF_ERROR(CheckSchema(db));
  std::vector<Figure> figures;
  figures.reserve(kFigures.size());
  for (const FigureSpec& spec : kFigures) {
    auto result = db.Exec(spec.sql);
    if (!result) {
      return core::Fail(result.error().code,
                        "figure " + std::string(spec.id) + ": " + result.error().detail);
    }
    Figure figure{.id = std::string(spec.id),
                  .section = std::string(spec.section),
                  .title = std::string(spec.title),
                  .sql = std::string(spec.sql),
                  .chart = std::string(spec.chart),
                  .note = std::string(spec.note),
                  .columns = std::move(result->columns),
                  .rows = std::move(result->rows)};
    if (figure.id == "commit_latency") {
      TL_ASSIGN_OR_RETURN(std::string numbers, LatencyNote(db));
      figure.note = numbers + " " + figure.note;
    }
    figures.push_back(std::move(figure));
  }
  return figures;
}

bool NoProtectedIdentifiers(const Figure& figure) {
  if (figure.id != "protected_identifiers") return false;
  for (const auto& row : figure.rows) {
    if (row.size() < 2 || index::PgToInt(row[1], -1) != 0) return false;
  }
  return true;
}

}  // namespace tradeledger::assess
