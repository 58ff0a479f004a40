// The consensus safety state on disk: the last Persist payload of the consensus core (highest
// view voted in or timed out of, high QC), which a validator must never lose between a vote and
// a restart.
//
// Kept in its own small file beside the data directory rather than in RocksDB, so that a
// validator whose ledger is wiped and rebuilt by block sync still remembers what it signed
// (doc/adr/0017-validator-network.md).
//
// Layout: two fixed slots of kSlotBytes; each write goes to the slot the previous write did
// not use, then fdatasync — one flush per vote. A slot is
//     magic "TLSF" | sequence u64 | length u32 | SHA-256(sequence | payload) | payload
// Read() returns the valid slot with the highest sequence. A crash during a write can only
// tear the slot being written; the other still holds the previous state, which is exactly what
// a crash before the write would have left (the vote it protects was not sent).
//
// Thread safety: one thread (the consensus driver) uses a SafetyFile.
#pragma once

#include <cstdint>
#include <string>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::node {

// Where a validator keeps its safety state: SafetyFile on disk; the simulator keeps it in
// memory beside its in-memory store.
class SafetyStore {
 public:
  virtual ~SafetyStore() = default;
  // The stored state, or empty if none was written.
  virtual core::Result<core::Bytes> Read() = 0;
  // Replaces the stored state; durable when it returns. On failure the previous state stays.
  virtual core::Status Write(core::ByteSpan state) = 0;
};

class SafetyFile final : public SafetyStore {
 public:
  // Largest state a slot holds (a high QC of 64 validators is about 5 KiB).
  static constexpr size_t kSlotBytes = 64 * 1024;

  explicit SafetyFile(std::string path) : path_(std::move(path)) {}
  ~SafetyFile() override;
  SafetyFile(const SafetyFile&) = delete;
  SafetyFile& operator=(const SafetyFile&) = delete;

  // The stored state, or empty if the file does not exist yet. SAFETY_FILE_IO on read errors,
  // SAFETY_FILE_CORRUPT if the file exists but neither slot is valid.
  core::Result<core::Bytes> Read() override;
  // Durably replaces the stored state (SAFETY_FILE_IO if any step fails; the previous state
  // then stays readable). SAFETY_FILE_IO also if the state exceeds a slot.
  core::Status Write(core::ByteSpan state) override;

  const std::string& path() const { return path_; }

 private:
  // Opens (creating both slots and syncing the directory on first use) the file for writing.
  core::Status OpenForWrite();

  std::string path_;
  int fd_ = -1;
  uint64_t sequence_ = 0;  // of the last slot read or written
};

}  // namespace tradeledger::node
