// The storage seam: an ordered map from byte-string keys to byte-string values.
//
// `Store` is what every upper layer persists through. It knows nothing of blocks or state:
// keys and values are opaque bytes, ordered by their unsigned bytes (memcmp order, a shorter
// key before any key it is a prefix of). The node layer gives keys their meaning; namespaces
// are key prefixes (see doc/adr/0005-storage.md). Implementations: `RocksDbStore` (the real
// disk), `MemoryStore` (tests, simulator) and `FaultInjectionStore` (a decorator that fails
// writes and loses unsynced data on a simulated crash).
//
// Thread safety: every Store is safe for any number of concurrent readers (Get, Scan, Last)
// together with at most one writer at a time. An Iterator is used by one thread at a time.
//
// Errors: STORAGE_ERROR for an I/O or environment failure (the operation may be retried or
// the node stopped), STORAGE_CORRUPT when stored data fails its checks (do not retry: the
// node must stop and resync), STORAGE_LOCKED when the store is held by another user.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::storage {

// An ordered list of puts and deletes applied by Store::Write as one atomic unit: after a
// crash either all of it is visible or none of it. Later operations on the same key win.
// The batch owns copies of its keys and values, so the spans passed in may die right away;
// it keeps them end to end in one buffer (a block's batch holds thousands of small objects,
// and two allocations each showed in the node's profile).
// Not thread-safe; a value type (copyable and movable).
class WriteBatch {
 public:
  enum class OpType { kPut, kDelete };
  // One operation, viewing the batch's own bytes: valid until the batch is next changed,
  // moved from or destroyed. So an Op's key or value must not be passed to Put or Delete of
  // the same batch: the call may move the bytes it views.
  struct Op {
    OpType type;
    core::ByteSpan key;
    core::ByteSpan value;  // empty for kDelete
  };

  WriteBatch() = default;

  void Put(core::ByteSpan key, core::ByteSpan value);
  // Deleting a key that is not present is not an error.
  void Delete(core::ByteSpan key);
  void Clear();
  // Room for `ops` more operations holding `bytes` more key and value bytes; a hint that
  // spares regrowing the buffer.
  void Reserve(size_t ops, size_t bytes);

  // Number of operations.
  size_t count() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Sum of the lengths of all keys and values: the payload the batch will write.
  size_t size_bytes() const { return data_.size(); }
  // The operation at `index` (< count()), and all of them in the order they were added; for
  // Store implementations.
  Op op(size_t index) const;
  std::vector<Op> ops() const;

 private:
  struct Entry {
    OpType type;
    size_t offset;  // of the key in data_; the value follows it
    size_t key_size;
    size_t value_size;
  };
  void Append(OpType type, core::ByteSpan key, core::ByteSpan value);

  std::vector<Entry> entries_;
  core::Bytes data_;
};

struct WriteOptions {
  // If true, Write returns only once the batch, and every write made before it, is on stable
  // storage (the write-ahead log is fsynced): it survives a power loss. If false, the write
  // survives a process crash but may be lost, together with every later unsynced write, if
  // the machine goes down. Defaults to true: a commit must not be forgotten.
  bool sync = true;
};

// Walks the entries of a Store in key order. It sees a consistent snapshot: the state of the
// store when it was created, whatever is written afterwards. It must be destroyed before the
// Store that made it.
class Iterator {
 public:
  Iterator() = default;
  Iterator(const Iterator&) = delete;
  Iterator& operator=(const Iterator&) = delete;
  virtual ~Iterator() = default;

  // False once the entries are exhausted or an error occurred (then status() says which).
  virtual bool Valid() const = 0;
  // REQUIRES: Valid(). The spans stay valid until the next call to Next() or destruction.
  virtual core::ByteSpan key() const = 0;
  virtual core::ByteSpan value() const = 0;
  // REQUIRES: Valid().
  virtual void Next() = 0;
  // Ok unless the walk stopped because of an error (STORAGE_ERROR, STORAGE_CORRUPT). Check it
  // once Valid() is false: an exhausted walk and a failed one both end with Valid() false.
  [[nodiscard]] virtual core::Status status() const = 0;
};

class Store {
 public:
  Store() = default;
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  virtual ~Store() = default;

  // The value stored under `key`; nullopt if there is none (an empty value is not "none").
  [[nodiscard]] virtual core::Result<std::optional<core::Bytes>> Get(core::ByteSpan key) const = 0;

  // Applies every operation of `batch` in order, atomically: on success all of them are
  // visible to later reads; on failure (STORAGE_ERROR) none of them is. Durability follows
  // `options.sync`. An empty batch is allowed (with sync, it makes earlier writes durable).
  [[nodiscard]] virtual core::Status Write(const WriteBatch& batch, WriteOptions options) = 0;

  // An iterator over the entries whose key starts with `prefix`, in key order, positioned at
  // the first of them. An empty prefix walks the whole store. Never null; errors are reported
  // through the iterator's status().
  virtual std::unique_ptr<Iterator> Scan(core::ByteSpan prefix) const = 0;

  // The greatest key that starts with `prefix` (its key, not its value), or nullopt if no key
  // does. With big-endian heights after a namespace prefix, this finds the latest block.
  [[nodiscard]] virtual core::Result<std::optional<core::Bytes>> Last(
      core::ByteSpan prefix) const = 0;

  // Conveniences: a batch of one operation.
  [[nodiscard]] core::Status Put(core::ByteSpan key, core::ByteSpan value,
                                 WriteOptions options = {});
  [[nodiscard]] core::Status Delete(core::ByteSpan key, WriteOptions options = {});
};

// The smallest byte string greater than every string that starts with `prefix`: `prefix` with
// its trailing 0xff bytes removed and its last byte then incremented ("ab\xff" -> "ac").
// nullopt if there is none, i.e. `prefix` is empty or all 0xff: the range is then unbounded
// above. Used as the exclusive upper bound of a prefix scan.
std::optional<core::Bytes> PrefixUpperBound(core::ByteSpan prefix);

// True if `key` starts with `prefix`.
bool HasPrefix(core::ByteSpan key, core::ByteSpan prefix);

}  // namespace tradeledger::storage
