// The deterministic executor: apply(state, transaction, block time).
//
// Every replica runs the same transactions in the same order through Execute and must reach
// the same state; so execution reads only its inputs (never a clock, a file or randomness)
// and the JSON bodies are parsed by one parser on every replica.
//
// A transaction that breaks a rule is still part of the ledger: Execute returns its reason
// code, and the only state it changes is its signer's nonce (so it cannot be replayed).
// Reason codes are listed in doc/rules.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.h"
#include "core/strong_types.h"
#include "crypto/ed25519.h"
#include "trade/working_state.h"

namespace tradeledger::trade {

// What the executor needs to know of a transaction; the caller has verified its signature.
struct TxContext {
  core::Hash32 tx_id;
  crypto::PublicKey signer;
  std::string_view type;
  uint64_t nonce = 0;
  core::ByteSpan body;
  core::TimestampMs block_time;
  core::Height height;
};

struct TxOutcome {
  TxOutcome() = default;
  TxOutcome(std::string c, std::string d = {}, std::vector<std::string> r = {})
      : code(std::move(c)), detail(std::move(d)), reasons(std::move(r)) {}

  std::string code = "OK";  // "OK" or the primary reason code
  std::string detail;
  // Every failing rule's reason code in rule order when several failed (code is the first);
  // empty otherwise.
  std::vector<std::string> reasons;
  bool ok() const { return code == "OK"; }
};

// Applies one transaction to `state`. Never fails for input reasons: bad input yields an
// outcome with a reason code. A failure of the backing store is returned as an error, and
// the caller must abandon the block (it cannot be executed deterministically).
core::Result<TxOutcome> Execute(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
