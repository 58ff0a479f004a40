// The exporter / producer / importer / broker view: my certifications (issue, supersede,
// withdraw, the claims citing them), my entries and their decisions, opening an entry by
// number, and filing delegations (delegation.grant / delegation.revoke, rule 25).
// Sub-routes: #/trader/certify[?supersedes=ID] and #/trader/file are the two long forms.

import { api, type Json } from '../lib/api.js';
import { canonicalEntryNumber } from '../lib/entrynumber.js';
import { lang, t } from '../i18n/i18n.js';
import { stateWords } from '../i18n/states.js';
import {
  badge, button, checkbox, errorPanel, field, formValue, formValues, input, loading, openDialog, reasonList, rowActions, section, table,
} from '../ui/components.js';
import { formatTime, h, replace } from '../ui/dom.js';
import { addMonths, isoDate, ledgerNow } from '../ui/clock.js';
import { currentUser, hasRole } from '../ui/state.js';
import { renderCertForm } from './certform.js';
import { renderEntryForm } from './entryform.js';
import { certPeriod, entriesTable, indexAssessments, loadAll } from './records.js';

const SCOPES = ['FILE_ENTRY', 'CLAIM_PREFERENCE', 'PRESENT_LICENSE'];

export function renderTrader(main: HTMLElement, path: string[], query: URLSearchParams): void {
  if (!currentUser()) {
    location.hash = '#/signin';
    return;
  }
  if (path[0] === 'certify') return renderCertForm(main, query.get('supersedes'));
  if (path[0] === 'file') return renderEntryForm(main);
  const me = currentUser()!;
  const certifier = hasRole('EXPORTER', 'PRODUCER', 'IMPORTER');
  const filer = hasRole('IMPORTER', 'BROKER');
  const certs = h('div', null, loading());
  const citing = h('div', { class: 'citing' });
  const entries = h('div', null, loading());
  const delegations = h('div', null, loading());
  const refresh = () => renderTrader(main, path, query);

  replace(main,
    h('h1', null, t('trader.title')),
    h('p', { class: 'lead' }, t('trader.lead', { org: me.legalName })),
    certifier ? section('trader.certs',
      h('div', { class: 'toolbar' }, h('a', { class: 'btn btn-primary', href: '#/trader/certify' }, t('trader.issue'))),
      certs, citing) : '',
    filer ? section('trader.entries',
      h('div', { class: 'toolbar' }, h('a', { class: 'btn btn-primary', href: '#/trader/file' }, t('trader.file'))),
      entries) : '',
    // A certifier that files nothing still sees the decisions on claims citing its
    // certifications (the node's claim-status view: no entry values).
    certifier && !filer ? section('trader.decisions', h('p', { class: 'hint' }, t('trader.decisionsHint')), entries) : '',
    section('trader.open', openEntryForm()),
    filer ? section('trader.delegations', delegations) : '',
  );

  const kinds = [certifier ? 'certifications' : '', 'entries', filer ? 'assessments' : '', filer ? 'delegations' : ''].filter(Boolean);
  loadAll(kinds).then((data) => {
    if (certifier) replace(certs, certsTable(data.certifications ?? [], me.orgId, citing, refresh));
    replace(entries, entriesTable(data.entries ?? [], indexAssessments(data.assessments ?? [])));
    if (filer) replace(delegations, delegationsPanel(data.delegations ?? [], me.orgId, refresh));
  }).catch((err) => {
    for (const slot of [certs, entries, delegations]) replace(slot, errorPanel(err, 'error.load'));
  });
}

function certsTable(all: Json[], orgId: string, citing: HTMLElement, refresh: () => void): HTMLElement {
  const mine = all.filter((c) => c.certifierOrg === orgId || c.importerOrg === orgId);
  const rows = mine.map((c) => {
    const own = c.certifierOrg === orgId;
    const actions: HTMLElement[] = [button(t('trader.showClaims'), () => void showClaims(c.certId, citing))];
    if (own && c.state === 'ISSUED') {
      actions.push(
        h('a', { class: 'btn btn-secondary', href: `#/trader/certify?supersedes=${encodeURIComponent(c.certId)}` }, t('trader.supersede')),
        button(t('trader.withdraw'), () => openDialog(t('trader.withdrawTitle', { id: c.certId }), [
          h('p', null, t('trader.withdrawText')),
          field(t('common.reason'), h('textarea', { name: 'reason', rows: 3, maxlength: 1024 })),
        ], t('trader.withdraw'), async (form) => {
          const body: Json = { certId: c.certId };
          const reason = formValue(form, 'reason');
          if (reason) body.reason = reason;
          const out = await api.submit('cert.withdraw', body);
          return t('tx.committed', { height: out.height ?? '?' });
        }, refresh)),
      );
    }
    return [
      h('span', { class: 'mono strong' }, c.certId),
      c.agreement,
      own ? stateWords(c.certifierRole, lang()) : t('trader.namedImporter'),
      h('span', { class: 'nowrap' }, certPeriod(c)),
      (c.goods ?? []).map((g: Json) => h('span', { class: 'sub' }, `${g.hsCode} · ${g.description}`)),
      badge(c.effectiveState ?? c.state),
      rowActions(c.certId, actions),
    ];
  });
  return table(t('trader.certs'),
    [t('cert.id'), t('cert.agreement'), t('cert.role'), t('cert.period'), t('cert.goods'), t('common.state'), t('common.actions')],
    rows, t('trader.noCerts'));
}

async function showClaims(certId: string, slot: HTMLElement): Promise<void> {
  replace(slot, loading());
  try {
    const body = await api.get(`/v1/certifications/${certId}/claims`);
    const rows = (body.claims ?? []).map((c: Json) => [h('span', { class: 'mono' }, c.claimId), badge(c.state), reasonList(c.reasonCodes)]);
    replace(slot, h('h3', { tabindex: '-1' }, t('trader.claimsOf', { id: certId })),
      table(t('trader.claimsOf', { id: certId }), [t('entries.claim'), t('common.state'), t('entries.reasons')], rows, t('trader.noClaims')));
  } catch (err) {
    replace(slot, errorPanel(err, 'error.load'));
  }
  slot.querySelector<HTMLElement>('h3')?.focus();
}

// Opens any entry by number: the node decides what this reader may see (rule 31).
function openEntryForm(): HTMLElement {
  const number = input('entryNumber', { required: true, class: 'mono', placeholder: 'ABC-1234567-8' });
  const out = h('div', { class: 'lookup-result', 'aria-live': 'polite' });
  const form = h('form', { class: 'inline-form', novalidate: true },
    field(t('entries.number'), number, t('entries.numberHint')),
    h('button', { type: 'submit', class: 'btn btn-primary' }, t('trader.openEntry')),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const n = canonicalEntryNumber(number.value) ?? number.value.trim().toUpperCase();
    replace(out, loading());
    try {
      const entry = await api.get(`/v1/entries/${n}`);
      replace(out, entry.view === 'claim-status' ? h('p', { class: 'hint' }, t('trader.claimStatusOnly')) : '',
        entriesTable([entry], new Map()));
    } catch (err) {
      replace(out, errorPanel(err, 'error.load'));
    }
  });
  return h('div', null, form, out);
}

function delegationsPanel(all: Json[], orgId: string, refresh: () => void): HTMLElement {
  const rows = all.map((d) => [
    h('span', { class: 'mono' }, d.delegationId),
    d.principal,
    d.agent,
    (d.scope ?? []).map((s: string) => stateWords(s, lang())).join(', '),
    `${formatTime(d.validFrom)} – ${formatTime(d.validTo)}`,
    badge(d.state),
    d.principal === orgId && d.state === 'ACTIVE' && hasRole('IMPORTER')
      ? rowActions(d.delegationId, [button(t('trader.revoke'), () => openDialog(t('trader.revokeTitle', { id: d.delegationId }), [h('p', null, t('trader.revokeText', { agent: d.agent }))],
        t('trader.revoke'), async () => t('tx.committed', { height: (await api.submit('delegation.revoke', { delegationId: d.delegationId })).height ?? '?' }), refresh))])
      : '',
  ]);
  return h('div', null,
    hasRole('IMPORTER') ? h('div', { class: 'toolbar' }, button(t('trader.grant'), () => void grantDialog(refresh), 'primary')) : '',
    table(t('trader.delegations'),
      [t('deleg.id'), t('deleg.principal'), t('deleg.agent'), t('deleg.scope'), t('deleg.validity'), t('common.state'), t('common.actions')],
      rows, t('trader.noDelegations')));
}

async function grantDialog(refresh: () => void): Promise<void> {
  const today = isoDate(await ledgerNow());
  openDialog(t('trader.grantTitle'), [
    field(t('deleg.id'), input('delegationId', { required: true, maxlength: 128, value: `DEL-${Date.now().toString(36).toUpperCase()}` })),
    field(t('deleg.agent'), input('agent', { required: true }), t('deleg.agentHint')),
    h('fieldset', null, h('legend', null, t('deleg.scope')), SCOPES.map((s) => checkbox('scope', stateWords(s, lang()), s !== 'PRESENT_LICENSE', s))),
    field(t('deleg.validFrom'), input('validFrom', { type: 'date', required: true, value: today })),
    field(t('deleg.validTo'), input('validTo', { type: 'date', required: true, value: addMonths(today, 12) })),
  ], t('trader.grant'), async (form) => {
    const scope = formValues(form, 'scope');
    if (scope.length === 0) throw new Error('PAYLOAD_INVALID');
    const out = await api.submit('delegation.grant', {
      delegationId: formValue(form, 'delegationId'), agent: formValue(form, 'agent'), scope,
      validFrom: formValue(form, 'validFrom'), validTo: formValue(form, 'validTo'),
    });
    return t('tx.committed', { height: out.height ?? '?' });
  }, refresh);
}
