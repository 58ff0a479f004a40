// Replaying a chain's blocks from genesis into an empty state reproduces the same state root
// at every height; the audit relies on it and names the first height where it does not.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "node/audit.h"
#include "node/chain.h"
#include "storage/memory_store.h"
#include "trade/ledger_clock.h"
#include "trade/participants.h"

namespace tradeledger::node {
namespace {

using nlohmann::json;

class ReplayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    nlohmann::ordered_json extra;
    extra["customs_authority"] = trade::RenderCustomsAuthority({.admin_key = customs_.public_key});
    extra["ior_salt"] = "00ff";
    extra["ledger_clock"] = {{"start", "2024-12-01T00:00:00Z"}};
    auto g = Genesis::Parse(Genesis::Render("replay", core::TimestampMs(1733011200000),
                                            {{"v1", validator_.public_key}}, extra));
    ASSERT_TRUE(g) << g.error().ToString();
    genesis_ = *g;
    chain_ = std::move(*Chain::Open(ledger_, genesis_));
  }

  ledger::SignedTransaction Tx(const crypto::KeyPair& key, const std::string& type,
                               const json& body) {
    ledger::TxPayload p;
    p.chain_id = genesis_.chain_id;
    p.type = type;
    p.nonce = ++nonces_[key.public_key.hex()];
    p.body = core::ToBytes(body.dump());
    return ledger::SignedTransaction::Sign(p, key);
  }

  void Commit(std::vector<ledger::SignedTransaction> txs) {
    ledger::StoredBlock b;
    b.header = chain_->BuildHeader(txs, core::TimestampMs(0), validator_.public_key);
    b.transactions = std::move(txs);
    b.certificate.height = b.header.height;
    b.certificate.view = core::View(b.header.height.value);
    b.certificate.block_hash = b.header.Hash();
    b.certificate.AddSignature(genesis_.chain_id, validator_);
    auto r = chain_->Commit(b, true);
    ASSERT_TRUE(r) << r.error().ToString();
  }

  // A small history with governance, a rule failure, documents and a clock change.
  void BuildHistory() {
    crypto::KeyPair exporter = crypto::KeyPair::Generate();
    Commit({Tx(customs_, "org.admit",
               {{"orgId", "MX-P"},
                {"legalName", "Autopartes MX"},
                {"country", "MX"},
                {"roles", {"EXPORTER", "PRODUCER"}},
                {"members",
                 {{{"publicKey", exporter.public_key.hex()},
                   {"roles", {"EXPORTER", "PRODUCER"}},
                   {"admin", true}}}}})});
    for (int i = 0; i < 4; ++i) {
      Commit({Tx(exporter, "document.anchor",
                 {{"docId", "DOC-" + std::to_string(i)},
                  {"docType", "INVOICE"},
                  {"contentHash", std::string(64, "0123"[i])},
                  {"issuer", "MX-P"}}),
              Tx(crypto::KeyPair::Generate(), "document.anchor",  // not a member: fails
                 {{"docId", "X"},
                  {"docType", "OTHER"},
                  {"contentHash", std::string(64, 'f')},
                  {"issuer", "nobody"}})});
    }
    Commit({Tx(customs_, "clock.advance", {{"to", "2025-01-15T00:00:00Z"}})});
    Commit({Tx(exporter, "document.anchor",
               {{"docId", "DOC-LATE"},
                {"docType", "OTHER"},
                {"contentHash", std::string(64, 'e')},
                {"issuer", "MX-P"}})});
  }

  crypto::KeyPair validator_ = crypto::KeyPair::Generate();
  crypto::KeyPair customs_ = crypto::KeyPair::Generate();
  std::map<std::string, uint64_t> nonces_;
  storage::MemoryStore store_;
  LedgerStore ledger_{store_};
  Genesis genesis_;
  std::unique_ptr<Chain> chain_;
};

TEST_F(ReplayTest, ReplayReproducesTheStateRootAtEveryHeight) {
  BuildHistory();
  storage::MemoryStore fresh;
  LedgerStore replay_store(fresh);
  auto replay = Chain::Open(replay_store, genesis_);
  ASSERT_TRUE(replay);
  uint64_t tip = chain_->tip().height.value;
  ASSERT_GE(tip, 7u);
  for (uint64_t h = 1; h <= tip; ++h) {
    auto block = ledger_.ReadBlock(core::Height(h));
    ASSERT_TRUE(block);
    ASSERT_TRUE((*replay)->Commit(*block, true)) << "height " << h;
    EXPECT_EQ(*replay_store.ReadStateRoot(core::Height(h)), *ledger_.ReadStateRoot(core::Height(h)))
        << "height " << h;
  }
  EXPECT_EQ((*replay)->tip().state_root, chain_->tip().state_root);
  // The replayed state carries the advanced ledger clock, the trade time of later blocks.
  auto clock = trade::TradeTime(replay_store.flat_state(), core::TimestampMs(1));
  ASSERT_TRUE(clock);
  EXPECT_EQ(*clock, 1736899200000);
}

TEST_F(ReplayTest, AuditPassesAndNamesTheHeightOfAForgedStateRoot) {
  BuildHistory();
  auto report = Audit(store_, genesis_);
  ASSERT_TRUE(report) << report.error().reason;
  EXPECT_EQ(report->tip, chain_->tip().height);

  core::Hash32 forged{};
  forged.data[0] = 1;
  ASSERT_TRUE(store_.Put(LedgerStore::StateRootKey(core::Height(3)), forged.span()));
  auto failed = Audit(store_, genesis_);
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().height, core::Height(3));
}

TEST_F(ReplayTest, AuditNamesTheHeightOfATamperedFlatStateValue) {
  BuildHistory();
  ASSERT_TRUE(store_.Put(LedgerStore::StateValueKey(core::AsBytes("doc/DOC-1")),
                         core::AsBytes("{\"forged\":true}")));
  auto failed = Audit(store_, genesis_);
  ASSERT_FALSE(failed);
  EXPECT_NE(failed.error().reason.find("state"), std::string::npos);
}

}  // namespace
}  // namespace tradeledger::node
