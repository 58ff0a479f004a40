// Document files beside the ledger (issue: attachments; DOMAIN rule 21).
//
//   POST /v1/attachments?sha256=H[&docId=D]   upload a file (raw body). The signed query names
//        the file's SHA-256, binding the body to the signature; a body that hashes otherwise,
//        or (with docId) a file whose hash differs from document D's anchor, is refused with
//        DOCUMENT_HASH_MISMATCH, recorded in the read audit log with its presenter, and not
//        stored. Answers {"sha256", "size"}.
//   GET  /v1/attachments/{sha256}             download: customs, or an organisation that
//        anchored a document with this content hash. Others: 403.
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

 private:
  http::Response Upload(const trade::Actor& reader, const http::Request& request);
  http::Response Download(const trade::Actor& reader, std::string_view hash_hex);

  Queries& queries_;
  node::AttachmentStore& store_;
};

}  // namespace tradeledger::api
