// Key files (doc/formats.md "Key files"): three lines
//   tradeledger-ed25519-key-v1
//   seed <64 hex>
//   public <64 hex>
// The seed becomes a NON-extractable WebCrypto Ed25519 private key (PKCS#8 DER: the fixed
// 16-byte prefix below, then the 32-byte seed). The seed text is never stored; callers drop
// it as soon as importSigner returns.

import { buf, concat, fromHex, isHex, toHex, utf8 } from './bytes.js';
import type { Signer } from './tx.js';

const PKCS8_ED25519_PREFIX = fromHex('302e020100300506032b657004220420');

export class KeyFileError extends Error {
  constructor(readonly code: 'KEY_FILE_FORMAT' | 'KEY_FILE_CORRUPT' | 'KEY_UNSUPPORTED') {
    super(code);
  }
}

export interface ParsedKeyFile {
  seed: Uint8Array;
  publicKey: Uint8Array;
}

export function parseKeyFile(text: string): ParsedKeyFile {
  const lines = text.replace(/\r\n/g, '\n').trim().split('\n').map((l) => l.trim());
  if (lines.length !== 3 || lines[0] !== 'tradeledger-ed25519-key-v1') {
    throw new KeyFileError('KEY_FILE_FORMAT');
  }
  const seed = /^seed ([0-9a-fA-F]+)$/.exec(lines[1]);
  const pub = /^public ([0-9a-fA-F]+)$/.exec(lines[2]);
  if (!seed || !pub || !isHex(seed[1], 64) || !isHex(pub[1], 64)) {
    throw new KeyFileError('KEY_FILE_FORMAT');
  }
  return { seed: fromHex(seed[1]), publicKey: fromHex(pub[1]) };
}

// A Signer over a CryptoKey; the public key is checked against it by signing and verifying.
export class WebCryptoSigner implements Signer {
  constructor(
    readonly privateKey: CryptoKey,
    readonly publicKey: Uint8Array,
  ) {}

  get publicKeyHex(): string {
    return toHex(this.publicKey);
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    return new Uint8Array(await crypto.subtle.sign('Ed25519', this.privateKey, buf(message)));
  }
}

export async function importSigner(parsed: ParsedKeyFile): Promise<WebCryptoSigner> {
  let privateKey: CryptoKey;
  try {
    privateKey = await crypto.subtle.importKey(
      'pkcs8',
      buf(concat(PKCS8_ED25519_PREFIX, parsed.seed)),
      { name: 'Ed25519' },
      false, // non-extractable: script can sign with it, never read it back
      ['sign'],
    );
  } catch {
    throw new KeyFileError('KEY_UNSUPPORTED');
  }
  const signer = new WebCryptoSigner(privateKey, parsed.publicKey);
  await checkPair(signer);
  return signer;
}

// KEY_FILE_CORRUPT when the public line is not the seed's key (as the CLI refuses it).
export async function checkPair(signer: WebCryptoSigner): Promise<void> {
  const probe = utf8('TRADELEDGER/PORTAL/key-check');
  const sig = await signer.sign(probe);
  let ok = false;
  try {
    const pub = await crypto.subtle.importKey('raw', buf(signer.publicKey), { name: 'Ed25519' }, false, ['verify']);
    ok = await crypto.subtle.verify('Ed25519', pub, buf(sig), buf(probe));
  } catch {
    ok = false;
  }
  if (!ok) throw new KeyFileError('KEY_FILE_CORRUPT');
}
