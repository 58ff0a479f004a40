// The client side of the acceptance stories (`tradeledger demo`, tests/stories): one network,
// reached only through its public HTTP API, with the customs administrator's key, per-party
// keys, a dated timeline that moves the network's ledger clock, and the list of checks.
//
// Every transaction is signed by its party's own key and posted with wait=commit; every read
// is a signed GET (api/read_auth.h) by the reading party's key, so the node's access control
// and read audit log decide what each party sees, exactly as for any other client.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "api/http/http_client.h"
#include "cli/node_client.h"
#include "crypto/ed25519.h"
#include "node/genesis.h"

namespace tradeledger::cli {

// One printed line: section ("basics", "1".."13", "proof", "access"), what was checked, the
// expected and the observed value.
struct StoryCheck {
  std::string section;
  int64_t at = 0;  // the ledger clock when the check ran (ms)
  std::string name;
  std::string expected;
  std::string observed;
  bool pass = false;
};

// A committed transaction: its result code (or the API's error code if it never reached a
// block, e.g. "HTTP 400 BAD_SIGNATURE"), block height and id.
struct TxResult {
  std::string code;
  uint64_t height = 0;
  std::string tx_id;
  bool ok() const { return code == "OK"; }
};

class StoryClient {
 public:
  // Connects to `node_url`, learns the chain id and checks it against the validators file.
  static core::Result<std::unique_ptr<StoryClient>> Open(const std::string& node_url,
                                                         const std::string& validators_file,
                                                         const std::string& customs_key_file);

  // --- transactions ---------------------------------------------------------------------
  // Signs `body` as a `type` transaction with `key` and waits for its commit.
  TxResult Submit(const crypto::KeyPair& key, const std::string& type, const nlohmann::json& body);
  // The customs administrator admits `org_id` with one admin member key holding `roles`;
  // returns the key. A failed admission is recorded as a failed check of `section`.
  // `tx_id`, if given, receives the org.admit transaction's id.
  crypto::KeyPair Admit(const std::string& section, const std::string& org_id,
                        const std::vector<std::string>& roles, const std::string& country,
                        nlohmann::json extra = nlohmann::json::object(),
                        std::string* tx_id = nullptr);
  // Moves the ledger clock to `ms` (a no-op if it is there already); false on failure.
  bool AdvanceClock(int64_t ms);
  // The ledger clock's value as this client last set or read it.
  int64_t clock() const { return clock_; }
  int clock_advances() const { return advances_; }
  // Moves the ledger clock to `start`, or learns its later value (state proof of
  // config/ledger-clock); NOT_LEDGER_CLOCK if the network runs on validator clocks.
  core::Status SyncClock(int64_t start);

  // --- reads ------------------------------------------------------------------------------
  // A signed GET of `target` (percent-encode ids; '#' as %23). Transport failures come back
  // as status 0 with {"error": {"code", "message"}}.
  JsonResponse Read(const crypto::KeyPair& key, const std::string& target);
  // POST /v1/attachments?sha256=H[&docId=D] with `bytes` as the body, signed by `key`.
  JsonResponse Upload(const crypto::KeyPair& key, const std::string& sha256_hex,
                      const std::string& doc_id, const std::string& bytes);
  // Unsigned GET (blocks, proofs).
  JsonResponse Get(const std::string& target);

  // --- checks -----------------------------------------------------------------------------
  // Records a check (pass: observed == expected); returns whether it passed.
  bool Check(const std::string& section, const std::string& name, const std::string& expected,
             const std::string& observed);
  const std::vector<StoryCheck>& checks() const { return checks_; }
  int failed() const;
  // A line of information for the report (throughput, ...).
  void Note(std::string text) { notes_.push_back(std::move(text)); }
  const std::vector<std::string>& notes() const { return notes_; }

  const crypto::KeyPair& customs() const { return customs_; }
  const node::TrustedValidators& trusted() const { return trusted_; }
  const ledger::ChainId& chain() const { return chain_; }
  NodeClient& node() { return *node_; }
  const std::string& url() const { return url_; }

 private:
  StoryClient() = default;
  uint64_t NextNonce();

  std::string url_;
  std::unique_ptr<NodeClient> node_;
  std::unique_ptr<api::http::Client> raw_;
  std::string prefix_;
  ledger::ChainId chain_;
  node::TrustedValidators trusted_;
  crypto::KeyPair customs_;
  int64_t clock_ = 0;
  int advances_ = 0;
  uint64_t last_nonce_ = 0;
  std::mutex ior_mu_;
  core::Bytes ior_salt_;  // guarded by ior_mu_; fetched on the first body with an IOR number
  std::vector<StoryCheck> checks_;
  std::vector<std::string> notes_;
};

// "STATUS CODE" of a response ("200", "403 NOT_AUTHORIZED").
std::string StatusOf(const JsonResponse& r);
// A string field of a JSON object, or "" (never throws).
std::string Field(const nlohmann::json& j, const std::string& key);
// Hex SHA-256 of `bytes`.
std::string Sha256Hex(const std::string& bytes);
// Milliseconds of "YYYY-MM-DD" (UTC midnight) or "YYYY-MM-DDTHH:MM:SSZ"; aborts on bad input
// (the timeline's dates are constants).
int64_t Ms(std::string_view date_or_instant);

}  // namespace tradeledger::cli
