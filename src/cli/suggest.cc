#include "cli/suggest.h"

#include <algorithm>

namespace tradeledger::cli {
namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::optional<std::string> NearestCommand(std::string_view typed,
                                          const std::vector<std::string>& candidates) {
  std::optional<std::string> best;
  size_t best_distance = 3;
  std::vector<std::string> prefixed;
  for (const auto& c : candidates) {
    if (c.starts_with(typed)) prefixed.push_back(c);
    size_t d = EditDistance(typed, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  if (best) return best;
  if (prefixed.size() == 1 && !typed.empty()) return prefixed.front();
  return std::nullopt;
}

}  // namespace tradeledger::cli
