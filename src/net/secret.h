// Secret key material of the transport (ephemeral X25519 keys, session keys).
//
// Thread safety: an ordinary value; one holder at a time.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace tradeledger::net {

// 32 secret bytes that are wiped (sodium_memzero) when destroyed or overwritten. Never logged.
class Secret32 {
 public:
  static constexpr size_t kSize = 32;

  Secret32() = default;
  ~Secret32();
  Secret32(const Secret32& other) = default;
  Secret32& operator=(const Secret32& other) = default;

  uint8_t* data() { return bytes_.data(); }
  const uint8_t* data() const { return bytes_.data(); }

 private:
  std::array<uint8_t, kSize> bytes_{};
};

}  // namespace tradeledger::net
