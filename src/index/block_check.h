// What the indexer trusts of a block a node served: nothing until it checks out.
//
// CheckServedBlock takes the JSON of a signed GET /v1/blocks/{h} (doc/formats.md) and accepts
// it only when
//   - the encoded header and certificate decode, and the header is for `chain` at `height`;
//   - the certificate is for that height and that header's hash, and a quorum of the
//     validator set in force at that height (the trusted validators file) signed it;
//   - the header's prev_hash is `prev_hash` (the previous block the indexer wrote), when given;
//   - the transaction ids listed are exactly the block's: their count is the header's
//     tx_count and their RFC 9162 root is the header's tx_root.
// The JSON fields beside the encoded ones (the readable header and certificate) are ignored:
// everything returned comes from the verified bytes.
//
// Reason codes: BLOCK_MALFORMED (a field missing or not decodable), BLOCK_MISMATCH (another
// chain, height or hash than asked), BLOCK_LINK_BROKEN (prev_hash differs), TX_ROOT_MISMATCH,
// CERTIFICATE_INVALID (from ledger::CommitCertificate::Verify).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "ledger/block.h"
#include "node/genesis.h"

namespace tradeledger::index {

struct CheckedBlock {
  ledger::BlockHeader header;
  ledger::BlockHash hash;
  ledger::CommitCertificate certificate;
  std::vector<ledger::TxId> tx_ids;
  size_t quorum = 0;    // signatures the set in force needs
  size_t set_size = 0;  // validators in that set
};

core::Result<CheckedBlock> CheckServedBlock(const nlohmann::json& served,
                                            const node::TrustedValidators& trusted,
                                            core::Height height,
                                            const std::optional<ledger::BlockHash>& prev_hash);

}  // namespace tradeledger::index
