// The rights holder / licensee view (doc/rules-ipr.md): recordations, licence chains drawn as
// a tree (GET /v1/recordations/{no}/licences), grant / suspend / reinstate / revoke, and the
// flags raised on entry lines that presented my licences (assessments a licensor may see:
// {result, reasonCodes, licenseChain, assessedAt}).
// Bodies: ipr.recordation.apply, ipr.license.issue, ipr.license.suspend|reinstate|revoke.

import { api, type Json } from '../lib/api.js';
import { lang, t } from '../i18n/i18n.js';
import { stateWords } from '../i18n/states.js';
import {
  badge, button, checkbox, errorPanel, field, formValue, formValues, input, loading, openDialog, reasonList, rowActions, section, select, splitList, table,
} from '../ui/components.js';
import { addMonths, isoDate, ledgerNow } from '../ui/clock.js';
import { formatTime, h, replace } from '../ui/dom.js';
import { currentUser, hasRole } from '../ui/state.js';
import { loadAll } from './records.js';

const committed = (height: number | undefined) => t('tx.committed', { height: height ?? '?' });

export function renderRights(main: HTMLElement): void {
  const me = currentUser();
  if (!me) {
    location.hash = '#/signin';
    return;
  }
  const recs = h('div', null, loading());
  const trees = h('div', null, loading());
  const flags = h('div', null, loading());
  const refresh = () => renderRights(main);
  replace(main,
    h('h1', null, t('rights.title')),
    h('p', { class: 'lead' }, t('rights.lead', { org: me.legalName })),
    section('rights.recordations', recs),
    section('rights.chains', trees),
    section('rights.flags', flags),
  );

  loadAll(['recordations', 'licences', 'assessments']).then(async (data) => {
    const mine = data.recordations.filter((r) => r.owner === me.orgId);
    replace(recs,
      hasRole('RIGHTS_HOLDER') ? h('div', { class: 'toolbar' },
        button(t('rights.apply'), () => void applyDialog(refresh), 'primary'),
        button(t('rights.grant'), () => void grantDialog(mine, null, refresh))) : '',
      table(t('rights.recordations'),
        [t('rec.no'), t('rec.mark'), t('rec.rightType'), t('rec.classes'), t('common.state'), t('rec.validUntil')],
        mine.map((r) => [h('span', { class: 'mono strong' }, r.recordationNo), r.mark, stateWords(r.rightType, lang()),
          (r.intlClasses ?? []).join(', '), badge(r.effectiveState ?? r.state), formatTime(r.validUntil)]),
        t('rights.noRecordations')));
    const numbers = new Set<string>(mine.map((r) => r.recordationNo));
    // Licences I am party to come in full (with effectiveState); others as a reduced view.
    for (const l of data.licences) if (l.effectiveState) for (const r of l.recordationRefs ?? []) numbers.add(r);
    const chains = await Promise.all([...numbers].map((no) => api.get(`/v1/recordations/${no}/licences`)));
    const byId = new Map(data.licences.map((l) => [l.licenseId, l]));
    replace(trees, chains.length === 0 ? h('p', { class: 'empty' }, t('rights.noLicences')) :
      chains.map((c) => h('div', { class: 'chain' },
        h('h3', null, t('rights.chainOf', { no: c.recordationNo })),
        c.licenses?.length ? h('ul', { class: 'tree' }, c.licenses.map((n: Json) => treeNode(n, byId, me.orgId, mine, refresh)))
          : h('p', { class: 'empty' }, t('rights.noLicences')))));
    const raised = data.assessments.filter((a) => a.result === 'FLAG' || a.result === 'FACILITATE');
    replace(flags, table(t('rights.flags'),
      [t('rights.result'), t('entries.reasons'), t('rights.licenceChain'), t('rights.assessedAt')],
      raised.map((a) => [badge(a.result), reasonList(a.reasonCodes), h('span', { class: 'mono' }, (a.licenseChain ?? []).join(' → ')), formatTime(a.assessedAt)]),
      t('rights.noFlags')));
  }).catch((err) => {
    for (const slot of [recs, trees, flags]) replace(slot, errorPanel(err, 'error.load'));
  });
}

// One licence and its sublicences; the tree is nested lists (role-free: lists read well).
function treeNode(n: Json, byId: Map<string, Json>, orgId: string, mine: Json[], refresh: () => void): HTMLElement {
  const full = byId.get(n.licenseId) ?? {};
  const actions: HTMLElement[] = [];
  const own = n.ownState ?? full.ownState;
  if (n.licensor === orgId) {
    if (own === 'ACTIVE' || own === 'ISSUED') actions.push(button(t('rights.suspend'), () => stateDialog('suspend', n.licenseId, refresh)));
    if (own === 'SUSPENDED') actions.push(button(t('rights.reinstate'), () => stateDialog('reinstate', n.licenseId, refresh)));
    if (own !== 'REVOKED') actions.push(button(t('rights.revoke'), () => stateDialog('revoke', n.licenseId, refresh), 'danger'));
  }
  if (n.licensee === orgId && (n.permissions ?? []).includes('SUBLICENSE') && n.effectiveState === 'ACTIVE') {
    actions.push(button(t('rights.sublicense'), () => void grantDialog(mine, n.licenseId, refresh)));
  }
  return h('li', null,
    h('div', { class: 'node' },
      h('div', { class: 'node-head' },
        h('span', { class: 'mono strong' }, n.licenseId),
        badge(n.effectiveState),
        own && own !== n.effectiveState ? h('span', { class: 'sub' }, t('rights.ownState', { state: stateWords(own, lang()) })) : ''),
      n.licensor ? h('p', { class: 'sub' }, t('rights.parties', { licensor: n.licensor, licensee: n.licensee })) : '',
      n.permissions ? h('p', { class: 'sub' }, (n.permissions as string[]).map((p) => stateWords(p, lang())).join(' · ')) : '',
      full.quantityLimit ? h('p', { class: `sub${(full.quantityUsed ?? 0) > full.quantityLimit ? ' over-limit' : ''}` }, t('rights.quantity', { used: full.quantityUsed ?? 0, limit: full.quantityLimit })) : '',
      actions.length ? rowActions(n.licenseId, actions) : ''),
    n.children?.length ? h('ul', null, n.children.map((c: Json) => treeNode(c, byId, orgId, mine, refresh))) : '');
}

function stateDialog(action: 'suspend' | 'reinstate' | 'revoke', id: string, refresh: () => void): void {
  const label = t(`rights.${action}`);
  openDialog(`${label}: ${id}`, [
    h('p', null, t(`rights.${action}Text`)),
    field(t('common.reason'), h('textarea', { name: 'reason', rows: 3, maxlength: 1024 })),
  ], label, async (form) => {
    const body: Json = { licenseId: id };
    const reason = formValue(form, 'reason');
    if (reason) body.reason = reason;
    return committed((await api.submit(`ipr.license.${action}`, body)).height);
  }, refresh);
}

async function applyDialog(refresh: () => void): Promise<void> {
  const today = isoDate(await ledgerNow());
  openDialog(t('rights.applyTitle'), [
    field(t('rec.no'), input('recordationNo', { required: true, class: 'mono', placeholder: 'TMK 24-00001' }), t('rec.noHint')),
    field(t('rec.rightType'), select('rightType', ['TRADEMARK', 'COPYRIGHT', 'TRADE_NAME'].map((r) => [r, stateWords(r, lang())]))),
    field(t('rec.registrationNo'), input('registrationNo', { required: true })),
    field(t('rec.mark'), input('mark', { required: true })),
    field(t('rec.goods'), h('textarea', { name: 'goodsDescription', rows: 2, required: true })),
    field(t('rec.classes'), input('intlClasses', { value: '12' }), t('rec.classesHint')),
    field(t('rec.validUntil'), input('validUntil', { type: 'date', required: true, value: addMonths(today, 120) })),
  ], t('rights.apply'), async (form) => committed((await api.submit('ipr.recordation.apply', {
    recordationNo: formValue(form, 'recordationNo'), rightType: formValue(form, 'rightType'),
    registrationNo: formValue(form, 'registrationNo'), mark: formValue(form, 'mark'),
    goodsDescription: formValue(form, 'goodsDescription'),
    intlClasses: splitList(formValue(form, 'intlClasses')).map(Number), validUntil: formValue(form, 'validUntil'),
  })).height), refresh);
}

// A licence on my recordations, or (parent set) a sublicence that inherits what it omits.
async function grantDialog(mine: Json[], parent: string | null, refresh: () => void): Promise<void> {
  const today = isoDate(await ledgerNow());
  const active = mine.filter((r) => (r.effectiveState ?? r.state) === 'ACTIVE');
  const fields = [
    field(t('lic.id'), input('licenseId', { required: true, class: 'mono', value: `LIC-${Date.now().toString(36).toUpperCase()}` })),
    field(t('lic.licensee'), input('licensee', { required: true }), t('lic.licenseeHint')),
    parent ? h('p', { class: 'hint' }, t('lic.inherits', { parent })) : '',
    parent ? '' : h('fieldset', null, h('legend', null, t('lic.recordations')),
      active.length ? active.map((r) => checkbox('recordationRefs', `${r.recordationNo} · ${r.mark}`, true, r.recordationNo)) : h('p', { class: 'hint' }, t('lic.noActive'))),
    parent ? '' : field(t('lic.product'), input('product', { required: true })),
    field(t('lic.htsPrefixes'), input('htsPrefixes', { class: 'mono', required: !parent }), t('lic.htsHint')),
    h('fieldset', null, h('legend', null, t('lic.permissions')),
      ['MANUFACTURE', 'IMPORT', 'SUBLICENSE'].map((p) => checkbox('permissions', stateWords(p, lang()), p !== 'SUBLICENSE' || !parent, p))),
    field(t('lic.mids'), input('mids', { class: 'mono' }), t('lic.listHint')),
    field(t('lic.countries'), input('countries', { class: 'mono' }), t('lic.listHint')),
    field(t('lic.quantity'), input('quantityLimit', { type: 'number', min: 1 })),
    field(t('lic.validFrom'), input('validFrom', { type: 'date', required: !parent, value: parent ? '' : today })),
    field(t('lic.validTo'), input('validTo', { type: 'date', required: !parent, value: parent ? '' : addMonths(today, 24) })),
  ];
  openDialog(parent ? t('rights.sublicenseTitle', { parent }) : t('rights.grantTitle'), fields, t('rights.grant'), async (form) => {
    const body: Json = { licenseId: formValue(form, 'licenseId'), licensee: formValue(form, 'licensee'), permissions: formValues(form, 'permissions') };
    const rec = mine.find((r) => formValues(form, 'recordationRefs').includes(r.recordationNo));
    const prefixes = splitList(formValue(form, 'htsPrefixes'));
    if (parent) body.parentLicenseId = parent;
    else {
      body.recordationRefs = formValues(form, 'recordationRefs');
      body.rightType = rec?.rightType ?? 'TRADEMARK';
    }
    if (!parent || prefixes.length) body.products = [{ description: formValue(form, 'product') || body.licenseId, htsPrefixes: prefixes }];
    const mids = splitList(formValue(form, 'mids').toUpperCase());
    const countries = splitList(formValue(form, 'countries').toUpperCase());
    if (mids.length) body.authorizedManufacturerMids = mids;
    if (countries.length) body.countriesOfManufacture = countries;
    if (formValue(form, 'quantityLimit')) body.quantityLimit = Number(formValue(form, 'quantityLimit'));
    if (formValue(form, 'validFrom')) body.validFrom = formValue(form, 'validFrom');
    if (formValue(form, 'validTo')) body.validTo = formValue(form, 'validTo');
    return committed((await api.submit('ipr.license.issue', body)).height);
  }, refresh);
}
