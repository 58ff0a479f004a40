// Fuzz target for the node's HTTP request front end (src/api/http): the bytes a client sends
// before any handler runs. The first input byte picks the entry point; the rest is its input:
//   0   raw request bytes through Beast's request_parser (the server's limits: 8 KiB of headers,
//       1 MiB of body), then detail::ToRequest, exactly as server_session.cc does
//   1   ParseTarget (request targets)        2   ParseQuery (query strings)
//   3   ParseUrl (the CLI's base URLs)       4   PercentDecode / PercentEncode
// Nothing may crash or throw. Oracles on everything accepted (url.h is strict so that every
// accepted target has one meaning): decoded paths start with '/', no NUL is decoded from text
// without one (an encoded NUL is refused), query keys are non-empty, header names are lower-case,
// and re-encoding what was decoded and parsing it again gives back the same values
// (decode(encode(x)) == x).
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/http/server_messages.h"
#include "api/http/url.h"

namespace {

namespace http = tradeledger::api::http;
namespace bhttp = boost::beast::http;
using Query = std::map<std::string, std::string>;

[[noreturn]] void Fail(const char* what, std::string_view input) {
  std::fprintf(stderr, "http_request_fuzz: %s on input '%.*s'\n", what,
               static_cast<int>(input.size()), input.data());
  std::abort();
}

std::string EncodeQuery(const Query& query) {
  std::string out;
  for (const auto& [k, v] : query) {
    if (!out.empty()) out += '&';
    out += http::PercentEncode(k) + "=" + http::PercentEncode(v);
  }
  return out;
}

// Path segments encoded one by one: '/' stays a separator, everything else round-trips.
std::string EncodePath(std::string_view path) {
  std::string out;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    out += http::PercentEncode(path.substr(start, slash - start));
    if (slash == std::string_view::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

bool HasNul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

// `raw` is the encoded text the values were decoded from: a NUL may come out only if it was
// already there (PercentDecode passes raw bytes through; Beast never lets one into a target).
void CheckQuery(const Query& query, std::string_view raw, std::string_view input) {
  for (const auto& [k, v] : query) {
    if (k.empty()) Fail("empty query key accepted", input);
    if (!HasNul(raw) && (HasNul(k) || HasNul(v))) {
      Fail("NUL in a decoded query", input);
    }
  }
  if (HasNul(raw)) return;  // a raw NUL decodes to itself, and "%00" is refused by design
  auto again = http::ParseQuery(EncodeQuery(query));
  if (!again || *again != query) Fail("query does not survive encode/decode", input);
}

void CheckTarget(const std::string& path, const Query& query, std::string_view raw,
                 std::string_view input) {
  if (path.empty() || path.front() != '/') Fail("decoded path does not start with '/'", input);
  if (!HasNul(raw) && HasNul(path)) Fail("NUL in a decoded path", input);
  CheckQuery(query, raw, input);
  if (HasNul(raw)) return;
  std::string target = EncodePath(path);
  if (!query.empty()) target += "?" + EncodeQuery(query);
  auto again = http::ParseTarget(target);
  if (!again || again->path != path || again->query != query) {
    Fail("target does not survive encode/decode", input);
  }
}

void RawRequest(std::string_view input) {
  bhttp::request_parser<bhttp::string_body> parser;
  parser.body_limit(1 << 20);
  parser.header_limit(8 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  std::string_view rest = input;
  while (!rest.empty() && !parser.is_done()) {  // as async_read feeds its buffer
    size_t used = parser.put(boost::asio::buffer(rest.data(), rest.size()), ec);
    rest.remove_prefix(used);
    if (ec == bhttp::error::need_more) ec = {};
    if (ec || used == 0) break;
  }
  if (!ec && !parser.is_done()) parser.put_eof(ec);  // the client closed the connection
  if (ec || !parser.is_done()) return;
  auto message = parser.release();
  std::string raw_target(message.target());
  if (HasNul(raw_target)) Fail("Beast let a NUL into a request target", input);
  auto request = http::detail::ToRequest(std::move(message), "192.0.2.1:1");
  if (!request) {
    if (request.error().code != "URL_INVALID") Fail("ToRequest failed without URL_INVALID", input);
    return;
  }
  if (request->method.empty()) Fail("empty method accepted", input);
  for (const auto& [name, value] : request->headers) {
    for (char c : name) {
      if (c >= 'A' && c <= 'Z') Fail("header name not lower-cased", input);
    }
  }
  CheckTarget(request->path, request->query, raw_target, input);
}

void Url(std::string_view input) {
  auto url = http::ParseUrl(input);
  if (!url) return;
  if ((url->scheme != "http" && url->scheme != "https") || url->host.empty() || url->port == 0) {
    Fail("ParseUrl accepted a URL without scheme, host or port", input);
  }
  if (!url->prefix.empty() && (url->prefix.back() == '/' || url->prefix.front() != '/')) {
    Fail("ParseUrl prefix not of the form /a/b", input);
  }
  std::string host = url->host.find(':') == std::string::npos ? url->host : "[" + url->host + "]";
  auto again =
      http::ParseUrl(url->scheme + "://" + host + ":" + std::to_string(url->port) + url->prefix);
  if (!again || again->scheme != url->scheme || again->host != url->host ||
      again->port != url->port || again->prefix != url->prefix) {
    Fail("base URL does not survive format/parse", input);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      RawRequest(input);
      break;
    case 1:
      if (auto t = http::ParseTarget(input)) CheckTarget(t->path, t->query, input, input);
      break;
    case 2:
      if (auto q = http::ParseQuery(input)) CheckQuery(*q, input, input);
      break;
    case 3:
      Url(input);
      break;
    default: {
      bool plus = !input.empty() && input.front() == '+';
      if (auto text = http::PercentDecode(input, plus)) {
        if (!HasNul(input) && HasNul(*text)) Fail("PercentDecode decoded a NUL", input);
      }
      auto back = http::PercentDecode(http::PercentEncode(input), plus);
      if (HasNul(input) ? back.has_value() : (!back || *back != input)) {
        Fail("PercentEncode does not round-trip", input);
      }
      break;
    }
  }
  return 0;
}
