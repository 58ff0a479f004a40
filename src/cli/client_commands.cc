// keygen, tx submit, verify, audit.
#include <chrono>
#include <cstdio>

#include "cli/commands.h"
#include "cli/ior_client.h"
#include "cli/node_client.h"
#include "crypto/key_file.h"
#include "node/audit.h"
#include "node/proof_bundle.h"
#include "storage/rocksdb_store.h"

namespace tradeledger::cli {
namespace {

int Error(const char* command, const std::string& message, int code = 1) {
  std::fprintf(stderr, "tradeledger %s: %s\n", command, message.c_str());
  return code;
}

uint64_t MicrosSinceEpoch() {
  return static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count());
}

}  // namespace

int Keygen(const std::string& out) {
  crypto::KeyPair key = crypto::KeyPair::Generate();
  if (auto ok = crypto::WriteKeyFile(out, key); !ok) {
    return Error("keygen", ok.error().ToString());
  }
  std::printf("%s\n", key.public_key.hex().c_str());
  return 0;
}

namespace {
core::Result<std::string> ReadStdin(size_t max_bytes) {
  std::string out;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), stdin)) > 0) {
    out.append(buffer, n);
    if (out.size() > max_bytes) {
      return core::Fail("FILE_TOO_LARGE",
                        "standard input holds more than " + std::to_string(max_bytes) + " bytes");
    }
  }
  if (std::ferror(stdin)) return core::Fail("FILE_READ_FAILED", "cannot read standard input");
  return out;
}
}  // namespace

int TxSubmit(const SubmitOptions& o) {
  auto key = crypto::ReadKeyFile(o.key_file);
  if (!key) return Error("tx submit", key.error().ToString());
  // "-" reads the body from standard input, as git and kubectl do.
  auto body = o.payload_file == "-" ? ReadStdin(ledger::kMaxTransactionBytes)
                                    : node::ReadFile(o.payload_file, ledger::kMaxTransactionBytes);
  if (!body) return Error("tx submit", body.error().ToString());
  auto parsed = nlohmann::json::parse(*body, nullptr, false);
  if (parsed.is_discarded()) return Error("tx submit", o.payload_file + " is not valid JSON");
  auto client = NodeClient::Connect(o.node_url);
  if (!client) return Error("tx submit", client.error().ToString());
  auto chain = client->ChainId();
  if (!chain) return Error("tx submit", chain.error().ToString());
  // A clear IOR number is hashed here, before signing: it never leaves this machine.
  if (parsed.is_object() && parsed.contains("iorNumber")) {
    auto salt = FetchIorSalt(*client, *key, *chain);
    if (!salt) return Error("tx submit", salt.error().ToString());
    auto hashed = HashIorNumberField(std::move(parsed), *salt);
    if (!hashed) return Error("tx submit", hashed.error().ToString());
    *body = hashed->dump();
  }

  ledger::TxPayload payload;
  payload.chain_id = *chain;
  payload.type = o.type;
  payload.nonce = o.nonce ? o.nonce : MicrosSinceEpoch();
  payload.body = core::ToBytes(*body);
  auto encoded = ledger::TxPayload::Decode(payload.Encode());
  if (!encoded) return Error("tx submit", encoded.error().ToString());
  auto tx = ledger::SignedTransaction::Sign(payload, *key);

  auto r = client->SubmitAndWait(tx, std::chrono::milliseconds(o.timeout_ms));
  if (!r) return Error("tx submit", r.error().ToString());
  if (r->status == 202) {
    return Error("tx submit",
                 "transaction " + tx.id().hex() + " is not committed after " +
                     std::to_string(o.timeout_ms) + " ms",
                 4);
  }
  if (r->status != 200) return Error("tx submit", DescribeError(*r));
  auto proof = client->SignedGet("/v1/proofs/inclusion/" + tx.id().hex(), *key, *chain);
  if (!proof) return Error("tx submit", proof.error().ToString());
  if (proof->status != 200) return Error("tx submit", "proof: " + DescribeError(*proof));

  nlohmann::ordered_json out;
  out["tx_id"] = tx.id().hex();
  out["status"] = "committed";
  out["height"] = r->body.value("height", 0);
  out["position"] = r->body.value("position", 0);
  out["result_code"] = r->body.value("result_code", "");
  out["reasons"] = r->body.value("reasons", nlohmann::json::array());
  out["proof"] = proof->body;
  std::printf("%s\n", out.dump(2).c_str());
  return out["result_code"] == "OK" ? 0 : 3;
}

int Get(const std::string& key_file, const std::string& node_url, const std::string& target) {
  auto key = crypto::ReadKeyFile(key_file);
  if (!key) return Error("get", key.error().ToString());
  auto client = NodeClient::Connect(node_url);
  if (!client) return Error("get", client.error().ToString());
  auto chain = client->ChainId();
  if (!chain) return Error("get", chain.error().ToString());
  auto r = client->SignedGet(target, *key, *chain);
  if (!r) return Error("get", r.error().ToString());
  if (r->status != 200) return Error("get", DescribeError(*r));
  std::printf("%s\n", r->body.dump(2).c_str());
  return 0;
}

int Verify(const std::string& proof_file, const std::string& validators_file) {
  auto validators_text = node::ReadFile(validators_file);
  if (!validators_text) return Error("verify", validators_text.error().ToString());
  auto trusted = node::ParseValidatorsFile(*validators_text);
  if (!trusted) return Error("verify", trusted.error().ToString());
  auto proof_text = node::ReadFile(proof_file);
  if (!proof_text) return Error("verify", proof_text.error().ToString());
  auto bundle = nlohmann::json::parse(*proof_text, nullptr, false);
  if (bundle.is_discarded()) return Error("verify", "INVALID: PROOF_MALFORMED: not JSON");
  if (bundle.is_object() && !bundle.contains("kind") && bundle.contains("proof")) {
    bundle = bundle["proof"];  // the output of `tx submit`
  }
  auto verified = node::VerifyBundle(bundle, *trusted);
  if (!verified) {
    std::printf("INVALID: %s\n", verified.error().ToString().c_str());
    return 1;
  }
  std::printf("OK: %s\n", verified->summary.c_str());
  return 0;
}

int AuditCommand(const std::string& data_dir, const std::string& genesis_file) {
  storage::RocksDbOptions options;
  options.create_if_missing = false;
  auto store = storage::RocksDbStore::Open(data_dir, options);
  if (!store) {
    if (store.error().code == "STORAGE_LOCKED") {
      return Error("audit", data_dir + " is in use: stop the node first", 2);
    }
    return Error("audit", store.error().ToString(), 2);
  }
  node::LedgerStore ledger(**store);
  std::optional<node::Genesis> genesis;
  if (!genesis_file.empty()) {
    auto g = node::Genesis::Load(genesis_file);
    if (!g) return Error("audit", g.error().ToString(), 2);
    genesis = std::move(*g);
  } else {
    auto raw = ledger.ReadGenesisFile();
    if (!raw || !*raw) return Error("audit", "FAILED at height 0: no genesis in " + data_dir);
    auto g = node::Genesis::Parse(core::AsStringView(**raw));
    if (!g) return Error("audit", "FAILED at height 0: " + g.error().ToString());
    genesis = std::move(*g);
  }
  auto report = node::Audit(**store, *genesis);
  if (!report) {
    std::printf("audit FAILED at height %llu: %s\n",
                static_cast<unsigned long long>(report.error().height.value),
                report.error().reason.c_str());
    return 1;
  }
  std::printf(
      "audit OK: %llu blocks, %llu transactions; every hash link, commit certificate, "
      "signature, index entry, log node and state root verified\nlog root %s\nstate root %s\n",
      static_cast<unsigned long long>(report->tip.value),
      static_cast<unsigned long long>(report->transactions), report->log_root.hex().c_str(),
      report->state_root.hex().c_str());
  return 0;
}

}  // namespace tradeledger::cli
