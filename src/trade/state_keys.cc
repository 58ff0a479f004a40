#include "trade/state_keys.h"

namespace tradeledger::trade {

core::Bytes NonceKey(const crypto::PublicKey& signer) {
  core::Bytes key = core::ToBytes("nonce/");
  key.insert(key.end(), signer.data.begin(), signer.data.end());
  return key;
}

core::Bytes DocumentKey(std::string_view doc_id) {
  core::Bytes key = core::ToBytes("doc/");
  key.insert(key.end(), doc_id.begin(), doc_id.end());
  return key;
}

core::Bytes DocumentHashKey(std::string_view content_hash_hex) {
  return core::ToBytes("doc-hash/" + std::string(content_hash_hex));
}

core::Bytes DocumentLiveKey(std::string_view content_hash_hex) {
  return core::ToBytes("doc-live/" + std::string(content_hash_hex));
}

core::Bytes DocumentHashOrgKey(std::string_view content_hash_hex, std::string_view org_id) {
  return core::ToBytes("doc-hash/" + std::string(content_hash_hex) + "/" + std::string(org_id));
}

}  // namespace tradeledger::trade
