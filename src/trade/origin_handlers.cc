#include "trade/origin_handlers.h"

namespace tradeledger::trade {

void AddOriginHandlers(std::map<std::string, Handler, std::less<>>&) {}

}  // namespace tradeledger::trade
