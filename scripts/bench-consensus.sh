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
. "$root/scripts/bench-build.sh"
build_release_targets consensus_net_bench tradeledger
exec "$root/build/release/bench/consensus_net_bench" "$@"
