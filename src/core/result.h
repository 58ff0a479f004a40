// Errors as values.
//
// Every operation that can fail because of its input or its environment returns
// `Result<T>` (or `Status` when there is no value). An `Error` carries a stable,
// machine-readable reason code in UPPER_SNAKE_CASE (for example "ENCODING_TRAILING_BYTES",
// "BAD_SIGNATURE", "NOT_AUTHORIZED") and a human-readable detail. Reason codes are part of
// the public API: clients and tests match on them, so they never change meaning.
//
// Bugs in our own invariants are not errors: they fail fast through TL_CHECK.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <expected>
#include <string>
#include <utility>

namespace tradeledger::core {

struct Error {
  std::string code;    // stable reason code, UPPER_SNAKE_CASE
  std::string detail;  // for humans; may change between versions

  std::string ToString() const { return detail.empty() ? code : code + ": " + detail; }
};

template <typename T>
using Result = std::expected<T, Error>;

using Status = std::expected<void, Error>;

// Builds the error side of a Result: `return Fail("NOT_FOUND", "no block at height 7");`
inline std::unexpected<Error> Fail(std::string code, std::string detail = {}) {
  return std::unexpected<Error>(Error{std::move(code), std::move(detail)});
}

inline std::unexpected<Error> Fail(Error error) { return std::unexpected<Error>(std::move(error)); }

// The success value of a Status.
inline Status Ok() { return {}; }

[[noreturn]] inline void CheckFailed(const char* expr, const char* file, int line) {
  std::fprintf(stderr, "tradeledger: invariant violated: %s at %s:%d\n", expr, file, line);
  std::abort();
}

}  // namespace tradeledger::core

// Fails fast on a broken local invariant (a bug), in every build type.
#define TL_CHECK(expr) \
  ((expr) ? static_cast<void>(0) : ::tradeledger::core::CheckFailed(#expr, __FILE__, __LINE__))

// Propagates the error of a Result/Status expression, otherwise evaluates to nothing.
#define TL_RETURN_IF_ERROR(expr)                                   \
  do {                                                             \
    auto tl_status_ = (expr);                                      \
    if (!tl_status_) return ::std::unexpected(tl_status_.error()); \
  } while (false)

#define TL_CONCAT_INNER_(a, b) a##b
#define TL_CONCAT_(a, b) TL_CONCAT_INNER_(a, b)
// `TL_ASSIGN_OR_RETURN(auto x, Parse(bytes));` declares x from the value or returns the error.
#define TL_ASSIGN_OR_RETURN(decl, expr)                                            \
  auto TL_CONCAT_(tl_result_, __LINE__) = (expr);                                  \
  if (!TL_CONCAT_(tl_result_, __LINE__))                                           \
    return ::std::unexpected(std::move(TL_CONCAT_(tl_result_, __LINE__)).error()); \
  decl = std::move(*TL_CONCAT_(tl_result_, __LINE__))
