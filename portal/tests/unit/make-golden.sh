#!/usr/bin/env bash
# Makes tests/unit/golden/tx-vector.json with the C++ CLI: a document.anchor transaction with
# a fixed nonce, signed by a fresh key and committed on a one-validator bare network. The TS
# encoder must reproduce the envelope byte for byte (Ed25519 signatures are deterministic).
# Usage: tests/unit/make-golden.sh [path/to/tradeledger]
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN="$(realpath "${1:-../build/release/src/cli/tradeledger}")"
D="$(mktemp -d)"
trap '"$BIN" net down --dir "$D/net" >/dev/null 2>&1 || true; rm -rf "$D"' EXIT
"$BIN" net init --validators 1 --bare --dir "$D/net" --base-port 7981 >/dev/null
"$BIN" net up --dir "$D/net" >/dev/null
"$BIN" keygen --out "$D/k.key" >/dev/null
# Non-ASCII text and a nested object: the body is signed exactly as written.
printf '%s' '{"docId":"GOLDEN-1","docType":"INVOICE","contentHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","issuer":"Exportadora Año Nuevo S.A. — Querétaro","metadata":{"n":1}}' > "$D/body.json"
"$BIN" tx submit --key "$D/k.key" --node http://127.0.0.1:7981 --type document.anchor \
  --payload "$D/body.json" --nonce 1733400000000001 > "$D/out.json"
node -e '
  const fs = require("fs");
  const [out, key, body] = process.argv.slice(1).map((f) => fs.readFileSync(f, "utf8"));
  const o = JSON.parse(out);
  const lines = key.trim().split("\n");
  const vector = {
    made_by: "tests/unit/make-golden.sh (tradeledger tx submit)",
    key_file: key,
    seed: lines[1].split(" ")[1],
    public_key: lines[2].split(" ")[1],
    chain_id: o.proof.chain_id,
    type: "document.anchor",
    nonce: "1733400000000001",
    body,
    envelope_base64: o.proof.transaction,
    tx_id: o.tx_id,
  };
  fs.writeFileSync("tests/unit/golden/tx-vector.json", JSON.stringify(vector, null, 2) + "\n");
' "$D/out.json" "$D/k.key" "$D/body.json"
echo "wrote tests/unit/golden/tx-vector.json"
