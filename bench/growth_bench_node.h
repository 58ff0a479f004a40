// growth_bench (scenario f): the node as a separate process, and the data directory's size.
//
// The node is the real `tradeledger node --config DIR/node1/config.json` (a network of one),
// started by fork and exec; restart-to-serving is the time from just before fork until
// GET /health first answers 200.
//
// Thread safety: plain functions.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <string>

#include "bench/growth_bench_build.h"
#include "core/result.h"

namespace tradeledger::bench {

// A TCP port on 127.0.0.1 that was free a moment ago.
core::Result<uint16_t> FreePort();

// Writes DIR/node1/config.json: data, key and genesis as BuildDataDir laid them out, HTTP on
// 127.0.0.1:`http_port`, everything else at the node's defaults.
core::Status WriteNodeConfig(const GrowthPaths& paths, uint16_t http_port);

struct StartedNode {
  pid_t pid = -1;
  double seconds_to_serving = 0;
};
// Starts `binary` as a node of `paths` (output appended to DIR/node1/node.log) and waits until
// /health on `http_port` answers 200. GROWTH_NODE_FAILED (the child is killed) if it exits or
// is not serving within `timeout`.
core::Result<StartedNode> StartNode(const std::string& binary, const GrowthPaths& paths,
                                    uint16_t http_port, std::chrono::seconds timeout);
// SIGTERM, then waits for the exit (SIGKILL after `grace`). Returns the seconds it took.
double StopNode(pid_t pid, std::chrono::seconds grace);

// Disk usage of a directory tree: allocated bytes (as du) and apparent bytes (file sizes).
struct DiskUsage {
  uint64_t allocated = 0;
  uint64_t apparent = 0;
  uint64_t files = 0;
  uint64_t wal_bytes = 0;  // RocksDB write-ahead log files (*.log), apparent size
};
DiskUsage MeasureDisk(const std::string& dir);

// The fraction of the bytes of the files under `dir` that are in the page cache now (mincore),
// so that read latencies can be told apart from disk reads.
double ResidentFraction(const std::string& dir);

// Logical bytes (keys + values) and key counts per one-byte namespace of the node's store
// (node/ledger_store.h), by scanning the whole database. The store must not be open elsewhere.
struct NamespaceBytes {
  uint64_t keys = 0;
  uint64_t bytes = 0;
};
core::Result<std::map<char, NamespaceBytes>> ScanNamespaces(const std::string& data_dir);

}  // namespace tradeledger::bench
