// RocksDbStore specifics: durability across reopen and kill, locking, corruption, options.
// The shared Store contract is in store_test.cc.
#include "storage/rocksdb_store.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <rocksdb/db.h>
#include <rocksdb/table_properties.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "storage/test_temp_dir.h"

namespace tradeledger::storage {
namespace {

using core::Bytes;
using core::ToBytes;

Bytes BigEndian(uint64_t n) {
  Bytes out(8);
  for (int i = 7; i >= 0; --i, n >>= 8) out[static_cast<size_t>(i)] = static_cast<uint8_t>(n);
  return out;
}

uint64_t FromBigEndian(core::ByteSpan bytes) {
  uint64_t n = 0;
  for (uint8_t b : bytes) n = (n << 8) | b;
  return n;
}

Bytes Concat(std::string_view prefix, const Bytes& suffix) {
  Bytes out = ToBytes(prefix);
  out.insert(out.end(), suffix.begin(), suffix.end());
  return out;
}

// --- The crash writer: this test binary started again with TL_STORAGE_CRASH_DB set. ---
//
// It opens the database, then commits block after block, each as one synced batch holding
// the block and the two halves of a "tip" record, and reports every acknowledged height on
// the file descriptor TL_STORAGE_CRASH_FD, until the parent kills it with SIGKILL. It runs as
// a global test environment, so after main() started (RocksDB's statics are ready) and
// before any test, and never returns.
[[noreturn]] void RunCrashWriter(const char* db_path, int ack_fd) {
  auto opened = RocksDbStore::Open(db_path, RocksDbOptions{});
  if (!opened) ::_exit(2);
  RocksDbStore& store = **opened;
  auto last = store.Last(ToBytes("height/"));
  if (!last) ::_exit(3);
  uint64_t height = *last ? FromBigEndian(core::ByteSpan(**last).subspan(7)) : 0;
  const Bytes filler(4096, 0x5a);
  for (int i = 0; i < 1'000'000; ++i) {
    ++height;
    WriteBatch batch;
    batch.Put(Concat("height/", BigEndian(height)), filler);
    batch.Put(ToBytes("tip/a"), BigEndian(height));
    batch.Put(ToBytes("tip/b"), BigEndian(height));
    if (!store.Write(batch, WriteOptions{.sync = true})) ::_exit(4);
    Bytes ack = BigEndian(height);
    if (::write(ack_fd, ack.data(), ack.size()) != 8) ::_exit(5);
  }
  ::_exit(6);
}

class CrashWriterEnvironment final : public ::testing::Environment {
 public:
  void SetUp() override {
    const char* db = std::getenv("TL_STORAGE_CRASH_DB");
    const char* fd = std::getenv("TL_STORAGE_CRASH_FD");
    if (db != nullptr && fd != nullptr) RunCrashWriter(db, std::atoi(fd));
  }
};

// GoogleTest takes ownership.
[[maybe_unused]] ::testing::Environment* const kCrashWriterEnvironment =
    ::testing::AddGlobalTestEnvironment(new CrashWriterEnvironment);

class RocksDbStoreTest : public ::testing::Test {
 protected:
  RocksDbStoreTest()
      : dir_(::testing::UnitTest::GetInstance()->current_test_info()->name()),
        db_path_(dir_.Sub("db")) {}

  std::unique_ptr<RocksDbStore> OpenOrDie(const RocksDbOptions& options = {}) {
    auto opened = RocksDbStore::Open(db_path_, options);
    EXPECT_TRUE(opened) << opened.error().ToString();
    return opened ? std::move(*opened) : nullptr;
  }

  // Creates a database holding one synced entry and closes it.
  void CreateDatabase() {
    auto store = OpenOrDie();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Put(ToBytes("k"), ToBytes("v")));
  }

  void WriteFile(const std::string& path, const std::string& content) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
    ASSERT_TRUE(out.good());
  }

  std::string ManifestPath() {
    for (const auto& entry : std::filesystem::directory_iterator(db_path_)) {
      if (entry.path().filename().string().starts_with("MANIFEST-")) return entry.path();
    }
    ADD_FAILURE() << "no MANIFEST in " << db_path_;
    return {};
  }

  void ExpectCorrupt() {
    auto opened = RocksDbStore::Open(db_path_, RocksDbOptions{});
    ASSERT_FALSE(opened);
    EXPECT_EQ(opened.error().code, "STORAGE_CORRUPT") << opened.error().ToString();
  }

  TempDir dir_;
  std::string db_path_;
};

TEST_F(RocksDbStoreTest, SyncedWritesSurviveReopen) {
  {
    auto store = OpenOrDie();
    ASSERT_TRUE(store);
    WriteBatch batch;
    batch.Put(ToBytes("block/1"), ToBytes("one"));
    batch.Put(ToBytes("block/2"), ToBytes("two"));
    batch.Put(ToBytes("meta/tip"), ToBytes("2"));
    ASSERT_TRUE(store->Write(batch, WriteOptions{.sync = true}));
    ASSERT_TRUE(store->Delete(ToBytes("block/1")));
  }
  auto store = OpenOrDie();
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->Get(ToBytes("block/1")), std::nullopt);
  EXPECT_EQ(*store->Get(ToBytes("block/2")), ToBytes("two"));
  EXPECT_EQ(*store->Get(ToBytes("meta/tip")), ToBytes("2"));
  EXPECT_EQ(*store->Last(ToBytes("block/")), ToBytes("block/2"));
}

TEST_F(RocksDbStoreTest, UnsyncedWritesSurviveCleanClose) {
  {
    auto store = OpenOrDie();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Put(ToBytes("k"), ToBytes("v"), WriteOptions{.sync = false}));
  }
  auto store = OpenOrDie();
  ASSERT_TRUE(store);
  EXPECT_EQ(*store->Get(ToBytes("k")), ToBytes("v"));
}

TEST_F(RocksDbStoreTest, ReadsMergeTablesAndMemtableAfterFlush) {
  auto store = OpenOrDie();
  ASSERT_TRUE(store);
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(store->Put(Concat("n/", BigEndian(static_cast<uint64_t>(i))), ToBytes("flushed")));
  }
  ASSERT_TRUE(store->Flush());
  for (int i = 0; i < 100; i += 2) {
    ASSERT_TRUE(store->Delete(Concat("n/", BigEndian(static_cast<uint64_t>(i)))));
  }
  ASSERT_TRUE(store->Put(Concat("n/", BigEndian(1)), ToBytes("memtable")));
  int count = 0;
  for (auto it = store->Scan(ToBytes("n/")); it->Valid(); it->Next()) ++count;
  EXPECT_EQ(count, 50);
  EXPECT_EQ(*store->Get(Concat("n/", BigEndian(1))), ToBytes("memtable"));
  EXPECT_EQ(*store->Get(Concat("n/", BigEndian(2))), std::nullopt);
  EXPECT_EQ(*store->Last(ToBytes("n/")), Concat("n/", BigEndian(99)));
  // Delete the greatest keys: Last must step back over the tombstones.
  ASSERT_TRUE(store->Delete(Concat("n/", BigEndian(99))));
  ASSERT_TRUE(store->Delete(Concat("n/", BigEndian(97))));
  EXPECT_EQ(*store->Last(ToBytes("n/")), Concat("n/", BigEndian(95)));
}

TEST_F(RocksDbStoreTest, ApproximateDiskBytesGrowsWithData) {
  auto store = OpenOrDie();
  ASSERT_TRUE(store);
  auto before = store->ApproximateDiskBytes();
  ASSERT_TRUE(before) << before.error().ToString();
  Bytes value(1 << 16, 0x42);
  for (int i = 0; i < 32; ++i) {
    value[0] = static_cast<uint8_t>(i);
    ASSERT_TRUE(store->Put(BigEndian(static_cast<uint64_t>(i)), value));
  }
  ASSERT_TRUE(store->Flush());
  auto after = store->ApproximateDiskBytes();
  ASSERT_TRUE(after);
  EXPECT_GT(*after, *before);
}

TEST_F(RocksDbStoreTest, EveryCompressionOpens) {
  for (Compression c :
       {Compression::kNone, Compression::kSnappy, Compression::kLz4, Compression::kZstd}) {
    RocksDbOptions options;
    options.compression = c;
    options.bottommost_compression = c;
    options.bloom_bits_per_key = 0;
    auto store = OpenOrDie(options);
    ASSERT_TRUE(store) << static_cast<int>(c);
    ASSERT_TRUE(store->Put(ToBytes("k"), ToBytes("compressible compressible compressible")));
    ASSERT_TRUE(store->Flush());
    EXPECT_EQ(*store->Get(ToBytes("k")), ToBytes("compressible compressible compressible"));
  }
}

// The compression of every table file of each column family of the (closed) database.
std::map<std::string, std::set<std::string>> TableCompressions(const std::string& path) {
  std::map<std::string, std::set<std::string>> out;
  rocksdb::Options options;
  std::vector<std::string> names;
  EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(options, path, &names).ok());
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  for (const std::string& name : names) families.push_back({name, {}});
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::OpenForReadOnly(options, path, families, &handles, &raw);
  EXPECT_TRUE(s.ok()) << s.ToString();
  if (!s.ok()) return out;
  std::unique_ptr<rocksdb::DB> db(raw);
  for (rocksdb::ColumnFamilyHandle* handle : handles) {
    rocksdb::TablePropertiesCollection tables;
    EXPECT_TRUE(db->GetPropertiesOfAllTables(handle, &tables).ok());
    auto& seen = out[handle->GetName()];
    for (const auto& [file, properties] : tables) seen.insert(properties->compression_name);
    EXPECT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  return out;
}

TEST_F(RocksDbStoreTest, UncompressedNamespacesLiveInAnUncompressedFamily) {
  RocksDbOptions options;
  options.uncompressed_namespaces = "N";
  const std::string text(4096, 'a');  // compresses to almost nothing
  {
    auto store = OpenOrDie(options);
    ASSERT_TRUE(store);
    WriteBatch batch;  // one batch across both families
    for (int i = 0; i < 64; ++i) {
      batch.Put(Concat("N", BigEndian(static_cast<uint64_t>(i))), ToBytes(text));
      batch.Put(Concat("S", BigEndian(static_cast<uint64_t>(i))), ToBytes(text));
    }
    ASSERT_TRUE(store->Write(batch, {}));
    ASSERT_TRUE(store->Flush());
  }
  auto compressions = TableCompressions(db_path_);
  ASSERT_EQ(compressions.size(), 2u);
  EXPECT_EQ(compressions["default"], (std::set<std::string>{"LZ4"}));
  EXPECT_EQ(compressions["uncompressed:4e"], (std::set<std::string>{"NoCompression"}));
}

// The uncompressed family's memtable is a vector that the store switches itself, answering
// reads of its latest writes from a copy (rocksdb_store.h). Whatever the switches, every read
// must see the latest write of its key, puts and deletions alike, and so must a reopened store.
TEST_F(RocksDbStoreTest, UncompressedFamilyReadsSeeTheLatestWriteAcrossMemtableSwitches) {
  RocksDbOptions options;
  options.uncompressed_namespaces = "N";
  options.uncompressed_memtable_bytes = 4096;  // a switch every few batches
  auto key = [](uint64_t k) { return Concat("N", BigEndian(k)); };
  std::map<uint64_t, std::optional<Bytes>> model;
  uint64_t rng = 0x9e3779b97f4a7c15;
  auto next = [&rng] {
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
  };
  {
    auto store = OpenOrDie(options);
    ASSERT_TRUE(store);
    for (uint64_t round = 0; round < 600; ++round) {
      WriteBatch batch;
      for (int op = 0; op < 8; ++op) {
        uint64_t k = next() % 97;
        if (next() % 4 == 0) {
          batch.Delete(key(k));
          model[k] = std::nullopt;
        } else {
          Bytes value = Concat("v", BigEndian(round * 8 + static_cast<uint64_t>(op)));
          value.resize(64 + next() % 256, 0x33);
          batch.Put(key(k), value);
          model[k] = value;
        }
      }
      batch.Put(ToBytes("S"), BigEndian(round));  // the default family, in the same batch
      ASSERT_TRUE(store->Write(batch, WriteOptions{.sync = round % 50 == 0}));
      for (int probe = 0; probe < 4; ++probe) {
        uint64_t k = next() % 97;
        auto got = store->Get(key(k));
        ASSERT_TRUE(got) << got.error().ToString();
        auto expected = model.contains(k) ? model[k] : std::nullopt;
        ASSERT_EQ(*got, expected) << "key " << k << " after round " << round;
      }
    }
    for (const auto& [k, expected] : model) EXPECT_EQ(*store->Get(key(k)), expected) << k;
    // The store switched the family's memtable by itself: its flushes made table files,
    // though nothing called Flush (they run in the background, so allow them a moment).
    bool flushed = false;
    for (int i = 0; i < 200 && !flushed; ++i) {
      for (const auto& entry : std::filesystem::directory_iterator(db_path_)) {
        flushed = flushed || entry.path().extension() == ".sst";
      }
      if (!flushed) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    EXPECT_TRUE(flushed);
  }
  auto reopened = OpenOrDie(options);
  ASSERT_TRUE(reopened);
  for (const auto& [k, expected] : model) EXPECT_EQ(*reopened->Get(key(k)), expected) << k;
  int live = 0;
  for (auto it = reopened->Scan(ToBytes("N")); it->Valid(); it->Next()) ++live;
  EXPECT_EQ(live,
            std::ranges::count_if(model, [](const auto& kv) { return kv.second.has_value(); }));
}

// Readers on other threads while the writer switches memtables: a read returns some value
// the key was given, never a torn or vanished one.
TEST_F(RocksDbStoreTest, UncompressedFamilyReadsDuringSwitchesSeeWrittenValues) {
  RocksDbOptions options;
  options.uncompressed_namespaces = "N";
  options.uncompressed_memtable_bytes = 2048;
  auto store = OpenOrDie(options);
  ASSERT_TRUE(store);
  // Key k's value is its version, written in increasing order; version 0 is written first.
  constexpr uint64_t kKeys = 16;
  auto key = [](uint64_t k) { return Concat("N", BigEndian(k)); };
  for (uint64_t k = 0; k < kKeys; ++k) ASSERT_TRUE(store->Put(key(k), BigEndian(0)));
  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::vector<std::thread> readers;
  for (int r = 0; r < 2; ++r) {
    readers.emplace_back([&] {
      std::vector<uint64_t> seen(kKeys, 0);
      while (!done.load()) {
        for (uint64_t k = 0; k < kKeys; ++k) {
          auto got = store->Get(key(k));
          if (!got || !*got || (*got)->size() != 8) {
            bad.fetch_add(1);
            continue;
          }
          uint64_t version = FromBigEndian(**got);
          if (version < seen[k]) bad.fetch_add(1);  // went back in time
          seen[k] = version;
        }
      }
    });
  }
  for (uint64_t version = 1; version <= 400; ++version) {
    WriteBatch batch;
    for (uint64_t k = 0; k < kKeys; ++k) batch.Put(key(k), BigEndian(version));
    ASSERT_TRUE(store->Write(batch, {}));
  }
  done.store(true);
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(bad.load(), 0);
}

TEST_F(RocksDbStoreTest, AnExistingDatabaseKeepsTheFamiliesItWasCreatedWith) {
  RocksDbOptions routed;
  routed.uncompressed_namespaces = "N";
  {
    auto store = OpenOrDie(routed);
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Put(ToBytes("N1"), ToBytes("node")));
    ASSERT_TRUE(store->Put(ToBytes("S1"), ToBytes("value")));
  }
  // Opened without namespaces, it still routes 'N' to its family: nothing is hidden.
  {
    auto store = OpenOrDie();
    ASSERT_TRUE(store);
    EXPECT_EQ(*store->Get(ToBytes("N1")), ToBytes("node"));
    EXPECT_EQ(*store->Get(ToBytes("S1")), ToBytes("value"));
    EXPECT_EQ(*store->Last(ToBytes("N")), ToBytes("N1"));
    EXPECT_EQ(*store->Last({}), ToBytes("S1"));
    std::vector<Bytes> all;
    auto it = store->Scan({});
    for (; it->Valid(); it->Next()) all.emplace_back(it->key().begin(), it->key().end());
    EXPECT_TRUE(it->status());
    EXPECT_EQ(all, (std::vector<Bytes>{ToBytes("N1"), ToBytes("S1")}));
  }
  // A database made without namespaces is not given a family by a later opener.
  std::filesystem::remove_all(db_path_);
  {
    auto store = OpenOrDie();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Put(ToBytes("N1"), ToBytes("node")));
  }
  {
    auto store = OpenOrDie(routed);
    ASSERT_TRUE(store);
    EXPECT_EQ(*store->Get(ToBytes("N1")), ToBytes("node"));
  }
  std::vector<std::string> names;
  ASSERT_TRUE(rocksdb::DB::ListColumnFamilies({}, db_path_, &names).ok());
  EXPECT_EQ(names, (std::vector<std::string>{"default"}));
}

TEST_F(RocksDbStoreTest, AFamilyNameThatRecordsNoNamespacesIsCorrupt) {
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(
        rocksdb::DB::Open(options, db_path_,
                          {{rocksdb::kDefaultColumnFamilyName, {}}, {"uncompressed:zz", {}}},
                          &handles, &raw)
            .ok());
    std::unique_ptr<rocksdb::DB> db(raw);
    for (auto* handle : handles) ASSERT_TRUE(db->DestroyColumnFamilyHandle(handle).ok());
  }
  auto opened = RocksDbStore::Open(db_path_, {});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, "STORAGE_CORRUPT");
}

TEST_F(RocksDbStoreTest, SecondOpenWhileOpenIsLocked) {
  auto first = OpenOrDie();
  ASSERT_TRUE(first);
  auto second = RocksDbStore::Open(db_path_, RocksDbOptions{});
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().code, "STORAGE_LOCKED") << second.error().ToString();
  // Closing releases the lock.
  first.reset();
  EXPECT_TRUE(OpenOrDie());
}

TEST_F(RocksDbStoreTest, MissingDatabaseWithoutCreateIsAnError) {
  RocksDbOptions options;
  options.create_if_missing = false;
  auto opened = RocksDbStore::Open(db_path_, options);
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, "STORAGE_ERROR");
}

TEST_F(RocksDbStoreTest, MissingParentDirectoryIsAnError) {
  auto opened = RocksDbStore::Open(dir_.Sub("no/such/parent"), RocksDbOptions{});
  ASSERT_FALSE(opened);
  EXPECT_EQ(opened.error().code, "STORAGE_ERROR");
}

TEST_F(RocksDbStoreTest, CurrentWithoutNewlineIsCorrupt) {
  CreateDatabase();
  WriteFile(db_path_ + "/CURRENT", "garbage");
  ExpectCorrupt();
}

TEST_F(RocksDbStoreTest, CurrentNamingNoManifestIsCorrupt) {
  CreateDatabase();
  WriteFile(db_path_ + "/CURRENT", "not a manifest\n");
  ExpectCorrupt();
}

TEST_F(RocksDbStoreTest, CurrentNamingMissingManifestIsCorrupt) {
  CreateDatabase();
  WriteFile(db_path_ + "/CURRENT", "MANIFEST-999999\n");
  ExpectCorrupt();
}

TEST_F(RocksDbStoreTest, DamagedTableFailsReadsAsCorrupt) {
  {
    auto store = OpenOrDie();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->Put(ToBytes("k"), ToBytes("value in a table file")));
    ASSERT_TRUE(store->Flush());
  }
  int damaged = 0;
  for (const auto& entry : std::filesystem::directory_iterator(db_path_)) {
    if (entry.path().extension() != ".sst") continue;
    std::fstream file(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(8);
    file.write("XXXXXXXX", 8);
    ++damaged;
  }
  ASSERT_EQ(damaged, 1);
  auto store = OpenOrDie();
  ASSERT_TRUE(store);
  auto got = store->Get(ToBytes("k"));
  ASSERT_FALSE(got);
  EXPECT_EQ(got.error().code, "STORAGE_CORRUPT") << got.error().ToString();
  auto it = store->Scan({});
  EXPECT_FALSE(it->Valid());
  ASSERT_FALSE(it->status());
  EXPECT_EQ(it->status().error().code, "STORAGE_CORRUPT");
}

TEST_F(RocksDbStoreTest, EmptyCurrentIsCorrupt) {
  CreateDatabase();
  WriteFile(db_path_ + "/CURRENT", "");
  ExpectCorrupt();
}

TEST_F(RocksDbStoreTest, GarbageManifestIsCorrupt) {
  CreateDatabase();
  std::string garbage;
  uint32_t x = 12345;
  for (int i = 0; i < 8192; ++i) {
    x = x * 1103515245u + 12345u;
    garbage.push_back(static_cast<char>(x >> 24));
  }
  WriteFile(ManifestPath(), garbage);
  ExpectCorrupt();
}

TEST_F(RocksDbStoreTest, DestroyingStoreWithLiveIteratorAborts) {
  // RocksDB runs background threads: run the death test in a freshly started process.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_DEATH(
      {
        auto store = OpenOrDie();
        auto it = store->Scan({});
        // The abort below skips the fixture's cleanup in this (child) process: clean up first.
        std::filesystem::remove_all(dir_.path());
        store.reset();
      },
      "invariant violated");
}

// Kills a writer process at arbitrary points and reopens: the database always holds a
// consistent prefix of the committed batches, including every acknowledged one, and while
// the writer runs, it holds the lock against this process.
TEST_F(RocksDbStoreTest, KilledWriterLeavesConsistentPrefixAndHoldsLock) {
  uint64_t acked = 0;
  for (int round = 0; round < 3; ++round) {
    int fds[2];
    ASSERT_EQ(::pipe(fds), 0);
    // Everything the child needs is built before fork: after it, only async-signal-safe calls.
    std::vector<std::string> env_strings = {"TL_STORAGE_CRASH_DB=" + db_path_,
                                            "TL_STORAGE_CRASH_FD=" + std::to_string(fds[1])};
    for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
    std::vector<char*> envp;
    for (std::string& e : env_strings) envp.push_back(e.data());
    envp.push_back(nullptr);
    // Environments are set up only if some test is selected: select one trivial test.
    std::string argv0 = "storage_test_crash_writer";
    std::string filter = "--gtest_filter=WriteBatch.OwnsItsBytes";
    char* argv[] = {argv0.data(), filter.data(), nullptr};
    pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::close(fds[0]);
      int null_fd = ::open("/dev/null", O_WRONLY);
      if (null_fd >= 0) ::dup2(null_fd, STDOUT_FILENO);
      ::execve("/proc/self/exe", argv, envp.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    // Wait for some acknowledged commits, then kill at an arbitrary moment.
    const uint64_t target = acked + 20 + static_cast<uint64_t>(round) * 7;
    bool lock_checked = false;
    while (acked < target) {
      pollfd p{fds[0], POLLIN, 0};
      ASSERT_EQ(::poll(&p, 1, 30'000), 1) << "crash writer is silent";
      uint8_t buf[8];
      ASSERT_EQ(::read(fds[0], buf, sizeof buf), 8) << "crash writer died";
      acked = FromBigEndian(buf);
      if (!lock_checked) {
        auto opened = RocksDbStore::Open(db_path_, RocksDbOptions{});
        ASSERT_FALSE(opened);
        EXPECT_EQ(opened.error().code, "STORAGE_LOCKED") << opened.error().ToString();
        lock_checked = true;
      }
    }
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    int wstatus = 0;
    ASSERT_EQ(::waitpid(pid, &wstatus, 0), pid);
    EXPECT_TRUE(WIFSIGNALED(wstatus));
    ::close(fds[0]);

    auto store = OpenOrDie();
    ASSERT_TRUE(store);
    auto a = store->Get(ToBytes("tip/a"));
    auto b = store->Get(ToBytes("tip/b"));
    ASSERT_TRUE(a && *a && b && *b);
    EXPECT_EQ(**a, **b) << "half a batch survived";
    uint64_t tip = FromBigEndian(**a);
    EXPECT_GE(tip, acked) << "an acknowledged synced write was lost";
    EXPECT_EQ(*store->Last(ToBytes("height/")), Concat("height/", BigEndian(tip)));
    uint64_t count = 0;
    for (auto it = store->Scan(ToBytes("height/")); it->Valid(); it->Next()) {
      ++count;
      EXPECT_EQ(FromBigEndian(it->key().subspan(7)), count) << "gap in heights";
    }
    EXPECT_EQ(count, tip);
    acked = tip;
  }
}

}  // namespace
}  // namespace tradeledger::storage
