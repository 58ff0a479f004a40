#include "trade/entry_number.h"

#include "trade/origin_common.h"

namespace tradeledger::trade {

char LuhnEntryCheckDigit::Compute(std::string_view filer_code, std::string_view serial) const {
  std::string digits;
  for (char c : std::string(filer_code) + std::string(serial)) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else {
      digits.push_back(static_cast<char>('0' + (c - 'A' + 1) % 10));
    }
  }
  // Luhn: from the rightmost payload digit, double every other digit starting with it.
  int sum = 0;
  bool dbl = true;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

const EntryCheckDigit& ActiveEntryCheckDigit() {
  static const LuhnEntryCheckDigit kLuhn;
  return kLuhn;
}

std::string EntryNumber::Canonical() const {
  return filer_code + "-" + serial + "-" + std::string(1, check);
}

core::Result<EntryNumber> ParseEntryNumber(std::string_view text, const EntryCheckDigit& algo) {
  auto bad = [&](const char* why) {
    return core::Fail("ENTRY_NUMBER_INVALID", "'" + std::string(text.substr(0, 32)) + "': " + why);
  };
  if (text.size() < 11 || text.size() > 13) return bad("expected XXX-NNNNNNN-C");
  EntryNumber n;
  n.filer_code = std::string(text.substr(0, 3));
  size_t pos = 3;
  if (text[pos] == '-') ++pos;
  if (pos + 7 > text.size()) return bad("expected XXX-NNNNNNN-C");
  n.serial = std::string(text.substr(pos, 7));
  pos += 7;
  if (pos < text.size() && text[pos] == '-') ++pos;
  if (pos + 1 != text.size()) return bad("expected XXX-NNNNNNN-C");
  n.check = text[pos];
  if (!IsUpperAlnum(n.filer_code)) return bad("filer code must be 3 of [A-Z0-9]");
  if (!AllDigits(n.serial) || n.check < '0' || n.check > '9') return bad("expected digits");
  if (algo.Compute(n.filer_code, n.serial) != n.check) return bad("check digit does not verify");
  return n;
}

std::string MakeEntryNumber(std::string_view filer_code, std::string_view serial,
                            const EntryCheckDigit& algo) {
  TL_CHECK(filer_code.size() == 3 && IsUpperAlnum(filer_code));
  TL_CHECK(serial.size() == 7 && AllDigits(serial));
  EntryNumber n{std::string(filer_code), std::string(serial), algo.Compute(filer_code, serial)};
  return n.Canonical();
}

}  // namespace tradeledger::trade
