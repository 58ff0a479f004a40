#include "crypto/key_file.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <sstream>

namespace tradeledger::crypto {
namespace {

constexpr char kMagic[] = "tradeledger-ed25519-key-v1";
constexpr size_t kMaxKeyFileSize = 4096;

core::Status WriteAll(int fd, const std::string& data, const std::string& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return core::Fail("KEY_FILE_IO", path + ": " + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return core::Ok();
}

}  // namespace

core::Status WriteKeyFile(const std::string& path, const KeyPair& key) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return core::Fail("KEY_FILE_EXISTS", path + " already exists");
    return core::Fail("KEY_FILE_IO", path + ": " + std::strerror(errno));
  }
  std::string text = std::string(kMagic) + "\nseed " + key.secret_key.seed().hex() + "\npublic " +
                     key.public_key.hex() + "\n";
  core::Status written = WriteAll(fd, text, path);
  sodium_memzero(text.data(), text.size());
  if (written && ::fsync(fd) != 0) {
    written = core::Fail("KEY_FILE_IO", path + ": fsync: " + std::strerror(errno));
  }
  ::close(fd);
  if (!written) ::unlink(path.c_str());
  return written;
}

core::Result<KeyPair> ReadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return core::Fail("KEY_FILE_MISSING", path + " does not exist");
    return core::Fail("KEY_FILE_IO", path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return core::Fail("KEY_FILE_IO", path + ": " + std::strerror(errno));
  }
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
    return core::Fail("KEY_FILE_PERMISSIONS", path + " has mode " + mode +
                                                  "; a key file must not be accessible to group "
                                                  "or others (chmod 600)");
  }
  std::string text(kMaxKeyFileSize + 1, '\0');
  size_t got = 0;
  while (got < text.size()) {
    ssize_t n = ::read(fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  ::close(fd);
  text.resize(got);
  if (got > kMaxKeyFileSize) return core::Fail("KEY_FILE_CORRUPT", path + " is too large");

  std::istringstream in(text);
  std::string magic, seed_label, seed_hex, public_label, public_hex, extra;
  std::getline(in, magic);
  in >> seed_label >> seed_hex >> public_label >> public_hex;
  bool trailing = static_cast<bool>(in >> extra);
  sodium_memzero(text.data(), text.size());
  if (magic != kMagic || seed_label != "seed" || public_label != "public" || trailing) {
    return core::Fail("KEY_FILE_CORRUPT", path + " is not a tradeledger Ed25519 key file");
  }
  auto seed = Seed::FromHex(seed_hex);
  auto pub = PublicKey::FromHex(public_hex);
  sodium_memzero(seed_hex.data(), seed_hex.size());
  if (!seed || !pub) return core::Fail("KEY_FILE_CORRUPT", path + ": bad hex in key file");
  KeyPair key = KeyPair::FromSeed(*seed);
  if (key.public_key != *pub) {
    return core::Fail("KEY_FILE_CORRUPT", path + ": public key does not match the seed");
  }
  return key;
}

}  // namespace tradeledger::crypto
