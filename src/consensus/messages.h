// The consensus wire messages, their signatures and their one canonical encoding.
//
// Issue 5 sends exactly these bytes over TCP, so the layout is the contract
// (doc/adr/0010-consensus.md, "Message formats"). Every message is
//     version (u8 = 1) | kind (u8) | body
// encoded with core::Encoder: fixed-width big-endian integers, u32-length-prefixed byte strings
// with a bound checked before allocating, and Finish() rejecting trailing bytes, so a message
// has exactly one encoding and Decode(Encode(m)) == m.
//
// Signed bytes are never the message encoding itself but a separate, domain-separated signing
// message that starts with a context string and names the chain id:
//     proposal  "TRADELEDGER/PROPOSAL/v1" 0x00 | chain | view | header hash
//     vote      "TRADELEDGER/VOTE/v1" 0x00     | chain | view | height | block hash
//     timeout   "TRADELEDGER/TIMEOUT/v1" 0x00  | chain | view | high QC view
//     commit    ledger::CommitCertificate::SigningMessage (context "TRADELEDGER/COMMIT/v1")
// A signature made for one purpose or one network is useless for any other.
//
// Decoding checks structure only (versions, bounds, sortedness of signer lists). Signatures are
// checked by the Verify* functions against a ValidatorSet; the Replica counts what fails.
//
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <variant>
#include <vector>

#include "core/bytes.h"
#include "core/encoding.h"
#include "core/result.h"
#include "core/strong_types.h"
#include "crypto/ed25519.h"
#include "ledger/block.h"
#include "ledger/commit_certificate.h"
#include "ledger/ids.h"
#include "ledger/transaction.h"

namespace tradeledger::consensus {

// A validator's position in the (sorted) ValidatorSet; the wire form is a u16.
using ReplicaId = core::Strong<struct ReplicaIdTag, uint32_t>;

inline constexpr uint8_t kWireVersion = 1;
// Most committed blocks one SyncResponse carries.
inline constexpr uint32_t kMaxSyncBlocks = 16;
// Largest encoded header and stored block accepted inside a message.
inline constexpr size_t kMaxHeaderBytes = 1024;
inline constexpr size_t kMaxStoredBlockBytes = 64u << 20;

// One validator's signature inside a certificate, naming the signer by index.
struct VoteSignature {
  ReplicaId signer;
  crypto::Signature signature;
  bool operator==(const VoteSignature&) const = default;
};

// 2f+1 votes for one block in one view. The genesis QC (view 0, height 0, zero hash, no
// signatures) certifies the genesis root and is the only QC without signatures.
struct QuorumCert {
  core::View view;
  core::Height height;
  ledger::BlockHash block_hash;
  std::vector<VoteSignature> signatures;  // sorted by signer, no duplicates

  static QuorumCert Genesis() { return QuorumCert{}; }
  bool IsGenesis() const { return view.value == 0; }
  static core::Bytes VoteMessage(const ledger::ChainId& chain, core::View view, core::Height height,
                                 const ledger::BlockHash& hash);
  // QC_INVALID unless a quorum of distinct validators signed (or it is the genesis QC).
  core::Status Verify(const ledger::ChainId& chain, const ledger::ValidatorSet& set) const;

  void EncodeTo(core::Encoder& e) const;
  static core::Result<QuorumCert> DecodeFrom(core::Decoder& d);
  bool operator==(const QuorumCert&) const = default;
};

struct TimeoutSignature {
  ReplicaId signer;
  core::View high_qc_view;  // the view of the highest QC the signer held when it timed out
  crypto::Signature signature;
  bool operator==(const TimeoutSignature&) const = default;
};

// 2f+1 timeouts for one view: proof that the view may be abandoned, and of the highest QC
// view among the signers (the bound the next proposal must respect).
struct TimeoutCert {
  core::View view;
  std::vector<TimeoutSignature> signatures;  // sorted by signer, no duplicates

  static core::Bytes TimeoutMessage(const ledger::ChainId& chain, core::View view,
                                    core::View high_qc_view);
  core::View MaxHighQcView() const;
  // TC_INVALID unless a quorum of distinct validators signed.
  core::Status Verify(const ledger::ChainId& chain, const ledger::ValidatorSet& set) const;

  void EncodeTo(core::Encoder& e) const;
  static core::Result<TimeoutCert> DecodeFrom(core::Decoder& d);
  bool operator==(const TimeoutCert&) const = default;
};

// A leader's block for a view: the ledger header, its transactions, the QC of its parent
// (justify.block_hash == header.prev_hash) and, when justify is not from the previous view,
// the TC of the previous view.
struct Proposal {
  core::View view;
  ReplicaId author;
  ledger::BlockHeader header;
  std::vector<ledger::SignedTransaction> transactions;
  QuorumCert justify;
  std::optional<TimeoutCert> tc;
  crypto::Signature signature;

  static core::Bytes SigningMessage(const ledger::ChainId& chain, core::View view,
                                    const ledger::BlockHash& hash);
  void Sign(const ledger::ChainId& chain, const crypto::KeyPair& key);
};

struct Vote {
  core::View view;
  core::Height height;
  ledger::BlockHash block_hash;
  ReplicaId author;
  crypto::Signature signature;

  void Sign(const ledger::ChainId& chain, const crypto::KeyPair& key);
};

struct Timeout {
  core::View view;
  ReplicaId author;
  QuorumCert high_qc;
  // The TC that brought the author into `view` (unsigned by the author: it is self-proving),
  // so a replica stuck in an earlier view can follow.
  std::optional<TimeoutCert> last_tc;
  crypto::Signature signature;  // over TimeoutMessage(view, high_qc.view)

  void Sign(const ledger::ChainId& chain, const crypto::KeyPair& key);
};

// "I committed this block": the signature is exactly a ledger::CommitCertificate signature, so
// 2f+1 of them are the certificate stored with the block.
struct CommitVote {
  core::Height height;
  core::View view;
  ledger::BlockHash block_hash;
  ReplicaId author;
  crypto::Signature signature;

  void Sign(const ledger::ChainId& chain, const crypto::KeyPair& key);
};

// Asks a peer for the proposal of an uncommitted block it holds.
struct BlockRequest {
  ledger::BlockHash block_hash;
};

// Asks a peer for committed blocks (with their certificates) from `from_height` on.
struct SyncRequest {
  core::Height from_height;
};

struct SyncResponse {
  std::vector<ledger::StoredBlock> blocks;  // consecutive heights, at most kMaxSyncBlocks
};

// Brings a replica that is behind up to date with the sender's view: sent in reply to a
// timeout or vote for a view the sender has already left. Both certificates prove themselves.
struct ViewSync {
  QuorumCert high_qc;
  std::optional<TimeoutCert> last_tc;
};

using Message = std::variant<Proposal, Vote, Timeout, CommitVote, BlockRequest, SyncRequest,
                             SyncResponse, ViewSync>;

// The wire kind byte of each alternative, in variant order starting at 1.
enum class MessageKind : uint8_t {
  kProposal = 1,
  kVote = 2,
  kTimeout = 3,
  kCommitVote = 4,
  kBlockRequest = 5,
  kSyncRequest = 6,
  kSyncResponse = 7,
  kViewSync = 8,
};

core::Bytes EncodeMessage(const Message& message);
// Strict decoding; fails with an ENCODING_* code or MESSAGE_MALFORMED.
core::Result<Message> DecodeMessage(core::ByteSpan bytes);
// A short stable name of the message kind, for counters ("proposal", "vote", ...).
const char* KindName(const Message& message);

}  // namespace tradeledger::consensus
