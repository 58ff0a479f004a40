// Signed reads, as src/api/read_auth.cc verifies them. The message is
//   "TRADELEDGER/READ/v1" 0x00 ‖ chain id (32) ‖ time ms (u64) ‖
//   method 0x00 ‖ percent-decoded path 0x00 ‖ decoded query parameters sorted by name as
//   "k=v" joined by '&'
// and the headers are X-TL-Key (hex), X-TL-Time (decimal ms), X-TL-Signature (hex).
// The node accepts a time within five minutes of its clock.

import { toHex, utf8 } from './bytes.js';
import { Encoder } from './codec.js';
import type { Signer } from './tx.js';

const READ_CONTEXT = utf8('TRADELEDGER/READ/v1\0');

export function readSigningMessage(
  chainId: Uint8Array,
  timeMs: number,
  method: string,
  path: string,
  query: Record<string, string>,
): Uint8Array {
  // std::map orders keys by byte value; for the ASCII names the API uses that is JS order.
  const names = Object.keys(query).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const tail = `${method}\0${path}\0` + names.map((k) => `${k}=${query[k]}`).join('&');
  return new Encoder().fixed(READ_CONTEXT).fixed(chainId).u64(BigInt(timeMs)).fixed(utf8(tail)).finish();
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
