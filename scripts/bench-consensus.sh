#!/usr/bin/env bash
# Scenario (e) of the benchmarking issue: consensus and network alone (doc/performance.md,
# "Consensus and network alone (scenario e)"). Builds the release preset and runs
# build/release/bench/consensus_net_bench: n validators in one process, each a real consensus
# core on a real encrypted transport over 127.0.0.1, execution bypassed, 8-byte payloads.
# Arguments go to the program; the defaults are 4 validators, closed loop, 3 s warm-up, 10 s.
#
#   scripts/bench-consensus.sh                        # closed loop, maximum throughput
#   scripts/bench-consensus.sh --rate 20000           # open loop at 20,000 payloads/s
#   scripts/bench-consensus.sh --fsync /var/tmp/tl-e  # safety state persisted with fsync
#   BENCH_NO_BUILD=1 scripts/bench-consensus.sh ...   # skip the build
#
# Not run in CI. Run it on a machine where nothing else is being measured: it uses every core.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ -z "${BENCH_NO_BUILD:-}" ]; then
  jobs=()
  # Another benchmark running: build on one core so as not to disturb its figures.
  if pgrep -f 'bench.sh|tradeledger bench|consensus_net_bench|growth_bench' >/dev/null; then
    jobs=(-j 1)
  fi
  cmake --preset release >/dev/null &&
    cmake --build --preset release "${jobs[@]}" --target consensus_net_bench tradeledger
fi
exec "$root/build/release/bench/consensus_net_bench" "$@"
