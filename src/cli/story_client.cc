#include "cli/story_client.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "api/http/url.h"
#include "api/read_auth.h"
#include "cli/ior_client.h"
#include "core/bytes.h"
#include "crypto/key_file.h"
#include "crypto/sha256.h"
#include "trade/time_util.h"

namespace tradeledger::cli {
namespace {

using nlohmann::json;

constexpr auto kCommitWait = std::chrono::seconds(30);

uint64_t NowMs() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

JsonResponse TransportError(const core::Error& e) {
  return {0, json{{"error", {{"code", e.code}, {"message", e.detail}}}}};
}

}  // namespace

std::string StatusOf(const JsonResponse& r) {
  std::string out = std::to_string(r.status);
  if (r.status >= 400 || r.status == 0) {
    if (r.body.is_object() && r.body.contains("error") && r.body["error"].is_object()) {
      out += " " + r.body["error"].value("code", std::string("?"));
    }
  }
  return out;
}

std::string Field(const json& j, const std::string& key) {
  if (!j.is_object() || !j.contains(key)) return "";
  const json& v = j[key];
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  return v.dump();
}

std::string Sha256Hex(const std::string& bytes) {
  return crypto::Sha256Of(core::AsBytes(bytes)).hex();
}

int64_t Ms(std::string_view text) {
  auto ms = text.size() == 10 ? trade::ParseDate(text) : trade::ParseInstant(text);
  if (!ms) {
    std::fprintf(stderr, "stories: bad date constant '%.*s'\n", static_cast<int>(text.size()),
                 text.data());
    std::abort();
  }
  return *ms;
}

core::Result<std::unique_ptr<StoryClient>> StoryClient::Open(const std::string& node_url,
                                                             const std::string& validators_file,
                                                             const std::string& customs_key_file) {
  std::unique_ptr<StoryClient> c(new StoryClient());
  c->url_ = node_url;
  TL_ASSIGN_OR_RETURN(std::string text, node::ReadFile(validators_file));
  TL_ASSIGN_OR_RETURN(c->trusted_, node::ParseValidatorsFile(text));
  TL_ASSIGN_OR_RETURN(c->customs_, crypto::ReadKeyFile(customs_key_file));
  TL_ASSIGN_OR_RETURN(NodeClient client, NodeClient::Connect(node_url));
  c->node_ = std::make_unique<NodeClient>(std::move(client));
  TL_ASSIGN_OR_RETURN(api::http::ParsedUrl parsed, api::http::ParseUrl(node_url));
  c->raw_ = std::make_unique<api::http::Client>(parsed.host, parsed.port, NodeTls(parsed));
  c->prefix_ = parsed.prefix;
  TL_ASSIGN_OR_RETURN(c->chain_, c->node_->ChainId());
  if (c->chain_ != c->trusted_.chain_id) {
    return core::Fail("WRONG_CHAIN", "the node serves chain " + c->chain_.hex() +
                                         ", the validators file names " +
                                         c->trusted_.chain_id.hex());
  }
  return c;
}

uint64_t StoryClient::NextNonce() {
  // Microseconds since the epoch, strictly increasing: nonces stay above those of earlier runs
  // against the same network (the customs key is shared between runs).
  uint64_t now = NowMs() * 1000;
  last_nonce_ = std::max(last_nonce_ + 1, now);
  return last_nonce_;
}

TxResult StoryClient::Submit(const crypto::KeyPair& key, const std::string& type,
                             const json& body) {
  TxResult out;
  // A clear IOR number is hashed by the submitter (ADR 0021), as `tx submit` does.
  json sent = body;
  if (body.is_object() && body.contains("iorNumber")) {
    core::Bytes salt;
    {
      std::lock_guard lock(ior_mu_);
      if (ior_salt_.empty()) {
        auto fetched = FetchIorSalt(*node_, customs_, chain_);
        if (!fetched) {
          out.code = fetched.error().code;
          return out;
        }
        ior_salt_ = std::move(*fetched);
      }
      salt = ior_salt_;
    }
    auto hashed = HashIorNumberField(body, salt);
    if (!hashed) {
      out.code = hashed.error().code;
      return out;
    }
    sent = std::move(*hashed);
  }
  ledger::TxPayload p;
  p.chain_id = chain_;
  p.type = type;
  p.nonce = NextNonce();
  p.body = core::ToBytes(sent.dump());
  auto tx = ledger::SignedTransaction::Sign(p, key);
  out.tx_id = tx.id().hex();
  auto r = node_->SubmitAndWait(tx, kCommitWait);
  if (!r) {
    out.code = r.error().code;
    return out;
  }
  if (r->status == 202) {
    out.code = "NOT_COMMITTED";
  } else if (r->status != 200) {
    out.code = StatusOf(*r);
  } else {
    out.code = r->body.value("result_code", std::string("?"));
    out.height = r->body.value("height", uint64_t{0});
  }
  return out;
}

crypto::KeyPair StoryClient::Admit(const std::string& section, const std::string& org_id,
                                   const std::vector<std::string>& roles,
                                   const std::string& country, json extra, std::string* tx_id) {
  crypto::KeyPair key = crypto::KeyPair::Generate();
  json body = {
      {"orgId", org_id},
      {"legalName", org_id + " Inc."},
      {"country", country},
      {"roles", roles},
      {"members", {{{"publicKey", key.public_key.hex()}, {"roles", roles}, {"admin", true}}}}};
  for (auto& [k, v] : extra.items()) body[k] = v;
  TxResult r = Submit(customs_, "org.admit", body);
  if (!r.ok()) Check(section, "customs admits " + org_id, "OK", r.code);
  if (tx_id != nullptr) *tx_id = r.tx_id;
  return key;
}

bool StoryClient::AdvanceClock(int64_t ms) {
  if (ms <= clock_) return ms == clock_;
  TxResult r = Submit(customs_, "clock.advance", json{{"to", trade::FormatInstant(ms)}});
  if (!r.ok()) {
    Check("clock", "ledger clock advanced to " + trade::FormatInstant(ms), "OK", r.code);
    return false;
  }
  clock_ = ms;
  ++advances_;
  return true;
}

core::Status StoryClient::SyncClock(int64_t start) {
  // Moving the clock to `start` also tells whether the network runs on a ledger clock and
  // whether its clock is already later (a fresh network has no block to prove it from).
  TxResult r = Submit(customs_, "clock.advance", json{{"to", trade::FormatInstant(start)}});
  if (r.ok()) {
    clock_ = start;
    return {};
  }
  if (r.code == "CLOCK_NOT_LEDGER") {
    return core::Fail("NOT_LEDGER_CLOCK",
                      "the network runs on validator clocks; create it with "
                      "`net init --ledger-clock START`");
  }
  if (r.code != "CLOCK_BACKWARDS") {
    return core::Fail("CLOCK_UNAVAILABLE", "clock.advance by the customs key: " + r.code);
  }
  JsonResponse proof = Read(customs_, "/v1/state/proof?key=config/ledger-clock");
  if (proof.status != 200 || !proof.body.contains("value") || !proof.body["value"].is_string()) {
    return core::Fail("CLOCK_UNAVAILABLE", "ledger clock proof: " + StatusOf(proof));
  }
  auto raw = core::FromBase64(proof.body["value"].get<std::string>());
  if (!raw) return core::Fail(raw.error());
  json clock = json::parse(core::AsStringView(*raw), nullptr, false);
  if (!clock.is_object() || !clock.contains("now") || !clock["now"].is_number_integer()) {
    return core::Fail("CLOCK_UNAVAILABLE", "config/ledger-clock is not {\"now\": ms}");
  }
  clock_ = clock["now"].get<int64_t>();
  return {};
}

JsonResponse StoryClient::Read(const crypto::KeyPair& key, const std::string& target) {
  auto r = node_->SignedGet(target, key, chain_);
  if (!r) return TransportError(r.error());
  return *r;
}

JsonResponse StoryClient::Get(const std::string& target) {
  auto r = node_->Get(target);
  if (!r) return TransportError(r.error());
  return *r;
}

JsonResponse StoryClient::Upload(const crypto::KeyPair& key, const std::string& sha256_hex,
                                 const std::string& doc_id, const std::string& bytes) {
  std::map<std::string, std::string> query = {{"sha256", sha256_hex}};
  std::string target = "/v1/attachments?sha256=" + sha256_hex;
  if (!doc_id.empty()) {
    query["docId"] = doc_id;
    target += "&docId=" + api::http::PercentEncode(doc_id);
  }
  auto signed_headers =
      api::SignReadHeaders(chain_, key, NowMs(), "POST", "/v1/attachments", query);
  api::http::Headers headers(signed_headers.begin(), signed_headers.end());
  auto r = raw_->Send("POST", prefix_ + target, bytes, "application/octet-stream",
                      std::chrono::seconds(30), headers);
  if (!r) return TransportError(r.error());
  JsonResponse out{r->status, json::parse(r->body, nullptr, false)};
  if (out.body.is_discarded()) out.body = json::object();
  return out;
}

bool StoryClient::Check(const std::string& section, const std::string& name,
                        const std::string& expected, const std::string& observed) {
  bool pass = expected == observed;
  checks_.push_back({section, clock_, name, expected, observed, pass});
  return pass;
}

int StoryClient::failed() const {
  int n = 0;
  for (const auto& c : checks_) n += c.pass ? 0 : 1;
  return n;
}

}  // namespace tradeledger::cli
