#include "api/ledger_reads.h"

#include <charconv>

#include "node/proof_bundle.h"
#include "trade/tx_readers.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

http::Response Json200(const json& body) {
  http::Response r;
  r.body = body.dump();
  return r;
}

std::optional<uint64_t> ParseUint(std::string_view s) {
  uint64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

http::Response AuthRequired(const char* what) {
  return http::JsonError(401, "AUTH_REQUIRED",
                         std::string(what) +
                             " are read with a signed request (X-TL-Key, X-TL-Time, "
                             "X-TL-Signature); unsigned callers get block headers and commit "
                             "certificates only");
}

json HeaderJson(const ledger::BlockHeader& h) {
  return {{"chain_id", h.chain_id.hex()},    {"height", h.height.value},
          {"prev_hash", h.prev_hash.hex()},  {"timestamp_ms", h.timestamp.value},
          {"proposer", h.proposer.hex()},    {"tx_root", h.tx_root.hex()},
          {"tx_count", h.tx_count},          {"log_size", h.log_size},
          {"log_root", h.log_root.hex()},    {"state_height", h.state_height.value},
          {"state_root", h.state_root.hex()}};
}

// The body as JSON when it is JSON (it always is for the trade layer), else base64.
void AddBody(json& out, const ledger::SignedTransaction& tx) {
  const auto& p = tx.payload();
  out["type"] = p.type;
  out["signer"] = tx.signer().hex();
  out["nonce"] = p.nonce;
  json body = json::parse(core::AsStringView(p.body), nullptr, false);
  if (body.is_discarded()) {
    out["body_base64"] = core::ToBase64(p.body);
  } else {
    out["body"] = std::move(body);
  }
}

}  // namespace

json CommittedJson(const ledger::TxId& id, const node::TxIndexEntry& e) {
  return {{"tx_id", id.hex()},
          {"status", "committed"},
          {"height", e.height.value},
          {"position", e.position},
          {"leaf_index", e.leaf_index}};
}

json OutcomeJson(const ledger::TxId& id, const node::TxIndexEntry& e) {
  json j = CommittedJson(id, e);
  j["result_code"] = e.result_code;
  json reasons = e.reasons;
  if (reasons.empty() && e.result_code != "OK") reasons.push_back(e.result_code);
  j["reasons"] = std::move(reasons);
  return j;
}

core::Result<LedgerReader> LedgerReads::Identify(const http::Request& request) const {
  TL_ASSIGN_OR_RETURN(std::string customs, trade::CustomsOrgId(queries_.state()));
  if (customs.empty()) return LedgerReader{LedgerReader::Kind::kOpen, std::nullopt};
  bool signed_read = request.headers.contains("x-tl-key") ||
                     request.headers.contains("x-tl-signature") ||
                     request.headers.contains("x-tl-time");
  if (!signed_read) return LedgerReader{LedgerReader::Kind::kAnonymous, std::nullopt};
  TL_ASSIGN_OR_RETURN(trade::Actor actor, queries_.Authenticate(request));
  return LedgerReader{LedgerReader::Kind::kMember, std::move(actor)};
}

core::Result<bool> LedgerReads::MayReadBody(const LedgerReader& reader,
                                            const ledger::SignedTransaction& tx, const char* what) {
  if (reader.kind == LedgerReader::Kind::kOpen) return true;
  if (reader.kind != LedgerReader::Kind::kMember) return false;
  const trade::Actor& actor = *reader.actor;
  const trade::StateReader& state = queries_.state();
  TL_ASSIGN_OR_RETURN(bool may,
                      trade::MayReadTransactionBody(state, actor, tx.signer(), tx.payload().body));
  if (!may) return false;
  TL_ASSIGN_OR_RETURN(std::optional<trade::MemberKey> signer,
                      trade::LoadMemberKey(state, tx.signer().hex()));
  std::string owner = signer ? signer->org_id : std::string();
  if (owner != actor.org.org_id) {
    TL_RETURN_IF_ERROR(queries_.audit_log().Append({queries_.clock().Now().value, actor.org.org_id,
                                                    actor.key.public_key, "transaction",
                                                    tx.id().hex(), owner, "FULL", what}));
  }
  return true;
}

http::Response LedgerReads::TransactionStatus(const LedgerReader& reader, std::string_view id_hex) {
  if (!reader.sees_ids()) return AuthRequired("transactions");
  auto id = ledger::TxId::FromHex(id_hex);
  if (!id) return http::JsonError(400, "TX_ID_INVALID", "a tx id is 64 hex digits");
  auto status = node_.Status(*id);
  if (!status) return ErrorResponse(status.error());
  switch (status->first) {
    case node::TxStatus::kCommitted: {
      const node::TxIndexEntry& entry = *status->second;
      auto block = store_.ReadBlockExcerpt(entry.height, entry.position);
      if (!block) return ErrorResponse(block.error());
      auto may = MayReadBody(reader, *block->transaction, "transaction body");
      if (!may) return ErrorResponse(may.error());
      if (!*may) {
        json j = CommittedJson(*id, entry);
        j["access"] = "id-only";
        return Json200(j);
      }
      json j = OutcomeJson(*id, entry);
      j["access"] = "full";
      AddBody(j, *block->transaction);
      return Json200(j);
    }
    case node::TxStatus::kPending:
      return Json200({{"tx_id", id->hex()}, {"status", "pending"}});
    case node::TxStatus::kUnknown:
      break;
  }
  return http::JsonError(404, "TX_NOT_FOUND", "no transaction " + id->hex());
}

http::Response LedgerReads::Block(const LedgerReader& reader, std::string_view which) {
  core::Height height = chain_.tip().height;
  if (which != "latest") {
    auto h = ParseUint(which);
    if (!h) return http::JsonError(400, "HEIGHT_INVALID", "height must be a number or 'latest'");
    height = core::Height(*h);
  }
  if (height.value == 0 || height > chain_.tip().height) {
    return http::JsonError(404, "BLOCK_NOT_FOUND", "no block at height " + height.ToString());
  }
  auto block = store_.ReadBlock(height);
  if (!block) return ErrorResponse(block.error());
  json sigs = json::array();
  for (const auto& s : block->certificate.signatures) {
    sigs.push_back({{"validator", s.validator.hex()}, {"signature", s.signature.hex()}});
  }
  json out = {{"hash", block->header.Hash().hex()},
              {"header", HeaderJson(block->header)},
              {"certificate",
               {{"height", block->certificate.height.value},
                {"view", block->certificate.view.value},
                {"block_hash", block->certificate.block_hash.hex()},
                {"signatures", sigs}}},
              {"encoded_header", core::ToBase64(block->header.Encode())},
              {"encoded_certificate", core::ToBase64(block->certificate.Encode())}};
  if (reader.sees_ids()) {
    json txs = json::array();
    for (const auto& tx : block->transactions) txs.push_back(tx.id().hex());
    out["transactions"] = std::move(txs);
  }
  return Json200(out);
}

http::Response LedgerReads::InclusionProof(const LedgerReader& reader, std::string_view id_hex) {
  if (!reader.sees_ids()) return AuthRequired("inclusion proofs");
  auto id = ledger::TxId::FromHex(id_hex);
  if (!id) return http::JsonError(400, "TX_ID_INVALID", "a tx id is 64 hex digits");
  auto entry = store_.ReadTxIndex(*id);
  if (!entry) return ErrorResponse(entry.error());
  if (!*entry) return http::JsonError(404, "TX_NOT_FOUND", "transaction " + id->hex());
  auto block = store_.ReadBlockExcerpt((*entry)->height, (*entry)->position);
  if (!block) return ErrorResponse(block.error());
  if (block->transaction->id() != *id) {
    return ErrorResponse({"STORAGE_CORRUPT", "index entry does not match its block"});
  }
  auto may = MayReadBody(reader, *block->transaction, "inclusion proof");
  if (!may) return ErrorResponse(may.error());
  auto bundle = node::BuildInclusionBundle(store_, chain_.genesis().chain_id, *id, *may);
  if (!bundle) {
    if (bundle.error().code == "NOT_FOUND") {
      return http::JsonError(404, "TX_NOT_FOUND", bundle.error().detail);
    }
    return ErrorResponse(bundle.error());
  }
  return Json200(*bundle);
}

http::Response LedgerReads::ConsistencyProof(const LedgerReader& reader,
                                             const http::Request& request) {
  if (!reader.sees_ids()) return AuthRequired("consistency proofs");
  auto param = [&](const char* name) -> std::optional<uint64_t> {
    auto it = request.query.find(name);
    if (it == request.query.end()) return std::nullopt;
    return ParseUint(it->second);
  };
  auto from = param("from");
  auto to = param("to");
  if (!from || !to || *from == 0 || *from > *to) {
    return http::JsonError(400, "HEIGHT_INVALID", "need heights 1 <= from <= to");
  }
  if (*to > chain_.tip().height.value) {
    return http::JsonError(404, "BLOCK_NOT_FOUND", "no block at height " + std::to_string(*to));
  }
  auto bundle = node::BuildConsistencyBundle(store_, chain_.genesis().chain_id, core::Height(*from),
                                             core::Height(*to));
  if (!bundle) return ErrorResponse(bundle.error());
  return Json200(*bundle);
}

}  // namespace tradeledger::api
