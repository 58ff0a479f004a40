#!/usr/bin/env bash
# Builds the web portal (portal/ → portal/dist/, ADR 0023), which the node serves at "/".
# Installs the npm packages pinned by portal/package-lock.json when they are missing or older
# than the lock file; the build itself takes a few seconds.
# Usage: scripts/build-portal.sh   (after scripts/install-deps.sh)
set -euo pipefail
cd "$(dirname "$0")/../portal"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
test -f dist/index.html || { echo "build-portal: no dist/index.html" >&2; exit 1; }
echo "build-portal: portal/dist ($(du -sk dist | cut -f1) KB)"
