// The certification form (#/trader/certify[?supersedes=ID]): nine fieldsets, one per USMCA
// data element (DOMAIN §2.1), checked by buildCertBody before anything is signed. The
// content hash is the SHA-256 of the attached certificate document or, without one, of the
// certification's own JSON. Superseding pre-fills the form from the ISSUED certification.

import { api, ApiError, type Json } from '../lib/api.js';
import { sha256, toHex, utf8 } from '../lib/bytes.js';
import { lang, t } from '../i18n/i18n.js';
import { stateWords } from '../i18n/states.js';
import { button, checkbox, errorPanel, field, input, select } from '../ui/components.js';
import { addDays, addMonths, isoDate, ledgerNow } from '../ui/clock.js';
import { formatTime, h, replace, uid } from '../ui/dom.js';
import { currentUser } from '../ui/state.js';
import { buildCertBody, type CertValues } from './certbody.js';

const PARTY_FIELDS: Array<[string, string, string]> = [
  ['name', 'party.name', 'organization'],
  ['address', 'party.address', 'street-address'],
  ['countryIso2', 'party.country', 'country'],
  ['phone', 'party.phone', 'tel'],
  ['email', 'party.email', 'email'],
];

function partyFields(prefix: string, values: Json = {}, extra: Array<'title' | 'orgId'> = []): HTMLElement {
  const box = h('div', { class: 'grid-2', 'data-party': prefix });
  for (const [f, label, auto] of PARTY_FIELDS) {
    const attrs: Record<string, string | number> = { value: values[f] ?? '', autocomplete: auto };
    if (f === 'countryIso2') Object.assign(attrs, { maxlength: 2, class: 'short upper', placeholder: 'MX' });
    if (f === 'email') attrs.type = 'email';
    box.append(field(t(label as 'party.name'), input(`${prefix}.${f}`, attrs)));
  }
  if (extra.includes('title')) box.append(field(t('party.title'), input(`${prefix}.title`, { value: values.title ?? '' })));
  if (extra.includes('orgId')) box.append(field(t('party.orgId'), input(`${prefix}.orgId`, { value: values.orgId ?? '' }), t('party.orgIdHint')));
  return box;
}

function fieldset(n: number, legend: string, ...children: Array<Node | string>): HTMLFieldSetElement {
  return h('fieldset', { class: 'element' }, h('legend', null, h('span', { class: 'element-no' }, String(n)), legend), children);
}

function radios(name: string, options: Array<[string, string]>, value: string): HTMLElement {
  return h('div', { class: 'radios' }, options.map(([v, label]) => {
    const id = uid();
    return h('div', { class: 'check' }, h('input', { type: 'radio', name, value: v, id, checked: v === value }), h('label', { for: id }, label));
  }));
}

function goodRow(g: Json = {}): HTMLElement {
  const row = h('div', { class: 'good-row grid-4' },
    field(t('cert.goodDescription'), input('good.description', { value: g.description ?? '' })),
    field(t('cert.hsCode'), input('good.hsCode', { value: g.hsCode ?? '', class: 'mono', placeholder: '8708.30' }), t('cert.hsCodeHint')),
    field(t('cert.originCriterion'), select('good.originCriterion', [['', '—'], ['A', 'A'], ['B', 'B'], ['C', 'C'], ['D', 'D']], g.originCriterion ?? '')),
    field(t('cert.invoiceNo'), input('good.invoiceNo', { value: g.invoiceNo ?? '' })),
  );
  return row;
}

export function renderCertForm(main: HTMLElement, supersedes: string | null): void {
  const head = h('h1', null, supersedes ? t('cert.supersedeTitle', { id: supersedes }) : t('cert.issueTitle'));
  const slot = h('div', null, h('p', { class: 'loading' }, t('common.loading')));
  replace(main, head, h('p', null, h('a', { href: '#/trader' }, t('common.back'))), slot);
  const load = supersedes ? api.get(`/v1/certifications/${supersedes}`) : Promise.resolve({} as Json);
  Promise.all([load, ledgerNow()]).then(([old, now]) => replace(slot, buildForm(old, supersedes, isoDate(now))))
    .catch((err) => replace(slot, errorPanel(err, 'error.load')));
}

function buildForm(old: Json, supersedes: string | null, today: string): HTMLElement {
  const me = currentUser()!;
  const roles = ['EXPORTER', 'PRODUCER', 'IMPORTER'].filter((r) => me.roles.includes(r));
  const role = old.certifierRole ?? roles[0] ?? 'EXPORTER';
  const d = (ms: number | undefined) => (ms ? formatTime(ms) : '');
  const goods = h('div', { class: 'goods' }, (old.goods?.length ? old.goods : [{}]).map((g: Json) => goodRow(g)));
  const fileInput = h('input', { type: 'file', name: 'document', accept: 'application/pdf,image/*,.txt,.xml,.json' });
  const errors = h('div', { tabindex: '-1' });
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, supersedes ? t('cert.submitSupersede') : t('cert.submit'));
  const producerMode = typeof old.producer === 'string' ? old.producer : old.producer ? 'party' : role === 'PRODUCER' ? 'certifier' : 'SAME_AS_EXPORTER';

  const form = h('form', { class: 'cert-form', novalidate: true },
    h('div', { class: 'panel grid-3' },
      field(t('cert.id'), input('certId', { required: true, class: 'mono', value: supersedes ? `${supersedes}-R1` : '' }), t('cert.idHint')),
      field(t('cert.agreement'), select('agreement', [['USMCA', 'USMCA / T-MEC'], ['NAFTA', 'NAFTA / TLCAN'], ['CAFTA_DR', 'CAFTA-DR']], old.agreement ?? 'USMCA')),
      field(t('cert.language'), select('language', [['en', 'English'], ['es', 'Español'], ['fr', 'Français']], old.language ?? lang())),
    ),
    fieldset(1, t('cert.e1'), radios('certifierRole', roles.map((r) => [r, stateWords(r, lang())]), role)),
    fieldset(2, t('cert.e2'), partyFields('certifier', old.certifier ?? { name: me.legalName }, ['title'])),
    fieldset(3, t('cert.e3'),
      radios('exporterMode', [['certifier', t('cert.exporterIsCertifier')], ['party', t('cert.exporterOther')], ['unknown', t('cert.exporterUnknown')]],
        old.exporter ? 'party' : role === 'EXPORTER' ? 'certifier' : role === 'PRODUCER' ? 'unknown' : 'party'),
      partyFields('exporter', old.exporter ?? {})),
    fieldset(4, t('cert.e4'),
      radios('producerMode', [['certifier', t('cert.producerIsCertifier')], ['SAME_AS_EXPORTER', t('cert.producerSameAsExporter')], ['party', t('cert.producerOther')],
        ['VARIOUS', t('cert.various')], ['AVAILABLE_UPON_REQUEST', t('cert.onRequest')]], producerMode),
      partyFields('producer', typeof old.producer === 'object' ? old.producer : old.producerOnRequest ?? {})),
    fieldset(5, t('cert.e5'),
      radios('importerMode', [['party', t('cert.importerNamed')], ['VARIOUS', t('cert.various')], ['unknown', t('cert.importerUnknown')]],
        old.importer === 'VARIOUS' ? 'VARIOUS' : old.importer || !supersedes ? 'party' : 'unknown'),
      partyFields('importer', typeof old.importer === 'object' ? old.importer : {}, ['orgId'])),
    fieldset(6, t('cert.e6e7'), h('p', { class: 'hint' }, t('cert.goodsHint')), goods,
      button(t('cert.addGood'), () => goods.append(goodRow()))),
    fieldset(8, t('cert.e8'),
      radios('scope', [['blanket', t('cert.blanket')], ['single', t('cert.single')]], old.singleShipment ? 'single' : 'blanket'),
      h('div', { class: 'grid-3' },
        field(t('cert.blanketFrom'), input('blanketFrom', { type: 'date', value: d(old.blanketFrom) || today })),
        field(t('cert.blanketTo'), input('blanketTo', { type: 'date', value: d(old.blanketTo) || addDays(addMonths(today, 12), -1) }), t('cert.blanketHint')),
        field(t('cert.shipmentRef'), input('shipmentRef', { value: old.shipmentRef ?? '' }), t('cert.shipmentRefHint')),
      )),
    fieldset(9, t('cert.e9'),
      h('div', { class: 'grid-3' },
        field(t('cert.signatoryName'), input('signatory.name', { value: old.signatory?.name ?? '' })),
        field(t('cert.signatoryTitle'), input('signatory.title', { value: old.signatory?.title ?? '' })),
        field(t('cert.signedAt'), input('signedAt', { type: 'date', value: today }), t('cert.signedAtHint')),
      ),
      h('blockquote', { class: 'statement' }, t('cert.statementText')),
      checkbox('statement', t('cert.statementCheck'), false)),
    h('div', { class: 'panel' }, field(t('cert.document'), fileInput, t('cert.documentHint'))),
    errors,
    h('div', { class: 'actions' }, submit, h('a', { class: 'btn btn-ghost', href: '#/trader' }, t('action.cancel'))),
    result,
  );

  // Party fields show only where the chosen option needs them.
  const showParties = () => {
    const mode = (n: string) => (form.querySelector<HTMLInputElement>(`input[name="${n}"]:checked`)?.value ?? '');
    const show = (prefix: string, on: boolean) => {
      const box = form.querySelector<HTMLElement>(`[data-party="${prefix}"]`);
      if (box) box.hidden = !on;
    };
    show('exporter', mode('exporterMode') === 'party');
    show('producer', ['party', 'AVAILABLE_UPON_REQUEST'].includes(mode('producerMode')));
    show('importer', mode('importerMode') === 'party');
  };
  form.addEventListener('change', showParties);
  showParties();

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(errors);
    form.querySelectorAll('[aria-invalid]').forEach((el) => el.removeAttribute('aria-invalid'));
    const data = new FormData(form);
    const values: CertValues = {
      get: (n) => (typeof data.get(n) === 'string' ? (data.get(n) as string).trim() : ''),
      all: (n) => data.getAll(n).map((x) => String(x)),
    };
    if (supersedes) data.set('supersedes', supersedes);
    const draft = buildCertBody(values, '0'.repeat(64));
    if (draft.problems.length) {
      for (const p of draft.problems) {
        const [name, index] = p.control.split('#');
        form.querySelectorAll<HTMLElement>(`[name="${name}"]`)[Number(index ?? 0)]?.setAttribute('aria-invalid', 'true');
      }
      replace(errors, errorPanel(new ApiError(0, 'FORM_INCOMPLETE', '', [...new Set(draft.problems.map((p) => p.code))]), 'cert.formErrors'));
      errors.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = t('action.working');
    try {
      const file = fileInput.files?.[0];
      const { contentHash: _zero, ...unhashed } = draft.body;
      const hash = toHex(await sha256(file ? new Uint8Array(await file.arrayBuffer()) : utf8(JSON.stringify(unhashed))));
      const out = await api.submit(supersedes ? 'cert.supersede' : 'cert.issue', { ...draft.body, contentHash: hash });
      replace(result, h('div', { class: 'success-panel', role: 'status' },
        h('p', { class: 'success-title' }, t('cert.issued', { id: draft.body.certId, height: out.height ?? '?' })),
        h('p', { class: 'mono sub' }, `tx ${out.tx_id}`),
        h('p', { class: 'mono sub' }, `SHA-256 ${hash}`),
        h('a', { href: '#/trader' }, t('cert.backToList'))));
      result.querySelector<HTMLElement>('a')?.focus();
    } catch (err) {
      replace(errors, errorPanel(err));
      errors.focus();
    } finally {
      submit.disabled = false;
      submit.textContent = supersedes ? t('cert.submitSupersede') : t('cert.submit');
    }
  });
  return form;
}
