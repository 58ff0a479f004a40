// Participants: organisations, their member keys and roles, and the authorisation of every
// transaction (DOMAIN.md §7.1.1; issue: participants and governance).
//
// State (values are JSON, see doc/formats.md "State keys"):
//   org/<orgId>           Organisation
//   key/<public key hex>  MemberKey
//   config/customs-org    the customs authority's org id (set at genesis)
//   config/ior-salt       the network's salt for importer-of-record number hashes
//   config/holidays       JSON array of day numbers that are not business days
//
// A signer is authorised at block time t when its key is ACTIVE, validFrom <= t < validTo
// (validTo absent = open), and its organisation is ACTIVE. Its roles are the key's roles.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "trade/executor.h"
#include "trade/json_fields.h"

namespace tradeledger::trade {

// The roles of DOMAIN.md §7.1.1.
inline const std::set<std::string> kRoles = {"CBP_OFFICER",   "CBP_ADMIN", "IMPORTER",
                                             "BROKER",        "EXPORTER",  "PRODUCER",
                                             "RIGHTS_HOLDER", "LICENSEE",  "MANUFACTURER"};

struct Organisation {
  std::string org_id;
  std::string legal_name;
  std::string country;
  std::set<std::string> roles;
  std::string status = "ACTIVE";  // ACTIVE | SUSPENDED | REVOKED
  std::string filer_code;         // brokers and self-filers; may be empty
  std::string ior_number_hash;    // trade/ior_number.h; never the number itself
  std::vector<std::string> mids;  // manufacturers

  Json ToJson() const;
  static core::Result<Organisation> FromJson(const Json& j);
};

struct MemberKey {
  std::string public_key;  // hex
  std::string org_id;
  std::set<std::string> roles;
  bool admin = false;  // may add, rotate and revoke the organisation's keys
  int64_t valid_from = 0;
  std::optional<int64_t> valid_to;
  std::string status = "ACTIVE";  // ACTIVE | REVOKED
  std::optional<int64_t> revoked_at;

  Json ToJson() const;
  static core::Result<MemberKey> FromJson(const Json& j);
};

// The signer of a transaction, resolved and authorised at block time.
struct Actor {
  Organisation org;
  MemberKey key;
  bool is_customs = false;  // the organisation is the customs authority
  bool Has(std::string_view role) const { return key.roles.contains(std::string(role)); }
};

core::Bytes OrgKey(std::string_view org_id);
core::Bytes MemberKeyKey(std::string_view public_key_hex);

core::Result<std::optional<Organisation>> LoadOrganisation(const StateReader& state,
                                                           std::string_view org_id);
core::Result<std::optional<MemberKey>> LoadMemberKey(const StateReader& state,
                                                     std::string_view public_key_hex);
void SaveOrganisation(WorkingState& state, const Organisation& org);
void SaveMemberKey(WorkingState& state, const MemberKey& key);

// The customs authority's org id, or empty on a network without one.
core::Result<std::string> CustomsOrgId(const StateReader& state);
core::Result<std::set<int64_t>> Holidays(const StateReader& state);
// The network's salt for importer-of-record number hashes (trade/ior_number.h); empty if the
// genesis set none.
core::Result<core::Bytes> IorSalt(const StateReader& state);

// Resolves the signer at `time`; nullopt if it is not an authorised member (unknown key,
// revoked, outside its validity window, organisation not ACTIVE).
core::Result<std::optional<Actor>> ResolveActor(const StateReader& state,
                                                const crypto::PublicKey& signer, int64_t time);

// The outcome for an unauthorised action.
TxOutcome NotAuthorized(std::string detail);

// Writes the genesis participants and configuration from the genesis file's JSON:
//   "customs_authority": {"org_id", "legal_name", "country",
//                         "members": [{"public_key", "roles": [...], "admin": bool}]},
//   "ior_salt": hex, "holidays": ["YYYY-MM-DD", ...]
// Absent customs_authority: a network without participants (GENESIS_INVALID on bad input).
core::Status ApplyGenesis(const Json& genesis, WorkingState& state);

// The "customs_authority" section that ApplyGenesis reads: the organisation and its first
// member, one admin key holding `roles`. The genesis ceremony (--customs) and every test or
// benchmark network render it here, so the section has one shape.
struct CustomsAuthoritySection {
  std::string org_id = "CBP";
  std::string legal_name = "U.S. Customs and Border Protection";
  std::string country = "US";
  crypto::PublicKey admin_key;
  std::vector<std::string> roles = {"CBP_ADMIN", "CBP_OFFICER"};
};
nlohmann::ordered_json RenderCustomsAuthority(const CustomsAuthoritySection& section);

// Transaction handlers: org.admit, org.set-status, org.set-roles, member.add, member.rotate,
// member.revoke. Registered in executor.cc.
core::Result<TxOutcome> ExecuteOrgAdmit(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteOrgSetStatus(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteOrgSetRoles(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteMemberAdd(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteMemberRotate(WorkingState& state, const TxContext& tx);
core::Result<TxOutcome> ExecuteMemberRevoke(WorkingState& state, const TxContext& tx);

}  // namespace tradeledger::trade
