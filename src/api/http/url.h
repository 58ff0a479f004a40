// URLs, request targets and query strings.
//
// Everything here is pure string work with no I/O, so it is safe from any thread. Decoding is
// strict: a '%' not followed by two hex digits, an encoded NUL, a duplicate query key or an
// empty key is rejected with "URL_INVALID" rather than guessed at, so every accepted target has
// one meaning.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tradeledger::api::http {

// A base URL such as "http://node1.example:8080/ledger", as given to the CLI.
struct ParsedUrl {
  std::string scheme;  // "http" or "https" (TLS: connect with ClientTls{.enabled = tls()})
  std::string host;    // a name or an IP literal, IPv6 without its brackets
  uint16_t port = 0;   // explicit port, else 80 for http and 443 for https
  std::string prefix;  // path prefix in its encoded (wire) form, no trailing '/'; may be ""

  bool tls() const { return scheme == "https"; }
};

// Parses "scheme://host[:port][/prefix]". Scheme is case-insensitive and must be http or https;
// user info, query and fragment are rejected, as are empty hosts and ports outside 1..65535.
// Fails with "URL_INVALID".
core::Result<ParsedUrl> ParseUrl(std::string_view url);

// Decodes %XX escapes; with `plus_is_space` (query strings) also '+' to ' '.
// Fails with "URL_INVALID" on a malformed escape or an encoded NUL ("%00").
core::Result<std::string> PercentDecode(std::string_view text, bool plus_is_space);

// Encodes every byte outside RFC 3986 "unreserved" (A-Z a-z 0-9 - . _ ~) as %XX; safe for both
// path segments and query keys/values.
std::string PercentEncode(std::string_view text);

// Parses "a=1&b=x%20y&flag" into {a:"1", b:"x y", flag:""}. Empty pieces ("a=1&&b=2", a
// trailing '&') are skipped. Fails with "URL_INVALID" on a bad escape, an empty key or a key
// that appears twice (callers never have to guess which value wins).
core::Result<std::map<std::string, std::string>> ParseQuery(std::string_view query);

// An HTTP origin-form request target ("/v1/docs/ab%20c?x=1") split and decoded.
struct Target {
  std::string path;                          // decoded; always starts with '/'
  std::map<std::string, std::string> query;  // decoded
};

// Fails with "URL_INVALID" unless the target starts with '/' and both parts decode.
// The fragment, if a client sent one, is dropped.
core::Result<Target> ParseTarget(std::string_view target);

}  // namespace tradeledger::api::http
