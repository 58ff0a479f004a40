#include "trade/tx_readers.h"

namespace tradeledger::trade {

core::Result<std::set<std::string>> TransactionParties(const StateReader& state,
                                                       const crypto::PublicKey& signer,
                                                       core::ByteSpan body) {
  std::set<std::string> parties;
  TL_ASSIGN_OR_RETURN(std::optional<MemberKey> key, LoadMemberKey(state, signer.hex()));
  if (key) parties.insert(key->org_id);
  Json j = Json::parse(core::AsStringView(body), nullptr, false);
  if (!j.is_object()) return parties;
  for (const char* field : {"orgId", "importer", "licensee", "agent"}) {
    auto it = j.find(field);
    if (it == j.end() || !it->is_string()) continue;
    const std::string& org_id = it->get_ref<const std::string&>();
    TL_ASSIGN_OR_RETURN(std::optional<Organisation> org, LoadOrganisation(state, org_id));
    if (org) parties.insert(org_id);
  }
  return parties;
}

core::Result<bool> MayReadTransactionBody(const StateReader& state, const Actor& reader,
                                          const crypto::PublicKey& signer, core::ByteSpan body) {
  if (reader.is_customs) return true;
  TL_ASSIGN_OR_RETURN(std::set<std::string> parties, TransactionParties(state, signer, body));
  return parties.contains(reader.org.org_id);
}

}  // namespace tradeledger::trade
