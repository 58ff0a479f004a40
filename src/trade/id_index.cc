#include "trade/id_index.h"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>

namespace tradeledger::trade {
namespace {

std::string PageKey(std::string_view key, uint64_t page) {
  return std::string(key) + "#" + std::to_string(page);
}

// The last page's number, stored at the index key.
core::Result<uint64_t> ParseLastPage(const core::Bytes& raw, std::string_view key) {
  std::string_view text = core::AsStringView(raw);
  uint64_t p = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), p);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty() ||
      (text.size() > 1 && text[0] == '0') || p > UINT64_MAX / kIdIndexPage - 1) {
    return core::Fail("STATE_CORRUPT", "id index " + std::string(key) + ": bad page number");
  }
  return p;
}

struct Page {
  std::string text;
  uint64_t members = 0;
};

// Reads page `page`, which must hold 1 to kIdIndexPage members, each non-empty and followed by
// a newline; appends them to `*members` if that is not null.
core::Result<Page> ReadPage(const StateReader& state, std::string_view key, uint64_t page,
                            std::vector<std::string>* members) {
  std::string page_key = PageKey(key, page);
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(core::AsBytes(page_key)));
  if (!raw) return core::Fail("STATE_CORRUPT", "id index page " + page_key + " missing");
  Page out{std::string(core::AsStringView(*raw))};
  std::string_view text = out.text;
  while (!text.empty()) {
    size_t end = text.find('\n');
    if (end == 0 || end == std::string_view::npos || out.members == kIdIndexPage) {
      return core::Fail("STATE_CORRUPT", "id index page " + page_key + ": malformed");
    }
    if (members != nullptr) members->emplace_back(text.substr(0, end));
    text.remove_prefix(end + 1);
    ++out.members;
  }
  if (out.members == 0) return core::Fail("STATE_CORRUPT", "id index page " + page_key + " empty");
  return out;
}

// The last page's number, or nullopt for an absent (empty) index.
core::Result<std::optional<uint64_t>> LastPage(const StateReader& state, std::string_view key) {
  TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(core::AsBytes(key)));
  if (!raw) return std::optional<uint64_t>();
  TL_ASSIGN_OR_RETURN(uint64_t p, ParseLastPage(*raw, key));
  return std::optional<uint64_t>(p);
}

core::Error NotFull(std::string_view key, uint64_t page) {
  return core::Error{"STATE_CORRUPT", "id index page " + PageKey(key, page) + " is not full"};
}

}  // namespace

core::Result<std::vector<std::string>> LoadIdIndex(const StateReader& state, std::string_view key) {
  TL_ASSIGN_OR_RETURN(std::optional<uint64_t> last, LastPage(state, key));
  std::vector<std::string> out;
  if (!last) return out;
  for (uint64_t p = 0; p <= *last; ++p) {
    TL_ASSIGN_OR_RETURN(Page page, ReadPage(state, key, p, &out));
    if (p < *last && page.members != kIdIndexPage) return std::unexpected(NotFull(key, p));
  }
  return out;
}

core::Status AppendIdIndex(WorkingState& state, std::string_view key, std::string_view id) {
  if (id.empty() || id.find('\n') != std::string_view::npos) {
    return core::Fail("ID_INDEX_MEMBER_INVALID",
                      "id index " + std::string(key) + ": a member is non-empty, without newline");
  }
  TL_ASSIGN_OR_RETURN(std::optional<uint64_t> last, LastPage(state, key));
  uint64_t page = 0;
  std::string text;
  if (last) {
    // Checked before it is extended, so that a damaged page fails here rather than growing.
    TL_ASSIGN_OR_RETURN(Page current, ReadPage(state, key, *last, nullptr));
    page = *last;
    if (current.members < kIdIndexPage) {
      text = std::move(current.text);
    } else {
      ++page;
    }
  }
  text.append(id).push_back('\n');
  state.Put(core::AsBytes(PageKey(key, page)), core::ToBytes(text));
  // The key changes only when a page starts: most appends write their page alone.
  if (!last || page != *last) state.Put(core::AsBytes(key), core::ToBytes(std::to_string(page)));
  return core::Ok();
}

}  // namespace tradeledger::trade
