// The transaction types the executor knows, and their handlers.
//
// A handler applies one transaction to its own WorkingState layer and returns an outcome; the
// executor merges the layer only if the outcome is OK. Handlers are pure functions of (state,
// transaction, block time) and must never read a clock, a file or a random source.
#pragma once

#include <functional>
#include <map>
#include <string>

#include "trade/executor.h"

namespace tradeledger::trade {

using Handler = std::function<core::Result<TxOutcome>(WorkingState&, const TxContext&)>;

// Every transaction type, by name ("document.anchor", "org.admit", ...).
const std::map<std::string, Handler, std::less<>>& Handlers();

}  // namespace tradeledger::trade
