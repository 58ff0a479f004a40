// Fuzz target for every decoder that reads bytes from outside: transaction envelopes, stored
// blocks, commit certificates, Merkle and state proofs, index entries, consensus messages and
// stored state tree nodes (selector 9: a 32-byte expected hash, then the node's bytes).
// The first input byte picks the decoder; the rest is its input. A decoder may reject the input
// (that is its job) but must not crash, leak or read out of bounds, and whatever it accepts must
// re-encode to exactly the input (one encoding per value).
//
// Built two ways (fuzz/CMakeLists.txt): with clang's libFuzzer for real fuzzing (a documented
// command), and as `decoders_fuzz_smoke`, a deterministic driver run by ctest.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <variant>

#include "consensus/messages.h"
#include "ledger/block.h"
#include "ledger/merkle.h"
#include "node/ledger_store.h"
#include "node/peer_frames.h"
#include "state/state_proof.h"
#include "state/state_tree.h"

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

// The page encodings of doc/state-tree.md, written out again from a decoded page: the entry at
// `index` and its inline descendants, in preorder; in the stored form (kind 3) without the
// hashes of inline and leaf children.
void EncodeEntry(const tradeledger::state::PageNode& page, size_t index, bool stored,
                 tradeledger::core::Bytes& out) {
  using tradeledger::state::ChildKind;
  const auto& entry = page.entries.at(index);
  out.push_back(static_cast<uint8_t>(static_cast<uint8_t>(entry.left.kind) << 4 |
                                     static_cast<uint8_t>(entry.right.kind)));
  for (const auto* child : {&entry.left, &entry.right}) {
    if (child->kind == ChildKind::kEmpty) continue;
    if (!stored || child->kind == ChildKind::kPage) {
      out.insert(out.end(), child->hash.data.begin(), child->hash.data.end());
    }
    if (child->kind != ChildKind::kLeaf) continue;
    out.insert(out.end(), child->path.data.begin(), child->path.data.end());
    out.insert(out.end(), child->value_hash.data.begin(), child->value_hash.data.end());
  }
  for (const auto* child : {&entry.left, &entry.right}) {
    if (child->kind == ChildKind::kInline) EncodeEntry(page, child->index, stored, out);
  }
}

// A stored state tree node: what the strict decode accepts, the unchecked one accepts alike,
// and a page re-encodes to exactly its bytes in its own form (full or stored).
void StateNode(ByteSpan input) {
  namespace s = tradeledger::state;
  if (input.size() < 32) return;
  auto hash = tradeledger::core::Hash32::FromSpan(input.first(32));
  ByteSpan encoded = input.subspan(32);
  auto strict = s::DecodeNode(*hash, encoded);
  auto loose = s::DecodeVerifiedNode(*hash, encoded);
  if (strict && (!loose || s::StoredChildren(*strict) != s::StoredChildren(*loose))) std::abort();
  // A stored page holds no hash to trust: both decodes compute and check them all.
  if (s::IsStoredPageEncoding(encoded) && strict.has_value() != loose.has_value()) std::abort();
  if (!loose) return;
  const auto* page = std::get_if<s::PageNode>(&*loose);
  if (page == nullptr) return;
  if (page->entries.empty() || page->entries.size() > 15) std::abort();
  tradeledger::core::Bytes again = {encoded[0], encoded[1]};
  EncodeEntry(*page, 0, s::IsStoredPageEncoding(encoded), again);
  if (again.size() != encoded.size() || !std::equal(again.begin(), again.end(), encoded.begin())) {
    std::abort();  // two encodings of one page
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  ByteSpan input(data + 1, size - 1);
  switch (data[0] % 10) {
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
    case 9:
      StateNode(input);
      break;
    default: {  // 8: a frame from another validator (node/peer_frames.h)
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
