// Validator set changes by governance transaction (DESIGN.md decision 6; ADR 0018).
//
// validator.set {"validators": [{"name", "publicKey", "address"}]} — CBP_ADMIN only — replaces
// the whole validator set (adding, removing and rotating keys are all expressed this way). It
// takes effect at a defined height: the block after the one that executes it. That block and
// every later one, up to the next change, must carry a commit certificate from 2f+1 of the
// new set; the consensus of the new set is a new epoch whose views start at epoch << 32.
//
// State:
//   config/validators           the set in force after the latest change (absent: genesis set)
//   config/validators/<epoch>   each change, kept for history and offline verification
// Value: {"epoch": e, "fromHeight": h, "txId": hex, "validators": [{"name", "publicKey",
//         "address"}]}.
//
// Reason codes: NOT_AUTHORIZED, PAYLOAD_INVALID, VALIDATOR_SET_INVALID (size not 1 or 4..64,
// a duplicate or malformed key, a malformed address).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// The type of the transaction above: the only one that changes the validator set.
inline constexpr std::string_view kValidatorSetTxType = "validator.set";

struct ValidatorEntry {
  std::string name;
  crypto::PublicKey public_key;
  std::string host;  // from "address" = "host:port"
  uint16_t port = 0;
};

struct ValidatorSetRecord {
  uint64_t epoch = 0;
  uint64_t from_height = 1;  // first height certified by this set
  std::string tx_id;         // the validator.set transaction (empty for genesis)
  std::vector<ValidatorEntry> validators;
};

// The set in force for the next block, or nullopt while the genesis set is.
core::Result<std::optional<ValidatorSetRecord>> CurrentValidatorSet(const StateReader& state);
// Every change so far, by epoch (1, 2, ...).
core::Result<std::vector<ValidatorSetRecord>> ValidatorSetHistory(const StateReader& state);

Json ValidatorSetToJson(const ValidatorSetRecord& record);
core::Result<ValidatorSetRecord> ValidatorSetFromJson(const Json& j);

core::Result<TxOutcome> ExecuteValidatorSet(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
