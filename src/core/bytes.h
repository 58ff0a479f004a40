// Byte strings and fixed-size byte arrays, with hex and base64 text forms.
//
// `Bytes` owns a variable-length byte string; `ByteSpan` borrows one (the caller keeps the
// bytes alive for as long as the span is used). `FixedBytes<N>` holds exactly N bytes by
// value, and `Hash32` is the 32-byte SHA-256 digest used for every identifier on the ledger.
#pragma once

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tradeledger::core {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

inline ByteSpan AsBytes(std::string_view s) {
  return ByteSpan(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}
inline std::string_view AsStringView(ByteSpan b) {
  return std::string_view(reinterpret_cast<const char*>(b.data()), b.size());
}
inline Bytes ToBytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

// Lower-case hex, two characters per byte.
std::string ToHex(ByteSpan bytes);
// Accepts upper or lower case; rejects odd length and non-hex characters ("HEX_INVALID").
Result<Bytes> FromHex(std::string_view hex);

// RFC 4648 base64 with padding.
std::string ToBase64(ByteSpan bytes);
// Strict: rejects missing or extra padding, characters outside the alphabet and non-zero
// trailing bits ("BASE64_INVALID"), so every byte string has exactly one accepted text form.
Result<Bytes> FromBase64(std::string_view text);

template <size_t N>
struct FixedBytes {
  static constexpr size_t kSize = N;
  std::array<uint8_t, N> data{};

  static Result<FixedBytes> FromSpan(ByteSpan bytes) {
    if (bytes.size() != N) {
      return Fail("LENGTH_INVALID",
                  "expected " + std::to_string(N) + " bytes, got " + std::to_string(bytes.size()));
    }
    FixedBytes out;
    std::copy(bytes.begin(), bytes.end(), out.data.begin());
    return out;
  }
  static Result<FixedBytes> FromHex(std::string_view hex) {
    TL_ASSIGN_OR_RETURN(Bytes raw, core::FromHex(hex));
    return FromSpan(raw);
  }

  ByteSpan span() const { return ByteSpan(data.data(), N); }
  std::string hex() const { return ToHex(span()); }
  bool IsZero() const {
    return std::all_of(data.begin(), data.end(), [](uint8_t b) { return b == 0; });
  }
  auto operator<=>(const FixedBytes&) const = default;
};

using Hash32 = FixedBytes<32>;

// A hash functor for unordered containers keyed by a digest (a hash, a key): its first eight
// bytes, which are already uniformly distributed. Not for bytes an adversary picks freely.
struct DigestHash {
  template <size_t N>
  size_t operator()(const FixedBytes<N>& d) const noexcept {
    static_assert(N >= sizeof(size_t));
    size_t out;
    std::memcpy(&out, d.data.data(), sizeof(out));
    return out;
  }
};

}  // namespace tradeledger::core
