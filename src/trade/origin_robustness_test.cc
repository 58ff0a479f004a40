// Input never crashes: every field of valid bodies replaced by values of the wrong JSON type
// yields an outcome (usually PAYLOAD_INVALID), never an exception or a sanitizer report.
#include "trade/origin_test_fixture.h"

namespace tradeledger::trade {
namespace {

class OriginRobustnessTest : public testing::OriginFixture {
 protected:
  // Runs `type` with each top-level field, and each field of each nested object/array element,
  // replaced by each of a set of wrong values.
  void Mutate(const crypto::KeyPair& key, const std::string& type, const Json& body, int64_t at) {
    const Json wrong[] = {Json(5),
                          Json("x"),
                          Json::array(),
                          Json::object(),
                          Json(nullptr),
                          Json(-1.5),
                          Json::array({Json::object()})};
    for (auto& [field, value] : body.items()) {
      for (const Json& w : wrong) {
        Json b = body;
        b[field] = w;
        Run(key, type, b, at);
        if (value.is_object()) {
          for (auto& [inner, unused] : value.items()) {
            Json c = body;
            c[field][inner] = w;
            Run(key, type, c, at);
          }
        }
        if (value.is_array() && !value.empty() && value[0].is_object()) {
          for (auto& [inner, unused] : value[0].items()) {
            Json c = body;
            c[field][0][inner] = w;
            Run(key, type, c, at);
          }
        }
      }
    }
  }
};

TEST_F(OriginRobustnessTest, WrongTypesNeverCrash) {
  Mutate(producer_, "cert.issue", UsmcaCert("M"), Day("2024-12-20"));
  IssueStoryCert();
  Json next = UsmcaCert("M2");
  next["supersedes"] = "CERT-1";
  Mutate(producer_, "cert.supersede", next, Day("2025-01-02"));
  Mutate(importer_, "entry.file", Entry("4000001", {Line(1, "8708300050")}), Day("2025-03-10"));
  ASSERT_EQ(
      Run(importer_, "entry.file", Entry("4000002", {Line(1, "8708300050")}), Day("2025-03-10"))
          .code,
      "OK");
  std::string id = Number("4000002") + "#1";
  Mutate(customs_, "claim.request-correction", {{"claimId", id}, {"reason", "r"}},
         Day("2025-03-11"));
  Mutate(importer_, "claim.voluntary-correct", {{"claimId", id}}, Day("2025-03-11"));
  Mutate(importer_, "claim.enforce-deadlines", {{"claimIds", {id}}}, Day("2025-03-11"));
  Mutate(customs_, "case.open",
         {{"caseId", "VC"},
          {"claimIds", {id}},
          {"method", "VISIT"},
          {"addressee", "IMP"},
          {"dueAt", "2025-05-01"}},
         Day("2025-03-12"));
  Mutate(customs_, "case.determine",
         {{"caseId", "VC"}, {"determination", "DENIED"}, {"findings", "f"}, {"legalBasis", "l"}},
         Day("2025-03-13"));
  for (const char* type : {"cert.issue", "entry.file", "case.open", "claim.supply-cert",
                           "case.respond", "cert.present", "cert.withdraw"}) {
    for (const char* text : {"null", "[]", "\"s\"", "{}", "{\"lines\": 1}"}) {
      EXPECT_NE(Run(importer_, type, Json::parse(text), Day("2025-03-14")).code, "OK") << type;
    }
  }
}

}  // namespace
}  // namespace tradeledger::trade
