# Sourced by the benchmark scripts: build_release_targets TARGET... configures the release
# preset and builds the named targets, unless BENCH_NO_BUILD is set. While another benchmark
# is running it builds on one core, so as not to disturb that benchmark's figures.
build_release_targets() {
  [ -n "${BENCH_NO_BUILD:-}" ] && return 0
  local jobs=()
  if pgrep -f 'bench.sh|tradeledger bench|consensus_net_bench|growth_bench' >/dev/null; then
    jobs=(-j 1)
  fi
  cmake --preset release >/dev/null
  cmake --build --preset release "${jobs[@]}" --target "$@"
}
