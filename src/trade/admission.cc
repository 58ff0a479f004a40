#include "trade/admission.h"

#include "trade/ior_number.h"

namespace tradeledger::trade {

core::Status CheckAdmission(std::string_view /*type*/, core::ByteSpan body) {
  if (auto where = FindCleartextIor(body)) {
    return core::Fail("IOR_CLEARTEXT", *where +
                                           " holds an importer-of-record number in clear; send "
                                           "only its iorNumberHash (doc/formats.md)");
  }
  return core::Ok();
}

}  // namespace tradeledger::trade
