#include "api/http/server_messages.h"

#include <atomic>
#include <cstdio>
#include <exception>
#include <string_view>
#include <utility>

#include "api/http/http_server.h"
#include "api/http/url.h"

namespace tradeledger::api::http::detail {
namespace {

namespace bhttp = boost::beast::http;

bool IsTokenChar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool IsValidHeaderName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!IsTokenChar(c)) return false;
  }
  return true;
}

bool IsValidHeaderValue(std::string_view value) {
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

std::string AsciiLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Headers the transport itself manages; a handler may not set them.
bool IsReservedHeader(std::string_view lower_name) {
  return lower_name == "content-length" || lower_name == "transfer-encoding" ||
         lower_name == "connection" || lower_name == "content-type";
}

bool IsAllowedExtraHeader(const std::string& name, const std::string& value) {
  return IsValidHeaderName(name) && IsValidHeaderValue(value) &&
         !IsReservedHeader(AsciiLower(name));
}

// Set by SetLogSink; null means stderr.
std::atomic<LogSink> log_sink{nullptr};

}  // namespace

void Log(std::string_view message) {
  if (LogSink sink = log_sink.load()) return sink(message);
  std::fprintf(stderr, "tradeledger http: %.*s\n", static_cast<int>(message.size()),
               message.data());
}

std::string FormatEndpoint(const boost::asio::ip::tcp::endpoint& endpoint) {
  std::string address = endpoint.address().to_string();
  if (endpoint.address().is_v6()) address = "[" + address + "]";
  return address + ":" + std::to_string(endpoint.port());
}

core::Result<Request> ToRequest(IncomingRequest message, std::string remote_address) {
  TL_ASSIGN_OR_RETURN(Target target, ParseTarget(std::string_view(message.target().data(),
                                                                  message.target().size())));
  Request request;
  request.method = std::string(message.method_string());
  request.path = std::move(target.path);
  request.query = std::move(target.query);
  for (const auto& field : message) {
    std::string name =
        AsciiLower(std::string_view(field.name_string().data(), field.name_string().size()));
    std::string_view value(field.value().data(), field.value().size());
    auto [it, inserted] = request.headers.try_emplace(std::move(name), value);
    if (!inserted) it->second.append(", ").append(value);
  }
  request.body = std::move(message.body());
  request.remote_address = std::move(remote_address);
  return request;
}

std::shared_ptr<OutgoingResponse> BuildResponse(Response response, unsigned version,
                                                bool& keep_alive, bool is_head) {
  if (response.status < 200 || response.status > 599) {
    Log("handler answered with status " + std::to_string(response.status) + "; sent 500");
    response = JsonError(500, "INTERNAL", "internal error");
  }
  auto out = std::make_shared<OutgoingResponse>();
  try {
    out->version(version);
    out->result(static_cast<unsigned>(response.status));
    out->set(bhttp::field::server, "tradeledger");
    if (!response.content_type.empty() && IsValidHeaderValue(response.content_type)) {
      out->set(bhttp::field::content_type, response.content_type);
    }
    for (const auto& [name, value] : response.headers) {
      if (!IsAllowedExtraHeader(name, value)) {
        Log("dropped invalid or reserved response header '" + name + "'");
        continue;
      }
      out->insert(name, value);
    }
    out->keep_alive(keep_alive);
    if (response.status != 204 && response.status != 304) out->body() = std::move(response.body);
    out->prepare_payload();
    if (is_head) out->body().clear();  // Content-Length still describes the GET body
  } catch (const std::exception& e) {
    Log(std::string("could not build response: ") + e.what());
    out = std::make_shared<OutgoingResponse>(bhttp::status::internal_server_error, version);
    out->set(bhttp::field::content_type, "application/json");
    out->body() = JsonError(500, "INTERNAL", "internal error").body;
    keep_alive = false;
    out->keep_alive(false);
    out->prepare_payload();
  }
  return out;
}

std::shared_ptr<EventStreamHeader> BuildEventStreamHeader(const Response& response,
                                                          unsigned version) {
  auto header = std::make_shared<EventStreamHeader>(bhttp::status::ok, version);
  header->set(bhttp::field::server, "tradeledger");
  header->set(bhttp::field::content_type, "text/event-stream");
  header->set(bhttp::field::cache_control, "no-cache");
  for (const auto& [name, value] : response.headers) {
    if (IsAllowedExtraHeader(name, value)) header->insert(name, value);
  }
  // No Content-Length and not chunked: the body runs until the connection closes.
  header->keep_alive(false);
  return header;
}

}  // namespace tradeledger::api::http::detail

namespace tradeledger::api::http {

void SetLogSink(LogSink sink) { detail::log_sink.store(sink); }

}  // namespace tradeledger::api::http
