// The web portal's static files, served by the node at "/" (ADR 0023).
//
// The portal (portal/, a Vite + TypeScript build) is a directory of files: index.html and
// assets/ with content-hashed names. A node loads the whole directory into memory when it
// starts and serves only the names it loaded, so a request path can never reach another file
// (no "..", no symlink to follow at request time) and a request never touches the disk.
//
// Every answer carries a Content-Security-Policy that allows scripts, styles, images and
// connections from the node itself only (no inline script, no third-party origin: the
// portal signs with the participant's key, and nothing else may run beside it), and
// X-Content-Type-Options, Referrer-Policy and frame-ancestors headers. index.html is answered
// with Cache-Control no-cache; assets/* (whose names change with their content) as immutable.
//
// Thread safety: a loaded Portal is immutable; Serve() may be called from any thread.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "api/http/http_types.h"
#include "core/result.h"

namespace tradeledger::api {

class Portal {
 public:
  // At most this many bytes in all, and this many files, are loaded.
  static constexpr size_t kMaxTotalBytes = 16 << 20;
  static constexpr size_t kMaxFiles = 512;

  // Loads every regular file under `dir`, which must hold index.html. PORTAL_INVALID if it
  // does not, if a file is too large or too many, or if a name is not plain ASCII
  // [A-Za-z0-9._-/]; FILE_READ_FAILED if a file cannot be read.
  static core::Result<Portal> Load(const std::string& dir);

  // The answer to GET `path`: "/" and "/index.html" give index.html, "/<name>" a loaded file;
  // nullopt for any other path (the caller routes it elsewhere).
  std::optional<http::Response> Serve(std::string_view path) const;

  size_t file_count() const { return files_.size(); }
  size_t total_bytes() const { return total_bytes_; }

  // The Content-Security-Policy every portal answer carries.
  static const char kContentSecurityPolicy[];

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File, std::less<>> files_;  // by name relative to the directory
  size_t total_bytes_ = 0;
};

// Where a node looks for the portal when its configuration names none: the directory of the
// installed package (<executable>/../share/tradeledger/portal), then the source tree's build
// output (portal/dist, as compiled in). Empty if neither holds an index.html.
std::string DefaultPortalDir();

}  // namespace tradeledger::api
