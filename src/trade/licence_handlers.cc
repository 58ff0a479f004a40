#include "trade/licence_handlers.h"

#include "trade/id_index.h"
#include "trade/ipr_common.h"
#include "trade/licence.h"
#include "trade/licence_rules.h"
#include "trade/participants.h"

namespace tradeledger::trade {
namespace {

bool MayHoldLicence(const Organisation& org) {
  return org.roles.contains("LICENSEE") || org.roles.contains("MANUFACTURER") ||
         org.roles.contains("IMPORTER");
}

// Checks the organisations a licence names: the licensee (and the authorised importers) exist.
core::Result<std::optional<TxOutcome>> CheckParties(const StateReader& state, const Licence& l) {
  using R = std::optional<TxOutcome>;
  TL_ASSIGN_OR_RETURN(std::optional<Organisation> licensee, LoadOrganisation(state, l.licensee));
  if (!licensee) return R(TxOutcome{"ORG_NOT_FOUND", "no organisation " + l.licensee});
  if (!MayHoldLicence(*licensee)) {
    return R(TxOutcome{"LICENSEE_INVALID",
                       l.licensee + " holds none of LICENSEE, MANUFACTURER, IMPORTER"});
  }
  for (const std::string& importer : l.importers) {
    TL_ASSIGN_OR_RETURN(std::optional<Organisation> org, LoadOrganisation(state, importer));
    if (!org) return R(TxOutcome{"ORG_NOT_FOUND", "no organisation " + importer});
  }
  return R();
}

enum class Action { kSuspend, kReinstate, kRevoke };

core::Result<TxOutcome> ChangeState(WorkingState& state, const TxContext& tx, Action action) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor) return NotAuthorized("signer is not an active member");
  auto body = ParseBody(tx.body);
  if (!body) return IprFromError(body.error());
  auto id = GetString(*body, "licenseId", 128);
  if (!id) return IprFromError(id.error());
  auto reason = GetOptString(*body, "reason", 1024);
  if (!reason) return IprFromError(reason.error());
  TL_ASSIGN_OR_RETURN(std::optional<Licence> l, LoadLicence(state, *id));
  if (!l) return TxOutcome{"LICENSE_NOT_FOUND", *id};

  const std::string& org = actor->org.org_id;
  bool allowed = l->licensor == org;
  if (!allowed && action == Action::kRevoke) {
    TL_ASSIGN_OR_RETURN(std::vector<Licence> chain, LoadAncestry(state, *l));
    for (const Licence& a : chain) allowed = allowed || a.licensor == org;
  }
  if (!allowed) return NotAuthorized("only the licensor changes the state of a licence");

  std::string own = LicenceOwnStateAt(*l, now);
  std::string kind;
  bool ok = false;
  switch (action) {
    case Action::kSuspend:
      ok = own == "ACTIVE";
      kind = "SUSPENDED";
      break;
    case Action::kReinstate:
      ok = own == "SUSPENDED";
      kind = "REINSTATED";
      break;
    case Action::kRevoke:
      ok = own == "ISSUED" || own == "ACTIVE" || own == "SUSPENDED";
      kind = "REVOKED";
      break;
  }
  if (!ok) {
    return TxOutcome{"LICENSE_STATE_INVALID",
                     "licence " + *id + " is " + own + "; cannot record " + kind};
  }
  l->events.push_back(LicenceEvent{kind, now, org});
  SaveLicence(state, *l);
  return TxOutcome{};
}

}  // namespace

core::Result<TxOutcome> ExecuteLicenceIssue(WorkingState& state, const TxContext& tx) {
  int64_t now = static_cast<int64_t>(tx.block_time.value);
  TL_ASSIGN_OR_RETURN(std::optional<Actor> actor, ResolveActor(state, tx.signer, now));
  if (!actor || !(actor->Has("RIGHTS_HOLDER") || actor->Has("LICENSEE"))) {
    return NotAuthorized("licences are issued by a RIGHTS_HOLDER or LICENSEE key");
  }
  auto body = ParseBody(tx.body);
  if (!body) return IprFromError(body.error());
  auto parsed = ParseLicenceIssue(*body, actor->org.org_id);
  if (!parsed) return IprFromError(parsed.error());
  Licence l = std::move(*parsed);
  TL_ASSIGN_OR_RETURN(std::optional<Licence> existing, LoadLicence(state, l.license_id));
  if (existing) return TxOutcome{"LICENSE_EXISTS", l.license_id};
  TL_ASSIGN_OR_RETURN(std::optional<TxOutcome> parties, CheckParties(state, l));
  if (parties) return *parties;

  if (l.parent_license_id) {
    TL_ASSIGN_OR_RETURN(std::optional<Licence> parent, LoadLicence(state, *l.parent_license_id));
    if (!parent) return TxOutcome{"LICENSE_NOT_FOUND", *l.parent_license_id};
    TL_ASSIGN_OR_RETURN(std::vector<Licence> parent_chain, LoadAncestry(state, *parent));
    TL_ASSIGN_OR_RETURN(std::optional<TxOutcome> failed,
                        CheckSublicence(state, l, parent_chain, now));
    if (failed) return *failed;
  } else {
    TL_ASSIGN_OR_RETURN(std::optional<TxOutcome> failed, CheckRootEntitlement(state, l, now));
    if (failed) return *failed;
  }

  l.events = {LicenceEvent{"ISSUED", now, l.licensor}};
  l.tx_id = tx.tx_id.hex();
  SaveLicence(state, l);
  if (l.parent_license_id) {
    TL_RETURN_IF_ERROR(
        AppendIdIndex(state, LicenceChildrenKey(*l.parent_license_id), l.license_id));
  } else {
    for (const std::string& no : l.recordation_refs) {
      TL_RETURN_IF_ERROR(AppendIdIndex(state, LicenceRootsKey(no), l.license_id));
    }
  }
  return TxOutcome{};
}

core::Result<TxOutcome> ExecuteLicenceSuspend(WorkingState& state, const TxContext& tx) {
  return ChangeState(state, tx, Action::kSuspend);
}

core::Result<TxOutcome> ExecuteLicenceReinstate(WorkingState& state, const TxContext& tx) {
  return ChangeState(state, tx, Action::kReinstate);
}

core::Result<TxOutcome> ExecuteLicenceRevoke(WorkingState& state, const TxContext& tx) {
  return ChangeState(state, tx, Action::kRevoke);
}

}  // namespace tradeledger::trade
