// Importer-of-record numbers (DOMAIN rule 4, §6): an IOR number may be a person's social
// security number, so it never enters a transaction. The submitter (CLI, portal) checks its
// format and derives a salted, slow hash; transactions carry only that hash (iorNumberHash),
// and the node refuses any transaction in which an IOR-shaped value appears in clear
// (IOR_CLEARTEXT, ADR 0021).
//
// The hash, 64 lower-case hex digits (doc/formats.md "IOR number hash"):
//   PBKDF2-HMAC-SHA256(password = the IOR number as written (ASCII),
//                      salt = "TRADELEDGER/IOR/v1" 0x00 || network salt || 0x00 || orgId,
//                      iterations = kIorHashIterations, 32 bytes)
// The network salt is config/ior-salt (random, set at genesis, served to members by GET /v1/me);
// orgId is the importer's organisation, so equal numbers of two importers hash differently and
// no table can be precomputed across importers. WebCrypto's PBKDF2 computes the same bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/bytes.h"
#include "core/result.h"

namespace tradeledger::trade {

inline constexpr uint32_t kIorHashIterations = 600'000;

// NN-NNNNNNNXX (EIN with a two-character suffix, not O, I or Z), NNN-NN-NNNN (SSN) or
// YYDDPP-NNNNN (CBP-assigned).
bool IsValidIorNumber(std::string_view number);

// The hash above. IOR_FORMAT if `number` is not a valid IOR number, ORG_ID_INVALID if `org_id`
// is empty.
core::Result<std::string> IorNumberHash(core::ByteSpan network_salt, std::string_view org_id,
                                        std::string_view number);

// True for 64 lower-case hex digits: the only form an IOR number may take in a transaction.
bool IsIorNumberHash(std::string_view value);

// Where `body` (a transaction body, JSON or not) holds an IOR number in clear: a member named
// "iorNumber", or a string (member name or value, after JSON unescaping) containing a token of
// [A-Za-z0-9-] shaped as an IOR number (the dashed forms above, any suffix). Returns a
// description of the place (a JSON pointer, never the value), or nullopt.
// Admission calls it on every transaction, so a body that cannot hold one (no backslash, no
// "iorNumber" member, no IOR-shaped token in its text) is accepted without parsing it.
std::optional<std::string> FindCleartextIor(core::ByteSpan body);

namespace detail {
// The same answer, always by parsing the body (for tests and the fuzzer, which check that the
// shortcut never changes it).
std::optional<std::string> FindCleartextIorByParsing(core::ByteSpan body);
}  // namespace detail

}  // namespace tradeledger::trade
