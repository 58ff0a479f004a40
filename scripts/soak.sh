#!/usr/bin/env bash
# The soak (issue 16, item 4; doc/simulation.md, "Soak"): four validators on this machine
# under an hour of open-loop load at half the capacity measured first, one validator at a time
# killed (SIGKILL) at random and restarted, every validator's memory and file descriptors
# sampled; at the end, nothing the load saw committed may be missing and every validator must
# hold the same chain, and `tradeledger audit` must pass on every data directory.
#
#   scripts/soak.sh                     one hour of load, then the checks and the audits
#
# The steps:
#  1. a fresh network of four validators (`tradeledger net init`, `net up`) in a temporary
#     directory;
#  2. capacity: `tradeledger bench`, closed loop, the realistic mix (cert, entry, licence),
#     SOAK_CAPACITY_S seconds; the soak's rate is half its committed tx/s (SOAK_RATE overrides);
#  3. the soak: `tradeledger bench --rate R --duration SOAK_SECONDS`, open loop, the same mix,
#     writing the ids of every transaction it saw committed (--committed-out). Meanwhile:
#     - a killer: after a random pause of SOAK_KILL_EVERY (seconds, "MIN MAX"), a random
#       validator is killed with SIGKILL, stays down SOAK_DOWN ("MIN MAX") seconds and is
#       restarted (`net up`); one at a time, so three of four are always meant to be up;
#     - a sampler: every SOAK_SAMPLE_S seconds, each validator process's resident memory
#       (VmRSS), open file descriptors, threads and data directory size;
#  4. the checks (scripts/soak-check.py): every node reaches the same height and serves the
#     same blocks, linked, from block 1; every transaction seen committed is in them; then a
#     clean stop of every node and `tradeledger audit` of the data directories of SOAK_AUDIT.
#     An audit re-executes the whole chain: it takes about as long as the network took to
#     commit it, so the default, all four at once on a 2-core machine, takes about two hours.
# Figures and logs go to soak-results/<UTC time>/ (summary.txt, the bench reports, samples.tsv,
# kills.tsv, the node logs). Exit status 0 when every check holds.
#
# Knobs (environment): SOAK_SECONDS (3600), SOAK_RATE (tx/s; default half the capacity),
# SOAK_CAPACITY_S (30), SOAK_KILL_EVERY ("120 360"), SOAK_DOWN ("5 30"), SOAK_SAMPLE_S (30),
# SOAK_PORT (18811; transport ports +100), SOAK_AUDIT (the nodes whose data directories are
# audited, "1 2 3 4"; "" for none), SOAK_NO_BUILD=1 to skip the build.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
B="$root/build/release/src/cli/tradeledger"
seconds=${SOAK_SECONDS:-3600}
capacity_s=${SOAK_CAPACITY_S:-30}
read -r kill_min kill_max <<<"${SOAK_KILL_EVERY:-120 360}"
read -r down_min down_max <<<"${SOAK_DOWN:-5 30}"
sample_s=${SOAK_SAMPLE_S:-30}
port=${SOAK_PORT:-18811}
audit_nodes=${SOAK_AUDIT-1 2 3 4}
out="$root/soak-results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
work=$(mktemp -d /tmp/tl-soak-XXXXXX)
net="$work/net"
stop="$work/stop"
helpers=()
touch "$out/samples.tsv" "$out/kills.tsv"

say() { echo "[$(date -u +%H:%M:%S)] $*" | tee -a "$out/summary.txt"; }

cleanup() {
  set +e
  touch "$stop"
  for p in "${helpers[@]}"; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  if [ -d "$net" ]; then
    "$B" net down --dir "$net" >/dev/null 2>&1
    for i in 1 2 3 4; do cp "$net/node$i/node.log" "$out/node$i.log" 2>/dev/null; done
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "${SOAK_NO_BUILD:-0}" != 1 ]; then
  scripts/install-deps.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target tradeledger
fi
# Every process of the run uses one copy of the binary, whatever rebuilds the original meanwhile.
cp "$B" "$work/tradeledger"
B="$work/tradeledger"

say "soak: ${seconds} s, kills every ${kill_min}-${kill_max} s, down ${down_min}-${down_max} s;" \
  "$(nproc) CPUs, $(lscpu | sed -n 's/^Model name: *//p'); results in $out"
"$B" net init --validators 4 --dir "$net" --base-port "$port" >/dev/null
nodes=()
urls=()
while read -r name url; do nodes+=(--node "$url"); urls+=("$url"); done < <("$B" net up --dir "$net")

bench() {
  local label=$1
  shift
  "$B" bench "${nodes[@]}" --validators "$net/validators.json" --data-dir "$net" \
    --label "$label" --out "$out/$label.json" "$@" 2>>"$out/bench.stderr" |
    tee -a "$out/summary.txt"
}

rate=${SOAK_RATE:-}
if [ -z "$rate" ]; then
  say "capacity: closed loop, ${capacity_s} s"
  bench capacity --duration "$capacity_s" --transactions 100000 || true
  rate=$(python3 -c "import json,sys; print(max(1, round(json.load(open(sys.argv[1]))['result']['tx_per_s'] / 2)))" \
    "$out/capacity.json")
fi
say "soak: open loop at $rate tx/s for $seconds s"

# The sampler: time, node, pid, rss kB, fds, threads, data kB.
(
  while [ ! -e "$stop" ]; do
    for i in 1 2 3 4; do
      p=$(cat "$net/node$i/node.pid" 2>/dev/null) || continue
      [ -r "/proc/$p/status" ] || continue
      rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
      threads=$(awk '/^Threads:/ {print $2}' "/proc/$p/status" 2>/dev/null) || continue
      fds=$(find "/proc/$p/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)
      data=$(du -sk "$net/node$i/data" 2>/dev/null | cut -f1)
      [ -n "$rss" ] && printf '%s\t%d\t%s\t%s\t%s\t%s\t%s\n' "$(date +%s)" "$i" "$p" "$rss" \
        "$fds" "$threads" "${data:-0}" >>"$out/samples.tsv"
    done
    sleep "$sample_s"
  done
) &
helpers+=($!)

# The killer: time killed, node, pid, seconds down, time restarted, time ready (caught up; 0:
# not within 10 minutes). The next kill waits until the victim is ready again, so that no more
# than one validator is ever behind.
ready() { curl -sf --max-time 2 "http://127.0.0.1:$((port + $1 - 1))/health/ready" >/dev/null; }
(
  set +e  # a restart that is slow to catch up is a figure to report, not a reason to stop
  sleep "$kill_min"
  while [ ! -e "$stop" ]; do
    victim=$((RANDOM % 4 + 1))
    down=$((down_min + RANDOM % (down_max - down_min + 1)))
    p=$(cat "$net/node$victim/node.pid")
    killed=$(date +%s)
    kill -9 "$p" 2>/dev/null
    echo "[$(date -u +%H:%M:%S)] killed node$victim (pid $p), down for $down s" >>"$out/summary.txt"
    sleep "$down"
    "$B" net up --dir "$net" >/dev/null 2>>"$out/killer.log"
    restarted=$(date +%s)
    ready_at=0
    for ((w = 0; w < 600; w += 2)); do
      if ready "$victim"; then ready_at=$(date +%s); break; fi
      sleep 2
    done
    [ "$ready_at" = 0 ] &&
      echo "[$(date -u +%H:%M:%S)] node$victim not ready 10 minutes after its restart" >>"$out/summary.txt"
    printf '%s\t%d\t%s\t%d\t%s\t%s\n' "$killed" "$victim" "$p" "$down" "$restarted" "$ready_at" \
      >>"$out/kills.tsv"
    pause=$((kill_min + RANDOM % (kill_max - kill_min + 1)))
    for ((s = 0; s < pause; s++)); do
      [ -e "$stop" ] && break
      sleep 1
    done
  done
) &
helpers+=($!)

status=0
bench soak --rate "$rate" --duration "$seconds" --drain 60 --check 1000 \
  --committed-out "$work/committed.txt" || status=$?
touch "$stop"
wait "${helpers[1]}"  # the killer restarts its victim before it ends
kill "${helpers[0]}" 2>/dev/null || true
# Whatever is down comes back. `net up` gives up after 60 s if a node has not caught up, which
# under a backlog is normal: the chain check below waits for the heights itself.
"$B" net up --dir "$net" >/dev/null 2>>"$out/killer.log" || true
say "bench exit status $status (3: some transactions were not seen committed; see the report)"

say "checks: samples, one chain on every node, audit of every data directory"
python3 scripts/soak-check.py samples "$out/samples.tsv" "$out/kills.tsv" | tee -a "$out/summary.txt"
cp "$work/committed.txt" "$out/committed.txt"
ok=1
python3 scripts/soak-check.py chain "$net/validators.json" "$net/customs/admin.key" \
  "$work/committed.txt" "${urls[@]}" | tee -a "$out/summary.txt" || ok=0
"$B" net down --dir "$net" >/dev/null
# The audits at once (SOAK_AUDIT): each re-executes the whole chain, which takes about as long
# as the network took to commit it.
declare -A audits=()
for i in 1 2 3 4; do cp "$net/node$i/node.log" "$out/node$i.log" 2>/dev/null || true; done
for i in $audit_nodes; do
  "$B" audit --data "$net/node$i/data" >"$out/audit$i.txt" 2>&1 &
  audits[$i]=$!
done
for i in $audit_nodes; do
  if wait "${audits[$i]}"; then
    say "audit node$i: $(tail -1 "$out/audit$i.txt")"
  else
    say "audit node$i: FAIL: $(tail -3 "$out/audit$i.txt")"
    ok=0
  fi
done
rm -rf "$net"
if [ "$ok" = 1 ]; then say "soak: PASS"; else say "soak: FAIL"; exit 1; fi
