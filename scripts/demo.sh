#!/usr/bin/env bash
# The main job: installs missing Debian packages, builds the release binary, starts a local
# ledger-clock network of four BFT validators on loopback, runs the demo against it over HTTP
# (the ledger basics, then the DOMAIN.md §8 stories on one dated timeline: the clock starts at
# $start and the customs administrator moves it forward before each dated step), checks that
# every validator holds the same chain, stops the network and audits every validator's data.
# Usage: scripts/demo.sh   (TL_DEMO_DIR=dir: where the network lives; TL_DEMO_VALIDATORS=n)
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build-portal.sh
cmake --preset release >/dev/null
cmake --build --preset release

bin=build/release/src/cli/tradeledger
net=${TL_DEMO_DIR:-demo-net}
port=${TL_DEMO_PORT:-7711}
validators=${TL_DEMO_VALIDATORS:-4}
# Before the stories' earliest step (src/cli/stories.h kStoriesClockStart).
start=2024-01-02T00:00:00Z

if [ -d "$net" ]; then
  "$bin" net down --dir "$net" >/dev/null 2>&1 || true
  rm -rf "$net"
fi
echo "== a local network of $validators validators in $net"
"$bin" net init --validators "$validators" --dir "$net" --base-port "$port" --ledger-clock "$start"
trap '"$bin" net down --dir "$net" >/dev/null 2>&1 || true' EXIT
# A second `net up` adopts a node the first one misjudged while it was still starting.
urls=$("$bin" net up --dir "$net" || "$bin" net up --dir "$net")
echo "$urls"
url=$(awk 'NR==1 {print $2}' <<<"$urls")

echo "== demo against $url"
"$bin" demo --node "$url" --validators "$net/validators.json" --customs-key "$net/customs/admin.key"

echo "== every validator holds the same chain"
height=$(curl -sf "$url/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])')
for u in $(awk '{print $2}' <<<"$urls"); do
  for _ in $(seq 1 100); do
    h=$(curl -sf "$u/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])')
    [ "$h" -ge "$height" ] && break
    sleep 0.1
  done
  hash=$(curl -sf "$u/v1/blocks/$height" | python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])')
  echo "$u height $h, block $height: $hash"
  [ -z "${first:-}" ] && first=$hash
  [ "$hash" = "$first" ] || { echo "validators disagree at height $height"; exit 1; }
done

echo "== stop the network and audit every node's data"
"$bin" net down --dir "$net"
trap - EXIT
for data in "$net"/node*/data; do
  "$bin" audit --data "$data"
done
