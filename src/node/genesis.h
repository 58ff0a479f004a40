// The genesis file: what every node of one network agrees on before the first block.
//
//   {
//     "chain_name": "tradeledger-demo",
//     "genesis_time_ms": 1735689600000,
//     "validators": [ {"name": "validator-1", "public_key": "<64 hex>",
//                      "address": "host:port"} , ... ],   (address: optional, the validator
//                                                          transport endpoint peers dial)
//     "customs_authority": {...}, "ior_salt": "<hex>", "holidays": [...],  (trade layer)
//     "ledger_clock": {"start": "<instant>"}                               (optional)
//   }
//
// The chain id is the SHA-256 of the file's exact bytes: nodes share the file, not a
// re-encoding of it. Every signed message (transactions, commit certificates) names the chain
// id, so nothing signed for one network is accepted by another.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/strong_types.h"
#include "ledger/commit_certificate.h"
#include "ledger/ids.h"

namespace tradeledger::node {

struct GenesisValidator {
  GenesisValidator() = default;
  GenesisValidator(std::string name_, ledger::PublicKey key, std::string address_ = {})
      : name(std::move(name_)), public_key(key), address(std::move(address_)) {}

  std::string name;
  ledger::PublicKey public_key;
  // The validator transport endpoint its operator published ("host:port"), from which the
  // other operators' configs list their peers (ADR 0022); empty if the genesis names none.
  std::string address;
};

// Splits "host:port" (a name, an IPv4 literal or a bracketed IPv6 literal; port 1..65535).
core::Result<std::pair<std::string, uint16_t>> ParseHostPort(std::string_view address);

struct Genesis {
  std::string chain_name;
  core::TimestampMs genesis_time;
  std::vector<GenesisValidator> validators;

  std::string file_bytes;    // the genesis file, exactly
  ledger::ChainId chain_id;  // SHA-256 of the file bytes
  ledger::ValidatorSet validator_set;

  // Parses and validates genesis JSON (GENESIS_INVALID with the reason).
  static core::Result<Genesis> Parse(std::string_view file_bytes);
  static core::Result<Genesis> Load(const std::string& path);
  // Renders a genesis file; Parse(Render(g)) reproduces g. `extra` holds the trade layer's
  // sections (customs_authority, ior_salt, holidays, ledger_clock: see trade/participants.h
  // and trade/ledger_clock.h), copied as they are.
  static std::string Render(const std::string& chain_name, core::TimestampMs genesis_time,
                            const std::vector<GenesisValidator>& validators,
                            const nlohmann::ordered_json& extra = nlohmann::ordered_json::object());
};

// The validators file that `tradeledger verify` takes: the chain id, the genesis validator set
// and, optionally, each later set with the first height it certifies (validator.set
// transactions; GET /v1/validators serves the file with its history):
//   {"chain_id": "<hex>", "validators": [{"name": "...", "public_key": "<hex>"}],
//    "history": [{"epoch": 1, "from_height": 812, "tx_id": "<hex>",
//                 "validators": [{"name": "...", "public_key": "<hex>"}]}]}
// The file is the verifier's root of trust, as the genesis file is a node's.
std::string RenderValidatorsFile(const Genesis& genesis);
struct TrustedValidators {
  struct Later {
    uint64_t from_height = 0;
    ledger::ValidatorSet set;
  };
  ledger::ChainId chain_id;
  ledger::ValidatorSet set;  // the genesis set
  std::vector<Later> later;  // ascending from_height
  // The set that certifies blocks at `height`.
  const ledger::ValidatorSet& SetAt(core::Height height) const;
};
core::Result<TrustedValidators> ParseValidatorsFile(std::string_view text);

// Reads a whole file (FILE_READ_FAILED, or FILE_TOO_LARGE beyond `max_bytes`).
core::Result<std::string> ReadFile(const std::string& path, size_t max_bytes = 16 << 20);

}  // namespace tradeledger::node
