#include "trade/ior_number.h"

#include <gtest/gtest.h>

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
