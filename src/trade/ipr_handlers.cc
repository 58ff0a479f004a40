#include "trade/ipr_handlers.h"

namespace tradeledger::trade {

void AddIprHandlers(std::map<std::string, Handler, std::less<>>&) {}

}  // namespace tradeledger::trade
