#include "cli/bench_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace tradeledger::cli::bench {
namespace {

using nlohmann::ordered_json;

double Ms(int64_t ns) { return static_cast<double>(ns) / 1e6; }

// Infinite figures (percentiles that fall among uncommitted transactions) are null.
ordered_json LatencyJson(const LatencySummary& s) {
  auto ms = [](double v) { return std::isinf(v) ? ordered_json() : ordered_json(v); };
  return {{"count", s.count},     {"not_committed", s.not_committed},
          {"p50_ms", ms(s.p50)},  {"p95_ms", ms(s.p95)},
          {"p99_ms", ms(s.p99)},  {"max_ms", ms(s.max)},
          {"mean_ms", ms(s.mean)}};
}

// "123" or, for an infinite latency, "never".
std::string Latency(double ms) {
  if (std::isinf(ms)) return "never";
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.0f", ms);
  return buffer;
}

std::string Format(const char* format, auto... args) {
  int size = std::snprintf(nullptr, 0, format, args...);
  std::string out(static_cast<size_t>(std::max(size, 0)) + 1, '\0');
  std::snprintf(out.data(), out.size(), format, args...);
  out.pop_back();
  return out;
}

// "56.1 k/s" style rates.
std::string Rate(double per_s, const char* unit = "/s") {
  if (per_s >= 10'000) return Format("%.1f k%s", per_s / 1000, unit);
  return Format("%.0f%s", per_s, unit);
}

std::string Mode(const BenchRun& r) {
  return r.driver.rate > 0 ? Format("open loop at %.0f tx/s", r.driver.rate)
                           : Format("closed loop, %zu submitters", r.driver.concurrency);
}

}  // namespace

Figures ComputeFigures(const BenchRun& b, std::span<const MeasuredTx> load) {
  Figures f;
  const RunResult& r = b.run;
  std::vector<double> latency, lag;
  std::map<std::string, std::vector<double>> by_kind;
  std::vector<int64_t> commits, starts;
  for (size_t i = 0; i < r.tx.size(); ++i) {
    const TxTiming& t = r.tx[i];
    if (t.sent_ns < 0) continue;
    ++f.attempted;
    starts.push_back(t.intended_ns);
    if (b.driver.rate > 0) lag.push_back(Ms(t.sent_ns - t.intended_ns));
    if (t.commit_ns < 0) {
      latency.push_back(std::numeric_limits<double>::infinity());
      by_kind[std::string(KindName(load[i].kind))].push_back(latency.back());
      continue;
    }
    ++f.committed;
    commits.push_back(t.commit_ns);
    latency.push_back(Ms(t.commit_ns - t.intended_ns));
    by_kind[std::string(KindName(load[i].kind))].push_back(latency.back());
  }
  for (const auto& [code, n] : r.codes) f.not_ok += code == "OK" ? 0 : n;
  if (r.elapsed_s > 0) f.tx_per_s = static_cast<double>(f.committed) / r.elapsed_s;
  f.bound_tx_per_s = b.limits.verify_all_cores_per_s / static_cast<double>(b.validator_count);
  if (f.bound_tx_per_s > 0) f.fraction_of_bound = f.tx_per_s / f.bound_tx_per_s;
  f.latency_by_second = LatencyBySecond(starts, latency);
  f.latency = Summarize(std::move(latency));
  f.lag = Summarize(std::move(lag));
  for (auto& [kind, values] : by_kind) f.latency_by_kind[kind] = Summarize(std::move(values));
  std::vector<double> bounds = {0};
  for (const HookRun& h : r.hooks) {
    if (h.ran && h.ran_at_s > bounds.back()) bounds.push_back(h.ran_at_s);
  }
  double end = std::max(r.elapsed_s, static_cast<double>(b.driver.duration.count()) / 1000);
  if (end > bounds.back()) bounds.push_back(end);
  f.windows = Windows(commits, bounds);
  f.per_second = CommitsPerSecond(commits);
  return f;
}

WritesPerTx WritesOver(const NodeWrites& before, const NodeWrites& after) {
  WritesPerTx out;
  out.transactions = after.transactions - std::min(before.transactions, after.transactions);
  if (out.transactions == 0) return out;
  for (const auto& [part, bytes] : after.bytes) {
    auto was = before.bytes.find(part);
    uint64_t grew = bytes - std::min(bytes, was == before.bytes.end() ? 0 : was->second);
    double per_tx = static_cast<double>(grew) / static_cast<double>(out.transactions);
    out.bytes[part] = per_tx;
    out.total += per_tx;
  }
  return out;
}

NodesCpu CpuOver(const std::vector<std::optional<NodeProcess>>& before,
                 const std::vector<std::optional<NodeProcess>>& after, uint64_t transactions) {
  NodesCpu out;
  out.transactions = transactions;
  double cpu = 0, faults = 0;
  std::map<std::string, double> by_role;
  std::map<std::string, size_t> role_nodes;  // how many nodes reported the role both times
  for (size_t i = 0; i < std::min(before.size(), after.size()); ++i) {
    if (!before[i] || !after[i]) continue;
    ++out.nodes;
    cpu += std::max(0.0, after[i]->cpu_seconds - before[i]->cpu_seconds);
    faults += static_cast<double>(after[i]->minor_faults -
                                  std::min(before[i]->minor_faults, after[i]->minor_faults));
    for (const auto& [role, seconds] : after[i]->thread_cpu_seconds) {
      auto was = before[i]->thread_cpu_seconds.find(role);
      if (was == before[i]->thread_cpu_seconds.end()) continue;
      by_role[role] += std::max(0.0, seconds - was->second);
      ++role_nodes[role];
    }
  }
  if (transactions == 0 || out.nodes == 0) return out;
  out.cpu_ms_per_tx = 1000 * cpu / static_cast<double>(transactions);
  out.minor_faults_per_tx = faults / static_cast<double>(transactions);
  for (const auto& [role, seconds] : by_role) {
    if (role_nodes[role] != out.nodes) continue;  // a partial sum would mislead
    out.cpu_ms_per_tx_by_role[role] = 1000 * seconds / static_cast<double>(transactions);
  }
  return out;
}

namespace {

ordered_json CpuJson(const std::optional<NodesCpu>& c) {
  if (!c) return nullptr;
  return {{"nodes", c->nodes},
          {"transactions", c->transactions},
          {"cpu_ms_per_tx", c->cpu_ms_per_tx},
          {"minor_faults_per_tx", c->minor_faults_per_tx},
          {"cpu_ms_per_tx_by_thread_role", c->cpu_ms_per_tx_by_role}};
}

ordered_json WritesJson(const std::optional<WritesPerTx>& w) {
  if (!w) return nullptr;
  ordered_json parts = ordered_json::object();
  for (const auto& [part, bytes] : w->bytes) parts[part] = bytes;
  return {{"transactions", w->transactions},
          {"bytes_per_tx", w->total},
          {"bytes_per_tx_by_part", parts}};
}

}  // namespace

ordered_json ReportJson(const BenchRun& b, const Figures& f) {
  const RunResult& r = b.run;
  const MachineLimits& l = b.limits;
  ordered_json mix = ordered_json::object();
  for (const MixWeight& m : b.spec.mix) mix[std::string(KindName(m.kind))] = m.weight;
  ordered_json hooks = ordered_json::array();
  for (const HookRun& h : r.hooks) {
    hooks.push_back({{"at_s", h.hook.at_s},
                     {"command", h.hook.command},
                     {"ran", h.ran},
                     {"ran_at_s", h.ran_at_s},
                     {"status", h.status}});
  }
  ordered_json windows = ordered_json::array();
  for (const Window& w : f.windows) {
    windows.push_back({{"from_s", w.from_s},
                       {"to_s", w.to_s},
                       {"committed", w.committed},
                       {"tx_per_s", w.tx_per_s}});
  }
  ordered_json by_kind = ordered_json::object();
  for (const auto& [kind, s] : f.latency_by_kind) by_kind[kind] = LatencyJson(s);
  ordered_json by_second = ordered_json::array();
  for (size_t i = 0; i < f.latency_by_second.size(); ++i) {
    ordered_json second = {{"second", i}};
    second.update(LatencyJson(f.latency_by_second[i]));
    by_second.push_back(std::move(second));
  }
  return {{"label", b.label},
          {"mode", b.driver.rate > 0 ? "open" : "closed"},
          {"nodes", b.driver.nodes},
          {"validators", b.validator_count},
          {"concurrency", b.driver.concurrency},
          {"offered_tx_per_s", b.driver.rate},
          {"duration_s", static_cast<double>(b.driver.duration.count()) / 1000},
          {"workload",
           {{"tag", b.spec.tag},
            {"transactions", b.spec.transactions},
            {"signers", b.spec.signers},
            {"organisation_groups", b.groups},
            {"mix", mix},
            {"goods_per_cert", b.spec.goods_per_cert},
            {"lines_per_entry", b.spec.lines_per_entry},
            {"mean_envelope_bytes", l.sample_envelope_bytes},
            {"setup_transactions", b.setup_transactions},
            {"presign_s", b.presign_s},
            {"setup_s", b.setup_s}}},
          {"limits",
           {{"cores", l.cores},
            {"ed25519_verify_per_s_one_core", l.verify_one_core_per_s},
            {"ed25519_verify_per_s_all_cores", l.verify_all_cores_per_s},
            {"sha256_mb_per_s_1kib", l.sha256_mb_per_s},
            {"fsyncs_per_s", l.fsyncs_per_s},
            {"fsync_dir", l.fsync_dir},
            {"fsync_error", l.fsync_error}}},
          {"result",
           {{"attempted", f.attempted},
            {"committed", f.committed},
            {"elapsed_s", r.elapsed_s},
            {"tx_per_s", f.tx_per_s},
            {"bound_tx_per_s", f.bound_tx_per_s},
            {"fraction_of_bound", f.fraction_of_bound},
            {"latency", LatencyJson(f.latency)},
            {"latency_by_kind", by_kind},
            {"latency_by_second", by_second},
            {"send_lag", LatencyJson(f.lag)},
            {"result_codes", r.codes},
            {"result_codes_checked", r.codes_checked},
            {"not_ok", f.not_ok},
            {"retries", r.retries},
            {"blocks_seen_per_node", r.blocks_seen},
            {"event_streams_open_at_start", r.events_connected},
            {"hooks", hooks},
            {"windows", windows},
            {"commits_per_second", f.per_second}}},
          {"first_node_writes", WritesJson(b.writes)},
          {"nodes_cpu", CpuJson(b.cpu)}};
}

std::string Summary(const BenchRun& b, const Figures& f) {
  const MachineLimits& l = b.limits;
  std::string out;
  out += Format("bench %s: %zu validator(s), %zu node URL(s), %s\n", b.label.c_str(),
                b.validator_count, b.driver.nodes.size(), Mode(b).c_str());
  std::string mix;
  for (const MixWeight& m : b.spec.mix) {
    mix +=
        (mix.empty() ? "" : ",") + std::string(KindName(m.kind)) + "=" + std::to_string(m.weight);
  }
  out +=
      Format("  workload  %zu tx (%s), %zu signers, %.0f B per envelope; setup %zu tx in %.1f s\n",
             b.spec.transactions, mix.c_str(), b.spec.signers, l.sample_envelope_bytes,
             b.setup_transactions, b.setup_s);
  out += Format("  limits    Ed25519 verify %s on 1 core, %s on %u cores; SHA-256 %.0f MB/s; ",
                Rate(l.verify_one_core_per_s).c_str(), Rate(l.verify_all_cores_per_s).c_str(),
                l.cores, l.sha256_mb_per_s);
  out += l.fsync_error.empty() ? Format("fsync %s\n", Rate(l.fsyncs_per_s).c_str())
                               : "fsync not measured (" + l.fsync_error + ")\n";
  out +=
      Format("  committed %zu of %zu in %.1f s: %.0f tx/s = %.1f %% of the bound %s (%s / %zu)\n",
             f.committed, f.attempted, b.run.elapsed_s, f.tx_per_s, 100 * f.fraction_of_bound,
             Rate(f.bound_tx_per_s, " tx/s").c_str(), Rate(l.verify_all_cores_per_s).c_str(),
             b.validator_count);
  out += Format("  latency   submit to commit p50 %s ms, p95 %s, p99 %s, max %s%s\n",
                Latency(f.latency.p50).c_str(), Latency(f.latency.p95).c_str(),
                Latency(f.latency.p99).c_str(), Latency(f.latency.max).c_str(),
                b.driver.rate > 0 ? " (from the intended send time)" : "");
  if (f.latency.not_committed > 0) {
    out += Format("            %zu transactions never committed: counted as infinite latency\n",
                  f.latency.not_committed);
  }
  // The second whose starters waited longest: a tail spread over the run is load, one
  // concentrated in a few seconds is an event (a flush, a view change, a restart).
  const LatencySummary* worst = nullptr;
  size_t worst_second = 0;
  for (size_t i = 0; i < f.latency_by_second.size(); ++i) {
    const LatencySummary& s = f.latency_by_second[i];
    if (s.count + s.not_committed > 0 && (worst == nullptr || s.p99 > worst->p99)) {
      worst = &s;
      worst_second = i;
    }
  }
  if (worst != nullptr && f.latency_by_second.size() > 1) {
    out += Format("  slowest   second %zu (by start): p50 %s ms, p99 %s, of %zu started\n",
                  worst_second, Latency(worst->p50).c_str(), Latency(worst->p99).c_str(),
                  worst->count + worst->not_committed);
  }
  if (b.driver.rate > 0) {
    out += Format("  sender    lag behind schedule p50 %.1f ms, p99 %.1f, max %.1f\n", f.lag.p50,
                  f.lag.p99, f.lag.max);
  }
  if (b.writes && b.writes->transactions > 0) {
    out +=
        Format("  written   %.0f B per committed tx on the first node (of %llu):", b.writes->total,
               static_cast<unsigned long long>(b.writes->transactions));
    for (const auto& [part, bytes] : b.writes->bytes)
      out += Format(" %s %.0f;", part.c_str(), bytes);
    out += "\n";
  }
  if (b.cpu && b.cpu->nodes > 0 && b.cpu->transactions > 0) {
    out += Format(
        "  node CPU  %.3f ms per committed tx, %zu node(s) summed (user + system); %.1f minor "
        "page faults per tx\n",
        b.cpu->cpu_ms_per_tx, b.cpu->nodes, b.cpu->minor_faults_per_tx);
    if (!b.cpu->cpu_ms_per_tx_by_role.empty()) {
      out += "  by thread";
      for (const auto& [role, ms] : b.cpu->cpu_ms_per_tx_by_role) {
        out += Format(" %s %.3f;", role.c_str(), ms);
      }
      out += " ms per committed tx\n";
    }
  }
  std::string codes;
  for (const auto& [code, n] : b.run.codes) codes += " " + code + " " + std::to_string(n) + ";";
  out += Format("  results  %s (%zu checked)\n", codes.c_str(), b.run.codes_checked);
  if (f.windows.size() > 1) {
    out += "  windows  ";
    for (const Window& w : f.windows) {
      out += Format(" [%.0f-%.0f s] %.0f tx/s;", w.from_s, w.to_s, w.tx_per_s);
    }
    out += "\n";
  }
  for (const HookRun& h : b.run.hooks) {
    out += h.ran
               ? Format("  hook      at %.1f s (status %d): %s\n", h.ran_at_s, h.status,
                        h.hook.command.c_str())
               : Format("  hook      not run (the load ended first): %s\n", h.hook.command.c_str());
  }
  return out;
}

std::string CommittedIds(const Workload& workload, const RunResult& result) {
  std::string out;
  for (const auto& phase : workload.setup) {
    for (const auto& tx : phase) out += tx.id().hex() + "\n";
  }
  for (size_t i = 0; i < workload.measured.size() && i < result.tx.size(); ++i) {
    if (result.tx[i].commit_ns >= 0) out += workload.measured[i].tx.id().hex() + "\n";
  }
  return out;
}

}  // namespace tradeledger::cli::bench
