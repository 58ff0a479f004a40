// What validators say to each other, inside the authenticated transport's frames
// (net/transport.h): one channel byte, then the body.
//
//   0x01 consensus      a consensus message, exactly as consensus::EncodeMessage writes it
//   0x02 transactions   u32 count (1..kMaxGossipBatch), then count × u32-length envelope
//
// Transactions travel between validators so that a client may submit to any of them: the
// validator that admits a transaction forwards it once to every other validator, which
// verifies it and offers it to its consensus core. Gossip is not relayed further: the
// validator network is a full mesh.
//
// Thread safety: plain functions.
#pragma once

#include <cstdint>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"
#include "ledger/transaction.h"

namespace tradeledger::node {

enum class PeerChannel : uint8_t { kConsensus = 1, kTransactions = 2 };

// Most transactions one gossip frame carries.
inline constexpr uint32_t kMaxGossipBatch = 10'000;

core::Bytes ConsensusFrame(core::ByteSpan message);
// `transactions` must hold 1..kMaxGossipBatch transactions.
core::Bytes TransactionsFrame(const std::vector<ledger::SignedTransaction>& transactions);

struct PeerFrame {
  PeerChannel channel;
  core::ByteSpan body;  // borrows the frame
};
// FRAME_MALFORMED for an empty frame or an unknown channel.
core::Result<PeerFrame> ParsePeerFrame(core::ByteSpan frame);

// Decodes a transactions body strictly (FRAME_MALFORMED, or the envelope's own reason code).
// Signatures are not checked here.
core::Result<std::vector<ledger::SignedTransaction>> DecodeTransactions(core::ByteSpan body);

}  // namespace tradeledger::node
