#include "index/indexer.h"

#include <algorithm>
#include <optional>
#include <thread>

#include "api/http/url.h"
#include "index/event_feed.h"
#include "index/node_sampler.h"
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

// Errors worth waiting out: the node or the database is restarting, unreachable or slow.
bool Transient(const core::Error& e) {
  return e.code.starts_with("HTTP_") || e.code == "NODE_UNAVAILABLE" ||
         e.code == "PG_CONNECT_FAILED";
}
// A block or transaction the node has announced but does not serve (yet): retried a bounded
// number of times, then the node is taken to be inconsistent.
bool NotServed(const core::Error& e) {
  return e.code == "BLOCK_NOT_FOUND" || e.code == "TX_NOT_FOUND";
}
constexpr int kMaxNotServed = 30;

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
  // Runs `step` until it succeeds, fails for good, or the indexer is asked to stop (STOPPED).
  template <typename Fn>
  auto Retry(const std::string& what, Fn&& step) -> decltype(step());

  core::Status Setup();
  core::Result<uint64_t> NodeHeight();
  core::Status IndexBlock(uint64_t height);
  core::Status CatchUp(uint64_t to);
  core::Status RefreshRecords();
  core::Status FollowAudit();
  core::Status Periodic(bool force);
  bool Done() const;

  const IndexerOptions& o_;
  std::unique_ptr<NodeSource> source_;
  std::unique_ptr<EventFeed> feed_;
  std::unique_ptr<NodeSampler> sampler_;
  std::unique_ptr<PgConnection> db_;
  std::unique_ptr<IndexWriter> writer_;
  IndexMeta meta_;
  uint64_t start_tip_ = 0;
  bool records_dirty_ = true;
  Clock::time_point last_records_{};
  Clock::time_point last_audit_{};
};

void Indexer::Pause(milliseconds d) const {
  auto until = Clock::now() + d;
  while (Clock::now() < until && !Stopping()) {
    std::this_thread::sleep_for(std::min<milliseconds>(
        milliseconds(50), std::chrono::duration_cast<milliseconds>(until - Clock::now())));
  }
}

template <typename Fn>
auto Indexer::Retry(const std::string& what, Fn&& step) -> decltype(step()) {
  milliseconds backoff(200);
  while (true) {
    auto r = step();
    if (r || !Transient(r.error())) return r;
    Log(what + ": " + r.error().ToString() + "; retrying");
    Pause(backoff);
    backoff = std::min(backoff * 2, milliseconds(5000));
    if (Stopping()) return core::Fail("STOPPED", "stopped while waiting: " + what);
  }
}

core::Status Indexer::Setup() {
  TL_ASSIGN_OR_RETURN(source_, NodeSource::Open(o_.node_url, o_.tls, o_.key));
  source_->set_chain(o_.trusted.chain_id);
  // The node must serve the chain the validators file names.
  TL_ASSIGN_OR_RETURN(json health, Retry("GET /health", [&]() -> core::Result<json> {
                        TL_ASSIGN_OR_RETURN(NodeReply h, source_->Get("/health"));
                        if (!h.body.is_object() || !h.body.contains("chain_id")) {
                          return core::Fail("NODE_UNAVAILABLE", "GET /health: " + DescribeReply(h));
                        }
                        return h.body;
                      }));
  if (health.value("chain_id", "") != o_.trusted.chain_id.hex()) {
    return core::Fail("CHAIN_MISMATCH", "the node serves chain " + health.value("chain_id", "") +
                                            ", the validators file names " +
                                            o_.trusted.chain_id.hex());
  }
  TL_ASSIGN_OR_RETURN(json me, Retry("GET /v1/me", [&] { return source_->SignedGetOk("/v1/me"); }));
  std::string org = me.value("orgId", "");

  TL_ASSIGN_OR_RETURN(db_, Retry("the database", [&] { return PgConnection::Connect(o_.db); }));
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
  for (const auto& key : o_.trusted.set.validators()) {
    rows.push_back({key.hex(), names[key.hex()], 1});
  }
  for (const auto& later : o_.trusted.later) {
    for (const auto& key : later.set.validators()) {
      rows.push_back({key.hex(), names[key.hex()], later.from_height});
    }
  }
  TL_RETURN_IF_ERROR(writer_->WriteValidators(rows));

  TL_ASSIGN_OR_RETURN(auto feed_source, NodeSource::Open(o_.node_url, o_.tls, o_.key));
  feed_source->set_chain(o_.trusted.chain_id);
  feed_ = std::make_unique<EventFeed>(std::move(feed_source));
  if (!o_.watch.empty()) {
    sampler_ = std::make_unique<NodeSampler>(o_.watch, o_.tls, o_.db, o_.sample_interval, o_.log);
  }
  Log("indexing chain " + meta_.chain_id + " from " + o_.node_url + " as " + org +
      " into the database; resuming after height " + std::to_string(meta_.height));
  return core::Ok();
}

core::Result<uint64_t> Indexer::NodeHeight() {
  TL_ASSIGN_OR_RETURN(NodeReply r, source_->Get("/health"));
  if (!r.body.is_object() || !r.body.contains("height") || !r.body["height"].is_number_unsigned()) {
    return core::Fail("NODE_UNAVAILABLE", "GET /health: " + DescribeReply(r));
  }
  return r.body["height"].get<uint64_t>();
}

core::Status Indexer::IndexBlock(uint64_t height) {
  TL_ASSIGN_OR_RETURN(json served, source_->SignedGetOk("/v1/blocks/" + std::to_string(height)));
  std::optional<ledger::BlockHash> prev;
  if (height == 1) {
    prev = ledger::BlockHash{};
  } else {
    TL_ASSIGN_OR_RETURN(prev, ledger::BlockHash::FromHex(meta_.block_hash));
  }
  TL_ASSIGN_OR_RETURN(CheckedBlock block,
                      CheckServedBlock(served, o_.trusted, core::Height(height), prev));
  uint64_t first_leaf = block.header.log_size - block.header.tx_count;
  std::vector<IndexedTx> txs;
  for (size_t i = 0; i < block.tx_ids.size(); ++i) {
    std::string id = block.tx_ids[i].hex();
    TL_ASSIGN_OR_RETURN(json tx, source_->SignedGetOk("/v1/transactions/" + id));
    if (tx.value("height", uint64_t{0}) != height || tx.value("position", uint64_t{0}) != i ||
        tx.value("tx_id", "") != id || tx.value("leaf_index", uint64_t{0}) != first_leaf + i) {
      return core::Fail("TX_MISMATCH",
                        "transaction " + id + " is served at another place than block " +
                            std::to_string(height) + " position " + std::to_string(i));
    }
    txs.push_back({id, i, std::move(tx)});
  }
  // Live: the node announced this block on the event stream; the latency is measured from the
  // header's time to the event's arrival (EventFeed), whatever the main loop was doing then.
  std::optional<int64_t> arrived = feed_->TakeArrival(height);
  TL_RETURN_IF_ERROR(
      writer_->WriteBlock(block, txs, arrived.value_or(WallMs()), arrived.has_value()));
  meta_.height = height;
  meta_.block_hash = block.hash.hex();
  if (!txs.empty()) records_dirty_ = true;
  return core::Ok();
}

core::Status Indexer::CatchUp(uint64_t to) {
  if (o_.until_height > 0) to = std::min(to, o_.until_height);
  int not_served = 0;
  while (meta_.height < to && !Stopping()) {
    auto indexed = IndexBlock(meta_.height + 1);
    if (!indexed) {
      if (!NotServed(indexed.error())) return indexed;
      if (++not_served > kMaxNotServed) {
        return core::Fail("NODE_INCONSISTENT", "the node announced height " + std::to_string(to) +
                                                   " but does not serve " +
                                                   indexed.error().ToString());
      }
      Pause(milliseconds(200));
      continue;
    }
    not_served = 0;
    if (meta_.height % 500 == 0) Log("indexed height " + std::to_string(meta_.height));
    TL_RETURN_IF_ERROR(Periodic(false));
  }
  return core::Ok();
}

core::Status Indexer::RefreshRecords() {
  // The records are the node's state when the walk begins or later: stamp that height.
  TL_ASSIGN_OR_RETURN(uint64_t height, NodeHeight());
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
    for (const json& e : events) {
      meta_.audit_seq = std::max(meta_.audit_seq, e.value("seq", uint64_t{0}));
    }
    if (events.size() < kPage) break;
  }
  last_audit_ = Clock::now();
  return core::Ok();
}

core::Status Indexer::Periodic(bool force) {
  auto now = Clock::now();
  if (force || now - last_audit_ >= milliseconds(5000)) TL_RETURN_IF_ERROR(FollowAudit());
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
  auto last_poll = Clock::time_point{};
  bool first = true;
  while (!Stopping()) {
    core::Status step = [&]() -> core::Status {
      // The event stream says what committed; /health is polled each second as well, so a
      // lost event or a broken stream only delays a block. While the stream is connected the
      // poll leaves the tip to its event (so the tip is indexed as live), except at start.
      uint64_t target = feed_->announced();
      if (first || Clock::now() - last_poll >= milliseconds(1000)) {
        TL_ASSIGN_OR_RETURN(uint64_t tip, NodeHeight());
        last_poll = Clock::now();
        if (first) start_tip_ = tip;
        target = std::max(target, first || !feed_->connected() || tip == 0 ? tip : tip - 1);
        first = false;
      }
      uint64_t before = meta_.height;
      TL_RETURN_IF_ERROR(CatchUp(target));
      TL_RETURN_IF_ERROR(Periodic(false));
      if (meta_.height == before && !Done()) Pause(milliseconds(50));
      return core::Ok();
    }();
    if (step) {
      backoff = milliseconds(200);
      if (Done()) break;
      continue;
    }
    if (!Transient(step.error())) return step;
    Log("waiting for the node: " + step.error().ToString());
    Pause(backoff);
    backoff = std::min(backoff * 2, milliseconds(5000));
  }
  // A last refresh, so that the records match the blocks the database holds. When stopping
  // with the node out of reach, the database keeps the last refresh (meta.records_height).
  records_dirty_ = records_dirty_ || meta_.records_height < meta_.height;
  if (auto last = Periodic(true); !last) {
    if (!Transient(last.error())) return last;
    Log("no final refresh: " + last.error().ToString());
  }
  sampler_.reset();
  feed_.reset();
  Log("stopped at height " + std::to_string(meta_.height));
  return core::Ok();
}

}  // namespace

core::Status RunIndexer(const IndexerOptions& options) { return Indexer(options).Run(); }

}  // namespace tradeledger::index
