#include "node/chain.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/encoding.h"
#include "ledger/merkle.h"
#include "node/proof_bundle.h"
#include "storage/memory_store.h"
#include "trade/state_keys.h"

namespace tradeledger::node {
namespace {

class ChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = Genesis::Parse(
        Genesis::Render("test", core::TimestampMs(1000), {{"v1", validator_.public_key}}));
    ASSERT_TRUE(g) << g.error().ToString();
    genesis_ = *g;
    auto c = Chain::Open(ledger_, genesis_);
    ASSERT_TRUE(c) << c.error().ToString();
    chain_ = std::move(*c);
  }

  ledger::SignedTransaction Anchor(const std::string& doc_id, uint64_t nonce = 0) {
    ledger::TxPayload p;
    p.chain_id = genesis_.chain_id;
    p.type = "document.anchor";
    p.nonce = nonce ? nonce : ++nonce_;
    p.body = core::ToBytes(nlohmann::json{
        {"docId", doc_id},
        {"docType", "INVOICE"},
        {"contentHash", std::string(64, 'b')},
        {"issuer", "ACME"}}.dump());
    return ledger::SignedTransaction::Sign(p, client_);
  }

  ledger::StoredBlock Certify(std::vector<ledger::SignedTransaction> txs, uint64_t time = 2000) {
    ledger::StoredBlock b;
    b.header = chain_->BuildHeader(txs, core::TimestampMs(time), validator_.public_key);
    b.transactions = std::move(txs);
    b.certificate.height = b.header.height;
    b.certificate.view = core::View(1);
    b.certificate.block_hash = b.header.Hash();
    b.certificate.AddSignature(genesis_.chain_id, validator_);
    return b;
  }

  crypto::KeyPair validator_ = crypto::KeyPair::Generate();
  crypto::KeyPair client_ = crypto::KeyPair::Generate();
  uint64_t nonce_ = 0;
  storage::MemoryStore store_;
  LedgerStore ledger_{store_};
  Genesis genesis_;
  std::unique_ptr<Chain> chain_;
};

TEST_F(ChainTest, CommitsBlocksAndIndexesTransactions) {
  auto tx1 = Anchor("D1");
  auto tx2 = Anchor("D2");
  auto entries = chain_->Commit(Certify({tx1, tx2}), true);
  ASSERT_TRUE(entries) << entries.error().ToString();
  ASSERT_EQ(entries->size(), 2u);
  EXPECT_EQ((*entries)[0].result_code, "OK");
  EXPECT_EQ((*entries)[1].leaf_index, 1u);
  auto entry = ledger_.ReadTxIndex(tx2.id());
  ASSERT_TRUE(entry && *entry);
  EXPECT_EQ((*entry)->height, core::Height(1));
  EXPECT_EQ((*entry)->position, 1u);
  EXPECT_EQ(chain_->tip().log_size, 2u);
  EXPECT_NE(chain_->tip().state_root, state::kEmptyRoot);

  auto second = chain_->Commit(Certify({Anchor("D1")}), true);
  ASSERT_TRUE(second);
  EXPECT_EQ((*second)[0].result_code, "DOCUMENT_EXISTS");
  auto doc = ledger_.flat_state().Get(trade::DocumentKey("D1"));
  ASSERT_TRUE(doc && *doc);
}

// Entries and key-and-value bytes of everything in `store`.
std::pair<uint64_t, uint64_t> StoreSize(const storage::Store& store) {
  std::pair<uint64_t, uint64_t> size;
  for (auto it = store.Scan({}); it->Valid(); it->Next()) {
    ++size.first;
    size.second += it->key().size() + it->value().size();
  }
  return size;
}

TEST_F(ChainTest, WrittenIsWhatTheBlocksAddedToTheStore) {
  EXPECT_EQ(chain_->written().block.ops, 0u);
  auto before = StoreSize(store_);
  ledger::StoredBlock block = Certify({Anchor("D1"), Anchor("D2")});
  ASSERT_TRUE(chain_->Commit(block, true));
  auto after = StoreSize(store_);
  // A first block only adds keys (and prunes nothing), so its parts sum to the store's growth.
  WriteVolume w = chain_->written();
  uint64_t ops = 0, bytes = 0, parts = 0;
  w.ForEachPart([&](const char*, const WriteVolume::Part& p) {
    ops += p.ops;
    bytes += p.bytes;
    ++parts;
  });
  EXPECT_EQ(parts, 5u);
  EXPECT_EQ(ops, after.first - before.first);
  EXPECT_EQ(bytes, after.second - before.second);
  EXPECT_EQ(w.block.ops, 1u);
  EXPECT_EQ(w.block.bytes, LedgerStore::BlockKey(core::Height(1)).size() + block.Encode().size());
  EXPECT_GE(w.index.ops, 2u);                       // two index entries, and the log's nodes
  EXPECT_GE(w.state_values.ops, 3u);                // two documents and the signer's nonce
  EXPECT_GT(w.state_tree.ops, w.state_values.ops);  // their leaves, a page, the root

  ASSERT_TRUE(chain_->Commit(Certify({Anchor("D3")}), true));
  WriteVolume both = chain_->written();
  EXPECT_EQ(both.block.ops, 2u);
  EXPECT_GT(both.state_values.bytes, w.state_values.bytes);
  EXPECT_GT(both.state_tree.bytes, w.state_tree.bytes);
  EXPECT_GT(both.pruning.ops, w.pruning.ops);  // the stale list of the nonce's old leaf
}

// Replicas size their committed-value cache as they like (ADR 0034): none, one that empties
// itself every few reads, or the default must execute every block alike.
TEST_F(ChainTest, TheValueCacheSizeChangesNoOutcomeAndNoRoot) {
  std::vector<std::unique_ptr<storage::MemoryStore>> stores;
  std::vector<std::unique_ptr<LedgerStore>> ledgers;
  std::vector<std::unique_ptr<Chain>> others;
  for (size_t bytes : {size_t{0}, size_t{300}}) {
    stores.push_back(std::make_unique<storage::MemoryStore>());
    ledgers.push_back(std::make_unique<LedgerStore>(*stores.back()));
    auto c = Chain::Open(*ledgers.back(), genesis_, ChainOptions{.state_value_cache_bytes = bytes});
    ASSERT_TRUE(c) << c.error().ToString();
    others.push_back(std::move(*c));
  }
  // Documents anchored, anchored again (DOCUMENT_EXISTS, read from the cache or the store),
  // within a block and across blocks, with the signer's nonce read and written each time.
  std::vector<std::vector<std::string>> blocks = {
      {"D1", "D2"}, {"D1", "D3", "D3"}, {"D2", "D4"}, {"D4", "D5", "D1"}};
  size_t exists = 0;
  for (const auto& docs : blocks) {
    std::vector<ledger::SignedTransaction> txs;
    for (const std::string& d : docs) txs.push_back(Anchor(d));
    ledger::StoredBlock block = Certify(txs);
    auto expected = chain_->Commit(block, true);
    ASSERT_TRUE(expected) << expected.error().ToString();
    for (const TxIndexEntry& e : *expected) exists += e.result_code == "DOCUMENT_EXISTS";
    for (auto& other : others) {
      auto got = other->Commit(block, true);
      ASSERT_TRUE(got) << got.error().ToString();
      ASSERT_EQ(got->size(), expected->size());
      for (size_t i = 0; i < got->size(); ++i) {
        EXPECT_EQ((*got)[i].result_code, (*expected)[i].result_code) << docs[i];
      }
      EXPECT_EQ(other->tip().state_root, chain_->tip().state_root);
    }
  }
  EXPECT_EQ(exists, 5u);
}

TEST_F(ChainTest, NextHeaderCommitsPreviousStateRoot) {
  ASSERT_TRUE(chain_->Commit(Certify({Anchor("D1")}), true));
  ChainTip tip = chain_->tip();
  auto header = chain_->BuildHeader({}, core::TimestampMs(3000), validator_.public_key);
  EXPECT_EQ(header.state_height, core::Height(1));
  EXPECT_EQ(header.state_root, tip.state_root);
  EXPECT_EQ(header.prev_hash, tip.hash);
}

// With a retention of 2, committing height h deletes what only the trees before h - 2 needed:
// the recent trees stay readable and provable, older ones are not, and a state proof anchored
// at a pruned height is refused with STATE_PRUNED instead of failing on a missing node.
TEST_F(ChainTest, PrunesStateTreesBelowTheRetentionAndRefusesTheirProofs) {
  auto reopened = Chain::Open(ledger_, genesis_, ChainOptions{.state_retention = 2});
  ASSERT_TRUE(reopened) << reopened.error().ToString();
  chain_ = std::move(*reopened);
  std::vector<core::Hash32> roots = {chain_->tip().state_root};
  for (int i = 1; i <= 8; ++i) {
    ASSERT_TRUE(chain_->Commit(Certify({Anchor("D" + std::to_string(i))}), true));
    roots.push_back(chain_->tip().state_root);
  }
  auto horizon = ledger_.ReadStateHorizon();
  ASSERT_TRUE(horizon);
  EXPECT_EQ(*horizon, core::Height(6));
  // The nonce record of the client changes at every height: its old leaves are gone.
  core::Bytes nonce_key = trade::NonceKey(client_.public_key);
  for (int h = 0; h <= 8; ++h) {
    auto v = state::Lookup(ledger_.state_nodes(), roots[h], nonce_key);
    if (h >= 6) {
      EXPECT_TRUE(v) << "height " << h << ": " << v.error().ToString();
    } else if (h >= 1) {
      ASSERT_FALSE(v) << "height " << h;
      EXPECT_EQ(v.error().code, "STATE_NODE_MISSING");
    }
  }
  auto at_tip =
      BuildStateBundle(ledger_, genesis_.chain_id, core::Height(8), trade::DocumentKey("D1"));
  ASSERT_TRUE(at_tip) << at_tip.error().ToString();
  EXPECT_EQ((*at_tip)["state_height"], 7);
  auto pruned =
      BuildStateBundle(ledger_, genesis_.chain_id, core::Height(5), trade::DocumentKey("D1"));
  ASSERT_FALSE(pruned);
  EXPECT_EQ(pruned.error().code, "STATE_PRUNED");
  // A restart with another retention carries on from the stored horizon.
  reopened = Chain::Open(ledger_, genesis_, ChainOptions{.state_retention = 4});
  ASSERT_TRUE(reopened) << reopened.error().ToString();
  chain_ = std::move(*reopened);
  ASSERT_TRUE(chain_->Commit(Certify({Anchor("D9")}), true));
  horizon = ledger_.ReadStateHorizon();
  ASSERT_TRUE(horizon);
  EXPECT_EQ(*horizon, core::Height(6));  // 9 - 4 = 5 is below it: nothing more to prune
}

TEST_F(ChainTest, RefusesADataDirectoryOfAnotherLayoutVersion) {
  const uint8_t layout_key[] = {'V'};
  // No version recorded (version 1), version 2 (id indexes one key per member) and version 3
  // (state tree nodes stored one by one, not in pages).
  for (std::optional<uint32_t> version :
       {std::optional<uint32_t>(), std::optional<uint32_t>(2), std::optional<uint32_t>(3)}) {
    storage::WriteBatch batch;
    if (version) {
      core::Encoder e(4);
      e.PutU32(*version);
      batch.Put(layout_key, std::move(e).Take());
    } else {
      batch.Delete(layout_key);
    }
    ASSERT_TRUE(store_.Write(batch, {}));
    auto reopened = Chain::Open(ledger_, genesis_);
    ASSERT_FALSE(reopened);
    EXPECT_EQ(reopened.error().code, "STORAGE_LAYOUT_UNSUPPORTED");
    EXPECT_NE(reopened.error().detail.find("layout version " + std::to_string(version.value_or(1))),
              std::string::npos)
        << reopened.error().detail;
  }
}

TEST_F(ChainTest, RefusesADataDirectoryOfAnotherChainAndLeavesItAsItWas) {
  ASSERT_TRUE(chain_->Commit(Certify({Anchor("D1")}), true));
  const ChainTip before = chain_->tip();
  auto other = Genesis::Parse(
      Genesis::Render("another", core::TimestampMs(1000), {{"v1", validator_.public_key}}));
  ASSERT_TRUE(other);
  auto opened = Chain::Open(ledger_, *other);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, "GENESIS_MISMATCH");
  auto reopened = Chain::Open(ledger_, genesis_);
  ASSERT_TRUE(reopened) << reopened.error().ToString();
  EXPECT_EQ((*reopened)->tip().height, before.height);
  EXPECT_EQ((*reopened)->tip().hash, before.hash);
}

TEST_F(ChainTest, ReopenRestoresTip) {
  ASSERT_TRUE(chain_->Commit(Certify({Anchor("D1"), Anchor("D2")}), true));
  ASSERT_TRUE(chain_->Commit(Certify({Anchor("D3")}), true));
  ChainTip before = chain_->tip();
  auto reopened = Chain::Open(ledger_, genesis_);
  ASSERT_TRUE(reopened) << reopened.error().ToString();
  ChainTip after = (*reopened)->tip();
  EXPECT_EQ(after.height, before.height);
  EXPECT_EQ(after.hash, before.hash);
  EXPECT_EQ(after.log_root, before.log_root);
  EXPECT_EQ(after.state_root, before.state_root);
}

TEST_F(ChainTest, RejectsBlockThatDoesNotExtendTheTip) {
  auto block = Certify({Anchor("D1")});
  block.header.prev_hash.hash.data[0] ^= 1;
  block.certificate.block_hash = block.header.Hash();
  block.certificate.signatures.clear();
  block.certificate.AddSignature(genesis_.chain_id, validator_);
  auto r = chain_->Commit(block, true);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "BLOCK_INVALID");
  EXPECT_EQ(chain_->tip().height, core::Height(0));
}

TEST_F(ChainTest, RejectsCertificateFromOutsider) {
  auto block = Certify({Anchor("D1")});
  block.certificate.signatures.clear();
  block.certificate.AddSignature(genesis_.chain_id, crypto::KeyPair::Generate());
  EXPECT_EQ(chain_->Commit(block, true).error().code, "BLOCK_INVALID");
}

TEST_F(ChainTest, RejectsBadTransactionSignatureWhenVerifying) {
  auto tx = Anchor("D1");
  core::Bytes env = tx.envelope();
  env[env.size() - 1] ^= 1;  // last byte of the signature
  auto bad = ledger::SignedTransaction::Decode(env);
  ASSERT_TRUE(bad);
  EXPECT_EQ(chain_->Commit(Certify({*bad}), true).error().code, "BLOCK_INVALID");
}

TEST_F(ChainTest, RejectsTamperedTransactionRootAndDuplicates) {
  auto tx = Anchor("D1");
  auto block = Certify({tx});
  block.transactions.push_back(Anchor("D2"));  // header still counts one
  EXPECT_EQ(chain_->Commit(block, true).error().code, "BLOCK_INVALID");
  ASSERT_TRUE(chain_->Commit(Certify({tx}), true));
  EXPECT_EQ(chain_->Commit(Certify({tx}), true).error().code, "BLOCK_INVALID");
}

TEST_F(ChainTest, BlockTimeNeverDecreases) {
  ASSERT_TRUE(chain_->Commit(Certify({Anchor("D1")}, 5000), true));
  auto header = chain_->BuildHeader({}, core::TimestampMs(10), validator_.public_key);
  EXPECT_EQ(header.timestamp, core::TimestampMs(5000));
}

}  // namespace
}  // namespace tradeledger::node
