// IPR licences and sublicences (DOMAIN.md §7.1.9, LicenseAuthorization; a verifiable-
// credential-like record whose `parentLicenseId` is the VC `extendsCredential`).
//
// State machine (§7.2):  ISSUED --(validFrom)--> ACTIVE <--suspend/reinstate--> SUSPENDED
//                        ISSUED | ACTIVE | SUSPENDED --revoke--> REVOKED
//                        EXPIRED is derived at validTo (validity is [validFrom, validTo)).
// Only ISSUED, SUSPENDED and REVOKED are ever stored as events; every other state is derived
// from the time, so a licence is written only when its own licensor acts on it. Revoking a
// licence makes its descendants ineffective without rewriting them: their effective state is
// derived from their ancestors (licence_rules.h).
//
// Wire names follow the DOMAIN fields ("license"); C++ names use "Licence".
//
// State:
//   ipr-license/<licenseId>                  the Licence (JSON, ToJson below)
//   ipr-license-roots/<recordationNo>        JSON array of root licence ids referencing it
//   ipr-license-children/<licenseId>         JSON array of the ids of its direct sublicences
//   ipr-license-used/<licenseId>             {"quantityUsed": n} (rule 29; absent = 0)
#pragma once

#include <limits>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

inline constexpr char kPermManufacture[] = "MANUFACTURE";
inline constexpr char kPermImport[] = "IMPORT";
inline constexpr char kPermSublicense[] = "SUBLICENSE";

struct LicensedProduct {
  std::string description;
  std::vector<std::string> hts_prefixes;    // 2..10 digits, dots removed
  Json physical_features = Json::object();  // {markLocations, stitching, logoPlacement,
                                            //  imageHashes[]}
};

struct LicenceEvent {
  std::string kind;  // ISSUED | SUSPENDED | REINSTATED | REVOKED
  int64_t at = 0;
  std::string by;  // org id of the actor
};

struct Licence {
  std::string license_id;
  std::string licensor;  // org id
  std::string licensee;  // org id
  std::optional<std::string> parent_license_id;
  std::vector<std::string> recordation_refs;
  std::string right_type;
  std::vector<LicensedProduct> products;
  std::set<std::string> permissions;
  std::vector<std::string> mids;           // authorizedManufacturerMids; empty = unrestricted
  std::vector<std::string> countries;      // countriesOfManufacture; empty = unrestricted
  std::vector<std::string> importers;      // authorizedImporters (org ids)
  std::optional<uint64_t> quantity_limit;  // absent = bounded only by its ancestors
  int64_t valid_from = 0;
  int64_t valid_to = 0;
  int depth = 1;  // 1 for a licence granted on recordations, parent's depth + 1 below
  std::vector<LicenceEvent> events;
  std::string tx_id;

  Json ToJson() const;
  static core::Result<Licence> FromJson(const Json& j);  // STATE_CORRUPT on a bad shape
  bool Allows(std::string_view permission) const {
    return permissions.contains(std::string(permission));
  }
};

// The licence's own state at `time` (not considering its ancestors): REVOKED once revoked,
// then EXPIRED at or after validTo, ISSUED before validFrom, SUSPENDED while suspended,
// otherwise ACTIVE. Events after `time` are ignored, so past states can be reconstructed.
std::string LicenceOwnStateAt(const Licence& l, int64_t time);

// A sublicence that omits validFrom/validTo, products, recordationRefs, rightType or a list its
// parent restricts (MIDs, countries, importers) inherits the parent's. ParseLicenceIssue marks
// an omitted validity bound with these sentinels; CheckSublicence replaces them.
inline constexpr int64_t kInheritFrom = std::numeric_limits<int64_t>::min();
inline constexpr int64_t kInheritTo = std::numeric_limits<int64_t>::max();

// Parses the body of ipr.license.issue into a licence granted by `licensor`. Reason codes:
// PAYLOAD_INVALID, HTS_FORMAT, MID_FORMAT, COUNTRY_CODE_INVALID, VALIDITY_INVALID. Reads no
// state; entitlement and the parent bounds are checked by licence_rules.h.
core::Result<Licence> ParseLicenceIssue(const Json& body, std::string_view licensor);

core::Bytes LicenceKey(std::string_view license_id);
// Id indexes (id_index.h) of the licences granted directly on a recordation, and of the
// direct sublicences of a licence.
std::string LicenceRootsKey(std::string_view recordation_no);
std::string LicenceChildrenKey(std::string_view license_id);
core::Bytes LicenceUsedKey(std::string_view license_id);

core::Result<std::optional<Licence>> LoadLicence(const StateReader& state,
                                                 std::string_view license_id);
void SaveLicence(WorkingState& state, const Licence& l);
// quantityUsed of a licence (rule 29), 0 if nothing was assessed under it.
core::Result<uint64_t> LoadQuantityUsed(const StateReader& state, std::string_view license_id);
void SaveQuantityUsed(WorkingState& state, std::string_view license_id, uint64_t used);

}  // namespace tradeledger::trade
