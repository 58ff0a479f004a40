#include "api/domain_routes.h"

namespace tradeledger::api {

void AddDomainRoutes(Queries&) {}

}  // namespace tradeledger::api
