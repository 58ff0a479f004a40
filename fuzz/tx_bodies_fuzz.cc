// Fuzz target for the transaction bodies of every type, through trade::Execute
// (src/trade/executor.h), the code every validator runs on every committed transaction.
//
// Input: byte 0 picks the type (index into trade::Handlers(), which is sorted by name), byte 1
// the signer (customs; MX-P, a producer and exporter; IMP, an importer with an IOR hash; RH, a
// rights holder; BRK, a broker; a key nobody admitted); the rest is the JSON body. The state
// is seeded once, as the unit-test fixtures do (genesis with the customs authority, those four
// organisations admitted, MX-P's USMCA certification CERT-1 issued), and each input runs on a
// fresh layer over it, at 2025-03-10T12:00Z.
//
// Oracles: Execute never throws through and never returns an error (the state is in memory,
// so there is no storage failure to report); the outcome carries a code; a refused
// transaction writes only its signer's nonce; and executing the same input again on another
// fresh layer gives the same outcome and the same writes (replicas must agree). Admission's
// cleartext-IOR check (trade/ior_number.h) gives the same answer with and without its
// shortcut that skips the parse.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "crypto/sha256.h"
#include "trade/executor.h"
#include "trade/ior_number.h"
#include "trade/json_fields.h"
#include "trade/participants.h"
#include "trade/registry.h"
#include "trade/state_keys.h"
#include "trade/time_util.h"

namespace {

namespace trade = tradeledger::trade;
namespace core = tradeledger::core;
namespace crypto = tradeledger::crypto;
using trade::Json;

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "tx_bodies_fuzz: %s\n", what.c_str());
  std::abort();
}

crypto::KeyPair Key(uint8_t n) { return crypto::KeyPair::FromSeed(crypto::Seed{{n}}); }

struct Fixture {
  trade::EmptyState empty;
  trade::WorkingState state{empty};
  std::vector<crypto::KeyPair> signers;  // customs, MX-P, IMP, RH, BRK, a stranger
  std::vector<std::string> types;        // Handlers() in order
  uint64_t height = 0;

  trade::TxOutcome Run(const crypto::KeyPair& key, const std::string& type, const Json& body,
                       trade::WorkingState& on, uint64_t nonce, int64_t time) {
    std::string text = body.dump();
    trade::TxContext tx;
    tx.tx_id = crypto::Sha256Of({core::AsBytes(type), core::AsBytes(text)});
    tx.signer = key.public_key;
    tx.type = type;
    tx.nonce = nonce;
    tx.body = core::AsBytes(text);
    tx.block_time = core::TimestampMs(static_cast<uint64_t>(time));
    tx.height = core::Height(++height);
    auto outcome = trade::Execute(on, tx);
    if (!outcome) Fail("setup: " + outcome.error().ToString());
    return *outcome;
  }

  void Admit(uint8_t seed, const std::string& org, const Json& roles, const std::string& country,
             Json extra = Json::object()) {
    Json body = {
        {"orgId", org},
        {"legalName", org + " Inc."},
        {"country", country},
        {"roles", roles},
        {"members",
         {{{"publicKey", Key(seed).public_key.hex()}, {"roles", roles}, {"admin", true}}}}};
    for (auto& [k, v] : extra.items()) body[k] = v;
    auto outcome = Run(signers[0], "org.admit", body, state, seed, *trade::ParseDate("2024-01-02"));
    if (!outcome.ok()) Fail("setup: admitting " + org + ": " + outcome.code);
  }

  Fixture() {
    for (uint8_t n = 1; n <= 6; ++n) signers.push_back(Key(n));
    for (const auto& [name, handler] : trade::Handlers()) types.push_back(name);
    Json genesis = {{"customs_authority",
                     {{"org_id", "CBP"},
                      {"legal_name", "U.S. Customs and Border Protection"},
                      {"country", "US"},
                      {"members",
                       {{{"public_key", signers[0].public_key.hex()},
                         {"roles", {"CBP_ADMIN", "CBP_OFFICER"}},
                         {"admin", true}}}}}},
                    {"ior_salt", "0011223344556677"},
                    {"holidays", {"2025-01-01", "2025-07-04", "2025-12-25"}}};
    if (!trade::ApplyGenesis(genesis, state)) Fail("setup: genesis");
    auto ior = trade::IorNumberHash(*trade::IorSalt(state), "IMP", "12-3456789AB");
    Admit(2, "MX-P", {"PRODUCER", "EXPORTER"}, "MX");
    Admit(3, "IMP", {"IMPORTER"}, "US", {{"iorNumberHash", *ior}});
    Admit(4, "RH", {"RIGHTS_HOLDER"}, "US");
    Admit(5, "BRK", {"BROKER"}, "US");
    auto party = [](const char* name, const char* country) {
      return Json{{"name", name},
                  {"address", "1 Calle Uno, Monterrey"},
                  {"countryIso2", country},
                  {"phone", "+52 81 5555 0000"},
                  {"email", "origin@example.com"}};
    };
    Json certifier = party("MX Producer SA", "MX");
    certifier["title"] = "Export manager";
    Json importer = party("IMP Inc.", "US");
    importer["orgId"] = "IMP";
    Json cert = {
        {"certId", "CERT-1"},
        {"agreement", "USMCA"},
        {"certifierRole", "PRODUCER"},
        {"certifier", certifier},
        {"exporter", party("MX Producer SA", "MX")},
        {"importer", importer},
        {"goods",
         {{{"description", "Brake parts for motor vehicles"},
           {"hsCode", "8708.30"},
           {"originCriterion", "B"}}}},
        {"singleShipment", false},
        {"blanketFrom", "2025-01-01"},
        {"blanketTo", "2025-12-31"},
        {"signedAt", "2024-12-19"},
        {"signatory", {{"name", "Ana Ruiz"}, {"title", "Export manager"}}},
        {"statementPresent", true},
        {"language", "es"},
        {"contentHash", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}};
    auto issued = Run(signers[1], "cert.issue", cert, state, 1, *trade::ParseDate("2024-12-20"));
    if (!issued.ok()) Fail("setup: cert.issue: " + issued.code + " " + issued.detail);
  }
};

Fixture* fixture = nullptr;

struct Pass {
  trade::TxOutcome outcome;
  trade::WorkingState::Writes writes;
};

Pass Once(const trade::TxContext& tx) {
  trade::WorkingState layer(static_cast<const trade::StateReader&>(fixture->state));
  auto outcome = trade::Execute(layer, tx);
  if (!outcome) Fail("Execute returned an error: " + outcome.error().ToString());
  return {*outcome, layer.writes()};
}

}  // namespace

// Called once by the driver before the fork server starts: the PBKDF2 of the IOR hash and the
// setup transactions are not paid again per input.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fixture = new Fixture();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  if (fixture == nullptr) LLVMFuzzerInitialize(nullptr, nullptr);
  const crypto::KeyPair& signer = fixture->signers[data[1] % fixture->signers.size()];
  trade::TxContext tx;
  tx.tx_id = crypto::Sha256Of({core::ByteSpan(data, size)});
  tx.signer = signer.public_key;
  tx.type = fixture->types[data[0] % fixture->types.size()];
  tx.nonce = 1000;
  tx.body = core::ByteSpan(data + 2, size - 2);
  tx.block_time =
      core::TimestampMs(static_cast<uint64_t>(*trade::ParseInstant("2025-03-10T12:00:00Z")));
  tx.height = core::Height(100);

  if (trade::FindCleartextIor(tx.body) != trade::detail::FindCleartextIorByParsing(tx.body)) {
    Fail("the cleartext-IOR shortcut changed the answer");
  }
  Pass first = Once(tx);
  if (std::getenv("TL_FUZZ_VERBOSE")) {
    std::fprintf(stderr, "%s: %s %s\n", std::string(tx.type).c_str(), first.outcome.code.c_str(),
                 first.outcome.detail.c_str());
  }
  if (first.outcome.code.empty()) Fail("an outcome without a code");
  if (!first.outcome.ok()) {
    if (first.writes.size() != 1 ||
        first.writes.begin()->first != trade::NonceKey(signer.public_key)) {
      Fail("a refused " + std::string(tx.type) + " wrote more than its signer's nonce");
    }
  }
  Pass second = Once(tx);
  if (second.outcome.code != first.outcome.code || second.outcome.detail != first.outcome.detail ||
      second.outcome.reasons != first.outcome.reasons || second.writes != first.writes) {
    Fail("executing " + std::string(tx.type) + " twice gave different results");
  }
  return 0;
}
