// Test support for the origin rules: the parties of DOMAIN.md §8 admitted on a TradeFixture,
// a complete USMCA certification body (story 1) and entry/line builders. For tests only.
#pragma once

#include <string>

#include "trade/claim_rules.h"
#include "trade/entry.h"
#include "trade/entry_number.h"
#include "trade/trade_test_fixture.h"

namespace tradeledger::trade::testing {

class OriginFixture : public TradeFixture {
 protected:
  void SetUp() override {
    TradeFixture::SetUp();
    producer_ = Admit("MX-P", {"PRODUCER", "EXPORTER"}, "MX");
    importer_ = Admit("IMP", {"IMPORTER"}, "US", {{"iorNumberHash", IorHash("IMP", kIor)}});
    broker_ = Admit("BRK", {"BROKER"});
    rival_ = Admit("IMP2", {"IMPORTER"});
    ca_exporter_ = Admit("CA-E", {"EXPORTER"}, "CA");
  }

  static constexpr char kIor[] = "12-3456789AB";
  static constexpr char kHash[] =
      "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

  static Json Party(const std::string& name, const std::string& country) {
    return {{"name", name},
            {"address", "1 Calle Uno, Monterrey"},
            {"countryIso2", country},
            {"phone", "+52 81 5555 0000"},
            {"email", "origin@example.com"}};
  }

  // Story 1: MX-P's USMCA blanket certification for HS 8708.30, criterion B, 2025.
  static Json UsmcaCert(const std::string& cert_id = "CERT-1") {
    Json certifier = Party("MX Producer SA", "MX");
    certifier["title"] = "Export manager";
    Json importer = Party("IMP Inc.", "US");
    importer["orgId"] = "IMP";
    return {{"certId", cert_id},
            {"agreement", "USMCA"},
            {"certifierRole", "PRODUCER"},
            {"certifier", certifier},
            {"exporter", Party("MX Producer SA", "MX")},
            {"importer", importer},
            {"goods",
             {{{"description", "Brake parts for motor vehicles"},
               {"hsCode", "8708.30"},
               {"originCriterion", "B"}}}},
            {"singleShipment", false},
            {"blanketFrom", "2025-01-01"},
            {"blanketTo", "2025-12-31"},
            {"signedAt", "2024-12-19"},
            {"signatory", {{"name", "Ana Ruiz"}, {"title", "Export manager"}}},
            {"statementPresent", true},
            {"language", "es"},
            {"contentHash", kHash}};
  }

  static Json Line(uint64_t line_no, const std::string& hts, const std::string& spi = "S",
                   const std::string& cert = "CERT-1", double value = 12000.0) {
    Json l = {{"lineNo", line_no},      {"hts10", hts},    {"countryOfOrigin", "MX"},
              {"mid", "MXMEXPRO12MON"}, {"quantity", 100}, {"uom", "PCS"},
              {"value", value}};
    if (!spi.empty()) l["spi"] = spi;
    if (!cert.empty()) l["certRef"] = cert;
    return l;
  }

  static std::string Number(const std::string& serial = "1234567") {
    return MakeEntryNumber("ABC", serial);
  }

  Json Entry(const std::string& serial, Json lines, const std::string& import_date = "2025-03-10") {
    return {{"entryNumber", Number(serial)},
            {"entryType", "01"},
            {"importer", "IMP"},
            {"iorNumberHash", IorHash("IMP", kIor)},
            {"shipmentRef", "MAEU123456789"},
            {"importDate", import_date},
            {"portCode", "2304"},
            {"lines", std::move(lines)}};
  }

  Json Claim(const std::string& claim_id) {
    auto c = LoadClaim(state_, claim_id);
    EXPECT_TRUE(c && *c) << claim_id;
    return c && *c ? **c : Json::object();
  }
  std::string ClaimState(const std::string& claim_id) { return Claim(claim_id).value("state", ""); }
  Json Codes(const std::string& claim_id) { return Claim(claim_id)["reasonCodes"]; }

  // Issues story 1's certification, anchored 2024-12-20.
  void IssueStoryCert() {
    ASSERT_EQ(Run(producer_, "cert.issue", UsmcaCert(), Day("2024-12-20")).code, "OK");
  }

  crypto::KeyPair producer_, importer_, broker_, rival_, ca_exporter_;
};

}  // namespace tradeledger::trade::testing
