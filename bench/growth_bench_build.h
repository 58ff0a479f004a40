// Building the data directory of growth_bench (scenario f, doc/performance.md): a network of
// one whose ledger holds N committed document anchors, laid out as `tradeledger net init
// --validators 1` lays out a network, so that `tradeledger node --config DIR/node1/config.json`
// serves it:
//
//   DIR/genesis.json, DIR/validators.json   the chain (with a customs authority)
//   DIR/genesis-signoffs.json               the validator's sign-off of the genesis
//   DIR/customs/admin.key                   the customs administrator (reads any document)
//   DIR/node1/config.json, validator.key    the node; consensus-safety beside them
//   DIR/node1/data/                         RocksDB, written by node::Chain::Commit
//   DIR/growth.json                         what was built (the manifest, for --reuse)
//
// Blocks are committed in-process through the real node::Chain::Commit over
// storage::RocksDbStore (as bench/ledger_bench.cc does), each certified by the genesis
// validator's commit signature. Block 1 admits the organisations (org.admit by customs, with
// member keys that derive from MemberSeed, so that a later run can sign reads as them); every
// later block holds `per_block` document.anchor transactions signed round-robin by the member
// keys. A second thread signs the next block while the current one commits.
//
// The consensus safety file is written as the validator would have left it after voting for
// the tip: last voted view and a QC for the tip block (its view is its height here), so the
// node resumes at the next view.
//
// Thread safety: plain functions; BuildDataDir starts and joins its own signing thread.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"

namespace tradeledger::bench {

struct GrowthSpec {
  uint64_t transactions = 1'000'000;  // document anchors (the admissions come on top)
  uint32_t per_block = 1000;
  uint32_t orgs = 4;
  uint32_t keys_per_org = 64;  // at most 64 (org.admit's member limit)
};

struct GrowthManifest {
  GrowthSpec spec;
  uint64_t committed = 0;     // every committed transaction, admissions included
  uint64_t raw_tx_bytes = 0;  // sum of their envelope sizes
  uint64_t blocks = 0;        // tip height
  uint64_t first_anchor_height = 2;
  double build_seconds = 0;
  double commit_seconds = 0;  // inside Chain::Commit
  double wait_seconds = 0;    // waiting for the signing thread
  // Commit rate over each tenth of the anchors, transactions per second.
  std::vector<double> tx_per_s_by_tenth;
  std::string chain_id;
  // A uniform sample (reservoir, fixed seed) of the committed anchors' ids, hex, so that the
  // reads need not touch the store to find transactions to prove.
  std::vector<std::string> sampled_tx_ids;
};

// Size of GrowthManifest::sampled_tx_ids (or every anchor, if fewer).
inline constexpr size_t kSampledTxIds = 10'000;

// The document id of anchor i (0-based) and the member key that signed it.
std::string GrowthDocId(uint64_t i);
crypto::KeyPair MemberKey(const GrowthSpec& spec, uint64_t anchor_index);
// Org id of organisation o.
std::string GrowthOrgId(uint32_t o);

struct GrowthPaths {
  std::filesystem::path dir;
  std::filesystem::path config() const { return dir / "node1" / "config.json"; }
  std::filesystem::path signoffs() const { return dir / "genesis-signoffs.json"; }
  std::filesystem::path data() const { return dir / "node1" / "data"; }
  std::filesystem::path customs_key() const { return dir / "customs" / "admin.key"; }
  std::filesystem::path validators() const { return dir / "validators.json"; }
  std::filesystem::path genesis() const { return dir / "genesis.json"; }
  std::filesystem::path manifest() const { return dir / "growth.json"; }
  std::filesystem::path log() const { return dir / "node1" / "node.log"; }
};

// Builds everything but the node's configuration (growth_bench_node.h) in `paths.dir`, which
// must not exist or be empty. Progress lines go to stderr.
core::Result<GrowthManifest> BuildDataDir(const GrowthSpec& spec, const GrowthPaths& paths);

core::Status WriteManifest(const GrowthPaths& paths, const GrowthManifest& m);
core::Result<GrowthManifest> ReadManifest(const GrowthPaths& paths);

}  // namespace tradeledger::bench
