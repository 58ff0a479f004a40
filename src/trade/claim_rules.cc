#include "trade/claim_rules.h"

#include <algorithm>
#include <array>

#include "trade/origin_common.h"
#include "trade/origin_reasons.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

// 2020-07-01: USMCA enters into force and NAFTA ends (DOMAIN.md §2.1, §2.2).
const int64_t kUsmcaStart = DaysFromCivil(2020, 7, 1) * kMsPerDay;

constexpr std::array<std::string_view, 11> kPreferenceTypes = {"01", "02", "03", "06", "07", "11",
                                                               "12", "31", "32", "34", "38"};
constexpr std::array<std::string_view, 30> kKnownTypes = {
    "01", "02", "03", "06", "07", "08", "09", "11", "12", "21", "22", "23", "31", "32", "34",
    "38", "41", "42", "43", "44", "45", "46", "51", "52", "61", "62", "63", "69", "70", "86"};

bool In(auto& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// Case-insensitive equality of names (rule 17 when the certification names no org id).
bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

}  // namespace

std::string AgreementOfSpi(std::string_view spi) {
  if (spi == "S" || spi == "S+") return "USMCA";
  if (spi == "CA" || spi == "MX") return "NAFTA";
  if (spi == "P" || spi == "P+") return "CAFTA_DR";
  return "";
}

bool AgreementInForce(std::string_view agreement, int64_t import_date) {
  if (agreement == "NAFTA") return import_date < kUsmcaStart;
  if (agreement == "USMCA") return import_date >= kUsmcaStart;
  return true;
}

bool IsPreferenceEntryType(std::string_view t) { return In(kPreferenceTypes, t); }
bool IsKnownEntryType(std::string_view t) { return In(kKnownTypes, t); }

std::vector<std::string> CertificationCoversLine(const Json& cert, const Json& entry,
                                                 const Json& line, std::string_view agreement,
                                                 int64_t possession_limit) {
  std::vector<std::string> codes;
  // Rule 12: an ISSUED certification of the same agreement.
  std::string state = cert.value("state", "");
  if (state == "WITHDRAWN") codes.push_back("CERT_WITHDRAWN");
  if (state == "SUPERSEDED") codes.push_back("CERT_SUPERSEDED");
  if (cert.value("agreement", "") != agreement) codes.push_back("AGREEMENT_MISMATCH");
  int64_t filed = entry.value("summaryFiledAt", int64_t{0});
  int64_t import_date = entry.value("importDate", int64_t{0});
  // Rule 13: the certification was in the importer's possession (anchored) by the limit.
  if (cert.value("anchoredAt", int64_t{0}) > possession_limit) {
    codes.push_back("CERT_NOT_IN_POSSESSION_AT_CLAIM");
  }
  // Rule 14: accepted for four years after signature.
  if (filed > AddMonths(cert.value("signedAt", int64_t{0}), 12 * kCertValidityYears)) {
    codes.push_back("CERT_EXPIRED");
  }
  // Rule 15: a single shipment, or an import date within the blanket period.
  if (cert.value("singleShipment", true)) {
    if (cert.contains("shipmentRef") && cert["shipmentRef"] != entry.value("shipmentRef", "")) {
      codes.push_back("SINGLE_SHIPMENT_REUSED");
    }
  } else if (import_date < cert.value("blanketFrom", int64_t{0}) ||
             import_date > cert.value("blanketTo", int64_t{0})) {
    codes.push_back("OUTSIDE_BLANKET_PERIOD");
  }
  // Rule 16: some good's HS code is a prefix of the line's HTS number.
  std::string hts = line.value("hts10", "");
  bool covered = false;
  if (auto goods = cert.find("goods"); goods != cert.end() && goods->is_array()) {
    for (const Json& g : *goods) {
      auto hs = g.is_object() ? g.find("hsCode") : g.end();
      if (hs == g.end() || !hs->is_string()) continue;
      const std::string& code = hs->get_ref<const std::string&>();
      if (code.size() >= 6 && hts.starts_with(code)) covered = true;
    }
  }
  if (!covered) codes.push_back("HTS_NOT_COVERED");
  // Rule 17: a named importer must be the entry's importer.
  if (cert.contains("importerOrg")) {
    if (cert["importerOrg"] != entry.value("importer", "")) codes.push_back("IMPORTER_MISMATCH");
  } else if (cert.contains("importer") && cert["importer"].is_object()) {
    if (!SameName(cert["importer"].value("name", ""), entry.value("importerName", ""))) {
      codes.push_back("IMPORTER_MISMATCH");
    }
  }
  return codes;
}

ClaimDecision DecideClaim(const Json& entry, const Json& line, const Json* cert,
                          uint64_t low_value_cents) {
  ClaimDecision d;
  std::string spi = line.value("spi", "");
  d.agreement = AgreementOfSpi(spi);
  // Rule 6: the SPI belongs to the claimed agreement, which is in force on the import date.
  std::string claimed = line.value("agreement", d.agreement);
  if (d.agreement.empty() || claimed != d.agreement) {
    d.codes.push_back("SPI_AGREEMENT_MISMATCH");
    if (d.agreement.empty()) d.agreement = claimed;
  }
  if (!d.agreement.empty() &&
      !AgreementInForce(d.agreement, entry.value("importDate", int64_t{0}))) {
    d.codes.push_back("AGREEMENT_NOT_IN_FORCE");
  }
  std::string basis = line.value("basis", "");
  bool has_ref = line.contains("certRef");
  if (has_ref) {
    d.basis = "CERTIFICATION";
    if (cert == nullptr) {
      d.codes.push_back("CERT_NOT_FOUND");
    } else {
      auto more = CertificationCoversLine(*cert, entry, line, d.agreement,
                                          entry.value("summaryFiledAt", int64_t{0}));
      d.codes.insert(d.codes.end(), more.begin(), more.end());
    }
  } else if (basis == "IMPORTER_KNOWLEDGE" && d.agreement == "CAFTA_DR") {
    d.basis = basis;
  } else if ((d.agreement == "USMCA" || d.agreement == "CAFTA_DR") &&
             (low_value_cents <= kLowValueLimitCents || !entry.value("commercial", true))) {
    d.basis = "LOW_VALUE_EXEMPT";  // rule 20
  } else {
    d.basis = "CERTIFICATION";
    d.codes.push_back("CERT_NOT_FOUND");  // no certRef and no exemption applies
  }
  // Rule 18 (policy): USMCA preference for goods of Canadian or Mexican origin.
  std::string coo = line.value("countryOfOrigin", "");
  if (d.agreement == "USMCA" && coo != "CA" && coo != "MX") {
    d.codes.push_back("ORIGIN_COUNTRY_INELIGIBLE");
  }
  // Rule 19: consumption and warehouse-withdrawal entries only.
  if (!IsPreferenceEntryType(entry.value("entryType", ""))) {
    d.codes.push_back("ENTRY_TYPE_INELIGIBLE");
  }
  SortByRule(d.codes);
  return d;
}

std::string ClaimId(std::string_view entry_number, uint64_t line_no) {
  return std::string(entry_number) + "#" + std::to_string(line_no);
}

core::Result<std::optional<Json>> LoadClaim(const StateReader& state, std::string_view claim_id) {
  return LoadJson(state, ClaimStateKey(claim_id));
}

void SaveClaim(WorkingState& state, const Json& claim) {
  PutJson(state, ClaimStateKey(claim["claimId"].get<std::string>()), claim);
}

void Transition(Json& claim, std::string_view state, int64_t at, std::string_view by,
                const std::vector<std::string>& codes, std::string_view note) {
  claim["state"] = state;
  Json item = {{"at", at}, {"state", state}, {"by", by}, {"reasonCodes", codes}};
  if (!note.empty()) item["note"] = note;
  claim["history"].push_back(std::move(item));
}

bool IsTerminalClaimState(std::string_view s) {
  return s == "REJECTED" || s == "DENIED" || s == "AFFIRMED" || s == "VOLUNTARILY_CORRECTED";
}

}  // namespace tradeledger::trade
