#include "net/frame.h"

#include <sodium.h>

#include <cstring>
#include <string>

#include "crypto/ed25519.h"
#include "net/reasons.h"

namespace tradeledger::net {

namespace {

static_assert(kFrameTagBytes == crypto_aead_chacha20poly1305_ietf_ABYTES);
static_assert(crypto_aead_chacha20poly1305_ietf_KEYBYTES == Secret32::kSize);

using Nonce = std::array<uint8_t, crypto_aead_chacha20poly1305_ietf_NPUBBYTES>;

Nonce NonceFor(uint64_t sequence) {
  Nonce nonce{};
  for (size_t i = 0; i < 8; ++i) {
    nonce[nonce.size() - 1 - i] = static_cast<uint8_t>(sequence >> (8 * i));
  }
  return nonce;
}

}  // namespace

FrameHeader EncodeFrameHeader(uint32_t length) {
  return {static_cast<uint8_t>(length >> 24), static_cast<uint8_t>(length >> 16),
          static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)};
}

uint32_t DecodeFrameHeader(const FrameHeader& header) {
  return (uint32_t{header[0]} << 24) | (uint32_t{header[1]} << 16) | (uint32_t{header[2]} << 8) |
         uint32_t{header[3]};
}

core::Result<size_t> CheckFrameHeader(const FrameHeader& header, size_t max_payload_bytes) {
  size_t length = DecodeFrameHeader(header);
  if (length < kFrameTagBytes) {
    return core::Fail(std::string(reason::kFrameDecryptFailed), "frame shorter than its tag");
  }
  if (length - kFrameTagBytes > max_payload_bytes) {
    return core::Fail(std::string(reason::kFrameTooLarge), "frame of " + std::to_string(length) +
                                                               " bytes exceeds the limit of " +
                                                               std::to_string(max_payload_bytes));
  }
  return length;
}

core::Bytes FrameSealer::Seal(core::ByteSpan payload) {
  TL_CHECK(payload.size() <= kMaxFramePayloadBytes);
  TL_CHECK(sequence_ != UINT64_MAX);
  crypto::EnsureSodium();
  const size_t length = payload.size() + kFrameTagBytes;
  const FrameHeader header = EncodeFrameHeader(static_cast<uint32_t>(length));
  core::Bytes frame(kFrameHeaderBytes + length);
  std::memcpy(frame.data(), header.data(), header.size());
  uint8_t* body = frame.data() + kFrameHeaderBytes;
  if (!payload.empty()) std::memcpy(body, payload.data(), payload.size());
  const Nonce nonce = NonceFor(sequence_++);
  crypto_aead_chacha20poly1305_ietf_encrypt_detached(body, body + payload.size(), nullptr, body,
                                                     payload.size(), header.data(), header.size(),
                                                     nullptr, nonce.data(), key_.data());
  return frame;
}

core::Result<core::Bytes> FrameOpener::Open(core::Bytes ciphertext) {
  if (failed_ || ciphertext.size() < kFrameTagBytes || ciphertext.size() > UINT32_MAX) {
    failed_ = true;
    return core::Fail(std::string(reason::kFrameDecryptFailed), "frame shorter than its tag");
  }
  crypto::EnsureSodium();
  const size_t payload_size = ciphertext.size() - kFrameTagBytes;
  const FrameHeader header = EncodeFrameHeader(static_cast<uint32_t>(ciphertext.size()));
  const Nonce nonce = NonceFor(sequence_);
  uint8_t* body = ciphertext.data();
  if (crypto_aead_chacha20poly1305_ietf_decrypt_detached(
          body, nullptr, body, payload_size, body + payload_size, header.data(), header.size(),
          nonce.data(), key_.data()) != 0) {
    failed_ = true;
    return core::Fail(std::string(reason::kFrameDecryptFailed),
                      "frame " + std::to_string(sequence_) + " does not authenticate");
  }
  ++sequence_;
  ciphertext.resize(payload_size);
  return ciphertext;
}

}  // namespace tradeledger::net
