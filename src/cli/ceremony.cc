#include "cli/ceremony.h"

#include <arpa/inet.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>

#include "crypto/ed25519.h"
#include "crypto/key_file.h"
#include "node/clock.h"
#include "node/config.h"
#include "node/genesis.h"
#include "node/genesis_signoff.h"
#include "trade/participants.h"
#include "trade/time_util.h"

namespace tradeledger::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using nlohmann::ordered_json;

core::Status WriteNew(const fs::path& path, const std::string& text) {
  if (fs::exists(path)) return core::Fail("FILE_EXISTS", path.string() + " already exists");
  std::ofstream out(path, std::ios::trunc);
  out << text;
  out.close();
  if (!out) return core::Fail("FILE_WRITE_FAILED", "cannot write " + path.string());
  return core::Ok();
}

core::Status Replace(const fs::path& path, const std::string& text) {
  fs::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    out.close();
    if (!out) return core::Fail("FILE_WRITE_FAILED", "cannot write " + tmp.string());
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return core::Fail("FILE_WRITE_FAILED", path.string() + ": " + ec.message());
  return core::Ok();
}

core::Result<json> ReadJson(const std::string& path, const char* code) {
  TL_ASSIGN_OR_RETURN(std::string text, node::ReadFile(path, 1 << 20));
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return core::Fail(code, path + " is not a JSON object");
  }
  return j;
}

std::string StringField(const json& j, const char* field) {
  return j.contains(field) && j[field].is_string() ? j[field].get<std::string>() : "";
}

core::Result<node::GenesisValidator> ReadOperator(const std::string& path) {
  TL_ASSIGN_OR_RETURN(json j, ReadJson(path, "OPERATOR_FILE_INVALID"));
  node::GenesisValidator v;
  v.name = StringField(j, "name");
  auto key = crypto::PublicKey::FromHex(StringField(j, "public_key"));
  v.address = StringField(j, "address");
  if (v.name.empty() || !key) {
    return core::Fail("OPERATOR_FILE_INVALID", path + ": needs name and a 64-hex public_key");
  }
  if (auto ok = node::ParseHostPort(v.address); !ok) {
    return core::Fail("OPERATOR_FILE_INVALID", path + ": " + ok.error().detail);
  }
  v.public_key = *key;
  return v;
}

// Makes DIR if needed, a fresh key in DIR/key_name (0600) and DIR/public_name with what
// `describe` says of the key. Refuses if either file exists (FILE_EXISTS).
core::Status WriteKeyAndPublicFile(
    const std::string& dir, const char* key_name, const char* public_name,
    const std::function<ordered_json(const crypto::KeyPair&)>& describe) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return core::Fail("FILE_WRITE_FAILED", dir + ": " + ec.message());
  if (fs::exists(fs::path(dir) / public_name)) {
    return core::Fail("FILE_EXISTS", dir + "/" + public_name + " already exists");
  }
  crypto::KeyPair key = crypto::KeyPair::Generate();
  TL_RETURN_IF_ERROR(crypto::WriteKeyFile((fs::path(dir) / key_name).string(), key));
  return WriteNew(fs::path(dir) / public_name, describe(key).dump(2) + "\n");
}

bool IsIpLiteral(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return ::inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         ::inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

const std::vector<std::string>& DefaultHolidays() {
  static const std::vector<std::string> days = {
      "2024-01-01", "2024-01-15", "2024-02-19", "2024-05-27", "2024-06-19", "2024-07-04",
      "2024-09-02", "2024-10-14", "2024-11-11", "2024-11-28", "2024-12-25", "2025-01-01",
      "2025-01-20", "2025-02-17", "2025-05-26", "2025-06-19", "2025-07-04", "2025-09-01",
      "2025-10-13", "2025-11-11", "2025-11-27", "2025-12-25", "2026-01-01", "2026-01-19",
      "2026-02-16", "2026-05-25", "2026-06-19", "2026-07-03", "2026-09-07", "2026-10-12",
      "2026-11-11", "2026-11-26", "2026-12-25", "2027-01-01", "2027-01-18", "2027-02-15",
      "2027-05-31", "2027-06-18", "2027-07-05", "2027-09-06", "2027-10-11", "2027-11-11",
      "2027-11-25", "2027-12-24", "2027-12-31", "2028-01-17", "2028-02-21", "2028-05-29",
      "2028-06-19", "2028-07-04", "2028-09-04", "2028-10-09", "2028-11-10", "2028-11-23",
      "2028-12-25", "2029-01-01", "2029-01-15", "2029-02-19", "2029-05-28", "2029-06-19",
      "2029-07-04", "2029-09-03", "2029-10-08", "2029-11-12", "2029-11-22", "2029-12-25",
      "2030-01-01", "2030-01-21", "2030-02-18", "2030-05-27", "2030-06-19", "2030-07-04",
      "2030-09-02", "2030-10-14", "2030-11-11", "2030-11-28", "2030-12-25"};
  return days;
}

core::Status OperatorInit(const std::string& dir, const std::string& name,
                          const std::string& address) {
  if (name.empty()) return core::Fail("OPERATOR_NAME_INVALID", "give the validator a name");
  TL_RETURN_IF_ERROR(node::ParseHostPort(address));
  return WriteKeyAndPublicFile(
      dir, "validator.key", "operator.json", [&](const crypto::KeyPair& k) {
        return ordered_json{
            {"name", name}, {"public_key", k.public_key.hex()}, {"address", address}};
      });
}

core::Status CustomsInit(const std::string& dir, const std::string& org_id,
                         const std::string& legal_name, const std::string& country) {
  if (org_id.empty() || legal_name.empty() || country.size() != 2) {
    return core::Fail("CUSTOMS_FILE_INVALID",
                      "give an org id, a legal name and a 2-letter country");
  }
  return WriteKeyAndPublicFile(dir, "admin.key", "customs.json", [&](const crypto::KeyPair& k) {
    return ordered_json{{"org_id", org_id},
                        {"legal_name", legal_name},
                        {"country", country},
                        {"public_key", k.public_key.hex()}};
  });
}

core::Result<std::string> AssembleGenesis(const AssembleOptions& o) {
  const size_t n = o.operator_files.size();
  if (n != 1 && (n < 4 || n > 64)) {
    return core::Fail("VALIDATOR_COUNT_INVALID",
                      "a network has 1 validator or 4 to 64 (n = 3f+1 tolerates f faulty; 2 or "
                      "3 tolerate none), not " +
                          std::to_string(n));
  }
  std::vector<node::GenesisValidator> validators;
  for (const auto& file : o.operator_files) {
    TL_ASSIGN_OR_RETURN(node::GenesisValidator v, ReadOperator(file));
    for (const auto& other : validators) {
      if (other.public_key == v.public_key || other.name == v.name || other.address == v.address) {
        return core::Fail("OPERATOR_FILE_INVALID",
                          file + " repeats the name, key or address of " + other.name);
      }
    }
    validators.push_back(std::move(v));
  }
  ordered_json extra = ordered_json::object();
  if (o.customs_file.empty() && !o.holidays_file.empty()) {
    return core::Fail("HOLIDAYS_INVALID",
                      "a holiday calendar needs a customs authority (--customs): a bare network "
                      "has no business-day deadlines");
  }
  if (!o.customs_file.empty()) {
    TL_ASSIGN_OR_RETURN(json c, ReadJson(o.customs_file, "CUSTOMS_FILE_INVALID"));
    auto key = crypto::PublicKey::FromHex(StringField(c, "public_key"));
    if (StringField(c, "org_id").empty() || StringField(c, "legal_name").empty() ||
        StringField(c, "country").size() != 2 || !key) {
      return core::Fail("CUSTOMS_FILE_INVALID",
                        o.customs_file + ": needs org_id, legal_name, country, public_key");
    }
    extra["customs_authority"] =
        trade::RenderCustomsAuthority({.org_id = StringField(c, "org_id"),
                                       .legal_name = StringField(c, "legal_name"),
                                       .country = StringField(c, "country"),
                                       .admin_key = *key});
    // The network's IOR salt (ADR 0021): random, fixed by the genesis every founder signs.
    extra["ior_salt"] = crypto::KeyPair::Generate().public_key.hex();
    std::vector<std::string> holidays = DefaultHolidays();
    if (!o.holidays_file.empty()) {
      TL_ASSIGN_OR_RETURN(std::string text, node::ReadFile(o.holidays_file, 1 << 20));
      json h = json::parse(text, nullptr, false);
      if (!h.is_array()) return core::Fail("HOLIDAYS_INVALID", "expected [\"YYYY-MM-DD\", ...]");
      holidays.clear();
      for (const auto& day : h) {
        if (!day.is_string() || !trade::ParseDate(day.get<std::string>())) {
          return core::Fail("HOLIDAYS_INVALID", "not a YYYY-MM-DD date: " + day.dump());
        }
        holidays.push_back(day.get<std::string>());
      }
    }
    extra["holidays"] = holidays;
  }
  if (!o.ledger_clock.empty()) {
    TL_RETURN_IF_ERROR(trade::ParseInstant(o.ledger_clock));
    extra["ledger_clock"] = {{"start", o.ledger_clock}};
  }
  std::string text =
      node::Genesis::Render(o.chain_name, node::SystemClock().Now(), validators, extra);
  TL_ASSIGN_OR_RETURN(node::Genesis genesis, node::Genesis::Parse(text));
  TL_RETURN_IF_ERROR(WriteNew(o.out, text));
  return genesis.chain_id.hex();
}

core::Result<size_t> SignGenesisFile(const std::string& genesis_file, const std::string& key_file,
                                     const std::string& signoffs_file) {
  TL_ASSIGN_OR_RETURN(node::Genesis genesis, node::Genesis::Load(genesis_file));
  TL_ASSIGN_OR_RETURN(crypto::KeyPair key, crypto::ReadKeyFile(key_file));
  TL_ASSIGN_OR_RETURN(node::GenesisSignoff mine, node::SignGenesis(genesis, key));
  std::vector<node::GenesisSignoff> signoffs;
  if (fs::exists(signoffs_file)) {
    TL_ASSIGN_OR_RETURN(std::string text, node::ReadFile(signoffs_file, 1 << 20));
    TL_ASSIGN_OR_RETURN(signoffs, node::ParseSignoffs(text, genesis));
  }
  signoffs = node::MergeSignoffs(genesis, std::move(signoffs), {mine});
  TL_RETURN_IF_ERROR(Replace(signoffs_file, node::RenderSignoffs(genesis, signoffs)));
  return signoffs.size();
}

core::Result<std::string> DescribeGenesis(const std::string& genesis_file) {
  TL_ASSIGN_OR_RETURN(node::Genesis genesis, node::Genesis::Load(genesis_file));
  json j = json::parse(genesis.file_bytes);
  std::string out = "chain " + genesis.chain_name + ", id " + genesis.chain_id.hex() + "\n";
  out += "genesis time " + trade::FormatInstant(static_cast<int64_t>(genesis.genesis_time.value)) +
         "\n";
  out += std::to_string(genesis.validators.size()) + " validator(s):\n";
  for (const auto& v : genesis.validators) {
    out += "  " + v.name + " " + v.public_key.hex() + " " +
           (v.address.empty() ? "(no address)" : v.address) + "\n";
  }
  if (j.contains("customs_authority")) {
    const json& c = j["customs_authority"];
    out +=
        "customs authority " + StringField(c, "org_id") + " (" + StringField(c, "legal_name") +
        "), administrator key " +
        (c.contains("members") && !c["members"].empty() ? StringField(c["members"][0], "public_key")
                                                        : std::string("-")) +
        "\n";
  } else {
    out += "no customs authority (a bare network)\n";
  }
  if (j.contains("holidays") && j["holidays"].is_array() && !j["holidays"].empty()) {
    out += "holidays: " + std::to_string(j["holidays"].size()) + " days, " +
           j["holidays"].front().get<std::string>() + " to " +
           j["holidays"].back().get<std::string>() + "\n";
  }
  if (j.contains("ledger_clock")) {
    out += "ledger clock from " + StringField(j["ledger_clock"], "start") + "\n";
  }
  return out;
}

core::Status WriteOperatorConfig(const OperatorConfigOptions& o) {
  const fs::path dir = fs::absolute(o.dir);
  TL_ASSIGN_OR_RETURN(node::GenesisValidator self, ReadOperator((dir / "operator.json").string()));
  TL_ASSIGN_OR_RETURN(node::Genesis genesis, node::Genesis::Load(o.genesis_file));
  TL_ASSIGN_OR_RETURN(auto endpoint, node::ParseHostPort(self.address));
  bool founder = false;
  node::NodeConfig config;
  for (const auto& v : genesis.validators) {
    if (v.public_key == self.public_key) {
      founder = true;
      continue;
    }
    if (v.address.empty()) {
      return core::Fail("GENESIS_NO_ADDRESS", "the genesis gives no address for " + v.name);
    }
    TL_ASSIGN_OR_RETURN(auto peer, node::ParseHostPort(v.address));
    config.peers.push_back({v.name, v.public_key, peer.first, peer.second});
  }
  if (!founder) {
    return core::Fail("NODE_NOT_VALIDATOR", "the genesis does not name " + self.name + "'s key (" +
                                                self.public_key.hex().substr(0, 16) + "…)");
  }
  config.data_dir = "data";
  config.key_file = "validator.key";
  config.genesis_file = fs::relative(fs::absolute(o.genesis_file), dir).string();
  config.genesis_signoffs_file = fs::relative(fs::absolute(o.signoffs_file), dir).string();
  config.http_address = o.http_address;
  config.http_port = o.http_port;
  // The transport binds an IP address: a published host name listens on every interface.
  config.p2p_address = !o.p2p_listen.empty()         ? o.p2p_listen
                       : IsIpLiteral(endpoint.first) ? endpoint.first
                                                     : "0.0.0.0";
  config.p2p_port = endpoint.second;
  return WriteNew(dir / "config.json", config.Render());
}

}  // namespace tradeledger::cli
