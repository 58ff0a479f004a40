#include "api/http/url.h"

#include <charconv>

namespace tradeledger::api::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

// Host names and IPv4 literals: letters, digits, '-', '.', '_'.
bool IsHostChar(char c) { return IsUnreserved(c) && c != '~'; }

bool IsIpv6LiteralChar(char c) { return HexValue(c) >= 0 || c == ':' || c == '.'; }

}  // namespace

core::Result<std::string> PercentDecode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) {
        return core::Fail("URL_INVALID", "truncated percent escape");
      }
      int hi = HexValue(text[i + 1]);
      int lo = HexValue(text[i + 2]);
      if (hi < 0 || lo < 0) return core::Fail("URL_INVALID", "malformed percent escape");
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return core::Fail("URL_INVALID", "encoded NUL");
      out.push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
    } else {
      auto byte = static_cast<unsigned char>(c);
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0xf]);
    }
  }
  return out;
}

core::Result<std::map<std::string, std::string>> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (piece.empty()) continue;
    size_t eq = piece.find('=');
    std::string_view raw_key = piece.substr(0, eq);
    std::string_view raw_value =
        eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
    TL_ASSIGN_OR_RETURN(std::string key, PercentDecode(raw_key, /*plus_is_space=*/true));
    TL_ASSIGN_OR_RETURN(std::string value, PercentDecode(raw_value, /*plus_is_space=*/true));
    if (key.empty()) return core::Fail("URL_INVALID", "empty query key");
    if (out.contains(key)) return core::Fail("URL_INVALID", "duplicate query key '" + key + "'");
    out.emplace(std::move(key), std::move(value));
  }
  return out;
}

core::Result<Target> ParseTarget(std::string_view target) {
  if (target.empty() || target.front() != '/') {
    return core::Fail("URL_INVALID", "request target must start with '/'");
  }
  if (size_t hash = target.find('#'); hash != std::string_view::npos) {
    target = target.substr(0, hash);
  }
  size_t question = target.find('?');
  Target out;
  TL_ASSIGN_OR_RETURN(out.path, PercentDecode(target.substr(0, question), /*plus_is_space=*/false));
  if (question != std::string_view::npos) {
    TL_ASSIGN_OR_RETURN(out.query, ParseQuery(target.substr(question + 1)));
  }
  return out;
}

core::Result<ParsedUrl> ParseUrl(std::string_view url) {
  ParsedUrl out;
  size_t sep = url.find("://");
  if (sep == std::string_view::npos) return core::Fail("URL_INVALID", "missing scheme");
  for (char c : url.substr(0, sep)) out.scheme.push_back(AsciiLower(c));
  if (out.scheme != "http" && out.scheme != "https") {
    return core::Fail("URL_INVALID", "scheme must be http or https");
  }
  std::string_view rest = url.substr(sep + 3);
  size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (authority.find('@') != std::string_view::npos) {
    return core::Fail("URL_INVALID", "user info is not supported");
  }
  if (url.find_first_of("?#") != std::string_view::npos) {
    return core::Fail("URL_INVALID", "a base URL has no query or fragment");
  }

  std::string_view host;
  std::string_view port_text;
  if (!authority.empty() && authority.front() == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return core::Fail("URL_INVALID", "unclosed '['");
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return core::Fail("URL_INVALID", "junk after IPv6 literal");
      port_text = after.substr(1);
      if (port_text.empty()) return core::Fail("URL_INVALID", "empty port");
    }
    for (char c : host) {
      if (!IsIpv6LiteralChar(c)) return core::Fail("URL_INVALID", "bad IPv6 literal");
    }
  } else {
    size_t colon = authority.find(':');
    host = authority.substr(0, colon);
    if (colon != std::string_view::npos) {
      port_text = authority.substr(colon + 1);
      if (port_text.empty()) return core::Fail("URL_INVALID", "empty port");
    }
    for (char c : host) {
      if (!IsHostChar(c)) return core::Fail("URL_INVALID", "bad character in host");
    }
  }
  if (host.empty()) return core::Fail("URL_INVALID", "empty host");
  out.host = std::string(host);

  if (port_text.empty()) {
    out.port = out.tls() ? 443 : 80;
  } else {
    unsigned value = 0;
    auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || end != port_text.data() + port_text.size() || value == 0 ||
        value > 65535 || port_text.size() > 5) {
      return core::Fail("URL_INVALID", "port must be 1..65535");
    }
    out.port = static_cast<uint16_t>(value);
  }

  // The prefix stays encoded (it is prepended to targets on the wire) but must decode cleanly
  // and contain only characters that are legal in a request target.
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  for (char c : path) {
    auto byte = static_cast<unsigned char>(c);
    if (byte <= 0x20 || byte >= 0x7f) return core::Fail("URL_INVALID", "bad character in path");
  }
  TL_RETURN_IF_ERROR(PercentDecode(path, /*plus_is_space=*/false));
  out.prefix = std::string(path);
  return out;
}

}  // namespace tradeledger::api::http
