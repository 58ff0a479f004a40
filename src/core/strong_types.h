// Distinct types for numbers and identifiers that must not be mixed up.
//
// `Height`, `View` and `Timestamp` are all 64-bit numbers on the wire, but a function that
// takes a Height does not accept a View. Arithmetic is explicit through `.value`.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace tradeledger::core {

template <typename Tag, typename T>
struct Strong {
  T value{};

  constexpr Strong() = default;
  constexpr explicit Strong(T v) : value(v) {}
  constexpr auto operator<=>(const Strong&) const = default;
  std::string ToString() const { return std::to_string(value); }
};

// Position of a block in the chain; genesis state is height 0, the first block is height 1.
using Height = Strong<struct HeightTag, uint64_t>;
// Consensus view (round) number.
using View = Strong<struct ViewTag, uint64_t>;
// Milliseconds since the Unix epoch, UTC. Block times and validity windows use it.
using TimestampMs = Strong<struct TimestampTag, uint64_t>;

}  // namespace tradeledger::core

template <typename Tag, typename T>
struct std::hash<tradeledger::core::Strong<Tag, T>> {
  size_t operator()(const tradeledger::core::Strong<Tag, T>& s) const noexcept {
    return std::hash<T>{}(s.value);
  }
};
