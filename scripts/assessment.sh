#!/usr/bin/env bash
# The 360-degree assessment of a demo run (doc/assessment.md): installs what is missing,
# builds, starts a PostgreSQL server of its own and a local ledger-clock network of four
# validators, runs `tradeledger index` (a CBP key of its own, every validator watched) while `tradeledger demo` runs the ledger basics and every story, stops the indexer
# once it holds the whole chain, and writes the report with `tradeledger assess`.
# Usage: scripts/assessment.sh [OUT_DIR]   (default doc/assessment: report.html, figures.json;
#        TL_ASSESS_PDF=1 also prints report.pdf with chromium)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-doc/assessment}

scripts/install-deps.sh
scripts/build-portal.sh
cmake --preset release >/dev/null
cmake --build --preset release
bin=build/release/src/cli/tradeledger

work=$(mktemp -d /tmp/tl-assessment-XXXXXX)
chmod 711 "$work"  # the PostgreSQL server runs as the postgres user
net=$work/net
indexer_pid=""
cleanup() {
  [ -z "$indexer_pid" ] || kill "$indexer_pid" 2>/dev/null || true
  "$bin" net down --dir "$net" >/dev/null 2>&1 || true
  scripts/pg-cluster.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "== PostgreSQL in $work/pg"
db=$(scripts/pg-cluster.sh start "$work/pg")
echo "== a local network of 4 validators"
"$bin" net init --validators 4 --dir "$net" --base-port "${TL_ASSESS_PORT:-7761}" \
  --ledger-clock 2024-01-02T00:00:00Z >/dev/null
urls=$("$bin" net up --dir "$net" || "$bin" net up --dir "$net")
url=$(awk 'NR==1 {print $2}' <<<"$urls")
watch=()
for u in $(awk '{print $2}' <<<"$urls"); do watch+=(--watch "$u"); done

# The indexer reads with a CBP key of its own, used for nothing else: its reads (the copy into
# the database) are then told apart from the officers' in the read-audit figure.
pub=$("$bin" keygen --out "$work/indexer.key")
printf '{"orgId": "CBP", "publicKey": "%s", "roles": ["CBP_OFFICER"]}\n' "$pub" >"$work/member.json"
"$bin" tx submit --key "$net/customs/admin.key" --node "$url" --type member.add \
  --payload "$work/member.json" >/dev/null

echo "== the indexer follows $url with a CBP key of its own"
"$bin" index --key "$work/indexer.key" --node "$url" --validators "$net/validators.json" \
  --db "$db" "${watch[@]}" --records-every 2 --sample-every 1 2>"$work/index.log" &
indexer_pid=$!

echo "== demo"
"$bin" demo --node "$url" --validators "$net/validators.json" \
  --customs-key "$net/customs/admin.key" | tail -3

tip=$(curl -sf "$url/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["height"])')
echo "== waiting for the indexer to reach height $tip"
for _ in $(seq 1 600); do
  have=$(psql "$db" -tAc "SELECT least(height, records_height) FROM tradeledger.meta" 2>/dev/null || echo 0)
  [ "${have:-0}" -ge "$tip" ] && break
  sleep 0.2
done
kill -TERM "$indexer_pid"
wait "$indexer_pid"
indexer_pid=""
tail -2 "$work/index.log"

mkdir -p "$out"
pdf=()
[ "${TL_ASSESS_PDF:-0}" = 1 ] && pdf=(--pdf "$out/report.pdf")
"$bin" assess --db "$db" --out "$out/report.html" --json "$out/figures.json" "${pdf[@]}"
echo "== wrote $out/report.html and $out/figures.json"
