// The trade domain's records as authenticated routes: each route reads a record from the
// state and passes it through the trade layer's view function for the reader (rules 30-31).
#pragma once

#include "api/queries.h"

namespace tradeledger::api {

void AddDomainRoutes(Queries& queries);

}  // namespace tradeledger::api
