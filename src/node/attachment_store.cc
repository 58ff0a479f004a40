#include "node/attachment_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "crypto/sha256.h"
#include "node/genesis.h"

namespace tradeledger::node {
namespace {

constexpr size_t kMaxAttachmentBytes = 64u << 20;

}  // namespace

core::Result<core::Hash32> AttachmentStore::Put(core::ByteSpan content) {
  core::Hash32 hash = crypto::Sha256Of(content);
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  std::string path = dir_ + "/" + hash.hex();
  if (std::filesystem::exists(path, ec)) return hash;
  static std::atomic<uint64_t> counter{0};
  std::string tmp = path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(++counter);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return core::Fail("STORAGE_ERROR", tmp + ": " + std::strerror(errno));
  size_t done = 0;
  while (done < content.size()) {
    ssize_t n = ::write(fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  bool ok = done == content.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return core::Fail("STORAGE_ERROR", "cannot write attachment " + hash.hex());
  }
  return hash;
}

core::Result<core::Bytes> AttachmentStore::Get(const core::Hash32& hash) const {
  std::string path = dir_ + "/" + hash.hex();
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return core::Fail("NOT_FOUND", "no attachment " + hash.hex());
  }
  TL_ASSIGN_OR_RETURN(std::string data, ReadFile(path, kMaxAttachmentBytes));
  core::Bytes bytes = core::ToBytes(data);
  if (crypto::Sha256Of(bytes) != hash) {
    return core::Fail("STORAGE_CORRUPT",
                      "attachment " + hash.hex() + " no longer matches its hash");
  }
  return bytes;
}

core::Status AttachmentStore::Remove(const core::Hash32& hash) {
  std::string path = dir_ + "/" + hash.hex();
  if (::unlink(path.c_str()) != 0 && errno != ENOENT) {
    return core::Fail("STORAGE_ERROR", path + ": " + std::strerror(errno));
  }
  int dir = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir < 0) return errno == ENOENT ? core::Ok() : core::Fail("STORAGE_ERROR", dir_);
  bool synced = ::fsync(dir) == 0;
  ::close(dir);
  if (!synced) return core::Fail("STORAGE_ERROR", "cannot sync " + dir_);
  return core::Ok();
}

core::Result<std::vector<core::Hash32>> AttachmentStore::List() const {
  std::vector<core::Hash32> out;
  std::error_code ec;
  if (!std::filesystem::exists(dir_, ec)) return out;
  for (const auto& entry : std::filesystem::directory_iterator(dir_, ec)) {
    auto hash = core::Hash32::FromHex(entry.path().filename().string());
    if (hash) out.push_back(*hash);
  }
  if (ec) return core::Fail("STORAGE_ERROR", dir_ + ": " + ec.message());
  return out;
}

}  // namespace tradeledger::node
