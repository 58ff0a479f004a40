#include "index/record_rows.h"

#include <functional>
#include <map>

namespace tradeledger::index {
namespace {

using nlohmann::json;
using Getter = std::function<PgParam(const json&)>;

PgParam Str(const json& r, const char* name) {
  auto it = r.find(name);
  if (it == r.end() || it->is_null()) return std::nullopt;
  return it->is_string() ? it->get<std::string>() : it->dump();
}

PgParam Int(const json& r, const char* name) {
  auto it = r.find(name);
  if (it == r.end() || !it->is_number()) return std::nullopt;
  return it->is_number_float() ? std::to_string(it->get<double>()) : it->dump();
}

std::vector<std::string> Strings(const json& r, const char* name) {
  std::vector<std::string> out;
  auto it = r.find(name);
  if (it == r.end() || !it->is_array()) return out;
  for (const auto& v : *it) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
  return out;
}

PgParam Array(const json& r, const char* name) { return PgTextArray(Strings(r, name)); }
PgParam Count(const json& r, const char* name) {
  auto it = r.find(name);
  return PgInt(it != r.end() && it->is_array() ? static_cast<int64_t>(it->size()) : 0);
}
PgParam Record(const json& r) { return r.dump(); }

struct Column {
  const char* name;
  Getter get;
};

Column S(const char* column, const char* field) {
  return {column, [field](const json& r) { return Str(r, field); }};
}
Column I(const char* column, const char* field) {
  return {column, [field](const json& r) { return Int(r, field); }};
}
Column A(const char* column, const char* field) {
  return {column, [field](const json& r) { return Array(r, field); }};
}
Column Rec() { return {"record", Record}; }

TableRows Rows(const std::string& table, const std::vector<Column>& columns,
               const std::vector<json>& items, const char* id_field) {
  TableRows out{table, {}, {}};
  for (const auto& c : columns) out.columns.push_back(c.name);
  for (const json& item : items) {
    if (!item.is_object() || !item.contains(id_field)) continue;
    std::vector<PgParam> row;
    for (const auto& c : columns) row.push_back(c.get(item));
    out.rows.push_back(std::move(row));
  }
  return out;
}

const json& History(const json& r) {
  static const json kEmpty = json::array();
  auto it = r.find("history");
  return it != r.end() && it->is_array() ? *it : kEmpty;
}

// The states in which a claim has been decided (trade/claim_rules.cc IsTerminalClaimState,
// and ACCEPTED, which stands unless a verification reopens it).
bool IsDecision(const std::string& state) {
  return state == "ACCEPTED" || state == "REJECTED" || state == "DENIED" || state == "AFFIRMED";
}
bool IsFinal(const std::string& state) {
  return IsDecision(state) || state == "VOLUNTARILY_CORRECTED";
}

// The claim columns derived from its history (schema.sql "claims").
std::vector<Column> ClaimColumns() {
  auto submitted = [](const json& r) -> PgParam {
    for (const json& h : History(r)) {
      if (h.value("state", "") == "SUBMITTED") return Int(h, "at");
    }
    return std::nullopt;
  };
  auto first_decision = [](const json& r) -> const json* {
    for (const json& h : History(r)) {
      if (IsDecision(h.value("state", ""))) return &h;
    }
    return nullptr;
  };
  return {
      S("claim_id", "claimId"),
      S("entry_number", "entryNumber"),
      I("line_no", "lineNo"),
      S("agreement", "agreement"),
      S("basis", "basis"),
      S("state", "state"),
      S("filed_by", "filedBy"),
      S("importer", "importer"),
      S("certifier_org", "certifierOrg"),
      S("cert_ref", "certRef"),
      {"submitted_at_ms", submitted},
      {"first_decision",
       [=](const json& r) -> PgParam {
         const json* d = first_decision(r);
         return d ? Str(*d, "state") : std::nullopt;
       }},
      {"first_decision_at_ms",
       [=](const json& r) -> PgParam {
         const json* d = first_decision(r);
         return d ? Int(*d, "at") : std::nullopt;
       }},
      {"auto_decided",
       [=](const json& r) -> PgParam {
         const json* d = first_decision(r);
         PgParam at = submitted(r);
         if (d == nullptr || !at) return std::nullopt;
         return Int(*d, "at") == at ? "true" : "false";
       }},
      {"final",
       [](const json& r) -> PgParam { return IsFinal(r.value("state", "")) ? "true" : "false"; }},
      {"decided_at_ms",
       [](const json& r) -> PgParam {
         const json& h = History(r);
         if (!IsFinal(r.value("state", "")) || h.empty()) return std::nullopt;
         return Int(h.back(), "at");
       }},
      A("reason_codes", "reasonCodes"),
      Rec(),
  };
}

TableRows ClaimEvents(const std::vector<json>& items) {
  TableRows out{
      "claim_events", {"claim_id", "seq", "at_ms", "by_org", "state", "reason_codes"}, {}};
  for (const json& c : items) {
    if (!c.is_object() || !c.contains("claimId")) continue;
    int64_t seq = 0;
    for (const json& h : History(c)) {
      out.rows.push_back({Str(c, "claimId"), PgInt(seq++), Int(h, "at"), Str(h, "by"),
                          Str(h, "state"), Array(h, "reasonCodes")});
    }
  }
  return out;
}

TableRows EntryLines(const std::vector<json>& items) {
  TableRows out{"entry_lines",
                {"entry_number", "line_no", "hts10", "country_of_origin", "spi", "value_cents",
                 "quantity", "uom", "mid", "cert_ref", "claim_id"},
                {}};
  for (const json& e : items) {
    if (!e.is_object() || !e.contains("entryNumber") || !e.contains("lines")) continue;
    if (!e["lines"].is_array()) continue;
    for (const json& l : e["lines"]) {
      if (!l.is_object() || !Int(l, "lineNo")) continue;
      out.rows.push_back({Str(e, "entryNumber"), Int(l, "lineNo"), Str(l, "hts10"),
                          Str(l, "countryOfOrigin"), Str(l, "spi"), Int(l, "valueCents"),
                          Int(l, "quantity"), Str(l, "uom"), Str(l, "mid"), Str(l, "certRef"),
                          Str(l, "claimId")});
    }
  }
  return out;
}

// Each request of a case with the first answer its addressee gave at or after it.
TableRows CaseRequests(const std::vector<json>& items, int64_t ledger_now_ms) {
  TableRows out{"case_requests",
                {"case_id", "seq", "addressee", "method", "requested_at_ms", "due_at_ms",
                 "responded_at_ms", "met"},
                {}};
  for (const json& c : items) {
    if (!c.is_object() || !c.contains("caseId")) continue;
    auto requests = c.find("requests");
    if (requests == c.end() || !requests->is_array()) continue;
    int64_t seq = 0;
    for (const json& q : *requests) {
      std::string addressee = q.value("addressee", "");
      int64_t requested = q.value("requestedAt", int64_t{0});
      std::optional<int64_t> due;
      if (q.contains("dueAt") && q["dueAt"].is_number()) due = q["dueAt"].get<int64_t>();
      std::optional<int64_t> answered;
      if (c.contains("responses") && c["responses"].is_array()) {
        for (const json& a : c["responses"]) {
          int64_t at = a.value("at", int64_t{0});
          if (a.value("by", "") == addressee && at >= requested && (!answered || at < *answered)) {
            answered = at;
          }
        }
      }
      PgParam met;
      if (answered && due) {
        met = *answered <= *due ? "true" : "false";
      } else if (!answered && due && ledger_now_ms > *due) {
        met = "false";
      }
      out.rows.push_back({Str(c, "caseId"), PgInt(seq++), Str(q, "addressee"), Str(q, "method"),
                          Int(q, "requestedAt"), Int(q, "dueAt"),
                          answered ? PgInt(*answered) : std::nullopt, met});
    }
  }
  return out;
}

PgParam FirstHistoryAt(const json& r) {
  const json& h = History(r);
  return h.empty() ? std::nullopt : Int(h.front(), "at");
}

}  // namespace

const std::vector<RecordKind>& RecordKinds() {
  static const std::vector<RecordKind> kKinds = {
      {"/v1/organisations", {"organisations"}},
      {"/v1/certifications", {"certifications"}},
      {"/v1/entries", {"entries", "entry_lines"}},
      {"/v1/claims", {"claims", "claim_events"}},
      {"/v1/cases", {"cases", "case_requests"}},
      {"/v1/recordations", {"recordations"}},
      {"/v1/licences", {"licences"}},
      {"/v1/assessments", {"assessments"}},
      {"/v1/documents", {"documents"}},
      {"/v1/delegations", {"delegations"}},
  };
  return kKinds;
}

std::vector<TableRows> RecordRows(const RecordKind& kind, const std::vector<json>& items,
                                  int64_t ledger_now_ms) {
  const std::string& t = kind.tables.front();
  if (t == "organisations") {
    return {Rows(t,
                 {S("org_id", "orgId"), S("legal_name", "legalName"), S("country", "country"),
                  A("roles", "roles"), S("status", "status"), Rec()},
                 items, "orgId")};
  }
  if (t == "certifications") {
    return {Rows(t,
                 {S("cert_id", "certId"), S("agreement", "agreement"),
                  S("certifier_org", "certifierOrg"), S("certifier_role", "certifierRole"),
                  S("importer_org", "importerOrg"), S("effective_state", "effectiveState"),
                  I("signed_at_ms", "signedAt"), I("blanket_from_ms", "blanketFrom"),
                  I("blanket_to_ms", "blanketTo"), I("retain_until_ms", "retainUntil"), Rec()},
                 items, "certId")};
  }
  if (t == "entries") {
    return {
        Rows(t,
             {S("entry_number", "entryNumber"), S("importer", "importer"), S("filed_by", "filedBy"),
              S("entry_type", "entryType"), S("port_code", "portCode"),
              I("import_date_ms", "importDate"), I("recorded_at_ms", "recordedAt"),
              I("height", "height"), S("ior_number_hash", "iorNumberHash"), Rec()},
             items, "entryNumber"),
        EntryLines(items)};
  }
  if (t == "claims") return {Rows(t, ClaimColumns(), items, "claimId"), ClaimEvents(items)};
  if (t == "cases") {
    return {Rows(t,
                 {S("case_id", "caseId"),
                  S("importer", "importer"),
                  S("addressee", "addressee"),
                  S("method", "method"),
                  S("opened_by", "openedBy"),
                  {"opened_at_ms", FirstHistoryAt},
                  I("due_at_ms", "dueAt"),
                  I("intent_to_deny_at_ms", "intentToDenyAt"),
                  I("closed_at_ms", "closedAt"),
                  S("determination", "determination"),
                  S("state", "state"),
                  S("effective_state", "effectiveState"),
                  {"claim_count", [](const json& r) { return Count(r, "claimIds"); }},
                  Rec()},
                 items, "caseId"),
            CaseRequests(items, ledger_now_ms)};
  }
  if (t == "recordations") {
    return {Rows(t,
                 {S("recordation_no", "recordationNo"), S("owner", "owner"),
                  S("right_type", "rightType"), S("mark", "mark"), S("state", "state"),
                  S("effective_state", "effectiveState"), I("applied_at_ms", "appliedAt"),
                  I("approved_at_ms", "approvedAt"), I("valid_until_ms", "validUntil"), Rec()},
                 items, "recordationNo")};
  }
  if (t == "licences") {
    return {Rows(t,
                 {S("licence_id", "licenseId"), S("licensor", "licensor"),
                  S("licensee", "licensee"), S("parent_licence_id", "parentLicenseId"),
                  I("depth", "depth"), S("right_type", "rightType"), S("own_state", "ownState"),
                  S("effective_state", "effectiveState"), I("valid_from_ms", "validFrom"),
                  I("valid_to_ms", "validTo"), I("quantity_used", "quantityUsed"),
                  I("quantity_remaining", "quantityRemaining"), Rec()},
                 items, "licenseId")};
  }
  if (t == "assessments") {
    // A licensor's view of an assessment has no id (it would name the entry): such items are
    // numbered by their place in the list, which the list route keeps in key order; the id is
    // added to the stored record too (it is the only field not as served).
    std::vector<json> numbered = items;
    for (size_t i = 0; i < numbered.size(); ++i) {
      if (numbered[i].is_object() && !numbered[i].contains("assessmentId")) {
        numbered[i]["assessmentId"] = "licensor-view-" + std::to_string(i + 1);
      }
    }
    return {Rows(t,
                 {S("assessment_id", "assessmentId"), S("entry_number", "entryNumber"),
                  I("line_no", "lineNo"), S("result", "result"), A("reason_codes", "reasonCodes"),
                  I("assessed_at_ms", "assessedAt"), S("importer", "importer"),
                  S("filed_by", "filedBy"), Rec()},
                 numbered, "assessmentId")};
  }
  if (t == "documents") {
    return {
        Rows(t,
             {S("doc_id", "docId"), S("doc_type", "docType"), S("anchored_by_org", "anchoredByOrg"),
              I("anchored_at_ms", "anchoredAt"), I("retain_until_ms", "retainUntil"),
              I("purged_at_ms", "purgedAt"), I("height", "height"), Rec()},
             items, "docId")};
  }
  if (t == "delegations") {
    return {Rows(
        t,
        {S("delegation_id", "delegationId"), S("principal", "principal"), S("agent", "agent"),
         S("state", "state"), I("valid_from_ms", "validFrom"), I("valid_to_ms", "validTo"), Rec()},
        items, "delegationId")};
  }
  return {};
}

std::string InsertSql(const TableRows& rows) {
  std::string cols;
  std::string values;
  for (size_t i = 0; i < rows.columns.size(); ++i) {
    if (i > 0) {
      cols += ", ";
      values += ", ";
    }
    cols += rows.columns[i];
    values += "$" + std::to_string(i + 1);
  }
  return "INSERT INTO " + rows.table + " (" + cols + ") VALUES (" + values + ")";
}

}  // namespace tradeledger::index
