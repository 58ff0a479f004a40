# Sourced by run-browser-tests.sh and screenshots.sh: starts a four-validator network on a
# ledger clock and admits the cast with the CLI, as customs would.
#   TL    the tradeledger binary          D     the working directory (keys, network, proofs)
#   PORT  the first node's HTTP port      NODE  set here: http://127.0.0.1:$PORT
# Cast (org id: roles, key file in $D/keys):
#   MX-EXP   EXPORTER, PRODUCER (MX)   exporter.key
#   IMP-A    IMPORTER (US)             importer-a.key   IOR 12-3456789AB
#   IMP-B    IMPORTER (US)             importer-b.key   IOR 98-7654321CD
#   BRK      BROKER (US), filer BRK    broker.key       FILE_ENTRY + CLAIM_PREFERENCE from IMP-A
#   RH       RIGHTS_HOLDER (US)        rights.key
#   LIC      LICENSEE, IMPORTER (US)   licensee.key
#   customs  CBP_ADMIN, CBP_OFFICER    $D/net/customs/admin.key
# $D/proofs/delegation.json is the `tx submit` output of the delegation grant (a genuine
# inclusion proof for the Verify scenario).

IOR_A='12-3456789AB'
IOR_B='98-7654321CD'

# submit KEYFILE TYPE JSON [OUTFILE]: fails the script unless the result is OK.
submit() {
  local key="$1" type="$2" body="$3" out="${4:-$D/last.json}"
  printf '%s' "$body" > "$D/body.json"
  if ! "$TL" tx submit --key "$key" --node "$NODE" --type "$type" --payload "$D/body.json" > "$out"; then
    echo "seed: $type failed:" >&2
    cat "$out" >&2
    return 1
  fi
}

admit() { # admit ORG COUNTRY ROLES_JSON KEYFILE EXTRA_JSON_MEMBERS LEGAL_NAME
  local org="$1" country="$2" roles="$3" keyfile="$4" extra="${5:-}"
  local pub
  pub="$("$TL" keygen --out "$keyfile")"
  submit "$ADMIN" org.admit "{\"orgId\":\"$org\",\"legalName\":\"$6\",\"country\":\"$country\",\"roles\":$roles$extra,\"members\":[{\"publicKey\":\"$pub\",\"roles\":$roles,\"admin\":true}]}"
}

seed_network() {
  NODE="http://127.0.0.1:$PORT"
  ADMIN="$D/net/customs/admin.key"
  mkdir -p "$D/keys" "$D/proofs"
  "$TL" net init --validators 4 --dir "$D/net" --ledger-clock 2024-08-01T00:00:00Z \
    --base-port "$PORT" --p2p-base-port $((PORT + 100)) > "$D/net-init.log"
  # Each node serves this checkout's portal build, whatever tree the binary was built from.
  node -e '
    const fs = require("fs");
    for (const f of process.argv.slice(2)) {
      const c = JSON.parse(fs.readFileSync(f, "utf8"));
      c.http.portal_dir = process.env.PORTAL_DIST;
      fs.writeFileSync(f, JSON.stringify(c, null, 2));
    }' "$D"/net/node*/config.json
  "$TL" net up --dir "$D/net" > "$D/net-up.log"
  admit MX-EXP MX '["EXPORTER","PRODUCER"]' "$D/keys/exporter.key" '' 'Autopartes del Norte S.A. de C.V.'
  admit IMP-A US '["IMPORTER"]' "$D/keys/importer-a.key" ",\"iorNumber\":\"$IOR_A\"" 'Great Lakes Motors Inc.'
  admit IMP-B US '["IMPORTER"]' "$D/keys/importer-b.key" ",\"iorNumber\":\"$IOR_B\"" 'Bayside Imports LLC'
  admit BRK US '["BROKER"]' "$D/keys/broker.key" ',"filerCode":"BRK"' 'Border Brokerage Services'
  admit RH US '["RIGHTS_HOLDER"]' "$D/keys/rights.key" '' 'Northstar Brands Inc.'
  admit LIC US '["LICENSEE","IMPORTER"]' "$D/keys/licensee.key" ",\"iorNumber\":\"250512-00001\"" 'Licensed Apparel Co.'
  submit "$D/keys/importer-a.key" delegation.grant \
    '{"delegationId":"DEL-IMPA-BRK","agent":"BRK","scope":["FILE_ENTRY","CLAIM_PREFERENCE"],"validFrom":"2024-08-01","validTo":"2025-08-01"}' \
    "$D/proofs/delegation.json"
}

stop_network() {
  if [ -n "${D:-}" ] && [ -d "$D/net" ]; then "$TL" net down --dir "$D/net" > /dev/null 2>&1 || true; fi
}

# start_seeded_network TMP_PREFIX: the common start of the browser tests and the screenshots:
# a working directory $D (removed, with the network stopped, when the script exits), the
# portal built into dist/ for the nodes to serve, and the seeded network.
start_seeded_network() {
  export PORTAL_DIST="$PWD/dist"
  D="$(mktemp -d "/tmp/$1.XXXXXX")"
  trap 'stop_network; rm -rf "$D"' EXIT
  [ -x "$TL" ] || { echo "no tradeledger binary at $TL" >&2; exit 2; }
  [ -d node_modules ] || npm ci --no-audit --no-fund
  npm run --silent build
  seed_network
}
