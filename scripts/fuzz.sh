#!/usr/bin/env bash
# Coverage-guided fuzzing with AFL++ (Debian's afl++): builds the fuzz targets in build/fuzz-afl
# and runs afl-fuzz on each for SECONDS (one target per core at a time), then prints per target
# the executions, execs/s, corpus size, coverage, crashes and hangs (from afl-fuzz's
# fuzzer_stats). See doc/fuzzing.md.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]      (default: 60 s, every target)
#   targets: decoders_fuzz http_request_fuzz tx_bodies_fuzz read_auth_fuzz
# Environment:
#   AFL_USE_ASAN=1   build with AddressSanitizer (in build/fuzz-afl-asan)
#   TL_FUZZ_JOBS=N   build parallelism (default 2)
#   TL_FUZZ_PARALLEL=N  targets fuzzed at once (default: the number of cores)
#
# Seeds come from fuzz/corpus/<target>/, a dictionary from fuzz/dict/<target>.dict if there is
# one. Each run starts afresh in <build>/afl/<target>/. Inputs that crash are copied to
# fuzz/crashes/<target>/ (keep them: they are the regression test) and replayed first on every
# later run. Exit status: 0 when no target crashed (old or new inputs), 1 otherwise, 2 on a setup
# or build failure.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(decoders_fuzz http_request_fuzz tx_bodies_fuzz read_auth_fuzz)

scripts/install-deps.sh

build=build/fuzz-afl
[ "${AFL_USE_ASAN:-0}" = 1 ] && build=build/fuzz-afl-asan

# AFL++'s GCC plugin (afl-g++-fast) instruments the build; libAFLDriver.a needs its runtime
# (persistent mode), so afl-g++ (assembler-level instrumentation, no such runtime) will not do,
# and clang (afl-clang-fast) has no std::expected with libstdc++ 12. Debian 12's afl++ 4.04c
# was built against gcc 12.2.0-14 and its plugin refuses today's 12.2.0-14+deb12u1 ("GCC and
# plugin have incompatible versions, expected GCC 12.2.0, is 12.2.0": GCC's check compares the
# configure string, which the update changed, not the plugin ABI). Then the build uses a copy of
# /usr/lib/afl in $build/afl-path whose plugin has that one check replaced by "true" (the call
# becomes mov $1,%eax), through AFL_PATH. A rebuilt afl++ package makes this a no-op.
if [ -f "$build/CMakeCache.txt" ] &&
  ! grep -q '^CMAKE_CXX_COMPILER:.*afl-g++-fast$' "$build/CMakeCache.txt"; then
  rm -rf "$build"  # configured with another compiler
fi
mkdir -p "$build"
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
echo 'int main() { return 0; }' >"$probe/p.cc"
plugin_works() { AFL_QUIET=1 afl-g++-fast "$probe/p.cc" -o "$probe/p" >"$probe/log" 2>&1; }
if ! plugin_works; then
  grep -q "incompatible versions" "$probe/log" || { cat "$probe/log"; exit 2; }
  rm -rf "$build/afl-path"
  cp -a /usr/lib/afl "$build/afl-path"
  call=$(objdump -d --no-show-raw-insn /usr/lib/afl/afl-gcc-pass.so |
    sed -n 's/^ *\([0-9a-f]*\):.*call.*<plugin_default_version_check@plt>.*/\1/p')
  [ -n "$call" ] || { echo "fuzz: no version check found in afl-gcc-pass.so"; exit 2; }
  python3 - "$build/afl-path/afl-gcc-pass.so" "$((16#$call))" <<'PY'
import sys
path, offset = sys.argv[1], int(sys.argv[2])
data = bytearray(open(path, "rb").read())
assert data[offset] == 0xE8, "not a call"
data[offset:offset + 5] = b"\xb8\x01\x00\x00\x00"  # mov $1,%eax: the check passes
open(path, "wb").write(data)
PY
  export AFL_PATH=$root/$build/afl-path
  plugin_works || { cat "$probe/log"; exit 2; }
  echo "== fuzz: using afl++'s GCC plugin with its version check patched out ($AFL_PATH)"
fi
export AFL_QUIET=1

echo "== fuzz: building ${targets[*]} in $build${AFL_USE_ASAN:+ (ASan)}"
mkdir -p "$build/afl"
# afl-g++-fast reads its instrumentation options (AFL_USE_ASAN, AFL_HARDEN, ...) from the
# environment, which ccache leaves out of its key: with any set, compile without the cache, or
# this build and build/fuzz-afl would share objects that differ (ADR 0025). AFL_PATH only
# names the plugin, the same one either way.
ccache=ON
for name in $(compgen -e); do
  case "$name" in AFL_PATH | AFL_QUIET) ;; AFL_*) ccache=OFF ;; esac
done
CC=afl-gcc-fast CXX=afl-g++-fast cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DTL_FUZZ_AFL=ON -DTL_BUILD_BENCHMARKS=OFF -DTL_MOLD=OFF -DTL_CCACHE=$ccache \
  >"$build/configure.log" 2>&1 ||
  { cat "$build/configure.log"; exit 2; }
cmake --build "$build" -j "${TL_FUZZ_JOBS:-2}" --target "${targets[@]}" ||
  exit 2

export AFL_NO_UI=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_AFFINITY=1
export AFL_SKIP_CRASHES=1  # a seed that crashes is skipped, not fatal (it is replayed below)
[ "${AFL_USE_ASAN:-0}" = 1 ] && export ASAN_OPTIONS=abort_on_error=1:symbolize=0:detect_leaks=0

field() { sed -n "s/^$1 *: *//p" "$2"; }

# Runs one target: replays its old crashes, fuzzes it for $seconds, keeps new crashes, and
# writes its summary line to $build/afl/<target>.summary. Exit status: 0 clean, 1 crashed,
# 2 afl-fuzz failed.
run_target() {
  local t=$1 bin=$build/fuzz/$1 out=$build/afl/$1 old=0 f
  for f in fuzz/crashes/"$t"/*; do  # old crashes first: each must now run clean
    [ -f "$f" ] || continue
    if ! "$bin" "$f" >/dev/null 2>&1; then
      echo "== fuzz: $t still crashes on $f"
      old=$((old + 1))
    fi
  done
  rm -rf "$out"
  local dict=()
  [ -f "fuzz/dict/$t.dict" ] && dict=(-x "fuzz/dict/$t.dict")
  echo "== fuzz: $t for $seconds s"
  if ! afl-fuzz -i "fuzz/corpus/$t" -o "$out" -m none -V "$seconds" "${dict[@]}" -- "$bin" \
    >"$out.log" 2>&1; then
    tail -20 "$out.log"
    echo "== fuzz: afl-fuzz failed on $t (log: $out.log)"
    return 2
  fi
  local s=$out/default/fuzzer_stats crashes
  crashes=$(field saved_crashes "$s")
  if [ "${crashes:-0}" != 0 ]; then
    mkdir -p "fuzz/crashes/$t"
    for f in "$out"/default/crashes/id:*; do
      cp "$f" "fuzz/crashes/$t/$(sha1sum "$f" | cut -c1-16)"
    done
  fi
  printf '%-18s %10s %9s %7s %-22s %8s %6s %4s\n' "$t" "$(field execs_done "$s")" \
    "$(field execs_per_sec "$s")" "$(field corpus_count "$s")" \
    "$(field bitmap_cvg "$s") ($(field edges_found "$s") edges)" "$crashes" \
    "$(field saved_hangs "$s")" "$old" >"$out.summary"
  [ "${crashes:-0}" = 0 ] && [ "$old" = 0 ]
}

# Up to TL_FUZZ_PARALLEL targets at once (default: one per core), one afl-fuzz each; each
# target's exit status goes to <build>/afl/<target>.status.
parallel=${TL_FUZZ_PARALLEL:-$(nproc)}
rm -f "$build"/afl/*.status "$build"/afl/*.summary
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$parallel" ]; do wait -n || true; done
  (
    status=0
    run_target "$t" || status=$?
    echo "$status" >"$build/afl/$t.status"
  ) &
done
wait
failed=0
for t in "${targets[@]}"; do
  status=$(cat "$build/afl/$t.status" 2>/dev/null || echo 2)
  [ "$status" = 2 ] && exit 2
  [ "$status" = 0 ] || failed=1
done

echo "== fuzz: $seconds s per target, afl-g++-fast, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '%-18s %10s %9s %7s %-22s %8s %6s %4s\n' target execs execs/s corpus coverage crashes \
  hangs old
for t in "${targets[@]}"; do cat "$build/afl/$t.summary"; done
[ "$failed" = 0 ] || echo "== fuzz: crashing inputs are in fuzz/crashes/ (replay: $build/fuzz/<target> FILE)"
exit "$failed"
