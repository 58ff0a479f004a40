// Registration of the preference-claim transaction types (certifications of origin, entries,
// claims, verification cases, corrections). Implemented in the origin rule files.
#pragma once

#include <map>
#include <string>

#include "trade/registry.h"

namespace tradeledger::trade {

void AddOriginHandlers(std::map<std::string, Handler, std::less<>>& handlers);

}  // namespace tradeledger::trade
