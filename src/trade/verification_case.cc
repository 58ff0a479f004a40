#include "trade/verification_case.h"

#include <set>
#include <variant>

#include "trade/claim_rules.h"
#include "trade/origin_common.h"
#include "trade/participants.h"
#include "trade/time_util.h"

namespace tradeledger::trade {
namespace {

const std::set<std::string> kMethods = {"REQUEST_FOR_INFO", "QUESTIONNAIRE", "VISIT"};
constexpr int64_t kDefaultRequestDays = 30;
constexpr size_t kMaxCaseClaims = 64;

struct Loaded {
  Actor actor;
  Json body;
  Json vcase;
};

core::Result<std::variant<Loaded, TxOutcome>> Load(const StateReader& state, const TxContext& tx,
                                                   bool officer_only) {
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, BlockTime(tx)));
  if (!actor) return TxOutcome{NotAuthorized("signer is not an active member")};
  if (officer_only && !(actor->is_customs && actor->Has("CBP_OFFICER"))) {
    return TxOutcome{NotAuthorized("only a CBP officer acts on verification cases")};
  }
  auto body = ParseBody(tx.body);
  if (!body) return TxOutcome{Outcome(body.error())};
  auto id = GetString(*body, "caseId", 128);
  if (!id) return TxOutcome{Outcome(id.error())};
  TL_ASSIGN_OR_RETURN(std::optional<Json> vcase, LoadCase(state, *id));
  if (!vcase) return TxOutcome{"CASE_NOT_FOUND", "no verification case " + *id};
  if ((*vcase)["state"] == "CLOSED") return TxOutcome{"CASE_STATE_INVALID", "case is closed"};
  return Loaded{std::move(*actor), std::move(*body), std::move(*vcase)};
}

// Parses {method, addressee, dueAt?} into a request item.
core::Result<std::variant<Json, TxOutcome>> ParseRequest(const StateReader& state, const Json& b,
                                                         const Actor& actor, int64_t now) {
  auto method = GetString(b, "method", 32);
  if (!method) return TxOutcome{Outcome(method.error())};
  if (!kMethods.contains(*method)) return TxOutcome{"PAYLOAD_INVALID", "unknown method"};
  auto addressee = GetString(b, "addressee", 64);
  if (!addressee) return TxOutcome{Outcome(addressee.error())};
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> org, LoadOrganisation(state, *addressee));
  if (!org) return TxOutcome{"ORG_NOT_FOUND", "no organisation " + *addressee};
  auto due = GetOptInstant(b, "dueAt");
  if (!due) return TxOutcome{Outcome(due.error())};
  int64_t due_at = due->value_or(now + kDefaultRequestDays * kMsPerDay);
  if (due_at <= now) return TxOutcome{"PAYLOAD_INVALID", "dueAt must be after the block time"};
  return Json{{"method", *method},
              {"addressee", *addressee},
              {"requestedAt", now},
              {"dueAt", due_at},
              {"requestedBy", actor.org.org_id}};
}

void CaseHistory(Json& vcase, std::string_view state, int64_t at, std::string_view by,
                 std::string_view note = {}) {
  vcase["state"] = state;
  Json item = {{"at", at}, {"state", state}, {"by", by}};
  if (!note.empty()) item["note"] = note;
  vcase["history"].push_back(std::move(item));
}

// Adds or removes `case_id` in record[openCases] of the record at `key` (rule 32 hold).
core::Status MarkOpenCase(WorkingState& state, const std::string& key, std::string_view case_id,
                          bool open) {
  TL_ASSIGN_OR_RETURN(std::optional<Json> rec, LoadJson(state, key));
  if (!rec) return core::Ok();
  Json list = Json::array();
  for (const Json& c : rec->value("openCases", Json::array())) {
    if (c != case_id) list.push_back(c);
  }
  if (open) list.push_back(case_id);
  (*rec)["openCases"] = list;
  PutJson(state, key, *rec);
  return core::Ok();
}

core::Status MarkAll(WorkingState& state, const Json& vcase, bool open) {
  std::string id = vcase["caseId"];
  for (const Json& e : vcase["entryNumbers"]) {
    TL_RETURN_IF_ERROR(MarkOpenCase(state, EntryStateKey(e.get<std::string>()), id, open));
  }
  for (const Json& c : vcase["certIds"]) {
    TL_RETURN_IF_ERROR(MarkOpenCase(state, CertStateKey(c.get<std::string>()), id, open));
  }
  return core::Ok();
}

bool Contains(const Json& array, const Json& v) {
  for (const Json& x : array) {
    if (x == v) return true;
  }
  return false;
}

}  // namespace

core::Result<std::optional<Json>> LoadCase(const StateReader& state, std::string_view case_id) {
  return LoadJson(state, CaseStateKey(case_id));
}

std::string EffectiveCaseState(const Json& vcase, int64_t now) {
  std::string s = vcase.value("state", "");
  if (s != "AWAITING_RESPONSE") return s;
  for (const Json& r : vcase["requests"]) {
    if (r["dueAt"].get<int64_t>() >= now) return s;
  }
  return "OVERDUE";
}

core::Result<TxOutcome> ExecuteCaseOpen(WorkingState& state, const TxContext& tx) {
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !actor->is_customs || !actor->Has("CBP_OFFICER")) {
    return NotAuthorized("only a CBP officer opens a verification case");
  }
  auto body = ParseBody(tx.body);
  if (!body) return Outcome(body.error());
  auto id = GetString(*body, "caseId", 128);
  if (!id) return Outcome(id.error());
  auto claim_ids = GetStringArray(*body, "claimIds", kMaxCaseClaims, 64);
  if (!claim_ids) return Outcome(claim_ids.error());
  if (claim_ids->empty()) return TxOutcome{"PAYLOAD_INVALID", "claimIds is empty"};
  TL_ASSIGN_OR_RETURN(auto request, ParseRequest(state, *body, *actor, now));
  if (auto* o = std::get_if<TxOutcome>(&request)) return *o;
  TL_ASSIGN_OR_RETURN(std::optional<Json> existing, LoadCase(state, *id));
  if (existing) return TxOutcome{"CASE_EXISTS", "verification case " + *id + " exists"};

  Json& req = std::get<Json>(request);
  Json vcase = {{"caseId", *id},
                {"claimIds", Json::array()},
                {"importer", ""},
                {"certifierOrgs", Json::array()},
                {"entryNumbers", Json::array()},
                {"certIds", Json::array()},
                {"method", req["method"]},
                {"addressee", req["addressee"]},
                {"requestedAt", now},
                {"dueAt", req["dueAt"]},
                {"requests", {req}},
                {"responses", Json::array()},
                {"openedBy", actor->org.org_id},
                {"history", Json::array()}};
  for (const std::string& cid : *claim_ids) {
    TL_ASSIGN_OR_RETURN(std::optional<Json> claim, LoadClaim(state, cid));
    if (!claim) return TxOutcome{"CLAIM_NOT_FOUND", "no claim " + cid};
    std::string s = (*claim)["state"];
    if (s != "ACCEPTED" && s != "UNDER_VERIFICATION") {
      return TxOutcome{"CLAIM_STATE_INVALID", cid + " is " + s};
    }
    if (vcase["importer"] == "") vcase["importer"] = (*claim)["importer"];
    if (vcase["importer"] != (*claim)["importer"]) {
      return TxOutcome{"PAYLOAD_INVALID", "a case covers claims of one importer"};
    }
    if (Contains(vcase["claimIds"], cid)) continue;
    vcase["claimIds"].push_back(cid);
    if ((*claim)["certifierOrg"].is_string() &&
        !Contains(vcase["certifierOrgs"], (*claim)["certifierOrg"])) {
      vcase["certifierOrgs"].push_back((*claim)["certifierOrg"]);
    }
    if ((*claim)["certRef"].is_string() && !Contains(vcase["certIds"], (*claim)["certRef"])) {
      vcase["certIds"].push_back((*claim)["certRef"]);
    }
    if (!Contains(vcase["entryNumbers"], (*claim)["entryNumber"])) {
      vcase["entryNumbers"].push_back((*claim)["entryNumber"]);
    }
    (*claim)["caseIds"].push_back(*id);
    Transition(*claim, "UNDER_VERIFICATION", now, actor->org.org_id, {}, "verification " + *id);
    SaveClaim(state, *claim);
  }
  CaseHistory(vcase, "OPEN", now, actor->org.org_id);
  CaseHistory(vcase, "AWAITING_RESPONSE", now, actor->org.org_id,
              req["method"].get<std::string>() + " to " + req["addressee"].get<std::string>());
  PutJson(state, CaseStateKey(*id), vcase);
  TL_RETURN_IF_ERROR(MarkAll(state, vcase, true));
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteCaseRequest(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto loaded, Load(state, tx, true));
  if (auto* o = std::get_if<TxOutcome>(&loaded)) return *o;
  auto& [actor, body, vcase] = std::get<Loaded>(loaded);
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(auto request, ParseRequest(state, body, actor, now));
  if (auto* o = std::get_if<TxOutcome>(&request)) return *o;
  Json& req = std::get<Json>(request);
  vcase["requests"].push_back(req);
  std::string note =
      req["method"].get<std::string>() + " to " + req["addressee"].get<std::string>();
  std::string next = vcase["state"] == "INTENT_TO_DENY" ? "INTENT_TO_DENY" : "AWAITING_RESPONSE";
  CaseHistory(vcase, next, now, actor.org.org_id, note);
  PutJson(state, CaseStateKey(vcase["caseId"].get<std::string>()), vcase);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteCaseRespond(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto loaded, Load(state, tx, false));
  if (auto* o = std::get_if<TxOutcome>(&loaded)) return *o;
  auto& [actor, body, vcase] = std::get<Loaded>(loaded);
  bool addressed = false;
  for (const Json& r : vcase["requests"]) addressed |= r["addressee"] == actor.org.org_id;
  if (!addressed) return NotAuthorized("only an addressee of a request responds");
  auto summary = GetString(body, "summary", 4096);
  if (!summary) return Outcome(summary.error());
  auto hash = GetOptString(body, "contentHash", 64);
  if (!hash) return Outcome(hash.error());
  int64_t now = BlockTime(tx);
  Json response = {{"by", actor.org.org_id}, {"at", now}, {"summary", *summary}};
  if (*hash) {
    auto h = core::Hash32::FromHex(**hash);
    if (!h) return TxOutcome{"CONTENT_HASH_INVALID", "contentHash must be 64 hex digits"};
    response["contentHash"] = h->hex();
  }
  vcase["responses"].push_back(response);
  std::string next = vcase["state"] == "INTENT_TO_DENY" ? "INTENT_TO_DENY" : "RESPONDED";
  CaseHistory(vcase, next, now, actor.org.org_id, "response");
  PutJson(state, CaseStateKey(vcase["caseId"].get<std::string>()), vcase);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteCaseIntentToDeny(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto loaded, Load(state, tx, true));
  if (auto* o = std::get_if<TxOutcome>(&loaded)) return *o;
  auto& [actor, body, vcase] = std::get<Loaded>(loaded);
  if (vcase["state"] == "INTENT_TO_DENY") {
    return TxOutcome{"CASE_STATE_INVALID", "intent to deny already notified"};
  }
  auto findings = GetOptString(body, "findings", 4096);
  if (!findings) return Outcome(findings.error());
  int64_t now = BlockTime(tx);
  TL_ASSIGN_OR_RETURN(int64_t window, ResponseWindowMs(state));
  vcase["intentToDenyAt"] = now;
  vcase["responseWindowEndsAt"] = now + window;
  if (*findings) vcase["intentFindings"] = **findings;
  CaseHistory(vcase, "INTENT_TO_DENY", now, actor.org.org_id);
  PutJson(state, CaseStateKey(vcase["caseId"].get<std::string>()), vcase);
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteCaseDetermine(WorkingState& state, const TxContext& tx) {
  TL_ASSIGN_OR_RETURN(auto loaded, Load(state, tx, true));
  if (auto* o = std::get_if<TxOutcome>(&loaded)) return *o;
  auto& [actor, body, vcase] = std::get<Loaded>(loaded);
  int64_t now = BlockTime(tx);
  auto determination = GetString(body, "determination", 16);
  auto findings = GetString(body, "findings", 4096);
  auto legal = GetString(body, "legalBasis", 1024);
  if (!determination) return Outcome(determination.error());
  if (*determination != "AFFIRMED" && *determination != "DENIED") {
    return TxOutcome{"PAYLOAD_INVALID", "determination must be AFFIRMED or DENIED"};
  }
  if (!findings) return Outcome(findings.error());
  if (!legal) return Outcome(legal.error());
  if (*determination == "DENIED") {
    // Rule 23: the certifier was asked too, and the intent-to-deny window has run.
    std::vector<std::string> unmet;
    for (const Json& org : vcase["certifierOrgs"]) {
      if (org == vcase["importer"]) continue;
      bool asked = false;
      for (const Json& r : vcase["requests"]) asked |= r["addressee"] == org;
      if (!asked) unmet.push_back("no request to certifier " + org.get<std::string>());
    }
    if (!vcase.contains("intentToDenyAt")) {
      unmet.push_back("no intent-to-deny notice");
    } else if (now < vcase["responseWindowEndsAt"].get<int64_t>()) {
      unmet.push_back("response window open until " +
                      FormatInstant(vcase["responseWindowEndsAt"].get<int64_t>()));
    }
    if (!unmet.empty()) {
      std::string d;
      for (auto& u : unmet) d += (d.empty() ? "" : "; ") + u;
      return TxOutcome{"DENIAL_PRECONDITION_UNMET", d};
    }
  }
  std::string case_id = vcase["caseId"];
  for (const Json& cid : vcase["claimIds"]) {
    TL_ASSIGN_OR_RETURN(std::optional<Json> claim, LoadClaim(state, cid.get<std::string>()));
    if (!claim || (*claim)["state"] != "UNDER_VERIFICATION") continue;
    std::vector<std::string> codes;
    if (*determination == "DENIED") {
      codes.push_back("VERIFICATION_DENIED");
      (*claim)["reasonCodes"] = codes;
      (*claim)["denial"] = {{"caseId", case_id}, {"findings", *findings}, {"legalBasis", *legal}};
    }
    Transition(*claim, *determination, now, actor.org.org_id, codes, "verification " + case_id);
    SaveClaim(state, *claim);
  }
  vcase["determination"] = *determination;
  vcase["findings"] = *findings;
  vcase["legalBasis"] = *legal;
  vcase["closedAt"] = now;
  CaseHistory(vcase, "CLOSED", now, actor.org.org_id, *determination);
  PutJson(state, CaseStateKey(case_id), vcase);
  TL_RETURN_IF_ERROR(MarkAll(state, vcase, false));
  return TxOutcome{};
}

}  // namespace tradeledger::trade
