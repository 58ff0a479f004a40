// Entry numbers (DOMAIN.md §4, rule 1): `XXX-NNNNNNN-C`, a 3-character filer code, a
// 7-digit filer-assigned serial and a check digit; dashes are optional on input.
//
// The check digit is computed per CATAIR Appendix E, whose algorithm text was not retrieved
// (DOMAIN.md open point). It is therefore behind the EntryCheckDigit interface, and the
// ledger uses ActiveEntryCheckDigit(), which every replica must agree on: swapping the
// algorithm is a one-line change of that function plus a network upgrade.
//
// Team default (LuhnEntryCheckDigit, documented in doc/rules-origin.md): map each of the 10
// characters of filer code + serial to a digit (0-9 as themselves; a letter to its alphabet
// position 1..26 modulo 10, so A=1 .. I=9, J=0, K=1 .. Z=6), then the check digit is the
// Luhn (mod-10) digit of that 10-digit string: doubling every second digit from the right.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace tradeledger::trade {

class EntryCheckDigit {
 public:
  virtual ~EntryCheckDigit() = default;
  virtual std::string_view Name() const = 0;
  // The check digit ('0'..'9') of a valid-shaped filer code and 7-digit serial.
  virtual char Compute(std::string_view filer_code, std::string_view serial) const = 0;
};

class LuhnEntryCheckDigit final : public EntryCheckDigit {
 public:
  std::string_view Name() const override { return "luhn-mod10-v1"; }
  char Compute(std::string_view filer_code, std::string_view serial) const override;
};

// The algorithm the ledger applies (LuhnEntryCheckDigit).
const EntryCheckDigit& ActiveEntryCheckDigit();

struct EntryNumber {
  std::string filer_code;  // 3 upper-case alphanumerics (all 8 ACE shapes NNN..AAA)
  std::string serial;      // 7 digits
  char check = '0';
  // Canonical text form "XXX-NNNNNNN-C", the key under which an entry is stored.
  std::string Canonical() const;
};

// Parses `text` (`^[A-Z0-9]{3}-?[0-9]{7}-?[0-9]$`) and verifies the check digit with `algo`.
// ENTRY_NUMBER_INVALID otherwise.
core::Result<EntryNumber> ParseEntryNumber(std::string_view text,
                                           const EntryCheckDigit& algo = ActiveEntryCheckDigit());

// The canonical entry number for a filer code and serial, with its check digit (for tests,
// demos and filers). Precondition: valid shapes (TL_CHECK).
std::string MakeEntryNumber(std::string_view filer_code, std::string_view serial,
                            const EntryCheckDigit& algo = ActiveEntryCheckDigit());

}  // namespace tradeledger::trade
