// Transactions as src/ledger/transaction.cc builds them (doc/formats.md):
//   payload  = u8 1 ‖ chain id (32) ‖ text type (≤ 64) ‖ u64 nonce ‖ bytes body (≤ 64 KiB)
//   envelope = u8 1 ‖ bytes payload ‖ signer key (32) ‖ signature (64)
//   signature = Ed25519 over "TRADELEDGER/TX/v1" 0x00 ‖ payload
// tx id = SHA-256(envelope). The body is the JSON text exactly as sent; the node never
// re-serialises it.

import { concat, sha256, toHex, utf8 } from './bytes.js';
import { Decoder, Encoder } from './codec.js';

export const MAX_TRANSACTION_BYTES = 64 * 1024;
export const MAX_TX_TYPE_LENGTH = 64;
const TX_CONTEXT = utf8('TRADELEDGER/TX/v1\0');

// Anything that holds an Ed25519 key and signs with it (a WebCrypto key, in the portal).
export interface Signer {
  readonly publicKey: Uint8Array; // 32 bytes
  sign(message: Uint8Array): Promise<Uint8Array>; // 64 bytes
}

export interface TxPayload {
  chainId: Uint8Array; // 32 bytes
  type: string; // [a-z0-9._-]{1,64}
  nonce: bigint;
  body: string; // the JSON document of the type
}

export function encodePayload(p: TxPayload): Uint8Array {
  if (p.chainId.length !== 32) throw new RangeError('chain id must be 32 bytes');
  if (!/^[a-z0-9._-]{1,64}$/.test(p.type)) throw new RangeError(`transaction type '${p.type}'`);
  return new Encoder().u8(1).fixed(p.chainId).text(p.type).u64(p.nonce).text(p.body).finish();
}

export function txSigningMessage(payload: Uint8Array): Uint8Array {
  return concat(TX_CONTEXT, payload);
}

export function encodeEnvelope(payload: Uint8Array, signer: Uint8Array, sig: Uint8Array): Uint8Array {
  if (signer.length !== 32 || sig.length !== 64) throw new RangeError('key 32, signature 64 bytes');
  return new Encoder().u8(1).bytes(payload).fixed(signer).fixed(sig).finish();
}

export async function signTransaction(p: TxPayload, signer: Signer): Promise<Uint8Array> {
  const payload = encodePayload(p);
  const sig = await signer.sign(txSigningMessage(payload));
  const envelope = encodeEnvelope(payload, signer.publicKey, sig);
  if (envelope.length > MAX_TRANSACTION_BYTES) throw new RangeError('TX_TOO_LARGE');
  return envelope;
}

export async function txId(envelope: Uint8Array): Promise<string> {
  return toHex(await sha256(envelope));
}

export interface DecodedTransaction {
  chainId: string;
  type: string;
  nonce: bigint;
  body: string;
  signer: string;
  signature: string;
  payload: Uint8Array;
}

// Strict decode of an envelope (as in a proof bundle); throws DecodeError.
export function decodeEnvelope(envelope: Uint8Array): DecodedTransaction {
  const d = new Decoder(envelope);
  d.version(1);
  const payload = d.bytes(MAX_TRANSACTION_BYTES);
  const signer = toHex(d.fixed(32));
  const signature = toHex(d.fixed(64));
  d.finish();
  const p = new Decoder(payload);
  p.version(1);
  const chainId = toHex(p.fixed(32));
  const type = p.text(MAX_TX_TYPE_LENGTH);
  const nonce = p.u64();
  const body = p.text(MAX_TRANSACTION_BYTES);
  p.finish();
  return { chainId, type, nonce, body, signer, signature, payload };
}

let lastNonce = 0n;

// Microseconds since the epoch, as the CLI's default; strictly increasing within this page
// so two quick submissions by one signer never reuse a nonce (NONCE_REUSED).
export function nextNonce(nowMs: number = Date.now()): bigint {
  let n = BigInt(Math.floor(nowMs)) * 1000n;
  if (n <= lastNonce) n = lastNonce + 1n;
  lastNonce = n;
  return n;
}
