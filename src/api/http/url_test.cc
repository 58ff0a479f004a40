#include "api/http/url.h"

#include <gtest/gtest.h>

namespace tradeledger::api::http {
namespace {

TEST(ParseUrl, ReadsHostPortAndPrefix) {
  auto url = ParseUrl("http://node1.example:8080/ledger/");
  ASSERT_TRUE(url) << url.error().ToString();
  EXPECT_EQ(url->scheme, "http");
  EXPECT_EQ(url->host, "node1.example");
  EXPECT_EQ(url->port, 8080);
  EXPECT_EQ(url->prefix, "/ledger");
  EXPECT_FALSE(url->tls());
}

TEST(ParseUrl, DefaultsPortFromScheme) {
  auto http = ParseUrl("http://127.0.0.1");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->port, 80);
  EXPECT_EQ(http->prefix, "");
  auto https = ParseUrl("HTTPS://ledger.cbp.example/");
  ASSERT_TRUE(https);
  EXPECT_EQ(https->scheme, "https");
  EXPECT_EQ(https->port, 443);
  EXPECT_TRUE(https->tls());
  EXPECT_EQ(https->prefix, "");
}

TEST(ParseUrl, AcceptsBracketedIpv6) {
  auto url = ParseUrl("http://[::1]:9000/api%20v1");
  ASSERT_TRUE(url) << url.error().ToString();
  EXPECT_EQ(url->host, "::1");
  EXPECT_EQ(url->port, 9000);
  EXPECT_EQ(url->prefix, "/api%20v1");  // kept in wire form
}

TEST(ParseUrl, RejectsBadUrls) {
  for (const char* bad :
       {"", "node1:8080", "ftp://host/", "http://", "http://:80", "http://host:", "http://host:0",
        "http://host:65536", "http://host:80x", "http://host:-1", "http://user@host/",
        "http://host/a?b=c", "http://host/#frag", "http://ho st/", "http://[::1", "http://[::1]x",
        "http://host/a%zz", "http://host/a b", "http://host/%00"}) {
    auto url = ParseUrl(bad);
    EXPECT_FALSE(url) << "accepted: " << bad;
    if (!url) {
      EXPECT_EQ(url.error().code, "URL_INVALID") << bad;
    }
  }
}

TEST(PercentDecode, DecodesEscapesAndOptionallyPlus) {
  EXPECT_EQ(*PercentDecode("a%20b%2Fc%c3%A9", false), "a b/c\xc3\xa9");
  EXPECT_EQ(*PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(*PercentDecode("a+b", true), "a b");
  EXPECT_EQ(*PercentDecode("", true), "");
}

TEST(PercentDecode, RejectsMalformedEscapesAndNul) {
  for (const char* bad : {"%", "%2", "a%g0", "%0g", "x%00y", "end%"}) {
    auto decoded = PercentDecode(bad, true);
    EXPECT_FALSE(decoded) << bad;
    if (!decoded) {
      EXPECT_EQ(decoded.error().code, "URL_INVALID");
    }
  }
}

TEST(PercentEncode, RoundTripsEveryByteExceptNul) {
  std::string all;
  for (int i = 1; i < 256; ++i) all.push_back(static_cast<char>(i));
  std::string encoded = PercentEncode(all);
  EXPECT_EQ(encoded.find_first_of(" /?&=+%#", 0), encoded.find('%'));
  auto back = PercentDecode(encoded, true);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, all);
  EXPECT_EQ(PercentEncode("A-z_0.~ /"), "A-z_0.~%20%2F");
}

TEST(ParseQuery, SplitsAndDecodes) {
  auto query = ParseQuery("a=1&b=x%20y+z&flag&&empty=&c=%3D%26");
  ASSERT_TRUE(query) << query.error().ToString();
  EXPECT_EQ(query->size(), 5u);
  EXPECT_EQ(query->at("a"), "1");
  EXPECT_EQ(query->at("b"), "x y z");
  EXPECT_EQ(query->at("flag"), "");
  EXPECT_EQ(query->at("empty"), "");
  EXPECT_EQ(query->at("c"), "=&");
}

TEST(ParseQuery, RejectsDuplicateAndEmptyKeysAndBadEscapes) {
  EXPECT_EQ(ParseQuery("a=1&a=2").error().code, "URL_INVALID");
  EXPECT_EQ(ParseQuery("a=1&%61=2").error().code, "URL_INVALID");  // same key once decoded
  EXPECT_EQ(ParseQuery("=1").error().code, "URL_INVALID");
  EXPECT_EQ(ParseQuery("a=%zz").error().code, "URL_INVALID");
}

TEST(ParseTarget, SplitsPathAndQueryAndDropsFragment) {
  auto target = ParseTarget("/v1/docs/ab%20c+d?x=1%2B1&y=a+b#frag");
  ASSERT_TRUE(target) << target.error().ToString();
  EXPECT_EQ(target->path, "/v1/docs/ab c+d");  // '+' is literal in a path
  EXPECT_EQ(target->query.at("x"), "1+1");
  EXPECT_EQ(target->query.at("y"), "a b");

  auto bare = ParseTarget("/health");
  ASSERT_TRUE(bare);
  EXPECT_EQ(bare->path, "/health");
  EXPECT_TRUE(bare->query.empty());
}

TEST(ParseTarget, RejectsNonOriginFormAndBadEncoding) {
  for (const char* bad : {"", "*", "health", "http://host/x", "/a%zz", "/a%00b", "/a?b=%"}) {
    auto target = ParseTarget(bad);
    EXPECT_FALSE(target) << bad;
  }
}

}  // namespace
}  // namespace tradeledger::api::http
