#include "node/mempool.h"

#include <gtest/gtest.h>

namespace tradeledger::node {
namespace {

ledger::SignedTransaction Tx(const crypto::KeyPair& key, uint64_t nonce, size_t body = 10) {
  ledger::TxPayload p;
  p.type = "document.anchor";
  p.nonce = nonce;
  p.body = core::Bytes(body, 'x');
  return ledger::SignedTransaction::Sign(p, key);
}

TEST(Mempool, DeduplicatesById) {
  Mempool pool({});
  auto key = crypto::KeyPair::Generate();
  auto tx = Tx(key, 1);
  EXPECT_EQ(*pool.Add(tx), Mempool::AddResult::kAdded);
  EXPECT_EQ(*pool.Add(tx), Mempool::AddResult::kAlreadyPending);
  EXPECT_EQ(pool.size(), 1u);
}

TEST(Mempool, RefusesBeyondCountBytesAndSignerLimits) {
  auto a = crypto::KeyPair::Generate();
  auto b = crypto::KeyPair::Generate();
  Mempool by_count({.max_transactions = 2, .max_bytes = 1 << 20, .max_per_signer = 10});
  ASSERT_TRUE(by_count.Add(Tx(a, 1)));
  ASSERT_TRUE(by_count.Add(Tx(a, 2)));
  EXPECT_EQ(by_count.Add(Tx(a, 3)).error().code, "MEMPOOL_FULL");

  Mempool by_bytes({.max_transactions = 100, .max_bytes = 400, .max_per_signer = 100});
  ASSERT_TRUE(by_bytes.Add(Tx(a, 1, 100)));
  EXPECT_EQ(by_bytes.Add(Tx(a, 2, 300)).error().code, "MEMPOOL_FULL");

  Mempool by_signer({.max_transactions = 100, .max_bytes = 1 << 20, .max_per_signer = 1});
  ASSERT_TRUE(by_signer.Add(Tx(a, 1)));
  EXPECT_EQ(by_signer.Add(Tx(a, 2)).error().code, "MEMPOOL_SIGNER_LIMIT");
  EXPECT_TRUE(by_signer.Add(Tx(b, 1)));
}

TEST(Mempool, TakeReleasesCapacityAndOrdersBySignerNonce) {
  auto a = crypto::KeyPair::Generate();
  Mempool pool({.max_transactions = 3, .max_bytes = 1 << 20, .max_per_signer = 3});
  ASSERT_TRUE(pool.Add(Tx(a, 3)));
  ASSERT_TRUE(pool.Add(Tx(a, 1)));
  ASSERT_TRUE(pool.Add(Tx(a, 2)));
  auto batch = pool.Take(10, std::chrono::milliseconds(0));
  ASSERT_EQ(batch.size(), 3u);
  EXPECT_EQ(batch[0].payload().nonce, 1u);
  EXPECT_EQ(batch[2].payload().nonce, 3u);
  EXPECT_EQ(pool.size(), 0u);
  EXPECT_EQ(pool.bytes(), 0u);
  EXPECT_TRUE(pool.Add(Tx(a, 4)));
}

TEST(Mempool, TakeWaitsThenReturnsEmpty) {
  Mempool pool({});
  EXPECT_TRUE(pool.Take(10, std::chrono::milliseconds(5)).empty());
}

}  // namespace
}  // namespace tradeledger::node
