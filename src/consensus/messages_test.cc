#include "consensus/messages.h"

#include <gtest/gtest.h>

#include "crypto/sha256.h"

namespace tradeledger::consensus {
namespace {

crypto::KeyPair Key(uint8_t i) {
  crypto::Seed seed;
  seed.data.fill(i);
  return crypto::KeyPair::FromSeed(seed);
}

class MessagesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::vector<crypto::PublicKey> pks;
    for (uint8_t i = 1; i <= 4; ++i) {
      keys_.push_back(Key(i));
      pks.push_back(keys_.back().public_key);
    }
    set_ = *ledger::ValidatorSet::Create(pks);
    // Order keys_ as the set orders them, so index i signs as ReplicaId(i).
    std::vector<crypto::KeyPair> sorted;
    for (const auto& pk : set_.validators()) {
      for (const auto& k : keys_) {
        if (k.public_key == pk) sorted.push_back(k);
      }
    }
    keys_ = sorted;
    chain_.hash = crypto::Sha256Of(core::AsBytes("chain"));
  }

  QuorumCert SignedQc(uint64_t view, size_t signers) {
    QuorumCert qc{core::View(view), core::Height(3), ledger::BlockHash{}, {}};
    qc.block_hash.hash.data[0] = 7;
    for (uint32_t i = 0; i < signers; ++i) {
      Vote v{qc.view, qc.height, qc.block_hash, ReplicaId(i), {}};
      v.Sign(chain_, keys_[i]);
      qc.signatures.push_back({ReplicaId(i), v.signature});
    }
    return qc;
  }

  std::vector<crypto::KeyPair> keys_;
  ledger::ValidatorSet set_;
  ledger::ChainId chain_;
};

TEST_F(MessagesTest, VoteHasAPinnedLayout) {
  Vote v{core::View(2), core::Height(1), ledger::BlockHash{}, ReplicaId(3), {}};
  core::Bytes bytes = EncodeMessage(v);
  // version | kind | view u64 | height u64 | hash 32 | author u16 | signature 64
  ASSERT_EQ(bytes.size(), 2u + 8 + 8 + 32 + 2 + 64);
  EXPECT_EQ(core::ToHex(core::ByteSpan(bytes).first(20)),
            "0102000000000000000200000000000000010000");
  EXPECT_EQ(bytes[2 + 8 + 8 + 32], 0);
  EXPECT_EQ(bytes[2 + 8 + 8 + 32 + 1], 3);
}

TEST_F(MessagesTest, EveryKindRoundTrips) {
  QuorumCert qc = SignedQc(5, 3);
  TimeoutCert tc{core::View(6), {}};
  for (uint32_t i = 0; i < 3; ++i) {
    Timeout t{core::View(6), ReplicaId(i), qc, std::nullopt, {}};
    t.Sign(chain_, keys_[i]);
    tc.signatures.push_back({ReplicaId(i), qc.view, t.signature});
  }
  Timeout timeout{core::View(7), ReplicaId(1), qc, tc, {}};
  timeout.Sign(chain_, keys_[1]);
  CommitVote cv{core::Height(3), core::View(5), qc.block_hash, ReplicaId(2), {}};
  cv.Sign(chain_, keys_[2]);
  std::vector<Message> messages = {
      Vote{core::View(5), core::Height(3), qc.block_hash, ReplicaId(0), {}},
      timeout,
      cv,
      BlockRequest{qc.block_hash},
      SyncRequest{core::Height(9)},
      SyncResponse{},
      ViewSync{qc, tc},
  };
  for (const Message& m : messages) {
    core::Bytes bytes = EncodeMessage(m);
    auto back = DecodeMessage(bytes);
    ASSERT_TRUE(back) << KindName(m) << ": " << back.error().ToString();
    EXPECT_EQ(EncodeMessage(*back), bytes) << KindName(m);
    bytes.push_back(0);
    EXPECT_FALSE(DecodeMessage(bytes)) << KindName(m) << " accepted a trailing byte";
  }
  EXPECT_TRUE(tc.Verify(chain_, set_));
}

TEST_F(MessagesTest, RejectsMalformedInputWithoutThrowing) {
  EXPECT_FALSE(DecodeMessage({}));
  core::Bytes unknown = {kWireVersion, 99};
  EXPECT_EQ(DecodeMessage(unknown).error().code, "MESSAGE_MALFORMED");
  core::Bytes version = {2, 1};
  EXPECT_EQ(DecodeMessage(version).error().code, "ENCODING_BAD_VERSION");
  core::Bytes vote = EncodeMessage(Vote{});
  for (size_t cut = 0; cut < vote.size(); ++cut) {
    EXPECT_FALSE(DecodeMessage(core::ByteSpan(vote).first(cut)));
  }
}

TEST_F(MessagesTest, QuorumCertNeedsAQuorumOfValidSortedSignatures) {
  EXPECT_TRUE(SignedQc(5, 3).Verify(chain_, set_));
  EXPECT_EQ(SignedQc(5, 2).Verify(chain_, set_).error().code, "QC_INVALID");
  QuorumCert tampered = SignedQc(5, 3);
  tampered.view = core::View(6);
  EXPECT_FALSE(tampered.Verify(chain_, set_));
  QuorumCert dup = SignedQc(5, 3);
  dup.signatures[1] = dup.signatures[0];
  EXPECT_FALSE(dup.Verify(chain_, set_));
  // Another chain's signatures are worthless here.
  ledger::ChainId other;
  other.hash.data[0] = 1;
  EXPECT_FALSE(SignedQc(5, 3).Verify(other, set_));
  EXPECT_TRUE(QuorumCert::Genesis().Verify(chain_, set_));
}

TEST_F(MessagesTest, CommitVotesAreCommitCertificateSignatures) {
  ledger::CommitCertificate cert{core::Height(3), core::View(5), ledger::BlockHash{}, {}};
  cert.block_hash.hash.data[0] = 7;
  for (uint32_t i = 0; i < 3; ++i) {
    CommitVote cv{cert.height, cert.view, cert.block_hash, ReplicaId(i), {}};
    cv.Sign(chain_, keys_[i]);
    cert.signatures.push_back({keys_[i].public_key, cv.signature});
  }
  std::sort(cert.signatures.begin(), cert.signatures.end(),
            [](const auto& a, const auto& b) { return a.validator < b.validator; });
  EXPECT_TRUE(cert.Verify(chain_, set_));
}

}  // namespace
}  // namespace tradeledger::consensus
