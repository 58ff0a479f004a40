// Encrypted frames of an established session. The format is in doc/adr/0015-peer-transport.md.
//
// On the wire a frame is a u32 big-endian length followed by that many bytes of ciphertext:
// ChaCha20-Poly1305 (IETF) of the payload under the direction's session key, with the
// length prefix as associated data and a 96-bit nonce of four zero bytes and the frame's
// 64-bit big-endian sequence number. Sequence numbers are implicit: each direction starts at
// 0 and counts up by one per frame, so a replayed, reordered, dropped or corrupted frame
// fails authentication (FRAME_DECRYPT_FAILED).
//
// Thread safety: a FrameSealer or FrameOpener is used by one thread at a time.
#pragma once

#include <array>
#include <cstdint>

#include "core/bytes.h"
#include "core/result.h"
#include "net/secret.h"

namespace tradeledger::net {

inline constexpr size_t kFrameHeaderBytes = 4;
inline constexpr size_t kFrameTagBytes = 16;
// The largest payload a 32-bit length prefix can carry.
inline constexpr size_t kMaxFramePayloadBytes = UINT32_MAX - kFrameTagBytes;

using FrameHeader = std::array<uint8_t, kFrameHeaderBytes>;

FrameHeader EncodeFrameHeader(uint32_t length);
uint32_t DecodeFrameHeader(const FrameHeader& header);

// The ciphertext length a received header announces. Fails with FRAME_TOO_LARGE when the
// payload would exceed `max_payload_bytes`, and FRAME_DECRYPT_FAILED when the length is
// shorter than the tag. Call it before allocating the body.
core::Result<size_t> CheckFrameHeader(const FrameHeader& header, size_t max_payload_bytes);

// Seals the payloads of one direction.
class FrameSealer {
 public:
  explicit FrameSealer(const Secret32& key) : key_(key) {}

  // The whole frame, header included; uses the next sequence number. The payload must not
  // exceed kMaxFramePayloadBytes (checked: a bug otherwise).
  core::Bytes Seal(core::ByteSpan payload);
  uint64_t next_sequence() const { return sequence_; }

 private:
  Secret32 key_;
  uint64_t sequence_ = 0;
};

// Opens the frames of one direction, in order.
class FrameOpener {
 public:
  explicit FrameOpener(const Secret32& key) : key_(key) {}

  // Takes the ciphertext that followed a header (`ciphertext.size()` is the announced
  // length) and returns the payload, decrypted in place. FRAME_DECRYPT_FAILED if the frame
  // is not the next one of this direction under this key; the opener is then unusable and
  // the connection must be closed.
  core::Result<core::Bytes> Open(core::Bytes ciphertext);
  uint64_t next_sequence() const { return sequence_; }

 private:
  Secret32 key_;
  uint64_t sequence_ = 0;
  bool failed_ = false;
};

}  // namespace tradeledger::net
