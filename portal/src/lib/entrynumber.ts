// Entry numbers XXX-NNNNNNN-C with the ledger's check digit luhn-mod10-v1
// (src/trade/entry_number.cc, ADR 0012): letters map to their alphabet position mod 10, then
// Luhn over filer code and serial. Used to catch typing errors before signing.

export function entryCheckDigit(filerCode: string, serial: string): string {
  const digits = [...filerCode + serial].map((c) =>
    c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : (c.charCodeAt(0) - 64) % 10,
  );
  let sum = 0;
  let dbl = true;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits[i];
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return String((10 - (sum % 10)) % 10);
}

// The canonical dashed form, or null when the shape or check digit is wrong.
export function canonicalEntryNumber(text: string): string | null {
  const m = /^([A-Z0-9]{3})-?([0-9]{7})-?([0-9])$/.exec(text.trim().toUpperCase());
  if (!m || entryCheckDigit(m[1], m[2]) !== m[3]) return null;
  return `${m[1]}-${m[2]}-${m[3]}`;
}

export function makeEntryNumber(filerCode: string, serial: string): string {
  return `${filerCode}-${serial}-${entryCheckDigit(filerCode, serial)}`;
}
