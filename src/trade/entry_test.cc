#include "trade/entry.h"

#include "trade/certification.h"
#include "trade/origin_test_fixture.h"
#include "trade/origin_views.h"

namespace tradeledger::trade {
namespace {

class EntryTest : public testing::OriginFixture {
 protected:
  void SetUp() override {
    OriginFixture::SetUp();
    IssueStoryCert();
  }
  // Files `lines` on entry `serial` as the importer on 2025-03-12; returns the outcome.
  TxOutcome File(const std::string& serial, Json lines, Json patch = Json::object()) {
    Json body = Entry(serial, std::move(lines));
    for (auto& [k, v] : patch.items()) body[k] = v;
    return Run(importer_, "entry.file", body, Day("2025-03-12"));
  }
  // Files a one-line entry and returns the line's claim reason codes.
  Json CodesOf(const std::string& serial, Json line, Json patch = Json::object()) {
    TxOutcome o = File(serial, Json::array({line}), patch);
    EXPECT_EQ(o.code, "OK") << o.detail;
    return Codes(Number(serial) + "#1");
  }
};

TEST_F(EntryTest, AcceptedClaimIsStoredWithEntry) {
  ASSERT_EQ(File("1234567", {Line(1, "8708.30.0050")}).code, "OK");
  auto entry = LoadEntry(state_, Number("1234567"));
  ASSERT_TRUE(entry && *entry);
  EXPECT_EQ((**entry)["lines"][0]["hts10"], "8708300050");
  EXPECT_EQ((**entry)["lines"][0]["valueCents"], 1200000);
  EXPECT_EQ((**entry)["retainUntil"], Day("2030-03-10"));  // rule 32
  std::string id = Number("1234567") + "#1";
  EXPECT_EQ(ClaimState(id), "ACCEPTED");
  EXPECT_EQ(Claim(id)["basis"], "CERTIFICATION");
  EXPECT_EQ(Claim(id)["history"][0]["state"], "SUBMITTED");
  EXPECT_EQ(*ClaimsCitingCertification(state_, "CERT-1"), std::vector<std::string>{id});
  EXPECT_EQ((**LoadCertification(state_, "CERT-1"))["retainUntil"], Day("2030-03-10"));
}

TEST_F(EntryTest, Rule1EntryNumberFormatCheckDigitAndUniqueness) {
  std::string bad = Number("1234567");
  bad.back() = static_cast<char>('0' + (bad.back() - '0' + 1) % 10);
  EXPECT_EQ(File("1234567", {Line(1, "8708300050")}, {{"entryNumber", bad}}).code,
            "ENTRY_NUMBER_INVALID");
  EXPECT_EQ(File("1234567", {Line(1, "8708300050")}, {{"entryNumber", "AB-12"}}).code,
            "ENTRY_NUMBER_INVALID");
  ASSERT_EQ(File("1234567", {Line(1, "8708300050")}).code, "OK");
  EXPECT_EQ(File("1234567", {Line(1, "8708300050")}).code, "ENTRY_NUMBER_DUPLICATE");
}

TEST_F(EntryTest, Rule2HtsMustBeTenDigits) {
  EXPECT_EQ(File("1000001", {Line(1, "87083000")}).code, "HTS_FORMAT");
  EXPECT_EQ(File("1000001", {Line(1, "8708.30.005X")}).code, "HTS_FORMAT");
}

TEST_F(EntryTest, Rule3CountryOfOriginMustBeIso) {
  Json l = Line(1, "8708300050");
  l["countryOfOrigin"] = "XX";
  EXPECT_EQ(File("1000002", {l}).code, "COUNTRY_CODE_INVALID");
}

TEST_F(EntryTest, Rule4IorHashFormatAndCleartextNeverStored) {
  // The submitter hashes (trade/ior_number.h); the ledger sees only 64 lower-case hex digits.
  EXPECT_EQ(
      File("1000003", {Line(1, "8708300050")}, {{"iorNumberHash", std::string(64, 'G')}}).code,
      "IOR_FORMAT");
  ASSERT_EQ(File("1000003", {Line(1, "8708300050")}).code, "OK");
  for (const auto& [key, value] : state_.writes()) {
    ASSERT_TRUE(value.has_value());
    EXPECT_EQ(core::AsStringView(*value).find(kIor), std::string_view::npos);
  }
  EXPECT_EQ(
      File("1000004", {Line(1, "8708300050")}, {{"iorNumberHash", IorHash("IMP", "123-45-6789")}})
          .code,
      "IOR_MISMATCH");
}

TEST_F(EntryTest, Rule5MidFormat) {
  Json l = Line(1, "8708300050");
  l["mid"] = "XXBAD1";
  EXPECT_EQ(File("1000005", {l}).code, "MID_FORMAT");
  l["mid"] = "MXMEXPRO12MONTERREY";  // 19 characters
  EXPECT_EQ(File("1000005", {l}).code, "MID_FORMAT");
}

TEST_F(EntryTest, EntryDataFailuresAreAllReportedInRuleOrder) {
  Json l = Line(1, "87083000");
  l["mid"] = "XXBAD1";
  l["countryOfOrigin"] = "XX";
  TxOutcome o = File("1000006", {l}, {{"iorNumberHash", "bad"}});
  EXPECT_EQ(o.code, "HTS_FORMAT");
  EXPECT_NE(o.detail.find("HTS_FORMAT,COUNTRY_CODE_INVALID,IOR_FORMAT,MID_FORMAT"),
            std::string::npos)
      << o.detail;
}

TEST_F(EntryTest, Rule6SpiMustBelongToAgreement) {
  Json l = Line(1, "8708300050", "Q");
  EXPECT_EQ(CodesOf("1000007", l)[0], "SPI_AGREEMENT_MISMATCH");
  l = Line(1, "8708300050", "S");
  l["agreement"] = "CAFTA_DR";
  EXPECT_EQ(CodesOf("1000008", l)[0], "SPI_AGREEMENT_MISMATCH");
}

TEST_F(EntryTest, Rule6NaftaNotInForceAfterJune2020) {
  Json l = Line(1, "8708300050", "MX", "");
  Json codes = CodesOf("1000009", l, {{"importDate", "2021-03-01"}});
  EXPECT_EQ(codes[0], "AGREEMENT_NOT_IN_FORCE");
}

TEST_F(EntryTest, Rule12CertificationMustExistBeIssuedAndMatchAgreement) {
  EXPECT_EQ(CodesOf("1000010", Line(1, "8708300050", "S", "NO-SUCH-CERT"))[0], "CERT_NOT_FOUND");
  Json nafta_line = Line(1, "8708300050", "MX");  // cites the USMCA certification
  Json codes = CodesOf("1000011", nafta_line, {{"importDate", "2020-03-01"}});
  EXPECT_NE(std::find(codes.begin(), codes.end(), "AGREEMENT_MISMATCH"), codes.end());
  ASSERT_EQ(Run(producer_, "cert.withdraw", {{"certId", "CERT-1"}}, Day("2025-03-11")).code, "OK");
  EXPECT_EQ(CodesOf("1000012", Line(1, "8708300050"))[0], "CERT_WITHDRAWN");
}

TEST_F(EntryTest, Rule13CertificationMustBeAnchoredBeforeSummaryFiled) {
  EXPECT_EQ(CodesOf("1000013", Line(1, "8708300050"), {{"summaryFiledAt", "2024-12-19"}})[0],
            "CERT_NOT_IN_POSSESSION_AT_CLAIM");
}

TEST_F(EntryTest, Rule14CertificationValidFourYears) {
  Json old = UsmcaCert("OLD");
  old["signedAt"] = "2020-08-01";
  old["singleShipment"] = true;
  old.erase("blanketFrom");
  old.erase("blanketTo");
  ASSERT_EQ(Run(producer_, "cert.issue", old, Day("2024-01-10")).code, "OK");
  Json codes = CodesOf("1000014", Line(1, "8708300050", "S", "OLD"),
                       {{"importDate", "2024-08-20"}, {"summaryFiledAt", "2024-09-01"}});
  EXPECT_EQ(codes[0], "CERT_EXPIRED");
}

TEST_F(EntryTest, Rule15BlanketPeriodAndSingleShipment) {
  EXPECT_EQ(CodesOf("1000015", Line(1, "8708300050"), {{"importDate", "2026-01-05"}})[0],
            "OUTSIDE_BLANKET_PERIOD");
  Json single = UsmcaCert("SINGLE");
  single["singleShipment"] = true;
  single.erase("blanketFrom");
  single.erase("blanketTo");
  ASSERT_EQ(Run(producer_, "cert.issue", single, Day("2025-01-05")).code, "OK");
  // One shipment may yield several entries.
  EXPECT_TRUE(CodesOf("1000016", Line(1, "8708300050", "S", "SINGLE")).empty());
  EXPECT_TRUE(CodesOf("1000017", Line(1, "8708300050", "S", "SINGLE")).empty());
  EXPECT_EQ(
      CodesOf("1000018", Line(1, "8708300050", "S", "SINGLE"), {{"shipmentRef", "OTHER-BL"}})[0],
      "SINGLE_SHIPMENT_REUSED");
}

TEST_F(EntryTest, Rule16HtsMustBeCoveredByGoods) {
  EXPECT_EQ(CodesOf("1000019", Line(1, "8409910000"))[0], "HTS_NOT_COVERED");
}

TEST_F(EntryTest, Rule17NamedImporterMustBeEntryImporter) {
  Json body = Entry("1000020", {Line(1, "8708300050")});
  body["importer"] = "IMP2";
  body["iorNumberHash"] = IorHash("IMP2", "98-7654321AB");
  ASSERT_EQ(Run(rival_, "entry.file", body, Day("2025-03-12")).code, "OK");
  EXPECT_EQ(Codes(Number("1000020") + "#1")[0], "IMPORTER_MISMATCH");
}

TEST_F(EntryTest, Rule18UsmcaOriginMustBeCanadaOrMexico) {
  Json l = Line(1, "8708300050");
  l["countryOfOrigin"] = "CN";
  EXPECT_EQ(CodesOf("1000021", l)[0], "ORIGIN_COUNTRY_INELIGIBLE");
}

TEST_F(EntryTest, Rule19EntryTypeMustAllowPreference) {
  EXPECT_EQ(CodesOf("1000022", Line(1, "8708300050"), {{"entryType", "21"}})[0],
            "ENTRY_TYPE_INELIGIBLE");
  EXPECT_TRUE(CodesOf("1000023", Line(1, "8708300050"), {{"entryType", "38"}}).empty());
  EXPECT_EQ(File("1000024", {Line(1, "8708300050")}, {{"entryType", "99"}}).code,
            "ENTRY_TYPE_INVALID");
}

TEST_F(EntryTest, Rule20LowValueWithoutCertificationIsExempt) {
  EXPECT_TRUE(CodesOf("1000025", Line(1, "8708300050", "S", "", 1900.0)).empty());
  EXPECT_EQ(Claim(Number("1000025") + "#1")["basis"], "LOW_VALUE_EXEMPT");
  EXPECT_EQ(CodesOf("1000026", Line(1, "8708300050", "S", "", 2500.01))[0], "CERT_NOT_FOUND");
  // The originating value of the importation counts every such line.
  ASSERT_EQ(File("1000027",
                 {Line(1, "8708300050", "S", "", 1500.0), Line(2, "8708300050", "S", "", 1500.0)})
                .code,
            "OK");
  EXPECT_EQ(ClaimState(Number("1000027") + "#2"), "REJECTED");
  // Not for NAFTA.
  Json codes =
      CodesOf("1000028", Line(1, "8708300050", "MX", "", 100.0), {{"importDate", "2020-03-01"}});
  EXPECT_EQ(codes[0], "CERT_NOT_FOUND");
}

TEST_F(EntryTest, CaftaImporterKnowledgeNeedsNoCertification) {
  Json l = Line(1, "6109100010", "P", "", 9000.0);
  l["countryOfOrigin"] = "GT";
  l["mid"] = "GTTEXFAC1GUA";
  l["basis"] = "IMPORTER_KNOWLEDGE";
  EXPECT_TRUE(CodesOf("1000029", l).empty());
}

TEST_F(EntryTest, AllClaimFailuresReportedFirstInRuleOrderIsPrimary) {
  Json l = Line(1, "8409910000");
  l["countryOfOrigin"] = "CN";
  Json codes = CodesOf("1000030", l, {{"entryType", "21"}, {"importDate", "2026-01-05"}});
  EXPECT_EQ(codes, Json({"OUTSIDE_BLANKET_PERIOD", "HTS_NOT_COVERED", "ORIGIN_COUNTRY_INELIGIBLE",
                         "ENTRY_TYPE_INELIGIBLE"}));
  EXPECT_EQ(ClaimState(Number("1000030") + "#1"), "REJECTED");
}

TEST_F(EntryTest, Rule25BrokerNeedsDelegation) {
  Json body = Entry("1000031", {Line(1, "8708300050")});
  EXPECT_EQ(Run(broker_, "entry.file", body, Day("2025-03-12")).code, "NOT_AUTHORIZED_FILER");
  EXPECT_EQ(Run(rival_, "entry.file", body, Day("2025-03-12")).code, "NOT_AUTHORIZED_FILER");
  Json grant = {{"delegationId", "D1"},
                {"agent", "BRK"},
                {"scope", {"FILE_ENTRY"}},
                {"validFrom", "2025-01-01"},
                {"validTo", "2026-01-01"}};
  ASSERT_EQ(Run(importer_, "delegation.grant", grant, Day("2025-01-01")).code, "OK");
  // FILE_ENTRY alone does not cover a preference claim.
  EXPECT_EQ(Run(broker_, "entry.file", body, Day("2025-03-12")).code, "NOT_AUTHORIZED_FILER");
  Json no_spi = Entry("1000032", {Line(1, "8708300050", "", "")});
  EXPECT_EQ(Run(broker_, "entry.file", no_spi, Day("2025-03-12")).code, "OK");
}

TEST_F(EntryTest, MalformedEntriesAreRejected) {
  EXPECT_EQ(File("1000033", Json::array()).code, "PAYLOAD_INVALID");
  EXPECT_EQ(File("1000033", {Line(1, "8708300050"), Line(1, "8708300050")}).code,
            "PAYLOAD_INVALID");
  EXPECT_EQ(File("1000033", {Json("x")}).code, "PAYLOAD_INVALID");
  Json l = Line(1, "8708300050");
  l["value"] = -1;
  EXPECT_EQ(File("1000033", {l}).code, "PAYLOAD_INVALID");
  EXPECT_EQ(File("1000033", {Line(1, "8708300050")}, {{"summaryFiledAt", "2025-04-01"}}).code,
            "ENTRY_DATE_INVALID");
}

}  // namespace
}  // namespace tradeledger::trade
