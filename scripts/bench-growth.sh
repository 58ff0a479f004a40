#!/usr/bin/env bash
# Scenario (f) of the benchmarking issue: growth (doc/performance.md, "Growth to 1,000,000
# transactions (scenario f)"). Builds the release preset and runs build/release/bench/growth_bench:
# commits N document anchors through node::Chain::Commit on RocksDB, then reports restart-to-
# serving time of the real `tradeledger node`, disk bytes per transaction and p50/p99 latency of
# document reads, inclusion proofs and state proofs over HTTP. Arguments go to the program.
#
#   scripts/bench-growth.sh                                   # 1,000,000 anchors in /tmp/tl-growth
#   scripts/bench-growth.sh --transactions 100000             # a quicker run
#   scripts/bench-growth.sh --dir /var/tmp/g --keep           # keep the directory afterwards
#   scripts/bench-growth.sh --dir /var/tmp/g --reuse          # measure a kept directory again
#   BENCH_NO_BUILD=1 scripts/bench-growth.sh ...              # skip the build
#
# The default run takes several minutes and about 5 GB of disk in --dir (removed at the end
# unless --keep). Not run in CI; run it where nothing else is being measured.
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
    cmake --build --preset release "${jobs[@]}" --target growth_bench tradeledger
fi
exec "$root/build/release/bench/growth_bench" --binary "$root/build/release/src/cli/tradeledger" "$@"
