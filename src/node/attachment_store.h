// Content-addressed storage of document files (PDFs, images) beside the ledger: only a file's
// SHA-256 and its access policy go on the ledger (DESIGN.md decision 7).
//
// Files live in <dir>/<hex sha256>; a write goes to a temporary file that is fsynced and then
// renamed, so a file is either complete or absent. The name is the content's hash, so a
// corrupted or substituted file is detected on every read.
//
// Thread safety: all methods are safe from any thread.
#pragma once

#include <string>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::node {

class AttachmentStore {
 public:
  explicit AttachmentStore(std::string dir) : dir_(std::move(dir)) {}

  // Stores `content` and returns its SHA-256 (idempotent).
  core::Result<core::Hash32> Put(core::ByteSpan content);
  // The file with this hash: NOT_FOUND, or STORAGE_CORRUPT if its bytes no longer hash to it.
  core::Result<core::Bytes> Get(const core::Hash32& hash) const;
  // Deletes the file with this hash, durably (the directory is fsynced); absent is success.
  core::Status Remove(const core::Hash32& hash);
  // The hashes of the files held.
  core::Result<std::vector<core::Hash32>> List() const;

 private:
  std::string dir_;
};

}  // namespace tradeledger::node
