#include "api/gateway.h"

namespace tradeledger::api {

const std::string& OpenApiDocument() {
  static const std::string kDocument = R"json({
  "openapi": "3.0.3",
  "info": {
    "title": "TradeLedger node API",
    "version": "1",
    "description": "A permissioned BFT ledger for customs trade documents. Clients submit signed transaction envelopes (doc/formats.md) and obtain proofs that verify offline with `tradeledger verify`. Every error is {\"error\": {\"code\": REASON_CODE, \"message\": text}}."
  },
  "paths": {
    "/v1/transactions": {
      "post": {
        "summary": "Submit a signed transaction",
        "parameters": [
          {"name": "wait", "in": "query", "schema": {"type": "string", "enum": ["commit"]},
           "description": "wait=commit holds the request until the transaction commits or the timeout passes"},
          {"name": "timeout_ms", "in": "query", "schema": {"type": "integer", "maximum": 120000}}
        ],
        "requestBody": {"required": true, "content": {
          "application/json": {"schema": {"$ref": "#/components/schemas/SubmitRequest"}},
          "application/octet-stream": {"schema": {"type": "string", "format": "binary"},
            "description": "the raw envelope bytes"}}},
        "responses": {
          "200": {"description": "committed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TxStatus"}}}},
          "202": {"description": "admitted, not yet committed", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TxStatus"}}}},
          "400": {"description": "malformed envelope (ENCODING_*, TX_*), BAD_SIGNATURE, WRONG_CHAIN, REQUEST_INVALID", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "413": {"description": "TX_TOO_LARGE or REQUEST_TOO_LARGE", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
          "503": {"description": "MEMPOOL_FULL, MEMPOOL_SIGNER_LIMIT, NODE_UNAVAILABLE: retry later", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        }
      }
    },
    "/v1/transactions/{id}": {
      "get": {
        "summary": "Status of a transaction",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"}}],
        "responses": {
          "200": {"description": "committed or pending", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TxStatus"}}}},
          "400": {"description": "TX_ID_INVALID"},
          "404": {"description": "TX_NOT_FOUND"}
        }
      }
    },
    "/v1/blocks/{height}": {
      "get": {
        "summary": "A committed block: header, transaction ids and commit certificate",
        "parameters": [{"name": "height", "in": "path", "required": true, "schema": {"type": "string"}, "description": "a height, or 'latest'"}],
        "responses": {"200": {"description": "the block", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Block"}}}},
                      "400": {"description": "HEIGHT_INVALID"}, "404": {"description": "BLOCK_NOT_FOUND"}}
      }
    },
    "/v1/proofs/inclusion/{id}": {
      "get": {
        "summary": "Inclusion proof bundle for a committed transaction",
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
        "responses": {"200": {"description": "bundle", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InclusionBundle"}}}},
                      "404": {"description": "TX_NOT_FOUND"}}
      }
    },
    "/v1/proofs/consistency": {
      "get": {
        "summary": "Consistency proof bundle between the logs at two heights",
        "parameters": [{"name": "from", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1}},
                       {"name": "to", "in": "query", "required": true, "schema": {"type": "integer", "minimum": 1}}],
        "responses": {"200": {"description": "bundle"}, "400": {"description": "HEIGHT_INVALID"}, "404": {"description": "BLOCK_NOT_FOUND"}}
      }
    },
    "/v1/events": {"get": {"summary": "Server-sent events: one 'block' event per committed block", "responses": {"200": {"description": "text/event-stream"}}}},
    "/health": {"get": {"summary": "Liveness and height", "responses": {"200": {"description": "ok"}, "503": {"description": "the node stopped after a storage failure"}}}},
    "/metrics": {"get": {"summary": "Prometheus metrics", "responses": {"200": {"description": "text/plain; version=0.0.4"}}}},
    "/v1/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OpenAPI 3"}}}}
  },
  "components": {
    "schemas": {
      "Error": {"type": "object", "required": ["error"], "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {"code": {"type": "string"}, "message": {"type": "string"}}}}},
      "SubmitRequest": {"type": "object", "required": ["transaction"], "properties": {"transaction": {"type": "string", "format": "byte", "description": "base64 of the envelope bytes"}}},
      "TxStatus": {"type": "object", "required": ["tx_id", "status"], "properties": {
        "tx_id": {"type": "string"}, "status": {"type": "string", "enum": ["pending", "committed"]},
        "height": {"type": "integer"}, "position": {"type": "integer"}, "leaf_index": {"type": "integer"},
        "result_code": {"type": "string", "description": "OK or the reason code the rules gave"}}},
      "Block": {"type": "object", "properties": {"hash": {"type": "string"}, "header": {"type": "object"}, "transactions": {"type": "array", "items": {"type": "string"}}, "certificate": {"type": "object"}, "encoded_header": {"type": "string"}, "encoded_certificate": {"type": "string"}}},
      "InclusionBundle": {"type": "object", "required": ["kind", "chain_id", "tx_id", "transaction", "header", "certificate", "inclusion"], "properties": {
        "kind": {"type": "string", "enum": ["tradeledger.proof.inclusion.v1"]}, "chain_id": {"type": "string"}, "tx_id": {"type": "string"},
        "transaction": {"type": "string", "format": "byte"}, "height": {"type": "integer"}, "position": {"type": "integer"},
        "result_code": {"type": "string", "description": "informational; not covered by the proof"},
        "header": {"type": "string", "format": "byte"}, "certificate": {"type": "string", "format": "byte"}, "inclusion": {"type": "string", "format": "byte"}}},
      "DocumentAnchor": {"type": "object", "description": "Body of a document.anchor transaction", "required": ["docId", "docType", "contentHash", "issuer"], "properties": {
        "docId": {"type": "string", "pattern": "^[A-Za-z0-9._:/-]{1,128}$"},
        "docType": {"type": "string", "enum": ["CERT_OF_ORIGIN", "LICENSE", "RECORDATION", "MILL_CERT", "INVOICE", "OTHER"]},
        "contentHash": {"type": "string", "pattern": "^[0-9a-fA-F]{64}$"},
        "issuer": {"type": "string", "maxLength": 256},
        "metadata": {"type": "object"}}}
    }
  }
}
)json";
  return kDocument;
}

}  // namespace tradeledger::api
