#include "index/block_check.h"

#include "core/bytes.h"
#include "ledger/merkle.h"

namespace tradeledger::index {
namespace {

core::Result<core::Bytes> DecodeField(const nlohmann::json& served, const char* name) {
  auto it = served.find(name);
  if (it == served.end() || !it->is_string()) {
    return core::Fail("BLOCK_MALFORMED", std::string("no ") + name);
  }
  auto bytes = core::FromBase64(it->get<std::string>());
  if (!bytes) return core::Fail("BLOCK_MALFORMED", std::string(name) + " is not base64");
  return bytes;
}

}  // namespace

core::Result<CheckedBlock> CheckServedBlock(const nlohmann::json& served,
                                            const node::TrustedValidators& trusted,
                                            core::Height height,
                                            const std::optional<ledger::BlockHash>& prev_hash) {
  if (!served.is_object()) return core::Fail("BLOCK_MALFORMED", "not a JSON object");
  TL_ASSIGN_OR_RETURN(core::Bytes header_bytes, DecodeField(served, "encoded_header"));
  TL_ASSIGN_OR_RETURN(core::Bytes cert_bytes, DecodeField(served, "encoded_certificate"));
  auto header = ledger::BlockHeader::Decode(header_bytes);
  if (!header) return core::Fail("BLOCK_MALFORMED", "header: " + header.error().ToString());
  auto cert = ledger::CommitCertificate::Decode(cert_bytes);
  if (!cert) return core::Fail("BLOCK_MALFORMED", "certificate: " + cert.error().ToString());

  CheckedBlock out;
  out.header = *header;
  out.hash = header->Hash();
  out.certificate = *cert;
  if (header->chain_id != trusted.chain_id) {
    return core::Fail("BLOCK_MISMATCH", "the block is of chain " + header->chain_id.hex());
  }
  if (header->height != height || cert->height != height) {
    return core::Fail("BLOCK_MISMATCH", "asked for height " + height.ToString() + ", got header " +
                                            header->height.ToString() + " and certificate " +
                                            cert->height.ToString());
  }
  if (cert->block_hash != out.hash) {
    return core::Fail("BLOCK_MISMATCH",
                      "the certificate is for another header than the one served");
  }
  if (prev_hash && header->prev_hash != *prev_hash) {
    return core::Fail("BLOCK_LINK_BROKEN", "block " + height.ToString() + " names prev_hash " +
                                               header->prev_hash.hex() + ", the indexed block is " +
                                               prev_hash->hex());
  }
  const ledger::ValidatorSet& set = trusted.SetAt(height);
  TL_RETURN_IF_ERROR(cert->Verify(trusted.chain_id, set));
  out.quorum = set.quorum();
  out.set_size = set.size();

  auto txs = served.find("transactions");
  if (txs == served.end() || !txs->is_array()) {
    return core::Fail("BLOCK_MALFORMED", "no transaction ids (is the read signed?)");
  }
  std::vector<core::Hash32> leaves;
  for (const auto& id : *txs) {
    if (!id.is_string()) return core::Fail("BLOCK_MALFORMED", "a transaction id is not a string");
    auto parsed = ledger::TxId::FromHex(id.get<std::string>());
    if (!parsed) return core::Fail("BLOCK_MALFORMED", "a transaction id is not 64 hex digits");
    leaves.push_back(ledger::LeafHash(parsed->hash.span()));
    out.tx_ids.push_back(*parsed);
  }
  if (out.tx_ids.size() != header->tx_count ||
      ledger::RootOfLeafHashes(leaves) != header->tx_root) {
    return core::Fail("TX_ROOT_MISMATCH",
                      "the transaction ids served are not block " + height.ToString() + "'s");
  }
  return out;
}

}  // namespace tradeledger::index
