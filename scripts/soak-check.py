#!/usr/bin/env python3
"""The soak's checks (scripts/soak.sh): after the load, with every validator up again.

  soak-check.py chain VALIDATORS_JSON KEY_FILE IDS_FILE URL...
    Every node reaches the highest height any of them reports (within 600 s); every node
    serves, for every height from 1 up, the same block (hash, transaction ids) and each
    block's prev_hash is the hash of the block below, so the nodes hold one chain; every
    transaction id of IDS_FILE (what the load generator saw committed, `tradeledger bench
    --committed-out`) is in that chain. Reads are signed with KEY_FILE (the customs
    administrator: a member sees every block's transaction ids; api/read_auth.h).
  soak-check.py samples SAMPLES_TSV KILLS_TSV
    Memory and file descriptors per validator process (each restart is a new process):
    first, last and highest resident set size and descriptor count, and the growth over each
    process's life.

Exit status 0 when every check holds; 1 with "FAIL: ..." otherwise.
"""
import http.client
import json
import struct
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from cryptography.hazmat.primitives.asymmetric import ed25519


def read_key(path):
    fields = dict(line.split(None, 1) for line in open(path).read().splitlines()[1:] if line)
    return ed25519.Ed25519PrivateKey.from_private_bytes(bytes.fromhex(fields["seed"].strip()))


def enc_string(s):
    b = s.encode()
    return struct.pack(">I", len(b)) + b


class Node:
    """One node's API, reads signed as in api/read_auth.h (TRADELEDGER/READ/v2)."""

    def __init__(self, url, chain, key):
        host, port = url.split("//")[1].rstrip("/").split(":")
        self.host, self.port, self.conn = host, int(port), None
        self.chain, self.key = chain, key
        self.public = key.public_key().public_bytes_raw().hex()

    def headers(self, path):
        now = int(time.time() * 1000)
        message = (b"TRADELEDGER/READ/v2\x00" + self.chain + struct.pack(">Q", now) +
                   enc_string("GET") + enc_string(path) + struct.pack(">I", 0))
        return {"X-TL-Key": self.public, "X-TL-Time": str(now),
                "X-TL-Signature": self.key.sign(message).hex()}

    def get(self, path, tries=5):
        for attempt in range(tries):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                self.conn.request("GET", path, headers=self.headers(path))
                r = self.conn.getresponse()
                body = r.read()
                return r.status, json.loads(body) if body else None
            except (OSError, http.client.HTTPException, ValueError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt + 1 == tries:
                    return None, None
                time.sleep(0.5)

    def height(self):
        status, j = self.get("/health", tries=1)
        return j["height"] if status == 200 else -1


def fail(message):
    print(f"FAIL: {message}", flush=True)
    sys.exit(1)


def chain(argv):
    validators, key_file, ids_file = argv[:3]
    chain_id = bytes.fromhex(json.load(open(validators))["chain_id"])
    key = read_key(key_file)
    nodes = [Node(u, chain_id, key) for u in argv[3:]]
    heights = [n.height() for n in nodes]
    target = max(heights)
    deadline = time.time() + 600
    while min(heights) < target:
        if time.time() > deadline:
            fail(f"not every node reached height {target} within 600 s: heights {heights}")
        time.sleep(0.5)
        heights = [n.height() for n in nodes]

    def walk(node):
        blocks = []
        for h in range(1, target + 1):
            status, j = node.get(f"/v1/blocks/{h}")
            if status != 200:
                return f"block {h}: HTTP {status}: {j}"
            blocks.append((j["hash"], j["header"]["prev_hash"], j["header"]["height"],
                           tuple(j["transactions"])))
        return blocks

    with ThreadPoolExecutor(len(nodes)) as pool:
        walks = list(pool.map(walk, nodes))
    for i, w in enumerate(walks):
        if isinstance(w, str):
            fail(f"node {i + 1}: {w}")
    in_chain = set()
    prev = None
    for k in range(target):
        first = walks[0][k]
        for i, w in enumerate(walks):
            if w[k] != first:
                fail(f"at height {k + 1} node {i + 1} holds block {w[k][0]}, node 1 {first[0]}")
        if first[2] != k + 1 or (prev is not None and first[1] != prev):
            fail(f"block {k + 1} ({first[0]}) does not link to the block below")
        prev = first[0]
        in_chain.update(first[3])
    ids = [line.strip() for line in open(ids_file) if line.strip()]
    missing = [i for i in ids if i not in in_chain]
    if missing:
        fail(f"{len(missing)} of the {len(ids)} transactions seen committed are in no block "
             f"up to height {target}, e.g. {missing[0]}")
    print(f"chain: {len(nodes)} nodes at height {target}, one chain from block 1 "
          f"(tip {prev[:16]}), {len(in_chain)} transactions in it; all {len(ids)} "
          f"transactions seen committed are in it", flush=True)


def samples(argv):
    """SAMPLES_TSV rows: unix time, node, pid, rss kB, fds, threads, data kB."""
    rows = [line.split("\t") for line in open(argv[0]) if line.strip()]
    kills = [line.split("\t") for line in open(argv[1]) if line.strip()]
    procs = {}
    for t, node, pid, rss, fds, threads, data in rows:
        procs.setdefault((int(node), int(pid)), []).append(
            (float(t), int(rss), int(fds), int(threads), int(data)))
    print(f"{len(kills)} kill(s) (SIGKILL) and restart(s); {len(procs)} validator processes "
          f"sampled {len(rows)} times")
    print("node  pid      life_s  rss_MB first/last/max   fds first/last/max  threads max  "
          "data_MB last")
    for (node, pid), s in sorted(procs.items(), key=lambda kv: kv[1][0][0]):
        life = s[-1][0] - s[0][0]
        rss = [x[1] / 1024 for x in s]
        fds = [x[2] for x in s]
        print(f"{node:<5} {pid:<8} {life:7.0f}  {rss[0]:6.0f} {rss[-1]:6.0f} {max(rss):6.0f}   "
              f"{fds[0]:5d} {fds[-1]:5d} {max(fds):5d}   {max(x[3] for x in s):6d}      "
              f"{s[-1][4] / 1024:8.0f}")
    longest = max(procs.values(), key=lambda s: s[-1][0] - s[0][0])
    print(f"longest-lived process: {longest[-1][0] - longest[0][0]:.0f} s, resident "
          f"{longest[0][1] / 1024:.0f} MB -> {longest[-1][1] / 1024:.0f} MB, descriptors "
          f"{longest[0][2]} -> {longest[-1][2]}")


{"chain": chain, "samples": samples}[sys.argv[1]](sys.argv[2:])
