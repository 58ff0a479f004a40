// A Byzantine validator over the real transport: three honest validators (processes) and a
// fourth, in this test, that holds a real validator key and sends malformed frames, replays
// what others said, double-votes and times out with forged certificates. f = 1, so the honest
// three must keep committing the same chain.
#include <gtest/gtest.h>

#include <mutex>
#include <random>
#include <thread>

#include "consensus/messages.h"
#include "crypto/key_file.h"
#include "net/transport.h"
#include "node/genesis.h"
#include "node/peer_frames.h"
#include "tests/e2e/bft_network.h"

namespace tradeledger::e2e {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

class HostileValidatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = std::make_unique<BftNetwork>(4);
    ASSERT_TRUE(net_->ok()) << net_->init_result().Describe();
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(net_->Start(i)) << net_->LogTail(i);
    auto genesis = node::Genesis::Load((net_->dir() / "genesis.json").string());
    ASSERT_TRUE(genesis);
    genesis_ = *genesis;
    auto key = crypto::ReadKeyFile((net_->node_dir(3) / "validator.key").string());
    ASSERT_TRUE(key) << key.error().ToString();
    key_ = *key;
    const auto& vals = genesis_.validator_set.validators();
    self_ = consensus::ReplicaId(
        static_cast<uint32_t>(std::find(vals.begin(), vals.end(), key_.public_key) - vals.begin()));

    net::TransportOptions t;
    t.key = key_;
    t.chain_id = genesis_.chain_id.hash;
    t.listen_port = net_->p2p_port(3);
    for (int i = 0; i < 3; ++i) {
      auto h = net_->Health(i);
      ASSERT_TRUE(h);
      auto k = crypto::PublicKey::FromHex((*h)["validator"].get<std::string>());
      ASSERT_TRUE(k);
      honest_.push_back(*k);
      t.peers.push_back({*k, "127.0.0.1", net_->p2p_port(i)});
    }
    auto transport = net::Transport::Create(
        std::move(t), [this](const crypto::PublicKey& from, core::Bytes frame) {
          std::lock_guard lock(mu_);
          if (heard_.size() < 2000) heard_.push_back({from, std::move(frame)});
        });
    ASSERT_TRUE(transport) << transport.error().ToString();
    transport_ = std::move(*transport);
    transport_->Start();
  }
  void TearDown() override {
    if (transport_) transport_->Stop();
    if (HasFailure()) {
      for (int i = 0; i < 3; ++i) {
        std::fprintf(stderr, "--- validator %d ---\n%s\n", i, net_->LogTail(i).c_str());
      }
    }
  }

  // Double votes and forged timeouts for every proposal heard so far.
  void Equivocate(const consensus::Proposal& p) {
    for (int variant = 0; variant < 2; ++variant) {
      consensus::Vote v;
      v.view = p.view;
      v.height = p.header.height;
      v.block_hash = variant == 0 ? p.header.Hash() : ledger::BlockHash{};
      if (variant == 1) v.block_hash.hash.data[0] = 0x5a;
      v.author = self_;
      v.Sign(genesis_.chain_id, key_);
      transport_->Broadcast(node::ConsensusFrame(consensus::EncodeMessage(v)));
    }
    consensus::Timeout t;
    t.view = core::View(p.view.value + 1);
    t.author = self_;
    t.high_qc = p.justify;
    t.high_qc.view = core::View(p.view.value + 50);  // a QC it cannot have
    t.Sign(genesis_.chain_id, key_);
    transport_->Broadcast(node::ConsensusFrame(consensus::EncodeMessage(t)));
  }

  std::unique_ptr<BftNetwork> net_;
  node::Genesis genesis_;
  crypto::KeyPair key_;
  consensus::ReplicaId self_;
  std::vector<crypto::PublicKey> honest_;
  std::unique_ptr<net::Transport> transport_;
  std::mutex mu_;
  std::vector<std::pair<crypto::PublicKey, core::Bytes>> heard_;
};

TEST_F(HostileValidatorTest, MalformedReplayedAndEquivocatingMessagesNeitherStopNorForkTheChain) {
  ASSERT_TRUE(net_->WaitForHeight({0, 1, 2}, 2, 30s)) << "no progress before the attack";
  uint64_t start = net_->Height(0);
  std::mt19937_64 rng(7);
  auto random_bytes = [&](size_t n) {
    core::Bytes b(n);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    return b;
  };
  size_t sent = 0;
  auto until = Clock::now() + 8s;
  while (Clock::now() < until) {
    // Malformed: random consensus bytes, an unknown channel, an empty frame, a bad gossip batch.
    core::Bytes garbage = random_bytes(1 + rng() % 300);
    garbage[0] = static_cast<uint8_t>(node::PeerChannel::kConsensus);
    transport_->Broadcast(garbage);
    transport_->Broadcast(core::Bytes{0x7f, 1, 2, 3});
    transport_->Broadcast(core::Bytes{});
    core::Bytes gossip = random_bytes(64);
    gossip[0] = static_cast<uint8_t>(node::PeerChannel::kTransactions);
    transport_->Broadcast(gossip);
    sent += 4;
    // Replays and equivocation over what the honest validators said.
    std::vector<std::pair<crypto::PublicKey, core::Bytes>> heard;
    {
      std::lock_guard lock(mu_);
      heard = heard_;
    }
    for (size_t k = 0; k < heard.size(); k += 1 + heard.size() / 20) {
      for (const auto& to : honest_) transport_->Send(to, heard[k].second);
      ++sent;
      auto frame = node::ParsePeerFrame(heard[k].second);
      if (!frame || frame->channel != node::PeerChannel::kConsensus) continue;
      auto message = consensus::DecodeMessage(frame->body);
      if (message && std::holds_alternative<consensus::Proposal>(*message)) {
        Equivocate(std::get<consensus::Proposal>(*message));
        sent += 3;
      }
    }
    std::this_thread::sleep_for(50ms);
  }
  EXPECT_GT(sent, 100u);
  ASSERT_TRUE(net_->WaitForHeight({0, 1, 2}, start + 5, 30s)) << "the attack stopped progress";
  // No fork: the honest validators agree on every block.
  uint64_t low = std::min({net_->Height(0), net_->Height(1), net_->Height(2)});
  for (uint64_t h = 1; h <= low; ++h) {
    auto a = net_->BlockHash(0, h);
    ASSERT_TRUE(a);
    EXPECT_EQ(net_->BlockHash(1, h), a) << h;
    EXPECT_EQ(net_->BlockHash(2, h), a) << h;
  }
  // The rejections were counted.
  api::http::Client client("127.0.0.1", net_->http_port(0));
  auto metrics = client.Send("GET", "/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("tradeledger_peer_messages_rejected_total{source=\"consensus\""),
            std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("reason=\"FRAME_MALFORMED\""), std::string::npos);
}

}  // namespace
}  // namespace tradeledger::e2e
