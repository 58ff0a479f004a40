// The indexer's side of one node's API: unsigned and signed GETs (api/read_auth.h) with the
// indexer's key, and the event stream of committed blocks. Every reply is parsed JSON; a body
// that is not JSON is NODE_REPLY_INVALID, or NODE_UNAVAILABLE with a 5xx status (a proxy's error
// page). Transport errors keep their HTTP_* codes. Every U+0000 in a reply's strings becomes
// U+FFFD (ReplaceNulCharacters).
#pragma once

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "api/http/http_client.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "ledger/ids.h"

namespace tradeledger::index {

struct NodeReply {
  int status = 0;
  nlohmann::json body;
};

class NodeSource {
 public:
  // `url` is http[s]://host:port[/prefix]; `tls` as the CLI resolves it for that URL.
  static core::Result<std::unique_ptr<NodeSource>> Open(const std::string& url,
                                                        api::http::ClientTls tls,
                                                        crypto::KeyPair key);

  core::Result<NodeReply> Get(const std::string& target);
  // Signed with the indexer's key for `chain` (set_chain before the first call).
  core::Result<NodeReply> SignedGet(const std::string& target);
  // A signed GET that must answer 200; any other status is an error carrying the node's code.
  core::Result<nlohmann::json> SignedGetOk(const std::string& target);

  void set_chain(const ledger::ChainId& chain) { chain_ = chain; }
  const crypto::KeyPair& key() const { return key_; }
  const std::string& url() const { return url_; }

  // Opens (or reopens) the signed event stream.
  core::Status OpenEvents();
  // The height of the next committed-block event; nullopt when none came within `timeout`.
  // A closed or broken stream is an error: reopen with OpenEvents().
  core::Result<std::optional<uint64_t>> NextBlockEvent(std::chrono::milliseconds timeout);

 private:
  NodeSource(std::string url, std::string host, uint16_t port, std::string prefix,
             api::http::ClientTls tls, crypto::KeyPair key);
  api::http::Headers SignatureHeaders(const std::string& target);

  std::string url_, host_;
  uint16_t port_;
  std::string prefix_;
  api::http::ClientTls tls_;
  crypto::KeyPair key_;
  ledger::ChainId chain_;
  api::http::Client client_;
  std::unique_ptr<api::http::EventStreamClient> events_;
};

// Replaces every U+0000 in the strings and member names of `j` with U+FFFD (PostgreSQL text
// and jsonb cannot hold U+0000). NodeSource does it to every reply.
void ReplaceNulCharacters(nlohmann::json& j);

// The reason code of an error reply ({"error": {"code", "message"}}), or "".
std::string ErrorCode(const NodeReply& reply);
// "CODE: message" of an error reply, or its status.
std::string DescribeReply(const NodeReply& reply);

}  // namespace tradeledger::index
