#include "cli/ior_client.h"

#include <map>
#include <mutex>

#include "trade/ior_number.h"

namespace tradeledger::cli {

core::Result<core::Bytes> FetchIorSalt(NodeClient& client, const crypto::KeyPair& key,
                                       const ledger::ChainId& chain) {
  TL_ASSIGN_OR_RETURN(JsonResponse me, client.SignedGet("/v1/me", key, chain));
  if (me.status != 200 || !me.body.contains("iorSalt") || !me.body["iorSalt"].is_string()) {
    return core::Fail(
        me.status == 401 || me.status == 403 ? "AUTH_UNKNOWN_KEY" : "NODE_UNAVAILABLE",
        "GET /v1/me: " + DescribeError(me));
  }
  return core::FromHex(me.body["iorSalt"].get<std::string>());
}

core::Result<nlohmann::json> HashIorNumberField(nlohmann::json body, core::ByteSpan salt) {
  if (!body.is_object() || !body.contains("iorNumber")) return body;
  if (!body["iorNumber"].is_string()) return core::Fail("IOR_FORMAT", "iorNumber is not a string");
  std::string importer;
  for (const char* field : {"orgId", "importer"}) {
    if (body.contains(field) && body[field].is_string()) {
      importer = body[field].get<std::string>();
      break;
    }
  }
  if (importer.empty()) {
    return core::Fail("IOR_IMPORTER_MISSING", "iorNumber needs the importer's orgId or importer");
  }
  std::string number = body["iorNumber"].get<std::string>();
  static std::mutex mu;
  static std::map<std::string, std::string> cache;
  std::string key = core::ToHex(salt) + "/" + importer + "/" + number;
  std::string hash;
  {
    std::lock_guard lock(mu);
    if (auto it = cache.find(key); it != cache.end()) hash = it->second;
  }
  if (hash.empty()) {
    TL_ASSIGN_OR_RETURN(hash, trade::IorNumberHash(salt, importer, number));
    std::lock_guard lock(mu);
    cache[key] = hash;
  }
  body.erase("iorNumber");
  body["iorNumberHash"] = hash;
  return body;
}

}  // namespace tradeledger::cli
