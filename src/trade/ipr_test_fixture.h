// Test support for the IPR rules: the cast of DOMAIN.md §8 stories 10 and 11 (rights holder RH
// with recordation TMK 19-00001, licensee and importer L1, factory F, a broker and a stranger)
// and builders for the bodies of the IPR transactions. Keys are admitted on 2024-01-02, so
// every transaction here is dated later. For tests only.
#pragma once

#include <string>

#include "trade/ipr_assessment.h"
#include "trade/trade_test_fixture.h"

namespace tradeledger::trade::testing {

class IprFixture : public TradeFixture {
 protected:
  static constexpr char kRec[] = "TMK 19-00001";

  void SetUp() override {
    TradeFixture::SetUp();
    rh_ = Admit("RH", {"RIGHTS_HOLDER"});
    l1_ = Admit("L1", {"LICENSEE", "IMPORTER"});
    f_ = Admit("F", {"MANUFACTURER", "LICENSEE"}, "VN", {{"mids", {"VNFACTON12HAN"}}});
    broker_ = Admit("BRK", {"BROKER"});
    other_ = Admit("OTHER", {"IMPORTER", "LICENSEE", "RIGHTS_HOLDER"});
  }

  static Json RecordationBody(std::string no = kRec) {
    return {
        {"recordationNo", no},
        {"rightType", "TRADEMARK"},
        {"registrationNo", "5123456"},
        {"mark", "ACME"},
        {"intlClasses", {25}},
        {"goodsDescription", "Clothing, namely shirts and sweaters"},
        {"placesOfManufacture", {"Hanoi, VN"}},
        {"authorizedUsers",
         {{{"name", "L1 Inc."}, {"address", "1 Main St, Newark NJ"}, {"useAuthorized", "all"}}}},
        {"validUntil", "2029-12-31"}};
  }

  // Applies for and approves a recordation; returns the approval's outcome code.
  std::string RecordAndApprove(std::string no = kRec) {
    std::string applied =
        Run(rh_, "ipr.recordation.apply", RecordationBody(no), Day("2024-06-01")).code;
    if (applied != "OK") return applied;
    return Run(customs_, "ipr.recordation.approve", {{"recordationNo", no}}, Day("2024-06-15"))
        .code;
  }

  // Story 10: RH licenses L1 (MANUFACTURE, IMPORT, SUBLICENSE; countries VN; quantity 10,000).
  static Json L1Body() {
    return {{"licenseId", "L1-LIC"},
            {"licensee", "L1"},
            {"recordationRefs", {kRec}},
            {"rightType", "TRADEMARK"},
            {"products",
             {{{"description", "ACME shirts and sweaters"},
               {"htsPrefixes", {"6109", "6110"}},
               {"physicalFeatures", {{"logoPlacement", "left chest"}}}}}},
            {"permissions", {"MANUFACTURE", "IMPORT", "SUBLICENSE"}},
            {"countriesOfManufacture", {"VN"}},
            {"quantityLimit", 10000},
            {"validFrom", "2025-01-01"},
            {"validTo", "2027-01-01"}};
  }

  // Story 10: L1 sublicenses factory F (MANUFACTURE; MID VNFACTON12HAN).
  static Json FBody() {
    return {{"licenseId", "F-SUB"},
            {"licensee", "F"},
            {"parentLicenseId", "L1-LIC"},
            {"permissions", {"MANUFACTURE"}},
            {"authorizedManufacturerMids", {"VNFACTON12HAN"}}};
  }

  // RH's recordation, L1's licence and F's sublicence, all in force in 2025.
  void SetUpStory10() {
    ASSERT_EQ(RecordAndApprove(), "OK");
    ASSERT_EQ(Run(rh_, "ipr.license.issue", L1Body(), Day("2024-12-01")).code, "OK");
    ASSERT_EQ(Run(l1_, "ipr.license.issue", FBody(), Day("2025-01-15")).code, "OK");
  }

  // A line filed by L1 as importer, presenting F's sublicence and L1's licence.
  static Json Line(std::string entry, uint64_t quantity, std::string import_date = "2025-03-10") {
    return {{"entryNumber", entry},
            {"lineNo", 1},
            {"importer", "L1"},
            {"hts10", "6109.10.0012"},
            {"countryOfOrigin", "VN"},
            {"mid", "VNFACTON12HAN"},
            {"quantity", quantity},
            {"importDate", import_date},
            {"brand", "ACME"},
            {"recordationRefs", {kRec}},
            {"licenseRefs", {"F-SUB", "L1-LIC"}}};
  }

  // Runs ipr.assess and returns the stored assessment (null if the transaction failed).
  Json Assess(const crypto::KeyPair& key, const Json& line, int64_t time) {
    TxOutcome outcome = Run(key, "ipr.assess", line, time);
    last_code_ = outcome.code;
    if (!outcome.ok()) return Json();
    auto stored = LoadAssessment(state_, line["entryNumber"].get<std::string>(),
                                 line["lineNo"].get<uint64_t>());
    EXPECT_TRUE(stored && *stored);
    return stored && *stored ? **stored : Json();
  }

  crypto::KeyPair rh_, l1_, f_, broker_, other_;
  std::string last_code_;
};

}  // namespace tradeledger::trade::testing
