#include "node/ledger_store.h"

#include "core/encoding.h"

namespace tradeledger::node {
namespace {

constexpr uint8_t kIndexVersion = 1;
constexpr uint8_t kStaleListVersion = 1;
constexpr size_t kBirthBytes = 8;
constexpr size_t kMaxResultCodeLength = 128;
constexpr uint32_t kMaxReasons = 64;

core::Bytes WithPrefix(char prefix, core::ByteSpan rest) {
  core::Bytes key;
  key.reserve(1 + rest.size());
  key.push_back(static_cast<uint8_t>(prefix));
  key.insert(key.end(), rest.begin(), rest.end());
  return key;
}

core::Bytes HeightKey(char prefix, core::Height height) {
  core::Encoder e(9);
  e.PutU8(static_cast<uint8_t>(prefix)).PutU64(height.value);
  return std::move(e).Take();
}

core::Error Corrupt(const std::string& what, const core::Error& cause) {
  return core::Error{"STORAGE_CORRUPT", what + ": " + cause.ToString()};
}

}  // namespace

core::Bytes TxIndexEntry::Encode() const {
  core::Encoder e(32 + result_code.size());
  e.PutU8(kIndexVersion).PutU64(height.value).PutU32(position).PutU64(leaf_index);
  e.PutString(result_code);
  if (!reasons.empty()) {
    e.PutU32(static_cast<uint32_t>(reasons.size()));
    for (const std::string& r : reasons) e.PutString(r);
  }
  return std::move(e).Take();
}

core::Result<TxIndexEntry> TxIndexEntry::Decode(core::ByteSpan bytes) {
  core::Decoder d(bytes);
  TL_RETURN_IF_ERROR(d.ExpectVersion(kIndexVersion));
  TxIndexEntry e;
  TL_ASSIGN_OR_RETURN(e.height.value, d.GetU64());
  TL_ASSIGN_OR_RETURN(e.position, d.GetU32());
  TL_ASSIGN_OR_RETURN(e.leaf_index, d.GetU64());
  TL_ASSIGN_OR_RETURN(e.result_code, d.GetString(kMaxResultCodeLength));
  if (d.remaining() > 0) {
    TL_ASSIGN_OR_RETURN(uint32_t n, d.GetCount(kMaxReasons));
    // Written only when there are reasons: an empty list is not canonical.
    if (n == 0) return core::Fail("ENCODING_NONCANONICAL", "an empty reason list is not written");
    for (uint32_t i = 0; i < n; ++i) {
      TL_ASSIGN_OR_RETURN(std::string r, d.GetString(kMaxResultCodeLength));
      e.reasons.push_back(std::move(r));
    }
  }
  TL_RETURN_IF_ERROR(d.Finish());
  return e;
}

storage::RocksDbOptions NodeStoreOptions() {
  storage::RocksDbOptions options;
  options.uncompressed_namespaces = kUncompressedNamespaces;
  return options;
}

core::Bytes LedgerStore::BlockKey(core::Height height) { return HeightKey('B', height); }
core::Bytes LedgerStore::StateRootKey(core::Height height) { return HeightKey('R', height); }
core::Bytes LedgerStore::StaleNodesKey(core::Height height) { return HeightKey('Z', height); }
core::Bytes LedgerStore::StateHorizonKey() { return {static_cast<uint8_t>('Y')}; }
core::Bytes LedgerStore::TxIndexKey(const ledger::TxId& id) {
  return WithPrefix('X', id.hash.span());
}
core::Bytes LedgerStore::StateNodeKey(const core::Hash32& hash) {
  return WithPrefix('N', hash.span());
}
core::Bytes LedgerStore::StateValueKey(core::ByteSpan state_key) {
  return WithPrefix('S', state_key);
}
core::Bytes LedgerStore::LogNodeKey(uint32_t level, uint64_t index) {
  core::Encoder e(13);
  e.PutU8('L').PutU32(level).PutU64(index);
  return std::move(e).Take();
}

core::Result<core::Height> LedgerStore::TipHeight() const {
  const uint8_t prefix[] = {'B'};
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> last, store_.Last(prefix));
  if (!last) return core::Height(0);
  core::Decoder d(*last);
  (void)d.GetU8();
  auto height = d.GetU64();
  if (!height || !d.Finish()) return core::Fail("STORAGE_CORRUPT", "malformed block key");
  return core::Height(*height);
}

core::Result<std::optional<core::Bytes>> LedgerStore::ReadBlockBytes(core::Height height) const {
  return store_.Get(BlockKey(height));
}

core::Result<ledger::StoredBlock> LedgerStore::ReadBlock(core::Height height) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, ReadBlockBytes(height));
  if (!raw) return core::Fail("NOT_FOUND", "no block at height " + height.ToString());
  auto block = ledger::StoredBlock::Decode(*raw);
  if (!block) return core::Fail(Corrupt("block " + height.ToString(), block.error()));
  return std::move(*block);
}

core::Result<ledger::BlockExcerpt> LedgerStore::ReadBlockExcerpt(
    core::Height height, std::optional<uint32_t> position) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, ReadBlockBytes(height));
  if (!raw) return core::Fail("NOT_FOUND", "no block at height " + height.ToString());
  auto excerpt = ledger::DecodeBlockExcerpt(*raw, position);
  if (!excerpt) return core::Fail(Corrupt("block " + height.ToString(), excerpt.error()));
  return std::move(*excerpt);
}

core::Result<std::optional<TxIndexEntry>> LedgerStore::ReadTxIndex(const ledger::TxId& id) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, store_.Get(TxIndexKey(id)));
  if (!raw) return std::optional<TxIndexEntry>();
  auto entry = TxIndexEntry::Decode(*raw);
  if (!entry) return core::Fail(Corrupt("index of " + id.hex(), entry.error()));
  return std::optional<TxIndexEntry>(*entry);
}

core::Result<std::optional<core::Hash32>> LedgerStore::ReadStateRoot(core::Height height) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, store_.Get(StateRootKey(height)));
  if (!raw) return std::optional<core::Hash32>();
  auto root = core::Hash32::FromSpan(*raw);
  if (!root) return core::Fail(Corrupt("state root " + height.ToString(), root.error()));
  return std::optional<core::Hash32>(*root);
}

core::Result<core::Height> LedgerStore::ReadStateHorizon() const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, store_.Get(StateHorizonKey()));
  if (!raw) return core::Height(0);
  core::Decoder d(*raw);
  auto height = d.GetU64();
  if (!height || !d.Finish()) return core::Fail("STORAGE_CORRUPT", "malformed state horizon");
  return core::Height(*height);
}

core::Result<std::vector<core::Hash32>> LedgerStore::ReadStaleNodes(core::Height height) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, store_.Get(StaleNodesKey(height)));
  std::vector<core::Hash32> out;
  if (!raw) return out;
  if (raw->empty() || (*raw)[0] != kStaleListVersion || (raw->size() - 1) % 32 != 0) {
    return core::Fail("STORAGE_CORRUPT", "malformed stale node list " + height.ToString());
  }
  out.reserve((raw->size() - 1) / 32);
  for (size_t at = 1; at < raw->size(); at += 32) {
    out.push_back(*core::Hash32::FromSpan(core::ByteSpan(*raw).subspan(at, 32)));
  }
  return out;
}

core::Result<std::optional<core::Height>> LedgerStore::ReadNodeBirth(
    const core::Hash32& node_hash) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, store_.Get(StateNodeKey(node_hash)));
  if (!raw) return std::optional<core::Height>();
  if (raw->size() < kBirthBytes) {
    return core::Fail("STORAGE_CORRUPT", "state node " + node_hash.hex() + " has no birth");
  }
  core::Decoder d(core::ByteSpan(*raw).subspan(raw->size() - kBirthBytes));
  return std::optional<core::Height>(core::Height(*d.GetU64()));
}

core::Result<std::optional<uint32_t>> LedgerStore::ReadLayoutVersion() const {
  const uint8_t key[] = {'V'};
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, store_.Get(key));
  if (!raw) return std::optional<uint32_t>();
  core::Decoder d(*raw);
  auto version = d.GetU32();
  if (!version || !d.Finish()) return core::Fail("STORAGE_CORRUPT", "malformed layout version");
  return std::optional<uint32_t>(*version);
}

core::Result<core::Hash32> LedgerStore::LogNodes::Node(uint32_t level, uint64_t index) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, s_.store_.Get(LogNodeKey(level, index)));
  if (!raw) {
    return core::Fail("NOT_FOUND",
                      "log node " + std::to_string(level) + "/" + std::to_string(index));
  }
  auto hash = core::Hash32::FromSpan(*raw);
  if (!hash) return core::Fail(Corrupt("log node", hash.error()));
  return *hash;
}

core::Result<std::optional<core::Bytes>> LedgerStore::StateNodes::Get(
    const core::Hash32& node_hash) const {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, s_.store_.Get(StateNodeKey(node_hash)));
  if (!raw) return raw;
  if (raw->size() < kBirthBytes) {
    return core::Fail("STORAGE_CORRUPT", "state node " + node_hash.hex() + " has no birth");
  }
  raw->resize(raw->size() - kBirthBytes);
  return raw;
}

core::Result<std::optional<core::Bytes>> LedgerStore::FlatState::Get(
    core::ByteSpan state_key) const {
  return s_.store_.Get(StateValueKey(state_key));
}

core::Result<std::vector<std::string>> LedgerStore::ListStateKeys(std::string_view prefix,
                                                                  std::string_view after,
                                                                  size_t limit) const {
  std::vector<std::string> keys;
  auto it = store_.Scan(StateValueKey(core::AsBytes(prefix)));
  for (; it->Valid() && keys.size() < limit; it->Next()) {
    core::ByteSpan key = it->key().subspan(1);  // without the 'S' namespace
    std::string_view text(reinterpret_cast<const char*>(key.data()), key.size());
    if (!after.empty() && text <= after) continue;
    keys.emplace_back(text);
  }
  TL_RETURN_IF_ERROR(it->status());
  return keys;
}

void LedgerStore::AddStateValues(storage::WriteBatch& batch,
                                 const trade::WorkingState::Writes& writes) const {
  for (const auto& [key, value] : writes) {
    if (value) {
      batch.Put(StateValueKey(key), *value);
    } else {
      batch.Delete(StateValueKey(key));
    }
  }
}

void LedgerStore::AddStateTree(storage::WriteBatch& batch,
                               const std::vector<state::NodeWrite>& nodes, core::Height height,
                               const core::Hash32& root) const {
  for (const state::NodeWrite& n : nodes) {
    core::Encoder value(n.encoded.size() + kBirthBytes);
    state::PutStoredNodeEncoding(value, n.encoded);
    value.PutU64(height.value);
    batch.Put(StateNodeKey(n.hash), std::move(value).Take());
  }
  batch.Put(StateRootKey(height), root.span());
}

void LedgerStore::AddPruning(storage::WriteBatch& batch, core::Height height,
                             const std::vector<core::Hash32>& stale,
                             const StatePrunePlan& prune) const {
  if (!stale.empty()) {
    core::Bytes list;
    list.reserve(1 + 32 * stale.size());
    list.push_back(kStaleListVersion);
    for (const core::Hash32& h : stale) list.insert(list.end(), h.data.begin(), h.data.end());
    batch.Put(StaleNodesKey(height), list);
  }
  for (const core::Hash32& h : prune.delete_nodes) batch.Delete(StateNodeKey(h));
  for (core::Height pruned : prune.heights) batch.Delete(StaleNodesKey(pruned));
  if (!prune.heights.empty()) {
    core::Encoder e(8);
    e.PutU64(prune.heights.back().value);
    batch.Put(StateHorizonKey(), std::move(e).Take());
  }
}

core::Status LedgerStore::WriteBlock(core::Height height, const BlockWrite& write,
                                     WriteVolume* volume) {
  storage::WriteBatch batch;
  // Sized up front (a block's batch runs to megabytes): keys are at most 33 bytes but for
  // state values, whose sizes are added exactly; index entries and log hashes under 64.
  size_t ops = 3 + write.index.size() + write.log_nodes.size() + write.state_writes.size() +
               write.state_nodes.size() + write.prune.delete_nodes.size() +
               write.prune.heights.size();
  size_t bytes = write.encoded_block.size() + 64 * (write.index.size() + write.log_nodes.size()) +
                 33 * (write.stale_nodes.size() + write.prune.delete_nodes.size());
  for (const auto& [key, value] : write.state_writes) {
    bytes += 1 + key.size() + (value ? value->size() : 0);
  }
  for (const state::NodeWrite& n : write.state_nodes) bytes += 33 + n.encoded.size() + kBirthBytes;
  batch.Reserve(ops, bytes + 256);
  WriteVolume measured;
  // Each part is what the batch grew by while it was added.
  auto add = [&batch](WriteVolume::Part& part, auto&& add_part) {
    const size_t ops_before = batch.count(), bytes_before = batch.size_bytes();
    add_part();
    part.ops += batch.count() - ops_before;
    part.bytes += batch.size_bytes() - bytes_before;
  };
  add(measured.block, [&] { batch.Put(BlockKey(height), write.encoded_block); });
  add(measured.index, [&] {
    for (const auto& [id, entry] : write.index) batch.Put(TxIndexKey(id), entry.Encode());
    for (const ledger::LogNode& n : write.log_nodes) {
      batch.Put(LogNodeKey(n.level, n.index), n.hash.span());
    }
  });
  add(measured.state_values, [&] { AddStateValues(batch, write.state_writes); });
  add(measured.state_tree,
      [&] { AddStateTree(batch, write.state_nodes, height, write.state_root); });
  add(measured.pruning, [&] { AddPruning(batch, height, write.stale_nodes, write.prune); });
  if (volume != nullptr) *volume = measured;
  return store_.Write(batch, storage::WriteOptions{.sync = true});
}

core::Result<std::vector<std::pair<ledger::BlockHash, core::Bytes>>> LedgerStore::ReadLockedBlocks()
    const {
  const uint8_t prefix[] = {'P'};
  std::vector<std::pair<ledger::BlockHash, core::Bytes>> out;
  auto it = store_.Scan(prefix);
  for (; it->Valid(); it->Next()) {
    core::ByteSpan key = it->key();
    if (key.size() != 33) return core::Fail("STORAGE_CORRUPT", "locked block key");
    auto hash = core::Hash32::FromSpan(key.subspan(1));
    if (!hash) return core::Fail("STORAGE_CORRUPT", "locked block key");
    out.emplace_back(ledger::BlockHash{*hash}, core::Bytes(it->value().begin(), it->value().end()));
  }
  TL_RETURN_IF_ERROR(it->status());
  return out;
}

core::Status LedgerStore::UpdateLockedBlocks(
    const std::vector<std::pair<ledger::BlockHash, core::Bytes>>& add,
    const std::vector<ledger::BlockHash>& remove) {
  storage::WriteBatch batch;
  for (const ledger::BlockHash& hash : remove) batch.Delete(WithPrefix('P', hash.hash.span()));
  for (const auto& [hash, proposal] : add) batch.Put(WithPrefix('P', hash.hash.span()), proposal);
  if (batch.empty()) return core::Ok();
  return store_.Write(batch, storage::WriteOptions{.sync = false});
}

core::Result<std::optional<core::Bytes>> LedgerStore::ReadGenesisFile() const {
  const uint8_t key[] = {'G'};
  return store_.Get(key);
}

core::Status LedgerStore::WriteGenesis(std::string_view genesis_file,
                                       const trade::WorkingState::Writes& state_writes,
                                       const std::vector<state::NodeWrite>& state_nodes,
                                       const core::Hash32& state_root) {
  storage::WriteBatch batch;
  const uint8_t key[] = {'G'};
  batch.Put(key, core::AsBytes(genesis_file));
  const uint8_t layout_key[] = {'V'};
  core::Encoder layout(4);
  layout.PutU32(kLayoutVersion);
  batch.Put(layout_key, std::move(layout).Take());
  AddStateValues(batch, state_writes);
  AddStateTree(batch, state_nodes, core::Height(0), state_root);
  return store_.Write(batch, storage::WriteOptions{.sync = true});
}

}  // namespace tradeledger::node
