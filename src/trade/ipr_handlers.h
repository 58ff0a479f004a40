// Registration of the IPR transaction types (recordations, licences and sublicences, IPR
// assessments of entry lines). Implemented in the IPR rule files.
#pragma once

#include <map>
#include <string>

#include "trade/registry.h"

namespace tradeledger::trade {

void AddIprHandlers(std::map<std::string, Handler, std::less<>>& handlers);

}  // namespace tradeledger::trade
