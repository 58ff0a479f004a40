#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, checks formatting, builds the sanitizer
# (ASan+UBSan) preset and runs the whole suite on it (unit, end-to-end, stories, simulator),
# then builds the release preset, runs the unit tests and the short perturbation suite on
# optimised code, the web portal's unit
# and browser tests (Debian's chromium against a local network) and packages it (.deb).
# Usage: scripts/test.sh            (from anywhere; as root on a fresh Debian 12 machine)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "== web portal build"
scripts/build-portal.sh

echo "== format check"
scripts/check-format.sh

echo "== sanitizer build (ASan + UBSan) and tests"
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev -LE perturbation

echo "== release build (benchmarks included) and unit tests"
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release -L unit

echo "== perturbation suite on four hosts (release build; doc/simulation.md)"
ctest --preset release -L perturbation

echo "== web portal: unit tests, then browser tests against a real network (release build)"
(cd portal && npm run --silent test:unit)
portal/tests/run-browser-tests.sh build/release/src/cli/tradeledger

echo "== Debian package of the release build"
scripts/package.sh build/release
