// OpenSSL contexts and handshake diagnostics shared by Server and the clients; not part of the
// API. TLS runs through Asio's OpenSSL binding (boost::asio::ssl).
//
// Policy, the same both ways: TLS 1.2 at least; OpenSSL negotiates the highest version both
// ends speak, so 1.3 whenever the peer has it. TLS 1.2 is limited to ECDHE key exchange with
// AEAD ciphers (forward secrecy); renegotiation and compression are off.
//
// Thread safety: a context is immutable once made and may be shared by many streams.
#pragma once

#include <openssl/ssl.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core/error.hpp>
#include <memory>
#include <string>

#include "core/result.h"

namespace tradeledger::api::http::detail {

// A server context holding the certificate chain (PEM: the server's certificate first, then any
// intermediates) and its private key (PEM, unencrypted). Fails with HTTP_TLS_CONFIG naming the
// file and OpenSSL's reason: unreadable or malformed files, or a key that does not match.
core::Result<std::unique_ptr<boost::asio::ssl::context>> MakeServerTlsContext(
    const std::string& cert_chain_file, const std::string& private_key_file);

// A client context that requires the server's chain to verify against the CA certificates in
// `ca_file` (PEM, one or more), or the system's trust store when it is empty. Fails with
// HTTP_TLS_FAILED if the file cannot be loaded.
core::Result<std::unique_ptr<boost::asio::ssl::context>> MakeClientTlsContext(
    const std::string& ca_file);

// Before a client handshake: sends `host` as SNI (names only) and makes verification also
// require the certificate to name `host`, as a DNS name or, for an IP literal, an IP address
// subjectAltName. Fails with HTTP_TLS_FAILED.
core::Status PrepareClientHandshake(SSL* ssl, const std::string& host);

// The error for a failed client handshake with `peer` ("host:port"): HTTP_TLS_FAILED when TLS
// itself failed (an untrusted or misnamed certificate, a server not speaking TLS, no common
// protocol), stating why; HTTP_CONNECT_FAILED when the connection timed out or closed
// midway, which a retry may cure. `ca_file` as given to MakeClientTlsContext.
core::Error DescribeClientHandshakeFailure(const boost::beast::error_code& ec, SSL* ssl,
                                           const std::string& peer, const std::string& ca_file);

}  // namespace tradeledger::api::http::detail
