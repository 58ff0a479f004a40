// The founding operators' sign-off of a genesis (ADR 0022). Every validator the genesis names
// signs its chain id with its own validator key; a node starts only when the sign-off file
// holds a valid signature by every one of them, so no operator can start a network whose
// genesis another founder has not seen and accepted (a changed validator list, customs key,
// salt or holiday calendar changes the chain id and voids every signature).
//
// The signed message is "TRADELEDGER/GENESIS/v1" 0x00 ‖ chain id (32 bytes). The file:
//   {"chain_id": "<64 hex>",
//    "signoffs": [{"name": "validator-1", "public_key": "<64 hex>",
//                  "signature": "<128 hex>"}, ...]}
// Sign-offs are kept in the order of the genesis' validator list; a second sign-off by the
// same key replaces the first.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "node/genesis.h"

namespace tradeledger::node {

struct GenesisSignoff {
  std::string name;
  crypto::PublicKey public_key;
  crypto::Signature signature;
};

// The bytes a founding validator signs for `chain`.
core::Bytes GenesisSignoffMessage(const ledger::ChainId& chain);

// `key`'s sign-off of `genesis`. Fails with SIGNOFF_NOT_A_VALIDATOR if the genesis does not
// name `key` as a validator.
core::Result<GenesisSignoff> SignGenesis(const Genesis& genesis, const crypto::KeyPair& key);

// Parses a sign-off file for `genesis`: SIGNOFFS_INVALID if malformed, SIGNOFFS_WRONG_CHAIN
// if it names another chain id. Signatures are not checked here (CheckSignoffs does).
core::Result<std::vector<GenesisSignoff>> ParseSignoffs(std::string_view text,
                                                        const Genesis& genesis);
// `signoffs` with `added` merged in (replacing an earlier one by the same key), in the order of
// the genesis' validators; sign-offs by keys the genesis does not name are dropped.
std::vector<GenesisSignoff> MergeSignoffs(const Genesis& genesis,
                                          std::vector<GenesisSignoff> signoffs,
                                          const std::vector<GenesisSignoff>& added);
std::string RenderSignoffs(const Genesis& genesis, const std::vector<GenesisSignoff>& signoffs);

// Ok when every validator of `genesis` has a valid sign-off in `signoffs`. Otherwise
// GENESIS_NOT_SIGNED_OFF naming each validator without one, and each whose signature fails.
core::Status CheckSignoffs(const Genesis& genesis, const std::vector<GenesisSignoff>& signoffs);

}  // namespace tradeledger::node
