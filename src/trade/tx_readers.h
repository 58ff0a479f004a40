// Who may read the body of a committed transaction (ADR 0021). Pure: decided from the state and
// the transaction alone, the same on every node.
//
// Entitled: the customs authority; the organisation of the signing key; and each organisation a
// body names as a party in a top-level string member "orgId" (org.admit, member.*),
// "importer" (entry.file, cert.issue), "licensee" (ipr.license.issue) or "agent"
// (delegation.grant). Everyone else may learn that a transaction with this id is committed, and
// prove it, but not what it says; they read the records it produced through the access rules of
// rules 30-31 (api/queries.h).
#pragma once

#include <set>
#include <string>

#include "core/bytes.h"
#include "core/result.h"
#include "crypto/ed25519.h"
#include "trade/participants.h"

namespace tradeledger::trade {

// The organisations (other than customs) entitled to the body.
core::Result<std::set<std::string>> TransactionParties(const StateReader& state,
                                                       const crypto::PublicKey& signer,
                                                       core::ByteSpan body);

// True if `reader` is customs or one of TransactionParties.
core::Result<bool> MayReadTransactionBody(const StateReader& state, const Actor& reader,
                                          const crypto::PublicKey& signer, core::ByteSpan body);

}  // namespace tradeledger::trade
