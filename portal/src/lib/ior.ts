// Importer-of-record numbers (src/trade/ior_number.cc, doc/formats.md "IOR number hash").
// A cleartext number never leaves the browser: the portal checks its format (IOR_FORMAT) and
// sends only
//   iorNumberHash = hex(PBKDF2-HMAC-SHA256(number, "TRADELEDGER/IOR/v1" 0x00 ‖ network salt ‖
//                                          0x00 ‖ orgId, 600 000 iterations, 32 bytes))
// with the network salt from GET /v1/me (iorSalt).

import { buf, concat, fromHex, toHex, utf8 } from './bytes.js';

export const IOR_ITERATIONS = 600_000;

const digits = (s: string) => /^[0-9]+$/.test(s);

// The three dashed shapes; `strict` also applies the EIN suffix rule (not O, I or Z).
function iorShaped(n: string, strict: boolean): boolean {
  if (n.length === 12 && digits(n.slice(0, 2)) && n[2] === '-' && digits(n.slice(3, 10))) {
    const ok = (c: string) => (strict ? /^[A-HJ-NP-Y0-9]$/.test(c) : /^[A-Za-z0-9]$/.test(c));
    if (ok(n[10]) && ok(n[11])) return true;
  }
  if (n.length === 11 && /^[0-9]{3}-[0-9]{2}-[0-9]{4}$/.test(n)) return true;
  return n.length === 12 && /^[0-9]{6}-[0-9]{5}$/.test(n);
}

export function isValidIorNumber(n: string): boolean {
  return iorShaped(n, true);
}

export async function iorNumberHash(saltHex: string, orgId: string, number: string): Promise<string> {
  if (!isValidIorNumber(number)) throw new Error('IOR_FORMAT');
  if (!orgId) throw new Error('ORG_ID_INVALID');
  const salt = concat(utf8('TRADELEDGER/IOR/v1\0'), fromHex(saltHex), utf8('\0'), utf8(orgId));
  const key = await crypto.subtle.importKey('raw', buf(utf8(number)), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: buf(salt), iterations: IOR_ITERATIONS },
    key,
    256,
  );
  return toHex(new Uint8Array(bits));
}

function containsIorToken(text: string): boolean {
  for (const token of text.split(/[^A-Za-z0-9-]+/)) {
    if (token && iorShaped(token, false)) return true;
  }
  return false;
}

// The JSON pointer of the first member the node would refuse with IOR_CLEARTEXT (a member
// named iorNumber, or any string holding an IOR-shaped token), or null. Mirrors
// FindCleartextIor so the portal refuses before signing.
export function findCleartextIor(value: unknown, where = ''): string | null {
  if (typeof value === 'string') return containsIorToken(value) ? where || '/' : null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findCleartextIor(value[i], `${where}/${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [name, v] of Object.entries(value)) {
      const here = `${where}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      if (name === 'iorNumber' || containsIorToken(name)) return here;
      const found = findCleartextIor(v, here);
      if (found) return found;
    }
  }
  return null;
}
