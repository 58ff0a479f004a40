#include "node/safety_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "core/encoding.h"
#include "crypto/sha256.h"

namespace tradeledger::node {
namespace {

constexpr uint32_t kMagic = 0x544c5346;  // "TLSF"
constexpr size_t kHeaderBytes = 4 + 8 + 4 + 32;

core::Error IoError(const std::string& what, const std::string& path) {
  return core::Error{"SAFETY_FILE_IO", path + ": " + what + ": " + std::strerror(errno)};
}

core::Hash32 SlotDigest(uint64_t sequence, core::ByteSpan payload) {
  core::Encoder e(8);
  e.PutU64(sequence);
  return crypto::Sha256Of({e.bytes(), payload});
}

struct Slot {
  uint64_t sequence = 0;
  core::Bytes payload;
};

// A slot's content if it is whole and valid.
std::optional<Slot> ParseSlot(core::ByteSpan raw) {
  core::Decoder d(raw);
  auto magic = d.GetU32();
  auto sequence = d.GetU64();
  auto length = d.GetU32();
  auto digest = d.GetFixed(32);
  if (!magic || *magic != kMagic || !sequence || !length || !digest) return std::nullopt;
  if (*length > SafetyFile::kSlotBytes - kHeaderBytes) return std::nullopt;
  auto payload = d.GetFixed(*length);
  if (!payload) return std::nullopt;
  core::Hash32 expected = SlotDigest(*sequence, *payload);
  if (!std::equal(expected.span().begin(), expected.span().end(), digest->begin())) {
    return std::nullopt;
  }
  return Slot{*sequence, core::Bytes(payload->begin(), payload->end())};
}

bool ReadAll(int fd, uint8_t* out, size_t size, off_t offset, size_t* got) {
  *got = 0;
  while (*got < size) {
    ssize_t n = ::pread(fd, out + *got, size - *got, offset + static_cast<off_t>(*got));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return false;
    if (n == 0) break;
    *got += static_cast<size_t>(n);
  }
  return true;
}

}  // namespace

SafetyFile::~SafetyFile() {
  if (fd_ >= 0) ::close(fd_);
}

core::Result<core::Bytes> SafetyFile::Read() {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return core::Bytes{};
    return core::Fail(IoError("open", path_));
  }
  std::optional<Slot> best;
  core::Bytes raw(kSlotBytes);
  for (int slot = 0; slot < 2; ++slot) {
    size_t got = 0;
    if (!ReadAll(fd, raw.data(), raw.size(), static_cast<off_t>(slot * kSlotBytes), &got)) {
      core::Error e = IoError("read", path_);
      ::close(fd);
      return core::Fail(e);
    }
    auto parsed = ParseSlot(core::ByteSpan(raw.data(), got));
    if (parsed && (!best || parsed->sequence > best->sequence)) best = std::move(parsed);
  }
  ::close(fd);
  if (!best) return core::Fail("SAFETY_FILE_CORRUPT", path_ + ": no valid slot");
  sequence_ = best->sequence;
  return std::move(best->payload);
}

core::Status SafetyFile::OpenForWrite() {
  if (fd_ >= 0) return core::Ok();
  if (std::filesystem::exists(path_)) {
    // Continue the sequence of what is on disk.
    TL_RETURN_IF_ERROR(Read());
  } else {
    // Created whole or not at all: a temporary file holding a valid empty state in slot 0,
    // synced, then renamed into place and the directory synced. So a crash never leaves a file
    // without a valid slot.
    const std::string tmp = path_ + ".tmp";
    int fd = ::open(tmp.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return core::Fail(IoError("open", tmp));
    core::Encoder e(kHeaderBytes);
    e.PutU32(kMagic).PutU64(0).PutU32(0).Put(SlotDigest(0, {}));
    bool ok = ::pwrite(fd, e.bytes().data(), e.bytes().size(), 0) ==
                  static_cast<ssize_t>(e.bytes().size()) &&
              ::fdatasync(fd) == 0;
    core::Error error = IoError("write", tmp);
    ::close(fd);
    if (!ok) return core::Fail(error);
    if (::rename(tmp.c_str(), path_.c_str()) != 0) return core::Fail(IoError("rename", path_));
    std::string dir = std::filesystem::path(path_).parent_path().string();
    if (dir.empty()) dir = ".";
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) return core::Fail(IoError("open directory", dir));
    int synced = ::fsync(dfd);
    ::close(dfd);
    if (synced != 0) return core::Fail(IoError("fsync directory", dir));
    sequence_ = 0;
  }
  fd_ = ::open(path_.c_str(), O_RDWR | O_CLOEXEC);
  if (fd_ < 0) return core::Fail(IoError("open", path_));
  return core::Ok();
}

core::Status SafetyFile::Write(core::ByteSpan state) {
  if (state.size() > kSlotBytes - kHeaderBytes) {
    return core::Fail("SAFETY_FILE_IO", path_ + ": state of " + std::to_string(state.size()) +
                                            " bytes exceeds a slot");
  }
  TL_RETURN_IF_ERROR(OpenForWrite());
  uint64_t sequence = sequence_ + 1;
  core::Encoder e(kHeaderBytes + state.size());
  e.PutU32(kMagic).PutU64(sequence).PutU32(static_cast<uint32_t>(state.size()));
  e.Put(SlotDigest(sequence, state)).PutFixed(state);
  const core::Bytes& slot = e.bytes();
  off_t offset = static_cast<off_t>((sequence % 2) * kSlotBytes);
  size_t done = 0;
  while (done < slot.size()) {
    ssize_t n =
        ::pwrite(fd_, slot.data() + done, slot.size() - done, offset + static_cast<off_t>(done));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return core::Fail(IoError("write", path_));
    done += static_cast<size_t>(n);
  }
  if (::fdatasync(fd_) != 0) return core::Fail(IoError("fdatasync", path_));
  sequence_ = sequence;
  return core::Ok();
}

}  // namespace tradeledger::node
