#include "ledger/block.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace tradeledger::ledger {
namespace {

StoredBlock ThreeTransactionBlock() {
  crypto::KeyPair client = crypto::KeyPair::Generate();
  crypto::KeyPair validator = crypto::KeyPair::Generate();
  StoredBlock b;
  for (uint64_t i = 1; i <= 3; ++i) {
    TxPayload p;
    p.type = "document.anchor";
    p.nonce = i;
    p.body = core::ToBytes("{\"docId\":\"D-" + std::to_string(i) + "\"}");
    b.transactions.push_back(SignedTransaction::Sign(p, client));
  }
  b.header.height = core::Height(7);
  b.header.tx_count = 3;
  b.header.tx_root = TransactionRoot(b.transactions);
  b.header.log_size = 12;
  b.certificate.height = b.header.height;
  b.certificate.block_hash = b.header.Hash();
  b.certificate.AddSignature(b.header.chain_id, validator);
  return b;
}

TEST(BlockExcerpt, HoldsTheHeaderCertificateAndOneTransactionOfTheBlock) {
  StoredBlock block = ThreeTransactionBlock();
  auto excerpt = DecodeBlockExcerpt(block.Encode(), 1);
  ASSERT_TRUE(excerpt.has_value()) << excerpt.error().ToString();
  EXPECT_EQ(excerpt->header.Encode(), block.header.Encode());
  EXPECT_EQ(excerpt->certificate.Encode(), block.certificate.Encode());
  ASSERT_TRUE(excerpt->transaction.has_value());
  EXPECT_EQ(excerpt->transaction->envelope(), block.transactions[1].envelope());
  EXPECT_EQ(excerpt->transaction->id(), block.transactions[1].id());
}

TEST(BlockExcerpt, WithoutPositionDecodesNoTransaction) {
  StoredBlock block = ThreeTransactionBlock();
  auto excerpt = DecodeBlockExcerpt(block.Encode(), std::nullopt);
  ASSERT_TRUE(excerpt.has_value()) << excerpt.error().ToString();
  EXPECT_FALSE(excerpt->transaction.has_value());
  EXPECT_EQ(excerpt->header.Hash(), block.header.Hash());
}

TEST(BlockExcerpt, PositionBeyondTheBlockIsInvalidArgument) {
  auto excerpt = DecodeBlockExcerpt(ThreeTransactionBlock().Encode(), 3);
  ASSERT_FALSE(excerpt.has_value());
  EXPECT_EQ(excerpt.error().code, "INVALID_ARGUMENT");
}

TEST(BlockExcerpt, RejectsWhatStoredBlockDecodeRejects) {
  core::Bytes bytes = ThreeTransactionBlock().Encode();
  core::Bytes truncated(bytes.begin(), bytes.end() - 1);
  EXPECT_FALSE(DecodeBlockExcerpt(truncated, 0).has_value());
  EXPECT_FALSE(DecodeBlockExcerpt(truncated, std::nullopt).has_value());
  core::Bytes trailing = bytes;
  trailing.push_back(0);
  EXPECT_FALSE(DecodeBlockExcerpt(trailing, 0).has_value());
  StoredBlock miscounted = ThreeTransactionBlock();
  miscounted.header.tx_count = 2;
  auto excerpt = DecodeBlockExcerpt(miscounted.Encode(), std::nullopt);
  ASSERT_FALSE(excerpt.has_value());
  EXPECT_EQ(excerpt.error().code, "BLOCK_INVALID");
}

TEST(BlockExcerpt, TheSkippedTransactionsAreNotDecoded) {
  // An envelope that does not decode is only skipped: the excerpt serves the others.
  StoredBlock block = ThreeTransactionBlock();
  core::Bytes bytes = block.Encode();
  core::Bytes envelope = block.transactions[2].envelope();
  auto at = std::search(bytes.begin(), bytes.end(), envelope.begin(), envelope.end());
  ASSERT_NE(at, bytes.end());
  *at = 0xee;  // the envelope's version byte
  EXPECT_FALSE(StoredBlock::Decode(bytes).has_value());
  auto excerpt = DecodeBlockExcerpt(bytes, 0);
  ASSERT_TRUE(excerpt.has_value()) << excerpt.error().ToString();
  EXPECT_EQ(excerpt->transaction->id(), block.transactions[0].id());
  EXPECT_FALSE(DecodeBlockExcerpt(bytes, 2).has_value());
}

}  // namespace
}  // namespace tradeledger::ledger
