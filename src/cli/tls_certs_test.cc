// The certificates of `net init --tls`, checked with OpenSSL's own verifier, and the node
// configuration fields that point at them.
#include "cli/tls_certs.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "node/config.h"
#include "node/genesis.h"

namespace tradeledger::cli {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr ParseCertificate(const std::string& pem) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  X509Ptr cert(PEM_read_bio_X509(bio, nullptr, nullptr, nullptr));
  BIO_free(bio);
  return cert;
}

// True if `cert` verifies as a TLS server certificate against the single trusted `ca`.
bool VerifiesAsServer(X509* cert, X509* ca) {
  X509_STORE* store = X509_STORE_new();
  X509_STORE_add_cert(store, ca);
  X509_STORE_CTX* context = X509_STORE_CTX_new();
  X509_STORE_CTX_init(context, store, cert, nullptr);
  X509_STORE_CTX_set_purpose(context, X509_PURPOSE_SSL_SERVER);
  bool ok = X509_verify_cert(context) == 1;
  X509_STORE_CTX_free(context);
  X509_STORE_free(store);
  return ok;
}

mode_t ModeOf(const fs::path& path) {
  struct stat st {};
  ::stat(path.c_str(), &st);
  return st.st_mode & 0777;
}

class TempDir {
 public:
  TempDir() {
    std::string pattern = "/tmp/tl-tls-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

TEST(TlsCerts, CaIsSelfSignedP256AndMaySignOnlyEndEntities) {
  auto ca = CreateCertificateAuthority("Test CA", 24h);
  ASSERT_TRUE(ca) << ca.error().ToString();
  EXPECT_TRUE(ca->certificate.starts_with("-----BEGIN CERTIFICATE-----"));
  EXPECT_TRUE(ca->private_key.starts_with("-----BEGIN PRIVATE KEY-----"));
  X509Ptr cert = ParseCertificate(ca->certificate);
  ASSERT_TRUE(cert);
  EXPECT_EQ(X509_check_ca(cert.get()), 1);
  EXPECT_EQ(X509_get_pathlen(cert.get()), 0);
  EXPECT_FALSE(VerifiesAsServer(cert.get(), cert.get())) << "a CA certificate is no server's";
  EVP_PKEY* key = X509_get0_pubkey(cert.get());
  ASSERT_NE(key, nullptr);
  EXPECT_EQ(EVP_PKEY_get_base_id(key), EVP_PKEY_EC);
  char group[32] = {};
  size_t group_length = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(key, group, sizeof group, &group_length), 1);
  EXPECT_STREQ(group, "prime256v1");
  EXPECT_EQ(X509_verify(cert.get(), key), 1) << "self-signed";
}

TEST(TlsCerts, ServerCertificateVerifiesAgainstItsCaAndNamesOnlyTheGivenHosts) {
  auto ca = CreateCertificateAuthority("Test CA", 24h);
  ASSERT_TRUE(ca) << ca.error().ToString();
  ServerCertificateSpec spec;
  spec.common_name = "node1";
  spec.dns_names = {"localhost"};
  spec.ip_addresses = {"127.0.0.1", "::1"};
  auto server = IssueServerCertificate(*ca, spec);
  ASSERT_TRUE(server) << server.error().ToString();

  X509Ptr ca_cert = ParseCertificate(ca->certificate);
  X509Ptr cert = ParseCertificate(server->certificate);
  ASSERT_TRUE(ca_cert && cert);
  EXPECT_TRUE(VerifiesAsServer(cert.get(), ca_cert.get()));
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "::1", 0), 1);
  EXPECT_NE(X509_check_host(cert.get(), "node1", 0, 0, nullptr), 1) << "CN is not a SAN";
  EXPECT_NE(X509_check_host(cert.get(), "example.com", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_ip_asc(cert.get(), "10.0.0.1", 0), 1);

  // Signed by another CA, it does not verify against this one.
  auto other = CreateCertificateAuthority("Other CA", 24h);
  ASSERT_TRUE(other);
  X509Ptr other_cert = ParseCertificate(other->certificate);
  EXPECT_FALSE(VerifiesAsServer(cert.get(), other_cert.get()));
}

TEST(TlsCerts, RejectsMalformedNamesAddressesAndCa) {
  auto ca = CreateCertificateAuthority("Test CA", 24h);
  ASSERT_TRUE(ca);
  ServerCertificateSpec spec;
  spec.common_name = "node1";
  spec.dns_names = {"localhost,IP:10.0.0.1"};
  EXPECT_EQ(IssueServerCertificate(*ca, spec).error().code, "TLS_CERT_FAILED");
  spec.dns_names = {};
  spec.ip_addresses = {"300.1.1.1"};
  EXPECT_EQ(IssueServerCertificate(*ca, spec).error().code, "TLS_CERT_FAILED");
  spec.ip_addresses = {};
  EXPECT_EQ(IssueServerCertificate(*ca, spec).error().code, "TLS_CERT_FAILED");
  spec.ip_addresses = {"127.0.0.1"};
  PemCredentials broken = *ca;
  broken.private_key = "not a key";
  EXPECT_EQ(IssueServerCertificate(broken, spec).error().code, "TLS_CERT_FAILED");
  auto other = CreateCertificateAuthority("Other CA", 24h);
  ASSERT_TRUE(other);
  broken.private_key = other->private_key;  // a key that is not the CA's
  EXPECT_EQ(IssueServerCertificate(broken, spec).error().code, "TLS_CERT_FAILED");
}

TEST(TlsCerts, WritePemFileSetsModesAndNeverOverwrites) {
  TempDir dir;
  const fs::path key = dir.path() / "key.pem";
  const fs::path cert = dir.path() / "cert.pem";
  ASSERT_TRUE(WritePemFile(key.string(), "secret", true));
  ASSERT_TRUE(WritePemFile(cert.string(), "public", false));
  EXPECT_EQ(ModeOf(key), 0600u);
  EXPECT_EQ(ModeOf(cert), 0644u);
  auto again = WritePemFile(key.string(), "other", true);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "TLS_FILE_FAILED");
  EXPECT_EQ(*node::ReadFile(key.string()), "secret");
}

TEST(TlsCerts, WriteNetworkTlsCertifiesEveryNodeAndUpdatesOnlyItsTlsFields) {
  TempDir dir;
  for (int i = 1; i <= 2; ++i) {
    fs::path node_dir = dir.path() / ("node" + std::to_string(i));
    fs::create_directories(node_dir);
    node::NodeConfig config;
    config.data_dir = "data";
    config.key_file = "validator.key";
    config.genesis_file = "../genesis.json";
    config.http_port = static_cast<uint16_t>(7710 + i);
    std::ofstream(node_dir / "config.json") << config.Render();
  }
  fs::create_directories(dir.path() / "customs");  // no config.json: not a node

  auto ca_file = WriteNetworkTls(dir.path().string());
  ASSERT_TRUE(ca_file) << ca_file.error().ToString();
  EXPECT_EQ(*ca_file, NetworkCaFile(dir.path().string()));
  EXPECT_EQ(ModeOf(dir.path() / "tls" / "ca.key"), 0600u);
  X509Ptr ca = ParseCertificate(*node::ReadFile(*ca_file));
  ASSERT_TRUE(ca);
  EXPECT_FALSE(fs::exists(dir.path() / "customs" / "tls_cert.pem"));

  for (int i = 1; i <= 2; ++i) {
    fs::path node_dir = dir.path() / ("node" + std::to_string(i));
    EXPECT_EQ(ModeOf(node_dir / "tls_key.pem"), 0600u);
    X509Ptr cert = ParseCertificate(*node::ReadFile((node_dir / "tls_cert.pem").string()));
    ASSERT_TRUE(cert);
    EXPECT_TRUE(VerifiesAsServer(cert.get(), ca.get()));
    EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
    EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);

    auto config = node::NodeConfig::Load((node_dir / "config.json").string());
    ASSERT_TRUE(config) << config.error().ToString();
    EXPECT_EQ(config->http_tls_cert, (node_dir / "tls_cert.pem").string());
    EXPECT_EQ(config->http_tls_key, (node_dir / "tls_key.pem").string());
    EXPECT_EQ(config->http_port, 7710 + i);
    EXPECT_EQ(config->data_dir, (node_dir / "data").string());
    auto json = nlohmann::json::parse(*node::ReadFile((node_dir / "config.json").string()));
    EXPECT_EQ(json["http"]["tls_cert"], "tls_cert.pem") << "written relative, as the others";
  }
  // A second run refuses to replace the CA or any key.
  auto again = WriteNetworkTls(dir.path().string());
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "TLS_FILE_FAILED");
}

TEST(NodeConfigTls, CertAndKeyResolveAgainstTheConfigDirAndComeTogether) {
  const std::string base = R"({"data_dir": "d", "key_file": "k", "genesis_file": "g", "http": )";
  auto both =
      node::NodeConfig::Parse(base + R"({"tls_cert": "c.pem", "tls_key": "/x/k.pem"}})", "/etc/tl");
  ASSERT_TRUE(both) << both.error().ToString();
  EXPECT_EQ(both->http_tls_cert, "/etc/tl/c.pem");
  EXPECT_EQ(both->http_tls_key, "/x/k.pem");
  auto rendered = node::NodeConfig::Parse(both->Render(), "/elsewhere");
  ASSERT_TRUE(rendered);
  EXPECT_EQ(rendered->http_tls_cert, "/etc/tl/c.pem");

  auto plain = node::NodeConfig::Parse(base + "{}}", "/etc/tl");
  ASSERT_TRUE(plain);
  EXPECT_TRUE(plain->http_tls_cert.empty());
  EXPECT_EQ(plain->Render().find("tls_"), std::string::npos);

  for (const char* half : {R"({"tls_cert": "c.pem"}})", R"({"tls_key": "k.pem"}})",
                           R"({"tls_cert": "", "tls_key": "k.pem"}})"}) {
    auto r = node::NodeConfig::Parse(base + half, "/etc/tl");
    ASSERT_FALSE(r) << half;
    EXPECT_EQ(r.error().code, "CONFIG_INVALID") << half;
  }
}

}  // namespace
}  // namespace tradeledger::cli
