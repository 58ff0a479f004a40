#include "node/config.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "node/driver.h"
#include "node/genesis.h"
#include "node/json_fields.h"

namespace tradeledger::node {
namespace {

using nlohmann::json;

core::Result<std::string> Path(const json& j, const char* field, const std::string& base) {
  if (!j.contains(field) || !j[field].is_string() || j[field].get<std::string>().empty()) {
    return core::Fail("CONFIG_INVALID", std::string(field) + " must be a non-empty string");
  }
  std::filesystem::path p = j[field].get<std::string>();
  if (p.is_relative()) p = std::filesystem::path(base) / p;
  return p.lexically_normal().string();
}

template <typename T>
core::Status Number(const json& j, const char* field, T* out, T min, T max) {
  if (!j.contains(field)) return core::Ok();
  if (!j[field].is_number_unsigned()) {
    return core::Fail("CONFIG_INVALID", std::string(field) + " must be a whole number");
  }
  uint64_t v = j[field].get<uint64_t>();
  if (v < static_cast<uint64_t>(min) || v > static_cast<uint64_t>(max)) {
    return core::Fail("CONFIG_INVALID", std::string(field) + " is out of range");
  }
  *out = static_cast<T>(v);
  return core::Ok();
}

core::Status ParseNetwork(const json& j, const std::string& base_dir, NodeConfig* c) {
  if (j.contains("safety_file")) {
    TL_ASSIGN_OR_RETURN(c->safety_file, Path(j, "safety_file", base_dir));
  } else {
    c->safety_file = (std::filesystem::path(base_dir) / "consensus-safety").lexically_normal();
  }
  if (j.contains("p2p")) {
    const json& p = j["p2p"];
    if (!p.is_object()) return core::Fail("CONFIG_INVALID", "p2p must be an object");
    TL_RETURN_IF_ERROR(OnlyKnownFields(p, {"address", "port"}, "p2p", "CONFIG_INVALID"));
    if (p.contains("address")) {
      if (!p["address"].is_string()) return core::Fail("CONFIG_INVALID", "p2p.address");
      c->p2p_address = p["address"].get<std::string>();
    }
    TL_RETURN_IF_ERROR(Number<uint16_t>(p, "port", &c->p2p_port, 0, 65535));
  }
  if (j.contains("peers")) {
    if (!j["peers"].is_array()) return core::Fail("CONFIG_INVALID", "peers must be an array");
    for (const json& e : j["peers"]) {
      if (!e.is_object() || !e.contains("public_key") || !e["public_key"].is_string() ||
          !e.contains("host") || !e["host"].is_string()) {
        return core::Fail("CONFIG_INVALID", "each peer needs public_key and host");
      }
      TL_RETURN_IF_ERROR(
          OnlyKnownFields(e, {"name", "public_key", "host", "port"}, "a peer", "CONFIG_INVALID"));
      PeerConfig peer;
      peer.name = e.value("name", "");
      auto key = crypto::PublicKey::FromHex(e["public_key"].get<std::string>());
      if (!key) return core::Fail("CONFIG_INVALID", "peers: public_key is not 64 hex digits");
      peer.public_key = *key;
      peer.host = e["host"].get<std::string>();
      TL_RETURN_IF_ERROR(Number<uint16_t>(e, "port", &peer.port, 1, 65535));
      if (peer.port == 0) return core::Fail("CONFIG_INVALID", "peers: port is required");
      c->peers.push_back(std::move(peer));
    }
  }
  if (j.contains("consensus")) {
    const json& k = j["consensus"];
    if (!k.is_object()) return core::Fail("CONFIG_INVALID", "consensus must be an object");
    TL_RETURN_IF_ERROR(OnlyKnownFields(k,
                                       {"base_timeout_ms", "heartbeat_ms", "min_block_interval_ms"},
                                       "consensus", "CONFIG_INVALID"));
    TL_RETURN_IF_ERROR(Number<uint64_t>(k, "base_timeout_ms", &c->base_timeout_ms, 50, 600'000));
    TL_RETURN_IF_ERROR(Number<uint64_t>(k, "heartbeat_ms", &c->heartbeat_ms, 0, 600'000));
    if (c->heartbeat_ms >= c->base_timeout_ms) {
      return core::Fail("CONFIG_INVALID", "consensus.heartbeat_ms must be below base_timeout_ms");
    }
    // Unset, the default as far as a short timeout allows; set, refused above it.
    const uint64_t max_interval = MaxBlockIntervalMs(c->base_timeout_ms);
    c->min_block_interval_ms = std::min(c->min_block_interval_ms, max_interval);
    TL_RETURN_IF_ERROR(
        Number<uint64_t>(k, "min_block_interval_ms", &c->min_block_interval_ms, 0, 600'000));
    if (c->min_block_interval_ms > max_interval) {
      return core::Fail("CONFIG_INVALID",
                        "consensus.min_block_interval_ms must be at most a quarter of "
                        "base_timeout_ms (" +
                            std::to_string(max_interval) + ")");
    }
  }
  return core::Ok();
}

}  // namespace

core::Result<NodeConfig> NodeConfig::Parse(std::string_view text, const std::string& base_dir) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return core::Fail("CONFIG_INVALID", "the configuration is not a JSON object");
  }
  TL_RETURN_IF_ERROR(
      OnlyKnownFields(j,
                      {"data_dir", "key_file", "genesis_file", "genesis_signoffs", "http",
                       "safety_file", "p2p", "metrics", "peers", "consensus",
                       "max_block_transactions", "state_retention_heights", "mempool"},
                      "", "CONFIG_INVALID"));
  NodeConfig c;
  TL_ASSIGN_OR_RETURN(c.data_dir, Path(j, "data_dir", base_dir));
  TL_ASSIGN_OR_RETURN(c.key_file, Path(j, "key_file", base_dir));
  TL_ASSIGN_OR_RETURN(c.genesis_file, Path(j, "genesis_file", base_dir));
  if (j.contains("genesis_signoffs")) {
    TL_ASSIGN_OR_RETURN(c.genesis_signoffs_file, Path(j, "genesis_signoffs", base_dir));
  }
  if (j.contains("http")) {
    const json& h = j["http"];
    if (!h.is_object()) return core::Fail("CONFIG_INVALID", "http must be an object");
    TL_RETURN_IF_ERROR(OnlyKnownFields(
        h, {"address", "port", "threads", "max_body_bytes", "tls_cert", "tls_key", "portal_dir"},
        "http", "CONFIG_INVALID"));
    if (h.contains("address")) {
      if (!h["address"].is_string()) return core::Fail("CONFIG_INVALID", "http.address");
      c.http_address = h["address"].get<std::string>();
    }
    TL_RETURN_IF_ERROR(Number<uint16_t>(h, "port", &c.http_port, 0, 65535));
    TL_RETURN_IF_ERROR(Number<int>(h, "threads", &c.http_threads, 1, 64));
    TL_RETURN_IF_ERROR(
        Number<size_t>(h, "max_body_bytes", &c.http_max_body_bytes, 1024, size_t{64} << 20));
    if (h.contains("tls_cert") != h.contains("tls_key")) {
      return core::Fail("CONFIG_INVALID", "http.tls_cert and http.tls_key must be given together");
    }
    if (h.contains("tls_cert")) {
      TL_ASSIGN_OR_RETURN(c.http_tls_cert, Path(h, "tls_cert", base_dir));
      TL_ASSIGN_OR_RETURN(c.http_tls_key, Path(h, "tls_key", base_dir));
    }
    if (h.contains("portal_dir")) {
      if (!h["portal_dir"].is_string()) return core::Fail("CONFIG_INVALID", "http.portal_dir");
      if (h["portal_dir"].get<std::string>().empty()) {
        c.http_portal_dir = "";
      } else {
        TL_ASSIGN_OR_RETURN(c.http_portal_dir, Path(h, "portal_dir", base_dir));
      }
    }
  }
  TL_RETURN_IF_ERROR(
      Number<size_t>(j, "max_block_transactions", &c.max_block_transactions, 1, 10'000));
  TL_RETURN_IF_ERROR(
      Number<uint64_t>(j, "state_retention_heights", &c.state_retention_heights, 1, 1'000'000'000));
  TL_RETURN_IF_ERROR(ParseNetwork(j, base_dir, &c));
  if (j.contains("metrics")) {
    const json& m = j["metrics"];
    if (!m.is_object()) return core::Fail("CONFIG_INVALID", "metrics must be an object");
    TL_RETURN_IF_ERROR(OnlyKnownFields(m, {"address", "port"}, "metrics", "CONFIG_INVALID"));
    if (m.contains("address")) {
      if (!m["address"].is_string()) return core::Fail("CONFIG_INVALID", "metrics.address");
      c.metrics_address = m["address"].get<std::string>();
    }
    TL_RETURN_IF_ERROR(Number<uint16_t>(m, "port", &c.metrics_port, 1, 65535));
    if (c.metrics_port == 0) return core::Fail("CONFIG_INVALID", "metrics.port is required");
  }
  if (j.contains("mempool")) {
    const json& m = j["mempool"];
    if (!m.is_object()) return core::Fail("CONFIG_INVALID", "mempool must be an object");
    TL_RETURN_IF_ERROR(OnlyKnownFields(m, {"max_transactions", "max_bytes", "max_per_signer"},
                                       "mempool", "CONFIG_INVALID"));
    TL_RETURN_IF_ERROR(
        Number<size_t>(m, "max_transactions", &c.mempool.max_transactions, 1, 10'000'000));
    TL_RETURN_IF_ERROR(Number<size_t>(m, "max_bytes", &c.mempool.max_bytes, 1024, size_t{1} << 34));
    TL_RETURN_IF_ERROR(
        Number<size_t>(m, "max_per_signer", &c.mempool.max_per_signer, 1, 10'000'000));
  }
  return c;
}

core::Result<NodeConfig> NodeConfig::Load(const std::string& path) {
  TL_ASSIGN_OR_RETURN(std::string text, ReadFile(path, 1 << 20));
  std::string base = std::filesystem::path(path).parent_path().string();
  if (base.empty()) base = ".";
  return Parse(text, base);
}

std::string NodeConfig::Render() const {
  nlohmann::ordered_json j;
  j["data_dir"] = data_dir;
  j["key_file"] = key_file;
  j["genesis_file"] = genesis_file;
  if (!genesis_signoffs_file.empty()) j["genesis_signoffs"] = genesis_signoffs_file;
  j["http"] = {{"address", http_address},
               {"port", http_port},
               {"threads", http_threads},
               {"max_body_bytes", http_max_body_bytes}};
  if (!http_tls_cert.empty()) {
    j["http"]["tls_cert"] = http_tls_cert;
    j["http"]["tls_key"] = http_tls_key;
  }
  if (http_portal_dir) j["http"]["portal_dir"] = *http_portal_dir;
  if (!safety_file.empty()) j["safety_file"] = safety_file;
  if (metrics_port != 0) j["metrics"] = {{"address", metrics_address}, {"port", metrics_port}};
  j["p2p"] = {{"address", p2p_address}, {"port", p2p_port}};
  j["peers"] = nlohmann::ordered_json::array();
  for (const PeerConfig& p : peers) {
    j["peers"].push_back(
        {{"name", p.name}, {"public_key", p.public_key.hex()}, {"host", p.host}, {"port", p.port}});
  }
  j["consensus"] = {{"base_timeout_ms", base_timeout_ms},
                    {"heartbeat_ms", heartbeat_ms},
                    {"min_block_interval_ms", min_block_interval_ms}};
  j["max_block_transactions"] = max_block_transactions;
  j["state_retention_heights"] = state_retention_heights;
  j["mempool"] = {{"max_transactions", mempool.max_transactions},
                  {"max_bytes", mempool.max_bytes},
                  {"max_per_signer", mempool.max_per_signer}};
  return j.dump(2) + "\n";
}

}  // namespace tradeledger::node
