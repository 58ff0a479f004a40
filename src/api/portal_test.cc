// The portal's static files: loaded once, served by name only, with the security headers.
#include "api/portal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tradeledger::api {
namespace {

namespace fs = std::filesystem;

class PortalTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tl-portal-test-" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "assets");
    Write("index.html", "<!doctype html><title>TradeLedger</title>");
    Write("assets/app-1a2b.js", "console.log(1)");
    Write("assets/app-1a2b.css", "body{}");
    // Outside the portal directory: never reachable.
    std::ofstream(dir_.parent_path() / "tl-portal-secret.txt") << "secret";
  }
  void TearDown() override {
    fs::remove_all(dir_);
    fs::remove(dir_.parent_path() / "tl-portal-secret.txt");
  }
  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / name, std::ios::binary) << text;
  }
  static std::string Header(const http::Response& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
      if (n == name) return v;
    }
    return "";
  }
  fs::path dir_;
};

TEST_F(PortalTest, ServesTheIndexAndAssetsWithTheirTypesAndSecurityHeaders) {
  auto portal = Portal::Load(dir_.string());
  ASSERT_TRUE(portal) << portal.error().ToString();
  EXPECT_EQ(portal->file_count(), 3u);
  auto index = portal->Serve("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("TradeLedger"), std::string::npos);
  EXPECT_EQ(Header(*index, "Content-Security-Policy"), Portal::kContentSecurityPolicy);
  EXPECT_EQ(Header(*index, "Cache-Control"), "no-cache");
  EXPECT_EQ(Header(*index, "X-Content-Type-Options"), "nosniff");
  auto script = portal->Serve("/assets/app-1a2b.js");
  ASSERT_TRUE(script);
  EXPECT_EQ(script->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(Header(*script, "Cache-Control").find("immutable"), std::string::npos);
  EXPECT_EQ(portal->Serve("/assets/app-1a2b.css")->content_type, "text/css; charset=utf-8");
}

TEST_F(PortalTest, OnlyLoadedNamesAreServed) {
  auto portal = Portal::Load(dir_.string());
  ASSERT_TRUE(portal);
  for (const char* path : {"/../tl-portal-secret.txt", "/assets/../../tl-portal-secret.txt",
                           "/assets/", "/assets/missing.js", "/v1/me", "", "index.html"}) {
    EXPECT_FALSE(portal->Serve(path)) << path;
  }
  // A file added after loading is not served: the portal is what was loaded at start.
  Write("late.js", "x");
  EXPECT_FALSE(portal->Serve("/late.js"));
}

TEST_F(PortalTest, ADirectoryWithoutAnIndexOrWithAStrangeNameIsRefused) {
  fs::remove(dir_ / "index.html");
  auto missing = Portal::Load(dir_.string());
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "PORTAL_INVALID");
  Write("index.html", "<!doctype html>");
  Write("assets/with space.js", "x");
  auto strange = Portal::Load(dir_.string());
  ASSERT_FALSE(strange);
  EXPECT_EQ(strange.error().code, "PORTAL_INVALID");
  EXPECT_FALSE(Portal::Load((dir_ / "nowhere").string()));
}

}  // namespace
}  // namespace tradeledger::api
