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
. "$root/scripts/bench-build.sh"
build_release_targets growth_bench tradeledger
exec "$root/build/release/bench/growth_bench" --binary "$root/build/release/src/cli/tradeledger" "$@"
