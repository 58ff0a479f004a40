#include "cli/tls_certs.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "node/config.h"
#include "node/genesis.h"

namespace tradeledger::cli {
namespace {

namespace fs = std::filesystem;

template <typename T, void (*Free)(T*)>
struct OpenSslFree {
  void operator()(T* p) const { Free(p); }
};
using BioPtr = std::unique_ptr<BIO, OpenSslFree<BIO, BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslFree<BIGNUM, BN_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, OpenSslFree<GENERAL_NAME, GENERAL_NAME_free>>;
using GeneralNamesPtr =
    std::unique_ptr<GENERAL_NAMES, OpenSslFree<GENERAL_NAMES, GENERAL_NAMES_free>>;
using KeyContextPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslFree<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using KeyPtr = std::unique_ptr<EVP_PKEY, OpenSslFree<EVP_PKEY, EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslFree<X509, X509_free>>;
using ExtensionPtr =
    std::unique_ptr<X509_EXTENSION, OpenSslFree<X509_EXTENSION, X509_EXTENSION_free>>;

constexpr std::chrono::hours kCaValidity{24 * 3650};
constexpr char kCaDir[] = "tls";
constexpr char kNodeCertFile[] = "tls_cert.pem";
constexpr char kNodeKeyFile[] = "tls_key.pem";

// TLS_CERT_FAILED with `what` and the reason OpenSSL queued, if any; clears the queue.
std::unexpected<core::Error> OpenSslFailure(const std::string& what) {
  std::string reason;
  while (unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    reason = text;
  }
  return core::Fail("TLS_CERT_FAILED", reason.empty() ? what : what + ": " + reason);
}

core::Result<KeyPtr> GenerateP256Key() {
  KeyContextPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  EVP_PKEY* key = nullptr;
  if (!context || EVP_PKEY_keygen_init(context.get()) != 1 ||
      EVP_PKEY_CTX_set_group_name(context.get(), "P-256") != 1 ||
      EVP_PKEY_generate(context.get(), &key) != 1) {
    return OpenSslFailure("EC P-256 key generation");
  }
  return KeyPtr(key);
}

// A certificate for `key` named `common_name`, with a random serial and the validity period;
// issuer, extensions and signature are the caller's.
core::Result<X509Ptr> NewCertificate(EVP_PKEY* key, std::string_view common_name,
                                     std::chrono::hours validity) {
  X509Ptr cert(X509_new());
  unsigned char serial[16];
  if (!cert || RAND_bytes(serial, sizeof serial) != 1) return OpenSslFailure("new certificate");
  serial[0] = static_cast<unsigned char>((serial[0] & 0x7f) | 0x01);  // positive, 16 bytes
  BignumPtr serial_number(BN_bin2bn(serial, sizeof serial, nullptr));
  X509_NAME* name = X509_get_subject_name(cert.get());
  auto* cn = reinterpret_cast<const unsigned char*>(common_name.data());
  if (!serial_number || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      !BN_to_ASN1_INTEGER(serial_number.get(), X509_get_serialNumber(cert.get())) ||
      !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()),
                       static_cast<long>(std::chrono::seconds(validity).count())) ||
      X509_set_pubkey(cert.get(), key) != 1 ||
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>("TradeLedger"), -1, -1,
                                 0) != 1 ||
      X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, cn,
                                 static_cast<int>(common_name.size()), -1, 0) != 1) {
    return OpenSslFailure("certificate fields");
  }
  return cert;
}

// Adds the extension `nid` written in OpenSSL's configuration syntax (a constant here).
core::Status AddExtension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return OpenSslFailure(std::string("extension ") + OBJ_nid2sn(nid));
  }
  return core::Ok();
}

bool IsDnsName(std::string_view name) {
  if (name.empty() || name.size() > 253 || name.front() == '.' || name.front() == '-') {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

// subjectAltName from the spec's names and addresses, built as values (no string parsing).
core::Status AddSubjectAltNames(X509* cert, const ServerCertificateSpec& spec) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return OpenSslFailure("subjectAltName");
  for (const std::string& dns : spec.dns_names) {
    if (!IsDnsName(dns)) return core::Fail("TLS_CERT_FAILED", "bad DNS name '" + dns + "'");
    GeneralNamePtr entry(GENERAL_NAME_new());
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    if (!entry || !text || ASN1_STRING_set(text, dns.data(), static_cast<int>(dns.size())) != 1) {
      ASN1_IA5STRING_free(text);
      return OpenSslFailure("subjectAltName DNS " + dns);
    }
    GENERAL_NAME_set0_value(entry.get(), GEN_DNS, text);
    if (sk_GENERAL_NAME_push(names.get(), entry.get()) == 0) return OpenSslFailure("SAN");
    entry.release();  // owned by `names` now
  }
  for (const std::string& ip : spec.ip_addresses) {
    ASN1_OCTET_STRING* address = a2i_IPADDRESS(ip.c_str());
    if (!address) {
      ERR_clear_error();
      return core::Fail("TLS_CERT_FAILED", "bad IP address '" + ip + "'");
    }
    GeneralNamePtr entry(GENERAL_NAME_new());
    if (!entry) {
      ASN1_OCTET_STRING_free(address);
      return OpenSslFailure("subjectAltName IP " + ip);
    }
    GENERAL_NAME_set0_value(entry.get(), GEN_IPADD, address);
    if (sk_GENERAL_NAME_push(names.get(), entry.get()) == 0) return OpenSslFailure("SAN");
    entry.release();
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpenSslFailure("subjectAltName");
  }
  return core::Ok();
}

core::Result<std::string> DrainBio(BIO* bio) {
  std::string out(BIO_ctrl_pending(bio), '\0');
  if (!out.empty() &&
      BIO_read(bio, out.data(), static_cast<int>(out.size())) != static_cast<int>(out.size())) {
    return OpenSslFailure("PEM encoding");
  }
  return out;
}

core::Result<PemCredentials> ToPem(X509* cert, EVP_PKEY* key) {
  BioPtr cert_bio(BIO_new(BIO_s_mem()));
  BioPtr key_bio(BIO_new(BIO_s_mem()));
  if (!cert_bio || !key_bio || PEM_write_bio_X509(cert_bio.get(), cert) != 1 ||
      PEM_write_bio_PrivateKey(key_bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslFailure("PEM encoding");
  }
  PemCredentials out;
  TL_ASSIGN_OR_RETURN(out.certificate, DrainBio(cert_bio.get()));
  TL_ASSIGN_OR_RETURN(out.private_key, DrainBio(key_bio.get()));
  return out;
}

BioPtr ReadOnlyBio(const std::string& text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

// Creates `path` with `contents` and `mode`, synced; never follows or replaces an existing file.
core::Status CreateFile(const std::string& path, std::string_view contents, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return core::Fail("TLS_FILE_FAILED", path + ": " + std::strerror(errno));
  bool ok = ::fchmod(fd, mode) == 0;  // whatever the umask
  while (ok && !contents.empty()) {
    ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) contents.remove_prefix(static_cast<size_t>(n));
  }
  ok = ok && ::fsync(fd) == 0;
  std::string reason = ok ? std::string() : std::strerror(errno);
  ::close(fd);
  if (!ok) {
    ::unlink(path.c_str());
    return core::Fail("TLS_FILE_FAILED", path + ": " + reason);
  }
  return core::Ok();
}

// Sets http.tls_cert / http.tls_key in a node's config.json, keeping every other field.
core::Status EnableTlsInConfig(const fs::path& config_file) {
  TL_ASSIGN_OR_RETURN(std::string text, node::ReadFile(config_file.string(), 1 << 20));
  auto config = nlohmann::ordered_json::parse(text, nullptr, false);
  if (config.is_discarded() || !config.is_object() ||
      (config.contains("http") && !config["http"].is_object())) {
    return core::Fail("CONFIG_INVALID", config_file.string() + " is not a node configuration");
  }
  config["http"]["tls_cert"] = kNodeCertFile;
  config["http"]["tls_key"] = kNodeKeyFile;
  std::string updated = config.dump(2) + "\n";
  TL_RETURN_IF_ERROR(node::NodeConfig::Parse(updated, config_file.parent_path().string()));
  const std::string temporary = config_file.string() + ".tmp";
  TL_RETURN_IF_ERROR(CreateFile(temporary, updated, 0644));
  std::error_code ec;
  fs::rename(temporary, config_file, ec);
  if (ec) {
    fs::remove(temporary, ec);
    return core::Fail("TLS_FILE_FAILED", config_file.string() + ": " + ec.message());
  }
  return core::Ok();
}

}  // namespace

core::Result<PemCredentials> CreateCertificateAuthority(std::string_view common_name,
                                                        std::chrono::hours validity) {
  ERR_clear_error();
  TL_ASSIGN_OR_RETURN(KeyPtr key, GenerateP256Key());
  TL_ASSIGN_OR_RETURN(X509Ptr cert, NewCertificate(key.get(), common_name, validity));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())) != 1) {
    return OpenSslFailure("CA issuer");
  }
  TL_RETURN_IF_ERROR(
      AddExtension(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0"));
  TL_RETURN_IF_ERROR(
      AddExtension(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign"));
  TL_RETURN_IF_ERROR(AddExtension(cert.get(), cert.get(), NID_subject_key_identifier, "hash"));
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) return OpenSslFailure("CA signature");
  return ToPem(cert.get(), key.get());
}

core::Result<PemCredentials> IssueServerCertificate(const PemCredentials& ca,
                                                    const ServerCertificateSpec& spec) {
  ERR_clear_error();
  BioPtr ca_cert_bio = ReadOnlyBio(ca.certificate);
  BioPtr ca_key_bio = ReadOnlyBio(ca.private_key);
  X509Ptr ca_cert(ca_cert_bio ? PEM_read_bio_X509(ca_cert_bio.get(), nullptr, nullptr, nullptr)
                              : nullptr);
  KeyPtr ca_key(ca_key_bio ? PEM_read_bio_PrivateKey(ca_key_bio.get(), nullptr, nullptr, nullptr)
                           : nullptr);
  if (!ca_cert || !ca_key) return OpenSslFailure("CA certificate or key");
  if (X509_check_private_key(ca_cert.get(), ca_key.get()) != 1) {
    return OpenSslFailure("the CA key does not belong to the CA certificate");
  }
  if (spec.dns_names.empty() && spec.ip_addresses.empty()) {
    return core::Fail("TLS_CERT_FAILED", "a server certificate needs a DNS name or IP address");
  }

  TL_ASSIGN_OR_RETURN(KeyPtr key, GenerateP256Key());
  TL_ASSIGN_OR_RETURN(X509Ptr cert, NewCertificate(key.get(), spec.common_name, spec.validity));
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())) != 1) {
    return OpenSslFailure("issuer");
  }
  X509* issuer = ca_cert.get();
  TL_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_basic_constraints, "critical,CA:FALSE"));
  TL_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_key_usage, "critical,digitalSignature"));
  TL_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_ext_key_usage, "serverAuth"));
  TL_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_subject_key_identifier, "hash"));
  TL_RETURN_IF_ERROR(AddExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid"));
  TL_RETURN_IF_ERROR(AddSubjectAltNames(cert.get(), spec));
  if (X509_sign(cert.get(), ca_key.get(), EVP_sha256()) <= 0) {
    return OpenSslFailure("certificate signature");
  }
  return ToPem(cert.get(), key.get());
}

core::Status WritePemFile(const std::string& path, std::string_view pem, bool secret) {
  return CreateFile(path, pem, secret ? 0600 : 0644);
}

std::string NetworkCaFile(const std::string& network_dir) {
  return (fs::path(network_dir) / kCaDir / "ca.pem").string();
}

core::Result<std::string> WriteNetworkTls(const std::string& network_dir) {
  const fs::path dir(network_dir);
  std::vector<fs::path> nodes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory() && fs::exists(entry.path() / "config.json")) {
      nodes.push_back(entry.path());
    }
  }
  if (ec || nodes.empty()) {
    return core::Fail("CONFIG_INVALID", "no node configurations in " + network_dir);
  }
  std::sort(nodes.begin(), nodes.end());

  fs::create_directories(dir / kCaDir, ec);
  if (ec) return core::Fail("TLS_FILE_FAILED", (dir / kCaDir).string() + ": " + ec.message());
  std::string name = dir.filename().string();
  if (name.empty()) name = dir.parent_path().filename().string();
  TL_ASSIGN_OR_RETURN(PemCredentials ca,
                      CreateCertificateAuthority("TradeLedger CA " + name, kCaValidity));
  TL_RETURN_IF_ERROR(WritePemFile((dir / kCaDir / "ca.key").string(), ca.private_key, true));
  const std::string ca_file = NetworkCaFile(network_dir);
  TL_RETURN_IF_ERROR(WritePemFile(ca_file, ca.certificate, false));

  for (const fs::path& node_dir : nodes) {
    ServerCertificateSpec spec;
    spec.common_name = node_dir.filename().string();
    spec.dns_names = {"localhost"};
    spec.ip_addresses = {"127.0.0.1"};
    TL_ASSIGN_OR_RETURN(PemCredentials server, IssueServerCertificate(ca, spec));
    TL_RETURN_IF_ERROR(WritePemFile((node_dir / kNodeKeyFile).string(), server.private_key, true));
    TL_RETURN_IF_ERROR(
        WritePemFile((node_dir / kNodeCertFile).string(), server.certificate, false));
    TL_RETURN_IF_ERROR(EnableTlsInConfig(node_dir / "config.json"));
  }
  return ca_file;
}

}  // namespace tradeledger::cli
