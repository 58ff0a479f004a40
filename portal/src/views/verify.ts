// Verify, for anyone (signed in or not): paste or upload a proof bundle (GET /v1/proofs/...,
// or the output of `tradeledger tx submit`), optionally with the document it should cover.
// The node checks the bundle against its validator history (POST /v1/proofs/verify, the
// checks of `tradeledger verify`); the portal says in words what was proved, by which
// validators, at which height. A document is compared with the contentHash in the proven
// transaction by its SHA-256, computed here.

import { api, type Json } from '../lib/api.js';
import { fromBase64, fromUtf8, sha256, toHex } from '../lib/bytes.js';
import { decodeEnvelope } from '../lib/tx.js';
import type { MessageKey } from '../i18n/en.js';
import { lang, t } from '../i18n/i18n.js';
import { reasonWords } from '../i18n/reasons.js';
import { errorPanel, field } from '../ui/components.js';
import { h, replace, short } from '../ui/dom.js';

const KINDS: Record<string, MessageKey> = {
  'tradeledger.proof.inclusion.v1': 'verify.kindInclusion',
  'tradeledger.proof.inclusion-id.v1': 'verify.kindInclusionId',
  'tradeledger.proof.consistency.v1': 'verify.kindConsistency',
  'tradeledger.proof.state.v1': 'verify.kindState',
};

// The proven transaction's body, when the bundle carries the envelope.
function provenBody(bundle: Json): { type: string; signer: string; body: Json | null } | null {
  if (typeof bundle.transaction !== 'string') return null;
  try {
    const tx = decodeEnvelope(fromBase64(bundle.transaction));
    let body: Json | null = null;
    try {
      body = JSON.parse(tx.body);
    } catch {
      body = null;
    }
    return { type: tx.type, signer: tx.signer, body };
  } catch {
    return null;
  }
}

function stateValue(bundle: Json): string | null {
  if (typeof bundle.value !== 'string') return null;
  try {
    return fromUtf8(fromBase64(bundle.value));
  } catch {
    return null;
  }
}

export function renderVerify(main: HTMLElement): void {
  const text = h('textarea', { name: 'bundle', rows: 10, class: 'mono', spellcheck: 'false', autocomplete: 'off' });
  const file = h('input', { type: 'file', name: 'bundleFile', accept: '.json,application/json' });
  const doc = h('input', { type: 'file', name: 'document' });
  const result = h('div', { class: 'verify-result', 'aria-live': 'polite', tabindex: '-1' });
  const form = h('form', { class: 'panel', novalidate: true },
    field(t('verify.paste'), text, t('verify.pasteHint')),
    field(t('verify.upload'), file),
    field(t('verify.document'), doc, t('verify.documentHint')),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary' }, t('verify.submit'))),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(result, h('p', { class: 'loading' }, t('common.loading')));
    try {
      const raw = file.files?.[0] ? await file.files[0].text() : text.value;
      let bundle: Json;
      try {
        bundle = JSON.parse(raw);
      } catch {
        replace(result, invalid('PROOF_MALFORMED', t('verify.notJson')));
        return;
      }
      if (bundle && !bundle.kind && bundle.proof) bundle = bundle.proof; // `tx submit` output
      const answer = await api.verifyProof(bundle);
      if (!answer.valid) {
        replace(result, invalid(answer.code ?? 'PROOF_INVALID', answer.message ?? ''));
      } else {
        const docFile = doc.files?.[0];
        const docHash = docFile ? toHex(await sha256(new Uint8Array(await docFile.arrayBuffer()))) : null;
        replace(result, valid(answer, bundle, docHash));
      }
    } catch (err) {
      replace(result, errorPanel(err, 'verify.failed'));
    }
    result.focus();
  });
  replace(result, h('aside', { class: 'panel note' },
    h('h2', null, t('verify.howTitle')),
    h('ul', null, h('li', null, t('verify.how1')), h('li', null, t('verify.how2')), h('li', null, t('verify.how3')))));
  replace(main, h('h1', null, t('verify.title')), h('p', { class: 'lead' }, t('verify.lead')),
    h('div', { class: 'two-col wide-left' }, form, result));
}

function invalid(code: string, message: string): HTMLElement {
  return h('div', { class: 'verdict verdict-bad', role: 'alert' },
    h('p', { class: 'verdict-title' }, t('verify.invalid')),
    h('p', null, h('code', null, code), ' ', reasonWords(code, lang())),
    message ? h('p', { class: 'sub' }, t('verify.nodeSays', { message })) : '');
}

function valid(answer: Json, bundle: Json, docHash: string | null): HTMLElement {
  const kind = KINDS[answer.kind ?? bundle.kind];
  const proven = provenBody(bundle);
  const facts: Array<[string, Node | string]> = [
    [t('verify.what'), kind ? t(kind, { height: answer.height, tx: short(bundle.tx_id, 16), from: bundle.from?.height ?? '', to: bundle.to?.height ?? '' }) : String(answer.kind)],
    [t('verify.height'), String(answer.height ?? bundle.height ?? '—')],
    [t('verify.signers'), h('ul', { class: 'plain signers' }, (answer.signers ?? []).map((s: string) => h('li', null, s)))],
    [t('verify.chain'), h('span', { class: 'mono' }, short(answer.chainId ?? bundle.chain_id, 16))],
  ];
  if (answer.summary) facts.splice(1, 0, [t('verify.summary'), String(answer.summary)]);
  if (proven) {
    facts.push([t('verify.txType'), h('code', null, proven.type)]);
    facts.push([t('verify.txSigner'), h('span', { class: 'mono' }, short(proven.signer, 16))]);
    const b = proven.body ?? {};
    const id = b.certId ?? b.docId ?? b.entryNumber ?? b.licenseId ?? b.delegationId ?? b.caseId ?? b.claimId ?? b.recordationNo ?? b.orgId;
    if (id) facts.push([t('verify.record'), h('span', { class: 'mono' }, String(id))]);
  }
  const state = stateValue(bundle);
  if (bundle.key && typeof bundle.key === 'string') {
    try {
      facts.push([t('verify.stateKey'), h('code', null, fromUtf8(fromBase64(bundle.key)))]);
    } catch {
      /* binary key */
    }
  }
  if (state !== null) facts.push([t('verify.stateValue'), h('code', { class: 'wrap' }, state.slice(0, 400))]);
  let docVerdict: HTMLElement | string = '';
  if (docHash) {
    const anchored = proven?.body?.contentHash ?? proven?.body?.presentedHash;
    const match = typeof anchored === 'string' && anchored.toLowerCase() === docHash;
    docVerdict = h('div', { class: `verdict ${match ? 'verdict-good' : 'verdict-bad'}` },
      h('p', { class: 'verdict-title' }, match ? t('verify.docMatch') : t('verify.docMismatch')),
      h('p', { class: 'mono sub' }, `SHA-256 ${docHash}`),
      anchored ? h('p', { class: 'mono sub' }, t('verify.anchoredHash', { hash: String(anchored) })) : h('p', { class: 'sub' }, t('verify.noHashInProof')));
  }
  return h('div', null,
    h('div', { class: 'verdict verdict-good', role: 'status' },
      h('p', { class: 'verdict-title' }, t('verify.valid')),
      h('p', null, t('verify.validText', { height: answer.height ?? '—', n: (answer.signers ?? []).length }))),
    h('dl', { class: 'facts' }, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])),
    docVerdict);
}
