#include "api/http/tls_context.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <boost/asio/ip/address.hpp>
#include <boost/beast/core/error.hpp>
#include <cstring>

namespace tradeledger::api::http::detail {
namespace {

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;

// TLS 1.2 suites with forward secrecy and AEAD; TLS 1.3 suites are OpenSSL's defaults.
constexpr char kTls12Ciphers[] = "ECDHE+AESGCM:ECDHE+CHACHA20";

// OpenSSL's reason for a failure Asio reported: Asio's own message is a generic "asio.ssl
// error" for failures of the system library, such as a file that cannot be opened.
std::string Reason(const boost::beast::error_code& ec) {
  ERR_clear_error();  // Asio took the first error; drop the rest of the thread's queue
  if (ec.category() == net::error::get_ssl_category()) {
    auto code = static_cast<unsigned long>(static_cast<unsigned int>(ec.value()));
    if (ERR_GET_LIB(code) == ERR_LIB_SYS) return std::strerror(ERR_GET_REASON(code));
    if (const char* reason = ERR_reason_error_string(code)) return reason;
  }
  return ec.message();
}

core::Status ApplyPolicy(ssl::context& context, const char* error_code) {
  SSL_CTX* native = context.native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 ||
      SSL_CTX_set_cipher_list(native, kTls12Ciphers) != 1) {
    return core::Fail(error_code, "OpenSSL refused the TLS protocol settings");
  }
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  return core::Ok();
}

}  // namespace

core::Result<std::unique_ptr<ssl::context>> MakeServerTlsContext(
    const std::string& cert_chain_file, const std::string& private_key_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
  TL_RETURN_IF_ERROR(ApplyPolicy(*context, "HTTP_TLS_CONFIG"));
  SSL_CTX_set_options(context->native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
  boost::beast::error_code ec;
  context->use_certificate_chain_file(cert_chain_file, ec);
  if (ec) {
    return core::Fail("HTTP_TLS_CONFIG",
                      "certificate chain " + cert_chain_file + ": " + Reason(ec));
  }
  context->use_private_key_file(private_key_file, ssl::context::pem, ec);
  if (ec) {
    return core::Fail("HTTP_TLS_CONFIG", "private key " + private_key_file + ": " + Reason(ec));
  }
  if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
    ERR_clear_error();
    return core::Fail("HTTP_TLS_CONFIG", "private key " + private_key_file +
                                             " does not belong to the certificate in " +
                                             cert_chain_file);
  }
  return context;
}

core::Result<std::unique_ptr<ssl::context>> MakeClientTlsContext(const std::string& ca_file) {
  auto context = std::make_unique<ssl::context>(ssl::context::tls_client);
  TL_RETURN_IF_ERROR(ApplyPolicy(*context, "HTTP_TLS_FAILED"));
  boost::beast::error_code ec;
  if (ca_file.empty()) {
    context->set_default_verify_paths(ec);
    if (ec) return core::Fail("HTTP_TLS_FAILED", "system trust store: " + Reason(ec));
  } else {
    context->load_verify_file(ca_file, ec);
    if (ec) return core::Fail("HTTP_TLS_FAILED", "CA file " + ca_file + ": " + Reason(ec));
  }
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

core::Status PrepareClientHandshake(SSL* ssl, const std::string& host) {
  X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
  boost::beast::error_code not_an_address;
  net::ip::make_address(host, not_an_address);
  bool ok = false;
  if (!not_an_address) {
    ok = X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) == 1;
  } else {
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    // SSL_set_tlsext_host_name() spelled out: the macro casts in C style. OpenSSL copies the name.
    ok = SSL_ctrl(ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                  const_cast<char*>(host.c_str())) == 1 &&
         SSL_set1_host(ssl, host.c_str()) == 1;
  }
  if (!ok) return core::Fail("HTTP_TLS_FAILED", "cannot verify the host name '" + host + "'");
  return core::Ok();
}

core::Error DescribeClientHandshakeFailure(const boost::beast::error_code& ec, SSL* ssl,
                                           const std::string& peer, const std::string& ca_file) {
  if (ec == boost::beast::error::timeout) {
    return core::Error{"HTTP_CONNECT_FAILED", peer + ": TLS handshake timed out"};
  }
  if (ec.category() != net::error::get_ssl_category()) {
    return core::Error{"HTTP_CONNECT_FAILED",
                       peer + ": connection lost during the TLS handshake: " + ec.message()};
  }
  long verify = SSL_get_verify_result(ssl);
  if (verify != X509_V_OK) {
    std::string against = ca_file.empty() ? "the system's trust store" : "CA file " + ca_file;
    return core::Error{"HTTP_TLS_FAILED", "the certificate of " + peer + " is not trusted (" +
                                              X509_verify_cert_error_string(verify) +
                                              "; checked against " + against + ")"};
  }
  return core::Error{"HTTP_TLS_FAILED", "TLS handshake with " + peer + " failed (" + Reason(ec) +
                                            "); is it an https server?"};
}

}  // namespace tradeledger::api::http::detail
