// Ed25519 key files.
//
// A key file is three lines of text (see doc/formats.md):
//     tradeledger-ed25519-key-v1
//     seed <64 hex digits>
//     public <64 hex digits>
// It is created with mode 0600 and never overwritten. Reading refuses a file that group or
// others may read or write (KEY_FILE_PERMISSIONS), a missing one (KEY_FILE_MISSING) and one
// whose content is malformed or whose public key does not match its seed (KEY_FILE_CORRUPT).
#pragma once

#include <string>

#include "core/result.h"
#include "crypto/ed25519.h"

namespace tradeledger::crypto {

// Writes `key` to `path` with mode 0600. Fails with KEY_FILE_EXISTS if the path exists and
// with KEY_FILE_IO on any other file-system error.
core::Status WriteKeyFile(const std::string& path, const KeyPair& key);

core::Result<KeyPair> ReadKeyFile(const std::string& path);

}  // namespace tradeledger::crypto
