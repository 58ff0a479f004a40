// The OpenAPI 3 document served at /v1/openapi.json.
//
// The document is kept as several JSON pieces, each a valid JSON object on its own, merged
// once at first use:
//   kBase            openapi, info, security schemes, reusable responses and the public routes
//   kReadPaths       the signed (authenticated) reads: queries.h, domain_routes.cc,
//                    attachments.h
//   kSchemas         record and bundle schemas shared by the routes
//   OpenApiTransactionSchemas()  (openapi_tx.cc) one TxBody_<type> schema per transaction type
//   OpenApiTransactionTypes()    (openapi_tx.cc) the x-transaction-types map
//   OpenApiListPaths(), OpenApiListSchemas()  (openapi_lists.cc) the list routes, delegations
//                    and POST /v1/proofs/verify
// openapi_test.cc checks that every served route and every registered transaction type is in
// the merged document.
#include <nlohmann/json.hpp>
#include <string_view>

#include "api/gateway.h"
#include "core/result.h"

namespace tradeledger::api {

// Defined in openapi_tx.cc.
std::string_view OpenApiTransactionSchemas();
std::string_view OpenApiTransactionTypes();
// Defined in openapi_lists.cc.
nlohmann::json OpenApiListPaths();
nlohmann::json OpenApiListSchemas();

namespace {

using nlohmann::json;

constexpr std::string_view kBase = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "TradeLedger node API",
    "version": "1",
    "description": "A permissioned BFT ledger for customs trade documents. Clients submit signed transaction envelopes (doc/formats.md) and obtain proofs that verify offline with `tradeledger verify`. Every error is {\"error\": {\"code\": REASON_CODE, \"message\": text}}. The body of each transaction type is described by components/schemas/TxBody_<type> (dots and dashes of the type name become underscores) and listed, with the roles that may sign it, in x-transaction-types. Reads of domain records are signed (securitySchemes SignedRead); what a reader sees is decided per record (DOMAIN rules 30-31) and every read of a record by a party other than its owner is written to the node's read audit log (ADR 0011). Rules and reason codes: doc/rules.md."
  },
  "tags": [
    {"name": "ledger", "description": "Submitting transactions, blocks and proofs (public)"},
    {"name": "reads", "description": "Signed, access-controlled reads of participants, documents and the read audit log"},
    {"name": "origin", "description": "Certifications of origin, entries, preference claims, verification cases (doc/rules-origin.md)"},
    {"name": "ipr", "description": "IPR recordations, licences and assessments (doc/rules-ipr.md)"},
    {"name": "files", "description": "Document files beside the ledger"},
    {"name": "node", "description": "Operations"}
  ],
  "paths": {
    "/v1/transactions": {
      "post": {
        "tags": ["ledger"],
        "summary": "Submit a signed transaction",
        "description": "The envelope's payload names a transaction type (x-transaction-types) and carries its JSON body (TxBody_<type>). Envelope checks happen here and refuse the request with a 4xx; the type's rules run at execution and their outcome is the result_code of the committed transaction (OK or a reason code, doc/rules.md). Re-submitting an identical envelope is a no-op that answers the existing entry.",
        "parameters": [
          {"name": "wait", "in": "query", "schema": {"type": "string", "enum": ["commit"]},
           "description": "wait=commit holds the request until the transaction commits or the timeout passes"},
          {"name": "timeout_ms", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 120000},
           "description": "how long wait=commit waits (default 30000, capped at 120000); not a whole number: REQUEST_INVALID"}
        ],
        "requestBody": {"required": true, "description": "JSON {transaction: base64 envelope}, or the raw envelope bytes as application/octet-stream", "content": {
          "application/json": {"schema": {"$ref": "#/components/schemas/SubmitRequest"}},
          "application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
        "responses": {
          "200": {"description": "committed (also for a re-submitted, already committed envelope)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TxStatus"}}}},
          "202": {"description": "admitted, not yet committed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TxStatus"}}}},
          "400": {"description": "REQUEST_INVALID, BASE64_INVALID, malformed envelope (ENCODING_*, TX_*), BAD_SIGNATURE, WRONG_CHAIN, IOR_CLEARTEXT (a field named like iorNumber holds a cleartext IOR number: the body must carry only its IorNumberHash; the value is not echoed)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "405": {"$ref": "#/components/responses/MethodNotAllowed"},
          "413": {"description": "TX_TOO_LARGE (envelope over 64 KiB) or REQUEST_TOO_LARGE", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "503": {"description": "MEMPOOL_FULL, MEMPOOL_SIGNER_LIMIT, NODE_UNAVAILABLE: retry later", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/v1/transactions/{id}": {
      "get": {
        "tags": ["ledger"],
        "summary": "Status of a transaction",
        "description": "Signed (ADR 0021). Any member sees status, height, position and leaf index (access 'id-only'); a party to the transaction (the signer's organisation, an organisation the body names as orgId, importer, licensee or agent) and customs also see type, signer, nonce, body, result_code and every failing reason (access 'full'); a full read by an organisation other than the signer's is written to the read audit log first. On a network without a customs authority the read is public and full.",
        "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Hex64"}}],
        "responses": {
          "200": {"description": "committed or pending", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TxStatus"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "500": {"$ref": "#/components/responses/StorageError"},
          "400": {"description": "TX_ID_INVALID", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "404": {"description": "TX_NOT_FOUND", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/v1/validators": {
      "get": {
        "tags": ["ledger"],
        "summary": "The validators file: chain id, genesis validator set and every later set with the first height it certifies (input of tradeledger verify)",
        "responses": {"200": {"description": "{chain_id, validators: [{name, public_key}], history: [{epoch, from_height, tx_id, validators: [{name, public_key, address}]}]}"}}
      }
    },
    "/v1/blocks/{height}": {
      "get": {
        "tags": ["ledger"],
        "summary": "A committed block: header, transaction ids and commit certificate",
        "description": "Unsigned: header, hash and certificate only (no transaction ids). Signed by a member: also the transaction ids. Never a transaction's body (ADR 0021).",
        "security": [{}, {"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
        "parameters": [{"name": "height", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^([0-9]+|latest)$"}, "description": "a height, or 'latest'"}],
        "responses": {"200": {"description": "the block", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Block"}}}},
                      "400": {"description": "HEIGHT_INVALID", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"description": "BLOCK_NOT_FOUND", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
      }
    },
    "/v1/proofs/inclusion/{id}": {
      "get": {
        "tags": ["ledger"],
        "summary": "Inclusion proof bundle for a committed transaction",
        "description": "Signed (ADR 0021). A party to the transaction and customs get tradeledger.proof.inclusion.v1 with the envelope (audited when the reader is not the signer's organisation); any other member gets tradeledger.proof.inclusion-id.v1, which proves the transaction id's place in the certified block without its body. Both verify offline with tradeledger verify and the validators file.",
        "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Hex64"}}],
        "responses": {"200": {"description": "bundle", "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/InclusionBundle"}, {"$ref": "#/components/schemas/InclusionIdBundle"}]}}}},
                      "400": {"description": "TX_ID_INVALID", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"},
                      "500": {"$ref": "#/components/responses/StorageError"},
                      "404": {"description": "TX_NOT_FOUND", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
      }
    },
    "/v1/proofs/consistency": {
      "get": {
        "tags": ["ledger"],
        "summary": "Consistency proof bundle between the logs at two heights",
        "description": "Signed by any member (ADR 0021); reveals headers and log roots only.",
        "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
        "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1}},
                       {"name": "to", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1}}],
        "responses": {"200": {"description": "bundle", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ConsistencyBundle"}}}},
                      "400": {"description": "HEIGHT_INVALID (need 1 <= from <= to)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
                      "401": {"$ref": "#/components/responses/Unauthorized"},
                      "403": {"$ref": "#/components/responses/Forbidden"},
                      "404": {"description": "BLOCK_NOT_FOUND", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}
      }
    },
    "/v1/events": {"get": {"tags": ["ledger"], "summary": "Server-sent events: one 'block' event per committed block", "security": [{}, {"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}], "responses": {"200": {"description": "text/event-stream; each event's data is {height, hash, tx_count} for an unsigned subscriber and {height, hash, tx_count, transactions[]} (transaction ids) for a member (ADR 0021)", "content": {"text/event-stream": {"schema": {"type": "string"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}}}},
    "/health": {"get": {"tags": ["node"], "summary": "Liveness and height", "responses": {"200": {"description": "ok: {status, chain_id, height, block_hash, state_root, log_size, view, validator, leader}", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}, "503": {"description": "the node stopped after a storage failure (status 'failed')", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}}}}},
    "/health/live": {"get": {"tags": ["node"], "summary": "Liveness: the process runs and its storage works", "responses": {"200": {"description": "{status: live}", "content": {"application/json": {"schema": {"type": "object", "required": ["status"], "properties": {"status": {"type": "string", "enum": ["live"]}}}}}}, "503": {"description": "{status: failed}: the node stopped after a storage failure; restart it", "content": {"application/json": {"schema": {"type": "object", "properties": {"status": {"type": "string", "enum": ["failed"]}}}}}}}}},
    "/health/ready": {"get": {"tags": ["node"], "summary": "Readiness: caught up with the network (within 5 blocks of the highest height it has seen) with links to a quorum", "responses": {"200": {"description": "ready", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}}, "503": {"description": "not_ready, with reason FAILED, NOT_A_VALIDATOR, NO_PEER_MESSAGE, TOO_FEW_PEERS or CATCHING_UP", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}}}}},
    "/metrics": {"get": {"tags": ["node"], "summary": "Prometheus metrics", "responses": {"200": {"description": "text/plain; version=0.0.4", "content": {"text/plain": {"schema": {"type": "string"}}}}}}},
    "/v1/openapi.json": {"get": {"tags": ["node"], "summary": "This document", "responses": {"200": {"description": "OpenAPI 3", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
  },
  "components": {
    "securitySchemes": {
      "SignedRead": {
        "type": "apiKey", "in": "header", "name": "X-TL-Signature",
        "description": "Signed read (api/read_auth.h, ADR 0011). The client sends three headers: X-TL-Key = its member Ed25519 public key (64 hex), X-TL-Time = its clock in ms since the Unix epoch (decimal), X-TL-Signature = hex Ed25519 signature over the message \"TRADELEDGER/READ/v2\" 0x00 || chain id (32 bytes) || time (u64, big-endian) || string(method) || string(decoded path) || u32 count of query parameters || for each decoded parameter, sorted by name (bytewise): string(name) || string(value), where string(x) = u32 big-endian length || UTF-8 bytes. Every part carries its length, so no two reads share a message. The node accepts a time within five minutes of its own clock and resolves the key to an organisation and roles at the ledger's latest block time. Reason codes: AUTH_REQUIRED (401, no X-TL-* header), AUTH_INVALID (401, malformed headers or the signature does not verify), AUTH_EXPIRED (401, time outside the window), AUTH_UNKNOWN_KEY (403, not an active key of an active organisation). The three headers are one scheme: SignedReadKey and SignedReadTime name the other two.",
        "x-tl-signing-context": "TRADELEDGER/READ/v2",
        "x-tl-window-ms": 300000
      },
      "SignedReadKey": {"type": "apiKey", "in": "header", "name": "X-TL-Key", "description": "the reader's member public key, 64 hex digits (part of SignedRead)"},
      "SignedReadTime": {"type": "apiKey", "in": "header", "name": "X-TL-Time", "description": "the reader's clock, ms since the Unix epoch, within five minutes of the node's (part of SignedRead)"}
    },
    "responses": {
      "Unauthorized": {"description": "AUTH_REQUIRED, AUTH_INVALID or AUTH_EXPIRED: the request is not (validly) signed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Forbidden": {"description": "AUTH_UNKNOWN_KEY (the key is not an active member of an active organisation) or NOT_AUTHORIZED (the reader may not see this record; the refusal is logged as a DENIED read audit event)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "NOT_FOUND: no such record", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "MethodNotAllowed": {"description": "METHOD_NOT_ALLOWED", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "StorageError": {"description": "STORAGE_* or INTERNAL; also when a read cannot be written to the audit log (no unaudited reads)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    }
  }
})json";

constexpr std::string_view kReadPaths = R"json({
  "/v1/me": {
    "get": {
      "tags": ["reads"],
      "summary": "The signing reader's organisation and roles",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "responses": {
        "200": {"description": "the reader", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Me"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "405": {"$ref": "#/components/responses/MethodNotAllowed"}
      }
    }
  },
  "/v1/organisations/{orgId}": {
    "get": {
      "tags": ["reads"],
      "summary": "Directory entry of an organisation (any member; the IOR number hash is never shown)",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "orgId", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/OrgId"}}],
      "responses": {
        "200": {"description": "the organisation", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrganisationView"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/documents/{docId}": {
    "get": {
      "tags": ["reads"],
      "summary": "A document anchor (document.anchor, or doc/<certId> of a certification)",
      "description": "Customs and the anchoring organisation get the full record, with retainUntil (the retention date of rule 32, computed); any other member gets {docId, docType, contentHash, anchoredAt, height, access: 'metadata'}. A read by a non-owner is logged (FULL or METADATA). docId may contain '/'.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "docId", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]{1,128}$"}}],
      "responses": {
        "200": {"description": "full record or anchor metadata", "content": {"application/json": {"schema": {"oneOf": [{"$ref": "#/components/schemas/DocumentRecord"}, {"$ref": "#/components/schemas/DocumentMetadata"}]}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/certifications/{certId}": {
    "get": {
      "tags": ["origin"],
      "summary": "A certification of origin as the reader may see it (rules 30-31)",
      "description": "Customs, the certifier organisation and the importer organisation it names: the full record (view 'full'); producerOnRequest only for customs and the certifier. Anyone else: {view: 'metadata', certId, docType, contentHash, state, agreement, anchoredAt}. Every answer has effectiveState (EXPIRED is derived).",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "certId", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/CertId"}}],
      "responses": {
        "200": {"description": "the certification view", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CertificationView"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/certifications/{certId}/claims": {
    "get": {
      "tags": ["origin"],
      "summary": "The preference claims citing a certification, each as the reader may see it",
      "description": "Customs, the importer and its delegated broker see full claims; the certifier sees claim status only (no entry values). NOT_AUTHORIZED (403) when claims exist but none is visible to a reader that is neither customs nor the certifier.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "certId", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/CertId"}}],
      "responses": {
        "200": {"description": "the claims", "content": {"application/json": {"schema": {"type": "object", "required": ["certId", "claims"], "properties": {"certId": {"type": "string"}, "claims": {"type": "array", "items": {"$ref": "#/components/schemas/ClaimView"}}}}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/entries/{entryNumber}": {
    "get": {
      "tags": ["origin"],
      "summary": "An entry summary with its lines and claims",
      "description": "Customs, the importer and a broker with an ACTIVE FILE_ENTRY or CLAIM_PREFERENCE delegation: the full entry (view 'full', with lines, values and claims). A certifier whose certification a claim cites: {view: 'claim-status', entryNumber, claims[]} without values. Anyone else: NOT_AUTHORIZED. A malformed entry number (or bad check digit) is NOT_FOUND.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "entryNumber", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/EntryNumber"}}],
      "responses": {
        "200": {"description": "the entry view", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/EntryView"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/claims/{claimId}": {
    "get": {
      "tags": ["origin"],
      "summary": "A preference claim",
      "description": "Same access as the entry: full for customs, the importer and its delegated broker; {view: 'claim-status', claimId, lineNo, agreement, certRef, state, reasonCodes} for the certifier whose certification it cites; NOT_AUTHORIZED otherwise.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "claimId", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/ClaimId"}, "description": "<entryNumber>#<lineNo> with '#' percent-encoded as %23"}],
      "responses": {
        "200": {"description": "the claim view", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ClaimView"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/cases/{caseId}": {
    "get": {
      "tags": ["origin"],
      "summary": "A verification case (customs, the importer and the addressees of its requests)",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "caseId", "in": "path", "required": true, "schema": {"type": "string", "minLength": 1, "maxLength": 128}}],
      "responses": {
        "200": {"description": "the case, with effectiveState (OVERDUE is derived)", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CaseView"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/recordations/{recordationNo}": {
    "get": {
      "tags": ["ipr"],
      "summary": "An IPR recordation",
      "description": "Customs and the owner: the full record; anyone else: {recordationNo, rightType, state}.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "recordationNo", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/RecordationNo"}, "description": "e.g. 'TMK 24-00123', the space percent-encoded as %20"}],
      "responses": {
        "200": {"description": "the recordation view", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/RecordationView"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/recordations/{recordationNo}/licences": {
    "get": {
      "tags": ["ipr"],
      "summary": "The licence tree rooted in a recordation",
      "description": "Customs and the recordation's owner see the whole tree; another reader sees the licences it is party to (with descendants) in full, their ancestors as {licenseId, effectiveState}, and nothing else.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "recordationNo", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/RecordationNo"}}],
      "responses": {
        "200": {"description": "{recordationNo, licenses: [{licenseId, licensor, licensee, permissions, ownState, effectiveState, children[]}]}", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LicenceTree"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/licences/{licenseId}": {
    "get": {
      "tags": ["ipr"],
      "summary": "A licence or sublicence",
      "description": "Customs and the licensor or licensee of the licence or of any ancestor: the full record with ownState, effectiveState, quantityUsed and quantityRemaining; anyone else: {licenseId, rightType, recordationRefs, state}.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "licenseId", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/IprId"}}],
      "responses": {
        "200": {"description": "the licence view", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LicenceView"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/assessments/{assessmentId}": {
    "get": {
      "tags": ["ipr"],
      "summary": "The IPR assessment of an entry line (advisory to customs)",
      "description": "Customs, the importer, the filer and a broker with the importer's ACTIVE PRESENT_LICENSE delegation: everything. A licensor of a link of the assessed chain, for FACILITATE/FLAG results only: {result, reasonCodes, licenseChain, assessedAt}. Anyone else: NOT_AUTHORIZED.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "assessmentId", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[A-Z0-9]{3}-?[0-9]{7}-?[0-9]#[0-9]{1,4}$"}, "description": "<entryNumber>#<lineNo>, '#' percent-encoded as %23"}],
      "responses": {
        "200": {"description": "the assessment view", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AssessmentView"}}}},
        "400": {"description": "REQUEST_INVALID: not <entry>%23<line>", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"$ref": "#/components/responses/NotFound"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/audit-events": {
    "get": {
      "tags": ["reads"],
      "summary": "The node's read audit log: reads of the reader's records (customs: all)",
      "description": "Non-customs readers see only events whose owner is their organisation; customs may filter by owner.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [
        {"name": "subject", "in": "query", "schema": {"type": "string"}, "description": "only events about this subject id"},
        {"name": "owner", "in": "query", "schema": {"type": "string"}, "description": "customs only: events about records of this organisation (ignored for other readers)"},
        {"name": "after", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}, "description": "events with seq above this"},
        {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 1000, "default": 100}}
      ],
      "responses": {
        "200": {"description": "events in order", "content": {"application/json": {"schema": {"type": "object", "required": ["events"], "properties": {"events": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEvent"}}}}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/state/proof": {
    "get": {
      "tags": ["reads"],
      "summary": "State proof bundle of one state key (verify offline with tradeledger verify)",
      "description": "Customs may prove any key; any member the directory and configuration (org/, key/, config/); the owner of a document its doc/ record; cert/ and entry/ records to readers whose view shows every field of the stored record, because the proof carries the record itself (the importer named on a certification whose producer is AVAILABLE_UPON_REQUEST does not see producerOnRequest, so gets no proof of it). Other refusals: NOT_AUTHORIZED (logged). A proof obtained by a non-customs reader is logged as a PROOF audit event.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "key", "in": "query", "required": true, "schema": {"type": "string", "minLength": 1}, "description": "the state key, e.g. entry/ABC-1234567-8 (doc/formats.md, doc/rules-origin.md, doc/rules-ipr.md)"}],
      "responses": {
        "200": {"description": "bundle", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StateBundle"}}}},
        "400": {"description": "KEY_REQUIRED", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"description": "NOT_FOUND: no certified state yet", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/attachments": {
    "post": {
      "tags": ["files"],
      "summary": "Upload a document file (raw body), content-addressed by its SHA-256",
      "description": "The signed query names the file's SHA-256, binding the body to the signature. A body that hashes otherwise, or (with docId) a file whose hash differs from document docId's anchor, is refused with DOCUMENT_HASH_MISMATCH (rule 21), recorded in the read audit log with its presenter, and not stored.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [
        {"name": "sha256", "in": "query", "required": true, "schema": {"$ref": "#/components/schemas/Hex64"}},
        {"name": "docId", "in": "query", "schema": {"type": "string"}, "description": "an anchored document the file must match"}
      ],
      "requestBody": {"required": true, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
      "responses": {
        "201": {"description": "stored", "content": {"application/json": {"schema": {"type": "object", "required": ["sha256", "size"], "properties": {"sha256": {"$ref": "#/components/schemas/Hex64"}, "size": {"type": "integer"}}}}}},
        "400": {"description": "CONTENT_HASH_INVALID: sha256 is not 64 hex digits", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"description": "DOCUMENT_NOT_FOUND: no document docId", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "405": {"$ref": "#/components/responses/MethodNotAllowed"},
        "409": {"description": "DOCUMENT_HASH_MISMATCH", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "410": {"description": "DOCUMENT_PURGED: every document with this content was purged (document.purge, rule 32); the file is not stored again", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "413": {"description": "REQUEST_TOO_LARGE: body over the node's HTTP limit", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  },
  "/v1/attachments/{sha256}": {
    "get": {
      "tags": ["files"],
      "summary": "Download a document file",
      "description": "Customs, or an organisation that anchored a document with this content hash. Others: NOT_AUTHORIZED. Downloads by non-owners are logged.",
      "security": [{"SignedRead": [], "SignedReadKey": [], "SignedReadTime": []}],
      "parameters": [{"name": "sha256", "in": "path", "required": true, "schema": {"$ref": "#/components/schemas/Hex64"}}],
      "responses": {
        "200": {"description": "the file", "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
        "400": {"description": "CONTENT_HASH_INVALID", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "401": {"$ref": "#/components/responses/Unauthorized"},
        "403": {"$ref": "#/components/responses/Forbidden"},
        "404": {"description": "NOT_FOUND: no such file on this node", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "405": {"$ref": "#/components/responses/MethodNotAllowed"},
        "410": {"description": "DOCUMENT_PURGED: the file was removed after its retention date (document.purge, rule 32); the anchor and its proofs remain", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "500": {"$ref": "#/components/responses/StorageError"}
      }
    }
  }
})json";

constexpr std::string_view kSchemas = R"json({
  "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string", "description": "reason code (doc/rules.md)"}, "message": {"type": "string"}}}}},
  "Hex64": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$", "description": "32 bytes as 64 hex digits (SHA-256, Ed25519 public key, tx id)"},
  "SubmitRequest": {"type": "object", "required": ["transaction"], "properties": {"transaction": {"type": "string", "format": "byte", "description": "base64 of the envelope bytes (doc/formats.md); the payload inside names the type and carries the JSON body (TxBody_<type>)"}}},
  "TxStatus": {"type": "object", "required": ["tx_id", "status"], "properties": {
    "tx_id": {"type": "string"}, "status": {"type": "string", "enum": ["pending", "committed"]},
    "height": {"type": "integer"}, "position": {"type": "integer"}, "leaf_index": {"type": "integer"},
    "access": {"type": "string", "enum": ["id-only", "full"], "description": "id-only: the reader is not a party to the transaction (ADR 0021)"},
    "type": {"type": "string"}, "signer": {"$ref": "#/components/schemas/Hex64"}, "nonce": {"type": "integer"},
    "body": {"type": "object", "description": "the transaction's JSON body (full access only)"},
    "result_code": {"type": "string", "description": "OK or the first reason code the rules gave (full access, and to whoever posted the envelope)"},
    "reasons": {"type": "array", "items": {"type": "string"}, "description": "every failing reason code in rule order, the first being result_code; empty when OK"}}},
  "Block": {"type": "object", "properties": {"hash": {"type": "string"}, "header": {"type": "object"}, "transactions": {"type": "array", "items": {"type": "string"}}, "certificate": {"type": "object"}, "encoded_header": {"type": "string"}, "encoded_certificate": {"type": "string"}}},
  "Health": {"type": "object", "properties": {"status": {"type": "string", "enum": ["ok", "failed"]}, "chain_id": {"type": "string"}, "height": {"type": "integer"}, "block_hash": {"type": "string", "description": "header hash of the tip"}, "state_root": {"type": "string", "description": "state root after executing the tip"}, "log_size": {"type": "integer"}, "view": {"type": "integer", "description": "the consensus view this validator is in"}, "validator": {"type": "string", "description": "this node's validator key"}, "leader": {"type": "string", "description": "the key of the leader of that view"}}},
  "Readiness": {"type": "object", "required": ["status", "height", "seen_height", "connected_peers", "validators"], "properties": {"status": {"type": "string", "enum": ["ready", "not_ready"]}, "reason": {"type": "string", "enum": ["FAILED", "NOT_A_VALIDATOR", "NO_PEER_MESSAGE", "TOO_FEW_PEERS", "CATCHING_UP"], "description": "why not ready; absent when ready"}, "height": {"type": "integer", "description": "this node's committed height"}, "seen_height": {"type": "integer", "description": "the highest height this node has seen from the network"}, "connected_peers": {"type": "integer"}, "validators": {"type": "integer"}}},
  "InclusionBundle": {"type": "object", "required": ["kind", "chain_id", "tx_id", "transaction", "header", "certificate", "inclusion"], "properties": {
    "kind": {"type": "string", "enum": ["tradeledger.proof.inclusion.v1"]}, "chain_id": {"type": "string"}, "tx_id": {"type": "string"},
    "transaction": {"type": "string", "format": "byte"}, "height": {"type": "integer"}, "position": {"type": "integer"},
    "result_code": {"type": "string", "description": "informational; not covered by the proof"},
    "header": {"type": "string", "format": "byte"}, "certificate": {"type": "string", "format": "byte"}, "inclusion": {"type": "string", "format": "byte"}}},
  "InclusionIdBundle": {"type": "object", "required": ["kind", "chain_id", "tx_id", "header", "certificate", "inclusion"], "description": "proves a transaction id is in a certified block without its body; a bundle of this kind with a transaction field is malformed (doc/formats.md)", "properties": {
    "kind": {"type": "string", "enum": ["tradeledger.proof.inclusion-id.v1"]}, "chain_id": {"type": "string"}, "tx_id": {"type": "string"},
    "height": {"type": "integer"}, "position": {"type": "integer"},
    "header": {"type": "string", "format": "byte"}, "certificate": {"type": "string", "format": "byte"}, "inclusion": {"type": "string", "format": "byte"}}},
  "ConsistencyBundle": {"type": "object", "required": ["kind", "chain_id", "from", "to", "consistency"], "properties": {
    "kind": {"type": "string", "enum": ["tradeledger.proof.consistency.v1"]}, "chain_id": {"type": "string"},
    "from": {"type": "object", "description": "certified header at the lower height"}, "to": {"type": "object", "description": "certified header at the upper height"},
    "consistency": {"type": "string", "format": "byte"}}},
  "StateBundle": {"type": "object", "required": ["kind", "chain_id", "key", "state_height", "value", "proof"], "properties": {
    "kind": {"type": "string", "enum": ["tradeledger.proof.state.v1"]}, "chain_id": {"type": "string"},
    "key": {"type": "string", "format": "byte"}, "state_height": {"type": "integer", "description": "the state after this block, committed by the certified header"},
    "value": {"type": "string", "format": "byte", "nullable": true, "description": "base64 of the value; null proves absence"},
    "proof": {"type": "string", "format": "byte"}, "header": {"type": "string", "format": "byte"}, "certificate": {"type": "string", "format": "byte"}}},
  "Me": {"type": "object", "required": ["orgId", "legalName", "roles", "admin", "customs"], "properties": {
    "orgId": {"type": "string"}, "legalName": {"type": "string"}, "roles": {"type": "array", "items": {"$ref": "#/components/schemas/Role"}},
    "admin": {"type": "boolean", "description": "the key may add, rotate and revoke its organisation's keys"}, "customs": {"type": "boolean", "description": "the organisation is the customs authority"},
    "iorSalt": {"type": "string", "description": "the network's IOR salt (hex) from the genesis, input of the IOR number hash a submitter computes (IorNumberHash)"},
    "ledgerTime": {"type": "integer", "description": "the ledger's time (ms since the epoch) as the next block would execute at it: the ledger clock on a ledger-clock network, else the latest block's time; what views and deadlines count from"}}},
  "OrganisationView": {"type": "object", "required": ["orgId", "legalName", "country", "roles", "status"], "properties": {
    "orgId": {"type": "string"}, "legalName": {"type": "string"}, "country": {"type": "string"},
    "roles": {"type": "array", "items": {"$ref": "#/components/schemas/Role"}},
    "status": {"type": "string", "enum": ["ACTIVE", "SUSPENDED", "REVOKED"]},
    "filerCode": {"type": "string"}, "mids": {"type": "array", "items": {"type": "string"}}}},
  "DocumentRecord": {"type": "object", "description": "stored anchor: the document.anchor body plus version, anchoredAt (ms), anchoredBy (key hex), anchoredByOrg, txId, height, supersedes?", "properties": {
    "version": {"type": "integer"}, "docId": {"type": "string"}, "docType": {"type": "string"}, "contentHash": {"type": "string"}, "issuer": {"type": "string"},
    "metadata": {"type": "object"}, "anchoredAt": {"type": "integer"}, "anchoredBy": {"type": "string"}, "anchoredByOrg": {"type": "string"},
    "txId": {"type": "string"}, "height": {"type": "integer"}, "supersedes": {"type": "string"}}},
  "DocumentMetadata": {"type": "object", "required": ["docId", "docType", "contentHash", "access"], "properties": {
    "docId": {"type": "string"}, "docType": {"type": "string"}, "contentHash": {"type": "string"}, "anchoredAt": {"type": "integer"}, "height": {"type": "integer"},
    "access": {"type": "string", "enum": ["metadata"]}}},
  "CertificationView": {"type": "object", "description": "view 'full': the stored certification (doc/rules-origin.md 'State keys', dates as ms) + effectiveState; view 'metadata': certId, docType, contentHash, state, agreement, anchoredAt, effectiveState", "required": ["view"], "properties": {
    "view": {"type": "string", "enum": ["full", "metadata"]}, "certId": {"type": "string"}, "agreement": {"$ref": "#/components/schemas/Agreement"},
    "state": {"type": "string", "enum": ["ISSUED", "SUPERSEDED", "WITHDRAWN"]}, "effectiveState": {"type": "string", "enum": ["ISSUED", "SUPERSEDED", "WITHDRAWN", "EXPIRED"]},
    "contentHash": {"type": "string"}, "anchoredAt": {"type": "integer"}}, "additionalProperties": true},
  "EntryView": {"type": "object", "description": "view 'full': the stored entry (doc/rules-origin.md) + claims[] (full claims); view 'claim-status': entryNumber + the claims citing the reader's certifications, without values", "required": ["view"], "properties": {
    "view": {"type": "string", "enum": ["full", "claim-status"]}, "entryNumber": {"type": "string"},
    "claims": {"type": "array", "items": {"$ref": "#/components/schemas/ClaimView"}}}, "additionalProperties": true},
  "ClaimView": {"type": "object", "description": "full claim record (doc/rules-origin.md), or claim status {claimId, lineNo, agreement, certRef, state, reasonCodes}", "properties": {
    "view": {"type": "string", "enum": ["full", "claim-status"]}, "claimId": {"type": "string"}, "lineNo": {"type": "integer"},
    "agreement": {"$ref": "#/components/schemas/Agreement"}, "certRef": {"type": "string", "nullable": true},
    "state": {"type": "string", "enum": ["SUBMITTED", "ACCEPTED", "REJECTED", "UNDER_VERIFICATION", "CORRECTION_REQUESTED", "AFFIRMED", "DENIED", "VOLUNTARILY_CORRECTED"]},
    "reasonCodes": {"type": "array", "items": {"type": "string"}, "description": "every failing rule, in DOMAIN §7.3 order; the first is the primary reason"}}, "additionalProperties": true},
  "CaseView": {"type": "object", "description": "the stored case (doc/rules-origin.md) with view 'full' and effectiveState", "properties": {
    "view": {"type": "string", "enum": ["full"]}, "caseId": {"type": "string"},
    "state": {"type": "string", "enum": ["AWAITING_RESPONSE", "RESPONDED", "INTENT_TO_DENY", "CLOSED"]},
    "effectiveState": {"type": "string", "enum": ["AWAITING_RESPONSE", "RESPONDED", "OVERDUE", "INTENT_TO_DENY", "CLOSED"]},
    "determination": {"type": "string", "enum": ["AFFIRMED", "DENIED"]}}, "additionalProperties": true},
  "RecordationView": {"type": "object", "description": "full record (doc/rules-ipr.md) or {recordationNo, rightType, state}", "required": ["recordationNo", "rightType", "state"], "properties": {
    "recordationNo": {"type": "string"}, "rightType": {"$ref": "#/components/schemas/RightType"},
    "state": {"type": "string", "enum": ["APPLIED", "ACTIVE", "REJECTED", "CANCELLED", "EXPIRED"]}}, "additionalProperties": true},
  "LicenceView": {"type": "object", "description": "full record (doc/rules-ipr.md) with ownState, effectiveState, quantityUsed, quantityRemaining; or {licenseId, rightType, recordationRefs, state}", "required": ["licenseId"], "properties": {
    "licenseId": {"type": "string"}, "rightType": {"$ref": "#/components/schemas/RightType"},
    "recordationRefs": {"type": "array", "items": {"type": "string"}},
    "ownState": {"$ref": "#/components/schemas/LicenceState"}, "effectiveState": {"$ref": "#/components/schemas/LicenceState"},
    "state": {"$ref": "#/components/schemas/LicenceState"},
    "quantityUsed": {"type": "integer"}, "quantityRemaining": {"type": "integer", "nullable": true}}, "additionalProperties": true},
  "LicenceState": {"type": "string", "enum": ["ISSUED", "ACTIVE", "SUSPENDED", "REVOKED", "EXPIRED"]},
  "LicenceTree": {"type": "object", "required": ["recordationNo", "licenses"], "properties": {
    "recordationNo": {"type": "string"}, "licenses": {"type": "array", "items": {"type": "object", "properties": {
      "licenseId": {"type": "string"}, "licensor": {"type": "string"}, "licensee": {"type": "string"},
      "permissions": {"type": "array", "items": {"type": "string"}}, "ownState": {"$ref": "#/components/schemas/LicenceState"},
      "effectiveState": {"$ref": "#/components/schemas/LicenceState"}, "children": {"type": "array", "items": {"type": "object"}}}}}}},
  "AssessmentView": {"type": "object", "description": "the stored IprAssessment (doc/rules-ipr.md), or for a licensor {result, reasonCodes, licenseChain, assessedAt}", "required": ["result"], "properties": {
    "result": {"type": "string", "enum": ["FACILITATE", "FLAG", "NO_CREDENTIAL"]},
    "reasonCodes": {"type": "array", "items": {"type": "string", "enum": ["NO_CREDENTIAL", "RECORDATION_NOT_ACTIVE", "LICENSE_REVOKED", "LICENSE_EXPIRED", "LICENSE_SUSPENDED", "LICENSE_NOT_YET_VALID", "PRODUCT_NOT_COVERED", "MID_NOT_AUTHORIZED", "COUNTRY_NOT_AUTHORIZED", "IMPORTER_NOT_AUTHORIZED", "QUANTITY_LIMIT_EXCEEDED"]}},
    "licenseChain": {"type": "array", "items": {"type": "string"}, "description": "leaf first"}, "assessedAt": {"type": "integer"}}, "additionalProperties": true},
  "AuditEvent": {"type": "object", "required": ["seq", "at", "readerOrg", "readerKey", "subjectType", "subjectId", "ownerOrg", "outcome"], "properties": {
    "seq": {"type": "integer"}, "at": {"type": "integer", "description": "the node's clock, ms"},
    "readerOrg": {"type": "string"}, "readerKey": {"type": "string"},
    "subjectType": {"type": "string", "description": "document, certification, certification-claims, entry, claim, case, recordation, licence-chain, licence, assessment, attachment, state, record"},
    "subjectId": {"type": "string"}, "ownerOrg": {"type": "string"},
    "outcome": {"type": "string", "description": "FULL, METADATA, DENIED, PROOF, or a reason code (DOCUMENT_HASH_MISMATCH)"}, "detail": {"type": "string"}}}
})json";

json Parse(std::string_view text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  TL_CHECK(j.is_object());  // the pieces are constants: a typo must fail the first test run
  return j;
}

}  // namespace

const std::string& OpenApiDocument() {
  static const std::string kDocument = [] {
    json doc = Parse(kBase);
    json reads = Parse(kReadPaths);
    doc["paths"].update(reads);
    doc["paths"].update(OpenApiListPaths());
    json shared = Parse(kSchemas);
    json bodies = Parse(OpenApiTransactionSchemas());
    json& schemas = doc["components"]["schemas"];
    schemas.update(shared);
    schemas.update(bodies);
    schemas.update(OpenApiListSchemas());
    doc["x-transaction-types"] = Parse(OpenApiTransactionTypes());
    return doc.dump(2);
  }();
  return kDocument;
}

}  // namespace tradeledger::api
