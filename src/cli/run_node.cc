// `tradeledger node --config FILE`: runs one validator until SIGINT or SIGTERM.
#include <pthread.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "api/attachments.h"
#include "api/domain_routes.h"
#include "api/gateway.h"
#include "api/http/http_server.h"
#include "api/portal.h"
#include "api/queries.h"
#include "cli/commands.h"
#include "crypto/key_file.h"
#include "net/transport.h"
#include "node/config.h"
#include "node/genesis_signoff.h"
#include "node/ledger_store.h"
#include "storage/rocksdb_store.h"

namespace tradeledger::cli {
namespace {

// The node's peer links over the authenticated transport.
class TransportLinks final : public node::PeerLinks {
 public:
  explicit TransportLinks(net::Transport& transport) : transport_(transport) {}
  void Send(const crypto::PublicKey& to, core::Bytes frame) override {
    transport_.Send(to, std::move(frame));
  }
  void Broadcast(const core::Bytes& frame) override { transport_.Broadcast(frame); }
  void SetPeers(std::vector<node::PeerEndpoint> peers) override {
    std::vector<net::PeerAddress> addresses;
    for (auto& p : peers) addresses.push_back({p.key, std::move(p.host), p.port});
    transport_.SetPeers(std::move(addresses));
  }
  size_t ConnectedPeers() const override { return transport_.ConnectedPeers(); }
  std::map<std::string, uint64_t> Rejections() const override { return transport_.Rejections(); }

 private:
  net::Transport& transport_;
};

}  // namespace

// The message of a log line as a JSON string's content.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    static constexpr char kHex[] = "0123456789abcdef";
    for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
      auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        dest.push_back('\\');
        dest.push_back(c);
      } else if (u < 0x20) {
        for (char e : {'\\', 'u', '0', '0', kHex[u >> 4], kHex[u & 15]}) dest.push_back(e);
      } else {
        dest.push_back(c);
      }
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<JsonEscapedMessage>();
  }
};

void ConfigureLogging(const LogOptions& log) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  if (log.format == "json") {
    formatter->add_flag<JsonEscapedMessage>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","message":"%*"})");
  } else {
    formatter->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %l %v");
  }
  spdlog::set_formatter(std::move(formatter));
  spdlog::set_level(spdlog::level::from_str(log.level));
  api::http::SetLogSink([](std::string_view message) { spdlog::warn("http: {}", message); });
  net::SetLogSink([](bool warning, std::string_view message) {
    if (warning) {
      spdlog::warn("net: {}", message);
    } else {
      spdlog::info("net: {}", message);
    }
  });
}

int RunNode(const std::string& config_path, const LogOptions& log) {
  ConfigureLogging(log);
  auto fail = [](const std::string& what, const core::Error& e) {
    std::fprintf(stderr, "tradeledger node: %s: %s\n", what.c_str(), e.ToString().c_str());
    return 1;
  };
  auto config = node::NodeConfig::Load(config_path);
  if (!config) return fail("configuration " + config_path, config.error());
  auto key = crypto::ReadKeyFile(config->key_file);
  if (!key) return fail("validator key", key.error());
  auto genesis = node::Genesis::Load(config->genesis_file);
  if (!genesis) return fail("genesis " + config->genesis_file, genesis.error());
  // Every founding validator must have signed this genesis (ADR 0022).
  if (config->genesis_signoffs_file.empty()) {
    return fail("genesis", core::Error{"GENESIS_NOT_SIGNED_OFF",
                                       "the configuration names no genesis_signoffs file"});
  }
  auto signoffs_text = node::ReadFile(config->genesis_signoffs_file, 1 << 20);
  if (!signoffs_text)
    return fail("sign-offs " + config->genesis_signoffs_file, signoffs_text.error());
  auto signoffs = node::ParseSignoffs(*signoffs_text, *genesis);
  if (!signoffs) return fail("sign-offs " + config->genesis_signoffs_file, signoffs.error());
  if (auto signed_off = node::CheckSignoffs(*genesis, *signoffs); !signed_off) {
    return fail("genesis " + config->genesis_file, signed_off.error());
  }

  // Signals are handled by sigwait on this thread only: block them before any thread starts.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);  // raised by the watcher below when the node fails
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::error_code ec;
  std::filesystem::create_directories(config->data_dir, ec);
  auto store = storage::RocksDbStore::Open(config->data_dir, node::NodeStoreOptions());
  if (!store) return fail("data directory " + config->data_dir, store.error());
  node::LedgerStore ledger(**store);
  auto chain = node::Chain::Open(
      ledger, *genesis, node::ChainOptions{.state_retention = config->state_retention_heights});
  if (!chain) return fail("chain", chain.error());
  node::SystemClock clock;
  node::Metrics metrics;
  node::NodeOptions options;
  options.max_block_transactions = config->max_block_transactions;
  options.mempool = config->mempool;
  options.pacemaker.base_timeout_ms = config->base_timeout_ms;
  options.heartbeat_ms = config->heartbeat_ms;
  options.min_block_interval_ms = config->min_block_interval_ms;

  // The validator transport, for networks of more than one. Frames reach the node once it
  // exists; until then (and after it stops) they are dropped, which consensus tolerates.
  std::atomic<node::Node*> receiver{nullptr};
  std::unique_ptr<net::Transport> transport;
  std::unique_ptr<TransportLinks> links;
  if (genesis->validator_set.size() > 1) {
    net::TransportOptions t;
    t.key = *key;
    t.chain_id = genesis->chain_id.hash;
    t.listen_address = config->p2p_address;
    t.listen_port = config->p2p_port;
    for (const node::PeerConfig& p : config->peers)
      t.peers.push_back({p.public_key, p.host, p.port});
    auto created =
        net::Transport::Create(std::move(t), [&](const crypto::PublicKey& from, core::Bytes frame) {
          if (node::Node* n = receiver.load()) n->OnPeerFrame(from, std::move(frame));
        });
    if (!created) return fail("validator transport", created.error());
    transport = std::move(*created);
    links = std::make_unique<TransportLinks>(*transport);
  }
  node::SafetyFile safety(config->safety_file);
  auto validator =
      node::Node::Create(ledger, **chain, *key, clock, options, metrics, safety, links.get());
  if (!validator) return fail("node", validator.error());
  receiver = validator->get();
  // The read audit log has a store of its own (data/reads), so that a copy of the ledger for
  // another organisation (joining, doc/operations.md) can leave out who read what.
  storage::RocksDbOptions reads_options;
  reads_options.block_cache_bytes = 8u << 20;
  auto reads_store = storage::RocksDbStore::Open(
      (std::filesystem::path(config->data_dir) / "reads").string(), reads_options);
  if (!reads_store) return fail("read audit log store", reads_store.error());
  auto audit_log = node::ReadAuditLog::Open(**reads_store);
  if (!audit_log) return fail("read audit log", audit_log.error());
  api::Queries queries(**chain, ledger, **audit_log, clock);
  api::AddDomainRoutes(queries);
  node::AttachmentStore attachment_store(
      (std::filesystem::path(config->data_dir) / "attachments").string());
  api::Attachments attachments(queries, attachment_store);
  api::Gateway gateway(**validator, **chain, ledger, metrics, queries, &attachments);
  if (auto swept = attachments.Sweep(); !swept) return fail("attachments", swept.error());
  // The web portal: loaded whole at start (api/portal.h); a node without one still serves the
  // API, and says so.
  std::optional<api::Portal> portal;
  std::string portal_dir = config->http_portal_dir.value_or(api::DefaultPortalDir());
  if (!portal_dir.empty()) {
    auto loaded = api::Portal::Load(portal_dir);
    if (!loaded) return fail("portal " + portal_dir, loaded.error());
    portal = std::move(*loaded);
    gateway.SetPortal(&*portal);
    spdlog::info("tradeledger node: portal from {} ({} files, {} bytes)", portal_dir,
                 portal->file_count(), portal->total_bytes());
  } else {
    spdlog::info("tradeledger node: no portal (build it with scripts/build-portal.sh)");
  }
  (*validator)->SetCommitListener([&](const ledger::StoredBlock& b) {
    // A failed deletion is retried by the sweep at the next start.
    if (auto purged = attachments.ApplyPurges(b); !purged) {
      spdlog::error("attachments: {}", purged.error().ToString());
    }
    gateway.PublishBlock(b);
  });

  api::http::ServerOptions http_options;
  http_options.address = config->http_address;
  http_options.port = config->http_port;
  http_options.threads = config->http_threads;
  http_options.max_body_bytes = config->http_max_body_bytes;
  if (!config->http_tls_cert.empty()) {
    http_options.tls = api::http::ServerTls{config->http_tls_cert, config->http_tls_key};
  }
  api::http::Server server(http_options, [&](api::http::Request req, api::http::Responder res) {
    gateway.Handle(std::move(req), std::move(res));
  });
  // Metrics on their own port, plain HTTP, for a scraper on a private network.
  std::unique_ptr<api::http::Server> metrics_server;
  if (config->metrics_port != 0) {
    gateway.SetMetricsOnApi(false);
    api::http::ServerOptions m;
    m.address = config->metrics_address;
    m.port = config->metrics_port;
    m.threads = 1;
    m.max_body_bytes = 1024;
    metrics_server = std::make_unique<api::http::Server>(
        m, [&](api::http::Request req, api::http::Responder res) {
          if (req.method == "GET" && req.path == "/metrics") return res(gateway.Metrics());
          res(api::http::JsonError(404, "ROUTE_NOT_FOUND", "this port serves GET /metrics only"));
        });
  }
  (*validator)->Start();
  if (transport) transport->Start();
  auto stop_network = [&] {
    if (transport) transport->Stop();
    receiver = nullptr;
    (*validator)->Stop();
  };
  auto port = server.Start();
  if (!port) {
    stop_network();
    return fail("HTTP listener", port.error());
  }
  if (metrics_server) {
    auto metrics_port = metrics_server->Start();
    if (!metrics_port) {
      server.Stop();
      stop_network();
      return fail("metrics listener", metrics_port.error());
    }
    spdlog::info("tradeledger node: metrics on http://{}:{}/metrics", config->metrics_address,
                 *metrics_port);
  }
  node::ChainTip tip = (*chain)->tip();
  spdlog::info("tradeledger node: chain {} ({}), height {}, API {}://{}:{}", genesis->chain_name,
               genesis->chain_id.hex().substr(0, 16), tip.height.value,
               http_options.tls ? "https" : "http", config->http_address, *port);

  // A node that hit a storage failure stops validating; the process then exits with status 3
  // so that a supervisor (systemd Restart=on-failure) restarts it.
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    while (!done.load()) {
      if (!(*validator)->healthy()) {
        ::kill(::getpid(), SIGUSR1);
        return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  });
  int signal = 0;
  sigwait(&signals, &signal);
  done = true;
  watcher.join();
  const bool failed = signal == SIGUSR1;
  if (failed) {
    spdlog::critical("tradeledger node: stopping after a storage failure (exit status 3)");
  } else {
    spdlog::info("tradeledger node: signal {}, stopping", signal);
  }
  server.Stop();
  if (metrics_server) metrics_server->Stop();
  stop_network();
  spdlog::info("tradeledger node: stopped at height {}", (*chain)->tip().height.value);
  return failed ? 3 : 0;
}

}  // namespace tradeledger::cli
