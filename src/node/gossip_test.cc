// Transactions gossiped by another validator are checked on the receiving thread before they
// reach the mempool (Node::OnPeerFrame): a wrong chain, a bad signature and a body that fails
// admission (a cleartext IOR number, ADR 0021) are each refused and counted by reason, and a
// frame from a key outside the validator set is refused whole. Readiness follows what the
// node has heard and how many links it has. The node is not started (the refusals happen
// before anything is queued), but for readiness, which counts a peer's message once stepped.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "node/chain.h"
#include "node/clock.h"
#include "node/genesis.h"
#include "node/ledger_store.h"
#include "node/metrics.h"
#include "node/node.h"
#include "node/peer_frames.h"
#include "node/safety_file.h"
#include "storage/memory_store.h"

namespace tradeledger::node {
namespace {

using nlohmann::json;

// Links that go nowhere: the node is never started, so it sends nothing. `connected` is what
// they report as authenticated links.
class NoLinks final : public PeerLinks {
 public:
  size_t connected = 0;
  void SetPeers(std::vector<PeerEndpoint>) override {}
  void Send(const crypto::PublicKey&, core::Bytes) override {}
  void Broadcast(const core::Bytes&) override {}
  size_t ConnectedPeers() const override { return connected; }
  std::map<std::string, uint64_t> Rejections() const override { return {}; }
};

class GossipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    genesis_ = *Genesis::Parse(Genesis::Render("gossip", core::TimestampMs(1),
                                               {{"v1", self_.public_key},
                                                {"v2", peer_.public_key},
                                                {"v3", third_.public_key},
                                                {"v4", fourth_.public_key}},
                                               {}));
    chain_ = std::move(*Chain::Open(ledger_, genesis_));
    std::filesystem::remove(safety_path_);
    safety_ = std::make_unique<SafetyFile>(safety_path_);
    auto created = Node::Create(ledger_, *chain_, self_, clock_, {}, metrics_, *safety_, &links_);
    ASSERT_TRUE(created.has_value()) << created.error().ToString();
    node_ = std::move(*created);
  }
  void TearDown() override { std::filesystem::remove(safety_path_); }

  ledger::SignedTransaction Tx(const std::string& type, const json& body,
                               const ledger::ChainId& chain) {
    ledger::TxPayload p;
    p.chain_id = chain;
    p.type = type;
    p.nonce = ++nonce_;
    p.body = core::ToBytes(body.dump());
    return ledger::SignedTransaction::Sign(p, crypto::KeyPair::Generate());
  }
  // The count of peer rejections for `reason` in the metrics, 0 if none.
  uint64_t Rejected(const std::string& reason) const {
    const std::string label = "reason=\"" + reason + "\"} ";
    std::string text = metrics_.Render();
    size_t at = text.find(label);
    return at == std::string::npos ? 0 : std::stoull(text.substr(at + label.size()));
  }

  crypto::KeyPair self_ = crypto::KeyPair::Generate();
  crypto::KeyPair peer_ = crypto::KeyPair::Generate();
  crypto::KeyPair third_ = crypto::KeyPair::Generate();
  crypto::KeyPair fourth_ = crypto::KeyPair::Generate();
  uint64_t nonce_ = 0;
  SystemClock clock_;
  Metrics metrics_;
  storage::MemoryStore store_;
  LedgerStore ledger_{store_};
  Genesis genesis_;
  std::unique_ptr<Chain> chain_;
  std::filesystem::path safety_path_ =
      std::filesystem::temp_directory_path() / ("tl-gossip-test-" + std::to_string(::getpid()));
  std::unique_ptr<SafetyFile> safety_;
  NoLinks links_;
  std::unique_ptr<Node> node_;
};

TEST_F(GossipTest, ACleartextIorNumberIsRefusedAndCountedByReason) {
  json admit = {{"orgId", "IMP"},        {"legalName", "Imp"},       {"country", "US"},
                {"roles", {"IMPORTER"}}, {"members", json::array()}, {"iorNumber", "12-3456789AB"}};
  json nested = {{"docId", "D-1"},
                 {"docType", "INVOICE"},
                 {"contentHash", std::string(64, 'a')},
                 {"issuer", "Imp"},
                 {"metadata", {{"ssn", "123-45-6789"}}}};
  node_->OnPeerFrame(peer_.public_key,
                     TransactionsFrame({Tx("org.admit", admit, genesis_.chain_id),
                                        Tx("document.anchor", nested, genesis_.chain_id)}));
  EXPECT_EQ(Rejected("GOSSIP_TX_INADMISSIBLE"), 2u) << metrics_.Render();

  // An admissible transaction in the same kind of frame is not refused.
  nested["metadata"] = {{"note", "no identifiers"}};
  node_->OnPeerFrame(peer_.public_key,
                     TransactionsFrame({Tx("document.anchor", nested, genesis_.chain_id)}));
  EXPECT_EQ(Rejected("GOSSIP_TX_INADMISSIBLE"), 2u);
}

// An unknown type never reaches the mempool, so no leader can propose it (trade/admission.h).
TEST_F(GossipTest, AnUnknownTransactionTypeIsRefusedAsInadmissible) {
  node_->OnPeerFrame(peer_.public_key,
                     TransactionsFrame({Tx("document.anchr", json::object(), genesis_.chain_id)}));
  EXPECT_EQ(Rejected("GOSSIP_TX_INADMISSIBLE"), 1u) << metrics_.Render();
}

TEST_F(GossipTest, WrongChainBadSignatureAndNonValidatorsAreRefused) {
  json body = {{"docId", "D-2"},
               {"docType", "INVOICE"},
               {"contentHash", std::string(64, 'b')},
               {"issuer", "Imp"}};
  ledger::ChainId other_chain = *ledger::ChainId::FromHex(std::string(64, '1'));
  node_->OnPeerFrame(peer_.public_key,
                     TransactionsFrame({Tx("document.anchor", body, other_chain)}));
  EXPECT_EQ(Rejected("GOSSIP_WRONG_CHAIN"), 1u);

  ledger::SignedTransaction good = Tx("document.anchor", body, genesis_.chain_id);
  core::Bytes envelope = good.envelope();
  envelope.back() ^= 1;  // the last byte of the signature
  auto forged = ledger::SignedTransaction::Decode(envelope);
  ASSERT_TRUE(forged.has_value());
  node_->OnPeerFrame(peer_.public_key, TransactionsFrame({*forged}));
  EXPECT_EQ(Rejected("GOSSIP_BAD_SIGNATURE"), 1u);

  node_->OnPeerFrame(crypto::KeyPair::Generate().public_key, TransactionsFrame({good}));
  node_->OnPeerFrame(self_.public_key, TransactionsFrame({good}));
  EXPECT_EQ(Rejected("PEER_NOT_VALIDATOR"), 2u);

  node_->OnPeerFrame(peer_.public_key, core::Bytes{2, 0xff});
  node_->OnPeerFrame(peer_.public_key, core::Bytes{9});
  EXPECT_EQ(Rejected("GOSSIP_MALFORMED"), 1u);
  EXPECT_EQ(Rejected("FRAME_MALFORMED"), 1u) << metrics_.Render();
}

TEST_F(GossipTest, ReadinessNeedsAPeerMessageAndLinksToAQuorum) {
  Node::Readiness r = node_->readiness();
  EXPECT_FALSE(r.ready);
  EXPECT_EQ(r.reason, "NO_PEER_MESSAGE");
  EXPECT_EQ(r.validators, 4u);

  // Any consensus frame from a validator counts as hearing from the network, once the
  // consensus thread has stepped it (so that its height is taken into account first).
  node_->OnPeerFrame(peer_.public_key, ConsensusFrame(core::Bytes{1, 2, 3}));
  links_.connected = 1;  // itself and one peer: below the quorum of 3
  EXPECT_EQ(node_->readiness().reason, "NO_PEER_MESSAGE") << "not stepped: the node is stopped";
  node_->Start();
  for (int i = 0; i < 500 && node_->readiness().reason == "NO_PEER_MESSAGE"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  r = node_->readiness();
  EXPECT_EQ(r.reason, "TOO_FEW_PEERS");
  EXPECT_EQ(r.connected_peers, 1u);

  links_.connected = 2;
  r = node_->readiness();
  EXPECT_TRUE(r.ready) << r.reason;
  EXPECT_EQ(r.height, 0u);
  node_->Stop();
}

}  // namespace
}  // namespace tradeledger::node
