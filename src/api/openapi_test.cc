// The OpenAPI document (/v1/openapi.json) against what the node actually serves and executes:
// every route the gateway answers is documented (and every documented route is answered),
// every transaction type of trade::Handlers() has a body schema in x-transaction-types, and
// every $ref resolves.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <future>
#include <nlohmann/json.hpp>
#include <set>

#include "api/attachments.h"
#include "api/domain_routes.h"
#include "api/gateway.h"
#include "api/queries.h"
#include "node/attachment_store.h"
#include "node/read_audit_log.h"
#include "storage/memory_store.h"
#include "trade/participants.h"
#include "trade/registry.h"

namespace tradeledger::api {
namespace {

using nlohmann::json;

json Document() {
  json doc = json::parse(OpenApiDocument(), nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(doc.is_discarded()) << "the OpenAPI document is not valid JSON";
  return doc;
}

// "#/components/schemas/X" resolved in `doc`, or null.
const json* Resolve(const json& doc, const std::string& ref) {
  if (!ref.starts_with("#/")) return nullptr;
  json::json_pointer pointer(ref.substr(1));
  return doc.contains(pointer) ? &doc.at(pointer) : nullptr;
}

// The schema name of a transaction type: dots and dashes become underscores.
std::string SchemaName(std::string type) {
  for (char& c : type) {
    if (c == '.' || c == '-') c = '_';
  }
  return "TxBody_" + type;
}

TEST(OpenApiTest, DocumentIsOpenApi3AndEveryRefResolves) {
  json doc = Document();
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc["openapi"], "3.0.3");
  ASSERT_TRUE(doc["paths"].is_object());
  ASSERT_TRUE(doc["components"]["schemas"].is_object());
  std::vector<std::string> broken;
  std::function<void(const json&)> walk = [&](const json& j) {
    if (j.is_object()) {
      for (const auto& [key, value] : j.items()) {
        if (key == "$ref" && value.is_string() && !Resolve(doc, value.get<std::string>())) {
          broken.push_back(value.get<std::string>());
        }
        walk(value);
      }
    } else if (j.is_array()) {
      for (const json& v : j) walk(v);
    }
  };
  walk(doc);
  EXPECT_TRUE(broken.empty()) << "unresolved $ref: " << json(broken).dump();
}

TEST(OpenApiTest, EveryRegisteredTransactionTypeHasABodySchema) {
  json doc = Document();
  const json& types = doc["x-transaction-types"];
  ASSERT_TRUE(types.is_object());
  for (const auto& registered : trade::Handlers()) {
    const std::string& type = registered.first;
    SCOPED_TRACE(type);
    ASSERT_TRUE(types.contains(type)) << "add a TxBody schema and an x-transaction-types entry "
                                         "for the new transaction type in src/api/openapi_tx.cc";
    const json& entry = types[type];
    ASSERT_TRUE(entry["schema"].is_object());
    std::string ref = entry["schema"].value("$ref", "");
    EXPECT_EQ(ref, "#/components/schemas/" + SchemaName(type));
    const json* schema = Resolve(doc, ref);
    ASSERT_NE(schema, nullptr);
    EXPECT_TRUE(schema->contains("description")) << "say what the type does and its codes";
    ASSERT_TRUE(entry["roles"].is_array());
    for (const json& role : entry["roles"]) {
      EXPECT_TRUE(trade::kRoles.contains(role.get<std::string>())) << role;
    }
    EXPECT_FALSE(entry.value("signer", "").empty());
  }
  for (auto it = types.begin(); it != types.end(); ++it) {
    EXPECT_TRUE(trade::Handlers().contains(it.key()))
        << it.key() << " is documented but not registered";
  }
}

TEST(OpenApiTest, RequiredFieldsOfEveryBodyAreDeclared) {
  json doc = Document();
  for (const auto& [name, schema] : doc["components"]["schemas"].items()) {
    if (!schema.contains("required") || !schema.contains("properties")) continue;
    for (const json& field : schema["required"]) {
      EXPECT_TRUE(schema["properties"].contains(field.get<std::string>()))
          << name << " requires undeclared " << field;
    }
  }
}

// A gateway with every route the node serves (as run_node.cc wires it).
class OpenApiRoutesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    genesis_ = *node::Genesis::Parse(
        node::Genesis::Render("oa", core::TimestampMs(1), {{"v1", validator_.public_key}}));
    chain_ = std::move(*node::Chain::Open(ledger_, genesis_));
    std::filesystem::remove(safety_path_);
    safety_ = std::make_unique<node::SafetyFile>(safety_path_);
    node_ = std::move(
        *node::Node::Create(ledger_, *chain_, validator_, clock_, {}, metrics_, *safety_, nullptr));
    audit_ = std::move(*node::ReadAuditLog::Open(audit_store_));
    queries_ = std::make_unique<Queries>(*chain_, ledger_, *audit_, clock_);
    AddDomainRoutes(*queries_);
    files_ = std::make_unique<node::AttachmentStore>(
        (std::filesystem::path(::testing::TempDir()) / "openapi_test_attachments").string());
    attachments_ = std::make_unique<Attachments>(*queries_, *files_);
    gateway_ = std::make_unique<Gateway>(*node_, *chain_, ledger_, metrics_, *queries_,
                                         attachments_.get());
    node_->Start();
  }
  void TearDown() override { node_->Stop(); }

  http::Response Call(const std::string& method, const std::string& path,
                      std::map<std::string, std::string> query = {}) {
    http::Request r;
    r.method = method;
    r.path = path;
    r.query = std::move(query);
    std::promise<http::Response> done;
    gateway_->Handle(std::move(r), [&](http::Response resp) { done.set_value(std::move(resp)); });
    return done.get_future().get();
  }

  static std::string Code(const http::Response& r) {
    auto j = json::parse(r.body, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("error")) return "";
    return j["error"].value("code", "");
  }

  crypto::KeyPair validator_ = crypto::KeyPair::Generate();
  node::SystemClock clock_;
  node::Metrics metrics_;
  storage::MemoryStore store_;
  storage::MemoryStore audit_store_;
  node::LedgerStore ledger_{store_};
  node::Genesis genesis_;
  std::unique_ptr<node::Chain> chain_;
  std::string safety_path_ =
      ::testing::TempDir() + "openapi_test.safety." + std::to_string(::getpid());
  std::unique_ptr<node::SafetyFile> safety_;
  std::unique_ptr<node::Node> node_;
  std::unique_ptr<node::ReadAuditLog> audit_;
  std::unique_ptr<Queries> queries_;
  std::unique_ptr<node::AttachmentStore> files_;
  std::unique_ptr<Attachments> attachments_;
  std::unique_ptr<Gateway> gateway_;
};

struct Route {
  std::string method;  // as documented (lower case)
  std::string path;    // a concrete path the gateway is asked for
  std::string tmpl;    // the documented path template
  // kSigned: needs the X-TL-* headers on every network. kLedger: needs them on a network with a
  // customs authority (ADR 0021; this fixture's genesis has none, so they answer unsigned).
  // kOptional: answers unsigned with less (block headers without transaction ids).
  enum class Auth { kPublic, kSigned, kLedger, kOptional } auth;
};

// Every route of gateway.h, queries.h, domain_routes.cc and attachments.h. A route added there
// must be added here, and then to the document.
const std::vector<Route>& ServedRoutes() {
  static const std::vector<Route> kRoutes = {
      {"post", "/v1/transactions", "/v1/transactions", Route::Auth::kPublic},
      {"get", "/v1/transactions/" + std::string(64, 'a'), "/v1/transactions/{id}",
       Route::Auth::kLedger},
      {"get", "/v1/blocks/latest", "/v1/blocks/{height}", Route::Auth::kOptional},
      {"get", "/v1/proofs/inclusion/" + std::string(64, 'a'), "/v1/proofs/inclusion/{id}",
       Route::Auth::kLedger},
      {"get", "/v1/proofs/consistency", "/v1/proofs/consistency", Route::Auth::kLedger},
      {"get", "/v1/events", "/v1/events", Route::Auth::kOptional},
      {"get", "/health", "/health", Route::Auth::kPublic},
      {"get", "/health/live", "/health/live", Route::Auth::kPublic},
      {"get", "/health/ready", "/health/ready", Route::Auth::kPublic},
      {"get", "/v1/validators", "/v1/validators", Route::Auth::kPublic},
      {"get", "/metrics", "/metrics", Route::Auth::kPublic},
      {"get", "/v1/openapi.json", "/v1/openapi.json", Route::Auth::kPublic},
      {"get", "/v1/me", "/v1/me", Route::Auth::kSigned},
      {"get", "/v1/organisations/ACME", "/v1/organisations/{orgId}", Route::Auth::kSigned},
      {"get", "/v1/documents/DOC-1", "/v1/documents/{docId}", Route::Auth::kSigned},
      {"get", "/v1/certifications/C-1", "/v1/certifications/{certId}", Route::Auth::kSigned},
      {"get", "/v1/certifications/C-1/claims", "/v1/certifications/{certId}/claims",
       Route::Auth::kSigned},
      {"get", "/v1/entries/ABC-1234567-0", "/v1/entries/{entryNumber}", Route::Auth::kSigned},
      {"get", "/v1/claims/ABC-1234567-0#1", "/v1/claims/{claimId}", Route::Auth::kSigned},
      {"get", "/v1/cases/CASE-1", "/v1/cases/{caseId}", Route::Auth::kSigned},
      {"get", "/v1/recordations/TMK 24-00001", "/v1/recordations/{recordationNo}",
       Route::Auth::kSigned},
      {"get", "/v1/recordations/TMK 24-00001/licences", "/v1/recordations/{recordationNo}/licences",
       Route::Auth::kSigned},
      {"get", "/v1/licences/L-1", "/v1/licences/{licenseId}", Route::Auth::kSigned},
      {"get", "/v1/assessments/ABC-1234567-0#1", "/v1/assessments/{assessmentId}",
       Route::Auth::kSigned},
      {"get", "/v1/delegations/D-1", "/v1/delegations/{delegationId}", Route::Auth::kSigned},
      {"get", "/v1/documents", "/v1/documents", Route::Auth::kSigned},
      {"get", "/v1/organisations", "/v1/organisations", Route::Auth::kSigned},
      {"get", "/v1/certifications", "/v1/certifications", Route::Auth::kSigned},
      {"get", "/v1/entries", "/v1/entries", Route::Auth::kSigned},
      {"get", "/v1/claims", "/v1/claims", Route::Auth::kSigned},
      {"get", "/v1/cases", "/v1/cases", Route::Auth::kSigned},
      {"get", "/v1/delegations", "/v1/delegations", Route::Auth::kSigned},
      {"get", "/v1/recordations", "/v1/recordations", Route::Auth::kSigned},
      {"get", "/v1/licences", "/v1/licences", Route::Auth::kSigned},
      {"get", "/v1/assessments", "/v1/assessments", Route::Auth::kSigned},
      {"post", "/v1/proofs/verify", "/v1/proofs/verify", Route::Auth::kPublic},
      {"get", "/v1/audit-events", "/v1/audit-events", Route::Auth::kSigned},
      {"get", "/v1/state/proof", "/v1/state/proof", Route::Auth::kSigned},
      {"post", "/v1/attachments", "/v1/attachments", Route::Auth::kSigned},
      {"get", "/v1/attachments/" + std::string(64, 'a'), "/v1/attachments/{sha256}",
       Route::Auth::kSigned},
  };
  return kRoutes;
}

TEST_F(OpenApiRoutesTest, EveryServedRouteIsDocumentedAndEveryDocumentedRouteIsServed) {
  json doc = Document();
  std::set<std::pair<std::string, std::string>> served;
  for (const Route& route : ServedRoutes()) {
    SCOPED_TRACE(route.method + " " + route.path);
    // The gateway answers it (an unsigned read is refused for want of a signature, not routed
    // elsewhere). POST /v1/transactions with an empty body is a REQUEST_INVALID, not a 404.
    http::Response r = Call(route.method == "get" ? "GET" : "POST", route.path);
    EXPECT_NE(Code(r), "ROUTE_NOT_FOUND");
    EXPECT_NE(r.status, 405) << r.body;
    if (route.auth == Route::Auth::kSigned) {
      EXPECT_EQ(Code(r), "AUTH_REQUIRED") << r.body;
    }
    // ... and the document describes it.
    ASSERT_TRUE(doc["paths"].contains(route.tmpl)) << "undocumented route " << route.tmpl;
    const json& item = doc["paths"][route.tmpl];
    ASSERT_TRUE(item.contains(route.method)) << route.tmpl << " lacks " << route.method;
    const json& op = item[route.method];
    EXPECT_FALSE(op.value("summary", "").empty());
    EXPECT_TRUE(op["responses"].is_object() && !op["responses"].empty());
    bool secured = op.contains("security");
    EXPECT_EQ(secured, route.auth != Route::Auth::kPublic);
    if (secured) {
      EXPECT_TRUE(op["responses"].contains("401"));
      const json& schemes = op["security"];
      bool anonymous =
          std::any_of(schemes.begin(), schemes.end(), [](const json& s) { return s.empty(); });
      bool signed_read = std::any_of(schemes.begin(), schemes.end(),
                                     [](const json& s) { return s.contains("SignedRead"); });
      EXPECT_TRUE(signed_read);
      EXPECT_EQ(anonymous, route.auth == Route::Auth::kOptional);
    }
    served.insert({route.tmpl, route.method});
  }
  for (const auto& [path, item] : doc["paths"].items()) {
    for (const auto& [method, op] : item.items()) {
      EXPECT_TRUE(served.contains({path, method}))
          << method << " " << path << " is documented but not in ServedRoutes()";
    }
  }
}

TEST(OpenApiTest, SignedReadSchemeNamesTheThreeHeaders) {
  json doc = Document();
  const json& schemes = doc["components"]["securitySchemes"];
  ASSERT_TRUE(schemes.is_object());
  std::set<std::string> headers;
  for (const auto& [name, scheme] : schemes.items()) {
    EXPECT_EQ(scheme["in"], "header");
    headers.insert(scheme["name"].get<std::string>());
  }
  EXPECT_EQ(headers, (std::set<std::string>{"X-TL-Key", "X-TL-Time", "X-TL-Signature"}));
  std::string description = schemes["SignedRead"].value("description", "");
  for (const char* code : {"AUTH_REQUIRED", "AUTH_INVALID", "AUTH_EXPIRED", "AUTH_UNKNOWN_KEY",
                           "TRADELEDGER/READ/v2"}) {
    EXPECT_NE(description.find(code), std::string::npos) << code;
  }
}

}  // namespace
}  // namespace tradeledger::api
