// A deterministic driver for the fuzz target, for builds without libFuzzer (GCC, CI): it feeds
// the target valid encodings of every decoded type and seeded random mutations of them (bit
// flips, truncations, insertions, length-field overwrites), then the corpus files given on the
// command line. Usage: decoders_fuzz_smoke [iterations] [corpus files...]
// `decoders_fuzz_smoke --write-seeds DIR` writes those valid encodings to DIR instead (the
// seed corpus of the AFL++ target, fuzz/make_seeds.py).
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include "consensus/messages.h"
#include "ledger/block.h"
#include "ledger/merkle.h"
#include "node/ledger_store.h"
#include "node/peer_frames.h"
#include "state/state_tree.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);

namespace {

using tradeledger::core::Bytes;

std::vector<Bytes> Seeds() {
  namespace l = tradeledger::ledger;
  auto key = tradeledger::crypto::KeyPair::FromSeed(tradeledger::crypto::Seed{});
  l::TxPayload p;
  p.type = "document.anchor";
  p.nonce = 7;
  p.body = tradeledger::core::ToBytes("{\"docId\":\"D\"}");
  auto tx = l::SignedTransaction::Sign(p, key);
  l::StoredBlock block;
  block.header.height = tradeledger::core::Height(1);
  block.header.tx_count = 1;
  block.header.log_size = 1;
  block.transactions.push_back(tx);
  block.certificate.height = block.header.height;
  block.certificate.AddSignature(p.chain_id, key);
  l::InclusionProof inclusion{0, 2, {tradeledger::core::Hash32{}}};
  l::ConsistencyProof consistency{1, 2, {tradeledger::core::Hash32{}}};
  tradeledger::node::TxIndexEntry entry{tradeledger::core::Height(1), 0, 0, "OK", {}};
  auto tagged = [](uint8_t tag, const Bytes& b) {
    Bytes out{tag};
    out.insert(out.end(), b.begin(), b.end());
    return out;
  };
  tradeledger::consensus::Vote vote;
  vote.view = tradeledger::core::View(3);
  vote.height = tradeledger::core::Height(2);
  vote.Sign(p.chain_id, key);
  // A page of three keys' tree: its root's hash, then its bytes.
  tradeledger::state::MemoryNodeStore nodes;
  std::vector<tradeledger::state::NodeWrite> writes;
  std::vector<tradeledger::state::StateUpdate> updates;
  for (const char* k : {"a", "b", "c"}) updates.push_back({{uint8_t(*k)}, Bytes{1}});
  auto root = tradeledger::state::ApplyUpdates(nodes, {}, updates, &writes);
  Bytes page(root->data.begin(), root->data.end());
  Bytes stored_page = page;  // the same page in the form a store keeps (selector 19 % 10 = 9)
  for (const auto& w : writes) {
    if (w.hash != *root) continue;
    page.insert(page.end(), w.encoded.begin(), w.encoded.end());
    Bytes stored = tradeledger::state::StoredNodeEncoding(w.encoded);
    stored_page.insert(stored_page.end(), stored.begin(), stored.end());
  }
  return {tagged(0, tx.envelope()),
          tagged(1, block.Encode()),
          tagged(2, block.certificate.Encode()),
          tagged(3, inclusion.Encode()),
          tagged(4, consistency.Encode()),
          tagged(6, entry.Encode()),
          tagged(7, tradeledger::consensus::EncodeMessage(vote)),
          tagged(8, tradeledger::node::TransactionsFrame({tx, tx})),
          tagged(9, page),
          tagged(19, stored_page)};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::string(argv[1]) == "--write-seeds") {
    std::vector<Bytes> seeds = Seeds();
    for (size_t i = 0; i < seeds.size(); ++i) {
      std::ofstream out(std::string(argv[2]) + "/seed-" + std::to_string(seeds[i][0]),
                        std::ios::binary);
      out.write(reinterpret_cast<const char*>(seeds[i].data()),
                static_cast<std::streamsize>(seeds[i].size()));
    }
    std::printf("decoders_fuzz: %zu seeds in %s\n", seeds.size(), argv[2]);
    return 0;
  }
  long iterations = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 20000;
  std::mt19937_64 rng(20261129);
  std::vector<Bytes> seeds = Seeds();
  for (const Bytes& s : seeds) LLVMFuzzerTestOneInput(s.data(), s.size());
  for (long i = 0; i < iterations; ++i) {
    Bytes b = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && b.size() > 1; ++e) {
      size_t pos = 1 + rng() % (b.size() - 1);
      switch (rng() % 4) {
        case 0:
          b[pos] ^= static_cast<uint8_t>(1u << (rng() % 8));
          break;
        case 1:
          b.resize(pos);
          break;
        case 2:
          b.insert(b.begin() + static_cast<long>(pos), static_cast<uint8_t>(rng()));
          break;
        default:
          for (size_t k = pos; k < std::min(b.size(), pos + 4); ++k) b[k] = 0xff;
      }
    }
    if (rng() % 8 == 0) b[0] = static_cast<uint8_t>(rng());  // another decoder, same bytes
    LLVMFuzzerTestOneInput(b.data(), b.size());
  }
  for (int a = 2; a < argc; ++a) {
    std::ifstream in(argv[a], std::ios::binary);
    Bytes b((std::istreambuf_iterator<char>(in)), {});
    LLVMFuzzerTestOneInput(b.data(), b.size());
  }
  std::printf("decoders_fuzz_smoke: %ld mutated inputs, no crash\n", iterations);
  return 0;
}
