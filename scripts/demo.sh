#!/usr/bin/env bash
# The main job: installs missing Debian packages, builds the release binary, starts a local
# network, runs the demo against it over HTTP, stops the network and audits its data.
# Usage: scripts/demo.sh            (TL_DEMO_DIR=dir to choose where the network lives)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release

bin=build/release/src/cli/tradeledger
net=${TL_DEMO_DIR:-demo-net}
port=${TL_DEMO_PORT:-7711}

if [ -d "$net" ]; then
  "$bin" net down --dir "$net" >/dev/null 2>&1 || true
  rm -rf "$net"
fi
echo "== a local network in $net"
"$bin" net init --validators 1 --dir "$net" --base-port "$port"
trap '"$bin" net down --dir "$net" >/dev/null 2>&1 || true' EXIT
urls=$("$bin" net up --dir "$net")
echo "$urls"
url=$(awk 'NR==1 {print $2}' <<<"$urls")

echo "== demo against $url"
"$bin" demo --node "$url" --validators "$net/validators.json"

echo "== stop the network and audit every node's data"
"$bin" net down --dir "$net"
trap - EXIT
for data in "$net"/node*/data; do
  "$bin" audit --data "$data"
done
