// Blocks and their headers.
//
// A header commits to everything a client needs to check a proof offline: the chain, the
// position in the chain (height, previous header hash), the transactions of the block
// (tx_root over their ids, RFC 9162 hashing), the whole transaction log so far (log_size and
// log_root of the RFC 9162 log whose leaves are transaction ids in commit order), and the
// authenticated state as of an earlier height (ledger order-then-execute: block h is ordered
// before it is executed, so it commits the state root after block `state_height` < h).
//
// Layouts in doc/formats.md ("Block header", "Stored block").
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "core/strong_types.h"
#include "ledger/commit_certificate.h"
#include "ledger/ids.h"
#include "ledger/transaction.h"

namespace tradeledger::ledger {

// Most transactions one block may carry.
inline constexpr uint32_t kMaxBlockTransactions = 10'000;

struct BlockHeader {
  ChainId chain_id;
  core::Height height;          // 1 for the first block
  BlockHash prev_hash;          // hash of header height-1; all zero at height 1
  core::TimestampMs timestamp;  // agreed block time; never decreases along the chain
  PublicKey proposer;           // the validator that proposed the block
  core::Hash32 tx_root;         // RFC 9162 root over LeafHash(tx id) of this block's txs
  uint32_t tx_count = 0;
  uint64_t log_size = 0;      // transactions in the ledger up to and including this block
  core::Hash32 log_root;      // RFC 9162 root of the transaction log at log_size
  core::Height state_height;  // state_root is the state after executing blocks 1..state_height
  core::Hash32 state_root;

  core::Bytes Encode() const;
  static core::Result<BlockHeader> Decode(core::ByteSpan bytes);
  BlockHash Hash() const;
};

// A block as stored and served: header, transactions in order, and the certificate that
// commits it.
struct StoredBlock {
  BlockHeader header;
  std::vector<SignedTransaction> transactions;
  CommitCertificate certificate;

  core::Bytes Encode() const;
  // Strict: every envelope and the certificate decode, counts within limits, no trailing bytes.
  // Signatures are not checked here.
  static core::Result<StoredBlock> Decode(core::ByteSpan bytes);
};

// The header and certificate of an encoded StoredBlock and, if `position` is given, its
// transaction at that position, decoded without decoding the block's other transactions: their
// envelopes are skipped, lengths still bounds-checked. For serving a proof of one transaction,
// where decoding (and so hashing) every envelope of the block would be most of the work
// (doc/performance.md, scenario f). Fails as StoredBlock::Decode on malformed bytes, and with
// INVALID_ARGUMENT if `position` is not below the block's transaction count.
struct BlockExcerpt {
  BlockHeader header;
  std::optional<SignedTransaction> transaction;  // set exactly when a position was given
  CommitCertificate certificate;
};
core::Result<BlockExcerpt> DecodeBlockExcerpt(core::ByteSpan stored_block,
                                              std::optional<uint32_t> position);

// The transaction root of a block: RFC 9162 MTH over LeafHash(tx id) of each transaction.
core::Hash32 TransactionRoot(const std::vector<SignedTransaction>& transactions);

}  // namespace tradeledger::ledger
