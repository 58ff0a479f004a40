#include "trade/origin_views.h"

#include "trade/certification.h"
#include "trade/claim_rules.h"
#include "trade/delegation.h"
#include "trade/id_index.h"
#include "trade/origin_common.h"
#include "trade/verification_case.h"

namespace tradeledger::trade {
namespace {

std::unexpected<core::Error> Forbidden(const std::string& what) {
  return core::Fail("NOT_AUTHORIZED", "no read access to " + what);
}

// Customs, the importer, or a broker delegated by the importer at `now`.
core::Result<bool> SeesImporterData(const StateReader& state, const Actor& reader,
                                    const std::string& importer, int64_t now) {
  if (reader.is_customs || reader.org.org_id == importer) return true;
  for (const char* scope : {kScopeFileEntry, kScopeClaimPreference}) {
    TL_ASSIGN_OR_RETURN(bool ok,
                        HasActiveDelegation(state, importer, reader.org.org_id, scope, now));
    if (ok) return true;
  }
  return false;
}

Json ClaimStatus(const Json& claim) {
  return {{"claimId", claim["claimId"]},     {"lineNo", claim["lineNo"]},
          {"agreement", claim["agreement"]}, {"certRef", claim["certRef"]},
          {"state", claim["state"]},         {"reasonCodes", claim["reasonCodes"]}};
}

}  // namespace

core::Result<Json> ViewCertification(const StateReader&, const Json& cert, const Actor& reader,
                                     std::optional<int64_t> now) {
  std::string org = reader.org.org_id;
  bool certifier = cert.value("certifierOrg", "") == org;
  bool importer = cert.contains("importerOrg") && cert["importerOrg"] == org;
  Json out;
  if (reader.is_customs || certifier || importer) {
    out = cert;
    out["view"] = "full";
    if (!reader.is_customs && !certifier) out.erase("producerOnRequest");
  } else {
    out = {{"view", "metadata"},
           {"certId", cert["certId"]},
           {"docType", "CERT_OF_ORIGIN"},
           {"contentHash", cert["contentHash"]},
           {"state", cert["state"]},
           {"agreement", cert["agreement"]},
           {"anchoredAt", cert["anchoredAt"]}};
  }
  if (now) out["effectiveState"] = EffectiveCertState(cert, *now);
  return out;
}

core::Result<Json> ViewEntry(const StateReader& state, const Json& entry, const Actor& reader,
                             int64_t now) {
  TL_ASSIGN_OR_RETURN(bool full, SeesImporterData(state, reader, entry["importer"], now));
  Json claims = Json::array();
  for (const Json& id : entry.value("claimIds", Json::array())) {
    TL_ASSIGN_OR_RETURN(std::optional<Json> claim, LoadClaim(state, id.get<std::string>()));
    if (!claim) return core::Fail("STATE_CORRUPT", "entry names a missing claim");
    if (full) {
      claims.push_back(*claim);
    } else if ((*claim)["certifierOrg"] == reader.org.org_id) {
      claims.push_back(ClaimStatus(*claim));
    }
  }
  if (full) {
    Json out = entry;
    out["view"] = "full";
    out["claims"] = claims;
    return out;
  }
  if (claims.empty()) return Forbidden("entry " + entry["entryNumber"].get<std::string>());
  return Json{{"view", "claim-status"}, {"entryNumber", entry["entryNumber"]}, {"claims", claims}};
}

core::Result<Json> ViewClaim(const StateReader& state, const Json& claim, const Actor& reader,
                             int64_t now) {
  TL_ASSIGN_OR_RETURN(bool full, SeesImporterData(state, reader, claim["importer"], now));
  if (full) {
    Json out = claim;
    out["view"] = "full";
    return out;
  }
  if (claim["certifierOrg"] == reader.org.org_id) {
    Json out = ClaimStatus(claim);
    out["view"] = "claim-status";
    return out;
  }
  return Forbidden("claim " + claim["claimId"].get<std::string>());
}

core::Result<Json> ViewCase(const StateReader&, const Json& vcase, const Actor& reader,
                            int64_t now) {
  bool party = reader.is_customs || vcase["importer"] == reader.org.org_id;
  for (const Json& r : vcase["requests"]) party |= r["addressee"] == reader.org.org_id;
  if (!party) return Forbidden("case " + vcase["caseId"].get<std::string>());
  Json out = vcase;
  out["view"] = "full";
  out["effectiveState"] = EffectiveCaseState(vcase, now);
  return out;
}

core::Result<std::vector<std::string>> ClaimsCitingCertification(const StateReader& state,
                                                                 std::string_view cert_id) {
  return LoadIdIndex(state, CertClaimsKey(cert_id));
}

}  // namespace tradeledger::trade
