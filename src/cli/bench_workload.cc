#include "cli/bench_workload.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>

#include "crypto/sha256.h"
#include "trade/entry_number.h"
#include "trade/time_util.h"

namespace tradeledger::cli::bench {
namespace {

using nlohmann::json;

constexpr int64_t kDayMs = 86'400'000;
// trade's limit is 64 member keys per admission; one of them is the organisation's admin key.
constexpr size_t kMembersPerOrg = 63;
constexpr size_t kBaseCerts = 5;     // certifications per importer that its entries cite
constexpr size_t kRecordations = 2;  // recordations per rights holder
constexpr char kIor[] = "12-3456789AB";
constexpr std::array<TxKind, 3> kKinds = {TxKind::kCert, TxKind::kEntry, TxKind::kLicence};

// Goods of the certifications and lines of the entries: motor-vehicle parts (HS 8708).
struct Good {
  const char* hs;
  const char* description;
};
constexpr std::array<Good, 8> kGoods = {{{"8708.10", "Bumpers and parts thereof"},
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

crypto::KeyPair KeyFor(const std::string& tag, std::string_view role, size_t index) {
  std::string label =
      "tradeledger-bench/" + tag + "/" + std::string(role) + "/" + std::to_string(index);
  core::Hash32 seed = crypto::Sha256Of(core::AsBytes(label));
  return crypto::KeyPair::FromSeed(seed);
}

json Party(const std::string& name, const std::string& country) {
  return {{"name", name},
          {"address", "1 Industrial Park, Monterrey"},
          {"countryIso2", country},
          {"phone", "+52 81 5555 0000"},
          {"email", "origin@example.com"}};
}

// Builds bodies and signs them for one spec; remembers each signer's last nonce.
class Builder {
 public:
  Builder(const WorkloadSpec& spec, const ledger::ChainId& chain, const crypto::KeyPair& customs)
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

  ledger::SignedTransaction Sign(const crypto::KeyPair& key, uint64_t nonce,
                                 const std::string& type, const json& body) const {
    ledger::TxPayload p{chain_, type, nonce, core::ToBytes(body.dump())};
    return ledger::SignedTransaction::Sign(p, key);
  }
  ledger::SignedTransaction Customs(const std::string& type, const json& body) {
    return Sign(customs_, customs_nonce_++, type, body);
  }

  std::string Org(char role, size_t group) const {
    return spec_.tag + "-" + role + std::to_string(group);
  }
  std::string BaseCert(size_t group, size_t k) const {
    return spec_.tag + "-BC" + std::to_string(group) + "-" + std::to_string(k);
  }
  std::string Recordation(size_t group, size_t r) const {
    size_t n = recordation_space_ % 100 * 1000 + group * kRecordations + r;
    std::string yy = std::to_string(100 + recordation_space_ / 100).substr(1);
    std::string digits = std::to_string(100'000 + n).substr(1);
    return "TMK " + yy + "-" + digits;
  }

  json Admit(const std::string& org, const std::string& country, const json& roles,
             const crypto::KeyPair& admin, const std::vector<crypto::PublicKey>& members,
             bool importer = false) const {
    json keys =
        json::array({{{"publicKey", admin.public_key.hex()}, {"roles", roles}, {"admin", true}}});
    for (const auto& k : members) keys.push_back({{"publicKey", k.hex()}, {"roles", roles}});
    json body = {{"orgId", org},
                 {"legalName", org + " Inc."},
                 {"country", country},
                 {"roles", roles},
                 {"members", keys}};
    if (importer) body["iorNumber"] = kIor;
    return body;
  }

  json Cert(const std::string& cert_id, size_t group, size_t first_good, size_t goods) const {
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

  json Entry(size_t index, size_t group) const {
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
            {"iorNumber", kIor},
            {"shipmentRef", "MAEU" + serial},
            {"importDate", import_date_},
            {"portCode", "2304"},
            {"lines", lines}};
  }

  json RecordationApply(const std::string& no) const {
    return {{"recordationNo", no},
            {"rightType", "TRADEMARK"},
            {"registrationNo", "5" + no.substr(7)},
            {"mark", "ACME"},
            {"intlClasses", {25}},
            {"goodsDescription", "Clothing, namely shirts and sweaters"},
            {"placesOfManufacture", {"Hanoi, VN"}},
            {"validUntil", valid_until_}};
  }

  json Licence(size_t index, size_t group) const {
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

 private:
  const WorkloadSpec& spec_;
  const ledger::ChainId& chain_;
  const crypto::KeyPair& customs_;
  uint64_t customs_nonce_;
  std::string signed_at_, from_, to_, import_date_, valid_until_;
  uint64_t recordation_space_ = 0;
};

bool Uses(const WorkloadSpec& spec, TxKind kind) {
  return std::any_of(spec.mix.begin(), spec.mix.end(),
                     [&](const MixWeight& m) { return m.kind == kind && m.weight > 0; });
}

}  // namespace

std::string_view KindName(TxKind kind) {
  switch (kind) {
    case TxKind::kCert:
      return "cert";
    case TxKind::kEntry:
      return "entry";
    case TxKind::kLicence:
      return "licence";
  }
  return "?";
}

core::Result<std::vector<MixWeight>> ParseMix(std::string_view text) {
  std::vector<MixWeight> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
    size_t eq = item.find('=');
    std::string_view name = item.substr(0, eq);
    int weight = 1;
    if (eq != std::string_view::npos) {
      std::string digits(item.substr(eq + 1));
      if (digits.empty() || digits.size() > 4 ||
          !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        return core::Fail("MIX_INVALID", "weight of '" + std::string(name) + "' is not 0..9999");
      }
      weight = std::stoi(digits);
    }
    auto kind =
        std::find_if(kKinds.begin(), kKinds.end(), [&](TxKind k) { return KindName(k) == name; });
    if (kind == kKinds.end()) {
      return core::Fail("MIX_INVALID",
                        "unknown kind '" + std::string(name) + "' (kinds: cert, entry, licence)");
    }
    if (std::any_of(out.begin(), out.end(), [&](const MixWeight& m) { return m.kind == *kind; })) {
      return core::Fail("MIX_INVALID", "kind '" + std::string(name) + "' given twice");
    }
    if (weight > 0) out.push_back({*kind, weight});
  }
  if (out.empty()) return core::Fail("MIX_INVALID", "the mix names no kind with a weight above 0");
  return out;
}

std::string MakeTag(uint64_t seed) {
  constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  std::string tag;
  for (int i = 0; i < 3; ++i) {
    tag += kAlphabet[seed % kAlphabet.size()];
    seed /= kAlphabet.size();
  }
  return tag;
}

Workload BuildWorkload(const WorkloadSpec& spec, const ledger::ChainId& chain,
                       const crypto::KeyPair& customs) {
  TL_CHECK(!spec.mix.empty() && spec.transactions >= 1 && spec.signers >= spec.mix.size());
  TL_CHECK(spec.tag.size() == 3 && spec.goods_per_cert >= 1 && spec.goods_per_cert <= 8);
  TL_CHECK(spec.lines_per_entry >= 1 && spec.lines_per_entry <= 8);
  Builder b(spec, chain, customs);
  Workload w;
  w.signers = spec.signers;

  // Measured keys per kind, in proportion to the weights (each kind at least one).
  int total_weight = 0;
  for (const MixWeight& m : spec.mix) total_weight += m.weight;
  std::vector<size_t> per_kind(spec.mix.size()), first_signer(spec.mix.size());
  size_t assigned = 0;
  for (size_t k = 0; k < spec.mix.size(); ++k) {
    per_kind[k] = std::max<size_t>(1, spec.signers * static_cast<size_t>(spec.mix[k].weight) /
                                          static_cast<size_t>(total_weight));
    assigned += per_kind[k];
  }
  for (size_t k = 0; assigned < spec.signers; k = (k + 1) % per_kind.size(), ++assigned) {
    ++per_kind[k];
  }
  for (size_t k = 1; k < spec.mix.size(); ++k)
    first_signer[k] = first_signer[k - 1] + per_kind[k - 1];
  size_t widest = *std::max_element(per_kind.begin(), per_kind.end());
  w.groups = (widest + kMembersPerOrg - 1) / kMembersPerOrg;
  const size_t groups = w.groups;

  std::vector<crypto::KeyPair> keys;
  for (size_t s = 0; s < spec.signers; ++s) keys.push_back(KeyFor(spec.tag, "signer", s));
  // Member keys of each kind's organisation in group g: local index l with l % groups == g.
  auto members = [&](TxKind kind, size_t g) {
    std::vector<crypto::PublicKey> out;
    for (size_t k = 0; k < spec.mix.size(); ++k) {
      if (spec.mix[k].kind != kind) continue;
      for (size_t l = g; l < per_kind[k]; l += groups)
        out.push_back(keys[first_signer[k] + l].public_key);
    }
    return out;
  };

  const bool origin = Uses(spec, TxKind::kCert) || Uses(spec, TxKind::kEntry);
  const bool ipr = Uses(spec, TxKind::kLicence);
  std::vector<ledger::SignedTransaction> admit, issue, approve;
  for (size_t g = 0; g < groups; ++g) {
    crypto::KeyPair p = KeyFor(spec.tag, "admin-P", g), h = KeyFor(spec.tag, "admin-H", g);
    if (origin) {
      json producer_roles = {"PRODUCER", "EXPORTER"};
      admit.push_back(b.Customs(
          "org.admit", b.Admit(b.Org('P', g), "MX", producer_roles, p, members(TxKind::kCert, g))));
      admit.push_back(b.Customs(
          "org.admit", b.Admit(b.Org('I', g), "US", {"IMPORTER"}, KeyFor(spec.tag, "admin-I", g),
                               members(TxKind::kEntry, g), true)));
      for (size_t k = 0; k < kBaseCerts && Uses(spec, TxKind::kEntry); ++k) {
        issue.push_back(
            b.Sign(p, k + 1, "cert.issue", b.Cert(b.BaseCert(g, k), g, 0, kGoods.size())));
      }
    }
    if (ipr) {
      admit.push_back(b.Customs("org.admit", b.Admit(b.Org('H', g), "US", {"RIGHTS_HOLDER"}, h,
                                                     members(TxKind::kLicence, g))));
      admit.push_back(b.Customs("org.admit", b.Admit(b.Org('L', g), "US", {"LICENSEE", "IMPORTER"},
                                                     KeyFor(spec.tag, "admin-L", g), {})));
      for (size_t r = 0; r < kRecordations; ++r) {
        issue.push_back(
            b.Sign(h, r + 1, "ipr.recordation.apply", b.RecordationApply(b.Recordation(g, r))));
      }
    }
  }
  // Approvals after every admission: the customs key's nonces rise in the order of the phases.
  for (size_t g = 0; g < groups && ipr; ++g) {
    for (size_t r = 0; r < kRecordations; ++r) {
      approve.push_back(
          b.Customs("ipr.recordation.approve", {{"recordationNo", b.Recordation(g, r)}}));
    }
  }
  for (auto* phase : {&admit, &issue, &approve}) {
    if (!phase->empty()) w.setup.push_back(std::move(*phase));
  }

  // Smooth weighted round robin over the kinds; each kind's keys in turn.
  std::vector<long> credit(spec.mix.size(), 0);
  std::vector<size_t> count(spec.mix.size(), 0);
  for (size_t i = 0; i < spec.transactions; ++i) {
    size_t k = 0;
    for (size_t j = 0; j < spec.mix.size(); ++j) {
      credit[j] += spec.mix[j].weight;
      if (credit[j] > credit[k]) k = j;
    }
    credit[k] -= total_weight;
    size_t c = count[k]++;
    size_t local = c % per_kind[k];
    size_t g = local % groups;
    uint64_t nonce = c / per_kind[k] + 1;
    auto signer = static_cast<uint32_t>(first_signer[k] + local);
    const crypto::KeyPair& key = keys[signer];
    TxKind kind = spec.mix[k].kind;
    switch (kind) {
      case TxKind::kCert:
        w.measured.push_back(
            {b.Sign(key, nonce, "cert.issue",
                    b.Cert(spec.tag + "-C" + std::to_string(c), g, c, spec.goods_per_cert)),
             kind, signer});
        break;
      case TxKind::kEntry:
        w.measured.push_back({b.Sign(key, nonce, "entry.file", b.Entry(c, g)), kind, signer});
        break;
      case TxKind::kLicence:
        w.measured.push_back(
            {b.Sign(key, nonce, "ipr.license.issue", b.Licence(c, g)), kind, signer});
        break;
    }
  }
  return w;
}

}  // namespace tradeledger::cli::bench
