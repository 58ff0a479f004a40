// Document files beside the ledger (issue: attachments; DOMAIN rule 21).
//
//   POST /v1/attachments?sha256=H[&docId=D]   upload a file (raw body). The signed query names
//        the file's SHA-256, binding the body to the signature; a body that hashes otherwise,
//        or (with docId) a file whose hash differs from document D's anchor, is refused with
//        DOCUMENT_HASH_MISMATCH, recorded in the read audit log with its presenter, and not
//        stored. Answers {"sha256", "size"}.
//   GET  /v1/attachments/{sha256}             download: customs, or an organisation that
//        anchored a document with this content hash. Others: 403. Purged content: 410
//        DOCUMENT_PURGED (and an upload of it is refused with the same code). A file is kept
//        only by the nodes it was uploaded to (ADR 0011): another node answers 404 NOT_FOUND.
//
// Retention (rule 32, trade/document_purge.h): when a committed document.purge leaves no live
// document with a content hash, ApplyPurges deletes the file; Sweep, at start, deletes any
// such file a crash left behind.
//
// Thread safety: Handle() is called concurrently by the HTTP threads.
#pragma once

#include <optional>

#include "api/queries.h"
#include "node/attachment_store.h"

namespace tradeledger::api {

class Attachments {
 public:
  // Borrows both; they must outlive this object.
  Attachments(Queries& queries, node::AttachmentStore& store) : queries_(queries), store_(store) {}

  std::optional<http::Response> Handle(const http::Request& request);

  // Deletes the files that the committed purges of `block` left without a live document.
  // Called after each commit, before the block is announced.
  core::Status ApplyPurges(const ledger::StoredBlock& block);
  // Deletes every held file whose content is anchored but has no live document.
  core::Status Sweep();

 private:
  http::Response Upload(const trade::Actor& reader, const http::Request& request);
  http::Response Download(const trade::Actor& reader, std::string_view hash_hex);
  // True if `hash` was anchored and every document with it is purged.
  core::Result<bool> Purged(const core::Hash32& hash) const;

  Queries& queries_;
  node::AttachmentStore& store_;
};

}  // namespace tradeledger::api
