#include "trade/id_index.h"

#include <charconv>

namespace tradeledger::trade {
namespace {

std::string MemberKey(std::string_view key, uint64_t n) {
  return std::string(key) + "#" + std::to_string(n);
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
  for (uint64_t i = 0; i < n; ++i) {
    std::string member_key = MemberKey(key, i);
    TL_ASSIGN_OR_RETURN(std::optional<core::Bytes> raw, state.Get(core::AsBytes(member_key)));
    if (!raw) return core::Fail("STATE_CORRUPT", "id index " + member_key + " missing");
    out.emplace_back(core::AsStringView(*raw));
  }
  return out;
}

core::Status AppendIdIndex(WorkingState& state, std::string_view key, std::string_view id) {
  TL_ASSIGN_OR_RETURN(uint64_t n, IdIndexSize(state, key));
  state.Put(core::AsBytes(MemberKey(key, n)), core::ToBytes(id));
  state.Put(core::AsBytes(key), core::ToBytes(std::to_string(n + 1)));
  return core::Ok();
}

}  // namespace tradeledger::trade
