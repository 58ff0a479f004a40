// `net init --tls`: a network whose API speaks only HTTPS, driven through the CLI as a user
// would, with the network's CA given by --ca-file or $TL_CA_FILE, and without it.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <cstdlib>
#include <thread>

#include "tests/e2e/test_network.h"

namespace tradeledger::e2e {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// Stops, on destruction, the node `net up` started in `dir` (checked by its command line).
class NodeReaper {
 public:
  explicit NodeReaper(fs::path dir) : dir_(std::move(dir)) {}
  ~NodeReaper() {
    auto pid = static_cast<pid_t>(std::atol(ReadFileOrEmpty(dir_ / "node1" / "node.pid").c_str()));
    if (pid <= 0 || !ProcessAlive(pid)) return;
    std::string cmdline = ReadFileOrEmpty("/proc/" + std::to_string(pid) + "/cmdline");
    if (cmdline.find(dir_.string()) == std::string::npos) return;
    ::kill(pid, SIGKILL);
    for (int i = 0; i < 500 && ProcessAlive(pid); ++i) std::this_thread::sleep_for(10ms);
  }
  NodeReaper(const NodeReaper&) = delete;
  NodeReaper& operator=(const NodeReaper&) = delete;

 private:
  fs::path dir_;
};

// Sets an environment variable for the commands this test runs, and unsets it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string& value) : name_(name) {
    ::setenv(name, value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
};

TEST(CliTls, NetInitTlsServesHttpsAndClientsNeedTheNetworkCa) {
  ::unsetenv("TL_CA_FILE");  // the system trust store, which does not know the network CA
  TempDir root;
  const uint16_t port = FreePort();
  ASSERT_FALSE(root.path().empty());
  ASSERT_NE(port, 0);
  const fs::path dir = root.path() / "net";
  auto init = RunTradeledger({"net", "init", "--validators", "1", "--dir", dir.string(),
                              "--base-port", std::to_string(port), "--tls"});
  ASSERT_EQ(init.exit_code, 0) << init.Describe();
  const fs::path ca = dir / "tls" / "ca.pem";
  EXPECT_NE(init.out.find("--ca-file " + ca.string()), std::string::npos) << init.Describe();
  struct stat key_stat {};
  ASSERT_EQ(::stat((dir / "node1" / "tls_key.pem").c_str(), &key_stat), 0);
  EXPECT_EQ(key_stat.st_mode & 0777, 0600u);

  NodeReaper reaper(dir);
  auto up = RunTradeledger({"net", "up", "--dir", dir.string()}, 90s);
  ASSERT_EQ(up.exit_code, 0) << up.Describe() << ReadFileOrEmpty(dir / "node1" / "node.log");
  const std::string url = "https://127.0.0.1:" + std::to_string(port);
  EXPECT_NE(up.out.find("node1 " + url), std::string::npos) << up.Describe();
  EXPECT_NE(ReadFileOrEmpty(dir / "node1" / "node.log").find("API " + url), std::string::npos);

  // The customs administrator admits an organisation, over HTTPS, trusting the network CA.
  const fs::path member_key = root.path() / "member.key";
  auto keygen = RunTradeledger({"keygen", "--out", member_key.string()});
  ASSERT_EQ(keygen.exit_code, 0) << keygen.Describe();
  std::string member = keygen.out.substr(0, keygen.out.find('\n'));
  const fs::path org = root.path() / "org.json";
  ASSERT_TRUE(WriteFile(
      org, json{{"orgId", "MX-P"},
                {"legalName", "Autopartes MX S.A."},
                {"country", "MX"},
                {"roles", {"EXPORTER"}},
                {"members", {{{"publicKey", member}, {"roles", {"EXPORTER"}}, {"admin", true}}}}}
               .dump()));
  const std::string admin_key = (dir / "customs" / "admin.key").string();
  const std::vector<std::string> submit = {"tx", "submit", "--key",     admin_key,   "--node",
                                           url,  "--type", "org.admit", "--payload", org.string()};
  std::vector<std::string> trusted_submit = submit;
  trusted_submit.insert(trusted_submit.end(), {"--ca-file", ca.string()});
  auto submitted = RunTradeledger(trusted_submit);
  ASSERT_EQ(submitted.exit_code, 0) << submitted.Describe();
  json receipt = json::parse(submitted.out, nullptr, false);
  ASSERT_FALSE(receipt.is_discarded()) << submitted.out;
  EXPECT_EQ(receipt.value("status", ""), "committed");
  EXPECT_EQ(receipt.value("result_code", ""), "OK");

  // A signed read over HTTPS: the CA from --ca-file, or from $TL_CA_FILE; by IP or by name.
  auto read = RunTradeledger({"get", "--key", admin_key, "--node", url, "--ca-file", ca.string(),
                              "/v1/organisations/MX-P"});
  ASSERT_EQ(read.exit_code, 0) << read.Describe();
  EXPECT_NE(read.out.find("Autopartes MX"), std::string::npos) << read.Describe();
  {
    ScopedEnv env("TL_CA_FILE", ca.string());
    auto by_env =
        RunTradeledger({"get", "--key", admin_key, "--node",
                        "https://localhost:" + std::to_string(port), "/v1/organisations/MX-P"});
    EXPECT_EQ(by_env.exit_code, 0) << by_env.Describe();
  }

  // Without the network CA the node's certificate is not trusted, and nothing is sent.
  auto untrusted = RunTradeledger(submit);
  EXPECT_EQ(untrusted.exit_code, 1) << untrusted.Describe();
  EXPECT_NE(untrusted.err.find("HTTP_TLS_FAILED"), std::string::npos) << untrusted.Describe();
  EXPECT_NE(untrusted.err.find("--ca-file"), std::string::npos) << untrusted.Describe();
  auto untrusted_read =
      RunTradeledger({"get", "--key", admin_key, "--node", url, "/v1/organisations/MX-P"});
  EXPECT_EQ(untrusted_read.exit_code, 1) << untrusted_read.Describe();
  EXPECT_NE(untrusted_read.err.find("HTTP_TLS_FAILED"), std::string::npos)
      << untrusted_read.Describe();
  // Plain HTTP to the HTTPS port gets no answer.
  auto plain =
      RunTradeledger({"get", "--key", admin_key, "--node",
                      "http://127.0.0.1:" + std::to_string(port), "/v1/organisations/MX-P"});
  EXPECT_NE(plain.exit_code, 0) << plain.Describe();

  auto down = RunTradeledger({"net", "down", "--dir", dir.string()});
  EXPECT_EQ(down.exit_code, 0) << down.Describe();
}

}  // namespace
}  // namespace tradeledger::e2e
