#include "storage/rocksdb_store.h"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/env.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/iterator.h>
#include <rocksdb/memtablerep.h>
#include <rocksdb/options.h>
#include <rocksdb/slice.h>
#include <rocksdb/slice_transform.h>
#include <rocksdb/status.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <algorithm>
#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <system_error>
#include <utility>

namespace tradeledger::storage {
namespace {

// An empty span may have a null data pointer, which RocksDB's comparisons assert against.
rocksdb::Slice ToSlice(core::ByteSpan bytes) {
  if (bytes.empty()) return rocksdb::Slice("", 0);
  return rocksdb::Slice(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

core::ByteSpan ToSpan(const rocksdb::Slice& slice) {
  return core::ByteSpan(reinterpret_cast<const uint8_t*>(slice.data()), slice.size());
}

// Damaged data is STORAGE_CORRUPT (do not retry); everything else is STORAGE_ERROR.
core::Error ToError(const rocksdb::Status& status, const std::string& what) {
  return core::Error{status.IsCorruption() ? "STORAGE_CORRUPT" : "STORAGE_ERROR",
                     what + ": " + status.ToString()};
}

rocksdb::CompressionType ToRocksDb(Compression compression) {
  switch (compression) {
    case Compression::kNone:
      return rocksdb::kNoCompression;
    case Compression::kSnappy:
      return rocksdb::kSnappyCompression;
    case Compression::kLz4:
      return rocksdb::kLZ4Compression;
    case Compression::kZstd:
      return rocksdb::kZSTD;
  }
  core::CheckFailed("known Compression", __FILE__, __LINE__);
}

// RocksDB's own messages go to standard error (the node's log), warnings and worse only,
// instead of the info LOG file RocksDB keeps in the data directory. That file shares the data
// disk: once the disk was full, its failed writes tripped an assertion in RocksDB (Debian's
// build keeps them) and the node died of SIGABRT instead of stopping with exit status 3
// (found by tests/e2e/perturbation_netns_test.sh, scenario 4). A failed write to standard
// error is ignored.
class StderrLogger : public rocksdb::Logger {
 public:
  StderrLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    std::vsnprintf(line, sizeof line, format, ap);
    std::fprintf(stderr, "rocksdb: %s\n", line);
  }
};

rocksdb::Options ToRocksDb(const RocksDbOptions& options) {
  rocksdb::Options out;
  out.info_log = std::make_shared<StderrLogger>();
  out.create_if_missing = options.create_if_missing;
  out.paranoid_checks = options.paranoid_checks;
  // After a crash, replay the log up to the first incomplete or damaged record and stop:
  // the database is the state after some prefix of the writes, which is what a node can
  // recover from (it re-fetches the rest from its peers). kAbsoluteConsistency would refuse
  // to open after an ordinary torn write at the tail.
  out.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  out.write_buffer_size = options.write_buffer_bytes;
  out.max_background_jobs = options.max_background_jobs;
  out.max_open_files = options.max_open_files;
  out.level_compaction_dynamic_level_bytes = true;
  out.compression = ToRocksDb(options.compression);
  out.bottommost_compression = ToRocksDb(options.bottommost_compression);
  // A Bloom filter over each memtable's whole keys: most point reads (state tree nodes of
  // earlier blocks, transaction ids never seen) are not in the memtable, and without it each
  // one walks the skip list (a block-commit profile put 15% of node CPU there).
  out.memtable_whole_key_filtering = true;
  out.memtable_prefix_bloom_size_ratio = 0.05;
  // Each write batch keeps, per key namespace (the first byte), where its last insert went in
  // the memtable's skip list and starts the next insert from there. Write() sorts a batch, so a
  // block's state node keys go in ascending order and each insert walks only the few entries
  // between it and the previous one (ADR 0028).
  out.memtable_insert_with_hint_prefix_extractor.reset(rocksdb::NewFixedPrefixTransform(1));

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  if (options.bloom_bits_per_key > 0) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(options.bloom_bits_per_key));
  }
  // Index and filter blocks live in the block cache, so its size bounds read memory; the
  // ones of level 0 are pinned, as they are consulted on every read.
  table.cache_index_and_filter_blocks = true;
  table.pin_l0_filter_and_index_blocks_in_cache = true;
  // Partitioned, so that a lookup loads one small (metadata_block_size) partition of a table's
  // index and Bloom filter, not the whole of them: a whole filter of a 64 MiB table is about
  // 1 MiB, the size of one shard of the cache, so every load evicted the other tables' filters
  // and lookups re-read them (a profile at 200,000 committed anchors put 73% of block commit
  // time there; doc/performance.md, scenario f). The top level of each stays pinned.
  table.index_type = rocksdb::BlockBasedTableOptions::IndexType::kTwoLevelIndexSearch;
  table.partition_filters = true;
  table.pin_top_level_index_and_filter = true;
  table.block_size = 16u << 10;
  out.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return out;
}

// A forward walk over the keys with one prefix, in one column family or merged over several
// (an empty prefix). RocksDB gives every iterator an implicit snapshot, and NewIterators one
// consistent state for all the families: the Iterator contract.
class RocksDbIterator final : public Iterator {
 public:
  RocksDbIterator(rocksdb::DB& db, const std::vector<rocksdb::ColumnFamilyHandle*>& families,
                  core::ByteSpan prefix, std::atomic<int>& live_iterators)
      : prefix_(prefix.begin(), prefix.end()),
        upper_(PrefixUpperBound(prefix)),
        live_iterators_(live_iterators) {
    ++live_iterators_;
    rocksdb::ReadOptions read;
    if (upper_) {
      upper_slice_ = ToSlice(*upper_);
      read.iterate_upper_bound = &upper_slice_;  // must outlive its_: declared before them
    }
    std::vector<rocksdb::Iterator*> raw;
    rocksdb::Status s = db.NewIterators(read, families, &raw);
    for (rocksdb::Iterator* it : raw) its_.emplace_back(it);
    if (!s.ok()) {
      error_ = ToError(s, "scan");
      its_.clear();
    }
    for (auto& it : its_) it->Seek(ToSlice(prefix_));
    PickCurrent();
  }
  ~RocksDbIterator() override {
    its_.clear();
    --live_iterators_;
  }

  // Without an upper bound (prefix all 0xff) the prefix test is what ends the walk.
  bool Valid() const override {
    return current_ != nullptr && HasPrefix(ToSpan(current_->key()), prefix_);
  }
  core::ByteSpan key() const override {
    TL_CHECK(Valid());
    return ToSpan(current_->key());
  }
  core::ByteSpan value() const override {
    TL_CHECK(Valid());
    return ToSpan(current_->value());
  }
  void Next() override {
    TL_CHECK(Valid());
    current_->Next();
    PickCurrent();
  }
  core::Status status() const override {
    if (error_) return core::Fail(*error_);
    for (const auto& it : its_) {
      if (rocksdb::Status s = it->status(); !s.ok()) return core::Fail(ToError(s, "scan"));
    }
    return core::Ok();
  }

 private:
  // The family iterator at the smallest key; none once any of them failed (status() says
  // which), so a walk never goes on past an error.
  void PickCurrent() {
    current_ = nullptr;
    for (auto& it : its_) {
      if (!it->status().ok()) {
        current_ = nullptr;
        return;
      }
      if (it->Valid() && (current_ == nullptr || it->key().compare(current_->key()) < 0)) {
        current_ = it.get();
      }
    }
  }

  core::Bytes prefix_;
  std::optional<core::Bytes> upper_;
  rocksdb::Slice upper_slice_;
  std::atomic<int>& live_iterators_;
  std::vector<std::unique_ptr<rocksdb::Iterator>> its_;
  rocksdb::Iterator* current_ = nullptr;
  std::optional<core::Error> error_;
};

// The greatest key in `family` that starts with `prefix`, as Store::Last.
core::Result<std::optional<core::Bytes>> LastIn(rocksdb::DB& db,
                                                rocksdb::ColumnFamilyHandle* family,
                                                core::ByteSpan prefix) {
  std::optional<core::Bytes> upper = PrefixUpperBound(prefix);
  rocksdb::Slice lower_slice = ToSlice(prefix);
  rocksdb::Slice upper_slice;
  rocksdb::ReadOptions read;
  read.iterate_lower_bound = &lower_slice;  // stops a backward walk over deleted keys early
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(read, family));
  if (upper) {
    // The last key <= the bound, stepping back once if it is the (excluded) bound itself.
    upper_slice = ToSlice(*upper);
    it->SeekForPrev(upper_slice);
    if (it->Valid() && it->key() == upper_slice) it->Prev();
  } else {
    it->SeekToLast();
  }
  if (!it->Valid()) {
    if (!it->status().ok()) return core::Fail(ToError(it->status(), "last"));
    return std::optional<core::Bytes>();
  }
  core::ByteSpan key = ToSpan(it->key());
  if (!HasPrefix(key, prefix)) return std::optional<core::Bytes>();
  return std::optional<core::Bytes>(core::Bytes(key.begin(), key.end()));
}

// The name of the uncompressed family for `namespaces`, which it records (hex of the bytes).
constexpr std::string_view kUncompressedFamily = "uncompressed:";
std::string UncompressedFamilyName(const std::string& namespaces) {
  return std::string(kUncompressedFamily) + core::ToHex(core::AsBytes(namespaces));
}
// The namespaces a family name records; nullopt if it is not such a name.
std::optional<std::string> NamespacesOfFamily(std::string_view name) {
  if (!name.starts_with(kUncompressedFamily)) return std::nullopt;
  std::string_view hex = name.substr(kUncompressedFamily.size());
  auto bytes = core::FromHex(hex);
  if (!bytes || bytes->empty()) return std::nullopt;
  return std::string(bytes->begin(), bytes->end());
}

}  // namespace

RocksDbStore::RocksDbStore(std::string path, std::unique_ptr<rocksdb::DB> db,
                           std::vector<rocksdb::ColumnFamilyHandle*> families,
                           const std::string& uncompressed_namespaces,
                           size_t uncompressed_memtable_bytes)
    : path_(std::move(path)),
      db_(std::move(db)),
      families_(std::move(families)),
      uncompressed_memtable_bytes_(uncompressed_memtable_bytes) {
  family_of_byte_.fill(families_.front());
  for (unsigned char c : uncompressed_namespaces) family_of_byte_[c] = families_.back();
  if (families_.size() > 1) uncompressed_ = families_.back();
  switch_at_ = NextSwitchPoint();
}

size_t RocksDbStore::NextSwitchPoint() {
  const size_t quarter = std::max<size_t>(uncompressed_memtable_bytes_ / 4, 1);
  return 3 * quarter + switch_jitter_() % (2 * quarter);
}

core::Result<std::unique_ptr<RocksDbStore>> RocksDbStore::Open(const std::string& path,
                                                               const RocksDbOptions& options) {
  if (options.max_background_jobs < 1) {
    return core::Fail("STORAGE_ERROR", "max_background_jobs must be at least 1");
  }
  rocksdb::Options db_options = ToRocksDb(options);
  // An existing database keeps the families it was made with; only a new one takes the
  // namespaces of `options`. (A directory too damaged to list is left to Open to report.)
  std::string namespaces = options.uncompressed_namespaces;
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, path, &existing).ok()) {
    namespaces.clear();
    for (const std::string& name : existing) {
      if (!name.starts_with(kUncompressedFamily)) continue;
      auto decoded = NamespacesOfFamily(name);
      if (!decoded) return core::Fail("STORAGE_CORRUPT", path + ": column family " + name);
      namespaces = *decoded;
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors = {
      {rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions(db_options)}};
  if (!namespaces.empty()) {
    rocksdb::ColumnFamilyOptions uncompressed(db_options);
    uncompressed.compression = rocksdb::kNoCompression;
    uncompressed.bottommost_compression = rocksdb::kNoCompression;
    // Appends instead of skip-list inserts (see the header); a vector takes no concurrent
    // inserts, which only matter to a database with several concurrent writers.
    uncompressed.memtable_factory = std::make_shared<rocksdb::VectorRepFactory>();
    db_options.allow_concurrent_memtable_write = false;
    descriptors.push_back({UncompressedFamilyName(namespaces), uncompressed});
    db_options.create_missing_column_families = existing.empty();
  }
  rocksdb::DB* raw = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, descriptors, &handles, &raw);
  std::unique_ptr<rocksdb::DB> db(raw);
  if (!s.ok()) {
    // RocksDB reports a held lock as an I/O error on <path>/LOCK, whether the holder is this
    // process (its own table of locked files) or another (fcntl).
    if (s.IsIOError() && s.ToString().find(path + "/LOCK") != std::string::npos) {
      return core::Fail("STORAGE_LOCKED", path + " is in use: " + s.ToString());
    }
    // A database whose CURRENT names a file that is gone is damaged, not merely unreadable.
    std::error_code ec;
    if (s.IsPathNotFound() && std::filesystem::exists(path + "/CURRENT", ec)) {
      return core::Fail("STORAGE_CORRUPT", "open " + path + ": " + s.ToString());
    }
    return core::Fail(ToError(s, "open " + path));
  }
  TL_CHECK(db != nullptr && handles.size() == descriptors.size());
  return std::unique_ptr<RocksDbStore>(new RocksDbStore(
      path, std::move(db), std::move(handles), namespaces, options.uncompressed_memtable_bytes));
}

RocksDbStore::~RocksDbStore() {
  // An iterator outliving its store would read freed memory: fail fast instead.
  TL_CHECK(live_iterators_.load() == 0);
  for (rocksdb::ColumnFamilyHandle* family : families_) {
    (void)db_->DestroyColumnFamilyHandle(family);
  }
  // Close() only fails with unreleased snapshots, which this class never takes.
  (void)db_->Close();
  db_.reset();
}

rocksdb::ColumnFamilyHandle* RocksDbStore::FamilyOf(core::ByteSpan key) const {
  return key.empty() ? families_.front() : family_of_byte_[key[0]];
}

bool RocksDbStore::InUncompressedFamily(core::ByteSpan key) const {
  return uncompressed_ != nullptr && FamilyOf(key) == uncompressed_;
}

core::Result<std::optional<core::Bytes>> RocksDbStore::Get(core::ByteSpan key) const {
  // For the uncompressed family the lock is held through the database read as well. The
  // database runs up to one batch ahead of the copy (a batch is copied after its write), so a
  // reader that missed the copy, let go, and then read the database could see that batch, and
  // on its next read find the copy's older value: a read going back in time. Under the lock
  // the copy cannot change between the miss and the read, and each later copy is of a batch
  // no older than what the database showed.
  std::shared_lock<std::shared_mutex> lock;
  if (InUncompressedFamily(key)) {
    lock = std::shared_lock(recent_mu_);
    RecentWrites::Found found = recent_.Find(key);
    if (found.written) {
      if (!found.value) return std::optional<core::Bytes>();
      return std::optional<core::Bytes>(core::Bytes(found.value->begin(), found.value->end()));
    }
  }
  rocksdb::PinnableSlice value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), FamilyOf(key), ToSlice(key), &value);
  if (s.IsNotFound()) return std::optional<core::Bytes>();
  if (!s.ok()) return core::Fail(ToError(s, "get"));
  core::ByteSpan bytes = ToSpan(value);
  return std::optional<core::Bytes>(core::Bytes(bytes.begin(), bytes.end()));
}

core::Status RocksDbStore::Write(const WriteBatch& batch, WriteOptions options) {
  // The operations go into RocksDB's batch in key order (stable, so two operations on one key
  // keep their order and the later still wins): the memtable's skip list then reuses the
  // position of each insert for the next, instead of searching from its top level for each of
  // a block's thousands of random state node keys (doc/performance.md, ADR 0028). A batch is
  // applied atomically, so the order of distinct keys within it is not observable.
  std::vector<WriteBatch::Op> sorted = batch.ops();
  bool uncompressed = false;
  for (const WriteBatch::Op& op : sorted) {
    uncompressed = uncompressed || InUncompressedFamily(op.key);
  }
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const WriteBatch::Op& a, const WriteBatch::Op& b) {
                     return std::lexicographical_compare(a.key.data(), a.key.data() + a.key.size(),
                                                         b.key.data(), b.key.data() + b.key.size());
                   });
  // Sized up front: the batch is one string, and a block's grows to megabytes, so appending
  // without a reservation copied it at every doubling and faulted in fresh pages each time.
  // Per operation RocksDB adds a tag, a family id and two lengths (at most 16 bytes), and a
  // 12-byte header to the batch.
  rocksdb::WriteBatch rocks_batch(12 + batch.size_bytes() + 16 * batch.count());
  for (const WriteBatch::Op& op : sorted) {
    rocksdb::Status s;
    switch (op.type) {
      case WriteBatch::OpType::kPut:
        s = rocks_batch.Put(FamilyOf(op.key), ToSlice(op.key), ToSlice(op.value));
        break;
      case WriteBatch::OpType::kDelete:
        s = rocks_batch.Delete(FamilyOf(op.key), ToSlice(op.key));
        break;
    }
    if (!s.ok()) return core::Fail(ToError(s, "write batch"));
  }
  rocksdb::WriteOptions write;
  write.sync = options.sync;
  write.disableWAL = false;  // the log is what makes a batch atomic and durable
  std::unique_lock<std::mutex> serial;
  if (uncompressed) serial = std::unique_lock(write_mu_);
  rocksdb::Status s = db_->Write(write, &rocks_batch);
  if (!s.ok()) return core::Fail(ToError(s, "write"));
  // Copied after the write: a reader never sees a value the database may not hold. Until the
  // copy is made, a reader of one of these keys reads the memtable itself (slower, the same).
  if (uncompressed) NoteUncompressedWrites(sorted);
  return core::Ok();
}

void RocksDbStore::NoteUncompressedWrites(const std::vector<WriteBatch::Op>& ops) {
  {
    std::unique_lock lock(recent_mu_);
    for (const WriteBatch::Op& op : ops) {
      if (!InUncompressedFamily(op.key)) continue;
      std::optional<core::ByteSpan> value;
      if (op.type == WriteBatch::OpType::kPut) value = op.value;
      recent_.Put(op.key, value);
    }
  }
  if (recent_.bytes() >= switch_at_) SwitchUncompressedMemtable();
}

void RocksDbStore::SwitchUncompressedMemtable() {
  rocksdb::FlushOptions flush;
  flush.wait = false;
  // The switch itself is synchronous; do not also wait for earlier flushes to make room.
  flush.allow_write_stall = true;
  if (!db_->Flush(flush, uncompressed_).ok()) return;  // retried after the next write
  switch_at_ = NextSwitchPoint();
  std::unique_lock lock(recent_mu_);
  recent_.Clear();
}

std::unique_ptr<Iterator> RocksDbStore::Scan(core::ByteSpan prefix) const {
  if (prefix.empty()) {
    return std::make_unique<RocksDbIterator>(*db_, families_, prefix, live_iterators_);
  }
  return std::make_unique<RocksDbIterator>(*db_, std::vector{FamilyOf(prefix)}, prefix,
                                           live_iterators_);
}

core::Result<std::optional<core::Bytes>> RocksDbStore::Last(core::ByteSpan prefix) const {
  if (!prefix.empty()) return LastIn(*db_, FamilyOf(prefix), prefix);
  std::optional<core::Bytes> last;
  for (rocksdb::ColumnFamilyHandle* family : families_) {
    TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> found, LastIn(*db_, family, prefix));
    if (found && (!last || *found > *last)) last = std::move(found);
  }
  return last;
}

core::Status RocksDbStore::Flush() {
  std::lock_guard serial(write_mu_);
  rocksdb::FlushOptions flush;
  flush.wait = true;
  rocksdb::Status s = db_->Flush(flush, families_);
  if (!s.ok()) return core::Fail(ToError(s, "flush"));
  std::unique_lock lock(recent_mu_);
  recent_.Clear();
  return core::Ok();
}

core::Result<uint64_t> RocksDbStore::ApproximateDiskBytes() const {
  std::error_code ec;
  std::filesystem::directory_iterator dir(path_, ec);
  if (ec) return core::Fail("STORAGE_ERROR", "list " + path_ + ": " + ec.message());
  uint64_t total = 0;
  for (; dir != std::filesystem::directory_iterator(); dir.increment(ec)) {
    // A file may vanish under us (compaction deletes obsolete tables): skip it.
    std::error_code file_ec;
    if (!dir->is_regular_file(file_ec)) continue;
    uint64_t size = dir->file_size(file_ec);
    if (!file_ec) total += size;
  }
  if (ec) return core::Fail("STORAGE_ERROR", "list " + path_ + ": " + ec.message());
  return total;
}

}  // namespace tradeledger::storage
