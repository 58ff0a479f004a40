#include "index/node_sampler.h"

#include <nlohmann/json.hpp>

#include "api/http/url.h"
#include "index/pg.h"
#include "index/schema.h"
#include "index/writer.h"

namespace tradeledger::index {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

int64_t WallMs() {
  return std::chrono::duration_cast<milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

std::optional<std::string> MetricValue(const std::string& text, const std::string& name) {
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

NodeSampler::NodeSampler(std::vector<std::string> urls, api::http::ClientTls tls, std::string db,
                         milliseconds interval, std::function<void(const std::string&)> log)
    : urls_(std::move(urls)),
      tls_(std::move(tls)),
      db_(std::move(db)),
      interval_(interval),
      log_(std::move(log)) {
  thread_ = std::thread([this] { Run(); });
}

NodeSampler::~NodeSampler() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void NodeSampler::Run() {
  std::vector<std::unique_ptr<api::http::Client>> clients;
  for (const std::string& url : urls_) {
    auto parsed = api::http::ParseUrl(url);  // checked by the command
    clients.push_back(parsed ? std::make_unique<api::http::Client>(parsed->host, parsed->port, tls_)
                             : nullptr);
  }
  std::unique_ptr<PgConnection> db;
  std::unique_ptr<IndexWriter> writer;
  auto next = std::chrono::steady_clock::now();
  while (!stop_) {
    if (std::chrono::steady_clock::now() < next) {
      std::this_thread::sleep_for(milliseconds(50));
      continue;
    }
    next = std::chrono::steady_clock::now() + interval_;
    if (!db) {
      auto connected = PgConnection::Connect(db_);
      if (!connected || !(*connected)->ExecScript("SET search_path TO tradeledger")) {
        if (log_) log_("samples: the database is not reachable; retrying");
        continue;
      }
      db = std::move(*connected);
      writer = std::make_unique<IndexWriter>(*db);
    }
    for (size_t i = 0; i < urls_.size() && !stop_; ++i) {
      if (!clients[i]) continue;
      IndexWriter::NodeSample s;
      s.node_url = urls_[i];
      s.at_ms = WallMs();
      auto& client = *clients[i];
      auto health = client.Send("GET", "/health", {}, {}, milliseconds(2000));
      json h = health ? json::parse(health->body, nullptr, false) : json();
      auto ready = health && h.is_object()
                       ? client.Send("GET", "/health/ready", {}, {}, milliseconds(2000))
                       : core::Result<api::http::Response>(core::Fail("HTTP_CONNECT_FAILED"));
      json r = ready ? json::parse(ready->body, nullptr, false) : json();
      s.up = h.is_object() && r.is_object();
      if (s.up) {
        if (h.contains("height")) s.height = h["height"].dump();
        if (h.contains("view")) s.view = h["view"].dump();
        if (r.contains("connected_peers")) s.peers = r["connected_peers"].dump();
        std::string status = r.value("status", "");
        s.ready = status == "ready" ? status : r.value("reason", status);
        auto metrics = client.Send("GET", "/metrics", {}, {}, milliseconds(2000));
        if (metrics && metrics->status == 200) {
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
      if (auto written = writer->WriteSample(s); !written) {
        if (log_) log_("sample of " + s.node_url + " not written: " + written.error().ToString());
        writer.reset();  // reconnect next time
        db.reset();
        break;
      }
    }
  }
}

}  // namespace tradeledger::index
