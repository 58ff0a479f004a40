#!/usr/bin/env bash
# `npm run screenshots`: seeds a network as the browser tests do, adds demo-like records for
# every role (tests/seed-demo.sh) and writes a PNG of each role's main view to
# ../doc/screenshots/ (officer, trader, rights, verify, explorer), in English, plus the
# trader view in Spanish.
# Usage: tests/screenshots.sh [path/to/tradeledger]
set -euo pipefail
# The binary's path is taken relative to the caller's directory, before moving to portal/.
TL="$(realpath -m "${1:-$(dirname "$0")/../../build/release/src/cli/tradeledger}")"
cd "$(dirname "$0")/.."
PORT="${TL_TEST_PORT:-7951}"
source tests/seed.sh
source tests/seed-demo.sh
start_seeded_network tl-portal-shots
seed_demo
mkdir -p ../doc/screenshots
TL_URL="$NODE" TL_DIR="$D" OUT="$PWD/../doc/screenshots" node tests/browser/screenshots.mjs
