#include "index/indexer.h"

#include <algorithm>
#include <charconv>
#include <optional>
#include <thread>

#include "api/http/url.h"
#include "index/node_source.h"
#include "index/schema.h"
#include "index/writer.h"

namespace tradeledger::index {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

int64_t WallMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Errors worth waiting out: the node is restarting, unreachable or slow.
bool Transient(const core::Error& e) {
  return e.code == "HTTP_CONNECT_FAILED" || e.code == "HTTP_TIMEOUT" || e.code == "HTTP_PROTOCOL" ||
         e.code == "HTTP_STREAM_CLOSED" || e.code == "NODE_UNAVAILABLE" ||
         e.code == "BLOCK_NOT_FOUND" || e.code == "TX_NOT_FOUND";
}

// The value of an unlabelled or labelled sample line of Prometheus text, e.g.
// `tradeledger_proofs_verified_total{result="ok"}`.
PgParam MetricValue(const std::string& text, const std::string& name) {
  size_t at = 0;
  while ((at = text.find(name + " ", at)) != std::string::npos) {
    if (at == 0 || text[at - 1] == '\n') {
      size_t start = at + name.size() + 1;
      size_t end = text.find('\n', start);
      std::string value = text.substr(start, end == std::string::npos ? end : end - start);
      if (!value.empty()) return value;
    }
    at += name.size();
  }
  return std::nullopt;
}

class Indexer {
 public:
  explicit Indexer(const IndexerOptions& o) : o_(o) {}

  core::Status Run();

 private:
  void Log(const std::string& line) const {
    if (o_.log) o_.log(line);
  }
  bool Stopping() const { return o_.stop && o_.stop(); }
  // Sleeps up to `d`, waking early when asked to stop.
  void Pause(milliseconds d) const;

  core::Status Setup();
  core::Result<uint64_t> NodeHeight();
  core::Status IndexBlock(uint64_t height, bool live, int64_t seen_ms);
  core::Status CatchUp(uint64_t to);
  core::Status RefreshRecords();
  core::Status FollowAudit();
  void Sample();
  core::Status Periodic(bool force);
  bool Done() const;

  const IndexerOptions& o_;
  std::unique_ptr<NodeSource> source_;
  std::unique_ptr<PgConnection> db_;
  std::unique_ptr<IndexWriter> writer_;
  IndexMeta meta_;
  uint64_t start_tip_ = 0;
  bool records_dirty_ = true;
  Clock::time_point last_records_{};
  Clock::time_point last_sample_{};
  Clock::time_point last_audit_{};
  std::vector<std::unique_ptr<api::http::Client>> watch_;
};

void Indexer::Pause(milliseconds d) const {
  auto until = Clock::now() + d;
  while (Clock::now() < until && !Stopping()) {
    std::this_thread::sleep_for(std::min<milliseconds>(
        milliseconds(50), std::chrono::duration_cast<milliseconds>(until - Clock::now())));
  }
}

core::Status Indexer::Setup() {
  TL_ASSIGN_OR_RETURN(source_, NodeSource::Open(o_.node_url, o_.tls, o_.key));
  source_->set_chain(o_.trusted.chain_id);
  // The node must serve the chain the validators file names.
  milliseconds backoff(200);
  std::optional<json> health;
  while (!health) {
    auto h = source_->Get("/health");
    if (h && h->body.is_object() && h->body.contains("chain_id")) {
      health = h->body;
      break;
    }
    if (h || !Transient(h.error())) {
      return core::Fail("NODE_UNAVAILABLE",
                        "GET /health: " + (h ? DescribeReply(*h) : h.error().ToString()));
    }
    Log("node " + o_.node_url + " not reachable (" + h.error().ToString() + "); retrying");
    Pause(backoff);
    backoff = std::min(backoff * 2, milliseconds(5000));
    if (Stopping()) return core::Fail("STOPPED", "stopped before the node answered");
  }
  if (health->value("chain_id", "") != o_.trusted.chain_id.hex()) {
    return core::Fail("CHAIN_MISMATCH", "the node serves chain " + health->value("chain_id", "") +
                                            ", the validators file names " +
                                            o_.trusted.chain_id.hex());
  }
  TL_ASSIGN_OR_RETURN(json me, source_->SignedGetOk("/v1/me"));
  std::string org = me.value("orgId", "");

  TL_ASSIGN_OR_RETURN(db_, PgConnection::Connect(o_.db));
  TL_RETURN_IF_ERROR(ApplySchema(*db_));
  writer_ = std::make_unique<IndexWriter>(*db_);
  TL_ASSIGN_OR_RETURN(meta_, writer_->OpenMeta(o_.trusted.chain_id.hex(), o_.node_url, org,
                                               o_.key.public_key.hex()));
  records_dirty_ = true;

  // The validators' names come from the file itself; its sets from the parsed file.
  std::map<std::string, std::string> names;
  json file = json::parse(o_.validators_json, nullptr, false);
  auto collect = [&](const json& list) {
    if (!list.is_array()) return;
    for (const json& v : list) {
      if (v.is_object()) names[v.value("public_key", "")] = v.value("name", "");
    }
  };
  if (file.is_object()) {
    collect(file.value("validators", json::array()));
    for (const json& set : file.value("history", json::array())) {
      if (set.is_object()) collect(set.value("validators", json::array()));
    }
  }
  std::vector<IndexWriter::ValidatorRow> rows;
  for (const auto& key : o_.trusted.set.validators())
    rows.push_back({key.hex(), names[key.hex()], 1});
  for (const auto& later : o_.trusted.later) {
    for (const auto& key : later.set.validators()) {
      rows.push_back({key.hex(), names[key.hex()], later.from_height});
    }
  }
  TL_RETURN_IF_ERROR(writer_->WriteValidators(rows));

  for (const std::string& url : o_.watch) {
    TL_ASSIGN_OR_RETURN(api::http::ParsedUrl parsed, api::http::ParseUrl(url));
    watch_.push_back(std::make_unique<api::http::Client>(parsed.host, parsed.port, o_.tls));
  }
  Log("indexing chain " + meta_.chain_id + " from " + o_.node_url + " as " + org +
      " into the "
      "database; resuming after height " +
      std::to_string(meta_.height));
  return core::Ok();
}

core::Result<uint64_t> Indexer::NodeHeight() {
  TL_ASSIGN_OR_RETURN(NodeReply r, source_->Get("/health"));
  if (!r.body.is_object() || !r.body.contains("height") || !r.body["height"].is_number_unsigned()) {
    return core::Fail("NODE_UNAVAILABLE", "GET /health: " + DescribeReply(r));
  }
  return r.body["height"].get<uint64_t>();
}

core::Status Indexer::IndexBlock(uint64_t height, bool live, int64_t seen_ms) {
  TL_ASSIGN_OR_RETURN(json served, source_->SignedGetOk("/v1/blocks/" + std::to_string(height)));
  std::optional<ledger::BlockHash> prev;
  if (height == 1) {
    prev = ledger::BlockHash{};
  } else {
    TL_ASSIGN_OR_RETURN(prev, ledger::BlockHash::FromHex(meta_.block_hash));
  }
  TL_ASSIGN_OR_RETURN(CheckedBlock block,
                      CheckServedBlock(served, o_.trusted, core::Height(height), prev));
  std::vector<IndexedTx> txs;
  for (size_t i = 0; i < block.tx_ids.size(); ++i) {
    std::string id = block.tx_ids[i].hex();
    TL_ASSIGN_OR_RETURN(json tx, source_->SignedGetOk("/v1/transactions/" + id));
    if (tx.value("height", uint64_t{0}) != height || tx.value("position", uint64_t{0}) != i ||
        tx.value("tx_id", "") != id) {
      return core::Fail("TX_MISMATCH", "transaction " + id +
                                           " is served at another place than "
                                           "block " +
                                           std::to_string(height) + " position " +
                                           std::to_string(i));
    }
    txs.push_back({id, i, std::move(tx)});
  }
  TL_RETURN_IF_ERROR(writer_->WriteBlock(block, txs, seen_ms, live));
  meta_.height = height;
  meta_.block_hash = block.hash.hex();
  if (!txs.empty()) records_dirty_ = true;
  return core::Ok();
}

core::Status Indexer::CatchUp(uint64_t to) {
  if (o_.until_height > 0) to = std::min(to, o_.until_height);
  while (meta_.height < to && !Stopping()) {
    TL_RETURN_IF_ERROR(IndexBlock(meta_.height + 1, false, WallMs()));
    if (meta_.height % 500 == 0) Log("indexed height " + std::to_string(meta_.height));
    TL_RETURN_IF_ERROR(Periodic(false));
  }
  return core::Ok();
}

core::Status Indexer::RefreshRecords() {
  uint64_t height = meta_.height;
  TL_ASSIGN_OR_RETURN(json me, source_->SignedGetOk("/v1/me"));
  int64_t ledger_now = me.value("ledgerTime", int64_t{0});
  std::vector<TableRows> tables;
  for (const RecordKind& kind : RecordKinds()) {
    std::vector<json> items;
    std::string after;
    while (true) {
      std::string target = kind.list_path + "?limit=200";
      if (!after.empty()) target += "&after=" + api::http::PercentEncode(after);
      TL_ASSIGN_OR_RETURN(json page, source_->SignedGetOk(target));
      if (!page.contains("items") || !page["items"].is_array()) {
        return core::Fail("NODE_REPLY_INVALID", "GET " + target + " has no items");
      }
      for (auto& item : page["items"]) items.push_back(std::move(item));
      if (!page.contains("next") || !page["next"].is_string()) break;
      after = page["next"].get<std::string>();
    }
    auto rows = RecordRows(kind, items, ledger_now);
    tables.insert(tables.end(), rows.begin(), rows.end());
  }
  TL_RETURN_IF_ERROR(writer_->ReplaceRecords(tables, height, WallMs(), ledger_now));
  meta_.records_height = height;
  records_dirty_ = false;
  last_records_ = Clock::now();
  return core::Ok();
}

core::Status Indexer::FollowAudit() {
  constexpr size_t kPage = 1000;
  while (true) {
    TL_ASSIGN_OR_RETURN(json page, source_->SignedGetOk(
                                       "/v1/audit-events?after=" + std::to_string(meta_.audit_seq) +
                                       "&limit=" + std::to_string(kPage)));
    if (!page.contains("events") || !page["events"].is_array()) {
      return core::Fail("NODE_REPLY_INVALID", "GET /v1/audit-events has no events");
    }
    std::vector<json> events(page["events"].begin(), page["events"].end());
    if (events.empty()) break;
    TL_RETURN_IF_ERROR(writer_->AppendReadEvents(events));
    for (const json& e : events)
      meta_.audit_seq = std::max(meta_.audit_seq, e.value("seq", uint64_t{0}));
    if (events.size() < kPage) break;
  }
  last_audit_ = Clock::now();
  return core::Ok();
}

void Indexer::Sample() {
  last_sample_ = Clock::now();
  for (size_t i = 0; i < watch_.size(); ++i) {
    IndexWriter::NodeSample s;
    s.node_url = o_.watch[i];
    s.at_ms = WallMs();
    auto& client = *watch_[i];
    auto health = client.Send("GET", "/health", {}, {}, milliseconds(2000));
    auto ready = client.Send("GET", "/health/ready", {}, {}, milliseconds(2000));
    if (health && ready) {
      json h = json::parse(health->body, nullptr, false);
      json r = json::parse(ready->body, nullptr, false);
      s.up = h.is_object() && r.is_object();
      if (s.up) {
        if (h.contains("height")) s.height = h["height"].dump();
        if (h.contains("view")) s.view = h["view"].dump();
        if (r.contains("connected_peers")) s.peers = r["connected_peers"].dump();
        std::string status = r.value("status", "");
        s.ready = status == "ready" ? status : r.value("reason", status);
      }
      auto metrics = client.Send("GET", "/metrics", {}, {}, milliseconds(2000));
      if (s.up && metrics && metrics->status == 200) {
        s.proofs_verified =
            MetricValue(metrics->body, "tradeledger_proofs_verified_total{result=\"ok\"}");
        s.proofs_rejected =
            MetricValue(metrics->body, "tradeledger_proofs_verified_total{result=\"invalid\"}");
        s.latency_sum = MetricValue(metrics->body, "tradeledger_commit_latency_seconds_sum");
        s.latency_count = MetricValue(metrics->body, "tradeledger_commit_latency_seconds_count");
      }
    } else {
      client.Disconnect();
    }
    auto written = writer_->WriteSample(s);
    if (!written) Log("sample of " + s.node_url + " not written: " + written.error().ToString());
  }
}

core::Status Indexer::Periodic(bool force) {
  auto now = Clock::now();
  if (!watch_.empty() && (force || now - last_sample_ >= o_.sample_interval)) Sample();
  if (force || now - last_audit_ >= milliseconds(1000)) TL_RETURN_IF_ERROR(FollowAudit());
  if (records_dirty_ && (force || now - last_records_ >= o_.records_interval)) {
    TL_RETURN_IF_ERROR(RefreshRecords());
  }
  return core::Ok();
}

bool Indexer::Done() const {
  if (o_.until_height > 0 && meta_.height >= o_.until_height) return true;
  return o_.once && meta_.height >= start_tip_;
}

core::Status Indexer::Run() {
  TL_RETURN_IF_ERROR(Setup());
  milliseconds backoff(200);
  bool stream_open = false;
  auto last_poll = Clock::time_point{};
  bool first = true;
  while (!Stopping()) {
    core::Status step = [&]() -> core::Status {
      if (!stream_open) {
        TL_RETURN_IF_ERROR(source_->OpenEvents());
        stream_open = true;
      }
      // Polling /health as well as listening: a missed event only delays a block.
      if (Clock::now() - last_poll >= milliseconds(1000)) {
        TL_ASSIGN_OR_RETURN(uint64_t tip, NodeHeight());
        last_poll = Clock::now();
        if (first) start_tip_ = tip;
        first = false;
        TL_RETURN_IF_ERROR(CatchUp(tip));
      }
      if (Done()) return core::Ok();
      auto event = source_->NextBlockEvent(milliseconds(200));
      if (!event) {
        stream_open = false;
        return core::Fail(event.error());
      }
      if (*event && **event > meta_.height) {
        int64_t seen = WallMs();
        uint64_t h = **event;
        TL_RETURN_IF_ERROR(CatchUp(h - 1));
        if (meta_.height == h - 1 && (o_.until_height == 0 || h <= o_.until_height)) {
          TL_RETURN_IF_ERROR(IndexBlock(h, true, seen));
        }
      }
      return Periodic(false);
    }();
    if (step) {
      backoff = milliseconds(200);
      if (Done()) break;
      continue;
    }
    if (!Transient(step.error())) return step;
    Log("waiting for the node: " + step.error().ToString());
    stream_open = false;
    Pause(backoff);
    backoff = std::min(backoff * 2, milliseconds(5000));
  }
  // A last refresh, so that what the database holds matches the blocks it holds.
  records_dirty_ = records_dirty_ || meta_.records_height < meta_.height;
  auto last = Periodic(true);
  if (!last) return last;
  Log("stopped at height " + std::to_string(meta_.height));
  return core::Ok();
}

}  // namespace

core::Status RunIndexer(const IndexerOptions& options) { return Indexer(options).Run(); }

}  // namespace tradeledger::index
