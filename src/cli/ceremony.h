// The genesis ceremony (ADR 0022, doc/operations.md): a network formed by several
// organisations from public material only. Each founding operator runs `operator init` on its
// own machine (its validator key never leaves it) and publishes operator.json; customs runs
// `customs init` and publishes customs.json; anyone assembles the genesis from those files
// (`genesis assemble`); every founding operator checks it and signs its chain id (`genesis
// sign`); each operator writes its node's config from the genesis (`operator config`), and
// the node starts only with every founder's sign-off (node/genesis_signoff.h). `net init`
// runs the same steps for a local network in one directory.
//
// Files:
//   operator.json  {"name": "...", "public_key": "<64 hex>", "address": "host:port"}
//   customs.json   {"org_id": "CBP", "legal_name": "...", "country": "US",
//                   "public_key": "<64 hex>"}   (the customs administrator's key)
// Every function refuses to overwrite a file it would create (FILE_EXISTS).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace tradeledger::cli {

// Writes DIR/validator.key (mode 0600) and DIR/operator.json. `address` is the validator
// transport endpoint the other validators will dial ("host:port").
core::Status OperatorInit(const std::string& dir, const std::string& name,
                          const std::string& address);

// Writes DIR/admin.key (mode 0600) and DIR/customs.json.
core::Status CustomsInit(const std::string& dir, const std::string& org_id,
                         const std::string& legal_name, const std::string& country);

struct AssembleOptions {
  std::vector<std::string> operator_files;  // one per founding validator, in order
  std::string customs_file;                 // empty: a bare network (no customs authority)
  std::string chain_name = "tradeledger";
  std::string ledger_clock;   // empty: validator clocks; else the clock's start instant
  std::string holidays_file;  // JSON array of "YYYY-MM-DD"; empty: U.S. federal holidays
  std::string out;            // the genesis file to write
};
// Assembles and writes the genesis: the validators with their addresses, the customs
// authority, a fresh random IOR salt, the holiday calendar and the optional ledger clock.
// Returns the chain id (hex). Fails on a malformed or duplicated operator file
// (OPERATOR_FILE_INVALID), a bad customs file (CUSTOMS_FILE_INVALID), a bad holiday file
// (HOLIDAYS_INVALID, also when given without a customs authority), a validator count other than 1
// or 4..64 (VALIDATOR_COUNT_INVALID).
core::Result<std::string> AssembleGenesis(const AssembleOptions& options);

// Signs the genesis with the validator key in `key_file` and adds the sign-off to
// `signoffs_file` (created if missing, else merged). Returns how many of the genesis'
// validators have now signed.
core::Result<size_t> SignGenesisFile(const std::string& genesis_file, const std::string& key_file,
                                     const std::string& signoffs_file);

// A human-readable summary of a genesis for an operator to check before signing: chain id,
// validators with keys and addresses, customs authority, holiday range, ledger clock.
core::Result<std::string> DescribeGenesis(const std::string& genesis_file);

struct OperatorConfigOptions {
  std::string dir;  // the operator's directory (validator.key, operator.json)
  std::string genesis_file;
  std::string signoffs_file;
  std::string http_address = "127.0.0.1";
  uint16_t http_port = 7711;
  // Address to listen on; empty: the host of operator.json's address if it is an IP literal,
  // else 0.0.0.0 (every interface).
  std::string p2p_listen;
};
// Writes DIR/config.json: data dir DIR/data, the key, the genesis and sign-offs (paths
// relative to DIR), the transport port of operator.json's address, and every other genesis
// validator as a peer at its published address (GENESIS_NO_ADDRESS if one has none).
core::Status WriteOperatorConfig(const OperatorConfigOptions& options);

// The holiday calendar written when none is given: U.S. federal holidays (observed dates).
const std::vector<std::string>& DefaultHolidays();

}  // namespace tradeledger::cli
