#include "consensus/messages.h"

#include <algorithm>
#include <string_view>

namespace tradeledger::consensus {
namespace {

constexpr char kProposalContext[] = "TRADELEDGER/PROPOSAL/v1";
constexpr char kVoteContext[] = "TRADELEDGER/VOTE/v1";
constexpr char kTimeoutContext[] = "TRADELEDGER/TIMEOUT/v1";

// The context string including its terminating 0x00.
template <size_t N>
core::ByteSpan Context(const char (&text)[N]) {
  return core::AsBytes(std::string_view(text, N));
}

void PutReplica(core::Encoder& e, ReplicaId id) { e.PutU16(static_cast<uint16_t>(id.value)); }

core::Result<ReplicaId> GetReplica(core::Decoder& d) {
  TL_ASSIGN_OR_RETURN(uint16_t v, d.GetU16());
  if (v >= ledger::kMaxValidators) return core::Fail("MESSAGE_MALFORMED", "replica index");
  return ReplicaId(v);
}

// Checks a signer list: sorted, unique, members of `set`, each signature valid over the
// message `message_of(entry)` returns; and at least a quorum of them.
template <typename Entry, typename MessageOf>
core::Status VerifySigners(const std::vector<Entry>& entries, const ledger::ValidatorSet& set,
                           const char* code, MessageOf message_of) {
  for (size_t i = 0; i < entries.size(); ++i) {
    if (i > 0 && !(entries[i - 1].signer < entries[i].signer)) {
      return core::Fail(code, "signers not sorted or duplicated");
    }
    if (entries[i].signer.value >= set.size()) return core::Fail(code, "signer not a validator");
    const crypto::PublicKey& key = set.validators()[entries[i].signer.value];
    if (!crypto::Verify(key, message_of(entries[i]), entries[i].signature)) {
      return core::Fail(code, "bad signature from replica " + entries[i].signer.ToString());
    }
  }
  if (entries.size() < set.quorum()) return core::Fail(code, "fewer signatures than a quorum");
  return core::Ok();
}

template <typename Entry>
core::Status CheckSorted(const std::vector<Entry>& entries) {
  for (size_t i = 1; i < entries.size(); ++i) {
    if (!(entries[i - 1].signer < entries[i].signer)) {
      return core::Fail("MESSAGE_MALFORMED", "signers not sorted or duplicated");
    }
  }
  return core::Ok();
}

}  // namespace

core::Bytes QuorumCert::VoteMessage(const ledger::ChainId& chain, core::View view,
                                    core::Height height, const ledger::BlockHash& hash) {
  core::Encoder e(128);
  e.PutFixed(Context(kVoteContext)).Put(chain.hash).PutU64(view.value).PutU64(height.value);
  e.Put(hash.hash);
  return std::move(e).Take();
}

core::Status QuorumCert::Verify(const ledger::ChainId& chain,
                                const ledger::ValidatorSet& set) const {
  if (IsGenesis()) {
    if (height.value != 0 || !block_hash.hash.IsZero() || !signatures.empty()) {
      return core::Fail("QC_INVALID", "malformed genesis QC");
    }
    return core::Ok();
  }
  core::Bytes message = VoteMessage(chain, view, height, block_hash);
  return VerifySigners(signatures, set, "QC_INVALID",
                       [&](const VoteSignature&) -> const core::Bytes& { return message; });
}

void QuorumCert::EncodeTo(core::Encoder& e) const {
  e.PutU64(view.value).PutU64(height.value).Put(block_hash.hash);
  e.PutU32(static_cast<uint32_t>(signatures.size()));
  for (const VoteSignature& s : signatures) {
    PutReplica(e, s.signer);
    e.Put(s.signature);
  }
}

core::Result<QuorumCert> QuorumCert::DecodeFrom(core::Decoder& d) {
  QuorumCert qc;
  TL_ASSIGN_OR_RETURN(qc.view.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(qc.height.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(qc.block_hash.hash, d.Get<32>());
  TL_ASSIGN_OR_RETURN(uint32_t n, d.GetCount(ledger::kMaxValidators));
  qc.signatures.resize(n);
  for (VoteSignature& s : qc.signatures) {
    TL_ASSIGN_OR_RETURN(s.signer, GetReplica(d));
    TL_ASSIGN_OR_RETURN(s.signature, d.Get<64>());
  }
  TL_RETURN_IF_ERROR(CheckSorted(qc.signatures));
  return qc;
}

core::Bytes TimeoutCert::TimeoutMessage(const ledger::ChainId& chain, core::View view,
                                        core::View high_qc_view) {
  core::Encoder e(96);
  e.PutFixed(Context(kTimeoutContext)).Put(chain.hash).PutU64(view.value);
  e.PutU64(high_qc_view.value);
  return std::move(e).Take();
}

core::View TimeoutCert::MaxHighQcView() const {
  core::View max;
  for (const TimeoutSignature& s : signatures) max = std::max(max, s.high_qc_view);
  return max;
}

core::Status TimeoutCert::Verify(const ledger::ChainId& chain,
                                 const ledger::ValidatorSet& set) const {
  for (const TimeoutSignature& s : signatures) {
    if (s.high_qc_view >= view) return core::Fail("TC_INVALID", "high QC view not below view");
  }
  return VerifySigners(signatures, set, "TC_INVALID", [&](const TimeoutSignature& s) {
    return TimeoutMessage(chain, view, s.high_qc_view);
  });
}

void TimeoutCert::EncodeTo(core::Encoder& e) const {
  e.PutU64(view.value).PutU32(static_cast<uint32_t>(signatures.size()));
  for (const TimeoutSignature& s : signatures) {
    PutReplica(e, s.signer);
    e.PutU64(s.high_qc_view.value).Put(s.signature);
  }
}

core::Result<TimeoutCert> TimeoutCert::DecodeFrom(core::Decoder& d) {
  TimeoutCert tc;
  TL_ASSIGN_OR_RETURN(tc.view.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(uint32_t n, d.GetCount(ledger::kMaxValidators));
  tc.signatures.resize(n);
  for (TimeoutSignature& s : tc.signatures) {
    TL_ASSIGN_OR_RETURN(s.signer, GetReplica(d));
    TL_ASSIGN_OR_RETURN(s.high_qc_view.value, d.GetU64());
    TL_ASSIGN_OR_RETURN(s.signature, d.Get<64>());
  }
  TL_RETURN_IF_ERROR(CheckSorted(tc.signatures));
  return tc;
}

core::Bytes Proposal::SigningMessage(const ledger::ChainId& chain, core::View view,
                                     const ledger::BlockHash& hash) {
  core::Encoder e(96);
  e.PutFixed(Context(kProposalContext)).Put(chain.hash).PutU64(view.value).Put(hash.hash);
  return std::move(e).Take();
}

void Proposal::Sign(const ledger::ChainId& chain, const crypto::KeyPair& key) {
  signature = crypto::Sign(key.secret_key, SigningMessage(chain, view, header.Hash()));
}

void Vote::Sign(const ledger::ChainId& chain, const crypto::KeyPair& key) {
  signature =
      crypto::Sign(key.secret_key, QuorumCert::VoteMessage(chain, view, height, block_hash));
}

void Timeout::Sign(const ledger::ChainId& chain, const crypto::KeyPair& key) {
  signature = crypto::Sign(key.secret_key, TimeoutCert::TimeoutMessage(chain, view, high_qc.view));
}

void CommitVote::Sign(const ledger::ChainId& chain, const crypto::KeyPair& key) {
  signature = crypto::Sign(
      key.secret_key, ledger::CommitCertificate::SigningMessage(chain, height, view, block_hash));
}

namespace {

void EncodeBody(core::Encoder& e, const Proposal& m) {
  e.PutU64(m.view.value);
  PutReplica(e, m.author);
  e.PutBytes(m.header.Encode());
  e.PutU32(static_cast<uint32_t>(m.transactions.size()));
  for (const auto& tx : m.transactions) e.PutBytes(tx.envelope());
  m.justify.EncodeTo(e);
  e.PutBool(m.tc.has_value());
  if (m.tc) m.tc->EncodeTo(e);
  e.Put(m.signature);
}

void EncodeBody(core::Encoder& e, const Vote& m) {
  e.PutU64(m.view.value).PutU64(m.height.value).Put(m.block_hash.hash);
  PutReplica(e, m.author);
  e.Put(m.signature);
}

void EncodeBody(core::Encoder& e, const Timeout& m) {
  e.PutU64(m.view.value);
  PutReplica(e, m.author);
  m.high_qc.EncodeTo(e);
  e.PutBool(m.last_tc.has_value());
  if (m.last_tc) m.last_tc->EncodeTo(e);
  e.Put(m.signature);
}

void EncodeBody(core::Encoder& e, const CommitVote& m) {
  e.PutU64(m.height.value).PutU64(m.view.value).Put(m.block_hash.hash);
  PutReplica(e, m.author);
  e.Put(m.signature);
}

void EncodeBody(core::Encoder& e, const BlockRequest& m) { e.Put(m.block_hash.hash); }

void EncodeBody(core::Encoder& e, const SyncRequest& m) { e.PutU64(m.from_height.value); }

void EncodeBody(core::Encoder& e, const SyncResponse& m) {
  e.PutU32(static_cast<uint32_t>(m.blocks.size()));
  for (const auto& b : m.blocks) e.PutBytes(b.Encode());
}

void EncodeBody(core::Encoder& e, const ViewSync& m) {
  m.high_qc.EncodeTo(e);
  e.PutBool(m.last_tc.has_value());
  if (m.last_tc) m.last_tc->EncodeTo(e);
}

core::Result<ViewSync> DecodeViewSync(core::Decoder& d) {
  ViewSync m;
  TL_ASSIGN_OR_RETURN(m.high_qc, QuorumCert::DecodeFrom(d));
  TL_ASSIGN_OR_RETURN(bool has_tc, d.GetBool());
  if (has_tc) {
    TL_ASSIGN_OR_RETURN(TimeoutCert tc, TimeoutCert::DecodeFrom(d));
    m.last_tc = std::move(tc);
  }
  return m;
}

core::Result<Proposal> DecodeProposal(core::Decoder& d) {
  Proposal m;
  TL_ASSIGN_OR_RETURN(m.view.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(m.author, GetReplica(d));
  TL_ASSIGN_OR_RETURN(core::ByteSpan header, d.GetBytes(kMaxHeaderBytes));
  TL_ASSIGN_OR_RETURN(m.header, ledger::BlockHeader::Decode(header));
  TL_ASSIGN_OR_RETURN(uint32_t n, d.GetCount(ledger::kMaxBlockTransactions));
  m.transactions.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    TL_ASSIGN_OR_RETURN(core::ByteSpan envelope, d.GetBytes(ledger::kMaxTransactionBytes));
    TL_ASSIGN_OR_RETURN(ledger::SignedTransaction tx, ledger::SignedTransaction::Decode(envelope));
    m.transactions.push_back(std::move(tx));
  }
  TL_ASSIGN_OR_RETURN(m.justify, QuorumCert::DecodeFrom(d));
  TL_ASSIGN_OR_RETURN(bool has_tc, d.GetBool());
  if (has_tc) {
    TL_ASSIGN_OR_RETURN(TimeoutCert tc, TimeoutCert::DecodeFrom(d));
    m.tc = std::move(tc);
  }
  TL_ASSIGN_OR_RETURN(m.signature, d.Get<64>());
  return m;
}

core::Result<Vote> DecodeVote(core::Decoder& d) {
  Vote m;
  TL_ASSIGN_OR_RETURN(m.view.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(m.height.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(m.block_hash.hash, d.Get<32>());
  TL_ASSIGN_OR_RETURN(m.author, GetReplica(d));
  TL_ASSIGN_OR_RETURN(m.signature, d.Get<64>());
  return m;
}

core::Result<Timeout> DecodeTimeout(core::Decoder& d) {
  Timeout m;
  TL_ASSIGN_OR_RETURN(m.view.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(m.author, GetReplica(d));
  TL_ASSIGN_OR_RETURN(m.high_qc, QuorumCert::DecodeFrom(d));
  TL_ASSIGN_OR_RETURN(bool has_tc, d.GetBool());
  if (has_tc) {
    TL_ASSIGN_OR_RETURN(TimeoutCert tc, TimeoutCert::DecodeFrom(d));
    m.last_tc = std::move(tc);
  }
  TL_ASSIGN_OR_RETURN(m.signature, d.Get<64>());
  return m;
}

core::Result<CommitVote> DecodeCommitVote(core::Decoder& d) {
  CommitVote m;
  TL_ASSIGN_OR_RETURN(m.height.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(m.view.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(m.block_hash.hash, d.Get<32>());
  TL_ASSIGN_OR_RETURN(m.author, GetReplica(d));
  TL_ASSIGN_OR_RETURN(m.signature, d.Get<64>());
  return m;
}

core::Result<SyncResponse> DecodeSyncResponse(core::Decoder& d) {
  SyncResponse m;
  TL_ASSIGN_OR_RETURN(uint32_t n, d.GetCount(kMaxSyncBlocks));
  for (uint32_t i = 0; i < n; ++i) {
    TL_ASSIGN_OR_RETURN(core::ByteSpan bytes, d.GetBytes(kMaxStoredBlockBytes));
    TL_ASSIGN_OR_RETURN(ledger::StoredBlock block, ledger::StoredBlock::Decode(bytes));
    m.blocks.push_back(std::move(block));
  }
  return m;
}

}  // namespace

core::Bytes EncodeMessage(const Message& message) {
  core::Encoder e(256);
  e.PutU8(kWireVersion).PutU8(static_cast<uint8_t>(message.index() + 1));
  std::visit([&](const auto& m) { EncodeBody(e, m); }, message);
  return std::move(e).Take();
}

core::Result<Message> DecodeMessage(core::ByteSpan bytes) {
  core::Decoder d(bytes);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kWireVersion));
  TL_ASSIGN_OR_RETURN(uint8_t kind, d.GetU8());
  Message out;
  switch (static_cast<MessageKind>(kind)) {
    case MessageKind::kProposal: {
      TL_ASSIGN_OR_RETURN(out, DecodeProposal(d));
      break;
    }
    case MessageKind::kVote: {
      TL_ASSIGN_OR_RETURN(out, DecodeVote(d));
      break;
    }
    case MessageKind::kTimeout: {
      TL_ASSIGN_OR_RETURN(out, DecodeTimeout(d));
      break;
    }
    case MessageKind::kCommitVote: {
      TL_ASSIGN_OR_RETURN(out, DecodeCommitVote(d));
      break;
    }
    case MessageKind::kBlockRequest: {
      BlockRequest m;
      TL_ASSIGN_OR_RETURN(m.block_hash.hash, d.Get<32>());
      out = m;
      break;
    }
    case MessageKind::kSyncRequest: {
      SyncRequest m;
      TL_ASSIGN_OR_RETURN(m.from_height.value, d.GetU64());
      out = m;
      break;
    }
    case MessageKind::kSyncResponse: {
      TL_ASSIGN_OR_RETURN(out, DecodeSyncResponse(d));
      break;
    }
    case MessageKind::kViewSync: {
      TL_ASSIGN_OR_RETURN(out, DecodeViewSync(d));
      break;
    }
    default:
      return core::Fail("MESSAGE_MALFORMED", "unknown message kind " + std::to_string(kind));
  }
  TL_RETURN_IF_ERROR(d.Finish());
  return out;
}

const char* KindName(const Message& message) {
  static constexpr const char* kNames[] = {"proposal",      "vote",          "timeout",
                                           "commit_vote",   "block_request", "sync_request",
                                           "sync_response", "view_sync"};
  return kNames[message.index()];
}

}  // namespace tradeledger::consensus
