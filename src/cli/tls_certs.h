// Certificates for serving the node API over TLS: a small certificate authority per network and
// server certificates signed by it, made with OpenSSL's library (never the openssl binary).
//
// Contract
//   - Keys are EC P-256; signatures are ECDSA with SHA-256; certificates are X.509 v3 with a
//     128-bit random serial number, valid from one hour before issue (clock skew) for
//     `validity`.
//   - A CA certificate is self-signed, with basicConstraints CA:TRUE, pathlen:0 and keyUsage
//     keyCertSign, cRLSign (both critical): it can sign server certificates, not other CAs.
//   - A server certificate is signed by the CA given, with basicConstraints CA:FALSE, keyUsage
//     digitalSignature, extendedKeyUsage serverAuth, and the DNS names and IP addresses given
//     as its subjectAltName (clients verify the host against these, not the common name).
//   - PEM text: certificates as "CERTIFICATE", private keys as unencrypted PKCS#8
//     "PRIVATE KEY". Files are created, never overwritten; private keys get mode 0600,
//     certificates 0644.
//   - Errors: TLS_CERT_FAILED (OpenSSL refused, or a malformed name, address or PEM input),
//     TLS_FILE_FAILED (a file could not be written, or already exists), CONFIG_INVALID (a node
//     configuration could not be updated).
//
// Thread safety: the functions share no state and may run concurrently.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tradeledger::cli {

// A certificate and its private key, both PEM.
struct PemCredentials {
  std::string certificate;
  std::string private_key;
};

// Creates a self-signed CA named `common_name`.
core::Result<PemCredentials> CreateCertificateAuthority(std::string_view common_name,
                                                        std::chrono::hours validity);

struct ServerCertificateSpec {
  std::string common_name;
  std::vector<std::string> dns_names;     // e.g. "localhost"; letters, digits, '-', '.'
  std::vector<std::string> ip_addresses;  // IPv4 or IPv6 literals, e.g. "127.0.0.1"
  std::chrono::hours validity{24 * 825};
};

// Issues a server certificate for `spec` signed by `ca` (as CreateCertificateAuthority made it).
core::Result<PemCredentials> IssueServerCertificate(const PemCredentials& ca,
                                                    const ServerCertificateSpec& spec);

// Creates `path` holding `pem`: mode 0600 if `secret`, else 0644. Fails if it exists.
core::Status WritePemFile(const std::string& path, std::string_view pem, bool secret);

// `tradeledger net init --tls`, run after the node configurations are written:
//   DIR/tls/ca.pem, DIR/tls/ca.key           the network CA (valid 10 years)
//   DIR/<node>/tls_cert.pem, tls_key.pem     for each node directory (a subdirectory of DIR
//                                            holding config.json): a server certificate for
//                                            IP 127.0.0.1 and DNS localhost (valid 825 days)
// and sets "http": {"tls_cert": "tls_cert.pem", "tls_key": "tls_key.pem"} in each node's
// config.json, leaving every other field as it was. Returns the CA certificate's path, which
// clients pass as --ca-file.
core::Result<std::string> WriteNetworkTls(const std::string& network_dir);

// DIR/tls/ca.pem: the CA certificate WriteNetworkTls writes for the network in `network_dir`.
std::string NetworkCaFile(const std::string& network_dir);

}  // namespace tradeledger::cli
