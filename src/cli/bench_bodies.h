// The transaction bodies of the bench workload (bench_workload.h): JSON in the shapes of
// doc/rules-origin.md and doc/rules-ipr.md, dated from the run's clock, and their signing.
// Internal to bench_workload.cc and its test.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "cli/bench_workload.h"

namespace tradeledger::cli::bench {

inline constexpr size_t kBaseCerts = 5;     // certifications per importer that its entries cite
inline constexpr size_t kRecordations = 2;  // recordations per rights holder
inline constexpr size_t kGoodKinds = 8;     // distinct goods (HS 8708.xx) certified and entered

// The key of a bench participant: derived from the run's tag, a role and an index, so that a
// workload is reproducible from its spec.
crypto::KeyPair BenchKey(const std::string& tag, std::string_view role, size_t index);

// Builds the bodies of one workload and signs them. Borrows its arguments, which must outlive
// it. Ids: organisations <tag>-<role><group> (P producer, I importer, H rights holder,
// L licensee), certifications <tag>-C<n> and <tag>-BC<group>-<k> (setup), licences <tag>-LIC<n>,
// entries with filer code <tag>.
class BodyBuilder {
 public:
  BodyBuilder(const WorkloadSpec& spec, const ledger::ChainId& chain,
              const crypto::KeyPair& customs);

  ledger::SignedTransaction Sign(const crypto::KeyPair& key, uint64_t nonce,
                                 const std::string& type, const nlohmann::json& body) const;
  // Signed by the customs administrator with its next nonce.
  ledger::SignedTransaction Customs(const std::string& type, const nlohmann::json& body);

  std::string Org(char role, size_t group) const;
  std::string BaseCert(size_t group, size_t k) const;
  // "TMK YY-NNNNN", unique per (group, r) and spread by the tag.
  std::string Recordation(size_t group, size_t r) const;

  // org.admit: the admin key and `members`, all with `roles`; an importer gets an IOR number.
  nlohmann::json Admit(const std::string& org, const std::string& country,
                       const nlohmann::json& roles, const crypto::KeyPair& admin,
                       const std::vector<crypto::PublicKey>& members, bool importer = false) const;
  // cert.issue: a USMCA blanket certification by producer P<group> naming importer I<group>,
  // with `goods` goods starting at `first_good` (of 8, HS 8708.xx).
  nlohmann::json Cert(const std::string& cert_id, size_t group, size_t first_good,
                      size_t goods) const;
  // entry.file by importer I<group>: lines_per_entry lines, each claiming USMCA preference
  // with a certification of the group's setup that covers its HTS number.
  nlohmann::json Entry(size_t index, size_t group) const;
  nlohmann::json RecordationApply(const std::string& no) const;
  // ipr.license.issue by rights holder H<group> to licensee L<group> on one of its recordations.
  nlohmann::json Licence(size_t index, size_t group) const;

 private:
  // The importer's iorNumberHash for the benchmark's IOR number (cli/ior_client.h).
  std::string IorHash(const std::string& importer) const;

  const WorkloadSpec& spec_;
  const ledger::ChainId& chain_;
  const crypto::KeyPair& customs_;
  uint64_t customs_nonce_;
  std::string signed_at_, from_, to_, import_date_, valid_until_;
  uint64_t recordation_space_ = 0;
};

}  // namespace tradeledger::cli::bench
