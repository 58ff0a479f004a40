#!/usr/bin/env bash
# Browser tests of the portal against a real local network: four validators on a ledger
# clock, organisations admitted with the CLI (tests/seed.sh), the portal built into dist/ and
# served by the nodes, Debian's Chromium driven by playwright-core (no downloaded browser).
# Usage: tests/run-browser-tests.sh [path/to/tradeledger]   (from portal/ or anywhere)
# Env: TL_TEST_PORT (default 7911), CHROMIUM (default /usr/bin/chromium).
set -euo pipefail
# The binary's path is taken relative to the caller's directory, before moving to portal/.
TL="$(realpath -m "${1:-$(dirname "$0")/../../build/release/src/cli/tradeledger}")"
cd "$(dirname "$0")/.."
PORT="${TL_TEST_PORT:-7911}"
source tests/seed.sh
start_seeded_network tl-portal-test
echo "network up at $NODE; running browser tests"
TL_URL="$NODE" TL_DIR="$D" node --test tests/browser/portal.test.mjs
