// Filing an entry summary (#/trader/file): entry.file (TxBody_entry_file). The importer-of-
// record number is typed in clear, checked (IOR_FORMAT) and hashed here with PBKDF2 and the
// network salt (GET /v1/me iorSalt); only iorNumberHash is signed and sent. After the commit
// the entry is read back and each line's claim decision is shown.

import { api, ApiError, type Json } from '../lib/api.js';
import { canonicalEntryNumber } from '../lib/entrynumber.js';
import { findCleartextIor, iorNumberHash, isValidIorNumber } from '../lib/ior.js';
import { t } from '../i18n/i18n.js';
import { button, checkbox, errorPanel, field, input, select } from '../ui/components.js';
import { isoDate, ledgerNow } from '../ui/clock.js';
import { h, replace } from '../ui/dom.js';
import { currentUser, hasRole } from '../ui/state.js';
import { entriesTable } from './records.js';

const ENTRY_TYPES = ['01', '02', '03', '06', '07', '11', '12', '21', '31', '32', '34', '38', '86'];
const SPIS = ['', 'S', 'S+', 'CA', 'MX', 'P', 'P+'];

function lineRow(n: number): HTMLElement {
  return h('fieldset', { class: 'line-row' },
    h('legend', null, t('entry.lineN', { n })),
    h('div', { class: 'grid-4' },
      field(t('entry.hts10'), input('line.hts10', { class: 'mono', placeholder: '8708300050' }), t('entry.hts10Hint')),
      field(t('entry.origin'), input('line.countryOfOrigin', { maxlength: 2, class: 'short upper', value: 'MX' })),
      field(t('entry.mid'), input('line.mid', { class: 'mono', placeholder: 'MXMEXPRO12MON' })),
      field(t('entry.quantity'), input('line.quantity', { type: 'number', min: 0, step: 1, value: '100' })),
      field(t('entry.uom'), input('line.uom', { value: 'PCS', class: 'short' })),
      field(t('entry.value'), input('line.value', { type: 'number', min: 0, step: '0.01' })),
      field(t('entry.spi'), select('line.spi', SPIS.map((s) => [s, s || t('entry.noSpi')]), 'S')),
      field(t('entry.certRef'), input('line.certRef', { class: 'mono' }), t('entry.certRefHint')),
    ));
}

export function renderEntryForm(main: HTMLElement): void {
  const me = currentUser()!;
  const lines = h('div', { class: 'lines' }, lineRow(1));
  const errors = h('div', { tabindex: '-1' });
  const progress = h('p', { class: 'hint', 'aria-live': 'polite' });
  const result = h('div', { 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary' }, t('entry.submit'));
  const importDate = input('importDate', { type: 'date', required: true });
  void ledgerNow().then((ms) => (importDate.value ||= isoDate(ms)));

  const form = h('form', { class: 'entry-form', novalidate: true },
    h('div', { class: 'panel grid-3' },
      field(t('entry.number'), input('entryNumber', { required: true, class: 'mono', placeholder: 'ABC-1234567-8' }), t('entries.numberHint')),
      field(t('entry.type'), select('entryType', ENTRY_TYPES.map((x) => [x, x]), '01'), t('entry.typeHint')),
      field(t('entry.importer'), input('importer', { required: true, value: hasRole('IMPORTER') ? me.orgId : '' }), t('entry.importerHint')),
      field(t('entry.ior'), input('iorNumber', { required: true, class: 'mono', autocomplete: 'off', spellcheck: 'false', placeholder: '12-3456789AB' }), t('entry.iorHint')),
      field(t('entry.shipmentRef'), input('shipmentRef', { required: true }), t('entry.shipmentRefHint')),
      field(t('entry.importDate'), importDate),
      field(t('entry.port'), input('portCode', { required: true, value: '2304', class: 'short' })),
      h('div', { class: 'field' }, checkbox('commercial', t('entry.commercial'), true)),
    ),
    lines,
    button(t('entry.addLine'), () => lines.append(lineRow(lines.children.length + 1))),
    errors,
    progress,
    h('div', { class: 'actions' }, submit, h('a', { class: 'btn btn-ghost', href: '#/trader' }, t('action.cancel'))),
    result,
  );

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    replace(errors);
    replace(result);
    const data = new FormData(form);
    const get = (n: string) => String(data.get(n) ?? '').trim();
    const all = (n: string) => data.getAll(n).map((x) => String(x).trim());
    const problems: string[] = [];
    const entryNumber = canonicalEntryNumber(get('entryNumber'));
    if (!entryNumber) problems.push('ENTRY_NUMBER_INVALID');
    const ior = get('iorNumber');
    if (!isValidIorNumber(ior)) problems.push('IOR_FORMAT');
    const importer = get('importer');
    if (!importer) problems.push('IOR_IMPORTER_MISSING');
    const hts = all('line.hts10');
    const body: Json = {
      entryNumber, entryType: get('entryType'), importer, shipmentRef: get('shipmentRef'),
      importDate: get('importDate'), portCode: get('portCode'), commercial: data.get('commercial') === 'on',
      lines: hts.map((hts10, i) => {
        const line: Json = {
          lineNo: i + 1, hts10, countryOfOrigin: all('line.countryOfOrigin')[i].toUpperCase(), mid: all('line.mid')[i].toUpperCase(),
          quantity: Number(all('line.quantity')[i] || 0), uom: all('line.uom')[i], value: Number(all('line.value')[i] || 0),
        };
        if (hts10.replace(/\./g, '').length !== 10 || !/^[0-9.]+$/.test(hts10)) problems.push('HTS_FORMAT');
        if (all('line.spi')[i]) line.spi = all('line.spi')[i];
        if (all('line.certRef')[i]) line.certRef = all('line.certRef')[i];
        return line;
      }),
    };
    if (problems.length) {
      replace(errors, errorPanel(new ApiError(0, 'FORM_INCOMPLETE', '', [...new Set(problems)]), 'cert.formErrors'));
      errors.focus();
      return;
    }
    submit.disabled = true;
    try {
      const pointer = findCleartextIor(body);
      if (pointer) throw new ApiError(0, 'IOR_CLEARTEXT', pointer);
      progress.textContent = t('entry.hashing');
      body.iorNumberHash = await iorNumberHash(me.iorSalt, importer, ior);
      (form.elements.namedItem('iorNumber') as HTMLInputElement).value = ''; // the clear number is not kept
      progress.textContent = t('entry.submitting');
      const out = await api.submit('entry.file', body);
      progress.textContent = t('tx.committed', { height: out.height ?? '?' });
      const entry = await api.get(`/v1/entries/${entryNumber}`);
      replace(result, h('div', { class: 'success-panel', role: 'status' },
        h('p', { class: 'success-title' }, t('entry.filed', { id: entryNumber!, height: out.height ?? '?' })),
        entriesTable([entry], new Map()),
        h('a', { href: '#/trader' }, t('cert.backToList'))));
    } catch (err) {
      progress.textContent = '';
      replace(errors, errorPanel(err));
      errors.focus();
    } finally {
      submit.disabled = false;
    }
  });

  replace(main, h('h1', null, t('entry.title')), h('p', null, h('a', { href: '#/trader' }, t('common.back'))),
    h('p', { class: 'lead' }, t('entry.lead')), form);
}
