#include "trade/origin_reasons.h"

#include <algorithm>
#include <map>

namespace tradeledger::trade {

int RuleOf(std::string_view code) {
  static const std::map<std::string, int, std::less<>> kRules = {
      {"ENTRY_NUMBER_INVALID", 1},
      {"ENTRY_NUMBER_DUPLICATE", 1},
      {"HTS_FORMAT", 2},
      {"COUNTRY_CODE_INVALID", 3},
      {"IOR_FORMAT", 4},
      {"MID_FORMAT", 5},
      {"SPI_AGREEMENT_MISMATCH", 6},
      {"AGREEMENT_NOT_IN_FORCE", 6},
      {"CERT_SIGNER_NOT_EXPORTER", 8},
      {"BLANKET_PERIOD_INVALID", 9},
      {"CERT_INVALID_META", 10},
      {"NOT_AUTHORIZED", 11},
      {"CERT_NOT_FOUND", 12},
      {"CERT_WITHDRAWN", 12},
      {"CERT_SUPERSEDED", 12},
      {"AGREEMENT_MISMATCH", 12},
      {"CERT_NOT_IN_POSSESSION_AT_CLAIM", 13},
      {"CERT_EXPIRED", 14},
      {"SINGLE_SHIPMENT_REUSED", 15},
      {"OUTSIDE_BLANKET_PERIOD", 15},
      {"HTS_NOT_COVERED", 16},
      {"IMPORTER_MISMATCH", 17},
      {"ORIGIN_COUNTRY_INELIGIBLE", 18},
      {"ENTRY_TYPE_INELIGIBLE", 19},
      {"SERIES_EVASION_NO_CERT", 20},
      {"DOCUMENT_HASH_MISMATCH", 21},
      {"CORRECTION_NOT_RECEIVED", 22},
      {"DENIAL_PRECONDITION_UNMET", 23},
      {"NOT_AUTHORIZED_FILER", 25},
  };
  if (code.starts_with("CERT_INCOMPLETE:")) return 7;
  auto it = kRules.find(code);
  return it == kRules.end() ? 99 : it->second;
}

void SortByRule(std::vector<std::string>& codes) {
  std::stable_sort(codes.begin(), codes.end(), [](const std::string& a, const std::string& b) {
    return RuleOf(a) < RuleOf(b);
  });
  std::vector<std::string> unique;
  for (auto& c : codes) {
    if (std::find(unique.begin(), unique.end(), c) == unique.end()) unique.push_back(c);
  }
  codes = std::move(unique);
}

TxOutcome RuleOutcome(const std::vector<std::string>& codes, std::string_view detail) {
  if (codes.empty()) return TxOutcome{};
  std::string all;
  for (const auto& c : codes) all += (all.empty() ? "" : ",") + c;
  std::string d = "reasons: " + all;
  if (!detail.empty()) d += "; " + std::string(detail);
  return TxOutcome{codes.front(), d, codes.size() > 1 ? codes : std::vector<std::string>()};
}

}  // namespace tradeledger::trade
