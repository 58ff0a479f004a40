// Test helper shared by the end-to-end and story harnesses: a claim on a TCP port that no other
// test process can also hold. Test processes run in parallel (ctest -j) and pick ports long
// before their nodes bind them; checking that a port can be bound does not stop another
// process from picking it meanwhile. For tests only.
#pragma once

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <system_error>

namespace tradeledger::test_support {

// True if this process now holds the claim on `port`: an exclusive lock on
// /tmp/tl-e2e-ports/<port>, kept (its descriptor left open) until the process exits, when the
// kernel drops it. False if another process holds it or the claim cannot be made; a port
// claimed twice by this process is refused the second time, as flock locks of two descriptors
// conflict.
inline bool ClaimPort(uint16_t port) {
  const std::filesystem::path claims = "/tmp/tl-e2e-ports";
  std::error_code ec;
  std::filesystem::create_directories(claims, ec);
  int fd = ::open((claims / std::to_string(port)).c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0) return false;
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    return false;
  }
  return true;  // the descriptor stays open: the claim lasts as long as the process
}

}  // namespace tradeledger::test_support
