#include "node/genesis_signoff.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "node/json_fields.h"

namespace tradeledger::node {
namespace {

constexpr std::string_view kContext = "TRADELEDGER/GENESIS/v1";

const GenesisValidator* Founder(const Genesis& genesis, const crypto::PublicKey& key) {
  for (const auto& v : genesis.validators) {
    if (v.public_key == key) return &v;
  }
  return nullptr;
}

}  // namespace

core::Bytes GenesisSignoffMessage(const ledger::ChainId& chain) {
  core::Bytes out = core::ToBytes(kContext);
  out.push_back(0);
  out.insert(out.end(), chain.hash.data.begin(), chain.hash.data.end());
  return out;
}

core::Result<GenesisSignoff> SignGenesis(const Genesis& genesis, const crypto::KeyPair& key) {
  const GenesisValidator* founder = Founder(genesis, key.public_key);
  if (founder == nullptr) {
    return core::Fail(
        "SIGNOFF_NOT_A_VALIDATOR",
        "the genesis does not name key " + key.public_key.hex().substr(0, 16) + "… as a validator");
  }
  return GenesisSignoff{founder->name, key.public_key,
                        crypto::Sign(key.secret_key, GenesisSignoffMessage(genesis.chain_id))};
}

core::Result<std::vector<GenesisSignoff>> ParseSignoffs(std::string_view text,
                                                        const Genesis& genesis) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("chain_id") || !j["chain_id"].is_string() ||
      !j.contains("signoffs") || !j["signoffs"].is_array()) {
    return core::Fail("SIGNOFFS_INVALID", "expected {\"chain_id\": ..., \"signoffs\": [...]}");
  }
  TL_RETURN_IF_ERROR(OnlyKnownFields(j, {"chain_id", "signoffs"}, "", "SIGNOFFS_INVALID"));
  if (j["chain_id"].get<std::string>() != genesis.chain_id.hex()) {
    return core::Fail("SIGNOFFS_WRONG_CHAIN", "the sign-offs are for chain " +
                                                  j["chain_id"].get<std::string>() +
                                                  ", the genesis is " + genesis.chain_id.hex());
  }
  std::vector<GenesisSignoff> out;
  for (const auto& s : j["signoffs"]) {
    if (!s.is_object() || !s.contains("public_key") || !s["public_key"].is_string() ||
        !s.contains("signature") || !s["signature"].is_string()) {
      return core::Fail("SIGNOFFS_INVALID", "each sign-off needs public_key and signature");
    }
    TL_RETURN_IF_ERROR(
        OnlyKnownFields(s, {"name", "public_key", "signature"}, "a sign-off", "SIGNOFFS_INVALID"));
    auto key = crypto::PublicKey::FromHex(s["public_key"].get<std::string>());
    auto signature = crypto::Signature::FromHex(s["signature"].get<std::string>());
    if (!key || !signature) {
      return core::Fail("SIGNOFFS_INVALID", "public_key is 64 and signature 128 hex digits");
    }
    std::string name = s.contains("name") && s["name"].is_string() ? s["name"].get<std::string>()
                                                                   : key->hex().substr(0, 8);
    out.push_back({std::move(name), *key, *signature});
  }
  return out;
}

std::vector<GenesisSignoff> MergeSignoffs(const Genesis& genesis,
                                          std::vector<GenesisSignoff> signoffs,
                                          const std::vector<GenesisSignoff>& added) {
  for (const auto& a : added) {
    auto same = std::find_if(signoffs.begin(), signoffs.end(),
                             [&](const GenesisSignoff& s) { return s.public_key == a.public_key; });
    if (same != signoffs.end()) {
      *same = a;
    } else {
      signoffs.push_back(a);
    }
  }
  std::vector<GenesisSignoff> ordered;
  for (const auto& v : genesis.validators) {
    for (const auto& s : signoffs) {
      if (s.public_key == v.public_key) ordered.push_back(s);
    }
  }
  return ordered;
}

std::string RenderSignoffs(const Genesis& genesis, const std::vector<GenesisSignoff>& signoffs) {
  nlohmann::ordered_json j;
  j["chain_id"] = genesis.chain_id.hex();
  j["signoffs"] = nlohmann::ordered_json::array();
  for (const auto& s : signoffs) {
    j["signoffs"].push_back(
        {{"name", s.name}, {"public_key", s.public_key.hex()}, {"signature", s.signature.hex()}});
  }
  return j.dump(2) + "\n";
}

core::Status CheckSignoffs(const Genesis& genesis, const std::vector<GenesisSignoff>& signoffs) {
  const core::Bytes message = GenesisSignoffMessage(genesis.chain_id);
  std::string missing, invalid;
  for (const auto& v : genesis.validators) {
    bool found = false, valid = false;
    for (const auto& s : signoffs) {
      if (s.public_key != v.public_key) continue;
      found = true;
      valid = valid || crypto::Verify(s.public_key, message, s.signature);
    }
    if (!found) missing += (missing.empty() ? "" : ", ") + v.name;
    if (found && !valid) invalid += (invalid.empty() ? "" : ", ") + v.name;
  }
  if (missing.empty() && invalid.empty()) return core::Ok();
  std::string detail;
  if (!missing.empty()) detail = "no sign-off by " + missing;
  if (!invalid.empty()) detail += (detail.empty() ? "" : "; ") + ("bad signature by " + invalid);
  return core::Fail("GENESIS_NOT_SIGNED_OFF", detail);
}

}  // namespace tradeledger::node
