// Node 18 has WebCrypto under node:crypto but no global `crypto`; the portal's modules use
// the global, as a browser has it.
import { webcrypto } from 'node:crypto';

if (!globalThis.crypto) globalThis.crypto = webcrypto;
