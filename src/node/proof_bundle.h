// Proof bundles: self-contained JSON documents that let anyone check, offline and with only
// the validator set, that a transaction is on the ledger (inclusion) or that one ledger state
// extends another (consistency). Format in doc/formats.md ("Proof bundles").
//
// An inclusion bundle carries the transaction envelope, the header of its block, the commit
// certificate of that header, and an RFC 9162 inclusion proof of the transaction id in the
// log whose size and root the header states. Verification checks, in order: chain id, the
// certificate's quorum over the header hash, the transaction's signature and id, and the
// inclusion proof (its leaf must lie inside the block's range of the log). The result code
// reported beside it is informational: the proof does not cover it.
//
// A reader who may not see the transaction's body (trade/tx_readers.h, ADR 0021) gets an
// inclusion-id bundle instead: the same header, certificate and inclusion proof, the
// transaction id, and no envelope and no result code. It proves that the transaction with this
// id is on the ledger at this position, and nothing about what it says: the id is the SHA-256
// of an envelope that includes an Ed25519 signature, so it cannot be searched for a guessed body.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.h"
#include "node/genesis.h"
#include "node/ledger_store.h"

namespace tradeledger::node {

inline constexpr char kInclusionBundleKind[] = "tradeledger.proof.inclusion.v1";
inline constexpr char kInclusionIdBundleKind[] = "tradeledger.proof.inclusion-id.v1";
inline constexpr char kConsistencyBundleKind[] = "tradeledger.proof.consistency.v1";
inline constexpr char kStateBundleKind[] = "tradeledger.proof.state.v1";

// NOT_FOUND if `id` is not committed. `with_body` false builds the inclusion-id bundle.
core::Result<nlohmann::json> BuildInclusionBundle(const LedgerStore& store,
                                                  const ledger::ChainId& chain,
                                                  const ledger::TxId& id, bool with_body = true);

// A consistency proof from the log at block `from` to the log at block `to` (from <= to).
core::Result<nlohmann::json> BuildConsistencyBundle(const LedgerStore& store,
                                                    const ledger::ChainId& chain, core::Height from,
                                                    core::Height to);

// A proof of the value (or absence) of `state_key` in the state committed by the header at
// `tip` (the state after block state_height). STATE_PRUNED if that state's tree is below the
// state horizon (ADR 0019), also when pruning overtakes the walk.
core::Result<nlohmann::json> BuildStateBundle(const LedgerStore& store,
                                              const ledger::ChainId& chain, core::Height tip,
                                              core::ByteSpan state_key);

// What a successful verification established.
struct VerifiedProof {
  std::string kind;
  std::string summary;  // one line for humans
  // The certified height the proof rests on (a consistency proof: the later one), and the
  // public keys (hex) of the validators whose signatures on it were checked.
  uint64_t height = 0;
  std::vector<std::string> signers;
};

// Checks a bundle of any kind above. PROOF_INVALID (with the first failed check) or
// PROOF_MALFORMED (missing or undecodable fields) on failure.
core::Result<VerifiedProof> VerifyBundle(const nlohmann::json& bundle,
                                         const TrustedValidators& trusted);

}  // namespace tradeledger::node
