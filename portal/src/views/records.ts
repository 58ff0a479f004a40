// Record displays shared by the officer's and the trader's views: entries with each line's
// claim and IPR assessment, certifications, and the lists read from the node.

import { api, type Json } from '../lib/api.js';
import { lang, t } from '../i18n/i18n.js';
import { stateWords } from '../i18n/states.js';
import { badge, reasonList, rowActions } from '../ui/components.js';
import { h, formatTime, type Child } from '../ui/dom.js';

export type LineActions = (entry: Json, line: Json, claim: Json | undefined) => Child[];

export function claimsById(entry: Json): Map<string, Json> {
  const m = new Map<string, Json>();
  for (const c of entry.claims ?? []) m.set(c.claimId, c);
  return m;
}

export function assessmentKey(entryNumber: string, lineNo: number): string {
  return `${entryNumber}#${lineNo}`;
}

export function indexAssessments(list: Json[]): Map<string, Json> {
  const m = new Map<string, Json>();
  for (const a of list) if (a.entryNumber) m.set(assessmentKey(a.entryNumber, a.lineNo), a);
  return m;
}

function money(cents: number | undefined): string {
  if (cents === undefined) return '—';
  return new Intl.NumberFormat(lang() === 'es' ? 'es-MX' : 'en-US', { style: 'currency', currency: 'USD' }).format(cents / 100);
}

// One table, a row per entry line: entry, line, goods, claim state, reasons, IPR, actions.
export function entriesTable(entries: Json[], assessments: Map<string, Json>, actions?: LineActions): HTMLElement {
  if (entries.length === 0) return h('p', { class: 'empty' }, t('entries.none'));
  const headers = [t('entries.entry'), t('entries.line'), t('entries.goods'), t('entries.claim'), t('entries.reasons'), t('entries.ipr')];
  if (actions) headers.push(t('common.actions'));
  const groups: HTMLElement[] = [];
  for (const entry of entries) {
    const body = h('tbody'); // one row group per entry: its first cell heads the group
    groups.push(body);
    const claims = claimsById(entry);
    const lines: Json[] = entry.lines ?? (entry.claims ?? []).map((c: Json) => ({ lineNo: c.lineNo, claimId: c.claimId }));
    lines.forEach((line, i) => {
      const claim = line.claimId ? claims.get(line.claimId) : undefined;
      const a = assessments.get(assessmentKey(entry.entryNumber, line.lineNo));
      const row = h('tr', { 'data-entry': entry.entryNumber, 'data-line': line.lineNo });
      if (i === 0) {
        row.append(h('th', { scope: 'rowgroup', rowspan: lines.length, class: 'entry-cell' },
          h('span', { class: 'mono strong' }, entry.entryNumber),
          entry.importer ? h('span', { class: 'sub' }, t('entries.importer', { org: entry.importer })) : '',
          entry.filedBy && entry.filedBy !== entry.importer ? h('span', { class: 'sub' }, t('entries.filedBy', { org: entry.filedBy })) : '',
          entry.importDate ? h('span', { class: 'sub' }, t('entries.importDate', { date: formatTime(entry.importDate) })) : '',
        ));
      }
      row.append(
        h('td', null, String(line.lineNo)),
        h('td', null,
          line.hts10 ? h('span', { class: 'mono' }, line.hts10) : '—',
          line.countryOfOrigin ? h('span', { class: 'sub' }, `${line.countryOfOrigin} · ${line.quantity ?? ''} ${line.uom ?? ''} · ${money(line.valueCents)}`) : '',
        ),
        h('td', { class: 'claim-cell' },
          claim ? badge(claim.state) : h('span', { class: 'muted' }, t('entries.noClaim')),
          claim ? h('span', { class: 'sub' }, [claim.spi ? `SPI ${claim.spi}` : '', claim.certRef ?? '',
            claim.basis && claim.basis !== 'CERTIFICATION' ? stateWords(claim.basis, lang()) : ''].filter(Boolean).join(' · ')) : '',
          claim?.correction?.dueAt && claim.state === 'CORRECTION_REQUESTED' ? h('span', { class: 'sub' }, t('entries.dueAt', { date: formatTime(claim.correction.dueAt) })) : '',
        ),
        h('td', null, claim ? reasonList(claim.reasonCodes) : ''),
        h('td', null, a ? [badge(a.result), reasonList(a.reasonCodes)] : h('span', { class: 'muted' }, '—')),
      );
      if (actions) row.append(h('td', null, rowActions(claim?.claimId ?? `${entry.entryNumber}#${line.lineNo}`, actions(entry, line, claim))));
      body.append(row);
    });
  }
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'entries' },
      h('caption', { class: 'visually-hidden' }, t('entries.caption')),
      h('thead', null, h('tr', null, headers.map((x) => h('th', { scope: 'col' }, x)))),
      groups,
    ),
  );
}

// Lists read with the portal routes; a node without them answers ROUTE_NOT_FOUND, shown by
// the caller.
export async function loadAll(kinds: string[]): Promise<Record<string, Json[]>> {
  const out: Record<string, Json[]> = {};
  await Promise.all(kinds.map(async (k) => (out[k] = await api.list(k))));
  return out;
}

export function certPeriod(cert: Json): string {
  if (cert.singleShipment) return t('cert.single') + (cert.shipmentRef ? ` · ${cert.shipmentRef}` : '');
  return `${formatTime(cert.blanketFrom)} – ${formatTime(cert.blanketTo)}`;
}
