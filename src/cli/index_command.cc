#include "cli/index_command.h"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>

#include "api/http/url.h"
#include "cli/node_client.h"
#include "crypto/key_file.h"
#include "index/indexer.h"
#include "node/genesis.h"

namespace tradeledger::cli {
namespace {

volatile std::sig_atomic_t g_stop = 0;
extern "C" void OnStopSignal(int) { g_stop = 1; }

void LogLine(const std::string& line) {
  std::time_t now = std::time(nullptr);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  std::fprintf(stderr, "%s index: %s\n", stamp, line.c_str());
}

int Fail(const std::string& what, int code) {
  std::fprintf(stderr, "tradeledger index: %s\n", what.c_str());
  return code;
}

// Errors that say the environment is missing or down, as opposed to bad data.
bool Environmental(const std::string& code) {
  return code.starts_with("PG_") || code.starts_with("HTTP_") || code == "NODE_UNAVAILABLE" ||
         code == "FILE_READ_FAILED";
}

}  // namespace

int Index(const IndexOptions& options) {
  auto key = crypto::ReadKeyFile(options.key_file);
  if (!key) return Fail(key.error().ToString(), 2);
  auto text = node::ReadFile(options.validators_file);
  if (!text) return Fail(text.error().ToString(), 2);
  auto trusted = node::ParseValidatorsFile(*text);
  if (!trusted) return Fail(trusted.error().ToString(), 1);
  auto url = api::http::ParseUrl(options.node_url);
  if (!url) return Fail("--node: " + url.error().ToString(), 64);
  for (const std::string& w : options.watch) {
    if (!api::http::ParseUrl(w)) return Fail("--watch: not a node URL: " + w, 64);
  }

  index::IndexerOptions o;
  o.node_url = options.node_url;
  o.tls = NodeTls(*url);
  o.key = *key;
  o.trusted = *trusted;
  o.validators_json = *text;
  o.db = options.db;
  o.watch = options.watch;
  o.until_height = options.until_height;
  o.once = options.once;
  o.records_interval =
      std::chrono::milliseconds(static_cast<int64_t>(options.records_seconds * 1000));
  o.sample_interval =
      std::chrono::milliseconds(static_cast<int64_t>(options.sample_seconds * 1000));
  o.stop = [] { return g_stop != 0; };
  o.log = LogLine;

  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);
  std::signal(SIGPIPE, SIG_IGN);
  auto done = index::RunIndexer(o);
  if (!done && done.error().code == "STOPPED") return 0;  // asked to stop while waiting
  if (!done) {
    return Fail(done.error().ToString(), Environmental(done.error().code) ? 2 : 1);
  }
  return 0;
}

}  // namespace tradeledger::cli
