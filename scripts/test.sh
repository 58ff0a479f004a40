#!/usr/bin/env bash
# Runs every test: installs missing Debian packages, builds the sanitizer (ASan+UBSan) and
# release presets, runs the whole test suite on both, and checks formatting.
# Usage: scripts/test.sh            (from anywhere; as root on a fresh Debian 12 machine)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh

echo "== format check"
scripts/check-format.sh

echo "== sanitizer build (ASan + UBSan) and tests"
cmake --preset dev >/dev/null
cmake --build --preset dev
ctest --preset dev

echo "== release build and tests"
cmake --preset release >/dev/null
cmake --build --preset release
ctest --preset release
