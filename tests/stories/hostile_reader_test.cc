// The hostile reader (ADR 0021, doc/formats.md "Who reads what"), on a network of four
// validators. Canary values are seeded into every protected field of a real network's records:
// importers' IOR numbers and their salted hashes (iorNumberHash: brute-forceable at about a
// GPU-day per SSN, ADR 0021, so only the importer itself and customs may read it), an entry's
// shipment reference, MID and value, a certification's producer-on-request, a document's
// issuer and metadata, an attached file's bytes, a licence's product features and an IPR
// assessment's MID. Then every GET route of the node's own OpenAPI document (the list routes
// included) is walked with real ids (and unknown ones) by an unsigned caller, a third party,
// the certifier, a broker without delegation, the importer and customs, each reader on
// another validator so that every validator's filtering is walked, and the event stream is
// read unsigned and signed. No reader may find a canary it is not entitled to in any status,
// header or body, nor inside any base64 or hex string of one. Positive controls read the same
// canaries as their owners, so the scan is known to find what is there. Every validator
// refuses a cleartext IOR number without echoing it. After `net down` every file of every
// validator, and every key and value of each validator's two RocksDB stores (ledger, read
// audit log), is searched for the raw IOR numbers; the transaction bodies found in each
// validator's ledger show that gossip, proposals and block sync delivered them there.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "api/http/http_client.h"
#include "api/http/url.h"
#include "api/read_auth.h"
#include "cli/stories.h"
#include "cli/stories_internal.h"
#include "core/bytes.h"
#include "ledger/transaction.h"
#include "storage/rocksdb_store.h"
#include "story_network.h"
#include "trade/ior_number.h"
#include "trade/ipr_assessment.h"
#include "trade/licence.h"
#include "trade/origin_common.h"
#include "trade/participants.h"
#include "trade/recordation.h"
#include "trade/state_keys.h"

namespace tradeledger::stories_test {
namespace {

namespace fs = std::filesystem;
namespace st = cli::stories;
using nlohmann::json;

// --- canaries -----------------------------------------------------------------------------
constexpr char kIor[] = "37-9182736QX";  // the importer's; must never be stored or served
constexpr char kIorUndashed[] = "379182736QX";
constexpr char kThirdIor[] = "46-8273645XW";  // the third party's
// The IOR number a broker without delegation guesses for the importer: it does not hold the
// importer's number, nor (so) its hash, which only a delegation would entitle it to read.
constexpr char kGuessedIor[] = "51-2736455KX";
constexpr char kShipment[] = "CANARYSHIP5501";
constexpr char kSingleShipment[] = "CANARYSHIP7702";  // binds the single-shipment cert
constexpr char kMid[] = "MXCANARYMID77";
constexpr char kValue[] = "13579.24";
constexpr char kValueCents[] = "1357924";
constexpr char kProducer[] = "Canario Productor Secreto SA";
constexpr char kIssuer[] = "Canary Issuer 8812 Ltd";
constexpr char kMeta[] = "CANARY-META-4471";
constexpr char kFileText[] = "CANARY-ATTACHMENT-6630";
constexpr char kLogo[] = "CANARY-LOGO-9931";
constexpr char kAssessMid[] = "VNCANARYFAC88";

// The fixed canaries above, then the IOR number hashes, which depend on the network's salt
// and are added once it is known (HostileReader::AddIorHashCanaries).
std::vector<std::string>& Canaries() {
  static std::vector<std::string> all = {
      kIor,        kIorUndashed, kThirdIor, kShipment, kSingleShipment, kMid,  kValue,
      kValueCents, kProducer,    kIssuer,   kMeta,     kFileText,       kLogo, kAssessMid};
  return all;
}
const std::vector<std::string>& AllCanaries() { return Canaries(); }

// Hex or base64 (standard or URL-safe, padded or not) decodings of `token`.
std::vector<std::string> Decodings(const std::string& token) {
  std::vector<std::string> out;
  if (token.size() % 2 == 0 &&
      token.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
    if (auto raw = core::FromHex(token)) out.emplace_back(core::AsStringView(*raw));
  }
  std::string b64 = token;
  for (char& ch : b64) {
    if (ch == '-') ch = '+';
    if (ch == '_') ch = '/';
  }
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  while (b64.size() % 4 != 0) b64.push_back('=');
  if (auto raw = core::FromBase64(b64)) out.emplace_back(core::AsStringView(*raw));
  return out;
}

// The canaries found in `text`, or in the decoding of any base64 or hex token of it (two
// levels deep: a bundle's base64 envelope holds the body's bytes).
std::set<std::string> Find(std::string_view text, int depth = 0) {
  std::set<std::string> found;
  for (const auto& c : AllCanaries()) {
    if (text.find(c) != std::string_view::npos) found.insert(c);
  }
  if (depth == 2) return found;
  auto token_char = [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '+' || ch == '/' || ch == '=' ||
           ch == '-' || ch == '_';
  };
  size_t i = 0;
  while (i < text.size()) {
    if (!token_char(text[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < text.size() && token_char(text[j])) ++j;
    if (j - i >= 16) {
      for (const auto& decoded : Decodings(std::string(text.substr(i, j - i)))) {
        for (const auto& c : Find(decoded, depth + 1)) found.insert(c);
      }
    }
    i = j;
  }
  return found;
}

std::string Join(const std::set<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

uint64_t NowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

// One reader of the walk: its key (none: unsigned), the canaries it is entitled to and the
// validator (0-based) it reads from.
struct Reader {
  std::string name;
  const crypto::KeyPair* key = nullptr;
  std::set<std::string> entitled;
  size_t node = 0;
};

constexpr int kValidators = 4;

class HostileReader : public ::testing::Test {
 protected:
  void SetUp() override {
    net_ = std::make_unique<StoryNetwork>(cli::kStoriesClockStart, kValidators);
    ASSERT_TRUE(net_->ok()) << net_->error();
    ASSERT_EQ(net_->urls().size(), static_cast<size_t>(kValidators));
    auto client =
        cli::StoryClient::Open(net_->url(), net_->validators_file(), net_->customs_key_file());
    ASSERT_TRUE(client.has_value()) << client.error().ToString();
    c_ = std::move(*client);
    ASSERT_TRUE(c_->SyncClock(cli::Ms(cli::kStoriesClockStart)).has_value());
    for (const std::string& u : net_->urls()) {
      auto url = api::http::ParseUrl(u);
      ASSERT_TRUE(url.has_value()) << u;
      urls_.push_back(*url);
      https_.push_back(std::make_unique<api::http::Client>(url->host, url->port));
    }
  }

  // The salted hashes of the two importers' IOR numbers, computed as a submitter does with the
  // salt GET /v1/me serves, become canaries.
  void AddIorHashCanaries(const crypto::KeyPair& member) {
    api::http::Response me = Get(Reader{"member", &member, {}, 0}, "/v1/me");
    ASSERT_EQ(me.status, 200) << me.body;
    auto salt = core::FromHex(json::parse(me.body).value("iorSalt", ""));
    ASSERT_TRUE(salt.has_value()) << me.body;
    auto imp = trade::IorNumberHash(*salt, "HR-IMP", kIor);
    auto third = trade::IorNumberHash(*salt, "HR-THIRD", kThirdIor);
    ASSERT_TRUE(imp.has_value() && third.has_value());
    ior_hash_ = *imp;
    third_ior_hash_ = *third;
    Canaries().push_back(ior_hash_);
    Canaries().push_back(third_ior_hash_);
  }
  void TearDown() override {
    auto& all = Canaries();
    std::erase_if(all,
                  [&](const std::string& c) { return c == ior_hash_ || c == third_ior_hash_; });
  }

  // Waits (bounded) until every validator has committed `height`; false if one has not.
  bool AllAtLeast(uint64_t height) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (size_t i = 0; i < https_.size(); ++i) {
      while (true) {
        auto r = https_[i]->Send("GET", urls_[i].prefix + "/health", {}, "application/json",
                                 std::chrono::seconds(5));
        json h = r && r->status == 200 ? json::parse(r->body, nullptr, false) : json();
        if (h.is_object() && h.value("height", uint64_t{0}) >= height) break;
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
    return true;
  }

  // Submits and expects OK; remembers the transaction id for the walk.
  cli::TxResult Commit(const std::string& what, const crypto::KeyPair& key, const std::string& type,
                       const json& body) {
    cli::TxResult r = c_->Submit(key, type, body);
    EXPECT_EQ(r.code, "OK") << what;
    if (!r.tx_id.empty()) tx_ids_.push_back(r.tx_id);
    return r;
  }
  // Admits through the story client, failing the test if the admission fails.
  crypto::KeyPair Admit(const std::string& org_id, const std::vector<std::string>& roles,
                        const std::string& country, json extra = json::object()) {
    std::string tx_id;
    crypto::KeyPair key = c_->Admit("hostile", org_id, roles, country, std::move(extra), &tx_id);
    EXPECT_EQ(c_->failed(), 0) << "customs admits " << org_id;
    if (!tx_id.empty()) tx_ids_.push_back(tx_id);
    return key;
  }
  void At(const std::string& date) { ASSERT_TRUE(c_->AdvanceClock(cli::Ms(date))) << date; }

  // A GET as `reader` (signed with its key, if any) from its validator, the raw response.
  api::http::Response Get(const Reader& reader, const std::string& target) {
    return Send(reader.key, reader.node, "GET", target);
  }
  // `method` `target` to validator `node` (0-based), signed by `key` if any.
  api::http::Response Send(const crypto::KeyPair* key, size_t node, const std::string& method,
                           const std::string& target, const std::string& body = {}) {
    api::http::Headers headers;
    if (key != nullptr) {
      auto parsed = api::http::ParseTarget(target);
      EXPECT_TRUE(parsed.has_value()) << target;
      if (!parsed.has_value()) return {};
      auto signed_headers =
          api::SignReadHeaders(c_->chain(), *key, NowMs(), method, parsed->path, parsed->query);
      headers.assign(signed_headers.begin(), signed_headers.end());
    }
    auto r = https_[node]->Send(method, urls_[node].prefix + target, body,
                                method == "GET" ? "application/json" : "application/octet-stream",
                                std::chrono::seconds(30), headers);
    EXPECT_TRUE(r.has_value()) << method << " " << target << ": "
                               << (r.has_value() ? "" : r.error().ToString());
    if (r.has_value()) return *r;
    api::http::Response failed;
    failed.status = 0;
    return failed;
  }

  // Fails the test if `text` shows `reader` a canary it is not entitled to.
  void ExpectNoLeak(const Reader& reader, const std::string& where, std::string_view text) {
    std::set<std::string> leaked;
    for (const auto& c : Find(text)) {
      if (!reader.entitled.contains(c)) leaked.insert(c);
    }
    EXPECT_TRUE(leaked.empty()) << reader.name << " " << where << " shows " << Join(leaked) << "\n"
                                << text.substr(0, 3000);
  }
  void CheckedGet(const Reader& reader, const std::string& target) {
    api::http::Response r = Get(reader, target);
    std::string all = std::to_string(r.status) + " " + r.content_type + "\n";
    for (const auto& [name, value] : r.headers) all += name + ": " + value + "\n";
    all += r.body;
    ExpectNoLeak(reader, "GET " + target + " (" + std::to_string(r.status) + ")", all);
    ++requests_[reader.name];
    if (r.status == 200) ++successes_[reader.name];
  }

  std::unique_ptr<StoryNetwork> net_;
  std::unique_ptr<cli::StoryClient> c_;
  std::vector<api::http::ParsedUrl> urls_;  // one per validator
  std::vector<std::unique_ptr<api::http::Client>> https_;
  std::string ior_hash_, third_ior_hash_;
  std::vector<std::string> tx_ids_;
  std::map<std::string, int> requests_, successes_;
};

TEST_F(HostileReader, NoCanaryReachesAReaderNotEntitledToIt) {
  // --- seed every protected field ------------------------------------------------------------
  crypto::KeyPair imp = Admit("HR-IMP", {"IMPORTER"}, "US", {{"iorNumber", kIor}});
  crypto::KeyPair third = Admit("HR-THIRD", {"IMPORTER"}, "US", {{"iorNumber", kThirdIor}});
  crypto::KeyPair certifier = Admit("HR-MXP", {"PRODUCER", "EXPORTER"}, "MX");
  crypto::KeyPair broker = Admit("HR-BRK", {"BROKER"}, "US");
  crypto::KeyPair delegated = Admit("HR-BRK2", {"BROKER"}, "US");
  crypto::KeyPair rh = Admit("HR-RH", {"RIGHTS_HOLDER"}, "US");
  crypto::KeyPair l1 = Admit("HR-L1", {"LICENSEE", "IMPORTER"}, "US");
  const std::string recordation = "TMK 26-00077";
  AddIorHashCanaries(imp);
  ASSERT_FALSE(HasFailure());

  At("2024-06-01");
  Commit("recordation", rh, "ipr.recordation.apply",
         {{"recordationNo", recordation},
          {"rightType", "TRADEMARK"},
          {"registrationNo", "5123457"},
          {"mark", "HRMARK"},
          {"intlClasses", {25}},
          {"goodsDescription", "Shirts"},
          {"placesOfManufacture", {"Hanoi, VN"}},
          {"validUntil", "2029-12-31"}});
  At("2024-06-15");
  Commit("approval", c_->customs(), "ipr.recordation.approve", {{"recordationNo", recordation}});
  At("2024-12-01");
  Commit("licence", rh, "ipr.license.issue",
         {{"licenseId", "HR-L1-LIC"},
          {"licensee", "HR-L1"},
          {"recordationRefs", {recordation}},
          {"rightType", "TRADEMARK"},
          {"products",
           {{{"description", "HRMARK shirts"},
             {"htsPrefixes", {"6109"}},
             {"physicalFeatures", {{"logoPlacement", kLogo}}}}}},
          {"permissions", {"MANUFACTURE", "IMPORT"}},
          {"countriesOfManufacture", {"VN"}},
          {"quantityLimit", 10000},
          {"validFrom", "2025-01-01"},
          {"validTo", "2027-01-01"}});

  // The importer delegates filing to another broker (not the one that reads below).
  Commit("delegation", imp, "delegation.grant",
         {{"delegationId", "HR-DLG"},
          {"agent", "HR-BRK2"},
          {"scope", {"FILE_ENTRY", "CLAIM_PREFERENCE"}},
          {"validFrom", "2024-12-01"},
          {"validTo", "2026-01-01"}});

  At("2024-12-20");
  const std::string file = std::string("%PDF-1.4\n% ") + kFileText + "\n%%EOF\n";
  const std::string file_hash = cli::Sha256Hex(file);
  json cert = st::UsmcaCert("HR-CERT", "HR-IMP", file_hash);
  cert["certifierRole"] = "EXPORTER";
  cert["producer"] = "AVAILABLE_UPON_REQUEST";
  cert["producerOnRequest"] = st::PartyJson(kProducer, "MX");
  cli::TxResult issued = Commit("blanket cert", certifier, "cert.issue", cert);
  // Files are kept beside each validator's ledger, not replicated: the certifier gives every
  // validator its copy, so that every validator's attachment route is walked with the file
  // (once each has committed the certification the upload names).
  ASSERT_TRUE(AllAtLeast(issued.height)) << "a validator did not commit the certification";
  for (size_t node = 0; node < https_.size(); ++node) {
    api::http::Response up = Send(&certifier, node, "POST",
                                  "/v1/attachments?sha256=" + file_hash + "&docId=HR-CERT", file);
    EXPECT_EQ(up.status, 201) << "node" << node + 1 << ": " << up.body;
  }
  json single = st::UsmcaCert("HR-CERT-1", "HR-IMP", cli::Sha256Hex("single shipment"));
  single["singleShipment"] = true;
  single.erase("blanketFrom");
  single.erase("blanketTo");
  Commit("single-shipment cert", certifier, "cert.issue", single);
  Commit("document", imp, "document.anchor",
         {{"docId", "HR-DOC"},
          {"docType", "INVOICE"},
          {"contentHash", cli::Sha256Hex("invoice")},
          {"issuer", kIssuer},
          {"metadata", {{"note", kMeta}}}});

  At("2025-03-10");
  const std::string e1 = st::EntryNo("7700001");
  const std::string e2 = st::EntryNo("7700002");
  const std::string e3 = st::EntryNo("7700003");
  json line = st::Line(1, "8708300050", "S", "HR-CERT", 13579.24);
  line["mid"] = kMid;
  json entry = st::EntryBody(e1, "HR-IMP", {line}, "2025-03-10");
  entry["iorNumber"] = kIor;
  entry["shipmentRef"] = kShipment;
  cli::TxResult filed = Commit("entry", imp, "entry.file", entry);
  json entry2 =
      st::EntryBody(e2, "HR-IMP", {st::Line(1, "8708300050", "S", "HR-CERT-1")}, "2025-03-10");
  entry2["iorNumber"] = kIor;
  entry2["shipmentRef"] = kSingleShipment;
  Commit("entry on the single-shipment cert", imp, "entry.file", entry2);
  // A broker without delegation tries to file for the importer (with a number of its own
  // guessing: it does not hold the importer's).
  json by_broker = st::EntryBody(st::EntryNo("7700004"), "HR-IMP",
                                 {st::Line(1, "8708300050", "S", "HR-CERT")}, "2025-03-10");
  by_broker["iorNumber"] = kGuessedIor;
  cli::TxResult refused = c_->Submit(broker, "entry.file", by_broker);
  EXPECT_EQ(refused.code, "NOT_AUTHORIZED_FILER");
  tx_ids_.push_back(refused.tx_id);

  At("2025-03-11");
  Commit("assessment", l1, "ipr.assess",
         {{"entryNumber", e3},
          {"lineNo", 1},
          {"importer", "HR-L1"},
          {"hts10", "6109.10.0012"},
          {"countryOfOrigin", "VN"},
          {"mid", kAssessMid},
          {"quantity", 100},
          {"importDate", "2025-03-10"},
          {"brand", "HRMARK"},
          {"recordationRefs", {recordation}},
          {"licenseRefs", {"HR-L1-LIC"}}});
  At("2025-04-01");
  Commit("case", c_->customs(), "case.open",
         {{"caseId", "HR-CASE"},
          {"claimIds", {e1 + "#1"}},
          {"method", "QUESTIONNAIRE"},
          {"addressee", "HR-IMP"}});
  // The third party presents a copy of the importer's document that does not match.
  cli::TxResult mismatch =
      c_->Submit(third, "document.present",
                 {{"docId", "HR-DOC"}, {"presentedHash", cli::Sha256Hex("forged invoice")}});
  EXPECT_EQ(mismatch.code, "DOCUMENT_HASH_MISMATCH");
  tx_ids_.push_back(mismatch.tx_id);
  ASSERT_FALSE(HasFailure()) << "seeding failed; the walk would prove nothing";

  // --- the readers, each on its validator ---------------------------------------------------
  // The IOR hashes (ADR 0021, formats "Who reads what"): an organisation's own is in its org/
  // entry and in the org.admit and entry.file bodies it is a party to; customs reads them all.
  const Reader anonymous{"unsigned", nullptr, {}, 0};
  const Reader third_party{"third party", &third, {third_ior_hash_}, 1};
  const Reader the_certifier{"certifier", &certifier, {kProducer, kFileText, kSingleShipment}, 2};
  const Reader the_broker{"broker without delegation", &broker, {}, 3};
  const Reader the_importer{
      "importer",
      &imp,
      {kShipment, kSingleShipment, kMid, kValue, kValueCents, kIssuer, kMeta, ior_hash_},
      0};
  std::set<std::string> all_but_ior(AllCanaries().begin(), AllCanaries().end());
  for (const char* ior : {kIor, kIorUndashed, kThirdIor}) all_but_ior.erase(ior);
  const Reader customs{"customs", &c_->customs(), all_but_ior, 1};
  const Reader the_delegated{"broker with delegation", &delegated, {}, 2};  // controls only
  const std::vector<const Reader*> readers = {&anonymous,  &third_party,  &the_certifier,
                                              &the_broker, &the_importer, &customs};
  // Every validator serves some reader's walk, and has committed everything seeded.
  std::set<size_t> walked_nodes;
  for (const Reader* reader : readers) walked_nodes.insert(reader->node);
  ASSERT_EQ(walked_nodes.size(), static_cast<size_t>(kValidators));
  api::http::Response tip = Get(anonymous, "/health");
  ASSERT_EQ(tip.status, 200);
  ASSERT_TRUE(AllAtLeast(json::parse(tip.body).value("height", uint64_t{0})))
      << "a validator did not catch up with node1";

  // --- positive controls: the canaries are there for those entitled to them ------------------
  auto shows = [&](const Reader& reader, const std::string& target, const std::string& canary) {
    api::http::Response r = Get(reader, target);
    EXPECT_EQ(r.status, 200) << reader.name << " " << target << ": " << r.body;
    EXPECT_TRUE(Find(r.body).contains(canary))
        << reader.name << " " << target << " lacks " << canary << ": " << r.body.substr(0, 2000);
  };
  shows(the_importer, "/v1/entries/" + e1, kShipment);
  shows(the_importer, "/v1/entries/" + e1, kMid);
  shows(customs, "/v1/entries/" + e1, kValueCents);
  shows(the_certifier, "/v1/certifications/HR-CERT", kProducer);
  shows(customs, "/v1/certifications/HR-CERT", kProducer);
  shows(the_importer, "/v1/documents/HR-DOC", kMeta);
  shows(the_importer, "/v1/documents/HR-DOC", kIssuer);
  for (size_t node = 0; node < https_.size(); ++node) {
    Reader customs_here = customs;
    customs_here.node = node;
    shows(customs_here, "/v1/attachments/" + file_hash, kFileText);
  }
  shows(customs, "/v1/licences/HR-L1-LIC", kLogo);
  shows(customs, "/v1/assessments/" + e3 + "%231", kAssessMid);
  // The importer's full inclusion bundle carries the envelope in base64: the scan decodes it.
  shows(the_importer, "/v1/proofs/inclusion/" + filed.tx_id, kShipment);
  // The IOR hashes: in the importer's entry (its own view and customs'), in an organisation's
  // proof of its own org/ entry, and in the bodies of the importer's filings.
  shows(the_importer, "/v1/entries/" + e1, ior_hash_);
  shows(customs, "/v1/entries/" + e1, ior_hash_);
  shows(the_importer, "/v1/state/proof?key=org%2FHR-IMP", ior_hash_);
  shows(third_party, "/v1/state/proof?key=org%2FHR-THIRD", third_ior_hash_);
  shows(customs, "/v1/state/proof?key=org%2FHR-THIRD", third_ior_hash_);
  shows(the_importer, "/v1/transactions/" + filed.tx_id, ior_hash_);
  // A broker with the importer's delegation files for it, so it reads the entry whole.
  shows(the_delegated, "/v1/entries/" + e1, ior_hash_);
  EXPECT_EQ(Get(the_delegated, "/v1/delegations/HR-DLG").status, 200);

  // A state proof carries the whole record: the certifier and customs get one of the
  // certification, the importer (who may not see producerOnRequest) does not.
  const std::string cert_proof = "/v1/state/proof?key=cert%2FHR-CERT";
  EXPECT_EQ(Get(the_certifier, cert_proof).status, 200);
  EXPECT_EQ(Get(customs, cert_proof).status, 200);
  EXPECT_EQ(Get(the_importer, cert_proof).status, 403);
  EXPECT_EQ(Get(the_importer, "/v1/state/proof?key=entry%2F" + e1).status, 200);

  // --- the walk of every GET route of the OpenAPI document ------------------------------------
  api::http::Response spec_response = Get(anonymous, "/v1/openapi.json");
  ASSERT_EQ(spec_response.status, 200);
  json spec = json::parse(spec_response.body, nullptr, false);
  ASSERT_TRUE(spec.is_object() && spec.contains("paths"));

  api::http::Response health = Get(anonymous, "/health");
  const uint64_t height = json::parse(health.body).value("height", uint64_t{0});
  ASSERT_GT(height, 10u);
  std::vector<std::string> heights;
  for (uint64_t h = 1; h <= height; ++h) heights.push_back(std::to_string(h));
  auto key_text = [](const auto& key) { return std::string(key.begin(), key.end()); };
  const std::vector<std::string> state_keys = {key_text(trade::OrgKey("HR-IMP")),
                                               key_text(trade::OrgKey("HR-THIRD")),
                                               key_text(trade::MemberKeyKey(imp.public_key.hex())),
                                               trade::CertStateKey("HR-CERT"),
                                               trade::CertClaimsKey("HR-CERT"),
                                               trade::CertStateKey("HR-CERT-1"),
                                               trade::EntryStateKey(e1),
                                               trade::EntryStateKey(e2),
                                               trade::ClaimStateKey(e1 + "#1"),
                                               trade::CaseStateKey("HR-CASE"),
                                               key_text(trade::DocumentKey("HR-DOC")),
                                               key_text(trade::DocumentKey("HR-CERT")),
                                               key_text(trade::DocumentHashKey(file_hash)),
                                               key_text(trade::RecordationKey(recordation)),
                                               key_text(trade::LicenceKey("HR-L1-LIC")),
                                               key_text(trade::LicenceUsedKey("HR-L1-LIC")),
                                               key_text(trade::AssessmentKey(e3, 1)),
                                               "delegation/HR-DLG",
                                               "config/ior-salt",
                                               "org/\xff\xfe"};
  std::vector<std::string> ids = tx_ids_;
  ids.push_back(std::string(64, '0'));
  const std::map<std::string, std::vector<std::string>> values = {
      {"id", ids},
      {"height", heights},
      {"from", {"1", "2"}},
      {"to", {std::to_string(height)}},
      {"orgId", {"HR-IMP", "HR-THIRD", "HR-MXP", "HR-BRK", "HR-L1", "NOPE"}},
      {"docId", {"HR-DOC", "HR-CERT", "HR-CERT-1", "NOPE"}},
      {"certId", {"HR-CERT", "HR-CERT-1", "NOPE"}},
      {"entryNumber", {e1, e2, e3, "NOPE"}},
      {"claimId", {e1 + "#1", e2 + "#1", "NOPE"}},
      {"caseId", {"HR-CASE", "NOPE"}},
      {"recordationNo", {recordation, "NOPE"}},
      {"licenseId", {"HR-L1-LIC", "NOPE"}},
      {"assessmentId", {e3 + "#1", "NOPE"}},
      {"delegationId", {"HR-DLG", "NOPE"}},
      {"sha256", {file_hash, cli::Sha256Hex("invoice"), std::string(64, 'a')}},
      {"key", state_keys},
  };

  std::vector<std::string> targets;
  int routes = 0;
  for (const auto& [path, item] : spec["paths"].items()) {
    if (!item.contains("get")) continue;
    const json& get = item["get"];
    if (get["responses"]["200"].value("content", json::object()).contains("text/event-stream")) {
      continue;  // the event stream is read below
    }
    ++routes;
    // Expand {template} path parameters and required query parameters with real values.
    std::vector<std::string> expanded = {path};
    std::string query_names;
    for (const json& p : get.value("parameters", json::array())) {
      const std::string name = p.value("name", "");
      const std::string in = p.value("in", "");
      if (in != "path" && !(in == "query" && p.value("required", false))) continue;
      auto v = values.find(name);
      if (v == values.end()) {
        ADD_FAILURE() << "no values for parameter '" << name << "' of " << path;
        continue;
      }
      std::vector<std::string> next;
      for (const auto& target : expanded) {
        for (const auto& value : v->second) {
          const std::string encoded = api::http::PercentEncode(value);
          if (in == "path") {
            std::string t = target;
            t.replace(t.find("{" + name + "}"), name.size() + 2, encoded);
            next.push_back(t);
          } else {
            next.push_back(target + (target.find('?') == std::string::npos ? "?" : "&") + name +
                           "=" + encoded);
          }
        }
      }
      expanded = std::move(next);
    }
    for (const auto& t : expanded) {
      EXPECT_EQ(t.find('{'), std::string::npos) << "unexpanded template " << t;
      targets.push_back(t);
    }
  }
  for (const std::string& subject :
       std::vector<std::string>{"HR-CERT", "HR-DOC", e1, "HR-L1-LIC"}) {
    targets.push_back("/v1/audit-events?limit=1000&subject=" + api::http::PercentEncode(subject));
  }
  targets.push_back("/v1/audit-events?limit=1000&owner=HR-IMP");
  EXPECT_GE(routes, 20) << "the OpenAPI document lists fewer GET routes than the node serves";
  // The list routes (Queries::AddListRoute) are in the document, so the walk reads them.
  for (const char* list :
       {"/v1/documents", "/v1/organisations", "/v1/certifications", "/v1/entries", "/v1/claims",
        "/v1/cases", "/v1/delegations", "/v1/recordations", "/v1/licences", "/v1/assessments"}) {
    EXPECT_NE(std::find(targets.begin(), targets.end(), list), targets.end())
        << list << " is not walked";
  }

  for (const Reader* reader : readers) {
    for (const auto& target : targets) CheckedGet(*reader, target);
    EXPECT_EQ(requests_[reader->name], static_cast<int>(targets.size()));
    EXPECT_GT(successes_[reader->name], 10) << reader->name;
    std::cout << reader->name << " on node" << reader->node + 1 << ": " << requests_[reader->name]
              << " GETs over " << routes << " routes, " << successes_[reader->name]
              << " answered 200\n";
  }

  // --- error paths: every validator refuses a cleartext IOR number and never echoes it -------
  for (size_t node = 0; node < https_.size(); ++node) {
    ledger::TxPayload p;
    p.chain_id = c_->chain();
    p.type = "entry.file";
    p.nonce = NowMs() * 1000 + node;
    json clear = st::EntryBody(st::EntryNo("7700005"), "HR-IMP", {line}, "2025-03-10");
    clear["iorNumber"] = kIor;
    p.body = core::ToBytes(clear.dump());
    auto tx = ledger::SignedTransaction::Sign(p, imp);
    std::string body = json{{"transaction", core::ToBase64(tx.envelope())}}.dump();
    auto r = https_[node]->Send("POST", urls_[node].prefix + "/v1/transactions", body);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r->status, 400) << "node" << node + 1;
    EXPECT_NE(r->body.find("IOR_CLEARTEXT"), std::string::npos) << r->body;
    EXPECT_FALSE(Find(r->body).contains(kIor)) << r->body;
    Reader importer_here = the_importer;
    importer_here.node = node;
    EXPECT_EQ(Get(importer_here, "/v1/transactions/" + tx.id().hex()).status, 404);
  }

  // --- the event stream ------------------------------------------------------------------------
  {
    // On two other validators than node1, which the transaction is submitted to.
    const api::http::ParsedUrl& open_url = urls_[1];
    const api::http::ParsedUrl& member_url = urls_[2];
    api::http::EventStreamClient open_stream(open_url.host, open_url.port);
    ASSERT_TRUE(open_stream.Open(open_url.prefix + "/v1/events").has_value());
    api::http::EventStreamClient member_stream(member_url.host, member_url.port);
    auto signed_headers =
        api::SignReadHeaders(c_->chain(), third, NowMs(), "GET", "/v1/events", {});
    ASSERT_TRUE(member_stream
                    .Open(member_url.prefix + "/v1/events", std::chrono::seconds(30),
                          api::http::Headers(signed_headers.begin(), signed_headers.end()))
                    .has_value());
    cli::TxResult anchored = Commit("second document", imp, "document.anchor",
                                    {{"docId", "HR-DOC-2"},
                                     {"docType", "INVOICE"},
                                     {"contentHash", cli::Sha256Hex("invoice 2")},
                                     {"issuer", kIssuer},
                                     {"metadata", {{"note", kMeta}}}});
    auto read_until = [&](api::http::EventStreamClient& stream, const Reader& reader) {
      for (int i = 0; i < 50; ++i) {
        auto event = stream.Next(std::chrono::seconds(20));
        EXPECT_TRUE(event.has_value()) << reader.name;
        if (!event.has_value()) return json();
        ExpectNoLeak(reader, "event", event->data);
        json data = json::parse(event->data, nullptr, false);
        if (data.is_object() && data.value("height", uint64_t{0}) >= anchored.height) return data;
      }
      ADD_FAILURE() << reader.name << ": no event for height " << anchored.height;
      return json();
    };
    json open_event = read_until(open_stream, anonymous);
    EXPECT_FALSE(open_event.contains("transactions")) << open_event.dump();
    EXPECT_TRUE(open_event.contains("hash")) << open_event.dump();
    json member_event = read_until(member_stream, third_party);
    ASSERT_TRUE(member_event.contains("transactions")) << member_event.dump();
    EXPECT_NE(member_event["transactions"].dump().find(anchored.tx_id), std::string::npos);
  }

  // --- a third party's proof: the id is in the log, the body is not in the proof -------------
  {
    api::http::Response proof = Get(third_party, "/v1/proofs/inclusion/" + filed.tx_id);
    ASSERT_EQ(proof.status, 200) << proof.body;
    json bundle = json::parse(proof.body);
    EXPECT_EQ(bundle.value("kind", ""), "tradeledger.proof.inclusion-id.v1");
    const fs::path proof_file = net_->dir() / "third-party-proof.json";
    std::ofstream(proof_file) << proof.body;
    CommandResult ok = RunCommand({TradeledgerBinary(), "verify", "--proof", proof_file.string(),
                                   "--validators", net_->validators_file()},
                                  std::chrono::seconds(30));
    EXPECT_EQ(ok.exit_code, 0) << ok.output;
    std::string other_id = tx_ids_.front();
    ASSERT_NE(other_id, filed.tx_id);
    bundle["tx_id"] = other_id;
    std::ofstream(proof_file, std::ios::trunc) << bundle.dump();
    CommandResult forged =
        RunCommand({TradeledgerBinary(), "verify", "--proof", proof_file.string(), "--validators",
                    net_->validators_file()},
                   std::chrono::seconds(30));
    EXPECT_NE(forged.exit_code, 0) << forged.output;
  }

  // --- every validator's files after `net down` ------------------------------------------------
  CommandResult down = net_->Stop();
  ASSERT_EQ(down.exit_code, 0) << down.output;
  const std::vector<std::string> iors = {kIor, kIorUndashed, kThirdIor};
  // Each validator has two RocksDB stores (cli/run_node.cc): its ledger in data/ and its read
  // audit log in data/reads/. Every one of them is read whole.
  int ledger_stores = 0;
  int reads_stores = 0;
  for (const fs::path& node : net_->node_dirs()) {
    SCOPED_TRACE(node.filename().string());
    ASSERT_TRUE(fs::is_directory(node / "data")) << node;
    int files = 0;
    int node_stores = 0;
    bool bodies_on_disk = false;  // positive control: the shipment reference is in its log
    for (const auto& entry_path : fs::recursive_directory_iterator(node)) {
      if (entry_path.is_regular_file()) {
        ++files;
        const std::string bytes = ReadFile(entry_path.path());
        for (const auto& ior : iors) {
          EXPECT_EQ(bytes.find(ior), std::string::npos) << entry_path.path() << " holds " << ior;
        }
      }
      if (entry_path.is_directory() && fs::exists(entry_path.path() / "CURRENT")) {
        // Most table files are LZ4/Zstd-compressed: read every value through RocksDB as well.
        storage::RocksDbOptions options;
        options.create_if_missing = false;
        auto store = storage::RocksDbStore::Open(entry_path.path().string(), options);
        ASSERT_TRUE(store.has_value()) << entry_path.path() << ": " << store.error().ToString();
        ++node_stores;
        if (entry_path.path() == node / "data") ++ledger_stores;
        if (entry_path.path() == node / "data" / "reads") ++reads_stores;
        auto it = (*store)->Scan({});
        for (; it->Valid(); it->Next()) {
          std::string_view k = core::AsStringView(it->key());
          std::string_view v = core::AsStringView(it->value());
          for (const auto& ior : iors) {
            EXPECT_EQ(k.find(ior), std::string::npos) << entry_path.path() << " key holds " << ior;
            EXPECT_EQ(v.find(ior), std::string::npos)
                << entry_path.path() << " value holds " << ior;
          }
          bodies_on_disk = bodies_on_disk || v.find(kShipment) != std::string_view::npos;
        }
        EXPECT_TRUE(it->status().has_value()) << entry_path.path();
      }
    }
    std::cout << node.filename().string() << ": " << files << " files, " << node_stores
              << " RocksDB stores searched\n";
    EXPECT_GT(files, 10);
    EXPECT_EQ(node_stores, 2);
    EXPECT_TRUE(bodies_on_disk) << "the scan of the ledger store found no transaction body";
  }
  // The ledger store of each of the four validators, and each one's audit-log store.
  EXPECT_EQ(ledger_stores, kValidators);
  EXPECT_EQ(reads_stores, kValidators);
}

}  // namespace
}  // namespace tradeledger::stories_test
