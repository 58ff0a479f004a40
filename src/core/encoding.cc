#include "core/encoding.h"

#include <limits>

namespace tradeledger::core {

Encoder& Encoder::PutU8(uint8_t v) {
  out_.push_back(v);
  return *this;
}

Encoder& Encoder::PutU16(uint16_t v) {
  out_.push_back(static_cast<uint8_t>(v >> 8));
  out_.push_back(static_cast<uint8_t>(v));
  return *this;
}

Encoder& Encoder::PutU32(uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(v >> shift));
  return *this;
}

Encoder& Encoder::PutU64(uint64_t v) {
  for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<uint8_t>(v >> shift));
  return *this;
}

Encoder& Encoder::PutBool(bool v) { return PutU8(v ? 1 : 0); }

Encoder& Encoder::PutFixed(ByteSpan bytes) {
  out_.insert(out_.end(), bytes.begin(), bytes.end());
  return *this;
}

Encoder& Encoder::PutBytes(ByteSpan bytes) {
  TL_CHECK(bytes.size() <= std::numeric_limits<uint32_t>::max());
  PutU32(static_cast<uint32_t>(bytes.size()));
  return PutFixed(bytes);
}

Encoder& Encoder::PutString(std::string_view text) { return PutBytes(AsBytes(text)); }

Status Decoder::Need(size_t n) const {
  if (remaining() < n) {
    return Fail("ENCODING_TRUNCATED", "need " + std::to_string(n) + " bytes at offset " +
                                          std::to_string(pos_) + ", have " +
                                          std::to_string(remaining()));
  }
  return Ok();
}

Status Decoder::ExpectVersion(uint8_t expected) {
  TL_ASSIGN_OR_RETURN(uint8_t v, GetU8());
  if (v != expected) {
    return Fail("ENCODING_BAD_VERSION",
                "version " + std::to_string(v) + ", expected " + std::to_string(expected));
  }
  return Ok();
}

Result<uint8_t> Decoder::GetU8() {
  TL_RETURN_IF_ERROR(Need(1));
  return input_[pos_++];
}

Result<uint16_t> Decoder::GetU16() {
  TL_RETURN_IF_ERROR(Need(2));
  uint16_t v = static_cast<uint16_t>((input_[pos_] << 8) | input_[pos_ + 1]);
  pos_ += 2;
  return v;
}

Result<uint32_t> Decoder::GetU32() {
  TL_RETURN_IF_ERROR(Need(4));
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v = (v << 8) | input_[pos_ + i];
  pos_ += 4;
  return v;
}

Result<uint64_t> Decoder::GetU64() {
  TL_RETURN_IF_ERROR(Need(8));
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | input_[pos_ + i];
  pos_ += 8;
  return v;
}

Result<bool> Decoder::GetBool() {
  TL_ASSIGN_OR_RETURN(uint8_t v, GetU8());
  if (v > 1) return Fail("ENCODING_BAD_BOOL", "boolean byte " + std::to_string(v));
  return v == 1;
}

Result<ByteSpan> Decoder::GetFixed(size_t n) {
  TL_RETURN_IF_ERROR(Need(n));
  ByteSpan out = input_.subspan(pos_, n);
  pos_ += n;
  return out;
}

Result<ByteSpan> Decoder::GetBytes(size_t max_len) {
  TL_ASSIGN_OR_RETURN(uint32_t len, GetU32());
  if (len > max_len) {
    return Fail("ENCODING_LENGTH_EXCEEDED",
                "length " + std::to_string(len) + " exceeds limit " + std::to_string(max_len));
  }
  return GetFixed(len);
}

Result<Bytes> Decoder::GetOwnedBytes(size_t max_len) {
  TL_ASSIGN_OR_RETURN(ByteSpan raw, GetBytes(max_len));
  return Bytes(raw.begin(), raw.end());
}

Result<std::string> Decoder::GetString(size_t max_len) {
  TL_ASSIGN_OR_RETURN(ByteSpan raw, GetBytes(max_len));
  std::string_view text = AsStringView(raw);
  if (!IsValidUtf8(text)) return Fail("ENCODING_BAD_UTF8", "text is not valid UTF-8");
  return std::string(text);
}

Result<uint32_t> Decoder::GetCount(uint32_t max_count) {
  TL_ASSIGN_OR_RETURN(uint32_t n, GetU32());
  if (n > max_count) {
    return Fail("ENCODING_LENGTH_EXCEEDED",
                "count " + std::to_string(n) + " exceeds limit " + std::to_string(max_count));
  }
  return n;
}

Status Decoder::Finish() const {
  if (remaining() != 0) {
    return Fail("ENCODING_TRAILING_BYTES", std::to_string(remaining()) + " unread bytes");
  }
  return Ok();
}

bool IsValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    uint8_t c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      len = 2;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      len = 3;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      len = 4;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) {
      return false;  // overlong
    }
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

}  // namespace tradeledger::core
