#include "trade/delegation.h"

#include <set>

#include "trade/participants.h"

namespace tradeledger::trade {
namespace {

const std::set<std::string> kScopes = {kScopeFileEntry, kScopeClaimPreference,
                                       kScopePresentLicense};

core::Bytes DelegationKey(std::string_view id) {
  return core::ToBytes("delegation/" + std::string(id));
}

core::Bytes PairKey(std::string_view principal, std::string_view agent) {
  return core::ToBytes("delegation-pair/" + std::string(principal) + "/" + std::string(agent));
}

TxOutcome FromError(const core::Error& e) { return TxOutcome{e.code, e.detail}; }

bool Covers(const Json& d, std::string_view scope, int64_t time) {
  if (d.value("state", "") != "ACTIVE") return false;
  if (time < d.value("validFrom", int64_t{0}) || time >= d.value("validTo", int64_t{0}))
    return false;
  for (const Json& s : d["scope"]) {
    if (s.get<std::string>() == scope) return true;
  }
  return false;
}

}  // namespace

core::Result<std::optional<Json>> LoadDelegation(const StateReader& state,
                                                 std::string_view delegation_id) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(DelegationKey(delegation_id)));
  if (!raw) return std::optional<Json>();
  TL_ASSIGN_OR_RETURN(Json j, FromStateValue(*raw));
  return std::optional<Json>(std::move(j));
}

core::Result<bool> HasActiveDelegation(const StateReader& state, std::string_view principal,
                                       std::string_view agent, std::string_view scope,
                                       int64_t time) {
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> ids, state.GetJson(PairKey(principal, agent)));
  if (ids == nullptr) return false;
  if (!ids->is_array()) return core::Fail("STATE_CORRUPT", "delegation pair index");
  for (const Json& id : *ids) {
    if (!id.is_string()) return core::Fail("STATE_CORRUPT", "delegation pair index");
    TL_ASSIGN_OR_RETURN(std::optional<Json> d, LoadDelegation(state, id.get<std::string>()));
    if (d && Covers(*d, scope, time)) return true;
  }
  return false;
}

core::Result<bool> MayActForImporter(const StateReader& state, std::string_view actor_org,
                                     std::string_view importer, std::string_view scope,
                                     int64_t time) {
  if (actor_org == importer) return true;
  return HasActiveDelegation(state, importer, actor_org, scope, time);
}

core::Result<TxOutcome> ExecuteDelegationGrant(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->Has("IMPORTER")) {
    return NotAuthorized("only an importer grants filing delegations");
  }
  auto body = ParseBody(tx.body);
  if (!body) return FromError(body.error());
  auto id = GetString(*body, "delegationId", 128);
  auto agent = GetString(*body, "agent", 64);
  auto scope = GetStringArray(*body, "scope", 3, 32);
  auto from = GetInstant(*body, "validFrom");
  auto to = GetInstant(*body, "validTo");
  for (const core::Error* e : {id ? nullptr : &id.error(), agent ? nullptr : &agent.error(),
                               scope ? nullptr : &scope.error(), from ? nullptr : &from.error(),
                               to ? nullptr : &to.error()}) {
    if (e) return FromError(*e);
  }
  if (scope->empty()) return TxOutcome{"PAYLOAD_INVALID", "scope must name at least one action"};
  for (const auto& s : *scope) {
    if (!kScopes.contains(s)) return TxOutcome{"PAYLOAD_INVALID", "no delegation scope " + s};
  }
  if (*to <= *from) return TxOutcome{"VALIDITY_INVALID", "validTo must be after validFrom"};
  if (*agent == actor->org.org_id) return TxOutcome{"PAYLOAD_INVALID", "cannot delegate to itself"};
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> agent_org, LoadOrganisation(state, *agent));
  if (!agent_org) return TxOutcome{"ORG_NOT_FOUND", "no organisation " + *agent};
  TL_ASSIGN_OR_RETURN(std::optional<Json> existing, LoadDelegation(state, *id));
  if (existing) return TxOutcome{"DELEGATION_EXISTS", *id};

  Json d = {{"delegationId", *id},   {"principal", actor->org.org_id},
            {"agent", *agent},       {"scope", *scope},
            {"validFrom", *from},    {"validTo", *to},
            {"state", "ACTIVE"},     {"grantedAt", now},
            {"txId", tx.tx_id.hex()}};
  state.Put(DelegationKey(*id), ToStateValue(d));
  core::Bytes pair_key = PairKey(actor->org.org_id, *agent);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> pair_raw, state.Get(pair_key));
  Json ids = Json::array();
  if (pair_raw) {
    TL_ASSIGN_OR_RETURN(ids, FromStateValue(*pair_raw));
  }
  ids.push_back(*id);
  state.Put(pair_key, ToStateValue(ids));
  return TxOutcome{};
}

core::Result<Json> ViewDelegation(const Json& d, const Actor& reader) {
  if (reader.is_customs || d.value("principal", "") == reader.org.org_id ||
      d.value("agent", "") == reader.org.org_id) {
    return d;
  }
  return core::Fail("NOT_AUTHORIZED",
                    "no read access to delegation " + d.value("delegationId", std::string()));
}

core::Result<TxOutcome> ExecuteDelegationRevoke(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return FromError(body.error());
  auto id = GetString(*body, "delegationId", 128);
  if (!id) return FromError(id.error());
  TL_ASSIGN_OR_RETURN(std::optional<Json> d, LoadDelegation(state, *id));
  if (!d) return TxOutcome{"DELEGATION_NOT_FOUND", *id};
  bool principal = d->value("principal", "") == actor->org.org_id && actor->Has("IMPORTER");
  if (!principal && !(actor->is_customs && actor->Has("CBP_ADMIN"))) {
    return NotAuthorized("only the importer that granted a delegation revokes it");
  }
  if ((*d)["state"] == "REVOKED") return TxOutcome{"DELEGATION_REVOKED", *id};
  (*d)["state"] = "REVOKED";
  (*d)["revokedAt"] = now;
  state.Put(DelegationKey(*id), ToStateValue(*d));
  return TxOutcome{};
}

}  // namespace tradeledger::trade
