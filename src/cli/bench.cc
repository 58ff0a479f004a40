// `tradeledger bench` (bench.h): options, the order of a run, and its output.
#include "cli/bench.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "cli/bench_report.h"
#include "cli/ior_client.h"
#include "cli/node_client.h"
#include "crypto/key_file.h"
#include "node/genesis.h"

namespace tradeledger::cli {
namespace {

using Clock = std::chrono::steady_clock;

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "tradeledger bench: %s\n", message.c_str());
  return code;
}

void Progress(const std::string& message) {
  std::fprintf(stderr, "bench: %s\n", message.c_str());
  std::fflush(stderr);
}

uint64_t MicrosSinceEpoch() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

std::chrono::milliseconds Millis(double seconds) {
  return std::chrono::milliseconds(static_cast<int64_t>(seconds * 1000));
}

}  // namespace

void AddBenchOptions(CLI::App* c, BenchOptions& o) {
  c->add_option("--node", o.nodes, "Node API URL (repeat to spread the load over several)")
      ->required();
  // --validators names the validators file, as in `verify` and `demo`; --validators-file is
  // the older spelling, still accepted.
  c->add_option("--validators,--validators-file", o.validators_file,
                "The network's validators.json")
      ->required();
  c->add_option("--customs-key", o.customs_key_file,
                "Customs administrator key (default: <validators dir>/customs/admin.key)");
  c->add_option("--transactions", o.transactions,
                "Measured transactions to pre-sign (default: rate x duration, else 10000)");
  c->add_option("--signers", o.signers, "Distinct measured signer keys");
  c->add_option("--mix", o.mix, "Kinds and weights, e.g. cert,entry,licence or cert=2,entry=1");
  c->add_option("--goods", o.goods_per_cert, "Goods per certification (1-8)");
  c->add_option("--lines", o.lines_per_entry, "Lines per entry (1-8)");
  c->add_option("--concurrency", o.concurrency,
                "Closed loop: concurrent submitters, at most one per signer (default 1000, "
                "below a node's 1,024 connections); "
                "open loop: sender threads (default 32)");
  c->add_option("--rate", o.rate, "Open loop: offered transactions per second (default: closed)");
  c->add_option("--duration", o.duration_s, "Seconds to send for (default: until all are sent)");
  c->add_option("--drain", o.drain_s, "Open loop: seconds to wait for commits after the last send");
  c->add_option("--at", o.at, "SECONDS:COMMAND, a shell command run during the load (repeatable)");
  c->add_option("--data-dir", o.data_dir, "Directory on the validators' disk to measure fsync in");
  c->add_option("--validator-count", o.validator_count,
                "Validators sharing this machine, for the bound (default: the validators file's)");
  c->add_option("--limits-seconds", o.limits_s, "Seconds spent measuring each machine limit");
  c->add_option("--check", o.check_sample, "Open loop: result codes to read back");
  c->add_option("--out", o.out, "Write the JSON report here (default: after the summary)");
  c->add_option("--label", o.label, "Name of the run in the report");
  c->add_option("--committed-out", o.committed_out,
                "Write the ids of the transactions seen committed here, one per line");
}

int Bench(const BenchOptions& o) {
  auto mix = bench::ParseMix(o.mix);
  if (!mix) return Fail(1, mix.error().ToString());
  if (o.rate < 0 || o.duration_s < 0 || o.drain_s < 0 || o.limits_s <= 0) {
    return Fail(1, "--rate, --duration and --drain are >= 0, --limits-seconds > 0");
  }
  if (o.signers < mix->size() || o.goods_per_cert < 1 || o.goods_per_cert > 8 ||
      o.lines_per_entry < 1 || o.lines_per_entry > 8) {
    return Fail(1, "--signers must cover every kind of the mix; --goods and --lines are 1..8");
  }
  std::vector<bench::Hook> hooks;
  for (const std::string& h : o.at) {
    size_t colon = h.find(':');
    char* end = nullptr;
    double at = colon == std::string::npos ? -1 : std::strtod(h.c_str(), &end);
    if (colon == std::string::npos || end != h.c_str() + colon || at < 0) {
      return Fail(1, "--at '" + h + "' is not SECONDS:COMMAND");
    }
    hooks.push_back({at, h.substr(colon + 1)});
  }
  auto validators_text = node::ReadFile(o.validators_file);
  if (!validators_text) return Fail(1, validators_text.error().ToString());
  auto trusted = node::ParseValidatorsFile(*validators_text);
  if (!trusted) return Fail(1, trusted.error().ToString());
  std::string key_file = o.customs_key_file;
  if (key_file.empty()) {
    key_file =
        (std::filesystem::path(o.validators_file).parent_path() / "customs" / "admin.key").string();
  }
  auto customs = crypto::ReadKeyFile(key_file);
  if (!customs) return Fail(1, customs.error().ToString());
  auto client = NodeClient::Connect(o.nodes.front());
  if (!client) return Fail(1, client.error().ToString());
  auto chain = client->ChainId();
  if (!chain) return Fail(2, chain.error().ToString());
  if (*chain != trusted->chain_id) {
    return Fail(2, o.nodes.front() + " serves chain " + chain->hex() +
                       ", the validators file "
                       "names " +
                       trusted->chain_id.hex());
  }

  bench::BenchRun run;
  run.label = o.label;
  run.validator_count = o.validator_count ? o.validator_count : trusted->set.size();
  run.driver.nodes = o.nodes;
  run.driver.rate = o.rate;
  run.driver.concurrency = o.concurrency ? o.concurrency : (o.rate > 0 ? 32 : 1000);
  run.driver.duration = Millis(o.duration_s);
  run.driver.drain = Millis(o.drain_s);
  run.driver.hooks = hooks;
  run.driver.check_sample = o.check_sample;
  run.driver.reader =
      std::make_shared<const bench::ReadIdentity>(bench::ReadIdentity{*customs, *chain});
  bench::WorkloadSpec& spec = run.spec;
  spec.transactions = o.transactions;
  if (spec.transactions == 0) {
    spec.transactions =
        o.rate > 0 && o.duration_s > 0
            ? bench::ScheduledCount(o.rate, std::chrono::nanoseconds(run.driver.duration).count())
            : 10'000;
  }
  spec.signers = o.signers;
  spec.mix = *mix;
  spec.goods_per_cert = o.goods_per_cert;
  spec.lines_per_entry = o.lines_per_entry;
  spec.tag = bench::MakeTag(MicrosSinceEpoch() / 1000);
  spec.now_ms = static_cast<int64_t>(MicrosSinceEpoch() / 1000);
  spec.customs_nonce = MicrosSinceEpoch();

  auto t = Clock::now();
  Progress("signing " + std::to_string(spec.transactions) + " transactions (tag " + spec.tag + ")");
  auto salt = FetchIorSalt(*client, *customs, *chain);
  if (!salt) return Fail(2, "the IOR salt: " + salt.error().ToString());
  spec.ior_salt = std::move(*salt);
  bench::Workload workload = bench::BuildWorkload(spec, *chain, *customs);
  run.presign_s = SecondsSince(t);
  run.groups = workload.groups;
  for (const auto& phase : workload.setup) run.setup_transactions += phase.size();

  Progress("measuring the machine's limits");
  std::vector<ledger::SignedTransaction> sample;
  for (size_t i = 0; i < workload.measured.size() && i < 1024; ++i) {
    sample.push_back(workload.measured[i].tx);
  }
  run.limits = bench::MeasureLimits(sample, o.data_dir, Millis(o.limits_s));

  Progress("setup: " + std::to_string(run.setup_transactions) + " transactions in " +
           std::to_string(workload.setup.size()) + " phases");
  t = Clock::now();
  if (auto ok = bench::RunSetup(o.nodes, workload.setup); !ok) {
    return Fail(2, ok.error().ToString());
  }
  run.setup_s = SecondsSince(t);

  // The first node's write volume and every node's CPU time over the load, from the nodes
  // that serve their metrics on their API.
  auto targets = bench::ParseTargets(o.nodes);
  if (!targets) return Fail(2, targets.error().ToString());
  bench::Connections metrics(*targets);
  auto read_all = [&] {
    std::vector<core::Result<std::string>> texts;
    for (size_t i = 0; i < o.nodes.size(); ++i) texts.push_back(bench::ReadMetrics(metrics, i));
    return texts;
  };
  auto process_of = [](const std::vector<core::Result<std::string>>& texts) {
    std::vector<std::optional<bench::NodeProcess>> out(texts.size());
    for (size_t i = 0; i < texts.size(); ++i) {
      if (!texts[i]) continue;
      if (auto p = bench::ParseNodeProcess(*texts[i])) out[i] = *p;
    }
    return out;
  };
  auto writes_of = [](const core::Result<std::string>& text) -> core::Result<bench::NodeWrites> {
    if (!text) return std::unexpected(text.error());
    return bench::ParseNodeWrites(*text);
  };
  auto before = read_all();
  Progress("load: " + std::string(o.rate > 0 ? "open" : "closed") + " loop");
  auto result = bench::RunLoad(run.driver, workload.measured);
  if (!result) return Fail(2, result.error().ToString());
  run.run = std::move(*result);
  auto after = read_all();
  auto writes_before = writes_of(before[0]);
  auto writes_after = writes_of(after[0]);
  if (writes_before && writes_after) {
    run.writes = bench::WritesOver(*writes_before, *writes_after);
  } else {
    const core::Error& e = writes_before ? writes_after.error() : writes_before.error();
    Progress("write volume not measured: " + e.ToString());
  }

  bench::Figures figures = bench::ComputeFigures(run, workload.measured);
  // A hook may have restarted a node, whose counters then start again from zero.
  const bool hooks_ran = std::any_of(run.run.hooks.begin(), run.run.hooks.end(),
                                     [](const bench::HookRun& h) { return h.ran; });
  run.cpu = bench::CpuOver(process_of(before), process_of(after), figures.committed);
  if (hooks_ran || run.cpu->nodes == 0) {
    run.cpu.reset();
    Progress(hooks_ran ? "node CPU not measured: a hook ran during the load"
                       : "node CPU not measured: no node's metrics gave its process figures");
  }
  std::string json = bench::ReportJson(run, figures).dump(2);
  std::printf("%s", bench::Summary(run, figures).c_str());
  if (o.out.empty()) {
    std::printf("%s\n", json.c_str());
  } else {
    std::ofstream out(o.out, std::ios::trunc);
    out << json << "\n";
    if (!out) return Fail(2, "cannot write " + o.out);
    std::printf("  report    %s\n", o.out.c_str());
  }
  if (!o.committed_out.empty()) {
    std::ofstream ids(o.committed_out, std::ios::trunc);
    ids << bench::CommittedIds(workload, run.run);
    if (!ids) return Fail(2, "cannot write " + o.committed_out);
  }
  std::fflush(stdout);
  bool all = figures.committed == figures.attempted && figures.not_ok == 0;
  return all ? 0 : 3;
}

}  // namespace tradeledger::cli
