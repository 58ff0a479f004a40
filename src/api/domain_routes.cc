#include "api/domain_routes.h"

#include <charconv>

#include "trade/certification.h"
#include "trade/delegation.h"
#include "trade/entry.h"
#include "trade/ipr_assessment.h"
#include "trade/ipr_views.h"
#include "trade/licence.h"
#include "trade/origin_common.h"
#include "trade/origin_views.h"
#include "trade/recordation.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;
using Query = std::map<std::string, std::string>;

// Whether `view` holds every field of `record` with the same value (it may add derived ones).
bool ShowsWholeRecord(const json& record, const json& view) {
  if (!record.is_object() || !view.is_object()) return false;
  for (const auto& [field, value] : record.items()) {
    auto shown = view.find(field);
    if (shown == view.end() || *shown != value) return false;
  }
  return true;
}

std::string Str(const json& j, const char* field) {
  return j.is_object() && j.contains(field) && j[field].is_string() ? j[field].get<std::string>()
                                                                    : std::string();
}

// Wraps a trade-layer view result as a View for auditing: metadata-only answers are marked by
// the view ("view": "metadata" / "claim-status" or a reduced record).
core::Result<View> Wrap(core::Result<json> body, std::string type, std::string id,
                        std::string owner, bool metadata) {
  if (!body) return std::unexpected(body.error());
  View v;
  bool reduced =
      metadata || Str(*body, "view") == "metadata" || Str(*body, "view") == "claim-status";
  v.access = reduced ? View::Access::kMetadata : View::Access::kFull;
  v.body = std::move(*body);
  v.subject_type = std::move(type);
  v.subject_id = std::move(id);
  v.owner_org = std::move(owner);
  return v;
}

core::Error NotFound(const std::string& what) { return {"NOT_FOUND", "no " + what}; }

}  // namespace

void AddDomainRoutes(Queries& q) {
  q.AddRoute(
      "/v1/certifications/",
      [&q](const trade::Actor& reader, std::string_view rest, const Query&) -> core::Result<View> {
        bool claims = rest.ends_with("/claims");
        std::string id(claims ? rest.substr(0, rest.size() - 7) : rest);
        TL_ASSIGN_OR_RETURN(auto cert, trade::LoadCertification(q.state(), id));
        if (!cert) return std::unexpected(NotFound("certification " + id));
        std::string owner = Str(*cert, "certifierOrg");
        if (!claims) {
          return Wrap(trade::ViewCertification(q.state(), *cert, reader, q.ledger_time()),
                      "certification", id, owner, false);
        }
        // The claims citing the certification, each as the reader may see it.
        TL_ASSIGN_OR_RETURN(auto ids, trade::ClaimsCitingCertification(q.state(), id));
        json list = json::array();
        std::vector<std::string> importers;
        for (const auto& claim_id : ids) {
          TL_ASSIGN_OR_RETURN(auto claim, trade::LoadJson(q.state(), "claim/" + claim_id));
          if (!claim) continue;
          auto view = trade::ViewClaim(q.state(), *claim, reader, q.ledger_time());
          if (!view) continue;
          list.push_back(*view);
          importers.push_back(Str(*claim, "importer"));
        }
        if (list.empty() && !ids.empty() && !reader.is_customs && owner != reader.org.org_id) {
          return std::unexpected(
              core::Error{"NOT_AUTHORIZED", "no claim citing " + id + " is yours"});
        }
        // The claims are their importers' records: each importer sees the certifier's read.
        auto wrapped =
            Wrap(json{{"certId", id}, {"claims", list}}, "certification-claims", id, owner, false);
        if (wrapped) wrapped->record_owners = std::move(importers);
        return wrapped;
      });

  q.AddRoute(
      "/v1/entries/",
      [&q](const trade::Actor& reader, std::string_view rest, const Query&) -> core::Result<View> {
        std::string id(rest);
        TL_ASSIGN_OR_RETURN(auto entry, trade::LoadEntry(q.state(), id));
        if (!entry) return std::unexpected(NotFound("entry " + id));
        return Wrap(trade::ViewEntry(q.state(), *entry, reader, q.ledger_time()), "entry", id,
                    Str(*entry, "importer"), false);
      });

  q.AddRoute(
      "/v1/claims/",
      [&q](const trade::Actor& reader, std::string_view rest, const Query&) -> core::Result<View> {
        std::string id(rest);
        TL_ASSIGN_OR_RETURN(auto claim, trade::LoadJson(q.state(), "claim/" + id));
        if (!claim) return std::unexpected(NotFound("claim " + id));
        return Wrap(trade::ViewClaim(q.state(), *claim, reader, q.ledger_time()), "claim", id,
                    Str(*claim, "importer"), false);
      });

  q.AddRoute(
      "/v1/cases/",
      [&q](const trade::Actor& reader, std::string_view rest, const Query&) -> core::Result<View> {
        std::string id(rest);
        TL_ASSIGN_OR_RETURN(auto vcase, trade::LoadJson(q.state(), "case/" + id));
        if (!vcase) return std::unexpected(NotFound("verification case " + id));
        return Wrap(trade::ViewCase(q.state(), *vcase, reader, q.ledger_time()), "case", id,
                    Str(*vcase, "importer"), false);
      });

  q.AddRoute(
      "/v1/recordations/",
      [&q](const trade::Actor& reader, std::string_view rest, const Query&) -> core::Result<View> {
        bool chain = rest.ends_with("/licences");
        std::string id(chain ? rest.substr(0, rest.size() - 9) : rest);
        TL_ASSIGN_OR_RETURN(auto rec, trade::LoadRecordation(q.state(), id));
        if (!rec) return std::unexpected(NotFound("recordation " + id));
        json record = rec->ToJson();
        std::string owner = Str(record, "owner");
        if (chain) {
          return Wrap(trade::ViewLicenceChain(q.state(), id, reader, q.ledger_time()),
                      "licence-chain", id, owner, false);
        }
        bool full = reader.is_customs || owner == reader.org.org_id;
        return Wrap(trade::ViewRecordation(q.state(), record, reader, q.ledger_time()),
                    "recordation", id, owner, !full);
      });

  q.AddRoute(
      "/v1/licences/",
      [&q](const trade::Actor& reader, std::string_view rest, const Query&) -> core::Result<View> {
        std::string id(rest);
        TL_ASSIGN_OR_RETURN(auto licence, trade::LoadLicence(q.state(), id));
        if (!licence) return std::unexpected(NotFound("licence " + id));
        json record = licence->ToJson();
        auto view = trade::ViewLicence(q.state(), record, reader, q.ledger_time());
        bool full = view && view->contains("effectiveState");
        return Wrap(std::move(view), "licence", id, Str(record, "licensor"), !full);
      });

  q.AddRoute(
      "/v1/assessments/",
      [&q](const trade::Actor& reader, std::string_view rest, const Query&) -> core::Result<View> {
        // {entryNumber}#{lineNo}, with '#' percent-encoded by the client.
        size_t hash = rest.rfind('#');
        uint64_t line = 0;
        if (hash == std::string_view::npos ||
            std::from_chars(rest.data() + hash + 1, rest.data() + rest.size(), line).ec !=
                std::errc()) {
          return std::unexpected(
              core::Error{"REQUEST_INVALID", "use /v1/assessments/{entry}%23{line}"});
        }
        std::string entry(rest.substr(0, hash));
        TL_ASSIGN_OR_RETURN(auto record, trade::LoadAssessment(q.state(), entry, line));
        if (!record) return std::unexpected(NotFound("assessment " + std::string(rest)));
        return Wrap(trade::ViewAssessment(q.state(), *record, reader, q.ledger_time()),
                    "assessment", std::string(rest), Str(*record, "importer"), false);
      });

  q.AddRoute(
      "/v1/delegations/",
      [&q](const trade::Actor& reader, std::string_view rest, const Query&) -> core::Result<View> {
        std::string id(rest);
        TL_ASSIGN_OR_RETURN(auto d, trade::LoadDelegation(q.state(), id));
        if (!d) return std::unexpected(NotFound("delegation " + id));
        return Wrap(trade::ViewDelegation(*d, reader), "delegation", id, Str(*d, "principal"),
                    false);
      });

  // The lists (Queries::AddListRoute): every record of a kind the reader's views show.
  q.AddListRoute("/v1/certifications", "cert/", "/v1/certifications/");
  q.AddListRoute("/v1/entries", "entry/", "/v1/entries/");
  q.AddListRoute("/v1/claims", "claim/", "/v1/claims/");
  q.AddListRoute("/v1/cases", "case/", "/v1/cases/");
  q.AddListRoute("/v1/recordations", "ipr-recordation/", "/v1/recordations/");
  q.AddListRoute("/v1/licences", "ipr-license/", "/v1/licences/");
  q.AddListRoute("/v1/assessments", "ipr-assessment/", "/v1/assessments/");
  q.AddListRoute("/v1/delegations", "delegation/", "/v1/delegations/");

  // A state proof carries the stored record itself, so it goes only to readers whose view
  // shows every field of it: the importer named on a certification whose producer is
  // AVAILABLE_UPON_REQUEST sees the certification without producerOnRequest, and so gets no
  // proof of it (ADR 0021).
  q.AddStateAccess("cert/", [&q](const trade::Actor& reader, const std::string& key) {
    auto cert = trade::LoadCertification(q.state(), key.substr(5));
    if (!cert || !*cert) return false;
    auto view = trade::ViewCertification(q.state(), **cert, reader, q.ledger_time());
    return view && Str(*view, "view") != "metadata" && ShowsWholeRecord(**cert, *view);
  });
  q.AddStateAccess("entry/", [&q](const trade::Actor& reader, const std::string& key) {
    auto entry = trade::LoadEntry(q.state(), key.substr(6));
    if (!entry || !*entry) return false;
    auto view = trade::ViewEntry(q.state(), **entry, reader, q.ledger_time());
    return view && Str(*view, "view") != "claim-status" && ShowsWholeRecord(**entry, *view);
  });
}

}  // namespace tradeledger::api
