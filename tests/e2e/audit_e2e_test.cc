// `tradeledger audit` and node::Audit against corrupted storage.
//
// AuditProcess.*: a real node process commits 1,000 anchors sent over HTTP by several client
// threads; the stopped node's RocksDB directory is then corrupted one byte at a time and the
// audit binary must fail naming the height the byte belongs to.
// AuditInProcess.*: the exhaustive version over an in-memory store: every byte of every block
// and index record; and a pruned store (ADR 0019), whose retained state trees, stale-node lists
// and horizon the audit checks.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <thread>

#include "core/encoding.h"
#include "node/audit.h"
#include "node/chain.h"
#include "node/ledger_store.h"
#include "node/state_pruning.h"
#include "storage/memory_store.h"
#include "storage/rocksdb_store.h"
#include "tests/e2e/test_network.h"

namespace tradeledger::e2e {
namespace {

namespace fs = std::filesystem;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct Committed {
  ledger::TxId id;
  uint64_t height = 0;
};

// XORs the byte at `offset` of the value under `key` with 0x01 in the (stopped) node's
// RocksDB directory. Calling it twice restores the value.
void FlipStoredByte(const fs::path& data_dir, const core::Bytes& key, size_t offset) {
  storage::RocksDbOptions options;
  options.create_if_missing = false;
  auto store = storage::RocksDbStore::Open(data_dir.string(), options);
  ASSERT_TRUE(store) << store.error().ToString();
  auto value = (*store)->Get(key);
  ASSERT_TRUE(value) << value.error().ToString();
  ASSERT_TRUE(value->has_value()) << "no value under key " << core::ToHex(key);
  ASSERT_LT(offset, (*value)->size());
  (**value)[offset] ^= 0x01;
  auto put = (*store)->Put(key, **value);
  ASSERT_TRUE(put) << put.error().ToString();
}

core::Bytes ReadStored(const fs::path& data_dir, const core::Bytes& key) {
  storage::RocksDbOptions options;
  options.create_if_missing = false;
  auto store = storage::RocksDbStore::Open(data_dir.string(), options);
  if (!store) return {};
  auto value = (*store)->Get(key);
  if (!value || !*value) return {};
  return **value;
}

// Expects `audit` to have failed naming exactly `height`.
void ExpectAuditFailsAt(const CommandResult& audit, uint64_t height) {
  EXPECT_EQ(audit.exit_code, 1) << audit.Describe();
  EXPECT_NE(audit.out.find("FAILED at height " + std::to_string(height) + ":"), std::string::npos)
      << "expected the audit to name height " << height << "\n"
      << audit.Describe();
}

TEST(AuditProcess, NamesHeightOfFlippedBlockOrIndexByteAfterThousandConcurrentAnchors) {
  TestNetwork net;
  ASSERT_TRUE(net.ok()) << net.init_result().Describe();
  auto up = net.Up();
  ASSERT_EQ(up.exit_code, 0) << up.Describe() << ReadFileOrEmpty(net.log_file());
  const ledger::ChainId chain = net.chain_id();

  // 1,000 anchors from 8 threads, each with its own signer key, each waiting for its commit.
  constexpr int kThreads = 8;
  constexpr int kPerThread = 125;
  std::vector<std::vector<Committed>> committed(kThreads);
  std::vector<std::vector<std::string>> failures(kThreads);
  auto load_start = std::chrono::steady_clock::now();
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      api::http::Client client("127.0.0.1", net.port());
      crypto::KeyPair key = crypto::KeyPair::Generate();
      for (int i = 0; i < kPerThread; ++i) {
        auto tx = AnchorTransaction(chain, key, static_cast<uint64_t>(i + 1),
                                    "E2E-AUDIT-" + std::to_string(t) + "-" + std::to_string(i));
        auto r = SubmitAndWait(client, tx);
        if (r.status == 200 && r.body.value("status", "") == "committed" &&
            r.body.value("result_code", "") == "OK" && r.body.value("tx_id", "") == tx.id().hex()) {
          committed[t].push_back({tx.id(), r.body.value("height", uint64_t{0})});
        } else {
          failures[t].push_back(std::to_string(r.status) + " " + r.body.dump() + " " + r.error);
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  std::vector<Committed> all;
  for (int t = 0; t < kThreads; ++t) {
    EXPECT_TRUE(failures[t].empty()) << "thread " << t << ": " << failures[t].size()
                                     << " failed, first: " << failures[t].front();
    all.insert(all.end(), committed[t].begin(), committed[t].end());
  }
  ASSERT_EQ(all.size(), 1000u);
  std::printf("[ timing ] 1000 anchors committed in %.2f s\n", SecondsSince(load_start));

  auto health = net.SettledHealth();
  ASSERT_TRUE(health);
  const uint64_t tip = (*health)["height"].get<uint64_t>();
  EXPECT_EQ((*health)["log_size"].get<uint64_t>(), 1000u);
  ASSERT_GE(tip, 3u) << "need at least three blocks to corrupt first, middle and last";

  auto down = net.Down();
  ASSERT_EQ(down.exit_code, 0) << down.Describe();
  auto audit_start = std::chrono::steady_clock::now();
  auto clean = net.Audit();
  ASSERT_EQ(clean.exit_code, 0) << clean.Describe();
  EXPECT_NE(clean.out.find("audit OK: " + std::to_string(tip) + " blocks, 1000 transactions"),
            std::string::npos)
      << clean.out;
  std::printf("[ timing ] one audit of %llu blocks: %.2f s\n", static_cast<unsigned long long>(tip),
              SecondsSince(audit_start));

  std::map<uint64_t, ledger::TxId> by_height;
  for (const Committed& c : all) by_height.emplace(c.height, c.id);
  ASSERT_EQ(by_height.begin()->first, 1u);
  const uint64_t last_with_txs = by_height.rbegin()->first;
  ASSERT_LE(last_with_txs, tip);
  const auto middle = by_height.lower_bound(tip / 2);

  // Block records: the first, a middle and the last block with transactions, and the tip (an
  // empty block that certifies the last state, if the node made one).
  std::vector<uint64_t> heights = {1, middle->first, last_with_txs};
  if (tip != last_with_txs) heights.push_back(tip);
  for (uint64_t height : heights) {
    const core::Bytes key = node::LedgerStore::BlockKey(core::Height(height));
    const core::Bytes original = ReadStored(net.data_dir(), key);
    ASSERT_FALSE(original.empty()) << "no block at height " << height;
    auto block = ledger::StoredBlock::Decode(original);
    ASSERT_TRUE(block) << block.error().ToString();
    const size_t header_size = block->header.Encode().size();
    const size_t cert_size = block->certificate.Encode().size();
    const size_t first_tx = 1 + 4 + header_size + 4 + 4;  // version, header, count, length
    const size_t last_tx_end = original.size() - cert_size - 4;
    // Every kind of byte at height 1, where a failing audit is cheap; one byte of each of the
    // header, a transaction and the certificate at the later heights.
    std::vector<std::pair<std::string, size_t>> offsets = {
        {"header chain id", 1 + 4 + 2},
        {"certificate last byte", original.size() - 1},
    };
    if (!block->transactions.empty()) offsets.push_back({"first transaction", first_tx + 10});
    if (height == 1) {
      offsets.push_back({"version", 0});
      offsets.push_back({"header last byte", 1 + 4 + header_size - 1});
      offsets.push_back({"certificate first byte", original.size() - cert_size});
      offsets.push_back({"last transaction signature", last_tx_end - 1});
    }
    for (const auto& [what, offset] : offsets) {
      SCOPED_TRACE("block " + std::to_string(height) + ", " + what + " (offset " +
                   std::to_string(offset) + ")");
      FlipStoredByte(net.data_dir(), key, offset);
      ExpectAuditFailsAt(net.Audit(), height);
      FlipStoredByte(net.data_dir(), key, offset);
    }
    EXPECT_EQ(ReadStored(net.data_dir(), key), original);
  }
  auto restored = net.Audit();  // every byte restored: the audit passes again
  EXPECT_EQ(restored.exit_code, 0) << restored.Describe();

  // Index records: a transaction of the first, a middle and the last block with transactions;
  // the height and result code bytes, and at height 1 also the version, position and leaf
  // index.
  for (const auto& [height, id] : {*by_height.begin(), *middle, *by_height.rbegin()}) {
    const core::Bytes key = node::LedgerStore::TxIndexKey(id);
    const core::Bytes original = ReadStored(net.data_dir(), key);
    ASSERT_EQ(original.size(), 1u + 8 + 4 + 8 + 4 + 2) << "an OK index entry";
    std::vector<size_t> offsets = {size_t{8}, original.size() - 1};  // height, result code
    if (height == 1) offsets.insert(offsets.end(), {size_t{0}, size_t{12}, size_t{20}});
    for (size_t offset : offsets) {
      SCOPED_TRACE("index of " + id.hex() + " at height " + std::to_string(height) + ", offset " +
                   std::to_string(offset));
      FlipStoredByte(net.data_dir(), key, offset);
      ExpectAuditFailsAt(net.Audit(), height);
      FlipStoredByte(net.data_dir(), key, offset);
    }
    EXPECT_EQ(ReadStored(net.data_dir(), key), original);
  }
  auto again = net.Audit();
  EXPECT_EQ(again.exit_code, 0) << again.Describe();
  std::printf("[ timing ] all audits: %.2f s\n", SecondsSince(audit_start));
}

// The exhaustive variant: a short chain in memory, every byte of every block and index value.
class AuditInProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = node::Genesis::Parse(node::Genesis::Render("e2e-audit", core::TimestampMs(1000),
                                                        {{"v1", validator_.public_key}}));
    ASSERT_TRUE(g) << g.error().ToString();
    genesis_ = *g;
    auto c = node::Chain::Open(ledger_, genesis_);
    ASSERT_TRUE(c) << c.error().ToString();
    chain_ = std::move(*c);
  }

  ledger::SignedTransaction Anchor(const std::string& doc_id) {
    return AnchorTransaction(genesis_.chain_id, client_, ++nonce_, doc_id);
  }

  void Commit(std::vector<ledger::SignedTransaction> txs) {
    ledger::StoredBlock b;
    b.header =
        chain_->BuildHeader(txs, core::TimestampMs(2000 + 10 * nonce_), validator_.public_key);
    b.transactions = std::move(txs);
    b.certificate.height = b.header.height;
    b.certificate.view = core::View(1);
    b.certificate.block_hash = b.header.Hash();
    b.certificate.AddSignature(genesis_.chain_id, validator_);
    auto r = chain_->Commit(b, true);
    ASSERT_TRUE(r) << r.error().ToString();
  }

  crypto::KeyPair validator_ = crypto::KeyPair::Generate();
  crypto::KeyPair client_ = crypto::KeyPair::Generate();
  uint64_t nonce_ = 0;
  storage::MemoryStore store_;
  node::LedgerStore ledger_{store_};
  node::Genesis genesis_;
  std::unique_ptr<node::Chain> chain_;
};

TEST_F(AuditInProcess, NamesHeightOfEveryFlippedByteOfEveryBlockAndIndexRecord) {
  // Eight blocks: several transactions, one transaction, an empty block, and a rule failure
  // (a second anchor of one document id is recorded with DOCUMENT_EXISTS).
  Commit({Anchor("D1"), Anchor("D2"), Anchor("D3")});
  Commit({Anchor("D4")});
  Commit({});
  Commit({Anchor("D1")});
  Commit({Anchor("D5"), Anchor("D6")});
  Commit({Anchor("D7")});
  Commit({});
  Commit({Anchor("D8")});
  ASSERT_EQ(chain_->tip().height, core::Height(8));
  auto clean = node::Audit(store_, genesis_);
  ASSERT_TRUE(clean) << clean.error().reason;
  ASSERT_EQ(clean->transactions, 9u);

  struct Record {
    core::Bytes key;
    core::Bytes value;
    uint64_t height;
  };
  std::vector<Record> records;
  for (char prefix : {'B', 'X'}) {
    const uint8_t p[] = {static_cast<uint8_t>(prefix)};
    for (auto it = store_.Scan(p); it->Valid(); it->Next()) {
      Record r{core::Bytes(it->key().begin(), it->key().end()),
               core::Bytes(it->value().begin(), it->value().end()), 0};
      if (prefix == 'B') {
        core::Decoder d(it->key().subspan(1));
        r.height = *d.GetU64();
      } else {
        auto entry = node::TxIndexEntry::Decode(it->value());
        ASSERT_TRUE(entry);
        r.height = entry->height.value;
      }
      records.push_back(std::move(r));
    }
  }
  ASSERT_EQ(records.size(), 8u + 9u);
  bool saw_rule_failure = false;
  for (const Record& r : records) {
    if (r.key[0] == 'X') {
      saw_rule_failure |= node::TxIndexEntry::Decode(r.value)->result_code == "DOCUMENT_EXISTS";
    }
  }
  EXPECT_TRUE(saw_rule_failure);

  auto start = std::chrono::steady_clock::now();
  size_t flips = 0;
  std::vector<std::string> misses;
  for (const Record& r : records) {
    for (size_t offset = 0; offset < r.value.size(); ++offset) {
      core::Bytes bad = r.value;
      bad[offset] ^= 0x01;
      ASSERT_TRUE(store_.Put(r.key, bad));
      auto audit = node::Audit(store_, genesis_);
      ++flips;
      if (audit || audit.error().height.value != r.height) {
        misses.push_back(std::string(1, static_cast<char>(r.key[0])) + " record of height " +
                         std::to_string(r.height) + ", byte " + std::to_string(offset) + ": " +
                         (audit ? "audit passed"
                                : "named height " + std::to_string(audit.error().height.value) +
                                      " (" + audit.error().reason + ")"));
      }
      ASSERT_TRUE(store_.Put(r.key, r.value));
    }
  }
  double seconds = SecondsSince(start);
  std::printf("[ timing ] %zu single-byte flips audited in %.2f s\n", flips, seconds);
  EXPECT_TRUE(misses.empty()) << misses.size() << " of " << flips
                              << " flips not caught at the right height; first: " << misses.front();
  auto restored = node::Audit(store_, genesis_);
  EXPECT_TRUE(restored) << restored.error().reason;
}

// A node that ran with retention 5, then 2 (catching up), has pruned its store: the audit
// passes, and fails on a retained tree node deleted or altered, a pruned node put back, a stale
// list removed or a horizon moved.
TEST_F(AuditInProcess, PassesOnAPrunedStoreAndChecksTheRetainedTrees) {
  auto reopen = [&](uint64_t retention) {
    auto c = node::Chain::Open(ledger_, genesis_, node::ChainOptions{.state_retention = retention});
    ASSERT_TRUE(c) << c.error().ToString();
    chain_ = std::move(*c);
  };
  reopen(5);
  for (int i = 0; i < 8; ++i)
    Commit({Anchor("P" + std::to_string(i)), Anchor("Q" + std::to_string(i))});
  reopen(2);
  for (int i = 8; i < 12; ++i) Commit({Anchor("P" + std::to_string(i))});
  ASSERT_EQ(chain_->tip().height, core::Height(12));
  auto horizon = ledger_.ReadStateHorizon();
  ASSERT_TRUE(horizon);
  EXPECT_EQ(*horizon, core::Height(10));  // 3 at height 8, then 5, 7, 9, 10
  auto clean = node::Audit(store_, genesis_);
  ASSERT_TRUE(clean) << clean.error().reason;
  EXPECT_EQ(clean->transactions, 20u);

  auto expect_caught = [&](const std::string& what) {
    auto audit = node::Audit(store_, genesis_);
    EXPECT_FALSE(audit) << what << ": the audit passed";
  };
  auto tip_root = chain_->tip().state_root;
  auto root_key = node::LedgerStore::StateNodeKey(tip_root);
  auto root_value = store_.Get(root_key);
  ASSERT_TRUE(root_value && *root_value);
  {
    storage::WriteBatch batch;
    batch.Delete(root_key);
    ASSERT_TRUE(store_.Write(batch, {}));
    expect_caught("tip root node deleted");
    core::Bytes bad = **root_value;
    bad[2] ^= 0x01;
    ASSERT_TRUE(store_.Put(root_key, bad));
    expect_caught("tip root node altered");
    bad = **root_value;
    bad.back() ^= 0x01;  // its birth height
    ASSERT_TRUE(store_.Put(root_key, bad));
    expect_caught("tip root node's birth altered");
    ASSERT_TRUE(store_.Put(root_key, **root_value));
  }
  {
    // The tree after height 3 lost its root; putting a node back is an extra record.
    auto old_root = ledger_.ReadStateRoot(core::Height(3));
    ASSERT_TRUE(old_root && *old_root);
    auto gone = store_.Get(node::LedgerStore::StateNodeKey(**old_root));
    ASSERT_TRUE(gone);
    ASSERT_FALSE(*gone);
    core::Bytes internal = **root_value;  // any well-formed value will do
    ASSERT_TRUE(store_.Put(node::LedgerStore::StateNodeKey(**old_root), internal));
    expect_caught("pruned node put back");
    storage::WriteBatch batch;
    batch.Delete(node::LedgerStore::StateNodeKey(**old_root));
    ASSERT_TRUE(store_.Write(batch, {}));
  }
  {
    auto key = node::LedgerStore::StaleNodesKey(core::Height(12));
    auto list = store_.Get(key);
    ASSERT_TRUE(list && *list);
    storage::WriteBatch batch;
    batch.Delete(key);
    ASSERT_TRUE(store_.Write(batch, {}));
    expect_caught("stale list of a retained height deleted");
    ASSERT_TRUE(store_.Put(key, **list));
  }
  {
    core::Encoder e(8);
    e.PutU64(11);
    ASSERT_TRUE(store_.Put(node::LedgerStore::StateHorizonKey(), std::move(e).Take()));
    expect_caught("horizon moved");
    core::Encoder back(8);
    back.PutU64(10);
    ASSERT_TRUE(store_.Put(node::LedgerStore::StateHorizonKey(), std::move(back).Take()));
  }
  auto restored = node::Audit(store_, genesis_);
  EXPECT_TRUE(restored) << restored.error().reason;
}

}  // namespace
}  // namespace tradeledger::e2e
