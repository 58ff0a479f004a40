#!/usr/bin/env bash
# End-to-end benchmarks with `tradeledger bench` (doc/performance.md, "End-to-end: load
# generator"). Each scenario builds the release binary, starts a fresh network in a temporary
# directory, runs the load, prints the summary, writes the JSON report under bench-results/ and
# stops the network.
#
#   scripts/bench.sh a      one validator, closed loop, maximum throughput
#   scripts/bench.sh b      four validators on loopback, closed loop
#   scripts/bench.sh c      four validators, open loop at 100 and at 1,000 tx/s (latency), each
#                           on a fresh network
#   scripts/bench.sh d      four validators, closed loop; one validator (not the leader) is
#                           killed a third of the way through and restarted at two thirds
#   scripts/bench.sh plot   four validators, open-loop sweep (a fresh network per rate); regenerates
#                           doc/perf/latency-vs-load.png (and .dat) with gnuplot
#   scripts/bench.sh warm   four validators, closed loop as b, BENCH_ROUNDS loads (default 5) back
#                           to back on one network, as its state and database grow; then the size
#                           of the first node's data directory
#
# Knobs (environment): BENCH_DURATION seconds per load (default 20; d: 30), BENCH_RUNS runs of
# the scenario, each on a fresh network, with the medians printed at the end (default 1),
# BENCH_TX transactions pre-signed for a closed loop (default 100000), BENCH_CONCURRENCY,
# BENCH_RATES the sweep of `plot` (default "50 100 200 300 400 500 700 1000 2000"),
# BENCH_ROUNDS the loads of `warm` (default 5),
# BENCH_PORT first HTTP port (default 17811; transport ports +100), BENCH_NO_BUILD=1 to skip
# the build.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
B="$root/build/release/src/cli/tradeledger"
scenario=${1:-}
duration=${BENCH_DURATION:-20}
runs=${BENCH_RUNS:-1}
port=${BENCH_PORT:-17811}
results="$root/bench-results"
mkdir -p "$results"

usage() {
  sed -n '2,/^set -e/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'
  exit 1
}

build() {
  [ "${BENCH_NO_BUILD:-0}" = 1 ] && return
  "$root/scripts/install-deps.sh"
  cmake --preset release >/dev/null
  cmake --build --preset release --target tradeledger --parallel 2
}

net=""
stop_net() {
  if [ -n "$net" ] && [ -d "$net" ]; then
    "$B" net down --dir "$net/net" >/dev/null 2>&1 || true
    rm -rf "$net"
  fi
  net=""
}
trap stop_net EXIT

# start_net N: a fresh network of N validators; sets net and nodes (--node URL ...).
start_net() {
  stop_net
  net=$(mktemp -d /tmp/tl-bench-XXXXXX)
  "$B" net init --validators "$1" --dir "$net/net" --base-port "$port" >/dev/null
  nodes=()
  while read -r name url; do
    nodes+=(--node "$url")
    echo "  $name $url"
  done < <("$B" net up --dir "$net/net")
}

# bench LABEL ARGS...: one load against the running network; the report's path in $report.
bench() {
  local label=$1
  shift
  report="$results/$label-$(date -u +%Y%m%dT%H%M%SZ).json"
  echo "== $label: tradeledger bench ${nodes[*]} $*"
  "$B" bench "${nodes[@]}" --validators "$net/net/validators.json" --data-dir "$net/net" \
    --label "$label" --out "$report" "$@" || echo "   (bench exit status $?)"
  reports+=("$report")
}

# The machine, printed once per invocation.
machine() {
  echo "machine: $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

# medians FILE...: the median of each figure over the runs.
medians() {
  python3 - "$@" <<'PY'
import json, statistics, sys
runs = {}
for path in sys.argv[1:]:
    try:
        d = json.load(open(path))
    except (OSError, ValueError):
        continue
    runs.setdefault(d["label"], []).append(d)
# A null latency is a percentile that fell among transactions that never committed.
inf = lambda v: float("inf") if v is None else v
for label, ds in runs.items():
    med = lambda f: statistics.median(inf(f(d)) for d in ds)
    r = lambda d: d["result"]
    print(f"median of {len(ds)} run(s), {label}: {med(lambda d: r(d)['tx_per_s']):.0f} tx/s "
          f"({100 * med(lambda d: r(d)['fraction_of_bound']):.1f} % of the bound "
          f"{med(lambda d: r(d)['bound_tx_per_s']):.0f} tx/s); latency p50 "
          f"{med(lambda d: r(d)['latency']['p50_ms']):.0f} ms, p95 "
          f"{med(lambda d: r(d)['latency']['p95_ms']):.0f}, p99 "
          f"{med(lambda d: r(d)['latency']['p99_ms']):.0f}, max "
          f"{med(lambda d: r(d)['latency']['max_ms']):.0f}; verify "
          f"{med(lambda d: d['limits']['ed25519_verify_per_s_one_core']):.0f}/s on 1 core, "
          f"{med(lambda d: d['limits']['ed25519_verify_per_s_all_cores']):.0f}/s on all; "
          f"SHA-256 {med(lambda d: d['limits']['sha256_mb_per_s_1kib']):.0f} MB/s; fsync "
          f"{med(lambda d: d['limits']['fsyncs_per_s']):.0f}/s")
    windows = [r(d)["windows"] for d in ds if len(r(d)["windows"]) > 1]
    if windows and all(len(w) == len(windows[0]) for w in windows):
        parts = [f"{statistics.median(w[i]['tx_per_s'] for w in windows):.0f}"
                 for i in range(len(windows[0]))]
        print(f"  windows (before / during / after): {' / '.join(parts)} tx/s")
PY
}

# The validator to kill: the highest-numbered node that is not the current leader.
pick_victim() {
  python3 - "$net/net" "$port" <<'PY'
import json, sys, urllib.request
base, port = sys.argv[1], int(sys.argv[2])
health = [json.load(urllib.request.urlopen(f"http://127.0.0.1:{port + i}/health", timeout=5))
          for i in range(4)]
leader = health[0]["leader"]
victim = max(i for i in range(4) if health[i]["validator"] != leader) + 1
print(victim, leader[:16])
PY
}

heights() {
  for i in 0 1 2 3; do
    curl -s --max-time 5 "http://127.0.0.1:$((port + i))/health" |
      python3 -c 'import json,sys; print(json.load(sys.stdin)["height"], end=" ")' || echo -n "down "
  done
  echo
}

# closed_loop LABEL: one closed-loop load of the knobs' size against the running network.
closed_loop() {
  bench "$1" --transactions "${BENCH_TX:-100000}" --duration "$duration" \
    --concurrency "${BENCH_CONCURRENCY:-1000}"
}

scenario_a() {
  start_net 1
  closed_loop a
}

scenario_b() {
  start_net 4
  closed_loop b
}

scenario_warm() {
  start_net 4
  local rounds=${BENCH_ROUNDS:-5}
  for ((round = 1; round <= rounds; round++)); do
    closed_loop "warm-$round"
  done
  echo "  the first node's data directory: $(du -sm "$net/net/node1" | cut -f1) MB"
}

scenario_c() {
  for rate in 100 1000; do
    start_net 4
    bench "c-$rate" --rate "$rate" --duration "$duration" --concurrency "${BENCH_CONCURRENCY:-32}"
  done
}

scenario_d() {
  local d=${BENCH_DURATION:-30}
  start_net 4
  read -r victim leader < <(pick_victim)
  local kill_at restart_at
  kill_at=$(python3 -c "print(round($d / 3, 1))")
  restart_at=$(python3 -c "print(round(2 * $d / 3, 1))")
  echo "  leader now: $leader...; killing node$victim (kill -9) at ${kill_at} s, restarting it at ${restart_at} s"
  bench d --transactions "${BENCH_TX:-100000}" --duration "$d" \
    --concurrency "${BENCH_CONCURRENCY:-1000}" \
    --at "$kill_at:kill -9 \$(cat $net/net/node$victim/node.pid)" \
    --at "$restart_at:$B net up --dir $net/net >/dev/null"
  sleep 3
  echo "  heights after the run (node1..node4): $(heights)"
}

scenario_plot() {
  local rates=${BENCH_RATES:-"50 100 200 300 400 500 700 1000 2000"}
  local dat="$root/doc/perf/latency-vs-load.dat"
  mkdir -p "$root/doc/perf"
  local sweep=()
  for rate in $rates; do
    start_net 4
    bench "plot-$rate" --rate "$rate" --duration "$duration" --concurrency "${BENCH_CONCURRENCY:-32}"
    sweep+=("$report")
  done
  python3 - "${sweep[@]}" >"$dat" <<PY
import json, sys
print("# tradeledger bench, 4 validators on one machine, open loop, $duration s per rate; $(date -u +%Y-%m-%d)")
print("# $(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p')")
print("# latencies from the intended send time; NaN: the percentile fell among transactions")
print("# that had not committed 30 s after the last send (counted as infinite)")
print("# offered_tx_per_s committed_tx_per_s committed_share p50_ms p95_ms p99_ms max_ms")
ms = lambda v: "NaN" if v is None else f"{v:.1f}"
for path in sys.argv[1:]:
    d = json.load(open(path))
    r = d["result"]
    l = r["latency"]
    share = r["committed"] / max(1, r["attempted"])
    print(f"{d['offered_tx_per_s']:.0f} {r['tx_per_s']:.1f} {share:.3f} {ms(l['p50_ms'])} "
          f"{ms(l['p95_ms'])} {ms(l['p99_ms'])} {ms(l['max_ms'])}")
PY
  gnuplot -e "datafile='$dat'; outfile='$root/doc/perf/latency-vs-load.png'" \
    "$root/doc/perf/latency-vs-load.gp"
  echo "wrote $dat and doc/perf/latency-vs-load.png"
  cat "$dat"
}

case "$scenario" in
  a | b | c | d | warm | plot) ;;
  *) usage ;;
esac
build
machine
reports=()
if [ "$scenario" = plot ]; then
  scenario_plot
else
  for ((run = 1; run <= runs; run++)); do
    [ "$runs" -gt 1 ] && echo "-- run $run of $runs"
    "scenario_$scenario"
    stop_net
  done
  medians "${reports[@]}"
fi
