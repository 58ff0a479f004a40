#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, checks formatting, builds the sanitizer
# (ASan+UBSan) preset and runs the whole suite on it (unit, end-to-end, stories, simulator);
# then builds the release preset's node and benchmarks and runs on them the short perturbation
# suite, the web portal's unit and browser tests (Debian's chromium against a local network)
# and the packaging (.deb); last, 60 s of coverage-guided fuzzing per target (AFL++).
# Each stage prints how long it took. The unit tests run once, on the sanitizer build: the
# release stage builds no test programs (doc/adr/0025-ci-stages-and-time-budget.md).
# Usage: scripts/test.sh            (from anywhere; as root on a fresh Debian 12 machine)
set -euo pipefail
cd "$(dirname "$0")/.."

started=$SECONDS
stage_started=$SECONDS
stage() {
  [ -n "${stage_name:-}" ] &&
    echo "== ${stage_name}: $((SECONDS - stage_started)) s (total $((SECONDS - started)) s)"
  stage_name=$1
  stage_started=$SECONDS
  echo "== $1"
}

stage "install missing Debian packages"
scripts/install-deps.sh

stage "web portal build"
scripts/build-portal.sh

stage "format check"
scripts/check-format.sh

stage "sanitizer build (ASan + UBSan)"
cmake --preset dev >/dev/null
cmake --build --preset dev

stage "sanitizer tests (every label but perturbation)"
ctest --preset dev -LE perturbation

stage "release build: the node and the benchmarks"
cmake --preset release >/dev/null
cmake --build --preset release --target tradeledger benchmarks

stage "perturbation suite on four hosts (release build; doc/simulation.md)"
ctest --preset release -L perturbation

stage "web portal: unit tests, then browser tests against a real network (release build)"
(cd portal && npm run --silent test:unit)
portal/tests/run-browser-tests.sh build/release/src/cli/tradeledger

stage "Debian package of the release build"
scripts/package.sh build/release

stage "coverage-guided fuzzing, 60 s per target, all four at once (AFL++; doc/fuzzing.md)"
TL_FUZZ_PARALLEL=4 scripts/fuzz.sh 60

stage "done"
