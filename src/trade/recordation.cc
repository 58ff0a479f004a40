#include "trade/recordation.h"

#include <set>

#include "core/bytes.h"
#include "trade/ipr_common.h"
#include "trade/participants.h"

namespace tradeledger::trade {
namespace {

const std::set<std::string, std::less<>> kRightTypes = {"TRADEMARK", "COPYRIGHT", "TRADE_NAME"};
constexpr uint64_t kMaxNiceClass = 45;

std::string_view PrefixOf(std::string_view right_type) {
  if (right_type == "TRADEMARK") return "TMK";
  if (right_type == "COPYRIGHT") return "COP";
  if (right_type == "TRADE_NAME") return "TNM";
  return "";
}

bool IsHexHash(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// Parses the body of ipr.recordation.apply (no state is read).
core::Result<Recordation> ParseApply(const Json& body) {
  Recordation r;
  TL_ASSIGN_OR_RETURN(r.right_type, GetString(body, "rightType", 32));
  if (!kRightTypes.contains(r.right_type)) {
    return core::Fail("PAYLOAD_INVALID", "rightType must be TRADEMARK, COPYRIGHT or TRADE_NAME");
  }
  TL_ASSIGN_OR_RETURN(r.recordation_no, GetString(body, "recordationNo", 32));
  if (!IsValidRecordationNo(r.recordation_no, r.right_type)) {
    return core::Fail("RECORDATION_NO_INVALID", "recordationNo must be '" +
                                                    std::string(PrefixOf(r.right_type)) +
                                                    " YY-NNNNN' for a " + r.right_type);
  }
  TL_ASSIGN_OR_RETURN(r.registration_no, GetString(body, "registrationNo", 64));
  TL_ASSIGN_OR_RETURN(r.mark, GetString(body, "mark", 256));
  TL_ASSIGN_OR_RETURN(r.goods_description, GetString(body, "goodsDescription", 2048));
  TL_ASSIGN_OR_RETURN(const Json* classes, GetArray(body, "intlClasses", 45));
  for (const Json& c : *classes) {
    if (!c.is_number_unsigned() || c.get<uint64_t>() < 1 || c.get<uint64_t>() > kMaxNiceClass) {
      return core::Fail("PAYLOAD_INVALID", "intlClasses must be Nice classes 1..45");
    }
    r.intl_classes.push_back(c.get<uint64_t>());
  }
  if (r.right_type == "TRADEMARK" && r.intl_classes.empty()) {
    return core::Fail("PAYLOAD_INVALID", "a trademark recordation names its classes");
  }
  TL_ASSIGN_OR_RETURN(r.places_of_manufacture,
                      GetStringArray(body, "placesOfManufacture", 64, 512, false));
  TL_ASSIGN_OR_RETURN(r.affiliates, GetStringArray(body, "affiliates", 64, 512, false));
  TL_ASSIGN_OR_RETURN(std::optional<bool> lever, GetOptBool(body, "leverRule"));
  r.lever_rule = lever.value_or(false);
  TL_ASSIGN_OR_RETURN(r.lever_differences,
                      GetStringArray(body, "leverDifferences", 64, 1024, false));
  if (!r.lever_rule && !r.lever_differences.empty()) {
    return core::Fail("PAYLOAD_INVALID", "leverDifferences require leverRule");
  }
  TL_ASSIGN_OR_RETURN(r.images, GetStringArray(body, "images", 32, 64, false));
  for (const std::string& h : r.images) {
    if (!IsHexHash(h)) return core::Fail("PAYLOAD_INVALID", "images must be SHA-256 lower hex");
  }
  if (body.contains("authorizedUsers")) {
    TL_ASSIGN_OR_RETURN(const Json* users, GetArray(body, "authorizedUsers", 64));
    for (const Json& u : *users) {
      if (!u.is_object()) return core::Fail("PAYLOAD_INVALID", "authorizedUsers holds objects");
      TL_ASSIGN_OR_RETURN(std::string name, GetString(u, "name", 256));
      TL_ASSIGN_OR_RETURN(std::string address, GetString(u, "address", 512));
      TL_ASSIGN_OR_RETURN(std::string use, GetString(u, "useAuthorized", 512));
      r.authorized_users.push_back({{"name", name}, {"address", address}, {"useAuthorized", use}});
    }
  }
  TL_ASSIGN_OR_RETURN(r.valid_until, GetDate(body, "validUntil"));
  return r;
}

struct Decision {
  Actor actor;
  Recordation rec;
  Json body;
};

// Resolves the signer and loads the recordation named in the body. The error side is a
// storage failure; on a rule failure the decision is empty and the outcome says why.
core::Result<std::pair<std::optional<Decision>, TxOutcome>> Prepare(const WorkingState& state,
                                                                    const TxContext& tx) {
  using R = std::pair<std::optional<Decision>, TxOutcome>;
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return R{std::nullopt, NotAuthorized("signer is not an active member")};
  auto body = ParseBody(tx.body);
  if (!body) return R{std::nullopt, IprFromError(body.error())};
  auto no = GetString(*body, "recordationNo", 32);
  if (!no) return R{std::nullopt, IprFromError(no.error())};
  TL_ASSIGN_OR_RETURN(std::optional<Recordation> rec, LoadRecordation(state, *no));
  if (!rec) return R{std::nullopt, TxOutcome{"RECORDATION_NOT_FOUND", *no}};
  return R{Decision{std::move(*actor), std::move(*rec), std::move(*body)}, TxOutcome{}};
}

TxOutcome BadTransition(const Recordation& r, std::string_view action, int64_t now) {
  return TxOutcome{"RECORDATION_STATE_INVALID", "cannot " + std::string(action) + " a " +
                                                    RecordationStateAt(r, now) + " recordation"};
}

}  // namespace

Json Recordation::ToJson() const {
  Json j = {{"recordationNo", recordation_no},
            {"rightType", right_type},
            {"registrationNo", registration_no},
            {"mark", mark},
            {"owner", owner},
            {"intlClasses", intl_classes},
            {"goodsDescription", goods_description},
            {"placesOfManufacture", places_of_manufacture},
            {"authorizedUsers", authorized_users},
            {"affiliates", affiliates},
            {"leverRule", lever_rule},
            {"leverDifferences", lever_differences},
            {"images", images},
            {"validUntil", valid_until},
            {"state", state},
            {"appliedAt", applied_at},
            {"decidedBy", decided_by}};
  if (approved_at) j["approvedAt"] = *approved_at;
  if (closed_at) j["closedAt"] = *closed_at;
  if (!reject_reason.empty()) j["rejectReason"] = reject_reason;
  return j;
}

core::Result<Recordation> Recordation::FromJson(const Json& j) {
  Recordation r;
  TL_ASSIGN_OR_RETURN(r.recordation_no, RecordString(j, "recordationNo"));
  TL_ASSIGN_OR_RETURN(r.right_type, RecordString(j, "rightType"));
  TL_ASSIGN_OR_RETURN(r.registration_no, RecordString(j, "registrationNo"));
  TL_ASSIGN_OR_RETURN(r.mark, RecordString(j, "mark"));
  TL_ASSIGN_OR_RETURN(r.owner, RecordString(j, "owner"));
  TL_ASSIGN_OR_RETURN(r.goods_description, RecordString(j, "goodsDescription"));
  TL_ASSIGN_OR_RETURN(r.places_of_manufacture, RecordStrings(j, "placesOfManufacture"));
  TL_ASSIGN_OR_RETURN(r.affiliates, RecordStrings(j, "affiliates"));
  TL_ASSIGN_OR_RETURN(r.lever_differences, RecordStrings(j, "leverDifferences"));
  TL_ASSIGN_OR_RETURN(r.images, RecordStrings(j, "images"));
  TL_ASSIGN_OR_RETURN(r.valid_until, RecordInt(j, "validUntil"));
  TL_ASSIGN_OR_RETURN(r.state, RecordString(j, "state"));
  TL_ASSIGN_OR_RETURN(r.applied_at, RecordInt(j, "appliedAt"));
  TL_ASSIGN_OR_RETURN(r.approved_at, RecordOptInt(j, "approvedAt"));
  TL_ASSIGN_OR_RETURN(r.closed_at, RecordOptInt(j, "closedAt"));
  TL_ASSIGN_OR_RETURN(r.decided_by, RecordString(j, "decidedBy"));
  TL_ASSIGN_OR_RETURN(r.reject_reason, RecordString(j, "rejectReason"));
  auto classes = j.find("intlClasses");
  if (classes != j.end() && classes->is_array()) {
    for (const Json& c : *classes) {
      if (!c.is_number_unsigned()) return core::Fail("STATE_CORRUPT", "intlClasses");
      r.intl_classes.push_back(c.get<uint64_t>());
    }
  }
  auto users = j.find("authorizedUsers");
  if (users != j.end() && users->is_array()) r.authorized_users = *users;
  auto lever = j.find("leverRule");
  r.lever_rule = lever != j.end() && lever->is_boolean() && lever->get<bool>();
  return r;
}

std::string RecordationStateAt(const Recordation& r, int64_t time) {
  if (r.state == "CANCELLED" && r.approved_at && r.closed_at && time < *r.closed_at) {
    return time >= r.valid_until ? "EXPIRED" : "ACTIVE";
  }
  if (r.state == "ACTIVE" && time >= r.valid_until) return "EXPIRED";
  return r.state;
}

bool IsValidRecordationNo(std::string_view no, std::string_view right_type) {
  std::string_view prefix = PrefixOf(right_type);
  if (prefix.empty() || no.size() != 12 || no.substr(0, 3) != prefix || no[3] != ' ' ||
      no[6] != '-') {
    return false;
  }
  for (size_t i : {4, 5, 7, 8, 9, 10, 11}) {
    if (no[i] < '0' || no[i] > '9') return false;
  }
  return true;
}

core::Bytes RecordationKey(std::string_view recordation_no) {
  return core::ToBytes("ipr-recordation/" + std::string(recordation_no));
}

core::Result<std::optional<Recordation>> LoadRecordation(const StateReader& state,
                                                         std::string_view recordation_no) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(RecordationKey(recordation_no)));
  if (!raw) return std::optional<Recordation>();
  TL_ASSIGN_OR_RETURN(Json j, FromStateValue(*raw));
  TL_ASSIGN_OR_RETURN(Recordation r, Recordation::FromJson(j));
  return std::optional<Recordation>(std::move(r));
}

void SaveRecordation(WorkingState& state, const Recordation& r) {
  state.Put(RecordationKey(r.recordation_no), ToStateValue(r.ToJson()));
}

core::Result<TxOutcome> ExecuteRecordationApply(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->Has("RIGHTS_HOLDER")) {
    return NotAuthorized("only a rights holder applies for a recordation");
  }
  auto body = ParseBody(tx.body);
  if (!body) return IprFromError(body.error());
  auto parsed = ParseApply(*body);
  if (!parsed) return IprFromError(parsed.error());
  Recordation r = std::move(*parsed);
  if (r.valid_until <= now) return TxOutcome{"VALIDITY_INVALID", "validUntil is in the past"};
  TL_ASSIGN_OR_RETURN(std::optional<Recordation> existing,
                      LoadRecordation(state, r.recordation_no));
  if (existing) return TxOutcome{"RECORDATION_EXISTS", r.recordation_no};
  r.owner = actor->org.org_id;
  r.state = "APPLIED";
  r.applied_at = now;
  SaveRecordation(state, r);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteRecordationApprove(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto prepared, Prepare(state, tx));
  if (!prepared.first) return prepared.second;
  auto& [actor, r, body] = *prepared.first;
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  if (!IsCustomsOfficer(actor)) return NotAuthorized("only customs approves recordations");
  if (r.state != "APPLIED") return BadTransition(r, "approve", now);
  if (r.valid_until <= now) return TxOutcome{"VALIDITY_INVALID", "validUntil has passed"};
  r.state = "ACTIVE";
  r.approved_at = now;
  r.decided_by = actor.org.org_id;
  SaveRecordation(state, r);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteRecordationReject(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto prepared, Prepare(state, tx));
  if (!prepared.first) return prepared.second;
  auto& [actor, r, body] = *prepared.first;
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  if (!IsCustomsOfficer(actor)) return NotAuthorized("only customs rejects recordations");
  if (r.state != "APPLIED") return BadTransition(r, "reject", now);
  auto reason = GetString(body, "reason", 1024);
  if (!reason) return IprFromError(reason.error());
  r.state = "REJECTED";
  r.closed_at = now;
  r.decided_by = actor.org.org_id;
  r.reject_reason = *reason;
  SaveRecordation(state, r);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteRecordationCancel(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto prepared, Prepare(state, tx));
  if (!prepared.first) return prepared.second;
  auto& [actor, r, body] = *prepared.first;
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  bool owner = actor.org.org_id == r.owner && actor.Has("RIGHTS_HOLDER");
  if (!owner && !(actor.is_customs && actor.Has("CBP_ADMIN"))) {
    return NotAuthorized("only the owner or a customs administrator cancels a recordation");
  }
  std::string current = RecordationStateAt(r, now);
  if (current != "APPLIED" && current != "ACTIVE") return BadTransition(r, "cancel", now);
  r.state = "CANCELLED";
  r.closed_at = now;
  SaveRecordation(state, r);
  return TxOutcome{};
}

}  // namespace tradeledger::trade
