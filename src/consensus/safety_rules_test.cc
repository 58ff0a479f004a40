#include "consensus/safety_rules.h"

#include <gtest/gtest.h>

namespace tradeledger::consensus {
namespace {

QuorumCert QcAt(uint64_t view) {
  QuorumCert qc;
  qc.view = core::View(view);
  qc.height = core::Height(view);
  qc.block_hash.hash.data[0] = static_cast<uint8_t>(view);
  return qc;
}

TimeoutCert TcAt(uint64_t view, std::vector<uint64_t> high_qc_views) {
  TimeoutCert tc;
  tc.view = core::View(view);
  uint32_t signer = 0;
  for (uint64_t v : high_qc_views)
    tc.signatures.push_back({ReplicaId(signer++), core::View(v), {}});
  return tc;
}

TEST(SafetyRules, VotesOncePerViewAndOnlyForwards) {
  SafetyRules rules{SafetyState{}};
  EXPECT_TRUE(rules.SafeToVote(core::View(1), core::View(0), nullptr));
  rules.RecordVote(core::View(1));
  EXPECT_FALSE(rules.SafeToVote(core::View(1), core::View(0), nullptr));
  EXPECT_TRUE(rules.SafeToVote(core::View(2), core::View(1), nullptr));
}

TEST(SafetyRules, NonConsecutiveQcNeedsTheTcOfThePreviousView) {
  SafetyRules rules{SafetyState{}};
  EXPECT_FALSE(rules.SafeToVote(core::View(5), core::View(3), nullptr));
  TimeoutCert tc = TcAt(4, {3, 2, 1});
  EXPECT_TRUE(rules.SafeToVote(core::View(5), core::View(3), &tc));
  TimeoutCert old = TcAt(3, {2, 2, 1});
  EXPECT_FALSE(rules.SafeToVote(core::View(5), core::View(3), &old));
}

TEST(SafetyRules, LockCheckRejectsQcBelowTheTcsHighestQc) {
  SafetyRules rules{SafetyState{}};
  TimeoutCert tc = TcAt(7, {6, 2, 2});
  // A leader entering view 8 by TC must extend a QC at least as high as any timeout reported.
#ifdef TL_CONSENSUS_TEETH_DISABLE_LOCK
  GTEST_SKIP() << "teeth build";
#endif
  EXPECT_FALSE(rules.SafeToVote(core::View(8), core::View(2), &tc));
  EXPECT_TRUE(rules.SafeToVote(core::View(8), core::View(6), &tc));
}

TEST(SafetyRules, TimingOutForbidsVotingInThatView) {
  SafetyRules rules{SafetyState{}};
  ASSERT_TRUE(rules.SafeToTimeout(core::View(3)));
  rules.RecordTimeout(core::View(3));
  EXPECT_FALSE(rules.SafeToVote(core::View(3), core::View(2), nullptr));
  EXPECT_FALSE(rules.SafeToTimeout(core::View(2)));
  EXPECT_TRUE(rules.SafeToTimeout(core::View(3)));  // retransmitting the same timeout is fine
}

TEST(SafetyRules, LockOnlyRises) {
  SafetyRules rules{SafetyState{}};
  EXPECT_TRUE(rules.ObserveQc(QcAt(4)));
  EXPECT_FALSE(rules.ObserveQc(QcAt(3)));
  EXPECT_EQ(rules.locked_view(), core::View(4));
  EXPECT_FALSE(rules.SafeToTimeout(core::View(4)));  // a timeout must report a lower QC view
}

TEST(SafetyState, RoundTripsAndRejectsTrailingBytes) {
  SafetyState s{core::View(9), QcAt(8)};
  core::Bytes bytes = s.Encode();
  auto back = SafetyState::Decode(bytes);
  ASSERT_TRUE(back) << back.error().ToString();
  EXPECT_EQ(back->last_voted_view, core::View(9));
  EXPECT_EQ(back->high_qc, s.high_qc);
  bytes.push_back(0);
  auto bad = SafetyState::Decode(bytes);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "ENCODING_TRAILING_BYTES");
}

}  // namespace
}  // namespace tradeledger::consensus
