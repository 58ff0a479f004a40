#include "node/proof_bundle.h"

#include "ledger/merkle.h"
#include "ledger/merkle_log.h"
#include "state/state_proof.h"

namespace tradeledger::node {
namespace {

std::string B64(core::ByteSpan b) { return core::ToBase64(b); }

core::Result<core::Bytes> Field(const nlohmann::json& j, const char* name) {
  if (!j.is_object() || !j.contains(name) || !j[name].is_string()) {
    return core::Fail("PROOF_MALFORMED", std::string("missing field '") + name + "'");
  }
  auto bytes = core::FromBase64(j[name].get<std::string>());
  if (!bytes)
    return core::Fail("PROOF_MALFORMED", std::string("field '") + name + "' is not base64");
  return std::move(*bytes);
}

template <typename T>
core::Result<T> DecodeField(const nlohmann::json& j, const char* name) {
  TL_ASSIGN_OR_RETURN(core::Bytes raw, Field(j, name));
  auto v = T::Decode(raw);
  if (!v) return core::Fail("PROOF_MALFORMED", std::string(name) + ": " + v.error().ToString());
  return std::move(*v);
}

std::unexpected<core::Error> Invalid(const std::string& why) {
  return core::Fail("PROOF_INVALID", why);
}

// Proofs read only the header, the certificate and at most one transaction of a block.
nlohmann::json CertifiedHeader(const ledger::BlockExcerpt& block) {
  return {{"height", block.header.height.value},
          {"header", B64(block.header.Encode())},
          {"certificate", B64(block.certificate.Encode())}};
}

// Checks that `header` is certified by a quorum of `trusted`.
core::Result<ledger::BlockHeader> VerifyCertifiedHeader(const nlohmann::json& j,
                                                        const TrustedValidators& trusted) {
  TL_ASSIGN_OR_RETURN(ledger::BlockHeader header, DecodeField<ledger::BlockHeader>(j, "header"));
  TL_ASSIGN_OR_RETURN(ledger::CommitCertificate cert,
                      DecodeField<ledger::CommitCertificate>(j, "certificate"));
  if (header.chain_id != trusted.chain_id) {
    return core::Fail("PROOF_INVALID", "header belongs to another chain");
  }
  if (cert.height != header.height || cert.block_hash != header.Hash()) {
    return core::Fail("PROOF_INVALID", "certificate does not certify this header");
  }
  if (auto ok = cert.Verify(trusted.chain_id, trusted.SetAt(header.height)); !ok) {
    return core::Fail("PROOF_INVALID", ok.error().detail);
  }
  return header;
}

// The inclusion proof of `id` in the log the certified `header` states, inside its block.
core::Result<uint64_t> VerifyLeaf(const nlohmann::json& bundle, const ledger::BlockHeader& header,
                                  const ledger::TxId& id) {
  TL_ASSIGN_OR_RETURN(ledger::InclusionProof proof,
                      DecodeField<ledger::InclusionProof>(bundle, "inclusion"));
  if (proof.tree_size != header.log_size) return Invalid("proof is for another log size");
  uint64_t first = header.log_size - header.tx_count;
  if (proof.leaf_index < first || proof.leaf_index >= header.log_size) {
    return Invalid("leaf lies outside the block's transactions");
  }
  if (auto ok = ledger::VerifyInclusion(ledger::LeafHash(id.hash.span()), proof, header.log_root);
      !ok) {
    return Invalid("inclusion proof: " + ok.error().detail);
  }
  return proof.leaf_index - first;
}

VerifiedProof Proved(std::string kind, std::string summary) {
  VerifiedProof proved;
  proved.kind = std::move(kind);
  proved.summary = std::move(summary);
  return proved;  // height and signers: VerifyBundle
}

std::string Certified(const TrustedValidators& trusted, const ledger::BlockHeader& header) {
  return std::to_string(trusted.SetAt(header.height).quorum()) + "+ of " +
         std::to_string(trusted.SetAt(header.height).size()) + " validators";
}

core::Result<VerifiedProof> VerifyInclusionBundle(const nlohmann::json& bundle,
                                                  const TrustedValidators& trusted) {
  TL_ASSIGN_OR_RETURN(ledger::BlockHeader header, VerifyCertifiedHeader(bundle, trusted));
  TL_ASSIGN_OR_RETURN(core::Bytes envelope, Field(bundle, "transaction"));
  auto tx = ledger::SignedTransaction::Decode(envelope);
  if (!tx) return core::Fail("PROOF_MALFORMED", "transaction: " + tx.error().ToString());
  if (auto sig = tx->VerifySignature(); !sig) return Invalid(sig.error().detail);
  if (tx->payload().chain_id != trusted.chain_id) {
    return Invalid("transaction belongs to another chain");
  }
  if (bundle.value("tx_id", "") != tx->id().hex()) {
    return Invalid("tx_id does not match the transaction");
  }
  TL_ASSIGN_OR_RETURN(uint64_t position, VerifyLeaf(bundle, header, tx->id()));
  return Proved(kInclusionBundleKind, "transaction " + tx->id().hex() + " is in block " +
                                          header.height.ToString() + " at position " +
                                          std::to_string(position) + ", certified by " +
                                          Certified(trusted, header));
}

core::Result<VerifiedProof> VerifyInclusionIdBundle(const nlohmann::json& bundle,
                                                    const TrustedValidators& trusted) {
  TL_ASSIGN_OR_RETURN(ledger::BlockHeader header, VerifyCertifiedHeader(bundle, trusted));
  if (bundle.contains("transaction")) {
    return core::Fail("PROOF_MALFORMED", "an inclusion-id bundle carries no transaction");
  }
  auto id = ledger::TxId::FromHex(bundle.value("tx_id", ""));
  if (!id) return core::Fail("PROOF_MALFORMED", "tx_id is not 64 hex digits");
  TL_ASSIGN_OR_RETURN(uint64_t position, VerifyLeaf(bundle, header, *id));
  return Proved(kInclusionIdBundleKind,
                "a transaction with id " + id->hex() + " is in block " + header.height.ToString() +
                    " at position " + std::to_string(position) + ", certified by " +
                    Certified(trusted, header) +
                    " (its body is withheld: this proof says nothing of its content)");
}

core::Result<VerifiedProof> VerifyConsistencyBundle(const nlohmann::json& bundle,
                                                    const TrustedValidators& trusted) {
  if (!bundle.contains("from") || !bundle.contains("to")) {
    return core::Fail("PROOF_MALFORMED", "missing 'from' or 'to'");
  }
  TL_ASSIGN_OR_RETURN(ledger::BlockHeader from, VerifyCertifiedHeader(bundle["from"], trusted));
  TL_ASSIGN_OR_RETURN(ledger::BlockHeader to, VerifyCertifiedHeader(bundle["to"], trusted));
  TL_ASSIGN_OR_RETURN(ledger::ConsistencyProof proof,
                      DecodeField<ledger::ConsistencyProof>(bundle, "consistency"));
  if (proof.old_size != from.log_size || proof.new_size != to.log_size) {
    return Invalid("proof sizes differ from the headers' log sizes");
  }
  if (auto ok = ledger::VerifyConsistency(proof, from.log_root, to.log_root); !ok) {
    return Invalid("consistency proof: " + ok.error().detail);
  }
  return Proved(kConsistencyBundleKind,
                "the log at block " + to.height.ToString() + " (" + std::to_string(to.log_size) +
                    " transactions) extends the log at block " + from.height.ToString() + " (" +
                    std::to_string(from.log_size) + ")");
}

core::Result<VerifiedProof> VerifyStateBundle(const nlohmann::json& bundle,
                                              const TrustedValidators& trusted) {
  TL_ASSIGN_OR_RETURN(ledger::BlockHeader header, VerifyCertifiedHeader(bundle, trusted));
  TL_ASSIGN_OR_RETURN(core::Bytes key, Field(bundle, "key"));
  TL_ASSIGN_OR_RETURN(state::StateProof proof, DecodeField<state::StateProof>(bundle, "proof"));
  if (proof.key != key) return Invalid("proof is for another key");
  std::optional<core::Bytes> value;
  if (bundle.contains("value") && !bundle["value"].is_null()) {
    TL_ASSIGN_OR_RETURN(core::Bytes v, Field(bundle, "value"));
    value = std::move(v);
  }
  if (proof.value != value) return Invalid("proof proves another value");
  if (auto ok = state::VerifyStateProof(proof, header.state_root); !ok) {
    return Invalid("state proof: " + ok.error().detail);
  }
  std::string what = value ? "has the stated value" : "is absent";
  return Proved(kStateBundleKind, "state key '" + std::string(core::AsStringView(key)) + "' " +
                                      what + " in the state after block " +
                                      header.state_height.ToString() +
                                      ", committed by certified block " + header.height.ToString());
}

}  // namespace

core::Result<nlohmann::json> BuildStateBundle(const LedgerStore& store,
                                              const ledger::ChainId& chain, core::Height tip,
                                              core::ByteSpan state_key) {
  if (tip.value == 0) return core::Fail("NOT_FOUND", "no certified state yet");
  TL_ASSIGN_OR_RETURN(ledger::BlockExcerpt block, store.ReadBlockExcerpt(tip, std::nullopt));
  // The tree the header commits may have been pruned (ADR 0019), before the walk or during it.
  auto pruned = [&]() -> core::Result<bool> {
    TL_ASSIGN_OR_RETURN(core::Height horizon, store.ReadStateHorizon());
    return block.header.state_height < horizon;
  };
  auto pruned_error = [&] {
    return core::Fail("STATE_PRUNED", "the state after block " +
                                          block.header.state_height.ToString() +
                                          " is no longer kept; ask again for a later block");
  };
  TL_ASSIGN_OR_RETURN(bool pruned_before, pruned());
  if (pruned_before) return pruned_error();
  auto proof = state::Prove(store.state_nodes(), block.header.state_root, state_key);
  if (!proof && proof.error().code == "STATE_NODE_MISSING") {
    TL_ASSIGN_OR_RETURN(bool pruned_during, pruned());
    if (pruned_during) return pruned_error();
  }
  if (!proof) return core::Fail(proof.error());
  nlohmann::json j = CertifiedHeader(block);
  j["kind"] = kStateBundleKind;
  j["chain_id"] = chain.hex();
  j["key"] = B64(state_key);
  j["state_height"] = block.header.state_height.value;
  j["value"] = proof->value ? nlohmann::json(B64(*proof->value)) : nlohmann::json(nullptr);
  j["proof"] = B64(proof->Encode());
  return j;
}

core::Result<nlohmann::json> BuildInclusionBundle(const LedgerStore& store,
                                                  const ledger::ChainId& chain,
                                                  const ledger::TxId& id, bool with_body) {
  TL_ASSIGN_OR_RETURN(std::optional<TxIndexEntry> entry, store.ReadTxIndex(id));
  if (!entry) return core::Fail("NOT_FOUND", "transaction " + id.hex() + " is not committed");
  // A position beyond the block is STORAGE_CORRUPT too.
  auto block = store.ReadBlockExcerpt(entry->height, entry->position);
  if (!block) return core::Fail(block.error());
  if (block->transaction->id() != id) {
    return core::Fail("STORAGE_CORRUPT",
                      "index entry does not match block " + entry->height.ToString());
  }
  TL_ASSIGN_OR_RETURN(
      ledger::InclusionProof proof,
      ledger::ProveInclusion(entry->leaf_index, block->header.log_size, store.log_nodes()));
  nlohmann::json j = CertifiedHeader(*block);
  j["kind"] = with_body ? kInclusionBundleKind : kInclusionIdBundleKind;
  j["chain_id"] = chain.hex();
  j["tx_id"] = id.hex();
  if (with_body) {
    j["transaction"] = B64(block->transaction->envelope());
    j["result_code"] = entry->result_code;
  }
  j["position"] = entry->position;
  j["inclusion"] = B64(proof.Encode());
  return j;
}

core::Result<nlohmann::json> BuildConsistencyBundle(const LedgerStore& store,
                                                    const ledger::ChainId& chain, core::Height from,
                                                    core::Height to) {
  if (from.value == 0 || from > to) {
    return core::Fail("INVALID_ARGUMENT", "need 1 <= from <= to");
  }
  TL_ASSIGN_OR_RETURN(ledger::BlockExcerpt a, store.ReadBlockExcerpt(from, std::nullopt));
  TL_ASSIGN_OR_RETURN(ledger::BlockExcerpt b, store.ReadBlockExcerpt(to, std::nullopt));
  TL_ASSIGN_OR_RETURN(
      ledger::ConsistencyProof proof,
      ledger::ProveConsistency(a.header.log_size, b.header.log_size, store.log_nodes()));
  return nlohmann::json{{"kind", kConsistencyBundleKind},
                        {"chain_id", chain.hex()},
                        {"from", CertifiedHeader(a)},
                        {"to", CertifiedHeader(b)},
                        {"consistency", B64(proof.Encode())}};
}

core::Result<VerifiedProof> VerifyBundle(const nlohmann::json& bundle,
                                         const TrustedValidators& trusted) {
  if (!bundle.is_object() || !bundle.contains("kind") || !bundle["kind"].is_string()) {
    return core::Fail("PROOF_MALFORMED", "not a proof bundle (no 'kind')");
  }
  if (bundle.value("chain_id", "") != trusted.chain_id.hex()) {
    return core::Fail("PROOF_INVALID", "bundle names another chain than the validators file");
  }
  std::string kind = bundle["kind"].get<std::string>();
  core::Result<VerifiedProof> verified =
      core::Fail("PROOF_MALFORMED", "unknown bundle kind '" + kind + "'");
  if (kind == kInclusionBundleKind) verified = VerifyInclusionBundle(bundle, trusted);
  if (kind == kInclusionIdBundleKind) verified = VerifyInclusionIdBundle(bundle, trusted);
  if (kind == kConsistencyBundleKind) verified = VerifyConsistencyBundle(bundle, trusted);
  if (kind == kStateBundleKind) verified = VerifyStateBundle(bundle, trusted);
  if (!verified) return verified;
  // The certificate the proof rests on was checked above; name its height and signers.
  const nlohmann::json& certified = kind == kConsistencyBundleKind ? bundle["to"] : bundle;
  TL_ASSIGN_OR_RETURN(ledger::CommitCertificate cert,
                      DecodeField<ledger::CommitCertificate>(certified, "certificate"));
  verified->height = cert.height.value;
  for (const ledger::CommitSignature& s : cert.signatures) {
    verified->signers.push_back(s.validator.hex());
  }
  return verified;
}

}  // namespace tradeledger::node
