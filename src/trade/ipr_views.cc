#include "trade/ipr_views.h"

#include <optional>
#include <vector>

#include "trade/delegation.h"
#include "trade/id_index.h"
#include "trade/ipr_common.h"
#include "trade/licence.h"
#include "trade/licence_rules.h"
#include "trade/recordation.h"

namespace tradeledger::trade {
namespace {

bool IsPartyOf(const std::vector<Licence>& chain, std::string_view org) {
  for (const Licence& l : chain) {
    if (l.licensor == org || l.licensee == org) return true;
  }
  return false;
}

Json NodeJson(const Licence& l, const std::vector<Licence>& chain, int64_t now) {
  EffectiveLicenceState eff = EffectiveStateOfChain(chain, now);
  return {{"licenseId", l.license_id},
          {"licensor", l.licensor},
          {"licensee", l.licensee},
          {"permissions", l.permissions},
          {"ownState", LicenceOwnStateAt(l, now)},
          {"effectiveState", eff.state},
          {"children", Json::array()}};
}

// Walks the tree below `chain.front()` (chain is leaf first). `reader` empty = unfiltered.
// Returns nullopt when the filtered reader may see nothing in this subtree.
core::Result<std::optional<Json>> Subtree(const StateReader& state, std::vector<Licence>& chain,
                                          const std::string* reader, bool party_above,
                                          int64_t now) {
  const Licence l = chain.front();
  bool party = party_above || (reader && (l.licensor == *reader || l.licensee == *reader));
  Json node = NodeJson(l, chain, now);
  bool any_child = false;
  if (static_cast<int>(chain.size()) < kMaxLicenceChainDepth) {
    TL_ASSIGN_OR_RETURN(std::vector<std::string> children,
                        LoadIdIndex(state, LicenceChildrenKey(l.license_id)));
    for (const std::string& id : children) {
      TL_ASSIGN_OR_RETURN(std::optional<Licence> child, LoadLicence(state, id));
      if (!child) return core::Fail("STATE_CORRUPT", "indexed licence " + id + " is missing");
      chain.insert(chain.begin(), std::move(*child));
      auto sub = Subtree(state, chain, reader, party, now);
      chain.erase(chain.begin());
      if (!sub) return std::unexpected(sub.error());
      if (*sub) {
        node["children"].push_back(std::move(**sub));
        any_child = true;
      }
    }
  }
  if (!reader || party) return std::optional<Json>(std::move(node));
  if (!any_child) return std::optional<Json>();
  return std::optional<Json>(Json{{"licenseId", l.license_id},
                                  {"effectiveState", node["effectiveState"]},
                                  {"children", node["children"]}});
}

core::Result<Json> Tree(const StateReader& state, std::string_view recordation_no,
                        const std::string* reader, int64_t now) {
  Json out = {{"recordationNo", recordation_no}, {"licenses", Json::array()}};
  TL_ASSIGN_OR_RETURN(std::vector<std::string> roots,
                      LoadIdIndex(state, LicenceRootsKey(recordation_no)));
  for (const std::string& id : roots) {
    TL_ASSIGN_OR_RETURN(std::optional<Licence> root, LoadLicence(state, id));
    if (!root) return core::Fail("STATE_CORRUPT", "indexed licence " + id + " is missing");
    std::vector<Licence> chain = {std::move(*root)};
    TL_ASSIGN_OR_RETURN(std::optional<Json> node, Subtree(state, chain, reader, false, now));
    if (node) out["licenses"].push_back(std::move(*node));
  }
  return out;
}

}  // namespace

core::Result<Json> ViewRecordation(const StateReader&, const Json& record, const Actor& reader,
                                   int64_t now) {
  TL_ASSIGN_OR_RETURN(Recordation r, Recordation::FromJson(record));
  std::string state = RecordationStateAt(r, now);
  if (IsCustomsOfficer(reader) || reader.org.org_id == r.owner) {
    Json full = r.ToJson();
    full["effectiveState"] = state;
    return full;
  }
  return Json{{"recordationNo", r.recordation_no}, {"rightType", r.right_type}, {"state", state}};
}

core::Result<Json> ViewLicence(const StateReader& state, const Json& record, const Actor& reader,
                               int64_t now) {
  TL_ASSIGN_OR_RETURN(Licence l, Licence::FromJson(record));
  TL_ASSIGN_OR_RETURN(std::vector<Licence> chain, LoadAncestry(state, l));
  EffectiveLicenceState eff = EffectiveStateOfChain(chain, now);
  if (!IsCustomsOfficer(reader) && !IsPartyOf(chain, reader.org.org_id)) {
    return Json{{"licenseId", l.license_id},
                {"rightType", l.right_type},
                {"recordationRefs", l.recordation_refs},
                {"state", eff.state}};
  }
  Json full = l.ToJson();
  full["ownState"] = LicenceOwnStateAt(l, now);
  full["effectiveState"] = eff.state;
  full["effectiveStateCause"] = eff.cause;
  TL_ASSIGN_OR_RETURN(full["quantityUsed"], LoadQuantityUsed(state, l.license_id));
  TL_ASSIGN_OR_RETURN(std::optional<uint64_t> remaining, RemainingQuantity(state, chain));
  if (remaining) full["quantityRemaining"] = *remaining;
  return full;
}

core::Result<Json> ViewAssessment(const StateReader& state, const Json& record, const Actor& reader,
                                  int64_t now) {
  TL_ASSIGN_OR_RETURN(std::string importer, RecordString(record, "importer"));
  TL_ASSIGN_OR_RETURN(std::string filed_by, RecordString(record, "filedBy"));
  const std::string& org = reader.org.org_id;
  bool full = IsCustomsOfficer(reader) || org == importer || org == filed_by;
  if (!full && !importer.empty()) {
    TL_ASSIGN_OR_RETURN(full, HasActiveDelegation(state, importer, org, kScopePresentLicense, now));
  }
  if (full) return record;
  TL_ASSIGN_OR_RETURN(std::string result, RecordString(record, "result"));
  TL_ASSIGN_OR_RETURN(std::vector<std::string> licensors, RecordStrings(record, "licensors"));
  if ((result == "FACILITATE" || result == "FLAG") && IprContains(licensors, org)) {
    TL_ASSIGN_OR_RETURN(std::vector<std::string> reasons, RecordStrings(record, "reasonCodes"));
    TL_ASSIGN_OR_RETURN(std::vector<std::string> chain, RecordStrings(record, "licenseChain"));
    TL_ASSIGN_OR_RETURN(int64_t at, RecordInt(record, "assessedAt"));
    return Json{
        {"result", result}, {"reasonCodes", reasons}, {"licenseChain", chain}, {"assessedAt", at}};
  }
  return core::Fail("NOT_AUTHORIZED",
                    "the assessment is visible to customs, the importer and "
                    "its filer, and licensors of the chain it relied on");
}

core::Result<Json> LicenceChain(const StateReader& state, std::string_view recordation_no,
                                int64_t now) {
  return Tree(state, recordation_no, nullptr, now);
}

core::Result<Json> ViewLicenceChain(const StateReader& state, std::string_view recordation_no,
                                    const Actor& reader, int64_t now) {
  if (IsCustomsOfficer(reader)) return Tree(state, recordation_no, nullptr, now);
  TL_ASSIGN_OR_RETURN(std::optional<Recordation> r, LoadRecordation(state, recordation_no));
  if (r && r->owner == reader.org.org_id) return Tree(state, recordation_no, nullptr, now);
  return Tree(state, recordation_no, &reader.org.org_id, now);
}

}  // namespace tradeledger::trade
