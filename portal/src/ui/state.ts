// Who is signed in: the signer (WebCrypto key) and the node's answer to GET /v1/me.

import { api, type Json } from '../lib/api.js';
import type { WebCryptoSigner } from '../lib/keyfile.js';
import { clearSession, loadSession, saveSession } from '../lib/session.js';

export interface Me {
  orgId: string;
  legalName: string;
  roles: string[];
  admin: boolean;
  customs: boolean;
  iorSalt: string;
}

let me: Me | null = null;

export function currentUser(): Me | null {
  return me;
}

export function hasRole(...roles: string[]): boolean {
  return !!me && roles.some((r) => me!.roles.includes(r));
}

async function fetchMe(): Promise<Me> {
  const body: Json = await api.get('/v1/me');
  return {
    orgId: body.orgId,
    legalName: body.legalName ?? body.orgId,
    roles: Array.isArray(body.roles) ? body.roles : [],
    admin: !!body.admin,
    customs: !!body.customs,
    iorSalt: body.iorSalt ?? '',
  };
}

// Makes `signer` the session's key once the node knows it (GET /v1/me); throws ApiError.
export async function signIn(signer: WebCryptoSigner): Promise<Me> {
  api.signer = signer;
  try {
    me = await fetchMe();
  } catch (e) {
    api.signer = null;
    me = null;
    throw e;
  }
  await saveSession(signer);
  return me;
}

export async function restore(): Promise<Me | null> {
  const signer = await loadSession();
  if (!signer) return null;
  api.signer = signer;
  try {
    me = await fetchMe();
    return me;
  } catch {
    api.signer = null;
    await clearSession();
    return null;
  }
}

export async function signOut(): Promise<void> {
  api.signer = null;
  me = null;
  await clearSession();
}

// The view a user lands on after signing in.
export function homeRoute(): string {
  if (!me) return '#/signin';
  if (me.customs) return '#/officer';
  if (hasRole('RIGHTS_HOLDER', 'LICENSEE') && !hasRole('IMPORTER', 'EXPORTER', 'PRODUCER', 'BROKER')) {
    return '#/rights';
  }
  return '#/trader';
}
