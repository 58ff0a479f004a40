#include "trade/licence_rules.h"

#include <algorithm>
#include <set>

#include "trade/ipr_common.h"
#include "trade/recordation.h"

namespace tradeledger::trade {
namespace {

int Severity(std::string_view state) {
  if (state == "REVOKED") return 4;
  if (state == "EXPIRED") return 3;
  if (state == "SUSPENDED") return 2;
  if (state == "ISSUED") return 1;
  return 0;
}

bool PrefixCovered(const std::string& prefix, const std::vector<LicensedProduct>& products) {
  for (const LicensedProduct& p : products) {
    for (const std::string& q : p.hts_prefixes) {
      if (prefix.starts_with(q)) return true;
    }
  }
  return false;
}

// A restricted list of the parent bounds the child: a child that is silent inherits the
// restriction; one that lists its own must list a subset.
bool WithinRestriction(std::vector<std::string>& child, const std::vector<std::string>& parent) {
  if (parent.empty()) return true;
  if (child.empty()) child = parent;
  return std::all_of(child.begin(), child.end(),
                     [&](const std::string& c) { return IprContains(parent, c); });
}

}  // namespace

core::Result<std::vector<Licence>> LoadAncestry(const StateReader& state, const Licence& leaf) {
  std::vector<Licence> chain = {leaf};
  std::set<std::string> seen = {leaf.license_id};
  while (chain.back().parent_license_id) {
    if (static_cast<int>(chain.size()) >= kMaxLicenceChainDepth) {
      return core::Fail("STATE_CORRUPT", "licence chain deeper than the maximum");
    }
    std::string parent_id = *chain.back().parent_license_id;
    if (!seen.insert(parent_id).second) {
      return core::Fail("STATE_CORRUPT", "licence chain has a cycle at " + parent_id);
    }
    TL_ASSIGN_OR_RETURN(std::optional<Licence> parent, LoadLicence(state, parent_id));
    if (!parent) return core::Fail("STATE_CORRUPT", "missing parent licence " + parent_id);
    chain.push_back(std::move(*parent));
  }
  return chain;
}

EffectiveLicenceState EffectiveStateOfChain(const std::vector<Licence>& chain, int64_t time) {
  EffectiveLicenceState out{"ACTIVE", chain.empty() ? "" : chain.front().license_id};
  for (const Licence& l : chain) {
    std::string own = LicenceOwnStateAt(l, time);
    if (Severity(own) > Severity(out.state)) out = {own, l.license_id};
  }
  return out;
}

core::Result<EffectiveLicenceState> EffectiveLicenceStateAt(const StateReader& state,
                                                            const Licence& l, int64_t time) {
  TL_ASSIGN_OR_RETURN(std::vector<Licence> chain, LoadAncestry(state, l));
  return EffectiveStateOfChain(chain, time);
}

core::Result<std::optional<uint64_t>> RemainingQuantity(const StateReader& state,
                                                        const std::vector<Licence>& chain) {
  std::optional<uint64_t> remaining;
  for (const Licence& l : chain) {
    if (!l.quantity_limit) continue;
    TL_ASSIGN_OR_RETURN(uint64_t used, LoadQuantityUsed(state, l.license_id));
    uint64_t left = used >= *l.quantity_limit ? 0 : *l.quantity_limit - used;
    remaining = remaining ? std::min(*remaining, left) : left;
  }
  return remaining;
}

core::Result<std::optional<TxOutcome>> CheckRootEntitlement(const StateReader& state,
                                                            const Licence& l, int64_t now) {
  using R = std::optional<TxOutcome>;
  for (const std::string& no : l.recordation_refs) {
    TL_ASSIGN_OR_RETURN(std::optional<Recordation> r, LoadRecordation(state, no));
    if (!r) return R(TxOutcome{"RECORDATION_NOT_FOUND", no});
    if (r->owner != l.licensor) {
      return R(TxOutcome{"LICENSOR_NOT_ENTITLED", l.licensor + " does not own " + no});
    }
    std::string st = RecordationStateAt(*r, now);
    if (st != "ACTIVE") {
      return R(TxOutcome{"LICENSOR_NOT_ENTITLED", "recordation " + no + " is " + st});
    }
    if (r->right_type != l.right_type) {
      return R(TxOutcome{"RIGHT_TYPE_MISMATCH", no + " records a " + r->right_type});
    }
  }
  return R();
}

core::Result<std::optional<TxOutcome>> CheckSublicence(const StateReader& state, Licence& l,
                                                       const std::vector<Licence>& parent_chain,
                                                       int64_t now) {
  using R = std::optional<TxOutcome>;
  TL_CHECK(!parent_chain.empty());
  const Licence& parent = parent_chain.front();

  // Rule 26: the licensor holds the parent, which is in force and allows sublicensing.
  if (parent.licensee != l.licensor) {
    return R(TxOutcome{"LICENSOR_NOT_ENTITLED",
                       l.licensor + " is not the licensee of " + parent.license_id});
  }
  EffectiveLicenceState parent_state = EffectiveStateOfChain(parent_chain, now);
  if (parent_state.state != "ACTIVE") {
    return R(TxOutcome{"LICENSOR_NOT_ENTITLED", "parent " + parent.license_id + " is " +
                                                    parent_state.state + " (" + parent_state.cause +
                                                    ")"});
  }
  if (!parent.Allows(kPermSublicense)) {
    return R(TxOutcome{"LICENSOR_NOT_ENTITLED", parent.license_id + " does not allow SUBLICENSE"});
  }

  // Rule 27: every way the sublicence could exceed its parent; all are named in the detail.
  std::vector<std::string> exceeds;
  if (l.right_type.empty()) l.right_type = parent.right_type;
  if (l.right_type != parent.right_type) exceeds.push_back("rightType");
  if (l.recordation_refs.empty()) l.recordation_refs = parent.recordation_refs;
  for (const std::string& r : l.recordation_refs) {
    if (!IprContains(parent.recordation_refs, r)) {
      exceeds.push_back("recordationRefs");
      break;
    }
  }
  if (!std::includes(parent.permissions.begin(), parent.permissions.end(), l.permissions.begin(),
                     l.permissions.end())) {
    exceeds.push_back("permissions");
  }
  if (l.valid_from == kInheritFrom) l.valid_from = parent.valid_from;
  if (l.valid_to == kInheritTo) l.valid_to = parent.valid_to;
  if (l.valid_to <= l.valid_from) {
    return R(TxOutcome{"VALIDITY_INVALID", "validTo must be after validFrom"});
  }
  if (l.valid_from < parent.valid_from || l.valid_to > parent.valid_to) {
    exceeds.push_back("validity");
  }
  if (l.products.empty()) l.products = parent.products;
  for (const LicensedProduct& p : l.products) {
    if (!std::all_of(p.hts_prefixes.begin(), p.hts_prefixes.end(),
                     [&](const std::string& q) { return PrefixCovered(q, parent.products); })) {
      exceeds.push_back("products");
      break;
    }
  }
  if (!WithinRestriction(l.mids, parent.mids)) exceeds.push_back("authorizedManufacturerMids");
  if (!WithinRestriction(l.countries, parent.countries)) {
    exceeds.push_back("countriesOfManufacture");
  }
  if (!WithinRestriction(l.importers, parent.importers)) exceeds.push_back("authorizedImporters");
  if (l.quantity_limit) {
    TL_ASSIGN_OR_RETURN(std::optional<uint64_t> remaining, RemainingQuantity(state, parent_chain));
    if (remaining && *l.quantity_limit > *remaining) {
      exceeds.push_back("quantityLimit (parent's remaining " + std::to_string(*remaining) + ")");
    }
  }
  l.depth = parent.depth + 1;
  if (l.depth > kMaxLicenceChainDepth) {
    exceeds.push_back("chain depth > " + std::to_string(kMaxLicenceChainDepth));
  }
  for (const Licence& a : parent_chain) {
    if (a.licensor == l.licensee || a.licensee == l.licensee) {
      exceeds.push_back("cycle: " + l.licensee + " is already in the chain");
      break;
    }
  }
  if (exceeds.empty()) return R();
  std::string detail;
  for (const std::string& e : exceeds) detail += (detail.empty() ? "" : ", ") + e;
  return R(TxOutcome{"SUBLICENSE_EXCEEDS_PARENT", detail});
}

}  // namespace tradeledger::trade
