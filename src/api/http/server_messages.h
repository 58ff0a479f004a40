// Conversions between the handler's values (http_types.h) and Beast messages, for the server.
// Pure functions (apart from logging to stderr), safe from any thread.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "api/http/http_types.h"
#include "core/result.h"

namespace tradeledger::api::http::detail {

// Writes one warning line through the log sink (SetLogSink in http_server.h); by default
// "tradeledger http: <message>" to stderr.
void Log(std::string_view message);

// "ip:port", with IPv6 addresses in brackets.
std::string FormatEndpoint(const boost::asio::ip::tcp::endpoint& endpoint);

using IncomingRequest = boost::beast::http::request<boost::beast::http::string_body>;
using OutgoingResponse = boost::beast::http::response<boost::beast::http::string_body>;
using EventStreamHeader = boost::beast::http::response<boost::beast::http::empty_body>;

// The handler's view of `message`: decoded path and query, lower-case header names (repeats
// joined with ", "). Fails with URL_INVALID if the target does not decode.
core::Result<Request> ToRequest(IncomingRequest message, std::string remote_address);

// Turns a handler's Response into a Beast message for an HTTP/`version` client. Never throws:
// a status outside 200..599 or a response Beast cannot represent becomes a plain 500 (and
// `keep_alive` is cleared in the latter case). Invalid or reserved extra headers are dropped
// and logged. For HEAD, the body is left out but Content-Length still describes it.
std::shared_ptr<OutgoingResponse> BuildResponse(Response response, unsigned version,
                                                bool& keep_alive, bool is_head);

// The header that starts an event-stream response: 200, text/event-stream, no-cache, the
// handler's valid extra headers, and no length (the body runs until the connection closes).
std::shared_ptr<EventStreamHeader> BuildEventStreamHeader(const Response& response,
                                                          unsigned version);

}  // namespace tradeledger::api::http::detail
