// The 360-degree assessment end to end (issue 15, ADR 0024, doc/assessment.md): a throw-away
// PostgreSQL server, a ledger-clock network of four validators, `tradeledger index` following
// node1 with the customs administrator's key while `tradeledger demo` runs the ledger basics
// and every story, the indexer killed with SIGKILL mid-stream and started again, then:
//   - the database equals what the node serves: every height once, linked; sampled blocks'
//     hashes and signers; the transaction count and sampled transactions; every record of
//     every list route (row counts and the records themselves); the child rows; the read
//     audit log up to the indexer's position;
//   - `tradeledger assess` writes the report, and its figures equal the same quantities
//     computed here from the node's own API (claims by agreement and outcome, rejections by
//     reason, verification cases, IPR results and flags, blocks and transactions, each
//     validator's certificates, reads by non-owners), and no raw IOR number is stored;
//   - a broker's key indexed into a second database gets that broker's view only, and the
//     database refuses to be filled with another key's view.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/node_client.h"
#include "cli/process.h"
#include "cli/stories.h"
#include "cli/story_client.h"
#include "crypto/key_file.h"
#include "index/pg.h"
#include "index/pg_test_cluster.h"
#include "story_network.h"

namespace tradeledger::stories_test {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;
using index::PgToInt;

constexpr int kValidators = 4;

// One list route and the table its records go to.
struct RecordTable {
  std::string path, table, id_column, id_field;
};
const std::vector<RecordTable> kRecordTables = {
    {"/v1/organisations", "organisations", "org_id", "orgId"},
    {"/v1/certifications", "certifications", "cert_id", "certId"},
    {"/v1/entries", "entries", "entry_number", "entryNumber"},
    {"/v1/claims", "claims", "claim_id", "claimId"},
    {"/v1/cases", "cases", "case_id", "caseId"},
    {"/v1/recordations", "recordations", "recordation_no", "recordationNo"},
    {"/v1/licences", "licences", "licence_id", "licenseId"},
    {"/v1/assessments", "assessments", "assessment_id", "assessmentId"},
    {"/v1/documents", "documents", "doc_id", "docId"},
    {"/v1/delegations", "delegations", "delegation_id", "delegationId"},
};

class AssessmentE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(pg_.ok()) << pg_.error();
    net_ = std::make_unique<StoryNetwork>(cli::kStoriesClockStart, kValidators);
    ASSERT_TRUE(net_->ok()) << net_->error();
    auto key = crypto::ReadKeyFile(net_->customs_key_file());
    ASSERT_TRUE(key) << key.error().ToString();
    customs_ = *key;
    auto client = cli::NodeClient::Connect(net_->url());
    ASSERT_TRUE(client) << client.error().ToString();
    api_ = std::make_unique<cli::NodeClient>(std::move(*client));
    auto chain = api_->ChainId();
    ASSERT_TRUE(chain) << chain.error().ToString();
    chain_ = *chain;
  }

  void TearDown() override {
    if (indexer_ > 0) {
      ::kill(indexer_, SIGKILL);
      ::waitpid(indexer_, nullptr, 0);
    }
  }

  std::unique_ptr<index::PgConnection> Db() {
    auto db = index::PgConnection::Connect(pg_.conninfo());
    EXPECT_TRUE(db) << db.error().ToString();
    if (!db) return nullptr;
    EXPECT_TRUE((*db)->ExecScript("SET search_path TO tradeledger"));
    return std::move(*db);
  }
  // The first cell of `sql`'s only row, as an integer (-1 when the query fails).
  int64_t Scalar(index::PgConnection& db, const std::string& sql) {
    auto r = db.Exec(sql);
    if (!r || r->rows.empty()) return -1;
    return PgToInt(r->rows[0][0], -1);
  }

  void StartIndexer() {
    std::vector<std::string> argv = {TradeledgerBinary(),
                                     "index",
                                     "--key",
                                     net_->customs_key_file(),
                                     "--node",
                                     net_->url(),
                                     "--validators",
                                     net_->validators_file(),
                                     "--db",
                                     pg_.conninfo(),
                                     "--records-every",
                                     "1",
                                     "--sample-every",
                                     "0.5"};
    for (const std::string& u : net_->urls()) {
      argv.push_back("--watch");
      argv.push_back(u);
    }
    auto pid = cli::SpawnDetached(argv, log_file());
    ASSERT_TRUE(pid) << pid.error().ToString();
    indexer_ = *pid;
  }
  std::string log_file() const { return (net_->dir() / "index.log").string(); }
  std::string Log() const {
    std::ifstream in(log_file());
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  json Get(const std::string& target) {
    auto r = api_->SignedGet(target, customs_, chain_);
    EXPECT_TRUE(r) << target << ": " << (r ? "" : r.error().ToString());
    if (!r) return json();
    EXPECT_EQ(r->status, 200) << target << ": " << r->body.dump();
    return r->body;
  }
  // Every item of a list route, page by page.
  std::vector<json> Walk(const std::string& path) {
    std::vector<json> items;
    std::string after;
    for (int page = 0; page < 1000; ++page) {
      json body = Get(path + "?limit=200" + (after.empty() ? "" : "&after=" + after));
      if (!body.is_object() || !body["items"].is_array()) break;
      for (auto& i : body["items"]) items.push_back(std::move(i));
      if (!body["next"].is_string()) break;
      after = body["next"].get<std::string>();
    }
    return items;
  }

  index::PgTestCluster pg_;
  std::unique_ptr<StoryNetwork> net_;
  crypto::KeyPair customs_;
  std::unique_ptr<cli::NodeClient> api_;
  ledger::ChainId chain_;
  pid_t indexer_ = -1;
};

// The rows of figure `id` of the report's JSON as column → value maps.
std::vector<std::map<std::string, std::string>> FigureRows(const json& report,
                                                           const std::string& id) {
  std::vector<std::map<std::string, std::string>> out;
  for (const json& f : report["figures"]) {
    if (f.value("id", "") != id) continue;
    for (const json& row : f["rows"]) {
      std::map<std::string, std::string> m;
      for (size_t i = 0; i < f["columns"].size() && i < row.size(); ++i) {
        m[f["columns"][i].get<std::string>()] = row[i].is_string() ? row[i].get<std::string>() : "";
      }
      out.push_back(std::move(m));
    }
    return out;
  }
  ADD_FAILURE() << "the report has no figure " << id;
  return out;
}

// {key column value → count column value} of a figure.
std::map<std::string, int64_t> FigureCounts(const json& report, const std::string& id,
                                            const std::string& key, const std::string& count) {
  std::map<std::string, int64_t> out;
  for (const auto& row : FigureRows(report, id)) {
    int64_t n = PgToInt(row.contains(count) ? std::optional(row.at(count)) : std::nullopt, -1);
    if (n != 0) out[row.contains(key) ? row.at(key) : "?"] = n;
  }
  return out;
}

TEST_F(AssessmentE2E,
       IndexThroughACrashMatchesTheNodeTheReportMatchesTheApiAndAKeyGetsItsViewOnly) {
  auto db = Db();
  ASSERT_TRUE(db);
  StartIndexer();

  // The demo runs while the indexer follows; the indexer is killed once it has written a
  // part of the transactions, and started again.
  CommandResult demo;
  std::atomic<bool> demo_done = false;
  std::thread demo_thread([&] {
    demo = RunCommand({TradeledgerBinary(), "demo", "--node", net_->url(), "--validators",
                       net_->validators_file(), "--customs-key", net_->customs_key_file()},
                      std::chrono::minutes(15));
    demo_done = true;
  });
  int64_t killed_at = -1;
  bool killed_mid_demo = false;
  for (auto deadline = SteadyClock::now() + std::chrono::minutes(10);
       SteadyClock::now() < deadline && !demo_done;) {
    if (Scalar(*db, "SELECT count(*) FROM transactions") >= 150) {
      ::kill(indexer_, SIGKILL);
      ::waitpid(indexer_, nullptr, 0);
      indexer_ = -1;
      killed_mid_demo = !demo_done;
      killed_at = Scalar(*db, "SELECT height FROM meta");
      StartIndexer();
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  demo_thread.join();
  ASSERT_EQ(demo.exit_code, 0) << demo.output;
  ASSERT_TRUE(killed_mid_demo) << "the demo ended before the indexer had written 150 "
                                  "transactions; the log:\n"
                               << Log();
  ASSERT_GT(killed_at, 0);

  // Wait until the restarted indexer has the node's height and has read the records since.
  json health = api_->Get("/health").value().body;
  int64_t tip = health["height"].get<int64_t>();
  for (auto deadline = SteadyClock::now() + std::chrono::minutes(5);
       SteadyClock::now() < deadline;) {
    if (Scalar(*db, "SELECT least(height, records_height) FROM meta") >= tip) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(::kill(indexer_, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(indexer_, &status, 0), indexer_);
  indexer_ = -1;
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n" << Log();
  // The restart resumed where the database stood: at least where it was read right after the
  // kill (a COMMIT the killed indexer had sent may still have landed after that read).
  std::string log = Log();
  const std::string resuming = "resuming after height ";
  size_t second = log.find(resuming, log.find(resuming) + 1);
  ASSERT_NE(second, std::string::npos) << log;
  int64_t resumed = std::stoll(log.substr(second + resuming.size()));
  EXPECT_GE(resumed, killed_at) << log;
  EXPECT_LE(resumed, killed_at + 1) << log;

  // --- blocks: every height once, linked, as the node serves them --------------------------
  int64_t height = Scalar(*db, "SELECT height FROM meta");
  ASSERT_GE(height, tip);
  // The records were read, after the last block indexed, from the node's state at this height
  // or later (the node goes on committing empty blocks).
  EXPECT_GE(Scalar(*db, "SELECT records_height FROM meta"), height);
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM blocks"), height);
  EXPECT_EQ(Scalar(*db, "SELECT max(height) FROM blocks"), height);
  EXPECT_EQ(Scalar(*db,
                   "SELECT count(*) FROM blocks b JOIN blocks p ON p.height = b.height - 1 "
                   "WHERE b.prev_hash <> p.hash"),
            0);
  std::map<std::string, int64_t> signed_by_api;  // validator key → certificates signed
  json last_block;
  for (int64_t h = 1; h <= height; ++h) {
    json block = Get("/v1/blocks/" + std::to_string(h));
    for (const json& s : block["certificate"]["signatures"]) {
      ++signed_by_api[s["validator"].get<std::string>()];
    }
    if (h == 1 || h == height / 2 || h == height) {
      auto row =
          db->Exec("SELECT hash, signatures FROM blocks WHERE height = $1", {index::PgInt(h)});
      ASSERT_TRUE(row && row->rows.size() == 1) << h;
      EXPECT_EQ(row->rows[0][0], block["hash"].get<std::string>()) << h;
      EXPECT_EQ(PgToInt(row->rows[0][1]),
                static_cast<int64_t>(block["certificate"]["signatures"].size()));
    }
    if (h == height) last_block = block;
  }
  for (const auto& [validator, n] : signed_by_api) {
    auto r = db->Exec("SELECT count(*) FROM block_signers WHERE validator = $1", {validator});
    ASSERT_TRUE(r);
    EXPECT_EQ(PgToInt(r->rows[0][0]), n) << validator;
  }

  // --- transactions ----------------------------------------------------------------------
  int64_t log_size = last_block["header"]["log_size"].get<int64_t>();
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM transactions"), log_size);
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM transactions WHERE access = 'full'"), log_size)
      << "customs may read every body";
  auto sample = db->Exec(
      "SELECT tx_id, type, result_code, body::text, signer, nonce::text FROM transactions ORDER "
      "BY height, position");
  ASSERT_TRUE(sample);
  for (size_t i = 0; i < sample->rows.size(); i += 37) {
    const auto& row = sample->rows[i];
    json tx = Get("/v1/transactions/" + *row[0]);
    EXPECT_EQ(row[1], tx["type"].get<std::string>());
    EXPECT_EQ(row[2], tx["result_code"].get<std::string>());
    EXPECT_EQ(row[4], tx["signer"].get<std::string>());
    EXPECT_EQ(row[5], tx["nonce"].dump());
    EXPECT_EQ(json::parse(row[3].value_or("null")), tx["body"]) << *row[0];
  }

  // --- records: every list route, row for row --------------------------------------------
  std::map<std::string, std::vector<json>> served;
  for (const RecordTable& t : kRecordTables) {
    served[t.table] = Walk(t.path);
    auto rows = db->Exec("SELECT " + t.id_column + ", record::text FROM " + t.table);
    ASSERT_TRUE(rows) << t.table;
    EXPECT_EQ(rows->rows.size(), served[t.table].size()) << t.table;
    std::map<std::string, json> by_id;
    for (const auto& row : rows->rows) by_id[row[0].value_or("")] = json::parse(*row[1]);
    for (const json& item : served[t.table]) {
      std::string id = item[t.id_field].get<std::string>();
      ASSERT_TRUE(by_id.contains(id)) << t.table << " lacks " << id;
      EXPECT_EQ(by_id[id], item) << t.table << " " << id;
    }
  }
  EXPECT_FALSE(served["claims"].empty());
  EXPECT_FALSE(served["assessments"].empty());
  EXPECT_FALSE(served["cases"].empty());
  int64_t lines = 0, events = 0;
  for (const json& e : served["entries"]) lines += static_cast<int64_t>(e["lines"].size());
  for (const json& c : served["claims"]) events += static_cast<int64_t>(c["history"].size());
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM entry_lines"), lines);
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM claim_events"), events);

  // --- the read audit log up to the indexer's position -----------------------------------
  int64_t audit_seq = Scalar(*db, "SELECT audit_seq FROM meta");
  ASSERT_GT(audit_seq, 0);
  std::vector<json> audit;
  for (int64_t after = 0; after < audit_seq;) {
    json page = Get("/v1/audit-events?after=" + std::to_string(after) + "&limit=1000");
    if (!page["events"].is_array() || page["events"].empty()) break;
    for (const json& e : page["events"]) {
      if (e["seq"].get<int64_t>() <= audit_seq) audit.push_back(e);
      after = e["seq"].get<int64_t>();
    }
  }
  EXPECT_EQ(Scalar(*db, "SELECT count(*) FROM read_events"), static_cast<int64_t>(audit.size()));
  int64_t non_owner_reads = 0;
  for (const json& e : audit) {
    std::string owner = e.value("ownerOrg", "");
    // The indexer's own reads (its key) are its copy into the database, not a party's read.
    if (!owner.empty() && e.value("readerOrg", "") != owner &&
        e.value("readerKey", "") != customs_.public_key.hex()) {
      ++non_owner_reads;
    }
  }

  // --- the samples of each validator -----------------------------------------------------
  for (const std::string& u : net_->urls()) {
    auto r = db->Exec("SELECT count(*) FROM node_samples WHERE node_url = $1 AND up", {u});
    ASSERT_TRUE(r);
    EXPECT_GT(PgToInt(r->rows[0][0]), 0) << u;
  }

  // --- the report and its figures against the API ----------------------------------------
  std::string html = (net_->dir() / "report.html").string();
  std::string figures = (net_->dir() / "figures.json").string();
  auto assess = RunCommand(
      {TradeledgerBinary(), "assess", "--db", pg_.conninfo(), "--out", html, "--json", figures},
      std::chrono::minutes(2));
  ASSERT_EQ(assess.exit_code, 0) << assess.output;
  std::ifstream figures_in(figures);
  json report = json::parse(figures_in, nullptr, false);
  ASSERT_TRUE(report.is_object()) << "figures.json is not JSON";
  std::ifstream html_in(html);
  std::string page((std::istreambuf_iterator<char>(html_in)), {});
  EXPECT_NE(page.find("<svg"), std::string::npos);

  // Claims by agreement and outcome.
  std::map<std::string, std::map<std::string, int64_t>> by_agreement;
  std::map<std::string, int64_t> rejections, final_claims;
  int64_t decided = 0;
  for (const json& c : served["claims"]) {
    std::string state = c["state"].get<std::string>();
    auto& a = by_agreement[c["agreement"].get<std::string>()];
    ++a["filed"];
    if (state == "ACCEPTED") ++a["accepted"];
    if (state == "REJECTED") ++a["rejected"];
    if (state == "DENIED") ++a["denied"];
    if (state == "REJECTED" || state == "DENIED") {
      for (const json& r : c["reasonCodes"]) ++rejections[r.get<std::string>()];
    }
    if (state == "ACCEPTED" || state == "REJECTED" || state == "DENIED" || state == "AFFIRMED" ||
        state == "VOLUNTARILY_CORRECTED") {
      ++decided;
    }
    // Decided at filing: the first decision in the history came at the submission's time.
    const json& history = c["history"];
    for (const json& h : history) {
      std::string s = h["state"].get<std::string>();
      if (s != "ACCEPTED" && s != "REJECTED" && s != "DENIED" && s != "AFFIRMED") continue;
      if (s == "ACCEPTED" && h["at"] == history[0]["at"]) ++a["auto_accepted"];
      break;
    }
  }
  auto agreements = FigureRows(report, "claims_by_agreement");
  EXPECT_EQ(agreements.size(), by_agreement.size());
  for (const auto& row : agreements) {
    const auto& want = by_agreement[row.at("agreement")];
    for (const char* column : {"filed", "accepted", "rejected", "denied", "auto_accepted"}) {
      int64_t expected = want.contains(column) ? want.at(column) : 0;
      EXPECT_EQ(PgToInt(row.at(column)), expected) << row.at("agreement") << " " << column;
    }
  }
  EXPECT_EQ(FigureCounts(report, "rejections_by_reason", "reason_code", "claims"), rejections);
  int64_t in_histogram = 0;
  for (const auto& row : FigureRows(report, "time_to_decision"))
    in_histogram += PgToInt(row.at("claims"));
  EXPECT_EQ(in_histogram, decided);

  // Verification cases, IPR results and flags.
  std::map<std::string, int64_t> cases, results, flags;
  for (const json& c : served["cases"]) ++cases[c["effectiveState"].get<std::string>()];
  for (const json& a : served["assessments"]) {
    ++results[a["result"].get<std::string>()];
    if (a["result"] == "FLAG") {
      for (const json& r : a["reasonCodes"]) ++flags[r.get<std::string>()];
    }
  }
  EXPECT_EQ(FigureCounts(report, "verification_cases", "state", "cases"), cases);
  EXPECT_EQ(FigureCounts(report, "ipr_results", "result", "lines"), results);
  EXPECT_EQ(FigureCounts(report, "ipr_flags_by_reason", "reason_code", "lines"), flags);

  // Blocks and transactions over time add up to the chain.
  int64_t blocks = 0, txs = 0;
  for (const auto& row : FigureRows(report, "throughput")) {
    blocks += PgToInt(row.at("blocks"));
    txs += PgToInt(row.at("transactions"));
  }
  EXPECT_EQ(blocks, height);
  EXPECT_EQ(txs, log_size);

  // Commit latency per minute covers every block seen live, and most blocks were.
  int64_t live =
      Scalar(*db, "SELECT count(*) FROM blocks WHERE live AND commit_latency_ms IS NOT NULL");
  EXPECT_GT(live, height / 2) << "blocks indexed as they committed";
  int64_t live_in_figure = 0;
  for (const auto& row : FigureRows(report, "commit_latency_over_time")) {
    live_in_figure += PgToInt(row.at("blocks"));
  }
  EXPECT_EQ(live_in_figure, live);

  // Retention of documents, from the records and the ledger's time.
  int64_t ledger_now = Get("/v1/me")["ledgerTime"].get<int64_t>();
  std::map<std::string, int64_t> retention = {{"live", 0}, {"past_retention", 0}, {"purged", 0}};
  for (const json& d : served["documents"]) {
    if (d.contains("purgedAt")) {
      ++retention["purged"];
    } else if (d["retainUntil"].get<int64_t>() < ledger_now) {
      ++retention["past_retention"];
    } else {
      ++retention["live"];
    }
  }
  for (const auto& row : FigureRows(report, "retention")) {
    if (row.at("kind") != "document") continue;
    for (const auto& [column, n] : retention) EXPECT_EQ(PgToInt(row.at(column)), n) << column;
  }

  // Each validator's certificates, as counted from the API's blocks.
  auto participation = FigureRows(report, "validator_participation");
  EXPECT_EQ(participation.size(), signed_by_api.size());
  for (const auto& row : participation) {
    bool matched = false;
    for (const auto& [validator, n] : signed_by_api) {
      if (row.at("validator").starts_with(validator.substr(0, 16))) {
        EXPECT_EQ(PgToInt(row.at("certificates_signed")), n) << validator;
        matched = true;
      }
    }
    EXPECT_TRUE(matched) << row.at("validator");
  }

  // Reads by non-owners, and no raw protected identifier anywhere.
  int64_t reads = 0;
  for (const auto& row : FigureRows(report, "reads_by_non_owners"))
    reads += PgToInt(row.at("reads"));
  EXPECT_EQ(reads, non_owner_reads);
  auto protected_rows = FigureRows(report, "protected_identifiers");
  EXPECT_FALSE(protected_rows.empty());
  for (const auto& row : protected_rows) {
    EXPECT_EQ(row.at("cells_matching"), "0") << row.at("table_name");
  }

  // --- another reader's database holds that reader's view only ----------------------------
  // A broker with no delegation is admitted and anchors one document; indexed with its key,
  // it gets every block and transaction id, the bodies it is a party to, its own document in
  // full, everyone else's documents, certifications, recordations and licences as metadata,
  // and no entry, claim, case, assessment or delegation of anyone.
  auto story =
      cli::StoryClient::Open(net_->url(), net_->validators_file(), net_->customs_key_file());
  ASSERT_TRUE(story) << story.error().ToString();
  crypto::KeyPair broker = (*story)->Admit("assessment", "AX-BRK", {"BROKER"}, "US");
  cli::TxResult anchor = (*story)->Submit(
      broker, "document.anchor",
      {{"docId", "AX-DOC-1"},
       {"docType", "INVOICE"},
       {"contentHash", std::string(64, 'a')},
       {"issuer", "AX-BRK"},
       // PostgreSQL cannot store U+0000: the indexer stores U+FFFD instead of failing.
       {"metadata", {{"note", std::string("a\0b", 3)}}}});
  ASSERT_TRUE(anchor.ok()) << anchor.code;
  for (const auto& check : (*story)->checks()) ASSERT_TRUE(check.pass) << check.name;
  std::string broker_key = (net_->dir() / "broker.key").string();
  ASSERT_TRUE(crypto::WriteKeyFile(broker_key, broker));
  ASSERT_TRUE(db->ExecScript("CREATE DATABASE broker_view"));
  std::string broker_db = pg_.conninfo();
  broker_db.replace(broker_db.find("dbname=tradeledger"), 18, "dbname=broker_view");
  auto once = RunCommand({TradeledgerBinary(), "index", "--key", broker_key, "--node", net_->url(),
                          "--validators", net_->validators_file(), "--db", broker_db, "--once"},
                         std::chrono::minutes(5));
  ASSERT_EQ(once.exit_code, 0) << once.output;
  auto view = index::PgConnection::Connect(broker_db);
  ASSERT_TRUE(view) << view.error().ToString();
  ASSERT_TRUE((*view)->ExecScript("SET search_path TO tradeledger"));
  auto& bv = **view;
  auto reader = bv.Exec("SELECT reader_org FROM meta");
  ASSERT_TRUE(reader && reader->rows.size() == 1);
  EXPECT_EQ(reader->rows[0][0], "AX-BRK");
  EXPECT_GT(Scalar(bv, "SELECT count(*) FROM transactions"), log_size);
  EXPECT_EQ(Scalar(bv,
                   "SELECT count(*) FROM transactions WHERE access = 'id-only' AND body IS "
                   "NOT NULL"),
            0);
  // Its admission (signed by customs, naming it) and its anchor: bodies it is a party to.
  EXPECT_EQ(Scalar(bv, "SELECT count(*) FROM transactions WHERE access = 'full'"), 2);
  auto own = bv.Exec(
      "SELECT count(*) FROM transactions WHERE access = 'full' AND signer <> $1 AND "
      "body->>'orgId' IS DISTINCT FROM 'AX-BRK'",
      {broker.public_key.hex()});
  ASSERT_TRUE(own);
  EXPECT_EQ(PgToInt(own->rows[0][0]), 0);
  for (const char* table : {"entries", "entry_lines", "claims", "cases", "case_requests",
                            "assessments", "delegations"}) {
    EXPECT_EQ(Scalar(bv, std::string("SELECT count(*) FROM ") + table), 0) << table;
  }
  // Certifications, recordations and licences: every one listed, as metadata only (rule 30).
  EXPECT_EQ(Scalar(bv, "SELECT count(*) FROM certifications"),
            static_cast<int64_t>(served["certifications"].size()));
  EXPECT_EQ(Scalar(bv,
                   "SELECT count(*) FROM certifications WHERE certifier_org IS NOT NULL OR "
                   "importer_org IS NOT NULL OR record ? 'certifier' OR record ? 'goods'"),
            0);
  EXPECT_EQ(Scalar(bv, "SELECT count(*) FROM recordations"),
            static_cast<int64_t>(served["recordations"].size()));
  EXPECT_EQ(Scalar(bv, "SELECT count(*) FROM recordations WHERE owner IS NOT NULL"), 0);
  EXPECT_EQ(Scalar(bv, "SELECT count(*) FROM licences"),
            static_cast<int64_t>(served["licences"].size()));
  EXPECT_EQ(Scalar(bv,
                   "SELECT count(*) FROM licences WHERE licensee IS NOT NULL OR licensor IS "
                   "NOT NULL"),
            0);
  EXPECT_EQ(Scalar(bv, "SELECT count(*) FROM documents WHERE record ? 'issuer'"), 1);
  auto note =
      bv.Exec("SELECT record->'metadata'->>'note' FROM documents WHERE doc_id = 'AX-DOC-1'");
  ASSERT_TRUE(note && note->rows.size() == 1) << (note ? "" : note.error().ToString());
  EXPECT_EQ(note->rows[0][0],
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(Scalar(bv,
                   "SELECT count(*) FROM documents WHERE record ? 'issuer' AND doc_id <> "
                   "'AX-DOC-1'"),
            0);
  EXPECT_EQ(Scalar(bv, "SELECT count(*) FROM documents"),
            static_cast<int64_t>(served["documents"].size()) + 1);
  EXPECT_EQ(Scalar(bv,
                   "SELECT count(*) FROM organisations WHERE record::text LIKE "
                   "'%iorNumberHash%' AND org_id <> 'AX-BRK'"),
            0);
  // The same database cannot be filled with another key's view.
  auto mixed = RunCommand(
      {TradeledgerBinary(), "index", "--key", net_->customs_key_file(), "--node", net_->url(),
       "--validators", net_->validators_file(), "--db", broker_db, "--once"},
      std::chrono::minutes(2));
  EXPECT_EQ(mixed.exit_code, 1) << mixed.output;
  EXPECT_NE(mixed.output.find("READER_MISMATCH"), std::string::npos) << mixed.output;
}

}  // namespace
}  // namespace tradeledger::stories_test
