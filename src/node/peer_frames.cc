#include "node/peer_frames.h"

#include "core/encoding.h"

namespace tradeledger::node {

core::Bytes ConsensusFrame(core::ByteSpan message) {
  core::Bytes out;
  out.reserve(message.size() + 1);
  out.push_back(static_cast<uint8_t>(PeerChannel::kConsensus));
  out.insert(out.end(), message.begin(), message.end());
  return out;
}

core::Bytes TransactionsFrame(const std::vector<ledger::SignedTransaction>& transactions) {
  TL_CHECK(!transactions.empty() && transactions.size() <= kMaxGossipBatch);
  size_t size = 5;
  for (const auto& tx : transactions) size += 4 + tx.envelope().size();
  core::Encoder e(size);
  e.PutU8(static_cast<uint8_t>(PeerChannel::kTransactions));
  e.PutU32(static_cast<uint32_t>(transactions.size()));
  for (const auto& tx : transactions) e.PutBytes(tx.envelope());
  return std::move(e).Take();
}

core::Result<PeerFrame> ParsePeerFrame(core::ByteSpan frame) {
  if (frame.empty()) return core::Fail("FRAME_MALFORMED", "empty frame");
  uint8_t channel = frame[0];
  if (channel != static_cast<uint8_t>(PeerChannel::kConsensus) &&
      channel != static_cast<uint8_t>(PeerChannel::kTransactions)) {
    return core::Fail("FRAME_MALFORMED", "unknown channel " + std::to_string(channel));
  }
  return PeerFrame{static_cast<PeerChannel>(channel), frame.subspan(1)};
}

core::Result<std::vector<ledger::SignedTransaction>> DecodeTransactions(core::ByteSpan body) {
  core::Decoder d(body);
  TL_ASSIGN_OR_RETURN(uint32_t count, d.GetU32());
  if (count == 0 || count > kMaxGossipBatch) {
    return core::Fail("FRAME_MALFORMED", "gossip batch of " + std::to_string(count));
  }
  std::vector<ledger::SignedTransaction> out;
  out.reserve(count);
  for (uint32_t i = 0; i < count; ++i) {
    TL_ASSIGN_OR_RETURN(core::ByteSpan envelope, d.GetBytes(ledger::kMaxTransactionBytes));
    TL_ASSIGN_OR_RETURN(ledger::SignedTransaction tx, ledger::SignedTransaction::Decode(envelope));
    out.push_back(std::move(tx));
  }
  TL_RETURN_IF_ERROR(d.Finish());
  return out;
}

}  // namespace tradeledger::node
