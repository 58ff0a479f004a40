// Fuzz target for signed reads (api/read_auth.h): VerifyReadSignature on a request whose
// method, target and X-TL-* headers come from the input.
//
// Input: one mode byte, then '\n'-separated fields: method, target A, X-TL-Key, X-TL-Time,
// X-TL-Signature, target B. Targets go through http::ParseTarget as on the server (a target that
// does not decode is skipped). Mode bit 0: the harness signs A itself with its key at the given
// time (key and signature fields are replaced), so the accepting paths are reached. Mode bit 1:
// the request presented is B with A's signature (a signature moved to another read).
//
// Nothing may crash or throw. Oracles:
//  - soundness: whatever verifies was signed by the harness for exactly this (method, path,
//    query, time); an unsigned input that verifies, or a signature for A that verifies B with
//    B != A, aborts. The returned key is the X-TL-Key header's.
//  - completeness: a request the harness signed, presented unchanged within five minutes of
//    the node's clock, verifies.
//  - the error codes are the documented ones (AUTH_REQUIRED, AUTH_INVALID, AUTH_EXPIRED).
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "api/http/url.h"
#include "api/read_auth.h"

namespace {

namespace api = tradeledger::api;
namespace crypto = tradeledger::crypto;

constexpr uint64_t kNow = 1'750'000'000'000;  // the node's clock, ms

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "read_auth_fuzz: %s\n", what);
  std::abort();
}

std::vector<std::string_view> Fields(std::string_view input, size_t count) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < count) {
    size_t nl = input.find('\n');
    if (nl == std::string_view::npos) break;
    out.push_back(input.substr(0, nl));
    input.remove_prefix(nl + 1);
  }
  out.push_back(input);
  out.resize(count);
  return out;
}

bool Digits(std::string_view s) {
  if (s.empty() || s.size() > 19) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const crypto::KeyPair key = crypto::KeyPair::FromSeed(crypto::Seed{{7}});
  static const tradeledger::ledger::ChainId chain{};
  const bool sign = data[0] & 1;
  const bool move = data[0] & 2;
  auto f = Fields(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), 6);

  auto a = api::http::ParseTarget(f[1]);
  if (!a) return 0;
  auto b = move ? api::http::ParseTarget(f[5]) : a;
  if (!b) return 0;

  api::http::Request request;
  request.method = std::string(f[0]);
  request.path = b->path;
  request.query = b->query;
  if (sign) {
    uint64_t time = Digits(f[3]) ? std::stoull(std::string(f[3])) : kNow;
    request.headers = api::SignReadHeaders(chain, key, time, f[0], a->path, a->query);
    for (auto& [name, value] : std::map(request.headers)) {  // lower-case, as ToRequest makes
      request.headers.erase(name);
      std::string lower = name;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      request.headers[lower] = value;
    }
    if (!f[3].empty() && !Digits(f[3])) request.headers["x-tl-time"] = std::string(f[3]);
  } else {
    if (!f[2].empty()) request.headers["x-tl-key"] = std::string(f[2]);
    if (!f[3].empty()) request.headers["x-tl-time"] = std::string(f[3]);
    if (!f[4].empty()) request.headers["x-tl-signature"] = std::string(f[4]);
  }

  auto result = api::VerifyReadSignature(request, chain, kNow);
  if (result) {
    if (!sign) Fail("an input the harness did not sign verified");
    if (b->path != a->path || b->query != a->query) {
      Fail("a signature for one read verified another (path or query differs)");
    }
    if (*result != key.public_key) Fail("the returned key is not the signer's");
    return 0;
  }
  const std::string& code = result.error().code;
  if (code != "AUTH_REQUIRED" && code != "AUTH_INVALID" && code != "AUTH_EXPIRED") {
    Fail("an undocumented reason code");
  }
  if (sign && !move) {  // the harness's own, unchanged request
    bool malformed_time = !f[3].empty() && !Digits(f[3]);
    uint64_t time = Digits(f[3]) ? std::stoull(std::string(f[3])) : kNow;
    bool in_window =
        time + api::kReadSignatureWindowMs >= kNow && time <= kNow + api::kReadSignatureWindowMs;
    if (malformed_time ? code != "AUTH_INVALID" : in_window || code != "AUTH_EXPIRED") {
      Fail("a correctly signed read was refused, or refused with the wrong code");
    }
  }
  return 0;
}
