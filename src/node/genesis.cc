#include "node/genesis.h"

#include <fstream>
#include <nlohmann/json.hpp>

#include "crypto/sha256.h"
#include "node/json_fields.h"

namespace tradeledger::node {
namespace {

core::Result<std::vector<GenesisValidator>> ParseValidators(const nlohmann::json& list,
                                                            const char* code) {
  if (!list.is_array() || list.empty()) {
    return core::Fail(code, "validators must be a non-empty array");
  }
  std::vector<GenesisValidator> out;
  for (const auto& v : list) {
    if (!v.is_object() || !v.contains("public_key") || !v["public_key"].is_string()) {
      return core::Fail(code, "each validator needs a public_key string");
    }
    TL_RETURN_IF_ERROR(OnlyKnownFields(v, {"name", "public_key", "address"}, "a validator", code));
    auto key = ledger::PublicKey::FromHex(v["public_key"].get<std::string>());
    if (!key) return core::Fail(code, "validator public_key must be 64 hex digits");
    std::string name = v.contains("name") && v["name"].is_string() ? v["name"].get<std::string>()
                                                                   : key->hex().substr(0, 8);
    std::string address;
    if (v.contains("address")) {
      if (!v["address"].is_string()) return core::Fail(code, "validator address must be a string");
      address = v["address"].get<std::string>();
      if (auto ok = ParseHostPort(address); !ok) {
        return core::Fail(code, "validator " + name + ": " + ok.error().detail);
      }
    }
    out.push_back({name, *key, address});
  }
  return out;
}

core::Result<ledger::ValidatorSet> SetOf(const std::vector<GenesisValidator>& validators,
                                         const char* code) {
  std::vector<ledger::PublicKey> keys;
  for (const auto& v : validators) keys.push_back(v.public_key);
  auto set = ledger::ValidatorSet::Create(std::move(keys));
  if (!set) return core::Fail(code, set.error().detail);
  return std::move(*set);
}

}  // namespace

core::Result<std::pair<std::string, uint16_t>> ParseHostPort(std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == address.size()) {
    return core::Fail("ADDRESS_INVALID",
                      "address must be host:port, not '" + std::string(address) + "'");
  }
  std::string host(address.substr(0, colon));
  if (host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  if (host.empty() || host.find_first_of(" /\t") != std::string::npos ||
      (host.find(':') != std::string::npos && address.front() != '[')) {
    return core::Fail("ADDRESS_INVALID", "bad host in '" + std::string(address) + "'");
  }
  uint32_t port = 0;
  for (char c : address.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) {
      return core::Fail("ADDRESS_INVALID", "bad port in '" + std::string(address) + "'");
    }
    port = port * 10 + static_cast<uint32_t>(c - '0');
  }
  if (port == 0 || port > 65535) {
    return core::Fail("ADDRESS_INVALID", "port out of range in '" + std::string(address) + "'");
  }
  return std::pair{host, static_cast<uint16_t>(port)};
}

core::Result<Genesis> Genesis::Parse(std::string_view file_bytes) {
  auto json = nlohmann::json::parse(file_bytes, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return core::Fail("GENESIS_INVALID", "genesis is not a JSON object");
  }
  // The node's fields, then the trade layer's sections (trade::ApplyGenesis).
  TL_RETURN_IF_ERROR(OnlyKnownFields(json,
                                     {"chain_name", "genesis_time_ms", "validators",
                                      "customs_authority", "ior_salt", "holidays", "ledger_clock"},
                                     "", "GENESIS_INVALID"));
  Genesis g;
  if (!json.contains("chain_name") || !json["chain_name"].is_string()) {
    return core::Fail("GENESIS_INVALID", "chain_name must be a string");
  }
  g.chain_name = json["chain_name"].get<std::string>();
  if (!json.contains("genesis_time_ms") || !json["genesis_time_ms"].is_number_unsigned()) {
    return core::Fail("GENESIS_INVALID", "genesis_time_ms must be a non-negative integer");
  }
  g.genesis_time = core::TimestampMs(json["genesis_time_ms"].get<uint64_t>());
  TL_ASSIGN_OR_RETURN(
      g.validators, ParseValidators(json.value("validators", nlohmann::json()), "GENESIS_INVALID"));
  TL_ASSIGN_OR_RETURN(g.validator_set, SetOf(g.validators, "GENESIS_INVALID"));
  g.file_bytes = std::string(file_bytes);
  g.chain_id.hash = crypto::Sha256Of(core::AsBytes(file_bytes));
  return g;
}

core::Result<Genesis> Genesis::Load(const std::string& path) {
  TL_ASSIGN_OR_RETURN(std::string text, ReadFile(path));
  return Parse(text);
}

std::string Genesis::Render(const std::string& chain_name, core::TimestampMs genesis_time,
                            const std::vector<GenesisValidator>& validators,
                            const nlohmann::ordered_json& extra) {
  nlohmann::ordered_json j;
  j["chain_name"] = chain_name;
  j["genesis_time_ms"] = genesis_time.value;
  j["validators"] = nlohmann::ordered_json::array();
  for (const auto& v : validators) {
    nlohmann::ordered_json entry = {{"name", v.name}, {"public_key", v.public_key.hex()}};
    if (!v.address.empty()) entry["address"] = v.address;
    j["validators"].push_back(std::move(entry));
  }
  for (const auto& [key, value] : extra.items()) j[key] = value;
  return j.dump(2) + "\n";
}

std::string RenderValidatorsFile(const Genesis& genesis) {
  nlohmann::ordered_json j;
  j["chain_id"] = genesis.chain_id.hex();
  j["validators"] = nlohmann::ordered_json::array();
  for (const auto& v : genesis.validators) {
    j["validators"].push_back({{"name", v.name}, {"public_key", v.public_key.hex()}});
  }
  return j.dump(2) + "\n";
}

core::Result<TrustedValidators> ParseValidatorsFile(std::string_view text) {
  auto json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object() || !json.contains("chain_id") ||
      !json["chain_id"].is_string()) {
    return core::Fail("VALIDATORS_FILE_INVALID",
                      "expected {\"chain_id\":..., \"validators\":[...]}");
  }
  // GET /v1/validators serves this file with each later set's epoch and transaction id.
  TL_RETURN_IF_ERROR(
      OnlyKnownFields(json, {"chain_id", "validators", "history"}, "", "VALIDATORS_FILE_INVALID"));
  TrustedValidators t;
  auto chain = ledger::ChainId::FromHex(json["chain_id"].get<std::string>());
  if (!chain) return core::Fail("VALIDATORS_FILE_INVALID", "chain_id must be 64 hex digits");
  t.chain_id = *chain;
  TL_ASSIGN_OR_RETURN(auto validators, ParseValidators(json.value("validators", nlohmann::json()),
                                                       "VALIDATORS_FILE_INVALID"));
  TL_ASSIGN_OR_RETURN(t.set, SetOf(validators, "VALIDATORS_FILE_INVALID"));
  if (json.contains("history")) {
    if (!json["history"].is_array()) return core::Fail("VALIDATORS_FILE_INVALID", "history");
    for (const auto& h : json["history"]) {
      if (!h.is_object() || !h.contains("from_height") || !h["from_height"].is_number_unsigned()) {
        return core::Fail("VALIDATORS_FILE_INVALID", "history entries need from_height");
      }
      TL_RETURN_IF_ERROR(OnlyKnownFields(h, {"epoch", "from_height", "tx_id", "validators"},
                                         "a history entry", "VALIDATORS_FILE_INVALID"));
      TrustedValidators::Later later;
      later.from_height = h["from_height"].get<uint64_t>();
      if (!t.later.empty() && later.from_height < t.later.back().from_height) {
        return core::Fail("VALIDATORS_FILE_INVALID", "history is not in height order");
      }
      TL_ASSIGN_OR_RETURN(auto members, ParseValidators(h.value("validators", nlohmann::json()),
                                                        "VALIDATORS_FILE_INVALID"));
      TL_ASSIGN_OR_RETURN(later.set, SetOf(members, "VALIDATORS_FILE_INVALID"));
      t.later.push_back(std::move(later));
    }
  }
  return t;
}

const ledger::ValidatorSet& TrustedValidators::SetAt(core::Height height) const {
  const ledger::ValidatorSet* in_force = &set;
  for (const Later& l : later) {
    if (l.from_height <= height.value) in_force = &l.set;
  }
  return *in_force;
}

core::Result<std::string> ReadFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::Fail("FILE_READ_FAILED", "cannot open " + path);
  std::string data;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    data.append(buf, static_cast<size_t>(in.gcount()));
    if (data.size() > max_bytes) return core::Fail("FILE_TOO_LARGE", path);
  }
  if (in.bad()) return core::Fail("FILE_READ_FAILED", "error reading " + path);
  return data;
}

}  // namespace tradeledger::node
