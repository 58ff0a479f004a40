#include "cli/bench_bodies.h"

#include <array>

#include "cli/ior_client.h"
#include "crypto/sha256.h"
#include "trade/entry_number.h"
#include "trade/time_util.h"

namespace tradeledger::cli::bench {
namespace {

using nlohmann::json;

constexpr int64_t kDayMs = 86'400'000;
constexpr char kIor[] = "12-3456789AB";

// Goods of the certifications and lines of the entries: motor-vehicle parts (HS 8708).
struct Good {
  const char* hs;
  const char* description;
};
constexpr std::array<Good, kGoodKinds> kGoods = {
    {{"8708.10", "Bumpers and parts thereof"},
     {"8708.21", "Safety seat belts"},
     {"8708.29", "Parts of bodies, including cabs"},
     {"8708.30", "Brakes and servo-brakes"},
     {"8708.40", "Gear boxes and parts thereof"},
     {"8708.50", "Drive-axles with differential"},
     {"8708.70", "Road wheels and parts thereof"},
     {"8708.80", "Suspension systems and shock absorbers"}}};

std::string Hts10(const Good& g) {
  std::string digits;
  for (const char* p = g.hs; *p; ++p) {
    if (*p != '.') digits += *p;
  }
  return digits + "0050";
}

json Party(const std::string& name, const std::string& country) {
  return {{"name", name},
          {"address", "1 Industrial Park, Monterrey"},
          {"countryIso2", country},
          {"phone", "+52 81 5555 0000"},
          {"email", "origin@example.com"}};
}

}  // namespace

crypto::KeyPair BenchKey(const std::string& tag, std::string_view role, size_t index) {
  std::string label =
      "tradeledger-bench/" + tag + "/" + std::string(role) + "/" + std::to_string(index);
  core::Hash32 seed = crypto::Sha256Of(core::AsBytes(label));
  return crypto::KeyPair::FromSeed(seed);
}

BodyBuilder::BodyBuilder(const WorkloadSpec& spec, const ledger::ChainId& chain,
                         const crypto::KeyPair& customs)
    : spec_(spec), chain_(chain), customs_(customs), customs_nonce_(spec.customs_nonce) {
  int64_t day = spec.now_ms / kDayMs * kDayMs;
  signed_at_ = trade::FormatDate(day - 2 * kDayMs);
  from_ = trade::FormatDate(day - 30 * kDayMs);
  to_ = trade::FormatDate(day + 300 * kDayMs);
  import_date_ = trade::FormatDate(day - 7 * kDayMs);
  valid_until_ = trade::FormatDate(day + 5 * 365 * kDayMs);
  uint64_t h = 0;
  for (char c : spec.tag) h = h * 37 + static_cast<unsigned char>(c);
  recordation_space_ = h % 10'000;
}

ledger::SignedTransaction BodyBuilder::Sign(const crypto::KeyPair& key, uint64_t nonce,
                                            const std::string& type, const json& body) const {
  ledger::TxPayload p{chain_, type, nonce, core::ToBytes(body.dump())};
  return ledger::SignedTransaction::Sign(p, key);
}
ledger::SignedTransaction BodyBuilder::Customs(const std::string& type, const json& body) {
  return Sign(customs_, customs_nonce_++, type, body);
}

std::string BodyBuilder::Org(char role, size_t group) const {
  return spec_.tag + "-" + role + std::to_string(group);
}
std::string BodyBuilder::BaseCert(size_t group, size_t k) const {
  return spec_.tag + "-BC" + std::to_string(group) + "-" + std::to_string(k);
}
std::string BodyBuilder::Recordation(size_t group, size_t r) const {
  size_t n = recordation_space_ % 100 * 1000 + group * kRecordations + r;
  std::string yy = std::to_string(100 + recordation_space_ / 100).substr(1);
  std::string digits = std::to_string(100'000 + n).substr(1);
  return "TMK " + yy + "-" + digits;
}

std::string BodyBuilder::IorHash(const std::string& importer) const {
  auto hashed = HashIorNumberField({{"importer", importer}, {"iorNumber", kIor}}, spec_.ior_salt);
  TL_CHECK(hashed.has_value());
  return (*hashed)["iorNumberHash"].get<std::string>();
}

json BodyBuilder::Admit(const std::string& org, const std::string& country, const json& roles,
                        const crypto::KeyPair& admin, const std::vector<crypto::PublicKey>& members,
                        bool importer) const {
  json keys =
      json::array({{{"publicKey", admin.public_key.hex()}, {"roles", roles}, {"admin", true}}});
  for (const auto& k : members) keys.push_back({{"publicKey", k.hex()}, {"roles", roles}});
  json body = {{"orgId", org},
               {"legalName", org + " Inc."},
               {"country", country},
               {"roles", roles},
               {"members", keys}};
  if (importer) body["iorNumberHash"] = IorHash(org);
  return body;
}

json BodyBuilder::Cert(const std::string& cert_id, size_t group, size_t first_good,
                       size_t goods) const {
  json certifier = Party("Autopartes " + Org('P', group), "MX");
  certifier["title"] = "Export manager";
  json importer = Party(Org('I', group) + " Inc.", "US");
  importer["orgId"] = Org('I', group);
  json list = json::array();
  for (size_t j = 0; j < goods; ++j) {
    const Good& g = kGoods[(first_good + j) % kGoods.size()];
    list.push_back({{"description", g.description}, {"hsCode", g.hs}, {"originCriterion", "B"}});
  }
  std::string hash = crypto::Sha256Of(core::AsBytes("certificate " + cert_id)).hex();
  return {{"certId", cert_id},
          {"agreement", "USMCA"},
          {"certifierRole", "PRODUCER"},
          {"certifier", certifier},
          {"exporter", Party("Autopartes " + Org('P', group), "MX")},
          {"importer", importer},
          {"goods", list},
          {"singleShipment", false},
          {"blanketFrom", from_},
          {"blanketTo", to_},
          {"signedAt", signed_at_},
          {"signatory", {{"name", "Ana Ruiz"}, {"title", "Export manager"}}},
          {"statementPresent", true},
          {"language", "es"},
          {"contentHash", hash}};
}

json BodyBuilder::Entry(size_t index, size_t group) const {
  std::string serial = std::to_string(10'000'000 + index % 10'000'000).substr(1);
  json lines = json::array();
  for (size_t j = 0; j < spec_.lines_per_entry; ++j) {
    const Good& g = kGoods[(index + j) % kGoods.size()];
    lines.push_back({{"lineNo", j + 1},
                     {"hts10", Hts10(g)},
                     {"countryOfOrigin", "MX"},
                     {"mid", "MXMEXPRO12MON"},
                     {"quantity", 100 + j},
                     {"uom", "PCS"},
                     {"value", 1000.0 + 250.0 * static_cast<double>(j)},
                     {"spi", "S"},
                     {"certRef", BaseCert(group, (index + j) % kBaseCerts)}});
  }
  return {{"entryNumber", trade::MakeEntryNumber(spec_.tag, serial)},
          {"entryType", "01"},
          {"importer", Org('I', group)},
          {"iorNumberHash", IorHash(Org('I', group))},
          {"shipmentRef", "MAEU" + serial},
          {"importDate", import_date_},
          {"portCode", "2304"},
          {"lines", lines}};
}

json BodyBuilder::RecordationApply(const std::string& no) const {
  return {{"recordationNo", no},
          {"rightType", "TRADEMARK"},
          {"registrationNo", "5" + no.substr(7)},
          {"mark", "ACME"},
          {"intlClasses", {25}},
          {"goodsDescription", "Clothing, namely shirts and sweaters"},
          {"placesOfManufacture", {"Hanoi, VN"}},
          {"validUntil", valid_until_}};
}

json BodyBuilder::Licence(size_t index, size_t group) const {
  return {{"licenseId", spec_.tag + "-LIC" + std::to_string(index)},
          {"licensee", Org('L', group)},
          {"recordationRefs", {Recordation(group, index % kRecordations)}},
          {"rightType", "TRADEMARK"},
          {"products",
           {{{"description", "ACME shirts and sweaters"}, {"htsPrefixes", {"6109", "6110"}}}}},
          {"permissions", {"MANUFACTURE", "IMPORT"}},
          {"countriesOfManufacture", {"VN"}},
          {"quantityLimit", 10'000},
          {"validFrom", from_},
          {"validTo", to_}};
}

}  // namespace tradeledger::cli::bench
