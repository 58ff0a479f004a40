#include "trade/id_index.h"

#include <algorithm>
#include <charconv>

namespace tradeledger::trade {
namespace {

std::string PageKey(std::string_view key, uint64_t page) {
  return std::string(key) + "#" + std::to_string(page);
}

core::Result<uint64_t> ParseCount(const core::Bytes& raw, std::string_view key) {
  std::string_view text = core::AsStringView(raw);
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
      (text.size() > 1 && text[0] == '0')) {
    return core::Fail("STATE_CORRUPT", "id index " + std::string(key) + ": bad number");
  }
  return n;
}

// The members on page `page` of an index of `n` members (n > page * kIdIndexPage).
uint64_t PageSize(uint64_t n, uint64_t page) {
  return std::min(kIdIndexPage, n - page * kIdIndexPage);
}

// Reads page `page`, which must hold exactly `expected` members, and returns its text;
// appends the members to `*members` if that is not null.
core::Result<std::string> ReadPage(const StateReader& state, std::string_view key, uint64_t page,
                                   uint64_t expected, std::vector<std::string>* members) {
  std::string page_key = PageKey(key, page);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(core::AsBytes(page_key)));
  if (!raw) return core::Fail("STATE_CORRUPT", "id index page " + page_key + " missing");
  std::string_view text = core::AsStringView(*raw);
  uint64_t found = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    if (end == 0 || end == std::string_view::npos || found == expected) break;
    if (members != nullptr) members->emplace_back(text.substr(0, end));
    text.remove_prefix(end + 1);
    ++found;
  }
  if (!text.empty() || found != expected) {
    return core::Fail("STATE_CORRUPT", "id index page " + page_key + ": expected " +
                                           std::to_string(expected) + " members");
  }
  return std::string(core::AsStringView(*raw));
}

}  // namespace

core::Result<uint64_t> IdIndexSize(const StateReader& state, std::string_view key) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(core::AsBytes(key)));
  if (!raw) return uint64_t{0};
  TL_ASSIGN_OR_RETURN(uint64_t n, ParseCount(*raw, key));
  if (n == 0) return core::Fail("STATE_CORRUPT", "id index " + std::string(key) + ": stored 0");
  return n;
}

core::Result<std::vector<std::string>> LoadIdIndex(const StateReader& state, std::string_view key) {
  TL_ASSIGN_OR_RETURN(uint64_t n, IdIndexSize(state, key));
  std::vector<std::string> out;
  out.reserve(n);
  for (uint64_t page = 0; page * kIdIndexPage < n; ++page) {
    TL_RETURN_IF_ERROR(ReadPage(state, key, page, PageSize(n, page), &out));
  }
  return out;
}

core::Status AppendIdIndex(WorkingState& state, std::string_view key, std::string_view id) {
  if (id.empty() || id.find('\n') != std::string_view::npos) {
    return core::Fail("ID_INDEX_MEMBER_INVALID",
                      "id index " + std::string(key) + ": a member is non-empty, without newline");
  }
  TL_ASSIGN_OR_RETURN(uint64_t n, IdIndexSize(state, key));
  const uint64_t page = n / kIdIndexPage;
  std::string text;
  if (n % kIdIndexPage != 0) {
    // Checked before it is extended, so that a damaged page fails here rather than growing.
    TL_ASSIGN_OR_RETURN(text, ReadPage(state, key, page, n % kIdIndexPage, nullptr));
  }
  text.append(id).push_back('\n');
  state.Put(core::AsBytes(PageKey(key, page)), core::ToBytes(text));
  state.Put(core::AsBytes(key), core::ToBytes(std::to_string(n + 1)));
  return core::Ok();
}

}  // namespace tradeledger::trade
