// Signed reads, as src/api/read_auth.cc verifies them. The message is
//   "TRADELEDGER/READ/v2" 0x00 ‖ chain id (32) ‖ time ms (u64) ‖ str(method) ‖
//   str(percent-decoded path) ‖ u32 count ‖ for each decoded query parameter sorted by name:
//   str(name) ‖ str(value)
// where str(x) = u32 big-endian length ‖ UTF-8 bytes, and the headers are X-TL-Key (hex),
// X-TL-Time (decimal ms), X-TL-Signature (hex). The node accepts a time within five minutes
// of its clock.

import { toHex, utf8 } from './bytes.js';
import { Encoder } from './codec.js';
import type { Signer } from './tx.js';

const READ_CONTEXT = utf8('TRADELEDGER/READ/v2\0');

export function readSigningMessage(
  chainId: Uint8Array,
  timeMs: number,
  method: string,
  path: string,
  query: Record<string, string>,
): Uint8Array {
  // std::map orders keys by byte value; for the ASCII names the API uses that is JS order.
  const names = Object.keys(query).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const e = new Encoder().fixed(READ_CONTEXT).fixed(chainId).u64(BigInt(timeMs));
  e.text(method).text(path).u32(names.length);
  for (const k of names) e.text(k).text(query[k]);
  return e.finish();
}

export async function signReadHeaders(
  chainId: Uint8Array,
  signer: Signer,
  timeMs: number,
  method: string,
  path: string,
  query: Record<string, string>,
): Promise<Record<string, string>> {
  const sig = await signer.sign(readSigningMessage(chainId, timeMs, method, path, query));
  return {
    'X-TL-Key': toHex(signer.publicKey),
    'X-TL-Time': String(timeMs),
    'X-TL-Signature': toHex(sig),
  };
}

// The URL of a path and query: each path segment and query value percent-encoded so the
// node decodes exactly `path` and `query` (claim ids hold '#', recordation numbers a space).
export function encodeTarget(path: string, query: Record<string, string> = {}): string {
  const encodedPath = path.split('/').map((s) => encodeURIComponent(s)).join('/');
  const q = Object.keys(query)
    .map((k) => `${encodeURIComponent(k)}=${encodeURIComponent(query[k])}`)
    .join('&');
  return q ? `${encodedPath}?${q}` : encodedPath;
}
