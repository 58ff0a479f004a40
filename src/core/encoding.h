// The canonical binary encoding: one encoder and one strict decoder for every structure
// that is hashed or signed (transactions, blocks, certificates, proofs, stored records).
// The byte layout is specified in doc/formats.md; golden-byte tests pin it.
//
// Rules that make every value have exactly one encoding:
//  - integers are fixed-width big-endian (u8, u16, u32, u64): no varints, so no overlong forms;
//  - booleans are one byte, 0x00 or 0x01, anything else is rejected;
//  - variable-length byte strings and text are a u32 length followed by the bytes; the decoder
//    takes a maximum for every length and rejects longer ones before allocating;
//  - text must be valid UTF-8 (no overlong forms, no surrogates);
//  - every top-level structure starts with a version byte, checked by the decoder;
//  - the decoder's Finish() rejects trailing bytes.
//
// Thread safety: an Encoder or Decoder is used by one thread at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::core {

class Encoder {
 public:
  Encoder() = default;
  explicit Encoder(size_t reserve) { out_.reserve(reserve); }

  Encoder& PutU8(uint8_t v);
  Encoder& PutU16(uint16_t v);
  Encoder& PutU32(uint32_t v);
  Encoder& PutU64(uint64_t v);
  Encoder& PutBool(bool v);
  // Raw bytes without a length: only for fields whose size the format fixes.
  Encoder& PutFixed(ByteSpan bytes);
  template <size_t N>
  Encoder& Put(const FixedBytes<N>& v) {
    return PutFixed(v.span());
  }
  // u32 length, then the bytes. Aborts (a bug) if the length does not fit in 32 bits.
  Encoder& PutBytes(ByteSpan bytes);
  Encoder& PutString(std::string_view text);

  const Bytes& bytes() const& { return out_; }
  Bytes Take() && { return std::move(out_); }

 private:
  Bytes out_;
};

// Reads from a borrowed buffer that must outlive the Decoder and every span it returns.
class Decoder {
 public:
  explicit Decoder(ByteSpan input) : input_(input) {}

  // Reads the version byte and fails with ENCODING_BAD_VERSION unless it equals `expected`.
  Status ExpectVersion(uint8_t expected);
  Result<uint8_t> GetU8();
  Result<uint16_t> GetU16();
  Result<uint32_t> GetU32();
  Result<uint64_t> GetU64();
  Result<bool> GetBool();
  // Borrows `n` raw bytes.
  Result<ByteSpan> GetFixed(size_t n);
  template <size_t N>
  Result<FixedBytes<N>> Get() {
    TL_ASSIGN_OR_RETURN(ByteSpan raw, GetFixed(N));
    return FixedBytes<N>::FromSpan(raw);
  }
  // Length-prefixed; fails with ENCODING_LENGTH_EXCEEDED when the length exceeds `max_len`.
  Result<ByteSpan> GetBytes(size_t max_len);
  Result<Bytes> GetOwnedBytes(size_t max_len);
  // As GetBytes, and the bytes must be valid UTF-8 (ENCODING_BAD_UTF8).
  Result<std::string> GetString(size_t max_len);
  // A u32 element count for a repeated field, bounded by `max_count`.
  Result<uint32_t> GetCount(uint32_t max_count);

  size_t remaining() const { return input_.size() - pos_; }
  // Succeeds only if every byte was consumed (ENCODING_TRAILING_BYTES otherwise).
  Status Finish() const;

 private:
  Status Need(size_t n) const;

  ByteSpan input_;
  size_t pos_ = 0;
};

// True if `text` is well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text);

}  // namespace tradeledger::core
