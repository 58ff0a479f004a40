#include "node/safety_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tradeledger::node {
namespace {

core::Error IoError(const std::string& what, const std::string& path) {
  return core::Error{"SAFETY_FILE_IO", path + ": " + what + ": " + std::strerror(errno)};
}

// Closes `fd` and returns `status`, or the close error if `status` was OK.
core::Status CloseWith(int fd, core::Status status, const std::string& path) {
  if (::close(fd) != 0 && status) return core::Fail(IoError("close", path));
  return status;
}

}  // namespace

core::Result<core::Bytes> SafetyFile::Read() const {
  int fd = ::open(path_.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return core::Bytes{};
    return core::Fail(IoError("open", path_));
  }
  core::Bytes out;
  uint8_t buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      core::Error e = IoError("read", path_);
      ::close(fd);
      return core::Fail(e);
    }
    if (n == 0) break;
    out.insert(out.end(), buf, buf + n);
    if (out.size() > (1u << 20)) {
      ::close(fd);
      return core::Fail("SAFETY_FILE_IO", path_ + ": larger than 1 MiB");
    }
  }
  ::close(fd);
  return out;
}

core::Status SafetyFile::Write(core::ByteSpan state) {
  const std::string tmp = path_ + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return core::Fail(IoError("open", tmp));
  size_t done = 0;
  while (done < state.size()) {
    ssize_t n = ::write(fd, state.data() + done, state.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return CloseWith(fd, core::Fail(IoError("write", tmp)), tmp);
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return CloseWith(fd, core::Fail(IoError("fsync", tmp)), tmp);
  TL_RETURN_IF_ERROR(CloseWith(fd, core::Ok(), tmp));
  if (::rename(tmp.c_str(), path_.c_str()) != 0) return core::Fail(IoError("rename", path_));
  std::string dir = std::filesystem::path(path_).parent_path().string();
  if (dir.empty()) dir = ".";
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return core::Fail(IoError("open directory", dir));
  if (::fsync(dfd) != 0) return CloseWith(dfd, core::Fail(IoError("fsync directory", dir)), dir);
  return CloseWith(dfd, core::Ok(), dir);
}

}  // namespace tradeledger::node
