// The node's REST/JSON API: routes HTTP requests to the node and the ledger store.
//
//   POST /v1/transactions                 submit a signed envelope (JSON {"transaction": base64}
//                                         or application/octet-stream); ?wait=commit waits
//   GET  /v1/transactions/{id}            status, position; body and result codes if entitled
//   GET  /v1/blocks/{height|latest}       header, commit certificate; transaction ids if signed
//   GET  /v1/proofs/inclusion/{id}        inclusion bundle, or inclusion-id bundle (no body)
//   GET  /v1/proofs/consistency?from&to   consistency proof bundle between two heights
//   GET  /v1/events                       server-sent events, one per committed block
//   POST /v1/proofs/verify                checks a proof bundle against this chain's validator
//                                         history (as `tradeledger verify`); unsigned
//   GET  /health, /metrics, /v1/validators, /v1/openapi.json
//   GET  /, /assets/...                   the web portal (api/portal.h), when one is loaded
// Who reads what of the ledger itself: api/ledger_reads.h (ADR 0021). Submitting answers the
// transaction's outcome (result_code, reasons) to whoever holds its envelope.
//
// Every error is JSON {"error": {"code": REASON_CODE, "message": ...}} with a 4xx/5xx status;
// a handler never throws and never changes state on a rejected request.
//
// Thread safety: Handle() is called concurrently by the HTTP server's threads.
#pragma once

#include <memory>
#include <mutex>
#include <vector>

#include "api/http/http_types.h"
#include "api/ledger_reads.h"
#include "node/chain.h"
#include "node/ledger_store.h"
#include "node/metrics.h"
#include "node/node.h"

namespace tradeledger::api {

class Attachments;
class Portal;

class Gateway {
 public:
  // Borrows everything; all must outlive the Gateway.
  // `queries` serves the authenticated, access-controlled reads; `attachments` may be null.
  Gateway(node::Node& node, node::Chain& chain, const node::LedgerStore& store,
          node::Metrics& metrics, Queries& queries, Attachments* attachments = nullptr);

  void Handle(http::Request request, http::Responder respond);

  // GET /metrics: the Prometheus text of the node's metrics.
  http::Response Metrics() const;
  // With metrics on their own port (config "metrics"), the API port stops serving /metrics
  // (404 ROUTE_NOT_FOUND). Set before the server starts.
  void SetMetricsOnApi(bool on) { metrics_on_api_ = on; }
  // Serves `portal` (borrowed; null: none, and "/" answers 404 PORTAL_NOT_INSTALLED). Set
  // before the server starts.
  void SetPortal(const Portal* portal) { portal_ = portal; }

  // Sends a "block" event to every open /v1/events stream. Called after each commit.
  void PublishBlock(const ledger::StoredBlock& block);

 private:
  void Submit(const http::Request& request, http::Responder respond);
  http::Response Health();
  // Liveness: 200 while the node runs, 503 after a storage failure (a restart is needed).
  http::Response Live();
  // Readiness (node::Node::readiness): 200 when caught up with the network, else 503 with
  // the reason code; load balancers and `net up` wait for it.
  http::Response Ready();
  // The validators file (node/genesis.h) with every validator set change: what
  // `tradeledger verify` needs to check certificates at any height.
  http::Response Validators();
  // POST /v1/proofs/verify: {"valid": true, kind, summary, height, signers} or {"valid":
  // false, code, message}; 400 REQUEST_INVALID when the body is not JSON.
  http::Response VerifyProof(const http::Request& request);
  // `with_ids`: events name the block's transaction ids (members); else headers only.
  http::Response Events(bool with_ids);

  node::Node& node_;
  node::Chain& chain_;
  const node::LedgerStore& store_;
  node::Metrics& metrics_;
  Queries& queries_;
  Attachments* attachments_;
  LedgerReads reads_;

  struct Subscriber {
    std::shared_ptr<http::EventStream> stream;
    bool with_ids;
  };
  std::mutex streams_mu_;
  std::vector<Subscriber> streams_;  // guarded by streams_mu_
  bool metrics_on_api_ = true;
  const Portal* portal_ = nullptr;
};

// Maps a reason code to the HTTP status a client should see.
int HttpStatusFor(std::string_view reason_code);

// The OpenAPI 3 document served at /v1/openapi.json.
const std::string& OpenApiDocument();

}  // namespace tradeledger::api
