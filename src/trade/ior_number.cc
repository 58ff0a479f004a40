#include "trade/ior_number.h"

#include "crypto/pbkdf2.h"

namespace tradeledger::trade {
namespace {

using Json = nlohmann::json;

bool Digits(std::string_view s, size_t pos, size_t len) {
  if (pos + len > s.size()) return false;
  for (size_t i = pos; i < pos + len; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

bool UpperAlnum(char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// The three dashed shapes; `strict` also applies the EIN suffix rule.
bool IorShaped(std::string_view n, bool strict) {
  if (n.size() == 12 && Digits(n, 0, 2) && n[2] == '-' && Digits(n, 3, 7)) {
    auto suffix_ok = [&](char c) {
      if (!strict) return UpperAlnum(c) || (c >= 'a' && c <= 'z');
      return UpperAlnum(c) && c != 'O' && c != 'I' && c != 'Z';
    };
    if (suffix_ok(n[10]) && suffix_ok(n[11])) return true;
  }
  if (n.size() == 11 && Digits(n, 0, 3) && n[3] == '-' && Digits(n, 4, 2) && n[6] == '-' &&
      Digits(n, 7, 4)) {
    return true;
  }
  return n.size() == 12 && Digits(n, 0, 6) && n[6] == '-' && Digits(n, 7, 5);
}

bool TokenChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

bool ContainsIorToken(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    if (!TokenChar(text[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < text.size() && TokenChar(text[i])) ++i;
    if (IorShaped(text.substr(start, i - start), false)) return true;
  }
  return false;
}

std::string Escape(const std::string& name) {
  std::string out;
  for (char c : name) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::optional<std::string> FindIn(const Json& j, const std::string& where, int depth) {
  if (depth > 64) return std::nullopt;  // bodies are depth-limited at execution; stop scanning
  if (j.is_string()) {
    if (ContainsIorToken(j.get_ref<const std::string&>())) return where.empty() ? "/" : where;
    return std::nullopt;
  }
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      if (auto found = FindIn(j[i], where + "/" + std::to_string(i), depth + 1)) return found;
    }
    return std::nullopt;
  }
  if (j.is_object()) {
    for (const auto& [name, value] : j.items()) {
      std::string here = where + "/" + Escape(name);
      if (name == "iorNumber" || ContainsIorToken(name)) return here;
      if (auto found = FindIn(value, here, depth + 1)) return found;
    }
  }
  return std::nullopt;
}

}  // namespace

bool IsValidIorNumber(std::string_view number) { return IorShaped(number, true); }

core::Result<std::string> IorNumberHash(core::ByteSpan network_salt, std::string_view org_id,
                                        std::string_view number) {
  if (!IsValidIorNumber(number)) {
    return core::Fail("IOR_FORMAT",
                      "importer-of-record number is not NN-NNNNNNNXX, NNN-NN-NNNN or "
                      "YYDDPP-NNNNN");
  }
  if (org_id.empty()) return core::Fail("ORG_ID_INVALID", "the importer's orgId is needed");
  core::Bytes salt = core::ToBytes("TRADELEDGER/IOR/v1");
  salt.push_back(0);
  salt.insert(salt.end(), network_salt.begin(), network_salt.end());
  salt.push_back(0);
  salt.insert(salt.end(), org_id.begin(), org_id.end());
  TL_ASSIGN_OR_RETURN(core::Hash32 hash,
                      crypto::Pbkdf2Sha256(core::AsBytes(number), salt, kIorHashIterations));
  return hash.hex();
}

bool IsIorNumberHash(std::string_view value) {
  if (value.size() != 64) return false;
  for (char c : value) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<std::string> FindCleartextIor(core::ByteSpan body) {
  std::string_view text = core::AsStringView(body);
  // Without a backslash, every string the parse would see (member names and values) is a
  // quote-delimited run of `text` itself, and a quote is not a token character: each token the
  // parse would examine is a token of `text`, and a member named iorNumber is the text
  // "iorNumber". So when neither is in `text`, the parse can find nothing the raw scan misses.
  if (text.find('\\') == std::string_view::npos &&
      text.find("iorNumber\"") == std::string_view::npos && !ContainsIorToken(text)) {
    return std::nullopt;
  }
  return detail::FindCleartextIorByParsing(body);
}

namespace detail {

std::optional<std::string> FindCleartextIorByParsing(core::ByteSpan body) {
  std::string_view text = core::AsStringView(body);
  Json j = Json::parse(text, nullptr, false);
  if (!j.is_discarded()) {
    if (auto found = FindIn(j, "", 0)) return "body" + *found;
  }
  // Not JSON, or hidden from the parse: the raw text must not hold one either.
  if (ContainsIorToken(text)) return std::string("body text");
  return std::nullopt;
}

}  // namespace detail

}  // namespace tradeledger::trade
