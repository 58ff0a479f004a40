#include "trade/ior_number.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "trade/admission.h"
#include "trade/registry.h"

namespace tradeledger::trade {
namespace {

using core::AsBytes;

TEST(IorNumber, Formats) {
  EXPECT_TRUE(IsValidIorNumber("12-3456789AB"));
  EXPECT_FALSE(IsValidIorNumber("12-3456789AO"));  // suffix O not allowed
  EXPECT_TRUE(IsValidIorNumber("123-45-6789"));
  EXPECT_TRUE(IsValidIorNumber("250512-00001"));
  EXPECT_FALSE(IsValidIorNumber("12345"));
}

// The expected value was computed independently (Python's hashlib.pbkdf2_hmac) from the
// definition in the header: a browser's WebCrypto derives the same bytes.
TEST(IorNumber, HashIsSaltedPerNetworkAndImporter) {
  core::Bytes salt = *core::FromHex("0011223344556677");
  auto hash = IorNumberHash(salt, "IMP", "12-3456789AB");
  ASSERT_TRUE(hash) << hash.error().ToString();
  EXPECT_EQ(*hash, "2392db1e44c45291dababf60b6386f13780222a205498c5f613b5f523c46c51d");
  EXPECT_TRUE(IsIorNumberHash(*hash));
  EXPECT_NE(*IorNumberHash(salt, "IMP2", "12-3456789AB"), *hash);
  EXPECT_EQ(IorNumberHash(salt, "IMP", "12-3456789OI").error().code, "IOR_FORMAT");
  EXPECT_EQ(IorNumberHash(salt, "", "12-3456789AB").error().code, "ORG_ID_INVALID");
}

TEST(IorNumber, HashShape) {
  EXPECT_TRUE(IsIorNumberHash(std::string(64, 'a')));
  EXPECT_FALSE(IsIorNumberHash(std::string(64, 'A')));
  EXPECT_FALSE(IsIorNumberHash(std::string(63, 'a')));
  EXPECT_FALSE(IsIorNumberHash("12-3456789AB"));
}

TEST(IorNumber, FindsCleartextAnywhereWithoutNamingIt) {
  auto where = [](std::string_view body) { return FindCleartextIor(AsBytes(body)); };
  EXPECT_EQ(where(R"({"iorNumber":"x"})"), "body/iorNumber");
  EXPECT_EQ(where(R"({"importer":"IMP","note":"IOR 123-45-6789 attached"})"), "body/note");
  EXPECT_EQ(where(R"({"lines":[{"lineNo":1,"ref":"250512-00001"}]})"), "body/lines/0/ref");
  // Any suffix: a mistyped EIN is still somebody's EIN.
  EXPECT_EQ(where(R"({"a":{"b":"12-3456789oz"}})"), "body/a/b");
  // JSON escapes do not hide it; neither does a member name or a non-JSON body.
  EXPECT_EQ(where(R"({"x":"\u0031\u0032-3456789AB"})"), "body/x");
  EXPECT_EQ(where(R"({"123-45-6789":1})"), "body/123-45-6789");
  EXPECT_EQ(where("free text 12-3456789AB"), "body text");
  auto error = CheckAdmission("entry.file", AsBytes(R"({"iorNumber":"12-3456789AB"})"));
  ASSERT_FALSE(error);
  EXPECT_EQ(error.error().code, "IOR_CLEARTEXT");
  EXPECT_EQ(error.error().ToString().find("12-3456789AB"), std::string::npos);
}

TEST(IorNumber, OrdinaryTradeValuesAreNotMistakenForIorNumbers) {
  for (
      const char* body :
      {R"({"entryNumber":"ABC-1234567-8","importDate":"2025-03-10","hts10":"8708.30.0050"})",
       R"({"zip":"20229-0001","phone":"+1-202-325-8000","uuid":"123e4567-e89b-12d3-a456-426614174000"})",
       R"({"iorNumberHash":"2392db1e44c45291dababf60b6386f13780222a205498c5f613b5f523c46c51d"})",
       R"({"licenseId":"LIC-2025-0001","mid":"MXACMMAN123MON","value":1234567})"}) {
    EXPECT_EQ(FindCleartextIor(AsBytes(body)), std::nullopt) << body;
    EXPECT_TRUE(CheckAdmission("entry.file", AsBytes(body))) << body;
  }
}

// FindCleartextIor skips the parse when the text cannot hide a finding from the raw scan. Over
// bodies built from the pieces that matter (escapes, member names, IOR-shaped tokens split and
// joined by escapes, invalid JSON), it answers exactly as the parse does.
TEST(IorNumber, TheShortcutAnswersAsTheParseDoes) {
  const std::vector<std::string> pieces = {"{",           "}",
                                           "[",           "]",
                                           "\"",          ":",
                                           ",",           " ",
                                           "\\",          "\\n",
                                           "\\u0031",     "\\u002d",
                                           "1",           "12",
                                           "-",           "3456789AB",
                                           "123-45-6789", "250512-00001",
                                           "a",           "n",
                                           "iorNumber",   "iorNumberHash",
                                           "\"note\":",   "\"iorNumber\":",
                                           "0",           "oz",
                                           "20229-0001",  "\"x\":\"12-3456789AB\"",
                                           "\\\"",        "\"iorNum\\u0062er\":"};
  std::mt19937 random(17);
  int found = 0, skipped_parse = 0;
  for (int i = 0; i < 40000; ++i) {
    auto text = [&] {
      std::string t;
      int count = 1 + static_cast<int>(random() % 12);
      for (int k = 0; k < count; ++k) t += pieces[random() % pieces.size()];
      return t;
    };
    std::string body;
    if (i % 3 == 2) {  // valid JSON, names and values from the pieces (escaped as needed)
      nlohmann::json object = nlohmann::json::object();
      for (int k = static_cast<int>(random() % 4); k >= 0; --k) {
        object[random() % 4 == 0 ? "iorNumber" : text()] =
            random() % 2 == 0 ? nlohmann::json(text()) : nlohmann::json::array({text(), 7});
      }
      body = object.dump();
    } else {
      body = i % 3 == 0 ? "{\"a\":\"" + text() + "\"}" : text();
    }
    auto fast = FindCleartextIor(AsBytes(body));
    ASSERT_EQ(fast, detail::FindCleartextIorByParsing(AsBytes(body))) << body;
    found += fast.has_value();
    skipped_parse += body.find('\\') == std::string::npos && !fast.has_value() &&
                     body.find("iorNumber\"") == std::string::npos;
  }
  // Both answers, and the shortcut's own path, were exercised.
  EXPECT_GT(found, 1000);
  EXPECT_GT(skipped_parse, 1000);
}

// Admission refuses a type no handler executes (issue 16: it used to commit as
// TX_TYPE_UNKNOWN), before any look at its body, and takes every registered type.
TEST(Admission, AnUnknownTypeIsRefusedAndEveryRegisteredTypeIsTaken) {
  auto unknown = CheckAdmission("document.anchr", AsBytes("{}"));
  ASSERT_FALSE(unknown);
  EXPECT_EQ(unknown.error().code, "TX_TYPE_UNKNOWN");
  EXPECT_EQ(CheckAdmission("", AsBytes("{}")).error().code, "TX_TYPE_UNKNOWN");
  for (const auto& [type, handler] : Handlers()) {
    EXPECT_TRUE(CheckAdmission(type, AsBytes("{}"))) << type;
  }
}

}  // namespace
}  // namespace tradeledger::trade
