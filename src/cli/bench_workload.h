// The transactions of `tradeledger bench` (cli/bench.h), all signed before the run so that
// signing costs nothing while the load is measured.
//
// The measured transactions are the customs domain's everyday traffic, each signed by one of
// many distinct member keys of admitted organisations:
//   cert     a producer issues a USMCA blanket certification of origin with several goods;
//   entry    an importer files an entry whose lines each claim USMCA preference, citing a
//            certification issued to it during setup (the claims are decided ACCEPTED);
//   licence  a rights holder grants a trademark licence on one of its recordations.
// Setup comes first, in phases, each committed before the next: the customs administrator
// admits the organisations (their admin keys and the measured keys), the producers issue the
// certifications the entries cite and the rights holders apply for recordations, and customs
// approves the recordations.
//
// Every id carries the run's tag, so runs against one network do not collide. Keys derive
// from the tag: the same spec, chain and customs key give the same transactions.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "crypto/ed25519.h"
#include "ledger/transaction.h"

namespace tradeledger::cli::bench {

enum class TxKind { kCert, kEntry, kLicence };
// "cert", "entry", "licence".
std::string_view KindName(TxKind kind);

struct MixWeight {
  TxKind kind;
  int weight = 1;
};

// "cert,entry,licence" (equal shares) or weighted, "cert=2,entry=1"; each kind at most once.
// MIX_INVALID otherwise.
core::Result<std::vector<MixWeight>> ParseMix(std::string_view text);

struct WorkloadSpec {
  size_t transactions = 10'000;  // measured transactions
  size_t signers = 1'024;        // distinct measured keys, shared out between kinds by the mix
  std::vector<MixWeight> mix = {{TxKind::kCert, 1}, {TxKind::kEntry, 1}, {TxKind::kLicence, 1}};
  size_t goods_per_cert = 4;   // 1..8
  size_t lines_per_entry = 5;  // 1..8
  std::string tag = "B00";     // 3 characters of [A-Z0-9]: prefixes ids, filer code of entries
  int64_t now_ms = 0;          // the validators' clock for the run: every date derives from it
  uint64_t customs_nonce = 1;  // the customs key's first nonce (above any it has used)
  core::Bytes ior_salt;        // the network's IOR salt (GET /v1/me): importers' IOR hashes
};

// A run tag (3 characters of [A-Z0-9]) from any number, e.g. the time.
std::string MakeTag(uint64_t seed);

struct MeasuredTx {
  ledger::SignedTransaction tx;
  TxKind kind;
  uint32_t signer;  // 0 .. Workload::signers - 1
};

struct Workload {
  // Setup phases, in order; one signer's transactions within a phase in nonce order.
  std::vector<std::vector<ledger::SignedTransaction>> setup;
  // The measured transactions in submission order; one signer's in nonce order.
  std::vector<MeasuredTx> measured;
  size_t signers = 0;  // measured keys
  size_t groups = 0;   // organisations per role
};

// Preconditions (checked by the caller, TL_CHECK here): a valid tag, mix not empty,
// transactions >= 1, signers >= number of kinds, goods and lines in 1..8.
Workload BuildWorkload(const WorkloadSpec& spec, const ledger::ChainId& chain,
                       const crypto::KeyPair& customs);

}  // namespace tradeledger::cli::bench
