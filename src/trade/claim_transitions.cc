#include "trade/claim_transitions.h"

#include <variant>

#include "trade/certification.h"
#include "trade/claim_rules.h"
#include "trade/delegation.h"
#include "trade/entry.h"
#include "trade/holiday_calendar.h"
#include "trade/id_index.h"
#include "trade/origin_common.h"
#include "trade/origin_reasons.h"
#include "trade/participants.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

constexpr int kCorrectionBusinessDays = 5;  // rule 22
constexpr int kSeriesDays = 30;             // rule 20
constexpr size_t kMaxEnforce = 256;

struct Loaded {
  Actor actor;
  Json body;
  Json claim;
};

// Resolves the signer, parses the body and loads body.claimId.
core::Result<std::variant<Loaded, TxOutcome>> Load(const StateReader& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, BlockTime(tx)));
  if (!actor) return TxOutcome{NotAuthorized("signer is not an active member")};
  auto body = ParseBody(tx.body);
  if (!body) return TxOutcome{Outcome(body.error())};
  auto id = GetString(*body, "claimId", 64);
  if (!id) return TxOutcome{Outcome(id.error())};
  TL_ASSIGN_OR_RETURN(std::optional<Json> claim, LoadClaim(state, *id));
  if (!claim) return TxOutcome{"CLAIM_NOT_FOUND", "no claim " + *id};
  return Loaded{std::move(*actor), std::move(*body), std::move(*claim)};
}

bool IsOfficer(const Actor& a) { return a.is_customs && a.Has("CBP_OFFICER"); }

// The importer itself, or a broker with an active CLAIM_PREFERENCE delegation (rule 25).
core::Result<bool> ActsForImporter(const StateReader& state, const Actor& a, const Json& claim,
                                   int64_t now) {
  std::string importer = claim["importer"];
  if (a.org.org_id == importer) return a.Has("IMPORTER");
  if (!a.Has("BROKER")) return false;
  return MayActForImporter(state, a.org.org_id, importer, kScopeClaimPreference, now);
}

TxOutcome StateInvalid(const Json& claim, std::string_view action) {
  return TxOutcome{"CLAIM_STATE_INVALID",
                   std::string(action) + " not allowed from " + claim["state"].get<std::string>()};
}

}  // namespace

core::Status RecordCitation(WorkingState& state, std::string_view cert_id,
                            std::string_view claim_id, const Json& entry, bool accepted) {
  TL_ASSIGN_OR_RETURN(std::shared_ptr<const Json> cert, ShareCertification(state, cert_id));
  if (!cert) return core::Fail("STATE_CORRUPT", "cited certification missing");
  return RecordCitation(state, cert, claim_id, entry, accepted);
}

core::Status RecordCitation(WorkingState& state, std::shared_ptr<const Json>& cert,
                            std::string_view claim_id, const Json& entry, bool accepted) {
  TL_RETURN_IF_ERROR(
      AppendIdIndex(state, CertClaimsKey(Str(cert->value("certId", Json()))), claim_id));
  if (!accepted) return core::Ok();
  const int64_t import_date = entry["importDate"].get<int64_t>();
  const bool bind = cert->value("singleShipment", true) && !cert->contains("shipmentRef");
  // A blanket certification is cited by many entries; most citations change nothing in it,
  // and then it is neither copied nor saved.
  if (!bind && !RetentionExtends(*cert, import_date)) return core::Ok();
  auto changed = std::make_shared<Json>(*cert);
  if (bind) (*changed)["shipmentRef"] = entry["shipmentRef"];
  ExtendRetention(*changed, import_date);
  SaveCertification(state, *changed);
  cert = std::move(changed);
  return core::Ok();
}

core::Status ApplySupersedingCertification(WorkingState& state, const Json& old_cert,
                                           const Json& new_cert, int64_t now) {
  std::string old_id = old_cert["certId"], new_id = new_cert["certId"];
  TL_ASSIGN_OR_RETURN(std::vector<std::string> ids, LoadIdIndex(state, CertClaimsKey(old_id)));
  for (const std::string& id : ids) {
    TL_ASSIGN_OR_RETURN(std::optional<Json> claim, LoadClaim(state, id));
    if (!claim || (*claim)["state"] != "CORRECTION_REQUESTED") continue;
    const Json& c = (*claim)["correction"];
    if (c.value("certId", "") != old_id) continue;
    int64_t due = c["dueAt"].get<int64_t>();
    if (now > due) continue;  // too late: claim.enforce-deadlines denies it
    TL_ASSIGN_OR_RETURN(std::optional<Json> entry, LoadEntry(state, Str((*claim)["entryNumber"])));
    if (!entry) return core::Fail("STATE_CORRUPT", "claim without entry");
    const Json* line = FindLine(*entry, (*claim)["lineNo"].get<uint64_t>());
    if (!line) return core::Fail("STATE_CORRUPT", "claim without line");
    std::vector<std::string> codes =
        CertificationCoversLine(new_cert, *entry, *line, Str((*claim)["agreement"]), due);
    SortByRule(codes);
    if (!codes.empty()) {
      Transition(*claim, "CORRECTION_REQUESTED", now, Str(new_cert["certifierOrg"]), codes,
                 "superseding certification " + new_id + " does not cover the claim");
      SaveClaim(state, *claim);
      continue;
    }
    (*claim)["certRef"] = new_id;
    (*claim)["correction"]["resolvedAt"] = now;
    (*claim)["correction"]["resolvedBy"] = new_id;
    (*claim)["reasonCodes"] = Json::array();
    Transition(*claim, "ACCEPTED", now, Str(new_cert["certifierOrg"]), {},
               "corrected by superseding certification " + new_id);
    SaveClaim(state, *claim);
    TL_RETURN_IF_ERROR(RemoveFromIdList(state, kOriginDeadlinesKey, id));
    TL_RETURN_IF_ERROR(RecordCitation(state, new_id, id, *entry, true));
  }
  return core::Ok();
}

core::Result<TxOutcome> ExecuteClaimRequestCorrection(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto loaded, Load(state, tx));
  if (auto* o = std::get_if<TxOutcome>(&loaded)) return *o;
  auto& [actor, body, claim] = std::get<Loaded>(loaded);
  if (!IsOfficer(actor)) return NotAuthorized("only a CBP officer requests a correction");
  auto reason = GetOptString(body, "reason", 1024);
  if (!reason) return Outcome(reason.error());
  std::string s = claim["state"];
  if (s != "ACCEPTED" && s != "UNDER_VERIFICATION") return StateInvalid(claim, "correction");
  if (!claim["certRef"].is_string()) {
    return TxOutcome{"CLAIM_STATE_INVALID", "the claim cites no certification to correct"};
  }
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(std::set<int64_t> holidays, Holidays(state));
  int64_t due = AddBusinessDays(now, kCorrectionBusinessDays, holidays);
  TL_ASSIGN_OR_RETURN(std::optional<TxOutcome> uncovered, CheckCovered(state, due / kMsPerDay));
  if (uncovered) return *uncovered;
  claim["correction"] = {{"requestedAt", now},         {"dueAt", due},
                         {"certId", claim["certRef"]}, {"requestedBy", actor.org.org_id},
                         {"previousState", s},         {"reason", reason->value_or("")}};
  Transition(claim, "CORRECTION_REQUESTED", now, actor.org.org_id, {},
             "corrected certification due " + FormatInstant(due));
  SaveClaim(state, claim);
  TL_RETURN_IF_ERROR(AppendIdList(state, kOriginDeadlinesKey, Str(claim["claimId"])));
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteClaimRequestSeries(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto loaded, Load(state, tx));
  if (auto* o = std::get_if<TxOutcome>(&loaded)) return *o;
  auto& [actor, body, claim] = std::get<Loaded>(loaded);
  if (!IsOfficer(actor)) return NotAuthorized("only a CBP officer opens a series request");
  if (claim["state"] != "ACCEPTED" || claim["basis"] != "LOW_VALUE_EXEMPT" ||
      claim.contains("series")) {
    return TxOutcome{"CLAIM_STATE_INVALID",
                     "series requests are for ACCEPTED low-value claims, once"};
  }
  int64_t now = BlockTime(tx);
  int64_t due = now + kSeriesDays * kMsPerDay;
  claim["series"] = {{"requestedAt", now}, {"dueAt", due}, {"requestedBy", actor.org.org_id}};
  Transition(claim, "ACCEPTED", now, actor.org.org_id, {},
             "series request: certification due " + FormatInstant(due));
  SaveClaim(state, claim);
  TL_RETURN_IF_ERROR(AppendIdList(state, kOriginDeadlinesKey, Str(claim["claimId"])));
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteClaimSupplyCert(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto loaded, Load(state, tx));
  if (auto* o = std::get_if<TxOutcome>(&loaded)) return *o;
  auto& [actor, body, claim] = std::get<Loaded>(loaded);
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(bool may, ActsForImporter(state, actor, claim, now));
  if (!may) return TxOutcome{"NOT_AUTHORIZED_FILER", "not the importer or its delegated broker"};
  auto cert_id = GetString(body, "certId", 128);
  if (!cert_id) return Outcome(cert_id.error());
  if (!claim.contains("series") || claim["series"].contains("metAt") ||
      IsTerminalClaimState(claim["state"].get<std::string>())) {
    return TxOutcome{"CLAIM_STATE_INVALID", "no open series request on the claim"};
  }
  if (now > claim["series"]["dueAt"].get<int64_t>()) {
    return TxOutcome{"SERIES_EVASION_NO_CERT", "the 30-day series deadline has passed"};
  }
  TL_ASSIGN_OR_RETURN(std::optional<Json> cert, LoadCertification(state, *cert_id));
  if (!cert) return TxOutcome{"CERT_NOT_FOUND", "no certification " + *cert_id};
  TL_ASSIGN_OR_RETURN(std::optional<Json> entry, LoadEntry(state, Str(claim["entryNumber"])));
  if (!entry) return core::Fail("STATE_CORRUPT", "claim without entry");
  const Json* line = FindLine(*entry, claim["lineNo"].get<uint64_t>());
  if (!line) return core::Fail("STATE_CORRUPT", "claim without line");
  std::vector<std::string> codes =
      CertificationCoversLine(*cert, *entry, *line, Str(claim["agreement"]), now);
  SortByRule(codes);
  if (!codes.empty()) return RuleOutcome(codes);
  claim["certRef"] = *cert_id;
  claim["certifierOrg"] = (*cert)["certifierOrg"];
  claim["basis"] = "CERTIFICATION";
  claim["series"]["metAt"] = now;
  Transition(claim, claim["state"].get<std::string>(), now, actor.org.org_id, {},
             "certification " + *cert_id + " supplied for series request");
  SaveClaim(state, claim);
  TL_RETURN_IF_ERROR(RemoveFromIdList(state, kOriginDeadlinesKey, Str(claim["claimId"])));
  TL_RETURN_IF_ERROR(RecordCitation(state, *cert_id, Str(claim["claimId"]), *entry, true));
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteClaimVoluntaryCorrect(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto loaded, Load(state, tx));
  if (auto* o = std::get_if<TxOutcome>(&loaded)) return *o;
  auto& [actor, body, claim] = std::get<Loaded>(loaded);
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(bool may, ActsForImporter(state, actor, claim, now));
  if (!may) return TxOutcome{"NOT_AUTHORIZED_FILER", "not the importer or its delegated broker"};
  auto statement = GetOptString(body, "statement", 2048);
  if (!statement) return Outcome(statement.error());
  std::string s = claim["state"];
  // Rule 24: from ACCEPTED or UNDER_VERIFICATION only (never after DENIED).
  if (s != "ACCEPTED" && s != "UNDER_VERIFICATION") return StateInvalid(claim, "correction");
  claim["penaltyExempt"] = true;
  claim["dutyDue"] = true;
  if (*statement) claim["voluntaryStatement"] = **statement;
  Transition(claim, "VOLUNTARILY_CORRECTED", now, actor.org.org_id, {},
             "voluntary correction; duties owed, no penalty");
  SaveClaim(state, claim);
  TL_RETURN_IF_ERROR(RemoveFromIdList(state, kOriginDeadlinesKey, Str(claim["claimId"])));
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteClaimEnforceDeadlines(WorkingState& state, const TxContext& tx) {
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return Outcome(body.error());
  auto listed = GetStringArray(*body, "claimIds", kMaxEnforce, 64, /*required=*/false);
  if (!listed) return Outcome(listed.error());
  std::vector<std::string> ids = *listed;
  if (!body->contains("claimIds")) {
    TL_ASSIGN_OR_RETURN(ids, LoadIdList(state, kOriginDeadlinesKey));
  }
  int denied = 0;
  for (const std::string& id : ids) {
    TL_ASSIGN_OR_RETURN(std::optional<Json> claim, LoadClaim(state, id));
    if (!claim) continue;
    std::string s = (*claim)["state"];
    std::string code;
    if (s == "CORRECTION_REQUESTED" && now > (*claim)["correction"]["dueAt"].get<int64_t>()) {
      code = "CORRECTION_NOT_RECEIVED";
    } else if (!IsTerminalClaimState(s) && claim->contains("series") &&
               !(*claim)["series"].contains("metAt") &&
               now > (*claim)["series"]["dueAt"].get<int64_t>()) {
      code = "SERIES_EVASION_NO_CERT";
    }
    if (code.empty()) continue;
    (*claim)["reasonCodes"] = Json::array({code});
    Transition(*claim, "DENIED", now, actor->org.org_id, {code}, "deadline passed");
    SaveClaim(state, *claim);
    TL_RETURN_IF_ERROR(RemoveFromIdList(state, kOriginDeadlinesKey, id));
    ++denied;
  }
  return TxOutcome{"OK", "denied " + std::to_string(denied)};
}

}  // namespace tradeledger::trade
