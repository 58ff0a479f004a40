// Authenticated, access-controlled reads (DOMAIN.md §6, rules 30-31).
//
// Every route here requires a signed request (read_auth.h). The reader is resolved to an
// organisation and roles at the ledger's latest block time; each record type's view function
// decides what that reader may see (everything, anchor metadata only, or nothing: 403), and
// every read of a record by a party other than its owner is appended to the read audit log.
//
//   GET /v1/me                          the reader's organisation, roles, the network's IOR
//                                       salt (trade/ior_number.h) and the ledger's time (ms)
//   GET /v1/organisations/{id}          directory entry (any member)
//   GET /v1/documents/{docId}           document anchor: full to its owner and customs
//   GET /v1/state/proof?key=K           state proof bundle of state key K (verify offline)
//   GET /v1/audit-events?subject=&after=&limit=   reads of the reader's records (customs: all)
//   GET /v1/{kind}?after=&limit=        a list route (AddListRoute): the records of one kind the
//                                       reader may see, in id order, each exactly as the
//                                       record's own route shows it; {"items", "next"}
//   ... and the domain records of the trade layer (certifications, entries, recordations,
//   licences, assessments) registered by domain_routes.cc.
//
// Thread safety: Handle() is called concurrently by the HTTP threads.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "api/http/http_types.h"
#include "node/chain.h"
#include "node/clock.h"
#include "node/ledger_store.h"
#include "node/read_audit_log.h"
#include "trade/participants.h"

namespace tradeledger::api {

// What a view function decided for one reader.
struct View {
  enum class Access { kFull, kMetadata, kDenied };
  Access access = Access::kDenied;
  nlohmann::json body;    // what the reader gets (empty when denied)
  std::string owner_org;  // the record's owner, for the audit log
  std::string subject_type;
  std::string subject_id;
  // When a view shows records of several owners (the claims citing a certification), each of
  // them other than the reader gets an audit event, instead of owner_org.
  std::vector<std::string> record_owners;
};

class Queries {
 public:
  // A route: a path prefix and a function from (reader, the rest of the path, query) to a view
  // or an error (NOT_FOUND → 404, NOT_AUTHORIZED → 403, ...).
  using RouteFn =
      std::function<core::Result<View>(const trade::Actor& reader, std::string_view rest,
                                       const std::map<std::string, std::string>& query)>;

  // Borrows everything; all must outlive the Queries.
  Queries(node::Chain& chain, const node::LedgerStore& store, node::ReadAuditLog& audit,
          const node::Clock& clock);

  // Handles an authenticated route; nullopt if `request.path` is not one.
  std::optional<http::Response> Handle(const http::Request& request);

  // Adds a route under `prefix` (e.g. "/v1/entries/"). Call before serving.
  void AddRoute(std::string prefix, RouteFn fn);
  // Adds a list route at exactly `path` (e.g. "/v1/entries") over the state keys under
  // `state_prefix` (e.g. "entry/"): each key's id (the key without the prefix) is shown through
  // the route registered under `item_prefix` (e.g. "/v1/entries/"), which must exist, and left
  // out when that route refuses it (NOT_AUTHORIZED, NOT_FOUND) or denies it. Query: `after`
  // (an id: list those after it), `limit` (1..kMaxListLimit, default kDefaultListLimit). The
  // answer {"items": [...], "next": id | null}: `next` is the cursor to continue from; a page
  // may hold fewer than `limit` items when the walk examined kMaxListExamined records. Every
  // item read by a party other than its owner is audited, the page's events in one write; a
  // page whose events cannot be written is not served.
  void AddListRoute(std::string path, std::string state_prefix, std::string item_prefix);
  static constexpr size_t kDefaultListLimit = 50;
  static constexpr size_t kMaxListLimit = 200;
  static constexpr size_t kMaxListExamined = 2000;

  // Who may obtain state proofs of keys under `prefix` (beyond customs, who may prove any).
  using StateAccessFn = std::function<bool(const trade::Actor& reader, const std::string& key)>;
  void AddStateAccess(std::string prefix, StateAccessFn fn);

  const trade::StateReader& state() const { return store_.flat_state(); }
  node::ReadAuditLog& audit_log() { return audit_; }
  // The ledger's latest agreed time (ms), as the next block would execute at it: the ledger
  // clock on a ledger-clock network, else the tip's block time. What views use as "now".
  int64_t ledger_time() const;
  const node::Clock& clock() const { return clock_; }

  // Verifies the request's signature and resolves the reader at the ledger's latest time.
  core::Result<trade::Actor> Authenticate(const http::Request& request) const;

 private:
  http::Response Serve(const trade::Actor& reader, const View& view);
  http::Response StateProof(const trade::Actor& reader, const http::Request& request);
  http::Response AuditEvents(const trade::Actor& reader, const http::Request& request);
  struct ListRoute {
    std::string state_prefix;
    std::string item_prefix;  // a key of routes_
  };
  http::Response List(const trade::Actor& reader, const ListRoute& list,
                      const http::Request& request);
  // The audit events of serving `view` to `reader`: one per owner other than the reader.
  std::vector<node::ReadEvent> ReadEvents(const trade::Actor& reader, const View& view) const;

  node::Chain& chain_;
  const node::LedgerStore& store_;
  node::ReadAuditLog& audit_;
  const node::Clock& clock_;
  std::vector<std::pair<std::string, RouteFn>> routes_;
  std::vector<std::pair<std::string, ListRoute>> list_routes_;
  std::vector<std::pair<std::string, StateAccessFn>> state_access_;
};

// Records that a view decided, as JSON error responses: maps reason codes to HTTP statuses.
http::Response ErrorResponse(const core::Error& error);

}  // namespace tradeledger::api
