#include "api/read_auth.h"

#include <algorithm>

#include "core/encoding.h"

namespace tradeledger::api {
namespace {

constexpr char kReadContext[] = "TRADELEDGER/READ/v2";

std::string Header(const http::Request& r, const char* name) {
  auto it = r.headers.find(name);
  return it == r.headers.end() ? std::string() : it->second;
}

}  // namespace

core::Bytes ReadSigningMessage(const ledger::ChainId& chain, uint64_t time_ms,
                               std::string_view method, std::string_view path,
                               const std::map<std::string, std::string>& query) {
  core::Encoder e(128 + path.size());
  e.PutFixed(core::AsBytes(std::string_view(kReadContext, sizeof(kReadContext))));
  e.Put(chain.hash).PutU64(time_ms);
  // Every part with its length, so no two reads share a message (v1 joined "k=v" with '&').
  e.PutString(method).PutString(path).PutU32(static_cast<uint32_t>(query.size()));
  for (const auto& [k, v] : query) e.PutString(k).PutString(v);  // std::map: sorted by name
  return std::move(e).Take();
}

std::map<std::string, std::string> SignReadHeaders(
    const ledger::ChainId& chain, const crypto::KeyPair& key, uint64_t time_ms,
    std::string_view method, std::string_view path,
    const std::map<std::string, std::string>& query) {
  crypto::Signature sig =
      crypto::Sign(key.secret_key, ReadSigningMessage(chain, time_ms, method, path, query));
  return {{"X-TL-Key", key.public_key.hex()},
          {"X-TL-Time", std::to_string(time_ms)},
          {"X-TL-Signature", sig.hex()}};
}

core::Result<crypto::PublicKey> VerifyReadSignature(const http::Request& request,
                                                    const ledger::ChainId& chain, uint64_t now_ms) {
  std::string key_hex = Header(request, "x-tl-key");
  std::string time_text = Header(request, "x-tl-time");
  std::string sig_hex = Header(request, "x-tl-signature");
  if (key_hex.empty() && time_text.empty() && sig_hex.empty()) {
    return core::Fail("AUTH_REQUIRED", "sign the request (X-TL-Key, X-TL-Time, X-TL-Signature)");
  }
  auto key = crypto::PublicKey::FromHex(key_hex);
  auto sig = crypto::Signature::FromHex(sig_hex);
  uint64_t time = 0;
  bool time_ok =
      !time_text.empty() && time_text.size() <= 19 &&
      std::all_of(time_text.begin(), time_text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (time_ok) time = std::stoull(time_text);
  if (!key || !sig || !time_ok) return core::Fail("AUTH_INVALID", "malformed X-TL-* headers");
  int64_t skew = static_cast<int64_t>(time) - static_cast<int64_t>(now_ms);
  if (skew > kReadSignatureWindowMs || skew < -kReadSignatureWindowMs) {
    return core::Fail("AUTH_EXPIRED", "X-TL-Time is more than five minutes from the node's clock");
  }
  core::Bytes message =
      ReadSigningMessage(chain, time, request.method, request.path, request.query);
  if (!crypto::Verify(*key, message, *sig)) {
    return core::Fail("AUTH_INVALID", "the signature does not verify");
  }
  return *key;
}

}  // namespace tradeledger::api
