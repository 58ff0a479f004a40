// The consensus safety state on disk: the last Persist payload of the consensus core (last
// voted view, high QC, ...), which a validator must never lose between a vote and a restart.
//
// Kept in its own small file beside the data directory rather than in RocksDB, so that a
// validator whose ledger is wiped and rebuilt by block sync still remembers what it signed
// (doc/adr/0017-validator-network.md). Write() replaces the file atomically and durably:
// temporary file, fsync, rename, fsync of the directory; after a crash the file holds either
// the old or the new state, whole.
//
// Thread safety: one thread (the consensus driver) uses a SafetyFile.
#pragma once

#include <string>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::node {

class SafetyFile {
 public:
  explicit SafetyFile(std::string path) : path_(std::move(path)) {}

  // The stored state, or empty if the file does not exist yet. SAFETY_FILE_IO on read errors.
  core::Result<core::Bytes> Read() const;
  // Durably replaces the stored state. SAFETY_FILE_IO if any step fails (the old state stays).
  core::Status Write(core::ByteSpan state);

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace tradeledger::node
