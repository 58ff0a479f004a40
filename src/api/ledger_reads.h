// Reads of the ledger itself: transactions, blocks, proofs (ADR 0021, doc/formats.md "Who reads
// what").
//
// On a network whose genesis names a customs authority (every network `net init` makes):
//   - an unsigned caller (anonymous) gets block headers and commit certificates only: the
//     header, hash and certificate of a block, header-only events, /health and /v1/validators;
//     everything else answers 401 AUTH_REQUIRED;
//   - a member (signed read, read_auth.h) also gets a block's transaction ids, a transaction's
//     status and position, and proofs; the body of a transaction (its type, signer, content and
//     result codes) and the inclusion bundle that carries it only if trade::MayReadTransactionBody,
//     otherwise an inclusion-id bundle that proves the id without the body. A body read by an
//     organisation other than the signer's is appended to the read audit log first; if that
//     write fails the read is refused.
// On a network with no customs authority (a bare anchoring ledger: no participants, so no party
// whose data could be protected) every read is public, as it was before ADR 0021.
//
// Thread safety: every method is safe from any thread.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>

#include "api/http/http_types.h"
#include "api/queries.h"
#include "node/chain.h"
#include "node/ledger_store.h"
#include "node/node.h"

namespace tradeledger::api {

struct LedgerReader {
  enum class Kind { kOpen, kAnonymous, kMember };
  Kind kind = Kind::kAnonymous;
  std::optional<trade::Actor> actor;  // set for kMember
  bool sees_ids() const { return kind != Kind::kAnonymous; }
};

class LedgerReads {
 public:
  // Borrows everything; all must outlive this object.
  LedgerReads(node::Node& node, node::Chain& chain, const node::LedgerStore& store,
              Queries& queries)
      : node_(node), chain_(chain), store_(store), queries_(queries) {}

  // Who is asking. A request that carries read-signature headers must verify (AUTH_*).
  core::Result<LedgerReader> Identify(const http::Request& request) const;

  http::Response TransactionStatus(const LedgerReader& reader, std::string_view id_hex);
  http::Response Block(const LedgerReader& reader, std::string_view which);
  http::Response InclusionProof(const LedgerReader& reader, std::string_view id_hex);
  http::Response ConsistencyProof(const LedgerReader& reader, const http::Request& request);

 private:
  // Whether `reader` may read the body of `tx`; when it may and is not the signer's
  // organisation, the read is audited first (an audit failure is returned as the error).
  core::Result<bool> MayReadBody(const LedgerReader& reader, const ledger::SignedTransaction& tx,
                                 const char* what);

  node::Node& node_;
  node::Chain& chain_;
  const node::LedgerStore& store_;
  Queries& queries_;
};

// {"tx_id", "status": "committed", "height", "position", "leaf_index"}: what any member may see
// of a committed transaction.
nlohmann::json CommittedJson(const ledger::TxId& id, const node::TxIndexEntry& entry);
// CommittedJson plus "result_code" and "reasons": what the submitter of `id` sees.
nlohmann::json OutcomeJson(const ledger::TxId& id, const node::TxIndexEntry& entry);

}  // namespace tradeledger::api
