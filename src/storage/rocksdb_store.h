// The on-disk Store: one RocksDB database in one directory.
//
// Keys live in the default column family, except those whose first byte is one of
// RocksDbOptions::uncompressed_namespaces: they live in a column family of their own whose
// table files are never compressed (values that do not compress, such as hashes, only cost
// CPU to try; ADR 0029). Get, Write, Scan and Last route each key or prefix by its first byte;
// a batch stays atomic across both families (they share the write-ahead log), and a scan with
// an empty prefix merges them in key order. The family's name records the namespaces, and an
// existing database keeps the families it was created with whatever the options say, so every
// opener routes keys as its creator did.
//
// The uncompressed family is for keys that come at a high rate in random order and are read
// back rarely, soon after they are written (state tree nodes: hundreds per block, written once
// and deleted once). Its memtable is an unsorted vector (RocksDB's VectorRep), so an insert
// is an append instead of a skip-list walk that misses the CPU cache at every level
// (doc/performance.md, "Appends instead of skip-list inserts"); the vector is sorted once, when
// the memtable is switched for a new one. A point read that reached the current vector would
// have to copy and sort it, so the store keeps a copy of every write made to the family since
// its memtable was last switched and answers Get from the copy; a key the copy lacks is not in
// the current memtable, whose Bloom filter then skips it. The store switches that memtable
// itself (a flush it does not wait for) once about uncompressed_memtable_bytes of keys and
// values have gone into it, and then drops the copy. "About": each switch point is drawn
// uniformly from 3/4 to 5/4 of it, so that validators, which write the same blocks, do not
// all switch and flush at the same block (on shared CPUs their simultaneous flushes stalled
// every one of them at once; doc/performance.md). A Scan is not served from the copy: it sorts a
// copy of the current vector, once per scan (audits and tools, not the commit path).
//
// Every Write is one RocksDB WriteBatch, so it is atomic across a crash; with sync=true the
// write-ahead log is fsynced before Write returns. On restart RocksDB replays the log up to
// the last complete batch (point-in-time recovery), so a node killed at any instant reopens
// to the state after some prefix of its writes, containing every synced one. The choices
// behind the options are in doc/adr/0005-storage.md.
//
// One process, one opener: RocksDB holds an fcntl lock on <path>/LOCK while open, so a
// second Open of the same directory, from this process or another, fails with
// STORAGE_LOCKED until the first store is destroyed.
//
// Thread safety: as Store. Iterators must be destroyed before the store (checked: destroying
// the store with a live iterator is a bug and aborts).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <shared_mutex>
#include <string>
#include <vector>

#include "storage/recent_writes.h"
#include "storage/store.h"

namespace rocksdb {
class ColumnFamilyHandle;
class DB;
}  // namespace rocksdb

namespace tradeledger::storage {

enum class Compression {
  kNone,
  kSnappy,
  kLz4,
  kZstd,
};

struct RocksDbOptions {
  // Create the database if the directory holds none. The parent directory must exist. If
  // false, opening a directory without a database fails with STORAGE_ERROR.
  bool create_if_missing = true;

  // Verify checksums aggressively and refuse to open (STORAGE_CORRUPT) rather than silently
  // drop data when a file is damaged. Turn off only to salvage a damaged database.
  bool paranoid_checks = true;

  // Size of the LRU cache of uncompressed data, index and filter blocks, shared by all
  // files of this database. Bounds most of the read-side memory.
  size_t block_cache_bytes = 64u << 20;

  // Bits per key of the Bloom filter in each table file; 10 gives about 1% false positives,
  // so a Get for a missing key (e.g. "is this document id taken?") rarely touches the disk.
  // 0 disables the filter.
  int bloom_bits_per_key = 10;

  // Compression of table files in all levels but the last. LZ4 is cheap enough for the write
  // path; block data (signatures, hashes) compresses little, documents compress well.
  Compression compression = Compression::kLz4;
  // Compression of the last level, which holds most of the data and is rewritten least.
  Compression bottommost_compression = Compression::kZstd;

  // Size of one memtable before it is flushed to a table file.
  size_t write_buffer_bytes = 64u << 20;

  // Threads for background flushes and compactions.
  int max_background_jobs = 4;

  // Table files kept open (-1: all, the fastest; set a limit if file descriptors are short).
  int max_open_files = -1;

  // First key bytes whose keys go to the uncompressed column family (see the top of this
  // file), for a database this Open creates; an existing one keeps its own.
  std::string uncompressed_namespaces;

  // Bytes of keys and values written to the uncompressed family after which the store switches
  // its memtable, on average (see the top of this file; each switch comes after 3/4 to 5/4 of
  // it). 5/4 of it stays below write_buffer_bytes, so that the switch is normally the store's;
  // the store's copy of the family's latest writes is at most that large (plus one batch).
  size_t uncompressed_memtable_bytes = 48u << 20;
};

class RocksDbStore final : public Store {
 public:
  // Opens, or creates, the database in directory `path`. Fails with STORAGE_LOCKED if another
  // store (in this process or another) has it open, STORAGE_CORRUPT if its files are damaged
  // (e.g. a garbled CURRENT or MANIFEST), STORAGE_ERROR otherwise. Never crashes on a bad
  // directory.
  [[nodiscard]] static core::Result<std::unique_ptr<RocksDbStore>> Open(
      const std::string& path, const RocksDbOptions& options);

  // Closes the database and releases its lock. Unsynced writes already handed to the OS are
  // kept; call Flush() or write with sync=true first if they matter.
  ~RocksDbStore() override;

  core::Result<std::optional<core::Bytes>> Get(core::ByteSpan key) const override;
  core::Status Write(const WriteBatch& batch, WriteOptions options) override;
  std::unique_ptr<Iterator> Scan(core::ByteSpan prefix) const override;
  core::Result<std::optional<core::Bytes>> Last(core::ByteSpan prefix) const override;

  // Writes the memtables to table files and waits for it, so the write-ahead log can be
  // recycled. Not needed for durability (synced writes already are durable).
  [[nodiscard]] core::Status Flush();

  // Approximate bytes the database takes on disk: the sum of the sizes of the files in its
  // directory (tables, logs, manifest). For benchmarks and metrics.
  [[nodiscard]] core::Result<uint64_t> ApproximateDiskBytes() const;

  const std::string& path() const { return path_; }

 private:
  RocksDbStore(std::string path, std::unique_ptr<rocksdb::DB> db,
               std::vector<rocksdb::ColumnFamilyHandle*> families,
               const std::string& uncompressed_namespaces, size_t uncompressed_memtable_bytes);
  // The family that holds `key` (or every key with that prefix); the default for an empty one.
  rocksdb::ColumnFamilyHandle* FamilyOf(core::ByteSpan key) const;
  bool InUncompressedFamily(core::ByteSpan key) const;
  // Copies the batch's operations on the uncompressed family, just written, into recent_, and
  // switches that family's memtable once recent_ has reached switch_at_. The caller holds
  // write_mu_.
  void NoteUncompressedWrites(const std::vector<WriteBatch::Op>& ops);
  // Switches the uncompressed family's memtable (its flush runs in the background), draws the
  // next switch point and drops the copy of its writes; keeps the copy if RocksDB refuses the
  // switch. The caller holds write_mu_.
  void SwitchUncompressedMemtable();

  std::string path_;
  std::unique_ptr<rocksdb::DB> db_;
  // The open families, default first; owned (destroyed before the database is closed).
  std::vector<rocksdb::ColumnFamilyHandle*> families_;
  std::array<rocksdb::ColumnFamilyHandle*, 256> family_of_byte_{};
  // The uncompressed family, nullptr if the database has none.
  rocksdb::ColumnFamilyHandle* uncompressed_ = nullptr;
  const size_t uncompressed_memtable_bytes_;
  // Serialises writers that touch the uncompressed family, so that recent_ takes their
  // operations in the order RocksDB applied them.
  std::mutex write_mu_;
  // The uncompressed family's writes since its memtable was last switched: each key's latest
  // value, nullopt for a deletion (see the top of this file).
  mutable std::shared_mutex recent_mu_;
  RecentWrites recent_;
  // Where the next switch comes (recent_.bytes()), and what draws it; written under write_mu_.
  std::minstd_rand switch_jitter_{std::random_device{}()};
  size_t switch_at_ = 0;
  size_t NextSwitchPoint();  // 3/4 to 5/4 of uncompressed_memtable_bytes_, uniformly
  // Iterators alive, so that destroying the store under one is caught.
  mutable std::atomic<int> live_iterators_{0};
};

}  // namespace tradeledger::storage
