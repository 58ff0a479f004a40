// The node's HTTP API as the portal uses it. Same origin: the node serves the portal.
//   unsigned: GET /health, /v1/validators, /v1/blocks/{h|latest}, POST /v1/proofs/verify
//   signed:   every other GET (readauth.ts), chain id from /health
//   submit:   POST /v1/transactions?wait=commit {"transaction": base64(envelope)}
// Every failure is an ApiError carrying the node's reason code (or a local one such as
// NETWORK_ERROR), so views can show the code and its meaning.

import { fromHex, toBase64 } from './bytes.js';
import { encodeTarget, signReadHeaders } from './readauth.js';
import { nextNonce, signTransaction, txId, type Signer } from './tx.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly reasons: string[] = [code],
  ) {
    super(message);
  }
}

// What POST /v1/transactions answers once committed (api/ledger_reads.cc OutcomeJson).
export interface TxOutcome {
  tx_id: string;
  status: 'committed' | 'pending';
  height?: number;
  position?: number;
  result_code?: string;
  reasons?: string[];
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

async function parse(res: Response): Promise<Json> {
  const text = await res.text();
  let body: Json = {};
  try {
    body = text ? JSON.parse(text) : {};
  } catch {
    throw new ApiError(res.status, 'RESPONSE_INVALID', text.slice(0, 200));
  }
  if (!res.ok) {
    const e = body.error ?? {};
    throw new ApiError(res.status, e.code ?? `HTTP_${res.status}`, e.message ?? res.statusText);
  }
  return body;
}

async function send(url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { cache: 'no-store', ...init });
  } catch (e) {
    throw new ApiError(0, 'NETWORK_ERROR', String(e));
  }
}

export class Api {
  private chainId: Uint8Array | null = null;
  signer: Signer | null = null;

  constructor(private readonly base = '') {}

  async getUnsigned(path: string): Promise<Json> {
    return parse(await send(this.base + encodeTarget(path)));
  }

  health(): Promise<Json> {
    return this.getUnsigned('/health');
  }

  async chain(): Promise<Uint8Array> {
    if (!this.chainId) this.chainId = fromHex((await this.health()).chain_id);
    return this.chainId;
  }

  // GET signed by the signed-in key; `path` is the decoded path (it is what is signed).
  async get(path: string, query: Record<string, string> = {}): Promise<Json> {
    if (!this.signer) return parse(await send(this.base + encodeTarget(path, query)));
    const headers = await signReadHeaders(await this.chain(), this.signer, Date.now(), 'GET', path, query);
    return parse(await send(this.base + encodeTarget(path, query), { headers }));
  }

  // One page of a list route (GET /v1/<kind>?after=&limit=): {items, next}.
  async page(kind: string, after: string | null = null, limit = 50): Promise<Page<Json>> {
    const query: Record<string, string> = { limit: String(limit) };
    if (after) query.after = after;
    const body = await this.get(`/v1/${kind}`, query);
    return { items: Array.isArray(body.items) ? body.items : [], next: body.next ?? null };
  }

  // Every page of a list route, up to `max` items.
  async list(kind: string, max = 1000): Promise<Json[]> {
    const out: Json[] = [];
    let after: string | null = null;
    do {
      const p = await this.page(kind, after, 200);
      out.push(...p.items);
      after = p.next;
    } while (after && out.length < max);
    return out;
  }

  // Signs, submits and waits for the commit. A refused request (4xx/5xx) throws ApiError; a
  // committed transaction whose rules failed throws ApiError with every failing reason.
  async submit(type: string, body: Json): Promise<TxOutcome> {
    if (!this.signer) throw new ApiError(401, 'AUTH_REQUIRED', 'sign in first');
    const envelope = await signTransaction(
      { chainId: await this.chain(), type, nonce: nextNonce(), body: JSON.stringify(body) },
      this.signer,
    );
    const res = await send(`${this.base}/v1/transactions?wait=commit`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ transaction: toBase64(envelope) }),
    });
    const out = (await parse(res)) as TxOutcome;
    if (out.status === 'pending') {
      throw new ApiError(202, 'TX_PENDING', `transaction ${await txId(envelope)} is not committed yet`);
    }
    if (out.result_code && out.result_code !== 'OK') {
      const reasons = out.reasons?.length ? out.reasons : [out.result_code];
      throw new ApiError(200, out.result_code, `transaction ${out.tx_id}`, reasons);
    }
    return out;
  }

  // Unsigned: the node checks the bundle against its validator history.
  async verifyProof(bundle: unknown): Promise<Json> {
    const res = await send(`${this.base}/v1/proofs/verify`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(bundle),
    });
    return parse(res);
  }
}

export const api = new Api();
