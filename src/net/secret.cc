#include "net/secret.h"

#include <sodium.h>

namespace tradeledger::net {

Secret32::~Secret32() { sodium_memzero(bytes_.data(), bytes_.size()); }

}  // namespace tradeledger::net
