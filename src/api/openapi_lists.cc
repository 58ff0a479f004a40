// The OpenAPI pieces of the list routes (Queries::AddListRoute), delegations and proof
// verification, built from one table so that every list is described the same way. Merged
// into the document by openapi.cc; openapi_test.cc checks them against the served routes.
#include <nlohmann/json.hpp>

namespace tradeledger::api {
namespace {

using nlohmann::json;

struct ListDoc {
  const char* path;
  const char* tag;
  const char* what;  // "certifications of origin"
  json item;         // the item schema
};

json Ref(const char* name) { return {{"$ref", std::string("#/components/schemas/") + name}}; }
json ResponseRef(const char* name) {
  return {{"$ref", std::string("#/components/responses/") + name}};
}
json Signed() {
  return json::array({{{"SignedRead", json::array()},
                       {"SignedReadKey", json::array()},
                       {"SignedReadTime", json::array()}}});
}
json ErrorContent(const char* description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", Ref("Error")}}}}}};
}

json ListPath(const ListDoc& d) {
  json page = {{"type", "object"},
               {"required", {"items", "next"}},
               {"properties",
                {{"items", {{"type", "array"}, {"items", d.item}}},
                 {"next",
                  {{"type", "string"},
                   {"nullable", true},
                   {"description", "pass as ?after= for the next page; null at the end"}}}}}};
  json op = {
      {"tags", {d.tag}},
      {"summary", std::string("The ") + d.what + " the reader may see, in id order"},
      {"description",
       std::string("Each item is exactly what the record's own route answers this reader; ") +
           "records it may not see are left out. A page holds at most `limit` items and may hold "
           "fewer (even none) with a non-null `next` when the walk examined 2,000 records: "
           "continue from `next`. Every item read by an organisation other than its owner is "
           "written to the read audit log, the page's events in one write; a page whose events "
           "cannot be written is not served (500)."},
      {"security", Signed()},
      {"parameters",
       {{{"name", "after"},
         {"in", "query"},
         {"schema", {{"type", "string"}}},
         {"description",
          "list the records whose id sorts after this one (the previous page's next)"}},
        {{"name", "limit"},
         {"in", "query"},
         {"schema", {{"type", "integer"}, {"minimum", 1}, {"maximum", 200}, {"default", 50}}},
         {"description", "at most this many items; outside 1..200: REQUEST_INVALID"}}}},
      {"responses",
       {{"200",
         {{"description", "a page"}, {"content", {{"application/json", {{"schema", page}}}}}}},
        {"400", ErrorContent("REQUEST_INVALID: limit or after malformed")},
        {"401", ResponseRef("Unauthorized")},
        {"403", ResponseRef("Forbidden")},
        {"500", ResponseRef("StorageError")}}}};
  return {{"get", op}};
}

}  // namespace

json OpenApiListPaths() {
  const ListDoc lists[] = {
      {"/v1/documents",
       "reads",
       "document anchors",
       {{"oneOf", {Ref("DocumentRecord"), Ref("DocumentMetadata")}}}},
      {"/v1/organisations", "reads", "organisations of the directory", Ref("OrganisationView")},
      {"/v1/certifications", "origin", "certifications of origin", Ref("CertificationView")},
      {"/v1/entries", "origin", "entries", Ref("EntryView")},
      {"/v1/claims", "origin", "preference claims", Ref("ClaimView")},
      {"/v1/cases", "origin", "verification cases", Ref("CaseView")},
      {"/v1/delegations", "origin", "filing delegations", Ref("DelegationView")},
      {"/v1/recordations", "ipr", "IPR recordations", Ref("RecordationView")},
      {"/v1/licences", "ipr", "IP licences", Ref("LicenceView")},
      {"/v1/assessments", "ipr", "IPR assessments of entry lines", Ref("AssessmentView")},
  };
  json paths = json::object();
  for (const ListDoc& d : lists) paths[d.path] = ListPath(d);

  paths["/v1/delegations/{delegationId}"] = {
      {"get",
       {{"tags", {"origin"}},
        {"summary",
         "A filing delegation (delegation.grant): to its importer, its agent and customs"},
        {"security", Signed()},
        {"parameters",
         {{{"name", "delegationId"},
           {"in", "path"},
           {"required", true},
           {"schema", {{"type", "string"}}}}}},
        {"responses",
         {{"200",
           {{"description", "the delegation"},
            {"content", {{"application/json", {{"schema", Ref("DelegationView")}}}}}}},
          {"401", ResponseRef("Unauthorized")},
          {"403", ResponseRef("Forbidden")},
          {"404", ResponseRef("NotFound")},
          {"500", ResponseRef("StorageError")}}}}}};

  paths["/v1/proofs/verify"] = {
      {"post",
       {{"tags", {"ledger"}},
        {"summary", "Check a proof bundle against this chain's validator history"},
        {"description",
         "The checks of `tradeledger verify` (doc/formats.md, Proof bundles), run by this node "
         "against the validators file it serves at /v1/validators. For a check that trusts no "
         "node, run `tradeledger verify` offline. The answer is 200 either way: {valid: true, "
         "kind, summary, height, signers (validator names), signerKeys} or {valid: false, code "
         "(PROOF_INVALID or PROOF_MALFORMED), message}."},
        {"requestBody",
         {{"required", true},
          {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}},
        {"responses",
         {{"200",
           {{"description", "the verdict"},
            {"content", {{"application/json", {{"schema", Ref("ProofVerdict")}}}}}}},
          {"400", ErrorContent("REQUEST_INVALID: the body is not JSON")},
          {"405", ResponseRef("MethodNotAllowed")}}}}}};
  return paths;
}

json OpenApiListSchemas() {
  return {
      {"DelegationView",
       {{"type", "object"},
        {"required",
         {"delegationId", "principal", "agent", "scope", "validFrom", "validTo", "state"}},
        {"properties",
         {{"delegationId", {{"type", "string"}}},
          {"principal", {{"type", "string"}, {"description", "the importer that granted it"}}},
          {"agent", {{"type", "string"}, {"description", "the broker that may act"}}},
          {"scope",
           {{"type", "array"},
            {"items",
             {{"type", "string"},
              {"enum", {"FILE_ENTRY", "CLAIM_PREFERENCE", "PRESENT_LICENSE"}}}}}},
          {"validFrom", {{"type", "integer"}, {"description", "ms since the epoch"}}},
          {"validTo", {{"type", "integer"}, {"description", "ms since the epoch, exclusive"}}},
          {"state", {{"type", "string"}, {"enum", {"ACTIVE", "REVOKED"}}}},
          {"grantedAt", {{"type", "integer"}}},
          {"revokedAt", {{"type", "integer"}}},
          {"txId", {{"type", "string"}}}}}}},
      {"ProofVerdict",
       {{"type", "object"},
        {"required", {"valid"}},
        {"properties",
         {{"valid", {{"type", "boolean"}}},
          {"kind", {{"type", "string"}}},
          {"summary", {{"type", "string"}, {"description", "what was proved, in one sentence"}}},
          {"height", {{"type", "integer"}, {"description", "the certified height"}}},
          {"signers", {{"type", "array"}, {"items", {{"type", "string"}}}}},
          {"signerKeys", {{"type", "array"}, {"items", {{"type", "string"}}}}},
          {"chainId", {{"type", "string"}}},
          {"code", {{"type", "string"}, {"enum", {"PROOF_INVALID", "PROOF_MALFORMED"}}}},
          {"message", {{"type", "string"}}}}}}}};
}

}  // namespace tradeledger::api
