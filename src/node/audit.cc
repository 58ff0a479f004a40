#include "node/audit.h"

#include <algorithm>
#include <map>

#include "core/encoding.h"
#include "node/chain.h"
#include "node/ledger_store.h"
#include "storage/memory_store.h"

namespace tradeledger::node {
namespace {

std::unexpected<AuditFailure> Bad(core::Height height, std::string reason) {
  return std::unexpected(AuditFailure{height, std::move(reason)});
}

// The height whose block appended log leaf `leaf_index`.
core::Height HeightOfLeaf(const std::vector<uint64_t>& log_size_at, uint64_t leaf_index) {
  auto it = std::upper_bound(log_size_at.begin(), log_size_at.end(), leaf_index);
  return core::Height(static_cast<uint64_t>(it - log_size_at.begin()));
}

// Compares every entry under `prefix` in `stored` with `replayed`; returns the first key that
// differs (present in one only, or with other bytes), or nullopt.
core::Result<std::optional<core::Bytes>> FirstDifference(const storage::Store& stored,
                                                         const storage::Store& replayed,
                                                         char prefix) {
  const uint8_t p[] = {static_cast<uint8_t>(prefix)};
  auto a = stored.Scan(p);
  auto b = replayed.Scan(p);
  while (a->Valid() || b->Valid()) {
    if (!a->Valid())
      return std::optional<core::Bytes>(core::Bytes(b->key().begin(), b->key().end()));
    if (!b->Valid())
      return std::optional<core::Bytes>(core::Bytes(a->key().begin(), a->key().end()));
    core::ByteSpan ka = a->key(), kb = b->key();
    bool same_key = std::equal(ka.begin(), ka.end(), kb.begin(), kb.end());
    if (!same_key ||
        !std::equal(a->value().begin(), a->value().end(), b->value().begin(), b->value().end())) {
      bool a_first = std::lexicographical_compare(ka.begin(), ka.end(), kb.begin(), kb.end());
      core::ByteSpan k = same_key || a_first ? ka : kb;
      return std::optional<core::Bytes>(core::Bytes(k.begin(), k.end()));
    }
    a->Next();
    b->Next();
  }
  TL_RETURN_IF_ERROR(a->status());
  TL_RETURN_IF_ERROR(b->status());
  return std::optional<core::Bytes>();
}

}  // namespace

std::expected<AuditReport, AuditFailure> Audit(storage::Store& store, const Genesis& genesis,
                                               const std::function<void(core::Height)>& progress) {
  LedgerStore stored(store);
  auto genesis_file = stored.ReadGenesisFile();
  if (!genesis_file) return Bad(core::Height(0), genesis_file.error().ToString());
  if (!*genesis_file || core::AsStringView(**genesis_file) != genesis.file_bytes) {
    return Bad(core::Height(0),
               "the data directory's genesis differs from the one audited against");
  }
  auto tip = stored.TipHeight();
  if (!tip) return Bad(core::Height(0), tip.error().ToString());

  // The stored trees from the state horizon to the tip are whole and nothing older is kept
  // (ADR 0019); a replay keeping exactly as many heights ends with the same nodes, stale lists
  // and horizon whatever retention the node ran with, so they are compared below.
  auto horizon = stored.ReadStateHorizon();
  if (!horizon) return Bad(core::Height(0), horizon.error().ToString());
  uint64_t retention =
      std::max<uint64_t>(1, tip->value > horizon->value ? tip->value - horizon->value : 0);

  storage::MemoryStore scratch;
  LedgerStore replay_store(scratch);
  auto replay = Chain::Open(replay_store, genesis, ChainOptions{.state_retention = retention});
  if (!replay) return Bad(core::Height(0), replay.error().ToString());

  std::vector<uint64_t> log_size_at = {0};  // log size after each height
  for (uint64_t h = 1; h <= tip->value; ++h) {
    core::Height height(h);
    auto raw = stored.ReadBlockBytes(height);
    if (!raw) return Bad(height, raw.error().ToString());
    if (!*raw) return Bad(height, "block is missing");
    auto block = ledger::StoredBlock::Decode(**raw);
    if (!block) return Bad(height, "block does not decode: " + block.error().ToString());
    if (block->Encode() != **raw) return Bad(height, "block is not canonically encoded");
    if (block->header.height != height) return Bad(height, "block is stored under another height");
    auto entries = (*replay)->Commit(*block, /*verify_signatures=*/true);
    if (!entries) return Bad(height, entries.error().ToString());
    for (size_t i = 0; i < entries->size(); ++i) {
      const ledger::TxId& id = block->transactions[i].id();
      auto raw_entry = store.Get(LedgerStore::TxIndexKey(id));
      if (!raw_entry) return Bad(height, raw_entry.error().ToString());
      if (!*raw_entry) return Bad(height, "index entry missing for " + id.hex());
      if (**raw_entry != (*entries)[i].Encode()) {
        return Bad(height, "index entry of " + id.hex() + " differs from the replay");
      }
    }
    auto root = stored.ReadStateRoot(height);
    if (!root) return Bad(height, root.error().ToString());
    if (!*root || **root != (*replay)->tip().state_root) {
      return Bad(height, "stored state root differs from the replay");
    }
    log_size_at.push_back(block->header.log_size);
    if (progress) progress(height);
  }

  // Everything derived must match the replay, and nothing extra may be stored.
  auto index_diff = FirstDifference(store, scratch, 'X');
  if (!index_diff) return Bad(*tip, index_diff.error().ToString());
  if (*index_diff) {
    auto id = ledger::TxId{};
    core::ByteSpan key(**index_diff);
    core::Height at = *tip;
    if (key.size() == 33) {
      id.hash = *core::Hash32::FromSpan(key.subspan(1));
      if (auto entry = replay_store.ReadTxIndex(id); entry && *entry) at = (*entry)->height;
    }
    return Bad(at, "transaction index entry " + core::ToHex(key.subspan(1)) +
                       " has no matching transaction");
  }
  auto log_diff = FirstDifference(store, scratch, 'L');
  if (!log_diff) return Bad(*tip, log_diff.error().ToString());
  if (*log_diff) {
    core::Height at = *tip;
    if ((*log_diff)->size() == 13) {
      core::Decoder d(**log_diff);
      (void)d.GetU8();
      uint32_t level = *d.GetU32();
      uint64_t index = *d.GetU64();
      if (level < 64) at = HeightOfLeaf(log_size_at, index << level);
    }
    return Bad(at, "transaction log node differs from the replay");
  }
  for (char prefix : {'S', 'R', 'N', 'Z', 'Y', 'V'}) {
    auto diff = FirstDifference(store, scratch, prefix);
    if (!diff) return Bad(*tip, diff.error().ToString());
    if (*diff) {
      return Bad(*tip, std::string("state record ('") + prefix + "') " +
                           core::ToHex(core::ByteSpan(**diff).subspan(1)) +
                           " differs from the replay");
    }
  }

  node::ChainTip t = (*replay)->tip();
  return AuditReport{t.height, t.log_size, t.state_root, t.log_root};
}

}  // namespace tradeledger::node
