-- The relational schema `tradeledger index` writes and `tradeledger assess` reads
-- (doc/assessment.md, ADR 0024). Every table lives in the schema `tradeledger`. Times are
-- milliseconds since the Unix epoch: *_ms columns named "ledger time" are the trade time the
-- ledger's rules used (on a ledger-clock network the clock the customs administrator
-- advances); block_time_ms is the proposer's clock; seen_ms and at_ms of node samples are the
-- indexer's clock. Hex strings are lower case. `record` columns hold the record exactly as the
-- node served it to the indexer's key: a reader's view, never more.
CREATE SCHEMA IF NOT EXISTS tradeledger;
SET search_path TO tradeledger;

-- One row: which chain, read by whom, through which node, and how far the indexer has come.
CREATE TABLE IF NOT EXISTS meta (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  schema_version integer NOT NULL,
  chain_id text NOT NULL,
  node_url text NOT NULL,
  reader_org text NOT NULL,
  reader_key text NOT NULL,
  height bigint NOT NULL DEFAULT 0,        -- the last block written (0: none)
  block_hash text NOT NULL DEFAULT '',     -- its hash: the next block's prev_hash must equal it
  audit_seq bigint NOT NULL DEFAULT 0,     -- the last read-audit event written
  records_height bigint NOT NULL DEFAULT 0,  -- the node's height when the records' walk began
  records_ms bigint NOT NULL DEFAULT 0,      -- the indexer's clock then
  records_ledger_ms bigint NOT NULL DEFAULT 0  -- the ledger's trade time then (GET /v1/me)
);

-- The trusted validator sets (the validators file the indexer was given).
CREATE TABLE IF NOT EXISTS validators (
  public_key text NOT NULL,
  name text NOT NULL,
  from_height bigint NOT NULL,             -- first height this set certifies
  PRIMARY KEY (public_key, from_height)
);

-- Every block, verified before it is written: certificate by a quorum of the set in force,
-- header hash, chain id, prev_hash linking to the previous row, tx_root over the ids.
CREATE TABLE IF NOT EXISTS blocks (
  height bigint PRIMARY KEY,
  hash text NOT NULL UNIQUE,
  prev_hash text NOT NULL,
  block_time_ms bigint NOT NULL,           -- the header's timestamp (proposer's clock)
  proposer text NOT NULL,
  view bigint NOT NULL,                    -- the certificate's consensus view
  tx_count integer NOT NULL,
  log_size bigint NOT NULL,
  state_height bigint NOT NULL,
  signatures integer NOT NULL,             -- signatures in the certificate
  quorum integer NOT NULL,                 -- signatures the set in force needs
  set_size integer NOT NULL,               -- validators in the set in force
  seen_ms bigint NOT NULL,                 -- the indexer's clock when it learnt of the block
  live boolean NOT NULL,                   -- learnt from the event stream as it committed
  commit_latency_ms bigint                 -- seen_ms - block_time_ms when live; else NULL
);

-- Which validators signed each block's certificate (a quorum signs; the rest may be up).
CREATE TABLE IF NOT EXISTS block_signers (
  height bigint NOT NULL REFERENCES blocks ON DELETE CASCADE,
  validator text NOT NULL,
  PRIMARY KEY (height, validator)
);

-- Every transaction of every block. access 'full': the indexer's key may read the body (it is
-- a party, or customs); 'id-only': only the id and position are known to it, the rest NULL.
CREATE TABLE IF NOT EXISTS transactions (
  tx_id text PRIMARY KEY,
  height bigint NOT NULL REFERENCES blocks ON DELETE CASCADE,
  position integer NOT NULL,
  leaf_index bigint NOT NULL,
  access text NOT NULL CHECK (access IN ('full', 'id-only')),
  type text,
  signer text,
  nonce numeric,
  result_code text,
  reasons text[],
  body jsonb
);
CREATE INDEX IF NOT EXISTS transactions_height ON transactions (height, position);

-- The records, as the node's list routes serve them to the indexer's key (GET /v1/<kind>),
-- replaced together each time the indexer reads them (meta.records_height says when).
CREATE TABLE IF NOT EXISTS organisations (
  org_id text PRIMARY KEY,
  legal_name text,
  country text,
  roles text[] NOT NULL DEFAULT '{}',
  status text,
  record jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS certifications (
  cert_id text PRIMARY KEY,
  agreement text,
  certifier_org text,
  certifier_role text,
  importer_org text,
  effective_state text,                    -- as of the node's ledger time at records_height
  signed_at_ms bigint,                     -- ledger time
  blanket_from_ms bigint,
  blanket_to_ms bigint,
  retain_until_ms bigint,
  record jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS entries (
  entry_number text PRIMARY KEY,
  importer text,
  filed_by text,
  entry_type text,
  port_code text,
  import_date_ms bigint,
  recorded_at_ms bigint,                   -- ledger time of filing
  height bigint,
  ior_number_hash text,                    -- the salted PBKDF2 hash, never the number
  record jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS entry_lines (
  entry_number text NOT NULL REFERENCES entries ON DELETE CASCADE,
  line_no integer NOT NULL,
  hts10 text,
  country_of_origin text,
  spi text,
  value_cents bigint,
  quantity numeric,
  uom text,
  mid text,
  cert_ref text,
  claim_id text,
  PRIMARY KEY (entry_number, line_no)
);

-- A preference claim. first_decision: the first of ACCEPTED, REJECTED, DENIED, AFFIRMED in its
-- history; auto_decided: that decision came at the submission's ledger time (the rules decided
-- at filing); decided_at_ms: ledger time of the last change if the state is final, else NULL.
CREATE TABLE IF NOT EXISTS claims (
  claim_id text PRIMARY KEY,
  entry_number text,
  line_no integer,
  agreement text,
  basis text,
  state text,
  filed_by text,
  importer text,
  certifier_org text,
  cert_ref text,
  submitted_at_ms bigint,
  first_decision text,
  first_decision_at_ms bigint,
  auto_decided boolean,
  final boolean NOT NULL,                  -- ACCEPTED, REJECTED, DENIED, AFFIRMED, VOLUNTARILY_CORRECTED
  decided_at_ms bigint,
  reason_codes text[] NOT NULL DEFAULT '{}',
  record jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS claim_events (
  claim_id text NOT NULL REFERENCES claims ON DELETE CASCADE,
  seq integer NOT NULL,                    -- position in the claim's history, from 0
  at_ms bigint NOT NULL,
  by_org text,
  state text NOT NULL,
  reason_codes text[] NOT NULL DEFAULT '{}',
  PRIMARY KEY (claim_id, seq)
);

CREATE TABLE IF NOT EXISTS cases (
  case_id text PRIMARY KEY,
  importer text,
  addressee text,
  method text,
  opened_by text,
  opened_at_ms bigint,                     -- ledger time of its first history entry
  due_at_ms bigint,
  intent_to_deny_at_ms bigint,
  closed_at_ms bigint,
  determination text,
  state text,
  effective_state text,
  claim_count integer NOT NULL DEFAULT 0,
  record jsonb NOT NULL
);

-- Each request for information of a case and its deadline. responded_at_ms: the first
-- response by the addressee at or after the request; met: answered by due_at_ms (NULL while
-- the deadline has not passed without an answer at records_height's ledger time).
CREATE TABLE IF NOT EXISTS case_requests (
  case_id text NOT NULL REFERENCES cases ON DELETE CASCADE,
  seq integer NOT NULL,
  addressee text,
  method text,
  requested_at_ms bigint,
  due_at_ms bigint,
  responded_at_ms bigint,
  met boolean,
  PRIMARY KEY (case_id, seq)
);

CREATE TABLE IF NOT EXISTS recordations (
  recordation_no text PRIMARY KEY,
  owner text,
  right_type text,
  mark text,
  state text,
  effective_state text,
  applied_at_ms bigint,
  approved_at_ms bigint,
  valid_until_ms bigint,
  record jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS licences (
  licence_id text PRIMARY KEY,
  licensor text,
  licensee text,
  parent_licence_id text,
  depth integer,
  right_type text,
  own_state text,
  effective_state text,
  valid_from_ms bigint,
  valid_to_ms bigint,
  quantity_used numeric,
  quantity_remaining numeric,
  record jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS assessments (
  assessment_id text PRIMARY KEY,
  entry_number text,
  line_no integer,
  result text,                             -- FACILITATE or FLAG
  reason_codes text[] NOT NULL DEFAULT '{}',
  assessed_at_ms bigint,
  importer text,
  filed_by text,
  record jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS documents (
  doc_id text PRIMARY KEY,
  doc_type text,
  anchored_by_org text,
  anchored_at_ms bigint,
  retain_until_ms bigint,
  purged_at_ms bigint,
  height bigint,
  record jsonb NOT NULL
);

CREATE TABLE IF NOT EXISTS delegations (
  delegation_id text PRIMARY KEY,
  principal text,
  agent text,
  state text,
  valid_from_ms bigint,
  valid_to_ms bigint,
  record jsonb NOT NULL
);

-- The followed node's read audit log (GET /v1/audit-events): node-local, in its order.
CREATE TABLE IF NOT EXISTS read_events (
  seq bigint PRIMARY KEY,
  at_ms bigint NOT NULL,                   -- the node's clock
  reader_org text NOT NULL,
  reader_key text NOT NULL,
  subject_type text NOT NULL,
  subject_id text NOT NULL,
  owner_org text NOT NULL,
  outcome text NOT NULL,
  detail text NOT NULL
);

-- What the indexer saw when it polled each validator's API (--watch): availability,
-- readiness (/health/ready: 'ready' or the reason, e.g. CATCHING_UP), height, view, and the
-- node's own counters from /metrics. up = false: no answer; the other columns are then NULL.
CREATE TABLE IF NOT EXISTS node_samples (
  node_url text NOT NULL,
  at_ms bigint NOT NULL,
  up boolean NOT NULL,
  ready text,
  height bigint,
  view bigint,
  peers integer,
  proofs_verified bigint,                  -- tradeledger_proofs_verified_total{result="ok"}
  proofs_rejected bigint,                  -- tradeledger_proofs_verified_total{result="invalid"}
  commit_latency_sum_s double precision,   -- tradeledger_commit_latency_seconds_sum
  commit_latency_count bigint,             -- tradeledger_commit_latency_seconds_count
  PRIMARY KEY (node_url, at_ms)
);
