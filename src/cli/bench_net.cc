#include "cli/bench_net.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/read_auth.h"
#include "cli/node_client.h"

namespace tradeledger::cli::bench {
namespace {

int64_t NsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
}

}  // namespace

core::Result<std::vector<NodeTarget>> ParseTargets(const std::vector<std::string>& urls) {
  std::vector<NodeTarget> out;
  for (const std::string& url : urls) {
    auto parsed = api::http::ParseUrl(url);
    if (!parsed) return core::Fail("INVALID_URL", url + ": " + parsed.error().detail);
    out.push_back({url, *parsed, NodeTls(*parsed), nullptr});
  }
  return out;
}

api::http::Client& Connections::At(size_t i) {
  if (!clients_[i]) {
    const NodeTarget& t = targets_[i];
    clients_[i] = std::make_unique<api::http::Client>(t.parsed.host, t.parsed.port, t.tls);
  }
  return *clients_[i];
}

core::Result<api::http::Response> Connections::Post(size_t i, const core::Bytes& envelope,
                                                    std::chrono::milliseconds wait) {
  std::string target = targets_[i].parsed.prefix + "/v1/transactions";
  if (wait.count() > 0) target += "?wait=commit&timeout_ms=" + std::to_string(wait.count());
  return At(i).Send("POST", target, core::AsStringView(envelope), "application/octet-stream",
                    wait + std::chrono::seconds(10));
}

api::http::Headers ReadHeaders(const NodeTarget& target, const std::string& path) {
  if (!target.reader) return {};
  uint64_t now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  auto signed_headers =
      api::SignReadHeaders(target.reader->chain, target.reader->key, now, "GET", path, {});
  return api::http::Headers(signed_headers.begin(), signed_headers.end());
}

core::Result<api::http::Response> Connections::Get(size_t i, const std::string& path) {
  return At(i).Send("GET", targets_[i].parsed.prefix + path, {}, "application/json",
                    std::chrono::seconds(10), ReadHeaders(targets_[i], path));
}

core::Result<NodeWrites> ParseNodeWrites(std::string_view metrics) {
  constexpr std::string_view kCommitted = "tradeledger_transactions_committed_total ";
  constexpr std::string_view kBytes = "tradeledger_block_write_bytes_total{part=\"";
  NodeWrites out;
  bool has_committed = false;
  while (!metrics.empty()) {
    size_t end = metrics.find('\n');
    std::string_view line = metrics.substr(0, end);
    metrics = end == std::string_view::npos ? std::string_view() : metrics.substr(end + 1);
    std::string_view value;
    std::string part;
    if (line.starts_with(kCommitted)) {
      value = line.substr(kCommitted.size());
    } else if (line.starts_with(kBytes)) {
      size_t close = line.find("\"} ", kBytes.size());
      if (close == std::string_view::npos) continue;
      part = std::string(line.substr(kBytes.size(), close - kBytes.size()));
      value = line.substr(close + 3);
    } else {
      continue;
    }
    uint64_t n = 0;
    auto [ptr, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
    if (ec != std::errc() || ptr != value.data() + value.size()) {
      return core::Fail("METRICS_UNAVAILABLE", "unreadable metric line: " + std::string(line));
    }
    if (part.empty()) {
      out.transactions = n;
      has_committed = true;
    } else {
      out.bytes[part] = n;
    }
  }
  if (!has_committed || out.bytes.empty()) {
    return core::Fail("METRICS_UNAVAILABLE", "no committed transactions or write volume");
  }
  return out;
}

core::Result<NodeProcess> ParseNodeProcess(std::string_view metrics) {
  constexpr std::string_view kCpu = "process_cpu_seconds_total ";
  constexpr std::string_view kFaults = "tradeledger_process_minor_faults_total ";
  constexpr std::string_view kThread = "tradeledger_thread_cpu_seconds_total{role=\"";
  std::optional<double> cpu;
  std::optional<uint64_t> faults;
  std::map<std::string, double> threads;
  while (!metrics.empty()) {
    size_t end = metrics.find('\n');
    std::string_view line = metrics.substr(0, end);
    metrics = end == std::string_view::npos ? std::string_view() : metrics.substr(end + 1);
    bool ok = true;
    if (line.starts_with(kCpu)) {
      std::string_view v = line.substr(kCpu.size());
      double seconds = 0;
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
      ok = ec == std::errc() && ptr == v.data() + v.size() && seconds >= 0;
      cpu = seconds;
    } else if (line.starts_with(kFaults)) {
      std::string_view v = line.substr(kFaults.size());
      uint64_t n = 0;
      auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
      ok = ec == std::errc() && ptr == v.data() + v.size();
      faults = n;
    } else if (line.starts_with(kThread)) {
      std::string_view rest = line.substr(kThread.size());
      size_t close = rest.find("\"} ");
      double seconds = 0;
      ok = close != std::string_view::npos && close > 0;
      if (ok) {
        std::string_view v = rest.substr(close + 3);
        auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), seconds);
        ok = ec == std::errc() && ptr == v.data() + v.size() && seconds >= 0;
      }
      if (ok) threads[std::string(rest.substr(0, close))] = seconds;
    }
    if (!ok) {
      return core::Fail("METRICS_UNAVAILABLE", "unreadable metric line: " + std::string(line));
    }
  }
  if (!cpu || !faults) return core::Fail("METRICS_UNAVAILABLE", "no process CPU time or faults");
  return NodeProcess{*cpu, *faults, std::move(threads)};
}

core::Result<std::string> ReadMetrics(Connections& connections, size_t i) {
  TL_ASSIGN_OR_RETURN(api::http::Response r, connections.Get(i, "/metrics"));
  if (r.status != 200) {
    return core::Fail("METRICS_UNAVAILABLE", "GET /metrics: HTTP " + std::to_string(r.status));
  }
  return std::move(r.body);
}

std::string CodeOf(const api::http::Response& r) {
  auto body = nlohmann::json::parse(r.body, nullptr, false);
  if (r.status == 200 && body.is_object() && body.contains("result_code") &&
      body["result_code"].is_string()) {
    return body["result_code"].get<std::string>();
  }
  std::string out = "HTTP " + std::to_string(r.status);
  if (body.is_object() && body.contains("error") && body["error"].is_object()) {
    out += " " + body["error"].value("code", std::string("?"));
  } else if (body.is_object() && body.value("status", std::string()) == "pending") {
    out += " PENDING";
  }
  return out;
}

CommitListener::CommitListener(const std::vector<NodeTarget>& targets,
                               const std::unordered_map<ledger::TxId, uint32_t>& ids,
                               std::vector<std::atomic<int64_t>>& commit_ns,
                               Clock::time_point start)
    : targets_(targets),
      ids_(ids),
      commit_ns_(commit_ns),
      start_(start),
      connected_(targets.size()),
      blocks_(targets.size()) {
  for (size_t i = 0; i < targets.size(); ++i) threads_.emplace_back([this, i] { Listen(i); });
}

CommitListener::~CommitListener() { Stop(); }

void CommitListener::Stop() {
  stop_ = true;
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::vector<size_t> CommitListener::WaitConnected(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  std::vector<size_t> out(targets_.size());
  while (true) {
    for (size_t i = 0; i < out.size(); ++i) out[i] = connected_[i].load();
    bool all = std::all_of(out.begin(), out.end(), [](size_t c) { return c != 0; });
    if (all || Clock::now() > deadline) return out;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::vector<size_t> CommitListener::blocks() const {
  std::vector<size_t> out;
  for (const auto& b : blocks_) out.push_back(b.load());
  return out;
}

void CommitListener::Listen(size_t node) {
  const NodeTarget& t = targets_[node];
  while (!stop_) {
    api::http::EventStreamClient stream(t.parsed.host, t.parsed.port, t.tls);
    if (!stream.Open(t.parsed.prefix + "/v1/events", std::chrono::seconds(2),
                     ReadHeaders(t, "/v1/events"))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    connected_[node] = 1;
    while (!stop_) {
      auto event = stream.Next(std::chrono::milliseconds(200));
      if (!event) {
        if (event.error().code == "HTTP_TIMEOUT") continue;
        break;  // the node went away: reconnect while the run lasts
      }
      if (event->event != "block") continue;
      int64_t now = NsSince(start_);
      ++blocks_[node];
      auto data = nlohmann::json::parse(event->data, nullptr, false);
      if (!data.is_object() || !data.contains("transactions")) continue;
      for (const auto& id_hex : data["transactions"]) {
        if (!id_hex.is_string()) continue;
        auto id = ledger::TxId::FromHex(id_hex.get<std::string>());
        if (!id) continue;
        auto it = ids_.find(*id);
        if (it == ids_.end()) continue;
        int64_t unset = -1;
        commit_ns_[it->second].compare_exchange_strong(unset, now);
      }
    }
    connected_[node] = 0;
    stream.Close();
  }
}

HookRunner::HookRunner(std::vector<Hook> hooks, Clock::time_point start) : start_(start) {
  std::sort(hooks.begin(), hooks.end(),
            [](const Hook& a, const Hook& b) { return a.at_s < b.at_s; });
  for (auto& h : hooks) runs_.push_back({std::move(h)});
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    for (HookRun& run : runs_) {
      auto due = start_ + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(run.hook.at_s));
      if (cv_.wait_until(lock, due, [this] { return stop_; })) return;
      std::string command = run.hook.command;
      lock.unlock();
      double at = std::chrono::duration<double>(Clock::now() - start_).count();
      int status = std::system(command.c_str());
      lock.lock();
      run.ran = true;
      run.ran_at_s = at;
      run.status = status;
    }
  });
}

HookRunner::~HookRunner() { Finish(); }

std::vector<HookRun> HookRunner::Finish() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(mu_);
  return runs_;
}

}  // namespace tradeledger::cli::bench
