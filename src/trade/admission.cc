#include "trade/admission.h"

#include "trade/ior_number.h"
#include "trade/registry.h"

namespace tradeledger::trade {

core::Status CheckAdmission(std::string_view type, core::ByteSpan body) {
  // A type no handler executes would only ever commit as TX_TYPE_UNKNOWN: a body stored and
  // replicated for nothing. Refused before it enters a block.
  if (!Handlers().contains(type)) {
    return core::Fail("TX_TYPE_UNKNOWN",
                      "no transaction type '" + std::string(type) +
                          "' (GET /v1/openapi.json x-transaction-types lists them)");
  }
  if (auto where = FindCleartextIor(body)) {
    return core::Fail("IOR_CLEARTEXT", *where +
                                           " holds an importer-of-record number in clear; send "
                                           "only its iorNumberHash (doc/formats.md)");
  }
  return core::Ok();
}

}  // namespace tradeledger::trade
