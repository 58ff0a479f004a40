// Fuzz target for every decoder that reads bytes from outside: transaction envelopes, stored
// blocks, commit certificates, Merkle and state proofs, index entries and consensus messages.
// The first input byte picks the decoder; the rest is its input. A decoder may reject the input
// (that is its job) but must not crash, leak or read out of bounds, and whatever it accepts must
// re-encode to exactly the input (one encoding per value).
//
// Built two ways (fuzz/CMakeLists.txt): with clang's libFuzzer for real fuzzing (a documented
// command), and as `decoders_fuzz_smoke`, a deterministic driver run by ctest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "consensus/messages.h"
#include "ledger/block.h"
#include "ledger/merkle.h"
#include "node/ledger_store.h"
#include "node/peer_frames.h"
#include "state/state_proof.h"

namespace {

using tradeledger::core::ByteSpan;

template <typename T>
void RoundTrip(ByteSpan input) {
  auto decoded = T::Decode(input);
  if (!decoded) return;
  auto encoded = decoded->Encode();
  if (encoded.size() != input.size() ||
      !std::equal(encoded.begin(), encoded.end(), input.begin())) {
    std::abort();  // two encodings of one value
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ByteSpan input(data + 1, size - 1);
  switch (data[0] % 9) {
    case 0: {
      auto tx = tradeledger::ledger::SignedTransaction::Decode(input);
      if (tx) (void)tx->VerifySignature();
      break;
    }
    case 1:
      RoundTrip<tradeledger::ledger::StoredBlock>(input);
      break;
    case 2:
      RoundTrip<tradeledger::ledger::CommitCertificate>(input);
      break;
    case 3:
      RoundTrip<tradeledger::ledger::InclusionProof>(input);
      break;
    case 4:
      RoundTrip<tradeledger::ledger::ConsistencyProof>(input);
      break;
    case 5: {
      auto proof = tradeledger::state::StateProof::Decode(input);
      if (proof) (void)tradeledger::state::VerifyStateProof(*proof, tradeledger::core::Hash32{});
      break;
    }
    case 6:
      RoundTrip<tradeledger::node::TxIndexEntry>(input);
      break;
    case 7:
      (void)tradeledger::consensus::DecodeMessage(input);
      break;
    default: {  // a frame from another validator (node/peer_frames.h)
      auto frame = tradeledger::node::ParsePeerFrame(input);
      if (!frame || frame->channel != tradeledger::node::PeerChannel::kTransactions) break;
      auto txs = tradeledger::node::DecodeTransactions(frame->body);
      if (!txs) break;
      auto encoded = tradeledger::node::TransactionsFrame(*txs);
      if (encoded.size() != input.size() ||
          !std::equal(encoded.begin(), encoded.end(), input.begin())) {
        std::abort();  // two encodings of one batch
      }
      break;
    }
  }
  return 0;
}
