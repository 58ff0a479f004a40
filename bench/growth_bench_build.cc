#include "bench/growth_bench_build.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "consensus/safety_rules.h"
#include "crypto/key_file.h"
#include "crypto/sha256.h"
#include "node/chain.h"
#include "node/clock.h"
#include "node/genesis.h"
#include "node/genesis_signoff.h"
#include "node/ledger_store.h"
#include "node/safety_file.h"
#include "storage/rocksdb_store.h"
#include "trade/participants.h"

namespace tradeledger::bench {
namespace {

namespace fs = std::filesystem;
using Steady = std::chrono::steady_clock;
using nlohmann::json;

bool WriteText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

crypto::KeyPair MemberKeyAt(uint64_t signer) {
  core::Hash32 seed =
      crypto::Sha256Of(core::AsBytes("growth_bench member " + std::to_string(signer)));
  return crypto::KeyPair::FromSeed(seed);
}

ledger::SignedTransaction Sign(const ledger::ChainId& chain, const crypto::KeyPair& key,
                               std::string type, uint64_t nonce, const json& body) {
  ledger::TxPayload p;
  p.chain_id = chain;
  p.type = std::move(type);
  p.nonce = nonce;
  p.body = core::ToBytes(body.dump());
  return ledger::SignedTransaction::Sign(p, key);
}

json AnchorBody(uint64_t i, uint32_t org) {
  return {{"docId", GrowthDocId(i)},
          {"docType", "CERT_OF_ORIGIN"},
          {"contentHash",
           crypto::Sha256Of(core::AsBytes("growth document " + std::to_string(i))).hex()},
          {"issuer", "Growth Exporter " + std::to_string(org) + " S.A. de C.V."},
          {"metadata", {{"agreement", "USMCA"}, {"invoice", "INV-" + std::to_string(i)}}}};
}

// Signs blocks of anchors on its own thread, at most two blocks ahead of the committer.
class Signer {
 public:
  Signer(const GrowthSpec& spec, const ledger::ChainId& chain)
      : spec_(spec), chain_(chain), thread_([this] { Run(); }) {}
  ~Signer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  std::vector<ledger::SignedTransaction> Next() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !ready_.empty(); });
    auto block = std::move(ready_.front());
    ready_.pop_front();
    cv_.notify_all();
    return block;
  }

 private:
  void Run() {
    const uint64_t signers = uint64_t{spec_.orgs} * spec_.keys_per_org;
    std::vector<crypto::KeyPair> keys;
    for (uint64_t k = 0; k < signers; ++k) keys.push_back(MemberKeyAt(k));
    for (uint64_t first = 0; first < spec_.transactions; first += spec_.per_block) {
      std::vector<ledger::SignedTransaction> block;
      for (uint64_t i = first; i < std::min(spec_.transactions, first + spec_.per_block); ++i) {
        uint64_t k = i % signers;
        block.push_back(Sign(chain_, keys[k], "document.anchor", i / signers + 1,
                             AnchorBody(i, static_cast<uint32_t>(k / spec_.keys_per_org))));
      }
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return ready_.size() < 2 || stop_; });
      if (stop_) return;
      ready_.push_back(std::move(block));
      cv_.notify_all();
    }
  }

  const GrowthSpec spec_;
  const ledger::ChainId chain_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<ledger::SignedTransaction>> ready_;  // guarded by mu_
  bool stop_ = false;                                         // guarded by mu_
  std::thread thread_;
};

// Commits `txs` as the next block, certified by `validator`; fails unless every one is OK.
core::Status CommitBlock(node::Chain& chain, const crypto::KeyPair& validator,
                         std::vector<ledger::SignedTransaction> txs) {
  ledger::StoredBlock block;
  block.header = chain.BuildHeader(txs, node::SystemClock().Now(), validator.public_key);
  block.transactions = std::move(txs);
  block.certificate.height = block.header.height;
  block.certificate.view = core::View(block.header.height.value);
  block.certificate.block_hash = block.header.Hash();
  block.certificate.AddSignature(chain.genesis().chain_id, validator);
  TL_ASSIGN_OR_RETURN(auto entries, chain.Commit(block, /*verify_signatures=*/false));
  for (size_t i = 0; i < entries.size(); ++i) {
    if (entries[i].result_code != "OK") {
      return core::Fail("GROWTH_TX_FAILED", block.transactions[i].payload().type + " at height " +
                                                block.header.height.ToString() + ": " +
                                                entries[i].result_code);
    }
  }
  return core::Ok();
}

// The safety state of a validator that voted for the tip (view = height) and holds its QC.
core::Status WriteSafetyFile(const fs::path& path, const node::Chain& chain,
                             const crypto::KeyPair& validator) {
  node::ChainTip tip = chain.tip();
  consensus::SafetyState s;
  s.last_voted_view = core::View(tip.height.value);
  s.high_qc.view = core::View(tip.height.value);
  s.high_qc.height = tip.height;
  s.high_qc.block_hash = tip.hash;
  core::Bytes vote = consensus::QuorumCert::VoteMessage(chain.genesis().chain_id, s.high_qc.view,
                                                        tip.height, tip.hash);
  s.high_qc.signatures.push_back(
      {consensus::ReplicaId(0), crypto::Sign(validator.secret_key, vote)});
  return node::SafetyFile(path.string()).Write(s.Encode());
}

}  // namespace

std::string GrowthDocId(uint64_t i) {
  char id[32];
  std::snprintf(id, sizeof id, "GROW-%08llu", static_cast<unsigned long long>(i));
  return id;
}

std::string GrowthOrgId(uint32_t o) { return "GROW-ORG-" + std::to_string(o); }

crypto::KeyPair MemberKey(const GrowthSpec& spec, uint64_t anchor_index) {
  return MemberKeyAt(anchor_index % (uint64_t{spec.orgs} * spec.keys_per_org));
}

core::Result<GrowthManifest> BuildDataDir(const GrowthSpec& spec, const GrowthPaths& paths) {
  auto started = Steady::now();
  std::error_code ec;
  if (fs::exists(paths.dir) && !fs::is_empty(paths.dir, ec)) {
    return core::Fail("GROWTH_DIR_EXISTS", paths.dir.string() + " is not empty");
  }
  fs::create_directories(paths.dir / "customs", ec);
  fs::create_directories(paths.data(), ec);
  if (ec) return core::Fail("GROWTH_IO", paths.dir.string() + ": " + ec.message());
  crypto::KeyPair validator = crypto::KeyPair::Generate();
  crypto::KeyPair customs = crypto::KeyPair::Generate();
  TL_RETURN_IF_ERROR(
      crypto::WriteKeyFile((paths.dir / "node1" / "validator.key").string(), validator));
  TL_RETURN_IF_ERROR(crypto::WriteKeyFile(paths.customs_key().string(), customs));
  nlohmann::ordered_json extra = nlohmann::ordered_json::object();
  extra["customs_authority"] = trade::RenderCustomsAuthority({.admin_key = customs.public_key});
  extra["ior_salt"] = crypto::KeyPair::Generate().public_key.hex();
  core::TimestampMs genesis_time(node::SystemClock().Now().value - 60'000);
  std::string genesis_text = node::Genesis::Render("growth-bench", genesis_time,
                                                   {{"validator-1", validator.public_key}}, extra);
  TL_ASSIGN_OR_RETURN(node::Genesis genesis, node::Genesis::Parse(genesis_text));
  // The node starts only on a genesis its validators signed off (ADR 0022).
  TL_ASSIGN_OR_RETURN(node::GenesisSignoff signoff, node::SignGenesis(genesis, validator));
  if (!WriteText(paths.genesis(), genesis_text) ||
      !WriteText(paths.validators(), node::RenderValidatorsFile(genesis)) ||
      !WriteText(paths.signoffs(), node::RenderSignoffs(genesis, {signoff}))) {
    return core::Fail("GROWTH_IO", "cannot write the genesis");
  }

  GrowthManifest m;
  m.spec = spec;
  m.chain_id = genesis.chain_id.hex();
  {
    TL_ASSIGN_OR_RETURN(
        auto store, storage::RocksDbStore::Open(paths.data().string(), node::NodeStoreOptions()));
    node::LedgerStore ledger(*store);
    TL_ASSIGN_OR_RETURN(auto chain, node::Chain::Open(ledger, genesis));
    std::vector<ledger::SignedTransaction> admissions;
    for (uint32_t o = 0; o < spec.orgs; ++o) {
      json members = json::array();
      for (uint32_t k = 0; k < spec.keys_per_org; ++k) {
        members.push_back(
            {{"publicKey", MemberKeyAt(uint64_t{o} * spec.keys_per_org + k).public_key.hex()},
             {"roles", {"EXPORTER"}},
             {"admin", k == 0}});
      }
      json body = {{"orgId", GrowthOrgId(o)},
                   {"legalName", "Growth Exporter " + std::to_string(o)},
                   {"country", "MX"},
                   {"roles", {"EXPORTER", "PRODUCER"}},
                   {"members", members}};
      admissions.push_back(Sign(genesis.chain_id, customs, "org.admit", o + 1, body));
    }
    for (const auto& tx : admissions) m.raw_tx_bytes += tx.envelope().size();
    m.committed += admissions.size();
    TL_RETURN_IF_ERROR(CommitBlock(*chain, validator, std::move(admissions)));

    Signer signer(spec, genesis.chain_id);
    std::mt19937_64 rng(20261129);
    uint64_t tenth = std::max<uint64_t>(1, spec.transactions / 10);
    uint64_t anchors = 0;
    auto tenth_started = Steady::now();
    while (anchors < spec.transactions) {
      auto waited = Steady::now();
      std::vector<ledger::SignedTransaction> txs = signer.Next();
      auto committing = Steady::now();
      m.wait_seconds += std::chrono::duration<double>(committing - waited).count();
      size_t count = txs.size();
      for (size_t i = 0; i < txs.size(); ++i) {
        m.raw_tx_bytes += txs[i].envelope().size();
        uint64_t seen = anchors + i;  // reservoir sampling (Algorithm R)
        if (seen < kSampledTxIds) {
          m.sampled_tx_ids.push_back(txs[i].id().hex());
        } else if (uint64_t slot = std::uniform_int_distribution<uint64_t>(0, seen)(rng);
                   slot < kSampledTxIds) {
          m.sampled_tx_ids[slot] = txs[i].id().hex();
        }
      }
      TL_RETURN_IF_ERROR(CommitBlock(*chain, validator, std::move(txs)));
      m.commit_seconds += std::chrono::duration<double>(Steady::now() - committing).count();
      uint64_t before = anchors;
      anchors += count;
      m.committed += count;
      if (anchors / tenth != before / tenth || anchors == spec.transactions) {
        double secs = std::chrono::duration<double>(Steady::now() - tenth_started).count();
        m.tx_per_s_by_tenth.push_back(static_cast<double>(anchors - (before / tenth) * tenth) /
                                      secs);
        tenth_started = Steady::now();
        std::fprintf(stderr, "  %llu anchors committed, %.0f tx/s over the last stretch\n",
                     static_cast<unsigned long long>(anchors), m.tx_per_s_by_tenth.back());
      }
    }
    m.blocks = chain->tip().height.value;
    TL_RETURN_IF_ERROR(
        WriteSafetyFile(paths.dir / "node1" / "consensus-safety", *chain, validator));
  }
  m.build_seconds = std::chrono::duration<double>(Steady::now() - started).count();
  TL_RETURN_IF_ERROR(WriteManifest(paths, m));
  return m;
}

core::Status WriteManifest(const GrowthPaths& paths, const GrowthManifest& m) {
  json j = {{"transactions", m.spec.transactions},
            {"per_block", m.spec.per_block},
            {"orgs", m.spec.orgs},
            {"keys_per_org", m.spec.keys_per_org},
            {"committed", m.committed},
            {"raw_tx_bytes", m.raw_tx_bytes},
            {"blocks", m.blocks},
            {"first_anchor_height", m.first_anchor_height},
            {"build_seconds", m.build_seconds},
            {"commit_seconds", m.commit_seconds},
            {"wait_seconds", m.wait_seconds},
            {"tx_per_s_by_tenth", m.tx_per_s_by_tenth},
            {"chain_id", m.chain_id},
            {"sampled_tx_ids", m.sampled_tx_ids}};
  if (!WriteText(paths.manifest(), j.dump(2) + "\n")) {
    return core::Fail("GROWTH_IO", "cannot write " + paths.manifest().string());
  }
  return core::Ok();
}

core::Result<GrowthManifest> ReadManifest(const GrowthPaths& paths) {
  TL_ASSIGN_OR_RETURN(std::string text, node::ReadFile(paths.manifest().string()));
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return core::Fail("GROWTH_MANIFEST", paths.manifest().string() + " is not JSON");
  }
  GrowthManifest m;
  try {
    m.spec.transactions = j.at("transactions").get<uint64_t>();
    m.spec.per_block = j.at("per_block").get<uint32_t>();
    m.spec.orgs = j.at("orgs").get<uint32_t>();
    m.spec.keys_per_org = j.at("keys_per_org").get<uint32_t>();
    m.committed = j.at("committed").get<uint64_t>();
    m.raw_tx_bytes = j.at("raw_tx_bytes").get<uint64_t>();
    m.blocks = j.at("blocks").get<uint64_t>();
    m.first_anchor_height = j.at("first_anchor_height").get<uint64_t>();
    m.build_seconds = j.at("build_seconds").get<double>();
    m.commit_seconds = j.at("commit_seconds").get<double>();
    m.wait_seconds = j.at("wait_seconds").get<double>();
    m.tx_per_s_by_tenth = j.at("tx_per_s_by_tenth").get<std::vector<double>>();
    m.chain_id = j.at("chain_id").get<std::string>();
    m.sampled_tx_ids = j.at("sampled_tx_ids").get<std::vector<std::string>>();
  } catch (const json::exception& e) {
    return core::Fail("GROWTH_MANIFEST", paths.manifest().string() + ": " + e.what());
  }
  return m;
}

}  // namespace tradeledger::bench
