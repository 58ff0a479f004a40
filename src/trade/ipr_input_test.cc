// Malformed input never crashes an IPR handler: every field of every IPR transaction, given
// the wrong JSON type, yields a reason code (or, for an optional field set to null, success).
#include "trade/ipr_test_fixture.h"

namespace tradeledger::trade {
namespace {

class IprInputTest : public testing::IprFixture {};

TEST_F(IprInputTest, WrongTypesAreReasonCodesNotCrashes) {
  SetUpStory10();
  const std::vector<std::pair<std::string, Json>> cases = {
      {"ipr.recordation.apply", RecordationBody("TMK 19-00002")},
      {"ipr.recordation.approve", {{"recordationNo", kRec}}},
      {"ipr.recordation.reject", {{"recordationNo", kRec}, {"reason", "r"}}},
      {"ipr.recordation.cancel", {{"recordationNo", kRec}}},
      {"ipr.license.issue", FBody()},
      {"ipr.license.suspend", {{"licenseId", "F-SUB"}}},
      {"ipr.license.reinstate", {{"licenseId", "F-SUB"}}},
      {"ipr.license.revoke", {{"licenseId", "F-SUB"}}},
      {"ipr.assess", Line("ABC-1234567-8", 10)},
  };
  const std::vector<Json> junk = {nullptr,
                                  7,
                                  -1,
                                  1.5,
                                  true,
                                  "x",
                                  Json::array({nullptr}),
                                  Json::object({{"a", Json::array()}}),
                                  Json::array({1, "a"})};
  for (const auto& [type, body] : cases) {
    for (const auto& [field, value] : body.items()) {
      for (const Json& bad : junk) {
        if (bad == value) continue;
        Json broken = body;
        broken[field] = bad;
        TxOutcome out = Run(l1_, type, broken, Day("2025-03-12"));
        if (out.ok()) continue;  // e.g. an optional field set to null
        EXPECT_NE(out.code, "EXECUTION_ERROR") << type << "." << field;
      }
    }
    for (const char* text : {"", "[]", "null", "{\"a\":", "{}"}) {
      Json raw = Json::parse(text, nullptr, false);
      EXPECT_FALSE(
          Run(rh_, type, raw.is_discarded() ? Json("garbage") : raw, Day("2025-03-12")).ok())
          << type << " " << text;
    }
  }
}

}  // namespace
}  // namespace tradeledger::trade
