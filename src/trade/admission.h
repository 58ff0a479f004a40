// What a node checks about a transaction's content before it takes it in (from a client, from
// a peer's gossip, or in a leader's proposal), beyond its signature and chain. A transaction
// refused here never enters a block, so its body is never stored or replicated (ADR 0021).
//
// Stateless and deterministic: every honest validator decides the same for the same bytes.
#pragma once

#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::trade {

// TX_TYPE_UNKNOWN if no handler executes `type` (trade/registry.h); IOR_CLEARTEXT if the body
// holds an importer-of-record number in clear (trade/ior_number.h FindCleartextIor); the error
// names where, never the value.
core::Status CheckAdmission(std::string_view type, core::ByteSpan body);

}  // namespace tradeledger::trade
