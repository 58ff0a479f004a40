// The `tradeledger` client and network commands, run as processes against a real node.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <sstream>
#include <thread>

#include "core/bytes.h"
#include "node/genesis.h"
#include "node/proof_bundle.h"
#include "tests/e2e/test_network.h"

namespace tradeledger::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

size_t LineCount(const std::string& text) {
  size_t lines = 0;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) ++lines;
  return lines;
}

std::string AnchorPayload(const std::string& doc_id) {
  return json{{"docId", doc_id},
              {"docType", "CERT_OF_ORIGIN"},
              {"contentHash", std::string(64, 'a')},
              {"issuer", "E2E-CLI"},
              {"metadata", {{"agreement", "USMCA"}}}}
      .dump();
}

// Flips one byte of the base64 field `field` of `bundle` (decoded, flipped, re-encoded).
json WithFlippedByte(const json& bundle, const std::string& field, size_t offset) {
  json out = bundle;
  auto raw = core::FromBase64(out[field].get<std::string>());
  if (!raw || offset >= raw->size()) return json();
  (*raw)[offset] ^= 0x01;
  out[field] = core::ToBase64(*raw);
  return out;
}

size_t DecodedSize(const json& bundle, const std::string& field) {
  auto raw = core::FromBase64(bundle[field].get<std::string>());
  return raw ? raw->size() : 0;
}

TEST(CliProof, SubmitPrintsProofThatVerifiesAndRejectsEveryTamperedField) {
  TestNetwork net;
  ASSERT_TRUE(net.ok()) << net.init_result().Describe();
  auto up = net.Up();
  ASSERT_EQ(up.exit_code, 0) << up.Describe();
  const fs::path key = net.scratch() / "client.key";
  auto keygen = RunTradeledger({"keygen", "--out", key.string()});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.Describe();

  // Three submissions, so the last one's inclusion proof has a non-empty audit path.
  json result;
  for (int i = 0; i < 3; ++i) {
    const fs::path payload = net.scratch() / ("payload" + std::to_string(i) + ".json");
    ASSERT_TRUE(WriteFile(payload, AnchorPayload("E2E-CLI-" + std::to_string(i))));
    auto submit = RunTradeledger({"tx", "submit", "--key", key.string(), "--node", net.url(),
                                  "--type", "document.anchor", "--payload", payload.string()});
    ASSERT_EQ(submit.exit_code, 0) << submit.Describe();
    result = json::parse(submit.out, nullptr, false);
    ASSERT_FALSE(result.is_discarded()) << submit.out;
  }
  ASSERT_TRUE(result["tx_id"].is_string());
  EXPECT_EQ(result["tx_id"].get<std::string>().size(), 64u);
  EXPECT_EQ(result.value("status", ""), "committed");
  EXPECT_GE(result.value("height", uint64_t{0}), 1u);
  EXPECT_EQ(result.value("result_code", ""), "OK");
  ASSERT_TRUE(result["proof"].is_object());
  const json proof = result["proof"];
  EXPECT_EQ(proof.value("kind", ""), node::kInclusionBundleKind);
  EXPECT_EQ(proof.value("tx_id", ""), result["tx_id"]);
  EXPECT_EQ(proof.value("height", uint64_t{0}), result["height"]);

  auto down = net.Down();
  ASSERT_EQ(down.exit_code, 0) << down.Describe();  // verification is offline

  const fs::path out = net.scratch() / "out.json";
  ASSERT_TRUE(WriteFile(out, result.dump(2)));
  const std::string validators = net.validators_file().string();
  auto ok = RunTradeledger({"verify", "--proof", out.string(), "--validators", validators});
  EXPECT_EQ(ok.exit_code, 0) << ok.Describe();
  EXPECT_TRUE(ok.out.starts_with("OK: ")) << ok.out;
  // The bare bundle verifies too.
  const fs::path bare = net.scratch() / "bundle.json";
  ASSERT_TRUE(WriteFile(bare, proof.dump()));
  auto bare_ok = RunTradeledger({"verify", "--proof", bare.string(), "--validators", validators});
  EXPECT_EQ(bare_ok.exit_code, 0) << bare_ok.Describe();

  // Through the binary: the first, a middle and the last byte of each field.
  const fs::path tampered = net.scratch() / "tampered.json";
  for (const std::string field : {"transaction", "header", "certificate", "inclusion"}) {
    const size_t size = DecodedSize(proof, field);
    ASSERT_GT(size, 0u) << field;
    for (size_t offset : {size_t{0}, size / 2, size - 1}) {
      SCOPED_TRACE(field + " byte " + std::to_string(offset) + " of " + std::to_string(size));
      json bad = result;
      bad["proof"] = WithFlippedByte(proof, field, offset);
      ASSERT_TRUE(WriteFile(tampered, bad.dump(2)));
      auto r = RunTradeledger({"verify", "--proof", tampered.string(), "--validators", validators});
      EXPECT_EQ(r.exit_code, 1) << r.Describe();
      EXPECT_TRUE(r.out.starts_with("INVALID: ")) << r.Describe();
      EXPECT_EQ(LineCount(r.out), 1u) << r.Describe();
    }
  }

  // In process, exhaustively: no single flipped byte of any field verifies.
  auto trusted = node::ParseValidatorsFile(ReadFileOrEmpty(net.validators_file()));
  ASSERT_TRUE(trusted);
  ASSERT_TRUE(node::VerifyBundle(proof, *trusted));
  std::vector<std::string> accepted;
  for (const std::string field : {"transaction", "header", "certificate", "inclusion"}) {
    for (size_t offset = 0; offset < DecodedSize(proof, field); ++offset) {
      if (node::VerifyBundle(WithFlippedByte(proof, field, offset), *trusted)) {
        accepted.push_back(field + " byte " + std::to_string(offset));
      }
    }
  }
  EXPECT_TRUE(accepted.empty()) << accepted.size()
                                << " tampered bundles verified, first: " << accepted.front();

  // The validators of another network: a different chain, and the same chain id with another
  // validator key.
  TestNetwork other;
  ASSERT_TRUE(other.ok()) << other.init_result().Describe();
  auto foreign = RunTradeledger(
      {"verify", "--proof", out.string(), "--validators", other.validators_file().string()});
  EXPECT_EQ(foreign.exit_code, 1) << foreign.Describe();
  EXPECT_TRUE(foreign.out.starts_with("INVALID: ")) << foreign.Describe();
  EXPECT_EQ(LineCount(foreign.out), 1u) << foreign.Describe();

  json impostor = json::parse(ReadFileOrEmpty(net.validators_file()));
  impostor["validators"][0]["public_key"] = crypto::KeyPair::Generate().public_key.hex();
  const fs::path impostor_file = net.scratch() / "impostor-validators.json";
  ASSERT_TRUE(WriteFile(impostor_file, impostor.dump(2)));
  auto wrong_key =
      RunTradeledger({"verify", "--proof", out.string(), "--validators", impostor_file.string()});
  EXPECT_EQ(wrong_key.exit_code, 1) << wrong_key.Describe();
  EXPECT_TRUE(wrong_key.out.starts_with("INVALID: ")) << wrong_key.Describe();
}

TEST(CliKeyFile, SubmitNamesMissingCorruptAndWorldReadableKeyFiles) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const fs::path payload = dir.path() / "payload.json";
  ASSERT_TRUE(WriteFile(payload, AnchorPayload("E2E-KEY")));
  // No node listens here: each key error must be reported before any connection is tried.
  const std::string url = "http://127.0.0.1:" + std::to_string(FreePort());
  auto submit = [&](const fs::path& key) {
    return RunTradeledger({"tx", "submit", "--key", key.string(), "--node", url, "--type",
                           "document.anchor", "--payload", payload.string(), "--timeout-ms",
                           "2000"});
  };
  auto expect_code = [](const CommandResult& r, const std::string& code) {
    EXPECT_NE(r.exit_code, 0) << r.Describe();
    EXPECT_NE(r.err.find(code), std::string::npos) << "expected " << code << "\n" << r.Describe();
  };

  expect_code(submit(dir.path() / "missing.key"), "KEY_FILE_MISSING");

  const fs::path good = dir.path() / "good.key";
  ASSERT_EQ(RunTradeledger({"keygen", "--out", good.string()}).exit_code, 0);
  const std::string good_text = ReadFileOrEmpty(good);
  const std::vector<std::pair<std::string, std::string>> corrupt = {
      {"garbage", "this is not a key file\n"},
      {"empty", ""},
      {"truncated", good_text.substr(0, good_text.size() / 2)},
      {"seed does not match public key",
       good_text.substr(0, good_text.find("public ")) + "public " + std::string(64, '0') + "\n"},
  };
  for (size_t i = 0; i < corrupt.size(); ++i) {
    SCOPED_TRACE(corrupt[i].first);
    const fs::path key = dir.path() / ("corrupt-" + std::to_string(i) + ".key");
    ASSERT_TRUE(WriteFile(key, corrupt[i].second));
    ASSERT_EQ(::chmod(key.c_str(), 0600), 0);
    expect_code(submit(key), "KEY_FILE_CORRUPT");
  }

  const fs::path readable = dir.path() / "readable.key";
  ASSERT_EQ(RunTradeledger({"keygen", "--out", readable.string()}).exit_code, 0);
  ASSERT_EQ(::chmod(readable.c_str(), 0644), 0);
  expect_code(submit(readable), "KEY_FILE_PERMISSIONS");

  // keygen never overwrites a key.
  auto again = RunTradeledger({"keygen", "--out", good.string()});
  expect_code(again, "KEY_FILE_EXISTS");
  EXPECT_EQ(ReadFileOrEmpty(good), good_text);
}

// Files handed to `verify` and `audit` that are not what they claim to be: each is named, with
// exit code 1 (a file that does not parse) or 2 (a data directory that cannot be opened).
TEST(CliFiles, VerifyAndAuditNameMalformedFilesWithTheirExitCodes) {
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  const std::string chain(64, 'a');
  json validators = {{"chain_id", chain}, {"validators", json::array()}};
  for (int i = 0; i < 2; ++i) {
    validators["validators"].push_back(
        {{"name", "v" + std::to_string(i)},
         {"public_key", crypto::KeyPair::Generate().public_key.hex()}});
  }
  const fs::path good = dir.path() / "validators.json";
  ASSERT_TRUE(WriteFile(good, validators.dump()));
  const fs::path proof = dir.path() / "proof.json";
  ASSERT_TRUE(
      WriteFile(proof, json{{"kind", node::kInclusionBundleKind}, {"chain_id", chain}}.dump() +
                           "\n} trailing garbage"));
  auto verify = [&](const fs::path& proof_file, const fs::path& validators_file) {
    return RunTradeledger(
        {"verify", "--proof", proof_file.string(), "--validators", validators_file.string()});
  };
  auto expect = [](const CommandResult& r, int exit_code, const std::string& text) {
    EXPECT_EQ(r.exit_code, exit_code) << r.Describe();
    EXPECT_NE(r.err.find(text), std::string::npos) << "expected " << text << "\n" << r.Describe();
  };
  expect(verify(proof, good), 1, "INVALID: PROOF_MALFORMED");
  expect(verify(dir.path() / "absent.json", good), 1, "FILE_READ_FAILED");

  json duplicate = validators;
  duplicate["validators"].push_back(validators["validators"][0]);
  json bad_hex = validators;
  bad_hex["validators"][1]["public_key"] = std::string(64, 'g');
  for (const json& bad : {duplicate, bad_hex}) {
    const fs::path file = dir.path() / "bad-validators.json";
    ASSERT_TRUE(WriteFile(file, bad.dump()));
    expect(verify(proof, file), 1, "VALIDATORS_FILE_INVALID");
  }

  expect(RunTradeledger({"audit", "--data", (dir.path() / "no-such-dir").string()}), 2,
         "STORAGE_ERROR");
}

TEST(NetLifecycle, InitRefusesExistingDirUpIsIdempotentDownStopsTheNode) {
  TestNetwork net(/*bare=*/false);  // with a customs authority, as `net init` makes by default
  ASSERT_TRUE(net.ok()) << net.init_result().Describe();
  const std::string genesis = ReadFileOrEmpty(net.dir() / "genesis.json");
  ASSERT_FALSE(genesis.empty());
  auto reinit = RunTradeledger({"net", "init", "--validators", "1", "--dir", net.dir().string(),
                                "--base-port", std::to_string(FreePort())});
  EXPECT_NE(reinit.exit_code, 0) << reinit.Describe();
  EXPECT_NE(reinit.err.find("already holds a network"), std::string::npos) << reinit.Describe();
  EXPECT_EQ(ReadFileOrEmpty(net.dir() / "genesis.json"), genesis);

  const std::string node_url = net.url();
  auto up = net.Up();
  ASSERT_EQ(up.exit_code, 0) << up.Describe();
  EXPECT_NE(up.out.find(node_url), std::string::npos) << up.Describe();
  auto pid = static_cast<pid_t>(std::stol(ReadFileOrEmpty(net.node_dir() / "node.pid")));
  ASSERT_TRUE(ProcessAlive(pid));
  ASSERT_TRUE(net.Health());

  // A second `net up` finds the node running: same pid, same URL, success.
  auto up_again = net.Up();
  EXPECT_EQ(up_again.exit_code, 0) << up_again.Describe();
  EXPECT_NE(up_again.out.find(node_url), std::string::npos) << up_again.Describe();
  EXPECT_EQ(static_cast<pid_t>(std::stol(ReadFileOrEmpty(net.node_dir() / "node.pid"))), pid);

  // The audit refuses a data directory a running node holds.
  auto busy = net.Audit();
  EXPECT_EQ(busy.exit_code, 2) << busy.Describe();

  auto down = net.Down();
  EXPECT_EQ(down.exit_code, 0) << down.Describe();
  EXPECT_FALSE(ProcessAlive(pid)) << "net down returned with the node still running";
  EXPECT_FALSE(fs::exists(net.node_dir() / "node.pid"));
  EXPECT_FALSE(net.Health(std::chrono::milliseconds(500)));
  auto down_again = net.Down();
  EXPECT_EQ(down_again.exit_code, 0) << down_again.Describe();

  // The network comes back up on the same chain.
  auto up_after = net.Up();
  EXPECT_EQ(up_after.exit_code, 0) << up_after.Describe();
  EXPECT_TRUE(net.Health());
  EXPECT_EQ(net.Down().exit_code, 0);
  auto audit = net.Audit();
  EXPECT_EQ(audit.exit_code, 0) << audit.Describe();
}

// CLI conventions: --version, a suggestion for a misspelt command, and a transaction body read
// from standard input with `--payload -`.
TEST(CliConventions, VersionSuggestionsAndPayloadFromStandardInput) {
  auto version = RunTradeledger({"--version"});
  EXPECT_EQ(version.exit_code, 0) << version.Describe();
  EXPECT_EQ(version.out, "tradeledger " TL_VERSION "\n");
  auto misspelt = RunTradeledger({"genesis", "sing", "--genesis", "g.json"});
  EXPECT_EQ(misspelt.exit_code, 64) << misspelt.Describe();
  EXPECT_NE(misspelt.err.find("did you mean 'sign'?"), std::string::npos) << misspelt.Describe();
  auto top = RunTradeledger({"nett", "up"});
  EXPECT_EQ(top.exit_code, 64) << top.Describe();
  auto bad_flag = RunTradeledger({"verify", "--no-such-flag"});
  EXPECT_EQ(bad_flag.exit_code, 64) << bad_flag.Describe();
  EXPECT_NE(top.err.find("did you mean 'net'?"), std::string::npos) << top.Describe();

  TestNetwork net;
  ASSERT_TRUE(net.ok()) << net.init_result().Describe();
  auto up = net.Up();
  ASSERT_EQ(up.exit_code, 0) << up.Describe();
  const fs::path key = net.scratch() / "client.key";
  ASSERT_EQ(RunTradeledger({"keygen", "--out", key.string()}).exit_code, 0);
  const fs::path payload = net.scratch() / "stdin.json";
  ASSERT_TRUE(WriteFile(payload, AnchorPayload("E2E-STDIN")));
  auto submit = RunCommand({"/bin/sh", "-c",
                            "exec \"$0\" tx submit --key \"$1\" --node \"$2\" --type "
                            "document.anchor --payload - < \"$3\"",
                            TradeledgerBinary(), key.string(), net.url(), payload.string()});
  ASSERT_EQ(submit.exit_code, 0) << submit.Describe();
  json result = json::parse(submit.out, nullptr, false);
  ASSERT_FALSE(result.is_discarded()) << submit.out;
  EXPECT_EQ(result.value("result_code", ""), "OK");
  auto empty = RunTradeledger({"tx", "submit", "--key", key.string(), "--node", net.url(), "--type",
                               "document.anchor", "--payload", "-"});
  EXPECT_EQ(empty.exit_code, 1) << empty.Describe();  // /dev/null: not valid JSON
  EXPECT_NE(empty.err.find("not valid JSON"), std::string::npos) << empty.Describe();
  EXPECT_EQ(net.Down().exit_code, 0);
}

// With "metrics": {"port": P} in its config, a node serves GET /metrics on that port only, and
// its API port answers 404 for it.
TEST(NodeMetricsPort, MetricsMoveToTheirOwnPort) {
  TestNetwork net;
  ASSERT_TRUE(net.ok()) << net.init_result().Describe();
  json config = json::parse(ReadFileOrEmpty(net.config_file()));
  const uint16_t metrics_port = FreePort();
  config["metrics"] = {{"address", "127.0.0.1"}, {"port", metrics_port}};
  ASSERT_TRUE(WriteFile(net.config_file(), config.dump(2)));
  ASSERT_TRUE(net.StartNode().has_value()) << ReadFileOrEmpty(net.log_file());

  api::http::Client metrics("127.0.0.1", metrics_port);
  SubmitResult scraped = SendJson(metrics, "GET", "/metrics");
  EXPECT_EQ(scraped.status, 200);
  EXPECT_NE(scraped.body.value("raw", "").find("tradeledger_height "), std::string::npos)
      << scraped.body.dump();
  EXPECT_EQ(SendJson(metrics, "GET", "/health").status, 404);
  api::http::Client api("127.0.0.1", net.port());
  SubmitResult on_api = SendJson(api, "GET", "/metrics");
  EXPECT_EQ(on_api.status, 404);
  EXPECT_EQ(on_api.body["error"]["code"], "ROUTE_NOT_FOUND");
  EXPECT_EQ(SendJson(api, "GET", "/health").status, 200);
  EXPECT_NE(ReadFileOrEmpty(net.log_file()).find("metrics on http://127.0.0.1:"),
            std::string::npos);
  EXPECT_EQ(net.StopNode(SIGTERM), 0);
}

}  // namespace
}  // namespace tradeledger::e2e
