#include "index/node_source.h"

#include "api/http/url.h"
#include "api/read_auth.h"

namespace tradeledger::index {
namespace {

uint64_t NowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// PostgreSQL's text and jsonb cannot hold U+0000, which JSON strings can: every NUL in a
// string or a member name becomes U+FFFD before anything is stored.
void ReplaceNul(std::string& s) {
  for (size_t at = s.find('\0'); at != std::string::npos; at = s.find('\0', at)) {
    s.replace(at, 1, "\xEF\xBF\xBD");
  }
}

}  // namespace

void ReplaceNulCharacters(nlohmann::json& j) {
  if (j.is_string()) {
    ReplaceNul(j.get_ref<std::string&>());
  } else if (j.is_array()) {
    for (auto& v : j) ReplaceNulCharacters(v);
  } else if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (auto& [key, value] : j.items()) {
      std::string k = key;
      ReplaceNul(k);
      ReplaceNulCharacters(value);
      out[k] = std::move(value);
    }
    j = std::move(out);
  }
}

namespace {

core::Result<NodeReply> ToReply(const api::http::Response& r) {
  NodeReply out{r.status, nlohmann::json::parse(r.body, nullptr, false)};
  if (out.body.is_discarded() && r.status >= 500) {
    return core::Fail("NODE_UNAVAILABLE", "HTTP " + std::to_string(r.status));
  }
  ReplaceNulCharacters(out.body);
  if (out.body.is_discarded()) {
    return core::Fail("NODE_REPLY_INVALID",
                      "HTTP " + std::to_string(r.status) + " with a body that is not JSON");
  }
  return out;
}

}  // namespace

NodeSource::NodeSource(std::string url, std::string host, uint16_t port, std::string prefix,
                       api::http::ClientTls tls, crypto::KeyPair key)
    : url_(std::move(url)),
      host_(std::move(host)),
      port_(port),
      prefix_(std::move(prefix)),
      tls_(tls),
      key_(std::move(key)),
      client_(host_, port_, tls_) {}

core::Result<std::unique_ptr<NodeSource>> NodeSource::Open(const std::string& url,
                                                           api::http::ClientTls tls,
                                                           crypto::KeyPair key) {
  TL_ASSIGN_OR_RETURN(api::http::ParsedUrl parsed, api::http::ParseUrl(url));
  return std::unique_ptr<NodeSource>(
      new NodeSource(url, parsed.host, parsed.port, parsed.prefix, tls, std::move(key)));
}

api::http::Headers NodeSource::SignatureHeaders(const std::string& target) {
  auto parsed = api::http::ParseTarget(target);
  if (!parsed) return {};  // the node will refuse the unsigned read with AUTH_REQUIRED
  auto signed_headers =
      api::SignReadHeaders(chain_, key_, NowMs(), "GET", parsed->path, parsed->query);
  return api::http::Headers(signed_headers.begin(), signed_headers.end());
}

core::Result<NodeReply> NodeSource::Get(const std::string& target) {
  TL_ASSIGN_OR_RETURN(api::http::Response r, client_.Send("GET", prefix_ + target, {}, {}));
  return ToReply(r);
}

core::Result<NodeReply> NodeSource::SignedGet(const std::string& target) {
  TL_ASSIGN_OR_RETURN(api::http::Response r,
                      client_.Send("GET", prefix_ + target, {}, {}, std::chrono::seconds(30),
                                   SignatureHeaders(target)));
  return ToReply(r);
}

core::Result<nlohmann::json> NodeSource::SignedGetOk(const std::string& target) {
  TL_ASSIGN_OR_RETURN(NodeReply r, SignedGet(target));
  if (r.status != 200) {
    std::string code = ErrorCode(r);
    if (r.status >= 500 && code.empty()) code = "NODE_UNAVAILABLE";
    return core::Fail(code.empty() ? "NODE_REPLY_INVALID" : code,
                      "GET " + target + ": " + DescribeReply(r));
  }
  return std::move(r.body);
}

core::Status NodeSource::OpenEvents() {
  events_ = std::make_unique<api::http::EventStreamClient>(host_, port_, tls_);
  return events_->Open(prefix_ + "/v1/events", std::chrono::seconds(10),
                       SignatureHeaders("/v1/events"));
}

core::Result<std::optional<uint64_t>> NodeSource::NextBlockEvent(
    std::chrono::milliseconds timeout) {
  if (!events_) return core::Fail("HTTP_STREAM_CLOSED", "the event stream is not open");
  auto event = events_->Next(timeout);
  if (!event) {
    if (event.error().code == "HTTP_TIMEOUT") return std::optional<uint64_t>();
    events_.reset();
    return core::Fail(event.error());
  }
  if (event->event != "block") return std::optional<uint64_t>();
  auto data = nlohmann::json::parse(event->data, nullptr, false);
  if (!data.is_object() || !data.contains("height") || !data["height"].is_number_unsigned()) {
    return core::Fail("NODE_REPLY_INVALID", "a block event without a height");
  }
  return std::optional<uint64_t>(data["height"].get<uint64_t>());
}

std::string ErrorCode(const NodeReply& reply) {
  if (!reply.body.is_object() || !reply.body.contains("error")) return "";
  const auto& e = reply.body["error"];
  return e.is_object() && e.contains("code") && e["code"].is_string() ? e["code"].get<std::string>()
                                                                      : "";
}

std::string DescribeReply(const NodeReply& reply) {
  std::string code = ErrorCode(reply);
  if (code.empty()) return "HTTP " + std::to_string(reply.status);
  const auto& e = reply.body["error"];
  return code + ": " +
         (e.contains("message") && e["message"].is_string() ? e["message"].get<std::string>()
                                                            : std::string());
}

}  // namespace tradeledger::index
