// A small client of the node API for the CLI: JSON requests, chain id discovery, signing.
//
// Node URLs are http:// or https://. An https:// node must present a certificate that verifies
// against the CA file the CLI was given (--ca-file, else $TL_CA_FILE) or, with neither, the
// system's trust store, and that names the URL's host; otherwise calls fail with
// HTTP_TLS_FAILED. Every command that talks to a node goes through NodeTls(), so they all
// resolve the CA file the same way.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api/http/http_client.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "ledger/transaction.h"

namespace tradeledger::cli {

struct JsonResponse {
  int status = 0;
  nlohmann::json body;
};

// The CA certificates (PEM) that https:// node URLs are verified against, overriding
// $TL_CA_FILE; empty: back to $TL_CA_FILE. Called by main for --ca-file before any command runs.
void SetCaFile(std::string path);

// How to reach the node at `url`: TLS for https, verified against SetCaFile()'s file, else
// $TL_CA_FILE's, else the system's trust store.
api::http::ClientTls NodeTls(const api::http::ParsedUrl& url);

class NodeClient {
 public:
  // INVALID_URL if `url` is not http[s]://host[:port][/prefix]. Connects lazily.
  static core::Result<NodeClient> Connect(const std::string& url);

  core::Result<JsonResponse> Get(const std::string& path);
  core::Result<JsonResponse> Post(const std::string& path, const std::string& body,
                                  std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // A read signed with `key` (api/read_auth.h); `target` is a path with an optional query.
  core::Result<JsonResponse> SignedGet(const std::string& target, const crypto::KeyPair& key,
                                       const ledger::ChainId& chain);
  // The chain id the node serves (from /health).
  core::Result<ledger::ChainId> ChainId();

  // Posts `tx` with wait=commit. The response is 200 (committed) or 202 (still pending).
  core::Result<JsonResponse> SubmitAndWait(const ledger::SignedTransaction& tx,
                                           std::chrono::milliseconds timeout);

 private:
  NodeClient(std::unique_ptr<api::http::Client> client, std::string prefix)
      : client_(std::move(client)), prefix_(std::move(prefix)) {}
  core::Result<JsonResponse> Send(const std::string& method, const std::string& path,
                                  const std::string& body, std::chrono::milliseconds timeout,
                                  const api::http::Headers& headers = {});

  std::unique_ptr<api::http::Client> client_;
  std::string prefix_;
};

// "CODE: message" from an error response body, or the HTTP status.
std::string DescribeError(const JsonResponse& r);

}  // namespace tradeledger::cli
