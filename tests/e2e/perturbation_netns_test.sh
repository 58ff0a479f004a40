#!/usr/bin/env bash
# Perturbation suite on real processes (issue 16, item 3): four `tradeledger node` validators,
# each in a network namespace of its own, linked by a bridge, under a steady load of
# transactions; one perturbation after another, each followed by a check that nothing committed
# was lost and that every validator holds the same chain. doc/simulation.md, "Perturbation
# suite", lists the scenarios with measured figures.
#
# Usage: tests/e2e/perturbation_netns_test.sh PATH/TO/tradeledger [short|long]
#   short (default, the ctest PerturbationOnFourHosts): every scenario once, 6 s perturbations,
#   12 submitters: about 2 minutes.
#   long: three rounds of every scenario with 20 s perturbations, other victims, 16
#   submitters, clock skews of +30 s, +3 s and -30 s, and a second, heavier delay/loss setting:
#   about 15 minutes.
# As root: it creates network namespaces, bridges, veth and tap links, a loop-mounted
# filesystem, and removes all of them on exit, whatever happens (PERTURB_KEEP=1 keeps the
# work directory with the node logs).
#
# The network: `tradeledger net init --validators 4 --bare` (keys, genesis, sign-offs), each
# config rewritten so node I listens on 0.0.0.0 (API 7711, transport 7811) in namespace I with
# address P.I, its peers at P.J:7811. Bare, so that every load submitter signs with a key of
# its own (nonces are per signer and strictly increasing: submitters sharing the customs key
# would get each other's transactions refused for stale nonces) and so that ledger reads (/v1/blocks/H,
# /v1/transactions/ID) are open to the checker without a member key. Node 4's data directory
# and safety file live on a small loop-mounted ext4 filesystem of their own (scenario 4),
# formatted without extents so that RocksDB cannot preallocate (see the mkfs below).
#
# The load: submitters in the root namespace (clients on the network, reaching each node
# through the bridge at P.I:7711), three per node (four in long), each a loop of `tradeledger tx
# submit` (document.anchor, own key, waits for the commit). Every transaction a submitter saw
# committed is recorded as "tx id, height, result code, node, time". A node that is cut off,
# stopped or killed makes its submitters time out and retry; what they never saw committed is
# not recorded (it may commit later, which is fine: nothing is claimed about it).
#
# The check after each scenario (and the final one), once every link is back:
#  - T = the highest height any node reports, or any submitter saw a commit at;
#  - every node reaches T (catch-up within a deadline), and every node serves, for every height
#    not yet checked up to T, the same block: same hash, same transaction ids, a header whose
#    prev_hash is the hash of the block below (so the four chains are one chain, from block 1
#    up, once the final check has walked it all again from height 1);
#  - every recorded transaction is in the block at the height its submitter was told, on every
#    node. Sound because a block's hash covers its transaction root and its parent's hash: a
#    committed transaction lost or moved would change a block hash that is compared on all four.
#  - the final check also asks every node for every recorded transaction
#    (GET /v1/transactions/ID: committed, same height, same result code), and, after a clean
#    stop of every node (SIGTERM, exit status 0), `tradeledger audit` must pass on every data
#    directory (hash links, certificates, signatures, index, log and state roots).
#
# Scenarios (each with the load running; per-scenario checks in addition to the one above):
#  1a partition: one validator's link down; the other three commit; link up; it catches up.
#  1b 2|2 split: nodes 1,2 and 3,4 on two bridges: after a settling second no node's height
#     moves (no quorum anywhere) and no submitter sees a commit above it; rejoin; commits resume.
#  2  SIGSTOP of the leader (/health "leader") for a few seconds: the others go on committing
#     (its views time out and pass on), SIGCONT, it catches up.
#  3  SIGKILL of the leader during load; the rest commit; it restarts from the same config and
#     data directory and catches up.
#  4  disk full: node 4's filesystem filled with files; the node must stop itself as
#     doc/operations.md says (critical "... failed: ...; the node stops", then exit status 3;
#     /health/live 503 "failed" is reported if a poll catches it in between) and the other three
#     go on; the files are removed, `tradeledger audit` passes on the data it left, it restarts
#     and catches up. A wrong exit status or a missing log line is a failed check after which
#     the suite goes on (the run still fails at the end); lost or divergent data stops it.
#  5  clock skew: one validator restarted under libfaketime (+30 s; long also +3 s within the
#     5 s tolerance, and -30 s): its log's clock is checked to be skewed, the network goes on
#     committing, the others refuse its proposals (PROPOSAL_TIME_AHEAD on their /metrics) when
#     it is 30 s ahead, and it follows the same chain. NOT RUN (printed) without libfaketime.
#  6  delay and loss: the kernel has no sch_netem, so a userspace delay line replaces each
#     node's bridge port: its veth's host end is taken off the bridge and a process forwards
#     every frame between it (AF_PACKET) and a tap on the bridge, after a delay (with jitter,
#     so frames reorder) or not at all (loss), in both directions. Real frames, really delayed
#     and dropped, under TCP's retransmission; the same thing as netem, in user space. Short:
#     25 +- 10 ms and 2 % loss on every node's port (one way between two nodes: 50 ms, ~4 %);
#     long adds 100 +- 25 ms with 5 %.
set -euo pipefail

usage() { echo "usage: $0 PATH/TO/tradeledger [short|long]" >&2; exit 2; }
[ $# -ge 1 ] || usage
tl=$(realpath "$1")
mode=${2:-short}
case "$mode" in short | long) ;; *) usage ;; esac
[ -x "$tl" ] || { echo "perturbation: $tl is not executable" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "perturbation: needs root (namespaces, mounts)" >&2; exit 1; }
for t in ip curl python3 mkfs.ext4 mount umount mountpoint losetup setsid dd df; do
  command -v "$t" >/dev/null || { echo "perturbation: needs $t" >&2; exit 1; }
done

t0=${EPOCHREALTIME/./}
tag=$(($$ % 10000))                 # names unique to this run
prefix="10.232.$(($$ % 250))"
work=$(mktemp -d /tmp/tl-perturb.XXXXXX)
bridge="tlp${tag}b"
bridge2="tlp${tag}s"                # the second bridge of the 2|2 split
faketime_lib=/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1
disk_node=4
net="$work/net"
records="$work/records.tsv"         # tx id, height, result, node, unix time
state="$work/check.state"
declare -A pid=()
declare -A key=()                   # node index -> validator public key
load_pid=""
declare -A line_pid=()              # node index -> delay line process

ns() { echo "tlp${tag}-$1"; }
elapsed() { local t=${EPOCHREALTIME/./}; printf '%d.%d' $(((t - t0) / 1000000)) $(((t - t0) / 100000 % 10)); }
say() { echo "[$(elapsed)s] $*"; }
fail() {
  echo "perturbation: FAIL: $*" >&2
  for i in 1 2 3 4; do
    echo "--- node $i log (last 15 lines)" >&2
    tail -15 "$net/node$i/node.log" >&2 2>/dev/null || true
  done
  exit 1
}

cleanup() {
  trap - ERR
  set +e
  [ -n "$load_pid" ] && kill -- "-$load_pid" 2>/dev/null
  for i in "${!line_pid[@]}"; do kill "${line_pid[$i]}" 2>/dev/null; done
  for i in "${!pid[@]}"; do kill -CONT "${pid[$i]}" 2>/dev/null; kill "${pid[$i]}" 2>/dev/null; done
  sleep 0.5
  for i in "${!pid[@]}"; do kill -9 "${pid[$i]}" 2>/dev/null; done
  [ -n "$load_pid" ] && kill -9 -- "-$load_pid" 2>/dev/null
  for i in 1 2 3 4; do
    ip netns pids "$(ns "$i")" 2>/dev/null | xargs -r kill -9 2>/dev/null
  done
  wait 2>/dev/null
  for i in 1 2 3 4; do
    ip netns delete "$(ns "$i")" 2>/dev/null
    ip link delete "tlp${tag}v$i" 2>/dev/null
    ip link delete "tlp${tag}t$i" 2>/dev/null
  done
  ip link delete "$bridge" 2>/dev/null
  ip link delete "$bridge2" 2>/dev/null
  if mountpoint -q "$work/disk" 2>/dev/null; then umount "$work/disk" || umount -l "$work/disk"; fi
  for dev in $(losetup -j "$work/disk.img" -O NAME -n 2>/dev/null); do losetup -d "$dev"; done
  if [ "${PERTURB_KEEP:-0}" = 1 ]; then echo "perturbation: work directory kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# Every process of the run uses one copy of the binary, whatever rebuilds the original meanwhile.
cp "$tl" "$work/tradeledger"
tl="$work/tradeledger"
set -E
trap 'echo "perturbation: FAIL: unexpected status $? at line $LINENO: $BASH_COMMAND" >&2' ERR

# --- the helpers: load generator, checker, delay line (Python, written into the work dir) -----
cat >"$work/perturb.py" <<'PY'
import fcntl, heapq, http.client, json, os, random, select, socket, struct, subprocess, sys
import threading, time
from concurrent.futures import ThreadPoolExecutor


def load(argv):
    """load TL RECORDS STOPFILE KEYDIR TIMEOUT_MS PER_NODE URL...: submitters until STOPFILE."""
    tl, records, stop, keydir, timeout_ms, per_node = argv[:6]
    urls, timeout_ms, per_node = argv[6:], int(timeout_ms), int(per_node)
    lock, out = threading.Lock(), open(records, "a")
    stats = {"sent": 0, "committed": 0, "failed": 0}
    run = os.path.basename(os.path.dirname(records))

    def submitter(node, url, k):
        keyfile = os.path.join(keydir, f"s{node}-{k}.key")
        subprocess.run([tl, "keygen", "--out", keyfile], check=True, capture_output=True)
        n = 0
        while not os.path.exists(stop):
            n += 1
            doc = f"{run}-{node}-{k}-{n}"
            body = json.dumps({"docId": doc, "docType": "OTHER", "issuer": "PERTURB",
                               "contentHash": f"{n:064x}"})
            with lock:
                stats["sent"] += 1
            try:
                p = subprocess.run([tl, "tx", "submit", "--key", keyfile, "--node", url, "--type",
                                    "document.anchor", "--payload", "-", "--timeout-ms",
                                    str(timeout_ms)], input=body, capture_output=True, text=True,
                                   timeout=timeout_ms / 1000 + 5)
                r = json.loads(p.stdout) if p.returncode in (0, 3) else None
            except (subprocess.TimeoutExpired, ValueError):
                r = None
            if r and r.get("status") == "committed":
                with lock:
                    stats["committed"] += 1
                    out.write(f"{r['tx_id']}\t{r['height']}\t{r['result_code']}\t{node}\t"
                              f"{time.time():.3f}\n")
                    out.flush()
            else:
                with lock:
                    stats["failed"] += 1
                time.sleep(0.3)

    threads = [threading.Thread(target=submitter, args=(i + 1, u, k))
               for i, u in enumerate(urls) for k in range(per_node)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(f"load: {stats['sent']} submitted, {stats['committed']} seen committed, "
          f"{stats['failed']} not seen committed (timeouts, refused connections)", flush=True)


class Node:
    def __init__(self, url):
        host, port = url.split("//")[1].split(":")
        self.host, self.port, self.conn = host, int(port), None

    def get(self, path, tries=3):
        for attempt in range(tries):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=5)
                self.conn.request("GET", path)
                r = self.conn.getresponse()
                body = r.read()
                return r.status, json.loads(body) if body else None
            except (OSError, http.client.HTTPException, ValueError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt + 1 == tries:
                    return None, None
                time.sleep(0.2)

    def height(self):
        status, j = self.get("/health", tries=1)
        return j["height"] if status == 200 else -1


def check(argv):
    """check STATE RECORDS TIMEOUT_S FULL(0|1) URL...: see the script's header."""
    state_file, records, timeout_s, full = argv[:4]
    nodes = [Node(u) for u in argv[4:]]
    timeout_s, full = float(timeout_s), full == "1"
    state = {"checked": 0, "hash": None, "txs": {}}
    if os.path.exists(state_file) and not full:
        state = json.load(open(state_file))
    recs = []
    if os.path.exists(records):
        for line in open(records):
            f = line.split("\t")
            if len(f) == 5:
                recs.append((f[0], int(f[1]), f[2], int(f[3])))
    heights = [n.height() for n in nodes]
    target = max(heights + [h for _, h, _, _ in recs])
    deadline = time.time() + timeout_s
    while min(heights) < target:
        if time.time() > deadline:
            sys.exit(f"check: FAIL: not every node reached height {target} within {timeout_s:.0f} s:"
                     f" heights {heights}")
        time.sleep(0.25)
        heights = [n.height() for n in nodes]
    t_caught_up = timeout_s - (deadline - time.time())

    def walk(node):
        blocks = []
        for h in range(state["checked"] + 1, target + 1):
            status, j = node.get(f"/v1/blocks/{h}")
            if status != 200:
                return f"block {h}: HTTP {status}: {j}"
            blocks.append((j["hash"], j["header"]["prev_hash"], j["header"]["height"],
                           j["transactions"]))
        return blocks

    with ThreadPoolExecutor(len(nodes)) as pool:
        walks = list(pool.map(walk, nodes))
    for i, w in enumerate(walks):
        if isinstance(w, str):
            sys.exit(f"check: FAIL: node {i + 1}: {w}")
    prev = state["hash"]
    for k in range(target - state["checked"]):
        h = state["checked"] + 1 + k
        first = walks[0][k]
        for i, w in enumerate(walks):
            if w[k] != first:
                sys.exit(f"check: FAIL: at height {h} node {i + 1} holds block {w[k][0]} "
                         f"(prev {w[k][1]}, {len(w[k][3])} txs), node 1 holds {first[0]} "
                         f"(prev {first[1]}, {len(first[3])} txs)")
        if first[2] != h or (prev is not None and first[1] != prev):
            sys.exit(f"check: FAIL: block {h} ({first[0]}) does not link to the block below "
                     f"(prev_hash {first[1]}, expected {prev}; header height {first[2]})")
        prev = first[0]
        for tx in first[3]:
            state["txs"][tx] = h
    walked = target - state["checked"]
    state["checked"], state["hash"] = target, prev
    checked = 0
    for tx, h, rc, node in recs:
        if h > target:
            continue  # seen committed after the heights were read; the next check covers it
        if state["txs"].get(tx) != h:
            where = state["txs"].get(tx)
            sys.exit(f"check: FAIL: tx {tx}, seen committed at height {h} through node {node}, "
                     + (f"is at height {where}" if where else "is in no block up to "
                        f"height {target}") + " on every node")
        checked += 1
    if full:
        def ask(node):
            bad = []
            for tx, h, rc, _ in recs:
                status, j = node.get(f"/v1/transactions/{tx}")
                if status != 200 or j.get("status") != "committed" or j.get("height") != h or \
                        j.get("result_code") != rc:
                    bad.append(f"{tx}: HTTP {status} {j}")
            return bad
        with ThreadPoolExecutor(len(nodes)) as pool:
            for i, bad in enumerate(pool.map(ask, nodes)):
                if bad:
                    sys.exit(f"check: FAIL: node {i + 1} answers for {len(bad)} recorded "
                             f"transaction(s) otherwise, e.g. {bad[0]}")
    json.dump(state, open(state_file, "w"))
    print(f"check: every node at height >= {target} (after {t_caught_up:.1f} s), block {target} "
          f"= {prev[:16]} on all 4; {walked} block(s) compared on all 4 "
          f"({'from height 1' if full else 'since the last check'}); {checked} transaction(s) "
          f"seen committed all in their blocks" + (" and answered committed, same height and "
          "result, by every node" if full else ""), flush=True)


def delayline(argv):
    """delayline VETH TAP CONTROL: forward frames VETH <-> TAP (a bridge port) with the delay,
    jitter and loss of CONTROL (lines delay=S, jitter=S, loss=P), re-read twice a second."""
    veth, tapname, ctl = argv
    tap = os.open("/dev/net/tun", os.O_RDWR)
    IFF_TAP, IFF_NO_PI, IFF_VNET_HDR, TUNSETIFF = 0x2, 0x1000, 0x4000, 0x400454CA
    fcntl.ioctl(tap, TUNSETIFF, struct.pack("16sH", tapname.encode(),
                                            IFF_TAP | IFF_NO_PI | IFF_VNET_HDR))
    ps = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    # virtio-net headers on both sides carry the checksum-offload and segmentation state of
    # each frame, so the kernel completes checksums and segments as on a real link.
    ps.setsockopt(263, 15, 1)  # SOL_PACKET, PACKET_VNET_HDR
    ps.bind((veth, 0))
    params = {"delay": 0.0, "jitter": 0.0, "loss": 0.0}
    counts = {"frames": 0, "dropped": 0}

    class Line:
        def __init__(self, send):
            self.send, self.q, self.cv, self.seq = send, [], threading.Condition(), 0
            threading.Thread(target=self.run, daemon=True).start()

        def put(self, frame):
            counts["frames"] += 1
            if params["loss"] > 0 and random.random() < params["loss"]:
                counts["dropped"] += 1
                return
            due = time.monotonic() + params["delay"] + random.uniform(0, params["jitter"])
            with self.cv:
                self.seq += 1
                heapq.heappush(self.q, (due, self.seq, frame))
                self.cv.notify()

        def run(self):
            while True:
                with self.cv:
                    while not self.q:
                        self.cv.wait()
                    wait = self.q[0][0] - time.monotonic()
                    if wait > 0:
                        self.cv.wait(wait)
                        continue
                    frame = heapq.heappop(self.q)[2]
                try:
                    self.send(frame)
                except OSError:
                    pass

    to_bridge, to_node = Line(lambda f: os.write(tap, f)), Line(ps.send)
    open(ctl + ".ready", "w").close()
    last = 0.0
    while True:
        ready, _, _ = select.select([tap, ps], [], [], 0.5)
        if time.monotonic() - last > 0.5:
            last = time.monotonic()
            try:
                for line in open(ctl):
                    k, v = line.split("=")
                    params[k.strip()] = float(v)
            except (OSError, ValueError):
                pass
            with open(ctl + ".counts", "w") as f:
                f.write(f"{counts['frames']} {counts['dropped']}\n")
        if ps in ready:
            frame, addr = ps.recvfrom(70000)
            if addr[2] != 4:  # PACKET_OUTGOING: what this process sent to the node
                to_bridge.put(frame)
        if tap in ready:
            to_node.put(os.read(tap, 70000))


{"load": load, "check": check, "delayline": delayline}[sys.argv[1]](sys.argv[2:])
PY
pp() { python3 "$work/perturb.py" "$@"; }

# --- four hosts on a bridge; the root namespace (the clients) at P.254 ----------------------
ip link add "$bridge" type bridge
ip link set "$bridge" up
ip addr add "$prefix.254/24" dev "$bridge"
for i in 1 2 3 4; do
  ip netns add "$(ns "$i")"
  ip link add "tlp${tag}v$i" type veth peer name eth0 netns "$(ns "$i")"
  ip link set "tlp${tag}v$i" master "$bridge" up
  ip -n "$(ns "$i")" link set lo up
  ip -n "$(ns "$i")" addr add "$prefix.$i/24" dev eth0
  ip -n "$(ns "$i")" link set eth0 up
done

# --- the network: net init --bare, configs on the namespaces' addresses ----------------------
"$tl" net init --validators 4 --dir "$net" --bare --chain-name perturbation >/dev/null
# ext4 without the extent feature (files mapped as on ext3): no fallocate, so RocksDB cannot
# reserve WAL space ahead, and the node's writes fail as soon as the filesystem is full. On a
# default ext4, RocksDB preallocates 1.1 x the 64 MiB write buffer for each WAL, and the node
# goes on writing into that reserve for up to ~70 MB after the disk is full (measured: three
# minutes of this load without an error).
truncate -s 160M "$work/disk.img"
mkfs.ext4 -q -m 0 -O ^extent,^flex_bg,^huge_file,^64bit "$work/disk.img"
mkdir -p "$work/disk"
mount -o loop "$work/disk.img" "$work/disk"
for i in 1 2 3 4; do
  python3 - "$net/node$i/config.json" "$prefix" "$i" "$disk_node" "$work/disk" <<'PY'
import json, sys
path, prefix, me, disk_node, disk = sys.argv[1:]
c = json.load(open(path))
c["http"].update(address="0.0.0.0", port=7711)
c["p2p"].update(address="0.0.0.0", port=7811)
for p in c["peers"]:
    p.update(host=f"{prefix}.{p['name'].split('-')[1]}", port=7811)
if me == disk_node:
    c["data_dir"], c["safety_file"] = f"{disk}/data", f"{disk}/consensus-safety"
json.dump(c, open(path, "w"), indent=2)
PY
  key[$i]=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["validators"][int(sys.argv[2])-1]["public_key"])' "$net/validators.json" "$i")
done

start_node() {  # start_node I [VAR=VALUE...]: node I in its namespace, with that environment
  local i=$1
  shift
  # `ip netns exec` and `env` exec, so $! is the node's own pid.
  ip netns exec "$(ns "$i")" env "$@" "$tl" node --config "$net/node$i/config.json" \
    >>"$net/node$i/node.log" 2>&1 &
  pid[$i]=$!
}
alive() {  # alive PID: the process exists and is not a zombie
  local st
  st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) || return 1
  [ -n "$st" ] && [ "$st" != Z ]
}
exit_status=""
wait_exit() {  # wait_exit I SECONDS: waits for node I to exit; its status in $exit_status
  local i=$1 until=$((SECONDS + $2))
  while alive "${pid[$i]}" && [ "$SECONDS" -lt "$until" ]; do sleep 0.1; done
  if alive "${pid[$i]}"; then exit_status=running; return; fi
  wait "${pid[$i]}" && exit_status=0 || exit_status=$?
  unset "pid[$i]"
}
stop_node() {  # stop_node I: SIGTERM, and it must exit 0
  kill "${pid[$1]}"
  wait_exit "$1" 30
  [ "$exit_status" = 0 ] || fail "node $1 did not stop cleanly on SIGTERM (status $exit_status)"
}
api() { ip netns exec "$(ns "$1")" curl -s -m 2 "http://127.0.0.1:7711$2" || true; }  # from inside I
height() {  # the height node I reports, -1 if it does not answer
  local h
  h=$(api "$1" /health | sed -n 's/.*"height":\([0-9]*\).*/\1/p')
  echo "${h:--1}"
}
leader() { api "$1" /health | sed -n 's/.*"leader":"\([0-9a-f]*\)".*/\1/p'; }
index_of() { local i; for i in 1 2 3 4; do [ "${key[$i]}" = "$1" ] && echo "$i"; done; return 0; }
heights() { local i s=""; for i in 1 2 3 4; do s+="$(height "$i") "; done; echo "${s% }"; }
max_height() { heights | tr ' ' '\n' | sort -n | tail -1; }
wait_ready() {  # wait_ready I SECONDS
  local until=$((SECONDS + $2))
  while [ "$SECONDS" -lt "$until" ]; do
    api "$1" /health/ready | grep -q '"status":"ready"' && return 0
    sleep 0.1
  done
  fail "node $1 not ready after $2 s: $(api "$1" /health/ready)"
}
committed() { [ -f "$records" ] && wc -l <"$records" || echo 0; }
advance() {  # advance I... FROM BY SECONDS: waits until each node I has passed FROM+BY
  local args=("$@") n=${#args[@]} from=${args[-3]} by=${args[-2]} s=${args[-1]} i ok
  local until=$((SECONDS + s))
  while [ "$SECONDS" -lt "$until" ]; do
    ok=1
    for i in "${args[@]:0:n-3}"; do [ "$(height "$i")" -ge $((from + by)) ] || ok=0; done
    [ "$ok" = 1 ] && return 0
    sleep 0.1
  done
  fail "nodes ${args[*]:0:n-3} did not pass height $((from + by)) in $s s: heights $(heights)"
}
check() {  # check [full]: the check of the header, with every link up
  local full=0
  [ "${1:-}" = full ] && full=1
  pp check "$state" "$records" 90 "$full" "http://$prefix.1:7711" "http://$prefix.2:7711" \
    "http://$prefix.3:7711" "http://$prefix.4:7711" || fail "the check after '$scenario'"
}

# --- the scenario log: one line per scenario for the summary ---------------------------------
summary=()
scenario=""
s_t0=0
s_h0=0
s_c0=0
begin() {
  scenario=$1
  s_t0=${EPOCHREALTIME/./}
  s_h0=$(max_height)
  s_c0=$(committed)
  s_fail=0
  say "== $scenario (height $s_h0)"
}
end() {
  local out
  out=$(check) || exit 1
  say "   $out"
  local t=${EPOCHREALTIME/./}
  local ds=$(((t - s_t0) / 100000))
  local result=PASS
  [ "$s_fail" = 0 ] || result=FAIL
  summary+=("$(printf '%-44s %4d.%ds  height %5d -> %5d  %5d tx committed  %s' "$scenario" \
    $((ds / 10)) $((ds % 10)) "$s_h0" "$(max_height)" $(($(committed) - s_c0)) "$result")")
}
failures=()
s_fail=0
soft_fail() {  # a failed check after which the suite can go on; the run still fails at the end
  failures+=("$scenario: $*")
  s_fail=1
  echo "perturbation: FAIL: $scenario: $*" >&2
}
not_run_count=0
not_run() {
  not_run_count=$((not_run_count + 1))
  summary+=("$(printf '%-44s NOT RUN: %s' "$1" "$2")")
  say "NOT RUN: $1: $2"
}

# --- start --------------------------------------------------------------------------------
for i in 1 2 3 4; do start_node "$i"; done
for i in 1 2 3 4; do wait_ready "$i" 60; done
say "4 validators ready in 4 namespaces (${prefix}.1-4), node $disk_node on a 160 MiB loop-mounted ext4"

if [ "$mode" = long ]; then per_node=4 rounds=3 d=20; else per_node=3 rounds=1 d=6; fi
mkdir -p "$work/keys"
setsid python3 "$work/perturb.py" load "$tl" "$records" "$work/stop-load" "$work/keys" 4000 "$per_node" \
  "http://$prefix.1:7711" "http://$prefix.2:7711" "http://$prefix.3:7711" \
  "http://$prefix.4:7711" >"$work/load.log" 2>&1 &
load_pid=$!
for _ in $(seq 1 100); do [ "$(committed)" -ge 8 ] && break; sleep 0.1; done
[ "$(committed)" -ge 8 ] || fail "the load does not commit: $(cat "$work/load.log")"
say "load running: $((per_node * 4)) submitters"

others() { local i; for i in 1 2 3 4; do [ "$i" = "$1" ] || echo "$i"; done; }

scenario_partition() {  # ROUND
  local v=$(($1 % 4 + 1)) h0 c0 hv
  begin "1a partition: node $v cut off for ${d}s"
  ip link set "tlp${tag}v$v" down
  sleep 1
  h0=$(max_height)
  hv=$(height "$v")
  c0=$(committed)
  sleep "$d"
  advance $(others "$v") "$h0" 3 10
  [ "$(committed)" -gt "$c0" ] || fail "no transaction seen committed while node $v was cut off"
  [ "$(height "$v")" -le "$((hv + 1))" ] ||
    fail "cut-off node $v went on committing: $hv -> $(height "$v")"
  say "   while cut off: others $h0 -> $(max_height), node $v stayed at $(height "$v"), $(($(committed) - c0)) tx committed"
  ip link set "tlp${tag}v$v" up
  end

  begin "1b 2|2 split: nodes 1,2 | 3,4 for ${d}s"
  ip link add "$bridge2" type bridge
  ip link set "$bridge2" up
  ip link set "tlp${tag}v3" master "$bridge2"
  ip link set "tlp${tag}v4" master "$bridge2"
  sleep 1.5                                 # what was certified before the split settles
  local hs c1
  hs=$(max_height)
  c1=$(committed)
  sleep "$d"
  local hh
  hh=$(heights)
  for h in $hh; do
    [ "$h" -le "$hs" ] || fail "a node committed during the 2|2 split: $hs then $hh"
  done
  awk -F'\t' -v c="$c1" -v hs="$hs" 'NR > c && $2 > hs { bad = 1 } END { exit bad }' "$records" ||
    fail "a submitter saw a commit above height $hs during the 2|2 split"
  say "   during the split: heights $hh, none above $hs"
  ip link set "tlp${tag}v3" master "$bridge"
  ip link set "tlp${tag}v4" master "$bridge"
  ip link delete "$bridge2"
  advance 1 2 3 4 "$hs" 3 30
  end
}

scenario_sigstop() {
  local l h0 c0
  l=$(index_of "$(leader 1)")
  [ -n "$l" ] || fail "no leader in node 1's /health"
  begin "2 SIGSTOP of the leader (node $l) for ${d}s"
  local o1 until seen=" " x
  o1=$(others "$l" | sed -n 1p)  # sed reads all: head could end the pipe early (SIGPIPE)
  h0=$(height "$o1")
  c0=$(committed)
  kill -STOP "${pid[$l]}"
  until=$((SECONDS + d))
  while [ "$SECONDS" -lt "$until" ]; do     # the leaders node $o1 follows while $l is stopped
    x=$(index_of "$(leader "$o1")")
    [[ "$seen" == *" $x "* ]] || seen+="$x "
    sleep 0.3
  done
  advance $(others "$l") "$h0" 3 10
  [ "$(committed)" -gt "$c0" ] || fail "no transaction seen committed while node $l was stopped"
  [[ "$seen" =~ [1-4] ]] && [ "$seen" != " $l " ] ||
    fail "node $o1 saw no leader other than the stopped node $l: $seen"
  say "   while node $l was stopped: node $o1 $h0 -> $(height "$o1"), $(($(committed) - c0)) tx committed; leaders node $o1 followed:$seen"
  kill -CONT "${pid[$l]}"
  end
}

scenario_sigkill() {
  local v h0 c0
  v=$(index_of "$(leader 2)")
  [ -n "$v" ] || fail "no leader in node 2's /health"
  begin "3 SIGKILL of the leader (node $v), ${d}s down"
  kill -9 "${pid[$v]}"
  wait_exit "$v" 10
  [ "$exit_status" = 137 ] || fail "node $v after SIGKILL: status $exit_status"
  h0=$(max_height)
  c0=$(committed)
  sleep "$d"
  advance $(others "$v") "$h0" 3 10
  [ "$(committed)" -gt "$c0" ] || fail "no transaction seen committed while node $v was down"
  say "   while down: others $h0 -> $(max_height), $(($(committed) - c0)) tx committed; restarting it"
  start_node "$v"
  wait_ready "$v" 60
  end
}

scenario_disk() {
  local v=$disk_node h0 c0 live="" n until
  begin "4 disk full on node $v, then freed"
  # fill what is left, in 1 MiB then 4 KiB then 1 KiB writes, each until ENOSPC
  dd if=/dev/zero of="$work/disk/fill-1" bs=1M 2>/dev/null || true
  dd if=/dev/zero of="$work/disk/fill-2" bs=4k 2>/dev/null || true
  dd if=/dev/zero of="$work/disk/fill-3" bs=1k 2>/dev/null || true
  say "   $work/disk full: $(df -B1 --output=avail "$work/disk" | tail -1 | tr -d ' ') bytes free"
  h0=$(max_height)
  c0=$(committed)
  until=$((SECONDS + 60))                   # for the node to hit the full disk and stop
  while alive "${pid[$v]}" && [ "$SECONDS" -lt "$until" ]; do
    if api "$v" /health/live | grep -q '"failed"'; then live="/health/live answered 503 failed; "; fi
    sleep 0.1
  done
  wait_exit "$v" 1
  if [ "$exit_status" = running ]; then
    fail "node $v still runs 60 s after its filesystem filled up"
  fi
  local how="exit status $exit_status"
  [ "$exit_status" -gt 128 ] && how+=" (signal $(kill -l $((exit_status - 128))))"
  say "   node $v stopped: ${live}$how; its last lines:"
  tail -4 "$net/node$v/node.log" | cut -c1-220 | sed 's/^/      /'
  [ "$exit_status" = 3 ] ||
    soft_fail "node $v on a full disk ended with $how, not the clean stop with status 3 of doc/operations.md"
  grep -q "failed: .*; the node stops" "$net/node$v/node.log" ||
    soft_fail "node $v logged no storage failure ('... failed: ...; the node stops')"
  grep -q "stopping after a storage failure (exit status 3)" "$net/node$v/node.log" ||
    soft_fail "node $v did not log 'stopping after a storage failure (exit status 3)'"
  advance $(others "$v") "$h0" 3 15
  [ "$(committed)" -gt "$c0" ] || fail "no transaction seen committed while node $v was down"
  rm -f "$work/disk"/fill-*
  local out
  out=$("$tl" audit --data "$work/disk/data" 2>&1) || fail "audit of the data node $v left: $out"
  say "   space freed; audit of the data it left: ${out%%;*}"
  start_node "$v"
  wait_ready "$v" 60
  end
}

scenario_skew() {  # SKEW (libfaketime offset, e.g. +30s), VICTIM
  local skew=$1 v=$2 h0 c0 logt ahead rej0 rej1
  if [ ! -r "$faketime_lib" ]; then
    not_run "5 clock skew $skew" "libfaketime not installed ($faketime_lib; Debian package faketime)"
    return
  fi
  begin "5 clock skew $skew on node $v"
  stop_node "$v"
  rej0=$(for o in $(others "$v"); do api "$o" /metrics; done |
    awk '/PROPOSAL_TIME_AHEAD/ { s += $NF } END { print s + 0 }')
  local n0 t_start
  n0=$(wc -l <"$net/node$v/node.log")
  t_start=$(date +%s)
  start_node "$v" LD_PRELOAD="$faketime_lib" FAKETIME="$skew" FAKETIME_DONT_FAKE_MONOTONIC=1
  wait_ready "$v" 60
  # the node's clock, as the first line it logged shows it, against ours when it started
  logt=$(sed -n "$((n0 + 1))p" "$net/node$v/node.log" | cut -c1-19)
  ahead=$(($(date -u -d "$logt" +%s) - t_start))
  local want=$((${skew%s}))
  [ $((ahead - want)) -le 2 ] && [ $((want - ahead)) -le 2 ] ||
    fail "node $v's clock is $ahead s off ours, not $skew: is libfaketime in effect?"
  h0=$(max_height)
  c0=$(committed)
  sleep "$d"
  advance 1 2 3 4 "$h0" 3 20
  [ "$(committed)" -gt "$c0" ] || fail "no transaction seen committed with node $v's clock at $skew"
  rej1=$(for o in $(others "$v"); do api "$o" /metrics; done |
    awk '/PROPOSAL_TIME_AHEAD/ { s += $NF } END { print s + 0 }')
  if [ "$want" -gt 5 ]; then
    [ "$rej1" -gt "$rej0" ] || fail "nobody refused node $v's proposals stamped $skew ahead"
  fi
  say "   node $v's clock ${ahead}s off; heights $h0 -> $(max_height); $(($(committed) - c0)) tx committed; PROPOSAL_TIME_AHEAD refusals by the others: $((rej1 - rej0))"
  end
  stop_node "$v"
  start_node "$v"
  wait_ready "$v" 60
}

lines_on() {  # lines_on DELAY JITTER LOSS: a delay line on every node's bridge port
  local i
  for i in 1 2 3 4; do
    printf 'delay=%s\njitter=%s\nloss=%s\n' "$1" "$2" "$3" >"$work/line$i"
    python3 "$work/perturb.py" delayline "tlp${tag}v$i" "tlp${tag}t$i" "$work/line$i" \
      >"$work/line$i.log" 2>&1 &
    line_pid[$i]=$!
  done
  for i in 1 2 3 4; do
    for _ in $(seq 1 50); do [ -f "$work/line$i.ready" ] && break; sleep 0.1; done
    [ -f "$work/line$i.ready" ] || fail "delay line $i did not start: $(cat "$work/line$i.log")"
    ip link set "tlp${tag}v$i" nomaster
    ip link set "tlp${tag}v$i" promisc on
    ip link set "tlp${tag}t$i" master "$bridge" up
  done
}
lines_off() {
  local i
  for i in 1 2 3 4; do
    kill "${line_pid[$i]}"
    wait "${line_pid[$i]}" 2>/dev/null || true
    unset "line_pid[$i]"
    rm -f "$work/line$i.ready"
    ip link set "tlp${tag}v$i" promisc off
    ip link set "tlp${tag}v$i" master "$bridge"
  done
}

scenario_delay() {  # DELAY JITTER LOSS (seconds, seconds, probability) per node port
  local h0 c0 frames=0 dropped=0 i
  begin "6 delay $(awk -v d="$1" -v j="$2" -v l="$3" 'BEGIN { printf "%g+-%gms loss %g%%", (d + j / 2) * 1000, j / 2 * 1000, l * 100 }') per port, ${d}s"
  lines_on "$1" "$2" "$3"
  sleep 1
  h0=$(max_height)
  c0=$(committed)
  sleep "$d"
  advance 1 2 3 4 "$h0" 3 20
  [ "$(committed)" -gt "$c0" ] || fail "no transaction seen committed under delay and loss"
  sleep 0.6
  for i in 1 2 3 4; do
    read -r f dr <"$work/line$i.counts"
    frames=$((frames + f))
    dropped=$((dropped + dr))
  done
  say "   under delay/loss: heights $h0 -> $(max_height), $(($(committed) - c0)) tx committed; $frames frames through the lines, $dropped dropped"
  [ "$frames" -gt 0 ] && { [ "$3" = 0 ] || [ "$dropped" -gt 0 ]; } ||
    fail "the delay lines saw $frames frames and dropped $dropped"
  lines_off
  end
}

for ((round = 0; round < rounds; round++)); do
  [ "$rounds" -gt 1 ] && say "=== round $((round + 1)) of $rounds"
  scenario_partition "$round"
  scenario_sigstop
  scenario_sigkill
  scenario_disk
  scenario_skew +30s $(((round + 2) % 3 + 1))
  if [ "$mode" = long ]; then
    scenario_skew +3s $((round % 3 + 1))
    scenario_skew -30s $(((round + 1) % 3 + 1))
  fi
  scenario_delay 0.015 0.02 0.02
  [ "$mode" = long ] && scenario_delay 0.075 0.05 0.05
done

# --- the end: stop the load, the full check, clean stops, audits ---------------------------
touch "$work/stop-load"
wait "$load_pid" || fail "the load generator failed: $(cat "$work/load.log")"
load_pid=""
say "$(cat "$work/load.log")"
scenario="final"
out=$(check full) || exit 1
say "$out"
for i in 1 2 3 4; do stop_node "$i"; done
for i in 1 2 3 4; do
  dir="$net/node$i/data"
  [ "$i" = "$disk_node" ] && dir="$work/disk/data"
  out=$("$tl" audit --data "$dir" 2>&1) || fail "audit of node $i: $out"
  say "node $i: ${out%%;*}"
done
echo "perturbation ($mode) summary:"
printf '  %s\n' "${summary[@]}"
if [ ${#failures[@]} -gt 0 ]; then
  echo "perturbation: FAILED ($mode), $(elapsed) s:" >&2
  printf '  %s\n' "${failures[@]}" >&2
  exit 1
fi
notes=""
[ "$not_run_count" = 0 ] || notes="; $not_run_count scenario(s) NOT RUN (see above)"
echo "perturbation: OK ($mode): $(committed) transactions seen committed, all on every validator; $(elapsed) s$notes"
