#include "cli/bench_workload.h"

#include <algorithm>
#include <array>

#include "cli/bench_bodies.h"

namespace tradeledger::cli::bench {
namespace {

using nlohmann::json;

// trade's limit is 64 member keys per admission; one of them is the organisation's admin key.
constexpr size_t kMembersPerOrg = 63;
constexpr std::array<TxKind, 3> kKinds = {TxKind::kCert, TxKind::kEntry, TxKind::kLicence};

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
  BodyBuilder b(spec, chain, customs);
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
  for (size_t s = 0; s < spec.signers; ++s) keys.push_back(BenchKey(spec.tag, "signer", s));
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
    crypto::KeyPair p = BenchKey(spec.tag, "admin-P", g), h = BenchKey(spec.tag, "admin-H", g);
    if (origin) {
      json producer_roles = {"PRODUCER", "EXPORTER"};
      admit.push_back(b.Customs(
          "org.admit", b.Admit(b.Org('P', g), "MX", producer_roles, p, members(TxKind::kCert, g))));
      admit.push_back(b.Customs(
          "org.admit", b.Admit(b.Org('I', g), "US", {"IMPORTER"}, BenchKey(spec.tag, "admin-I", g),
                               members(TxKind::kEntry, g), true)));
      for (size_t k = 0; k < kBaseCerts && Uses(spec, TxKind::kEntry); ++k) {
        issue.push_back(b.Sign(p, k + 1, "cert.issue", b.Cert(b.BaseCert(g, k), g, 0, kGoodKinds)));
      }
    }
    if (ipr) {
      admit.push_back(b.Customs("org.admit", b.Admit(b.Org('H', g), "US", {"RIGHTS_HOLDER"}, h,
                                                     members(TxKind::kLicence, g))));
      admit.push_back(b.Customs("org.admit", b.Admit(b.Org('L', g), "US", {"LICENSEE", "IMPORTER"},
                                                     BenchKey(spec.tag, "admin-L", g), {})));
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
