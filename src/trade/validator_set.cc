#include "trade/validator_set.h"

#include <charconv>
#include <set>

#include "trade/participants.h"

namespace tradeledger::trade {
namespace {

const std::string kCurrentKey = "config/validators";

core::Bytes HistoryKey(uint64_t epoch) {
  return core::ToBytes(kCurrentKey + "/" + std::to_string(epoch));
}

TxOutcome Invalid(std::string detail) {
  return TxOutcome{"VALIDATOR_SET_INVALID", std::move(detail)};
}

// "host:port" with a non-empty host and a port in 1..65535.
std::optional<std::pair<std::string, uint16_t>> ParseAddress(const std::string& address) {
  auto colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == address.size()) return std::nullopt;
  unsigned port = 0;
  const char* first = address.data() + colon + 1;
  const char* last = address.data() + address.size();
  auto [end, ec] = std::from_chars(first, last, port);
  if (ec != std::errc() || end != last || port == 0 || port > 65535) return std::nullopt;
  return std::pair{address.substr(0, colon), static_cast<uint16_t>(port)};
}

core::Result<std::optional<ValidatorSetRecord>> Read(const StateReader& state,
                                                     const core::Bytes& key) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(key));
  if (!raw) return std::optional<ValidatorSetRecord>();
  TL_ASSIGN_OR_RETURN(Json j, FromStateValue(*raw));
  auto record = ValidatorSetFromJson(j);
  if (!record) return core::Fail("STATE_CORRUPT", "validator set: " + record.error().ToString());
  return std::optional<ValidatorSetRecord>(std::move(*record));
}

}  // namespace

Json ValidatorSetToJson(const ValidatorSetRecord& record) {
  Json validators = Json::array();
  for (const ValidatorEntry& v : record.validators) {
    validators.push_back({{"name", v.name},
                          {"publicKey", v.public_key.hex()},
                          {"address", v.host + ":" + std::to_string(v.port)}});
  }
  return Json{{"epoch", record.epoch},
              {"fromHeight", record.from_height},
              {"txId", record.tx_id},
              {"validators", std::move(validators)}};
}

core::Result<ValidatorSetRecord> ValidatorSetFromJson(const Json& j) {
  ValidatorSetRecord r;
  if (j.contains("epoch")) {
    TL_ASSIGN_OR_RETURN(r.epoch, GetUint(j, "epoch"));
  }
  if (j.contains("fromHeight")) {
    TL_ASSIGN_OR_RETURN(r.from_height, GetUint(j, "fromHeight"));
  }
  TL_ASSIGN_OR_RETURN(std::optional<std::string> tx, GetOptString(j, "txId", 64));
  r.tx_id = tx.value_or("");
  if (!j.contains("validators") || !j["validators"].is_array()) {
    return core::Fail("PAYLOAD_INVALID", "validators must be an array");
  }
  std::set<crypto::PublicKey> seen;
  for (const Json& v : j["validators"]) {
    if (!v.is_object()) return core::Fail("PAYLOAD_INVALID", "each validator is an object");
    ValidatorEntry e;
    TL_ASSIGN_OR_RETURN(e.name, GetString(v, "name", 64));
    TL_ASSIGN_OR_RETURN(std::string key, GetString(v, "publicKey", 64));
    auto parsed = crypto::PublicKey::FromHex(key);
    if (!parsed) return core::Fail("VALIDATOR_SET_INVALID", "publicKey is not 64 hex digits");
    e.public_key = *parsed;
    TL_ASSIGN_OR_RETURN(std::string address, GetString(v, "address", 256));
    auto hp = ParseAddress(address);
    if (!hp) return core::Fail("VALIDATOR_SET_INVALID", "address must be host:port: " + address);
    e.host = hp->first;
    e.port = hp->second;
    if (!seen.insert(e.public_key).second) {
      return core::Fail("VALIDATOR_SET_INVALID", "key listed twice: " + key);
    }
    r.validators.push_back(std::move(e));
  }
  size_t n = r.validators.size();
  if (n != 1 && (n < 4 || n > 64)) {
    return core::Fail("VALIDATOR_SET_INVALID",
                      "a set has 1 or 4 to 64 validators (n = 3f+1), not " + std::to_string(n));
  }
  return r;
}

core::Result<std::optional<ValidatorSetRecord>> CurrentValidatorSet(const StateReader& state) {
  return Read(state, core::ToBytes(kCurrentKey));
}

core::Result<std::vector<ValidatorSetRecord>> ValidatorSetHistory(const StateReader& state) {
  std::vector<ValidatorSetRecord> out;
  TL_ASSIGN_OR_RETURN(std::optional<ValidatorSetRecord> current, CurrentValidatorSet(state));
  if (!current) return out;
  for (uint64_t epoch = 1; epoch <= current->epoch; ++epoch) {
    TL_ASSIGN_OR_RETURN(std::optional<ValidatorSetRecord> r, Read(state, HistoryKey(epoch)));
    if (!r)
      return core::Fail("STATE_CORRUPT", "no record of validator epoch " + std::to_string(epoch));
    out.push_back(std::move(*r));
  }
  return out;
}

core::Result<TxOutcome> ExecuteValidatorSet(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->is_customs || !actor->Has("CBP_ADMIN")) {
    return NotAuthorized("only a customs administrator changes the validator set");
  }
  auto body = ParseBody(tx.body);
  if (!body) return TxOutcome{body.error().code, body.error().detail};
  auto record = ValidatorSetFromJson(Json{{"validators", body->value("validators", Json())}});
  if (!record) {
    if (record.error().code == "VALIDATOR_SET_INVALID") return Invalid(record.error().detail);
    return TxOutcome{record.error().code, record.error().detail};
  }
  TL_ASSIGN_OR_RETURN(std::optional<ValidatorSetRecord> current, CurrentValidatorSet(state));
  record->epoch = current ? current->epoch + 1 : 1;
  record->from_height = tx.height.value + 1;
  record->tx_id = tx.tx_id.hex();
  core::Bytes value = ToStateValue(ValidatorSetToJson(*record));
  state.Put(core::ToBytes(kCurrentKey), value);
  state.Put(HistoryKey(record->epoch), value);
  return TxOutcome{};
}

}  // namespace tradeledger::trade
