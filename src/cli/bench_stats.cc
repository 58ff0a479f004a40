#include "cli/bench_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/result.h"

namespace tradeledger::cli::bench {

double Percentile(std::span<const double> sorted, double p) {
  if (sorted.empty()) return 0;
  // Rank ceil(p/100 * n), 1-based; p is clamped so that p = 0 gives the minimum.
  double rank = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size()));
  size_t index = rank < 1 ? 0 : static_cast<size_t>(rank) - 1;
  return sorted[std::min(index, sorted.size() - 1)];
}

LatencySummary Summarize(std::vector<double> values) {
  LatencySummary s;
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  auto finite = std::find_if(values.begin(), values.end(), [](double v) { return std::isinf(v); });
  s.count = static_cast<size_t>(finite - values.begin());
  s.not_committed = values.size() - s.count;
  s.p50 = Percentile(values, 50);
  s.p95 = Percentile(values, 95);
  s.p99 = Percentile(values, 99);
  s.max = values.back();
  if (s.count > 0)
    s.mean = std::accumulate(values.begin(), finite, 0.0) / static_cast<double>(s.count);
  return s;
}

int64_t IntendedSendNs(size_t index, double rate) {
  return static_cast<int64_t>(std::llround(static_cast<double>(index) * 1e9 / rate));
}

size_t ScheduledCount(double rate, int64_t duration_ns) {
  if (rate <= 0 || duration_ns <= 0) return 0;
  // The first index whose intended time is at or after the end.
  auto n = static_cast<size_t>(std::ceil(static_cast<double>(duration_ns) * rate / 1e9));
  while (n > 0 && IntendedSendNs(n - 1, rate) >= duration_ns) --n;
  while (IntendedSendNs(n, rate) < duration_ns) ++n;
  return n;
}

std::vector<Window> Windows(std::span<const int64_t> commit_ns,
                            std::span<const double> boundaries_s) {
  std::vector<Window> out;
  for (size_t i = 0; i + 1 < boundaries_s.size(); ++i) {
    Window w{boundaries_s[i], boundaries_s[i + 1], 0, 0};
    auto from = static_cast<int64_t>(std::llround(w.from_s * 1e9));
    auto to = static_cast<int64_t>(std::llround(w.to_s * 1e9));
    for (int64_t t : commit_ns) {
      if (t >= from && t < to) ++w.committed;
    }
    if (w.to_s > w.from_s) w.tx_per_s = static_cast<double>(w.committed) / (w.to_s - w.from_s);
    out.push_back(w);
  }
  return out;
}

std::vector<LatencySummary> LatencyBySecond(std::span<const int64_t> start_ns,
                                            std::span<const double> latency_ms) {
  TL_CHECK(start_ns.size() == latency_ms.size());
  std::vector<std::vector<double>> seconds;
  for (size_t i = 0; i < start_ns.size(); ++i) {
    if (start_ns[i] < 0) continue;
    auto second = static_cast<size_t>(start_ns[i] / 1'000'000'000);
    if (second >= seconds.size()) seconds.resize(second + 1);
    seconds[second].push_back(latency_ms[i]);
  }
  std::vector<LatencySummary> out;
  out.reserve(seconds.size());
  for (std::vector<double>& values : seconds) out.push_back(Summarize(std::move(values)));
  return out;
}

std::vector<size_t> CommitsPerSecond(std::span<const int64_t> commit_ns) {
  std::vector<size_t> out;
  for (int64_t t : commit_ns) {
    if (t < 0) continue;
    auto second = static_cast<size_t>(t / 1'000'000'000);
    if (second >= out.size()) out.resize(second + 1, 0);
    ++out[second];
  }
  return out;
}

}  // namespace tradeledger::cli::bench
