#include "api/portal.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

namespace tradeledger::api {
namespace {

namespace fs = std::filesystem;

std::string ContentTypeFor(std::string_view name) {
  static const std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".json", "application/json"},
      {".txt", "text/plain; charset=utf-8"},
      {".woff2", "font/woff2"},
  };
  for (const auto& [extension, type] : kTypes) {
    if (name.ends_with(extension)) return std::string(type);
  }
  return "application/octet-stream";
}

bool IsPlainName(std::string_view name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  for (char c : name) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || c == '/';
    if (!ok) return false;
  }
  return true;
}

bool HasIndex(const fs::path& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_regular_file(dir / "index.html", ec);
}

}  // namespace

const char Portal::kContentSecurityPolicy[] =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'none'";

core::Result<Portal> Portal::Load(const std::string& dir) {
  if (!HasIndex(dir)) return core::Fail("PORTAL_INVALID", dir + " holds no index.html");
  Portal portal;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    std::string name = fs::relative(it->path(), dir, ec).generic_string();
    if (ec) break;
    if (!IsPlainName(name)) return core::Fail("PORTAL_INVALID", "file name '" + name + "'");
    if (portal.files_.size() == kMaxFiles) {
      return core::Fail("PORTAL_INVALID", "more than " + std::to_string(kMaxFiles) + " files");
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) return core::Fail("FILE_READ_FAILED", it->path().string());
    portal.total_bytes_ += body.size();
    if (portal.total_bytes_ > kMaxTotalBytes) {
      return core::Fail("PORTAL_INVALID", "more than " + std::to_string(kMaxTotalBytes) + " bytes");
    }
    portal.files_[name] = File{ContentTypeFor(name), std::move(body)};
  }
  if (ec) return core::Fail("FILE_READ_FAILED", dir + ": " + ec.message());
  return portal;
}

std::optional<http::Response> Portal::Serve(std::string_view path) const {
  if (!path.starts_with('/')) return std::nullopt;
  std::string_view name = path == "/" ? std::string_view("index.html") : path.substr(1);
  auto it = files_.find(name);
  if (it == files_.end()) return std::nullopt;
  http::Response r;
  r.content_type = it->second.content_type;
  r.body = it->second.body;
  r.headers = {{"Content-Security-Policy", kContentSecurityPolicy},
               {"X-Content-Type-Options", "nosniff"},
               {"Referrer-Policy", "no-referrer"},
               {"X-Frame-Options", "DENY"},
               {"Cache-Control",
                name.starts_with("assets/") ? "public, max-age=31536000, immutable" : "no-cache"}};
  return r;
}

std::string DefaultPortalDir() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    fs::path installed = exe.parent_path().parent_path() / "share" / "tradeledger" / "portal";
    if (HasIndex(installed)) return installed.string();
  }
#ifdef TL_PORTAL_SOURCE_DIR
  if (HasIndex(TL_PORTAL_SOURCE_DIR)) return TL_PORTAL_SOURCE_DIR;
#endif
  return "";
}

}  // namespace tradeledger::api
