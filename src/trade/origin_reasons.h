// Reason codes of the origin rules (DOMAIN.md §7.3) and their rule order: "all failing rules
// are reported; the first failing rule in this list gives the primary reason code".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "trade/executor.h"

namespace tradeledger::trade {

// The §7.3 rule number a reason code belongs to (99 for codes outside the list, e.g.
// PAYLOAD_INVALID). CERT_INCOMPLETE:<element> belongs to rule 7.
int RuleOf(std::string_view code);
// Sorts `codes` by rule number (stable) and removes duplicates.
void SortByRule(std::vector<std::string>& codes);
// An outcome whose code is the primary (first) code and whose detail lists all of them.
TxOutcome RuleOutcome(const std::vector<std::string>& codes, std::string_view detail = {});

}  // namespace tradeledger::trade
