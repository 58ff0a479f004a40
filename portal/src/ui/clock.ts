// The ledger's "today": forms default their dates to it, since rules judge dates against the
// block time, which on a ledger-clock network (demos, tests) is not the browser's clock.
// Sources, first that answers: GET /v1/me "ledgerTime" (ms), the ledger clock's state entry
// config/ledger-clock {"now": ms} (a signed, member-readable state proof), the latest block's
// timestamp, the browser's clock.

import { api } from '../lib/api.js';
import { fromBase64, fromUtf8 } from '../lib/bytes.js';

let cached: { at: number; ms: number } | null = null;

export async function ledgerNow(): Promise<number> {
  if (cached && Date.now() - cached.at < 15_000) return cached.ms;
  let ms: number | null = null;
  try {
    const me = await api.get('/v1/me');
    if (typeof me.ledgerTime === 'number') ms = me.ledgerTime;
  } catch {
    /* fall through */
  }
  if (ms === null) {
    try {
      const proof = await api.get('/v1/state/proof', { key: 'config/ledger-clock' });
      if (typeof proof.value === 'string') ms = Number(JSON.parse(fromUtf8(fromBase64(proof.value))).now);
    } catch {
      /* validator clocks, or not readable */
    }
  }
  if (ms === null || !Number.isFinite(ms)) {
    try {
      ms = Number((await api.getUnsigned('/v1/blocks/latest')).header.timestamp_ms);
    } catch {
      ms = Date.now();
    }
  }
  cached = { at: Date.now(), ms };
  return ms;
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
