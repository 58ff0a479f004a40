#include "trade/participants.h"

#include "trade/holiday_calendar.h"
#include "trade/identifiers.h"
#include "trade/ior_number.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

constexpr size_t kMaxMembers = 64;

core::Bytes Key(std::string_view prefix, std::string_view id) {
  core::Bytes key = core::ToBytes(prefix);
  key.insert(key.end(), id.begin(), id.end());
  return key;
}

const core::Bytes kCustomsOrgKey = core::ToBytes("config/customs-org");
const core::Bytes kIorSaltKey = core::ToBytes("config/ior-salt");
const core::Bytes kHolidaysKey = core::ToBytes("config/holidays");

Json RolesJson(const std::set<std::string>& roles) {
  return Json(std::vector(roles.begin(), roles.end()));
}

core::Result<std::set<std::string>> RolesFrom(const Json& j, const char* field) {
  TL_ASSIGN_OR_RETURN(std::vector<std::string> list, GetStringArray(j, field, 16, 32));
  std::set<std::string> roles;
  for (auto& r : list) {
    if (!kRoles.contains(r)) return core::Fail("ROLE_INVALID", "no role '" + r + "'");
    roles.insert(std::move(r));
  }
  return roles;
}

bool IsOrgIdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':';
}

std::optional<TxOutcome> CheckOrgId(const std::string& id) {
  if (id.empty() || id.size() > 64 || !std::all_of(id.begin(), id.end(), IsOrgIdChar)) {
    return TxOutcome{"PAYLOAD_INVALID", "orgId must be 1..64 characters of [A-Za-z0-9._:-]"};
  }
  return std::nullopt;
}

// Parses one member entry ({"publicKey", "roles", "admin", "validFrom", "validTo"}) for `org`.
core::Result<MemberKey> ParseMember(const Json& m, const Organisation& org, int64_t now) {
  if (!m.is_object()) return core::Fail("PAYLOAD_INVALID", "a member must be an object");
  MemberKey key;
  TL_ASSIGN_OR_RETURN(std::string pk, GetString(m, "publicKey", 64));
  auto parsed = crypto::PublicKey::FromHex(pk);
  if (!parsed) return core::Fail("PAYLOAD_INVALID", "publicKey must be 64 hex digits");
  key.public_key = parsed->hex();
  key.org_id = org.org_id;
  TL_ASSIGN_OR_RETURN(key.roles, RolesFrom(m, "roles"));
  for (const auto& r : key.roles) {
    if (!org.roles.contains(r)) {
      return core::Fail("ROLE_INVALID", "role " + r + " is not a role of " + org.org_id);
    }
  }
  TL_ASSIGN_OR_RETURN(std::optional<bool> admin, GetOptBool(m, "admin"));
  key.admin = admin.value_or(false);
  TL_ASSIGN_OR_RETURN(std::optional<int64_t> from, GetOptInstant(m, "validFrom"));
  key.valid_from = from.value_or(now);
  TL_ASSIGN_OR_RETURN(key.valid_to, GetOptInstant(m, "validTo"));
  if (key.valid_to && *key.valid_to <= key.valid_from) {
    return core::Fail("VALIDITY_INVALID", "validTo must be after validFrom");
  }
  return key;
}

TxOutcome FromError(const core::Error& e) { return TxOutcome{e.code, e.detail}; }

// The actor may manage `org_id`'s keys: an admin key of that organisation, or customs admin.
bool MayManageKeys(const Actor& actor, std::string_view org_id) {
  return (actor.key.admin && actor.org.org_id == org_id) ||
         (actor.is_customs && actor.Has("CBP_ADMIN"));
}

}  // namespace

Json Organisation::ToJson() const {
  Json j = {{"orgId", org_id},           {"legalName", legal_name}, {"country", country},
            {"roles", RolesJson(roles)}, {"status", status},        {"mids", mids}};
  if (!filer_code.empty()) j["filerCode"] = filer_code;
  if (!ior_number_hash.empty()) j["iorNumberHash"] = ior_number_hash;
  return j;
}

core::Result<Organisation> Organisation::FromJson(const Json& j) {
  Organisation o;
  TL_ASSIGN_OR_RETURN(o.org_id, GetString(j, "orgId", 64));
  TL_ASSIGN_OR_RETURN(o.legal_name, GetString(j, "legalName"));
  TL_ASSIGN_OR_RETURN(o.country, GetString(j, "country", 2));
  TL_ASSIGN_OR_RETURN(o.roles, RolesFrom(j, "roles"));
  TL_ASSIGN_OR_RETURN(o.status, GetString(j, "status", 16));
  TL_ASSIGN_OR_RETURN(auto filer, GetOptString(j, "filerCode", 3));
  o.filer_code = filer.value_or("");
  TL_ASSIGN_OR_RETURN(auto ior, GetOptString(j, "iorNumberHash", 64));
  o.ior_number_hash = ior.value_or("");
  TL_ASSIGN_OR_RETURN(o.mids, GetStringArray(j, "mids", 256, 15, false));
  return o;
}

Json MemberKey::ToJson() const {
  Json j = {{"publicKey", public_key}, {"orgId", org_id},         {"roles", RolesJson(roles)},
            {"admin", admin},          {"validFrom", valid_from}, {"status", status}};
  if (valid_to) j["validTo"] = *valid_to;
  if (revoked_at) j["revokedAt"] = *revoked_at;
  return j;
}

core::Result<MemberKey> MemberKey::FromJson(const Json& j) {
  MemberKey k;
  TL_ASSIGN_OR_RETURN(k.public_key, GetString(j, "publicKey", 64));
  TL_ASSIGN_OR_RETURN(k.org_id, GetString(j, "orgId", 64));
  TL_ASSIGN_OR_RETURN(k.roles, RolesFrom(j, "roles"));
  TL_ASSIGN_OR_RETURN(k.admin, GetBool(j, "admin"));
  TL_ASSIGN_OR_RETURN(uint64_t from, GetUint(j, "validFrom"));
  k.valid_from = static_cast<int64_t>(from);
  TL_ASSIGN_OR_RETURN(auto to, GetOptUint(j, "validTo"));
  if (to) k.valid_to = static_cast<int64_t>(*to);
  TL_ASSIGN_OR_RETURN(k.status, GetString(j, "status", 16));
  TL_ASSIGN_OR_RETURN(auto revoked, GetOptUint(j, "revokedAt"));
  if (revoked) k.revoked_at = static_cast<int64_t>(*revoked);
  return k;
}

core::Bytes OrgKey(std::string_view org_id) { return Key("org/", org_id); }
core::Bytes MemberKeyKey(std::string_view public_key_hex) { return Key("key/", public_key_hex); }

core::Result<std::optional<Organisation>> LoadOrganisation(const StateReader& state,
                                                           std::string_view org_id) {
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> j, state.GetJson(OrgKey(org_id)));
  if (j == nullptr) return std::optional<Organisation>();
  auto org = Organisation::FromJson(*j);
  if (!org) return core::Fail("STATE_CORRUPT", "organisation record: " + org.error().ToString());
  return std::optional<Organisation>(std::move(*org));
}

core::Result<std::optional<MemberKey>> LoadMemberKey(const StateReader& state,
                                                     std::string_view public_key_hex) {
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> j, state.GetJson(MemberKeyKey(public_key_hex)));
  if (j == nullptr) return std::optional<MemberKey>();
  auto key = MemberKey::FromJson(*j);
  if (!key) return core::Fail("STATE_CORRUPT", "member key record: " + key.error().ToString());
  return std::optional<MemberKey>(std::move(*key));
}

void SaveOrganisation(WorkingState& state, const Organisation& org) {
  state.Put(OrgKey(org.org_id), ToStateValue(org.ToJson()));
}

void SaveMemberKey(WorkingState& state, const MemberKey& key) {
  state.Put(MemberKeyKey(key.public_key), ToStateValue(key.ToJson()));
}

core::Result<std::string> CustomsOrgId(const StateReader& state) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(kCustomsOrgKey));
  return raw ? std::string(core::AsStringView(*raw)) : std::string();
}

core::Result<std::set<int64_t>> Holidays(const StateReader& state) {
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> j, state.GetJson(kHolidaysKey));
  std::set<int64_t> days;
  if (j == nullptr) return days;
  if (!j->is_array()) return core::Fail("STATE_CORRUPT", "holidays");
  for (const Json& d : *j) {
    if (!d.is_number_integer()) return core::Fail("STATE_CORRUPT", "holidays");
    days.insert(d.get<int64_t>());
  }
  return days;
}

core::Result<core::Bytes> IorSalt(const StateReader& state) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> salt, state.Get(kIorSaltKey));
  return salt.value_or(core::Bytes());
}

core::Result<std::optional<Actor>> ResolveActor(const StateReader& state,
                                                const crypto::PublicKey& signer, int64_t time) {
  TL_ASSIGN_OR_RETURN(std::optional<MemberKey> key, LoadMemberKey(state, signer.hex()));
  if (!key || key->status != "ACTIVE" || time < key->valid_from ||
      (key->valid_to && time >= *key->valid_to)) {
    return std::optional<Actor>();
  }
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> org, LoadOrganisation(state, key->org_id));
  if (!org || org->status != "ACTIVE") return std::optional<Actor>();
  TL_ASSIGN_OR_RETURN(std::string customs, CustomsOrgId(state));
  bool is_customs = !customs.empty() && customs == org->org_id;
  return std::optional<Actor>(Actor{std::move(*org), std::move(*key), is_customs});
}

TxOutcome NotAuthorized(std::string detail) {
  return TxOutcome{"NOT_AUTHORIZED", std::move(detail)};
}

nlohmann::ordered_json RenderCustomsAuthority(const CustomsAuthoritySection& section) {
  return {{"org_id", section.org_id},
          {"legal_name", section.legal_name},
          {"country", section.country},
          {"members",
           {{{"public_key", section.admin_key.hex()}, {"roles", section.roles}, {"admin", true}}}}};
}

core::Status ApplyGenesis(const Json& genesis, WorkingState& state) {
  auto bad = [](const std::string& why) { return core::Fail("GENESIS_INVALID", why); };
  if (genesis.contains("ior_salt")) {
    if (!genesis["ior_salt"].is_string()) return bad("ior_salt must be hex");
    auto salt = core::FromHex(genesis["ior_salt"].get<std::string>());
    if (!salt) return bad("ior_salt must be hex");
    state.Put(kIorSaltKey, *salt);
  }
  if (genesis.contains("holidays")) {
    auto dates = GetStringArray(genesis, "holidays", 1000, 10);
    if (!dates) return bad("holidays must be an array of dates");
    Json days = Json::array();
    for (const auto& d : *dates) {
      auto ms = ParseDate(d);
      if (!ms) return bad("holiday " + d + " is not a date");
      days.push_back(*ms / kMsPerDay);
    }
    state.Put(kHolidaysKey, ToStateValue(days));
  }
  TL_RETURN_IF_ERROR(ApplyCalendarGenesis(genesis, state));
  if (!genesis.contains("customs_authority")) return core::Ok();
  const Json& c = genesis["customs_authority"];
  if (!c.is_object()) return bad("customs_authority must be an object");
  Organisation org;
  auto id = GetString(c, "org_id", 64);
  auto name = GetString(c, "legal_name");
  auto country = GetString(c, "country", 2);
  if (!id || !name || !country || CheckOrgId(*id) || !IsCountryCode(*country)) {
    return bad("customs_authority needs org_id, legal_name and an ISO country");
  }
  org.org_id = *id;
  org.legal_name = *name;
  org.country = *country;
  org.roles = {"CBP_ADMIN", "CBP_OFFICER"};
  SaveOrganisation(state, org);
  state.Put(kCustomsOrgKey, core::ToBytes(org.org_id));
  auto members = GetArray(c, "members", kMaxMembers);
  if (!members || (*members)->empty()) return bad("customs_authority needs members");
  for (const Json& m : **members) {
    Json member = {{"publicKey", m.value("public_key", "")},
                   {"roles", m.value("roles", Json::array())},
                   {"admin", m.value("admin", false)}};
    auto key = ParseMember(member, org, 0);
    if (!key) return bad("customs member: " + key.error().ToString());
    SaveMemberKey(state, *key);
  }
  return core::Ok();
}

core::Result<TxOutcome> ExecuteOrgAdmit(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->is_customs || !actor->Has("CBP_ADMIN")) {
    return NotAuthorized("only a customs administrator admits organisations");
  }
  auto body = ParseBody(tx.body);
  if (!body) return FromError(body.error());
  Organisation org;
  auto id = GetString(*body, "orgId", 64);
  if (!id) return FromError(id.error());
  if (auto bad = CheckOrgId(*id)) return *bad;
  org.org_id = *id;
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> existing, LoadOrganisation(state, org.org_id));
  if (existing) return TxOutcome{"ORG_EXISTS", "organisation " + org.org_id + " exists"};
  auto name = GetString(*body, "legalName");
  if (!name) return FromError(name.error());
  org.legal_name = *name;
  auto country = GetString(*body, "country", 2);
  if (!country) return FromError(country.error());
  if (!IsCountryCode(*country)) return TxOutcome{"COUNTRY_CODE_INVALID", *country};
  org.country = *country;
  auto roles = RolesFrom(*body, "roles");
  if (!roles) return FromError(roles.error());
  for (const auto& r : *roles) {
    if (r.starts_with("CBP_")) return TxOutcome{"ROLE_INVALID", r + " is reserved to customs"};
  }
  org.roles = *roles;
  auto filer = GetOptString(*body, "filerCode", 3);
  if (!filer) return FromError(filer.error());
  org.filer_code = filer->value_or("");
  auto ior = GetOptString(*body, "iorNumberHash", 64);
  if (!ior) return FromError(ior.error());
  if (*ior) {
    if (!IsIorNumberHash(**ior)) {
      return TxOutcome{"IOR_FORMAT", "iorNumberHash is not 64 lower-case hex digits"};
    }
    org.ior_number_hash = **ior;
  }
  auto mids = GetStringArray(*body, "mids", 256, 15, false);
  if (!mids) return FromError(mids.error());
  for (const auto& mid : *mids) {
    if (!IsValidMid(mid)) return TxOutcome{"MID_FORMAT", "MID '" + mid + "'"};
  }
  org.mids = *mids;
  auto members = GetArray(*body, "members", kMaxMembers);
  if (!members) return FromError(members.error());
  std::vector<MemberKey> keys;
  for (const Json& m : **members) {
    auto key = ParseMember(m, org, now);
    if (!key) return FromError(key.error());
    TL_ASSIGN_OR_RETURN(std::optional<MemberKey> taken, LoadMemberKey(state, key->public_key));
    if (taken) return TxOutcome{"KEY_IN_USE", "key " + key->public_key + " is registered"};
    keys.push_back(std::move(*key));
  }
  SaveOrganisation(state, org);
  for (const auto& k : keys) SaveMemberKey(state, k);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteOrgSetStatus(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->is_customs || !actor->Has("CBP_ADMIN")) {
    return NotAuthorized("only a customs administrator changes an organisation's status");
  }
  auto body = ParseBody(tx.body);
  if (!body) return FromError(body.error());
  auto id = GetString(*body, "orgId", 64);
  auto status = GetString(*body, "status", 16);
  if (!id) return FromError(id.error());
  if (!status) return FromError(status.error());
  if (*status != "ACTIVE" && *status != "SUSPENDED" && *status != "REVOKED") {
    return TxOutcome{"PAYLOAD_INVALID", "status must be ACTIVE, SUSPENDED or REVOKED"};
  }
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> org, LoadOrganisation(state, *id));
  if (!org) return TxOutcome{"ORG_NOT_FOUND", *id};
  if (org->org_id == actor->org.org_id) {
    return TxOutcome{"NOT_AUTHORIZED", "the customs authority cannot change its own status"};
  }
  if (org->status == "REVOKED") return TxOutcome{"ORG_REVOKED", "a revoked organisation is final"};
  org->status = *status;
  SaveOrganisation(state, *org);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteOrgSetRoles(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->is_customs || !actor->Has("CBP_ADMIN")) {
    return NotAuthorized("only a customs administrator assigns roles");
  }
  auto body = ParseBody(tx.body);
  if (!body) return FromError(body.error());
  auto id = GetString(*body, "orgId", 64);
  if (!id) return FromError(id.error());
  auto roles = RolesFrom(*body, "roles");
  if (!roles) return FromError(roles.error());
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> org, LoadOrganisation(state, *id));
  if (!org) return TxOutcome{"ORG_NOT_FOUND", *id};
  bool customs = org->org_id == actor->org.org_id;
  for (const auto& r : *roles) {
    if (r.starts_with("CBP_") != customs) {
      return TxOutcome{"ROLE_INVALID",
                       r + (customs ? " is not a customs role" : " is reserved to customs")};
    }
  }
  org->roles = *roles;
  SaveOrganisation(state, *org);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteMemberAdd(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return FromError(body.error());
  auto org_id = GetOptString(*body, "orgId", 64);
  if (!org_id) return FromError(org_id.error());
  std::string target = org_id->value_or(actor->org.org_id);
  if (!MayManageKeys(*actor, target)) {
    return NotAuthorized("only an admin key of " + target + " or customs adds its keys");
  }
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> org, LoadOrganisation(state, target));
  if (!org) return TxOutcome{"ORG_NOT_FOUND", target};
  auto key = ParseMember(*body, *org, now);
  if (!key) return FromError(key.error());
  TL_ASSIGN_OR_RETURN(std::optional<MemberKey> taken, LoadMemberKey(state, key->public_key));
  if (taken) return TxOutcome{"KEY_IN_USE", "key " + key->public_key + " is registered"};
  SaveMemberKey(state, *key);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteMemberRotate(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return FromError(body.error());
  auto old_hex = GetString(*body, "oldPublicKey", 64);
  auto new_hex = GetString(*body, "newPublicKey", 64);
  if (!old_hex) return FromError(old_hex.error());
  if (!new_hex) return FromError(new_hex.error());
  auto old_pk = crypto::PublicKey::FromHex(*old_hex);
  auto new_pk = crypto::PublicKey::FromHex(*new_hex);
  if (!old_pk || !new_pk) return TxOutcome{"PAYLOAD_INVALID", "keys must be 64 hex digits"};
  TL_ASSIGN_OR_RETURN(std::optional<MemberKey> old_key, LoadMemberKey(state, old_pk->hex()));
  if (!old_key || old_key->status != "ACTIVE") return TxOutcome{"KEY_NOT_FOUND", old_pk->hex()};
  bool own = old_pk->hex() == actor->key.public_key;
  if (!own && !MayManageKeys(*actor, old_key->org_id)) {
    return NotAuthorized(
        "only the key itself, an admin key of its organisation or customs "
        "rotates it");
  }
  TL_ASSIGN_OR_RETURN(std::optional<MemberKey> taken, LoadMemberKey(state, new_pk->hex()));
  if (taken) return TxOutcome{"KEY_IN_USE", "key " + new_pk->hex() + " is registered"};
  MemberKey fresh = *old_key;
  fresh.public_key = new_pk->hex();
  fresh.valid_from = now;
  fresh.revoked_at.reset();
  old_key->status = "REVOKED";
  old_key->revoked_at = now;
  SaveMemberKey(state, *old_key);
  SaveMemberKey(state, fresh);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteMemberRevoke(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return FromError(body.error());
  auto hex = GetString(*body, "publicKey", 64);
  if (!hex) return FromError(hex.error());
  auto pk = crypto::PublicKey::FromHex(*hex);
  if (!pk) return TxOutcome{"PAYLOAD_INVALID", "publicKey must be 64 hex digits"};
  TL_ASSIGN_OR_RETURN(std::optional<MemberKey> key, LoadMemberKey(state, pk->hex()));
  if (!key || key->status != "ACTIVE") return TxOutcome{"KEY_NOT_FOUND", pk->hex()};
  bool own = pk->hex() == actor->key.public_key;
  if (!own && !MayManageKeys(*actor, key->org_id)) {
    return NotAuthorized(
        "only the key itself, an admin key of its organisation or customs "
        "revokes it");
  }
  key->status = "REVOKED";
  key->revoked_at = now;
  SaveMemberKey(state, *key);
  return TxOutcome{};
}

}  // namespace tradeledger::trade
