#include "node/chain.h"

#include <set>

#include "ledger/merkle.h"
#include "trade/executor.h"
#include "trade/ledger_clock.h"
#include "trade/participants.h"

namespace tradeledger::node {
namespace {

std::unexpected<core::Error> Invalid(core::Height height, const std::string& why) {
  return core::Fail("BLOCK_INVALID", "height " + height.ToString() + ": " + why);
}

}  // namespace

core::Result<std::unique_ptr<Chain>> Chain::Open(LedgerStore& store, const Genesis& genesis,
                                                 ChainOptions options) {
  TL_CHECK(options.state_retention >= 1);
  std::unique_ptr<Chain> chain(new Chain(store, genesis, options));
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> stored_genesis, store.ReadGenesisFile());
  if (stored_genesis && core::AsStringView(*stored_genesis) != genesis.file_bytes) {
    return core::Fail("GENESIS_MISMATCH", "the data directory belongs to another chain");
  }
  if (stored_genesis) {
    TL_ASSIGN_OR_RETURN(std::optional<uint32_t> layout, store.ReadLayoutVersion());
    if (layout != kLayoutVersion) {
      return core::Fail("STORAGE_LAYOUT_UNSUPPORTED",
                        "the data directory has layout version " +
                            std::to_string(layout.value_or(1)) + ", this node reads version " +
                            std::to_string(kLayoutVersion) +
                            " (ADR 0019, ADR 0030, ADR 0031): sync a new one");
    }
  }
  TL_ASSIGN_OR_RETURN(std::optional<core::Hash32> genesis_root,
                      store.ReadStateRoot(core::Height(0)));
  if (!stored_genesis || !genesis_root) {
    // The genesis state: participants, configuration and the ledger clock named by the file.
    trade::WorkingState initial(store.flat_state());
    auto json = trade::Json::parse(genesis.file_bytes, nullptr, false);
    TL_RETURN_IF_ERROR(trade::ApplyGenesis(json, initial));
    TL_RETURN_IF_ERROR(trade::ApplyLedgerClockGenesis(json, initial));
    std::vector<state::StateUpdate> updates;
    for (const auto& [key, value] : initial.writes()) updates.push_back({key, value});
    std::vector<state::NodeWrite> nodes;
    TL_ASSIGN_OR_RETURN(
        core::Hash32 root,
        state::ApplyUpdates(store.state_nodes(), state::kEmptyRoot, std::move(updates), &nodes));
    TL_RETURN_IF_ERROR(store.WriteGenesis(genesis.file_bytes, initial.writes(), nodes, root));
    genesis_root = root;
  }
  TL_ASSIGN_OR_RETURN(core::Height height, store.TipHeight());
  ChainTip tip{core::Height(0), {}, genesis.genesis_time, 0, ledger::EmptyRoot(), *genesis_root,
               core::Height(0)};
  if (height.value > 0) {
    TL_ASSIGN_OR_RETURN(ledger::StoredBlock block, store.ReadBlock(height));
    if (block.header.chain_id != genesis.chain_id) {
      return core::Fail("STORAGE_CORRUPT", "the data directory belongs to another chain");
    }
    TL_ASSIGN_OR_RETURN(std::optional<core::Hash32> root, store.ReadStateRoot(height));
    if (!root) return core::Fail("STORAGE_CORRUPT", "no state root for the tip block");
    auto log = ledger::MerkleLog::Restore(block.header.log_size, store.log_nodes());
    if (!log) return core::Fail("STORAGE_CORRUPT", "transaction log: " + log.error().ToString());
    if (log->Root() != block.header.log_root) {
      return core::Fail("STORAGE_CORRUPT", "transaction log root differs from the tip header");
    }
    chain->log_ = std::move(*log);
    tip = ChainTip{height,
                   block.header.Hash(),
                   block.header.timestamp,
                   block.header.log_size,
                   block.header.log_root,
                   *root,
                   block.header.state_height};
  }
  chain->tip_ = tip;
  return chain;
}

ChainTip Chain::tip() const {
  std::lock_guard lock(mu_);
  return tip_;
}

WriteVolume Chain::written() const {
  std::lock_guard lock(mu_);
  return written_;
}

ledger::BlockHeader Chain::BuildHeader(const std::vector<ledger::SignedTransaction>& transactions,
                                       core::TimestampMs time,
                                       const ledger::PublicKey& proposer) const {
  ChainTip t = tip();
  ledger::BlockHeader h;
  h.chain_id = genesis_.chain_id;
  h.height = core::Height(t.height.value + 1);
  h.prev_hash = t.hash;
  h.timestamp = std::max(time, t.time);
  h.proposer = proposer;
  h.tx_count = static_cast<uint32_t>(transactions.size());
  std::vector<core::Hash32> leaves;
  leaves.reserve(transactions.size());
  ledger::MerkleLog log = log_;
  std::vector<ledger::LogNode> unused_nodes;
  for (const auto& tx : transactions) {
    leaves.push_back(ledger::LeafHash(tx.id().hash.span()));
    log.Append(leaves.back(), &unused_nodes);
  }
  h.tx_root = ledger::RootOfLeafHashes(leaves);
  h.log_size = log.size();
  h.log_root = log.Root();
  h.state_height = t.height;
  h.state_root = t.state_root;
  return h;
}

core::Result<Chain::Validators> Chain::NextValidators() const {
  TL_ASSIGN_OR_RETURN(std::optional<trade::ValidatorSetRecord> record,
                      trade::CurrentValidatorSet(store_.flat_state()));
  if (!record) return Validators{0, genesis_.validator_set, {}};
  std::vector<ledger::PublicKey> keys;
  for (const auto& v : record->validators) keys.push_back(v.public_key);
  TL_ASSIGN_OR_RETURN(ledger::ValidatorSet set, ledger::ValidatorSet::Create(std::move(keys)));
  return Validators{record->epoch, std::move(set), std::move(record->validators)};
}

core::Status Chain::CheckBlock(const ledger::StoredBlock& block, const ChainTip& t,
                               bool verify_signatures) const {
  const ledger::BlockHeader& h = block.header;
  if (h.chain_id != genesis_.chain_id) return Invalid(h.height, "chain id differs");
  if (h.height.value != t.height.value + 1) {
    return Invalid(h.height, "expected height " + std::to_string(t.height.value + 1));
  }
  if (h.prev_hash != t.hash) return Invalid(h.height, "previous hash does not match the chain");
  if (h.timestamp < t.time) return Invalid(h.height, "block time goes backwards");
  // The header commits the state after some executed height below it: the proposer's latest
  // executed block, which may trail the parent when consensus pipelines proposals.
  if (h.state_height > t.height || h.state_height < t.state_height_of_tip) {
    return Invalid(h.height, "state height out of range");
  }
  auto root = store_.ReadStateRoot(h.state_height);
  if (!root) return core::Fail(root.error());
  if (!*root || **root != h.state_root) {
    return Invalid(h.height, "state root does not match the executed chain");
  }
  if (h.tx_count != block.transactions.size()) return Invalid(h.height, "transaction count");
  if (h.tx_root != ledger::TransactionRoot(block.transactions)) {
    return Invalid(h.height, "transaction root does not match the transactions");
  }
  if (block.certificate.height != h.height || block.certificate.block_hash != h.Hash()) {
    return Invalid(h.height, "certificate is for another block");
  }
  TL_ASSIGN_OR_RETURN(Validators validators, NextValidators());
  if (auto cert = block.certificate.Verify(genesis_.chain_id, validators.set); !cert) {
    return Invalid(h.height, cert.error().ToString());
  }
  std::set<ledger::TxId> seen;
  for (const auto& tx : block.transactions) {
    if (tx.payload().chain_id != genesis_.chain_id) {
      return Invalid(h.height, "transaction " + tx.id().hex() + " is for another chain");
    }
    if (!seen.insert(tx.id()).second) return Invalid(h.height, "duplicate transaction");
    if (verify_signatures) {
      if (auto sig = tx.VerifySignature(); !sig) return Invalid(h.height, sig.error().ToString());
    }
  }
  return core::Ok();
}

core::Result<std::vector<TxIndexEntry>> Chain::Commit(const ledger::StoredBlock& block,
                                                      bool verify_signatures) {
  ChainTip t = tip();
  TL_RETURN_IF_ERROR(CheckBlock(block, t, verify_signatures));
  const ledger::BlockHeader& h = block.header;

  BlockWrite write;
  ledger::MerkleLog log = log_;
  trade::WorkingState state(value_cache_);
  TL_ASSIGN_OR_RETURN(int64_t trade_time, trade::TradeTime(state, h.timestamp));
  std::vector<TxIndexEntry> entries;
  entries.reserve(block.transactions.size());
  for (uint32_t i = 0; i < block.transactions.size(); ++i) {
    const ledger::SignedTransaction& tx = block.transactions[i];
    TL_ASSIGN_OR_RETURN(std::optional<TxIndexEntry> existing, store_.ReadTxIndex(tx.id()));
    if (existing) return Invalid(h.height, "transaction " + tx.id().hex() + " already committed");
    trade::TxContext ctx{tx.id().hash,      tx.signer(),
                         tx.payload().type, tx.payload().nonce,
                         tx.payload().body, core::TimestampMs(static_cast<uint64_t>(trade_time)),
                         h.height};
    TL_ASSIGN_OR_RETURN(trade::TxOutcome outcome, trade::Execute(state, ctx));
    TxIndexEntry entry{h.height, i, log.size(), outcome.code, outcome.reasons};
    log.Append(ledger::LeafHash(tx.id().hash.span()), &write.log_nodes);
    write.index.emplace_back(tx.id(), entry);
    entries.push_back(std::move(entry));
  }
  if (log.size() != h.log_size || log.Root() != h.log_root) {
    return Invalid(h.height, "transaction log root does not match");
  }

  std::vector<state::StateUpdate> updates;
  updates.reserve(state.writes().size());
  for (const auto& [key, value] : state.writes()) updates.push_back({key, value});
  TL_ASSIGN_OR_RETURN(write.state_root,
                      state::ApplyUpdates(node_cache_, t.state_root, std::move(updates),
                                          &write.state_nodes, &write.stale_nodes));
  TL_ASSIGN_OR_RETURN(write.prune, PlanStatePruning(store_, h.height, options_.state_retention,
                                                    write.state_nodes, &recent_writes_));
  write.state_writes = std::move(state).TakeWrites();
  write.encoded_block = block.Encode();
  WriteVolume volume;
  if (auto written = store_.WriteBlock(h.height, write, &volume); !written) {
    value_cache_.Clear();  // a failed synced write may still have landed
    return std::unexpected(written.error());
  }
  value_cache_.Apply(write.state_writes);
  node_cache_.AddPages(write.state_nodes);
  NoteCommittedBlock(recent_writes_, h.height, write, options_.recent_writes_limit);

  log_ = std::move(log);
  std::lock_guard lock(mu_);
  tip_ = ChainTip{h.height,   h.Hash(),         h.timestamp,   h.log_size,
                  h.log_root, write.state_root, h.state_height};
  written_ += volume;
  return entries;
}

}  // namespace tradeledger::node
