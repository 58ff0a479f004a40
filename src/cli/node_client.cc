#include "cli/node_client.h"

#include <cstdlib>
#include <utility>

#include "api/read_auth.h"

namespace tradeledger::cli {
namespace {

// Set once by main before any command runs; read by the command's threads afterwards.
std::string& CaFileOverride() {
  static std::string path;
  return path;
}

}  // namespace

void SetCaFile(std::string path) { CaFileOverride() = std::move(path); }

api::http::ClientTls NodeTls(const api::http::ParsedUrl& url) {
  api::http::ClientTls tls;
  tls.enabled = url.tls();
  if (!tls.enabled) return tls;
  tls.ca_file = CaFileOverride();
  if (tls.ca_file.empty()) {
    if (const char* env = std::getenv("TL_CA_FILE")) tls.ca_file = env;
  }
  return tls;
}

core::Result<NodeClient> NodeClient::Connect(const std::string& url) {
  auto parsed = api::http::ParseUrl(url);
  if (!parsed) return core::Fail("INVALID_URL", url + ": " + parsed.error().detail);
  return NodeClient(
      std::make_unique<api::http::Client>(parsed->host, parsed->port, NodeTls(*parsed)),
      parsed->prefix);
}

core::Result<JsonResponse> NodeClient::Send(const std::string& method, const std::string& path,
                                            const std::string& body,
                                            std::chrono::milliseconds timeout,
                                            const api::http::Headers& headers) {
  auto sent = client_->Send(method, prefix_ + path, body, "application/json", timeout, headers);
  if (!sent && sent.error().code == "HTTP_TLS_FAILED") {
    return core::Fail("HTTP_TLS_FAILED",
                      sent.error().detail + "; name the CA to trust with --ca-file or TL_CA_FILE");
  }
  TL_ASSIGN_OR_RETURN(api::http::Response r, std::move(sent));
  JsonResponse out{r.status, nlohmann::json::parse(r.body, nullptr, false)};
  if (out.body.is_discarded()) {
    return core::Fail("HTTP_PROTOCOL", "the node answered " + std::to_string(r.status) +
                                           " with a body that is not JSON");
  }
  return out;
}

core::Result<JsonResponse> NodeClient::Get(const std::string& path) {
  return Send("GET", path, {}, std::chrono::seconds(30));
}

core::Result<JsonResponse> NodeClient::Post(const std::string& path, const std::string& body,
                                            std::chrono::milliseconds timeout) {
  return Send("POST", path, body, timeout);
}

core::Result<JsonResponse> NodeClient::SignedGet(const std::string& target,
                                                 const crypto::KeyPair& key,
                                                 const ledger::ChainId& chain) {
  TL_ASSIGN_OR_RETURN(api::http::Target parsed, api::http::ParseTarget(target));
  uint64_t now = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count());
  auto signed_headers = api::SignReadHeaders(chain, key, now, "GET", parsed.path, parsed.query);
  api::http::Headers headers(signed_headers.begin(), signed_headers.end());
  return Send("GET", target, {}, std::chrono::seconds(30), headers);
}

core::Result<ledger::ChainId> NodeClient::ChainId() {
  TL_ASSIGN_OR_RETURN(JsonResponse r, Get("/health"));
  if (r.status != 200 || !r.body.contains("chain_id") || !r.body["chain_id"].is_string()) {
    return core::Fail("NODE_UNAVAILABLE", "the node's /health answered " + DescribeError(r));
  }
  return ledger::ChainId::FromHex(r.body["chain_id"].get<std::string>());
}

core::Result<JsonResponse> NodeClient::SubmitAndWait(const ledger::SignedTransaction& tx,
                                                     std::chrono::milliseconds timeout) {
  std::string body = nlohmann::json{{"transaction", core::ToBase64(tx.envelope())}}.dump();
  return Post("/v1/transactions?wait=commit&timeout_ms=" + std::to_string(timeout.count()), body,
              timeout + std::chrono::seconds(10));
}

std::string DescribeError(const JsonResponse& r) {
  if (r.body.is_object() && r.body.contains("error") && r.body["error"].is_object()) {
    const auto& e = r.body["error"];
    return e.value("code", "ERROR") + ": " + e.value("message", "");
  }
  return "HTTP " + std::to_string(r.status);
}

}  // namespace tradeledger::cli
