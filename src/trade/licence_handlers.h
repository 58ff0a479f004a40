// Transactions on licences (DOMAIN.md §7.1.9, §7.2; rules 26-27 in licence_rules.h).
//
//   ipr.license.issue     {licenseId, licensee, parentLicenseId?, recordationRefs[]?, rightType?,
//                          products[] {description, htsPrefixes[], physicalFeatures?},
//                          permissions[] (MANUFACTURE|IMPORT|SUBLICENSE),
//                          authorizedManufacturerMids[]?, countriesOfManufacture[]?,
//                          authorizedImporters[]?, quantityLimit?, validFrom, validTo}
//       signed by the licensor (a RIGHTS_HOLDER or LICENSEE key). A licence without a parent
//       names recordationRefs and rightType; a sublicence inherits them when it omits them.
//   ipr.license.suspend   {licenseId, reason?}  by the licensor: ACTIVE -> SUSPENDED
//   ipr.license.reinstate {licenseId, reason?}  by the licensor: SUSPENDED -> ACTIVE
//   ipr.license.revoke    {licenseId, reason?}  by the licensor or any licensor above it in the
//                                               chain: ISSUED | ACTIVE | SUSPENDED -> REVOKED
// A forbidden transition gives LICENSE_STATE_INVALID; an unknown id LICENSE_NOT_FOUND.
#pragma once

#include "core/result.h"
#include "trade/executor.h"

namespace tradeledger::trade {

core::Result<TxOutcome> ExecuteLicenceIssue(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteLicenceSuspend(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteLicenceReinstate(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteLicenceRevoke(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
