#!/usr/bin/env bash
# The genesis ceremony of doc/operations.md ("Worked example: four organisations on four
# machines") with the guide's own commands, each organisation on a host of its own: a network
# namespace with its own loopback, address and host names, linked to the others by a bridge.
# Every node uses the guide's ports (API 127.0.0.1:7711, transport 7811) inside its own host,
# publishes a host name (validator.cbp.example, ...) and listens with --p2p-listen 0.0.0.0;
# each directory holds only its own organisation's private keys; the sign-off file travels
# from one operator to the next as a copy; every operator verifies it; the customs
# administrator submits from the CBP host. Then one host is cut off the network: the other
# three go on committing, and once its link is back it catches up to the same chain.
#
# Usage: tests/e2e/ceremony_netns_test.sh PATH/TO/tradeledger   (as root: it creates network
# namespaces, a bridge and veth links, and removes them on exit, whatever happens)
set -euo pipefail

tl=$(realpath "${1:?usage: $0 PATH/TO/tradeledger}")
[ "$(id -u)" -eq 0 ] || { echo "ceremony_netns: needs root for network namespaces" >&2; exit 1; }
command -v ip >/dev/null || { echo "ceremony_netns: needs ip (iproute2)" >&2; exit 1; }

orgs=(cbp brokers carrier exporters)
tag=$(($$ % 10000))                   # interface and namespace names unique to this run
subnet="10.231.$(($$ % 250)).0"
prefix=${subnet%.0}
work=$(mktemp -d /tmp/tl-ceremony-netns.XXXXXX)
bridge="tlc${tag}br"

ns() { echo "tlc${tag}-$1"; }       # the namespace of organisation index $1
on() {                               # on I CMD...: run CMD on organisation I's host
  local i=$1
  shift
  ip netns exec "$(ns "$i")" "$@"
}
fail() {
  echo "ceremony_netns: FAIL: $*" >&2
  for i in "${!orgs[@]}"; do
    echo "--- ${orgs[$i]} node log (last 20 lines)" >&2
    tail -20 "$work/${orgs[$i]}/node.log" >&2 2>/dev/null || true
  done
  exit 1
}
cleanup() {
  for pid in $(cat "$work"/*/node.pid 2>/dev/null); do kill "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in $(cat "$work"/*/node.pid 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  for i in "${!orgs[@]}"; do
    ip netns pids "$(ns "$i")" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
    ip netns delete "$(ns "$i")" 2>/dev/null || true
    rm -rf "/etc/netns/$(ns "$i")"
  done
  for i in "${!orgs[@]}"; do ip link delete "tlc${tag}v$i" 2>/dev/null || true; done
  ip link delete "$bridge" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# --- four hosts on one bridge, each resolving the others' published names ------------------
ip link add "$bridge" type bridge
ip link set "$bridge" up
hosts=""
for i in "${!orgs[@]}"; do hosts+="$prefix.$((i + 1)) validator.${orgs[$i]}.example"$'\n'; done
for i in "${!orgs[@]}"; do
  ip netns add "$(ns "$i")"
  ip link add "tlc${tag}v$i" type veth peer name eth0 netns "$(ns "$i")"
  ip link set "tlc${tag}v$i" master "$bridge" up
  on "$i" ip link set lo up
  on "$i" ip addr add "$prefix.$((i + 1))/24" dev eth0
  on "$i" ip link set eth0 up
  # `ip netns exec` mounts /etc/netns/NAME/hosts over /etc/hosts for what it runs.
  mkdir -p "/etc/netns/$(ns "$i")"
  printf '127.0.0.1 localhost\n%s' "$hosts" >"/etc/netns/$(ns "$i")/hosts"
done
[ "$(on 3 getent hosts validator.cbp.example | cut -d' ' -f1)" = "$prefix.1" ] ||
  fail "the exporters' host does not resolve validator.cbp.example"

# --- 1. each operator generates its validator key on its own host --------------------------
mkdir -p "$work/published"
for i in "${!orgs[@]}"; do
  o=${orgs[$i]}
  on "$i" "$tl" operator init --dir "$work/$o" --name "validator-$o" \
    --address "validator.$o.example:7811" >/dev/null
  cp "$work/$o/operator.json" "$work/published/$o.json"
done
# --- 2. CBP's administrator key, on the administrator's workstation ------------------------
"$tl" customs init --dir "$work/cbp-customs" >/dev/null
cp "$work/cbp-customs/customs.json" "$work/published/customs.json"
# --- 3. CBP assembles the genesis from the public files only -------------------------------
(cd "$work/published" && "$tl" genesis assemble \
  --operator cbp.json --operator brokers.json --operator carrier.json --operator exporters.json \
  --customs customs.json --chain-name tradeledger-us --out genesis.json) >/dev/null
# --- 4. the operators sign in turn, the file passed along as a copy -------------------------
previous=""
for i in "${!orgs[@]}"; do
  o=${orgs[$i]}
  cp "$work/published/genesis.json" "$work/$o/genesis.json"
  [ -z "$previous" ] || cp "$work/$previous/genesis.signoffs.json" "$work/$o/genesis.signoffs.json"
  out=$("$tl" genesis sign --genesis "$work/$o/genesis.json" --key "$work/$o/validator.key" \
    --signoffs "$work/$o/genesis.signoffs.json")
  grep -q "signed; $((i + 1)) sign-off(s)" <<<"$out" || fail "sign-off $((i + 1)): $out"
  previous=$o
done
out=$("$tl" genesis verify --genesis "$work/exporters/genesis.json" \
  --signoffs "$work/exporters/genesis.signoffs.json")
grep -q "signed off by all 4 validator(s)" <<<"$out" || fail "verify: $out"
# --- 5. each operator takes the complete file, verifies it and writes its configuration ----
for i in "${!orgs[@]}"; do
  o=${orgs[$i]}
  cp "$work/exporters/genesis.signoffs.json" "$work/$o/genesis.signoffs.json" 2>/dev/null || true
  "$tl" genesis verify --genesis "$work/$o/genesis.json" \
    --signoffs "$work/$o/genesis.signoffs.json" >/dev/null || fail "$o: genesis verify"
  "$tl" operator config --dir "$work/$o" --genesis "$work/$o/genesis.json" \
    --signoffs "$work/$o/genesis.signoffs.json" --p2p-listen 0.0.0.0 >/dev/null
done
# Each organisation holds its own private keys and nobody else's.
for o in "${orgs[@]}"; do
  keys=$(cd "$work/$o" && find . -name '*.key' | sort | tr '\n' ' ')
  [ "$keys" = "./validator.key " ] || fail "$o holds keys: $keys"
done
# --- 6. each starts its node on its own host and waits until it is ready -------------------
for i in "${!orgs[@]}"; do
  o=${orgs[$i]}
  # Not through on(): `ip netns exec` execs the node, so $! is the node's own pid.
  ip netns exec "$(ns "$i")" "$tl" node --config "$work/$o/config.json" >"$work/$o/node.log" 2>&1 &
  echo $! >"$work/$o/node.pid"
done
ready() { on "$1" curl -sf -o /dev/null http://127.0.0.1:7711/health/ready; }
wait_ready() {
  for _ in $(seq 1 600); do
    ready "$1" && return 0
    sleep 0.1
  done
  fail "${orgs[$1]} not ready: $(on "$1" curl -s http://127.0.0.1:7711/health/ready)"
}
for i in "${!orgs[@]}"; do wait_ready "$i"; done
grep -q "connected to peer" "$work/cbp/node.log" || fail "cbp logged no peer connection"

# --- 7. the customs administrator anchors a document through CBP's node --------------------
anchor() {  # anchor DOC-ID: submitted on the CBP host, prints the committed height
  printf '{"docId": "%s", "docType": "OTHER", "contentHash": "%s", "issuer": "CBP"}' \
    "$1" "$(printf '%s' "$1" | sha256sum | cut -c1-64)" |
    on 0 "$tl" tx submit --key "$work/cbp-customs/admin.key" --node http://127.0.0.1:7711 \
      --type document.anchor --payload - |
    python3 -c 'import json,sys; r=json.load(sys.stdin); assert r["result_code"]=="OK", r; print(r["height"])'
}
block_hash() {  # block_hash I H
  on "$1" curl -sf "http://127.0.0.1:7711/v1/blocks/$2" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["hash"])'
}
height=$(anchor NETNS-1) || fail "anchor NETNS-1"
on 0 curl -sf http://127.0.0.1:7711/v1/validators >"$work/validators.json"
for i in "${!orgs[@]}"; do
  for _ in $(seq 1 100); do block_hash "$i" "$height" >/dev/null 2>&1 && break; sleep 0.1; done
  [ "$(block_hash "$i" "$height")" = "$(block_hash 0 "$height")" ] ||
    fail "${orgs[$i]} holds another block at $height"
done

# --- 8. the exporters' host is cut off: three of four go on; it catches up when back -------
ip link set "tlc${tag}v3" down
for k in 1 2 3; do height=$(anchor "NETNS-CUT-$k") || fail "anchor while one host is cut off"; done
ip link set "tlc${tag}v3" up
wait_ready 3
for _ in $(seq 1 300); do
  block_hash 3 "$height" >/dev/null 2>&1 && break
  sleep 0.1
done
[ "$(block_hash 3 "$height")" = "$(block_hash 0 "$height")" ] ||
  fail "exporters did not catch up to block $height"
echo "ceremony_netns: OK: 4 hosts, ceremony, commits at height $height, a cut-off host caught up"
