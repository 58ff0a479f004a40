#include "cli/bench_driver.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "cli/bench_net.h"
#include "cli/bench_stats.h"

namespace tradeledger::cli::bench {
namespace {

using std::chrono::milliseconds;

int64_t NsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start).count();
}

// Retry counts shared by the loop's threads.
class Retries {
 public:
  void Add(const std::string& reason) {
    std::lock_guard lock(mu_);
    ++counts_[reason];
  }
  std::map<std::string, size_t> Take() {
    std::lock_guard lock(mu_);
    return counts_;
  }

 private:
  std::mutex mu_;
  std::map<std::string, size_t> counts_;
};

// Posts `envelope` starting at node `*node`, moving on to the next node when one cannot be
// reached and waiting when one is full. Returns the answer, or the last transport error.
core::Result<api::http::Response> PostWithFailover(Connections& c, size_t* node,
                                                   const core::Bytes& envelope, milliseconds wait,
                                                   Retries& retries) {
  constexpr int kAttempts = 200;
  core::Result<api::http::Response> r = core::Fail("HTTP_CONNECT_FAILED", "no attempt");
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    r = c.Post(*node, envelope, wait);
    if (r && r->status == 503) {
      retries.Add(CodeOf(*r));
      std::this_thread::sleep_for(milliseconds(20));
      continue;
    }
    if (r) return r;
    retries.Add("failover after " + r.error().code);
    *node = (*node + 1) % c.size();
    if (attempt % c.size() == c.size() - 1) std::this_thread::sleep_for(milliseconds(100));
  }
  return r;
}

void ClosedLoop(const DriverOptions& o, const std::vector<NodeTarget>& targets,
                std::span<const MeasuredTx> load, Clock::time_point start,
                std::vector<TxTiming>& out, std::atomic<size_t>& attempted, Retries& retries) {
  // Submitter w owns the signers s with s % C == w, so a signer's transactions go one at a time.
  size_t signers = 0;
  for (const auto& m : load) signers = std::max<size_t>(signers, m.signer + 1);
  const size_t c = std::max<size_t>(1, std::min(o.concurrency, signers));
  std::vector<std::vector<size_t>> queues(c);
  for (size_t i = 0; i < load.size(); ++i) queues[load[i].signer % c].push_back(i);
  const auto stop_at = start + o.duration;
  std::vector<std::thread> workers;
  for (size_t w = 0; w < c; ++w) {
    workers.emplace_back([&, w] {
      Connections conns(targets);
      size_t node = w % targets.size();
      for (size_t i : queues[w]) {
        if (o.duration.count() > 0 && Clock::now() >= stop_at) return;
        ++attempted;
        TxTiming& t = out[i];
        t.sent_ns = t.intended_ns = NsSince(start);
        auto r = PostWithFailover(conns, &node, load[i].tx.envelope(), o.commit_timeout, retries);
        if (!r) {
          t.code = "SUBMIT_FAILED " + r.error().code;
          continue;
        }
        if (r->status == 200) t.commit_ns = NsSince(start);
        t.code = CodeOf(*r);
      }
    });
  }
  for (auto& w : workers) w.join();
}

void OpenLoop(const DriverOptions& o, const std::vector<NodeTarget>& targets,
              std::span<const MeasuredTx> load, Clock::time_point start, std::vector<TxTiming>& out,
              std::atomic<size_t>& attempted, Retries& retries) {
  size_t n = load.size();
  if (o.duration.count() > 0) {
    n = std::min(n, ScheduledCount(o.rate, std::chrono::nanoseconds(o.duration).count()));
  }
  std::atomic<size_t> next{0};
  std::vector<std::thread> senders;
  for (size_t s = 0; s < std::max<size_t>(1, o.concurrency); ++s) {
    senders.emplace_back([&] {
      Connections conns(targets);
      for (size_t i = next++; i < n; i = next++) {
        int64_t due = IntendedSendNs(i, o.rate);
        std::this_thread::sleep_until(start + std::chrono::nanoseconds(due));
        ++attempted;
        TxTiming& t = out[i];
        t.intended_ns = due;
        t.sent_ns = NsSince(start);
        size_t node = load[i].signer % targets.size();
        auto r = PostWithFailover(conns, &node, load[i].tx.envelope(), milliseconds(0), retries);
        if (!r) {
          t.code = "SUBMIT_FAILED " + r.error().code;
        } else if (r->status != 202 && r->status != 200) {
          t.code = CodeOf(*r);
        }
      }
    });
  }
  for (auto& s : senders) s.join();
}

// Reads back the result codes of up to `sample` committed transactions, evenly spread.
void CheckCodes(const std::vector<NodeTarget>& targets, std::span<const MeasuredTx> load,
                RunResult& r, size_t sample) {
  std::vector<size_t> committed;
  for (size_t i = 0; i < r.tx.size(); ++i) {
    if (r.tx[i].commit_ns >= 0 && r.tx[i].code.empty()) committed.push_back(i);
  }
  Connections conns(targets);
  size_t take = std::min(sample, committed.size());
  for (size_t k = 0; k < take; ++k) {
    size_t i = committed[k * committed.size() / take];
    std::string path = "/v1/transactions/" + load[i].tx.id().hex();
    std::string code = "UNREADABLE";
    for (size_t node = 0; node < targets.size(); ++node) {
      auto answer = conns.Get(node, path);
      if (!answer) continue;
      code = CodeOf(*answer);
      break;
    }
    r.tx[i].code = code;
    ++r.codes[code];
    ++r.codes_checked;
  }
}

}  // namespace

core::Status RunSetup(const std::vector<std::string>& nodes,
                      const std::vector<std::vector<ledger::SignedTransaction>>& phases) {
  TL_ASSIGN_OR_RETURN(std::vector<NodeTarget> targets, ParseTargets(nodes));
  for (size_t p = 0; p < phases.size(); ++p) {
    // One queue per signer, in the phase's order.
    std::map<ledger::PublicKey, std::vector<const ledger::SignedTransaction*>> by_signer;
    for (const auto& tx : phases[p]) by_signer[tx.signer()].push_back(&tx);
    std::vector<std::vector<const ledger::SignedTransaction*>> queues;
    for (auto& [signer, txs] : by_signer) queues.push_back(std::move(txs));
    std::atomic<size_t> next{0};
    std::mutex mu;
    std::optional<core::Error> failure;
    Retries retries;
    std::vector<std::thread> threads;
    for (size_t t = 0; t < std::min<size_t>(8, queues.size()); ++t) {
      threads.emplace_back([&] {
        Connections conns(targets);
        for (size_t q = next++; q < queues.size(); q = next++) {
          size_t node = q % targets.size();
          for (const ledger::SignedTransaction* tx : queues[q]) {
            auto r = PostWithFailover(conns, &node, tx->envelope(), milliseconds(60'000), retries);
            std::string code = r ? CodeOf(*r) : r.error().ToString();
            if (code == "OK") continue;
            std::lock_guard lock(mu);
            if (!failure) {
              failure = core::Error{"SETUP_FAILED", "phase " + std::to_string(p + 1) + ": " +
                                                        tx->payload().type + " " +
                                                        tx->id().hex().substr(0, 12) + ": " + code};
            }
            return;
          }
        }
      });
    }
    for (auto& t : threads) t.join();
    if (failure) return core::Fail(*failure);
  }
  return core::Ok();
}

core::Result<RunResult> RunLoad(const DriverOptions& o, std::span<const MeasuredTx> load) {
  TL_ASSIGN_OR_RETURN(std::vector<NodeTarget> targets, ParseTargets(o.nodes));
  if (targets.empty()) return core::Fail("INVALID_URL", "no node given");
  for (NodeTarget& t : targets) t.reader = o.reader;
  std::unordered_map<ledger::TxId, uint32_t> ids;
  for (size_t i = 0; i < load.size(); ++i) ids.emplace(load[i].tx.id(), static_cast<uint32_t>(i));
  std::vector<std::atomic<int64_t>> seen(load.size());
  for (auto& s : seen) s = -1;

  RunResult r;
  r.tx.resize(load.size());
  Retries retries;
  std::atomic<size_t> attempted{0};
  // The listeners start before the clock does, so that no early commit goes unseen.
  auto listener_start = Clock::now();
  CommitListener listener(targets, ids, seen, listener_start);
  r.events_connected = listener.WaitConnected(std::chrono::seconds(10));
  if (std::none_of(r.events_connected.begin(), r.events_connected.end(),
                   [](size_t c) { return c != 0; })) {
    return core::Fail("NO_EVENTS", "no node's event stream (/v1/events) could be opened");
  }
  auto start = Clock::now();
  const int64_t offset = std::chrono::nanoseconds(start - listener_start).count();
  {
    HookRunner hooks(o.hooks, start);
    if (o.rate > 0) {
      OpenLoop(o, targets, load, start, r.tx, attempted, retries);
      // Wait for the outstanding commits, up to the drain time.
      auto until = Clock::now() + o.drain;
      auto pending = [&] {
        for (size_t i = 0; i < attempted; ++i) {
          if (r.tx[i].code.empty() && seen[i].load() < 0) return true;
        }
        return false;
      };
      while (pending() && Clock::now() < until) std::this_thread::sleep_for(milliseconds(50));
    } else {
      ClosedLoop(o, targets, load, start, r.tx, attempted, retries);
    }
    r.hooks = hooks.Finish();
  }
  listener.Stop();
  r.blocks_seen = listener.blocks();
  r.attempted = attempted;
  for (size_t i = 0; i < load.size(); ++i) {
    int64_t t = seen[i].load();
    // Open loop: the first notification. Closed loop: the commit answer (or the notification,
    // if the answer was lost to a failover).
    if (t >= 0 && (o.rate > 0 || r.tx[i].commit_ns < 0)) r.tx[i].commit_ns = t - offset;
    r.elapsed_s = std::max(r.elapsed_s, static_cast<double>(r.tx[i].commit_ns) / 1e9);
  }
  if (o.rate > 0) {
    CheckCodes(targets, load, r, o.check_sample);
  } else {
    for (const TxTiming& t : r.tx) {
      if (t.sent_ns < 0) continue;
      ++r.codes[t.code.empty() ? "NO_ANSWER" : t.code];
      ++r.codes_checked;
    }
  }
  r.retries = retries.Take();
  return r;
}

}  // namespace tradeledger::cli::bench
