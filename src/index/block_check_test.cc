// CheckServedBlock: a served block is accepted only when its bytes check out against the
// trusted validator set, whatever the readable JSON beside them says.
#include "index/block_check.h"

#include <gtest/gtest.h>

#include "core/bytes.h"
#include "ledger/merkle.h"

namespace tradeledger::index {
namespace {

using nlohmann::json;

class BlockCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (int i = 0; i < 4; ++i) keys_.push_back(crypto::KeyPair::Generate());
    std::vector<ledger::PublicKey> publics;
    for (const auto& k : keys_) publics.push_back(k.public_key);
    trusted_.chain_id = ledger::ChainId{core::Hash32::FromHex(std::string(64, 'c')).value()};
    trusted_.set = ledger::ValidatorSet::Create(publics).value();
  }

  // Block `height` after `prev` with `ids`, certified by the first `signers` keys.
  json Served(uint64_t height, const ledger::BlockHash& prev, const std::vector<ledger::TxId>& ids,
              size_t signers, ledger::BlockHeader* header_out = nullptr) {
    ledger::BlockHeader h;
    h.chain_id = trusted_.chain_id;
    h.height = core::Height(height);
    h.prev_hash = prev;
    h.timestamp = core::TimestampMs(1'700'000'000'000 + height);
    h.proposer = keys_[0].public_key;
    std::vector<core::Hash32> leaves;
    for (const auto& id : ids) leaves.push_back(ledger::LeafHash(id.hash.span()));
    h.tx_root = ledger::RootOfLeafHashes(leaves);
    h.tx_count = static_cast<uint32_t>(ids.size());
    h.log_size = ids.size();
    ledger::CommitCertificate cert;
    cert.height = h.height;
    cert.view = core::View(height);
    cert.block_hash = h.Hash();
    for (size_t i = 0; i < signers; ++i) cert.AddSignature(trusted_.chain_id, keys_[i]);
    if (header_out) *header_out = h;
    json tx_ids = json::array();
    for (const auto& id : ids) tx_ids.push_back(id.hex());
    return {{"encoded_header", core::ToBase64(h.Encode())},
            {"encoded_certificate", core::ToBase64(cert.Encode())},
            {"hash", h.Hash().hex()},
            {"transactions", tx_ids}};
  }

  static ledger::TxId Id(char c) {
    return ledger::TxId{core::Hash32::FromHex(std::string(64, c)).value()};
  }

  std::vector<crypto::KeyPair> keys_;
  node::TrustedValidators trusted_;
};

TEST_F(BlockCheckTest, AQuorumCertifiedLinkedBlockIsAccepted) {
  ledger::BlockHeader first;
  auto served = Served(1, ledger::BlockHash{}, {Id('a'), Id('b')}, 3, &first);
  auto checked = CheckServedBlock(served, trusted_, core::Height(1), ledger::BlockHash{});
  ASSERT_TRUE(checked) << checked.error().ToString();
  EXPECT_EQ(checked->hash, first.Hash());
  EXPECT_EQ(checked->tx_ids.size(), 2u);
  EXPECT_EQ(checked->quorum, 3u);
  EXPECT_EQ(checked->set_size, 4u);
  EXPECT_EQ(checked->certificate.signatures.size(), 3u);

  auto second = Served(2, first.Hash(), {}, 4);
  EXPECT_TRUE(CheckServedBlock(second, trusted_, core::Height(2), first.Hash()));
}

TEST_F(BlockCheckTest, TooFewSignaturesAreRefused) {
  auto served = Served(1, ledger::BlockHash{}, {}, 2);
  auto checked = CheckServedBlock(served, trusted_, core::Height(1), std::nullopt);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, "CERTIFICATE_INVALID");
}

TEST_F(BlockCheckTest, ASignerOutsideTheTrustedSetIsRefused) {
  keys_[2] = crypto::KeyPair::Generate();  // not in trusted_.set
  auto served = Served(1, ledger::BlockHash{}, {}, 3);
  auto checked = CheckServedBlock(served, trusted_, core::Height(1), std::nullopt);
  ASSERT_FALSE(checked);
  EXPECT_EQ(checked.error().code, "CERTIFICATE_INVALID");
}

TEST_F(BlockCheckTest, AnotherHeightOrABrokenLinkIsRefused) {
  auto served = Served(5, ledger::BlockHash{}, {}, 3);
  EXPECT_EQ(CheckServedBlock(served, trusted_, core::Height(6), std::nullopt).error().code,
            "BLOCK_MISMATCH");
  auto other_prev = ledger::BlockHash{core::Hash32::FromHex(std::string(64, '1')).value()};
  EXPECT_EQ(CheckServedBlock(served, trusted_, core::Height(5), other_prev).error().code,
            "BLOCK_LINK_BROKEN");
}

TEST_F(BlockCheckTest, TransactionIdsMustBeTheBlocks) {
  auto served = Served(1, ledger::BlockHash{}, {Id('a'), Id('b')}, 3);
  json swapped = served;
  swapped["transactions"] = json::array({Id('b').hex(), Id('a').hex()});
  EXPECT_EQ(CheckServedBlock(swapped, trusted_, core::Height(1), std::nullopt).error().code,
            "TX_ROOT_MISMATCH");
  json dropped = served;
  dropped["transactions"] = json::array({Id('a').hex()});
  EXPECT_EQ(CheckServedBlock(dropped, trusted_, core::Height(1), std::nullopt).error().code,
            "TX_ROOT_MISMATCH");
  json unsigned_read = served;
  unsigned_read.erase("transactions");
  EXPECT_EQ(CheckServedBlock(unsigned_read, trusted_, core::Height(1), std::nullopt).error().code,
            "BLOCK_MALFORMED");
}

TEST_F(BlockCheckTest, ACertificateForAnotherHeaderIsRefused) {
  auto a = Served(1, ledger::BlockHash{}, {Id('a')}, 3);
  auto b = Served(1, ledger::BlockHash{}, {Id('b')}, 3);
  json mixed = a;
  mixed["encoded_certificate"] = b["encoded_certificate"];
  EXPECT_EQ(CheckServedBlock(mixed, trusted_, core::Height(1), std::nullopt).error().code,
            "BLOCK_MISMATCH");
  json garbage = a;
  garbage["encoded_header"] = "%%%";
  EXPECT_EQ(CheckServedBlock(garbage, trusted_, core::Height(1), std::nullopt).error().code,
            "BLOCK_MALFORMED");
  EXPECT_EQ(CheckServedBlock(json::array(), trusted_, core::Height(1), std::nullopt).error().code,
            "BLOCK_MALFORMED");
}

TEST_F(BlockCheckTest, ABlockOfAnotherChainIsRefused) {
  auto served = Served(1, ledger::BlockHash{}, {}, 3);
  node::TrustedValidators other = trusted_;
  other.chain_id = ledger::ChainId{core::Hash32::FromHex(std::string(64, 'd')).value()};
  EXPECT_EQ(CheckServedBlock(served, other, core::Height(1), std::nullopt).error().code,
            "BLOCK_MISMATCH");
}

}  // namespace
}  // namespace tradeledger::index
