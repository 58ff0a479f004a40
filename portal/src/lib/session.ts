// The signed-in key for this browser session. The non-extractable CryptoKey (never the seed)
// is kept in IndexedDB so a reload keeps the user signed in; a sessionStorage marker ties it
// to this tab's session: a new session finds no marker and wipes the stored key.

import { fromHex } from './bytes.js';
import { WebCryptoSigner } from './keyfile.js';

const DB = 'tradeledger-portal';
const STORE = 'keys';
const MARKER = 'tl.session';

interface StoredKey {
  privateKey: CryptoKey;
  publicKeyHex: string;
}

function open(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

async function run<T>(mode: IDBTransactionMode, op: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  const db = await open();
  try {
    return await new Promise<T>((resolve, reject) => {
      const req = op(db.transaction(STORE, mode).objectStore(STORE));
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  } finally {
    db.close();
  }
}

export async function saveSession(signer: WebCryptoSigner): Promise<void> {
  const value: StoredKey = { privateKey: signer.privateKey, publicKeyHex: signer.publicKeyHex };
  await run('readwrite', (s) => s.put(value, 'current'));
  sessionStorage.setItem(MARKER, signer.publicKeyHex);
}

export async function loadSession(): Promise<WebCryptoSigner | null> {
  try {
    if (!sessionStorage.getItem(MARKER)) {
      await clearSession();
      return null;
    }
    const stored = (await run('readonly', (s) => s.get('current'))) as StoredKey | undefined;
    if (!stored) return null;
    return new WebCryptoSigner(stored.privateKey, fromHex(stored.publicKeyHex));
  } catch {
    return null; // no IndexedDB (private mode): the user signs in again
  }
}

export async function clearSession(): Promise<void> {
  sessionStorage.removeItem(MARKER);
  try {
    await run('readwrite', (s) => s.delete('current'));
  } catch {
    /* nothing stored */
  }
}
