// Formats of customs identifiers (DOMAIN.md §4), as pure predicates.
#pragma once

#include <string_view>

namespace tradeledger::trade {

// ISO 3166-1 alpha-2, officially assigned codes (DOMAIN rule 3).
bool IsCountryCode(std::string_view code);
// Canadian province and territory codes used in Canadian MIDs (DOMAIN §4).
bool IsCanadianProvinceCode(std::string_view code);
// Manufacturer identification code: at most 15 characters, upper-case alphanumeric, starting
// with a country code (or a Canadian province code) (DOMAIN rule 5).
bool IsValidMid(std::string_view mid);

}  // namespace tradeledger::trade
