// The customs officer's view: the queue of entries with each line's claim status, reason
// codes and IPR assessment; open verification cases with their deadlines; recordations
// awaiting a decision. Actions (transaction bodies as in GET /v1/openapi.json):
//   claim.request-correction {claimId, reason?}
//   case.open {caseId, claimIds[], method, addressee, dueAt?}      (request information)
//   case.request {caseId, method, addressee, dueAt?}
//   case.intent-to-deny {caseId, findings?}
//   case.determine {caseId, determination, findings, legalBasis}
//   ipr.recordation.approve {recordationNo} / .reject {recordationNo, reason}

import { api, type Json } from '../lib/api.js';
import { lang, t } from '../i18n/i18n.js';
import { stateWords } from '../i18n/states.js';
import { badge, button, errorPanel, field, formValue, input, loading, openDialog, reasonList, rowActions, section, select, table } from '../ui/components.js';
import { formatTime, h, replace } from '../ui/dom.js';
import { entriesTable, indexAssessments, loadAll } from './records.js';

const METHODS = ['REQUEST_FOR_INFO', 'QUESTIONNAIRE', 'VISIT'];

function committed(height: number | undefined): string {
  return t('tx.committed', { height: height ?? '?' });
}

function methodSelect(): HTMLSelectElement {
  return select('method', METHODS.map((m) => [m, stateWords(m, lang())]));
}

function dueField(): HTMLElement {
  return field(t('case.dueAt'), input('dueAt', { type: 'date' }), t('case.dueAtHint'));
}

function withDue(body: Json, form: HTMLFormElement): Json {
  const due = formValue(form, 'dueAt');
  if (due) body.dueAt = due;
  return body;
}

export function renderOfficer(main: HTMLElement): void {
  const queue = h('div', null, loading());
  const cases = h('div', null, loading());
  const recordations = h('div', null, loading());
  const advance = h('div', null, loading());
  replace(main,
    h('h1', null, t('officer.title')),
    h('p', { class: 'lead' }, t('officer.lead')),
    section('officer.queue', queue),
    section('officer.cases', cases),
    section('officer.assessments', h('p', { class: 'hint' }, t('officer.assessmentsHint')), advance),
    section('officer.recordations', recordations),
  );
  const refresh = () => renderOfficer(main);

  loadAll(['entries', 'cases', 'assessments', 'recordations']).then((data) => {
    const assessments = indexAssessments(data.assessments);
    replace(queue, entriesTable(data.entries, assessments, (entry, line, claim) => {
      if (!claim || !['ACCEPTED', 'UNDER_VERIFICATION'].includes(claim.state)) return [];
      const out = [];
      if (claim.certRef) {
        out.push(button(t('officer.requestCorrection'), () => openDialog(
          t('officer.requestCorrectionTitle', { claim: claim.claimId }),
          [field(t('common.reason'), h('textarea', { name: 'reason', rows: 3, maxlength: 1024 }))],
          t('officer.requestCorrection'),
          async (form) => {
            const body: Json = { claimId: claim.claimId };
            const reason = formValue(form, 'reason');
            if (reason) body.reason = reason;
            return committed((await api.submit('claim.request-correction', body)).height);
          }, refresh)));
      }
      if (claim.state === 'ACCEPTED') {
        out.push(button(t('officer.openCase'), () => openDialog(
          t('officer.openCaseTitle', { claim: claim.claimId }),
          [
            field(t('case.id'), input('caseId', { required: true, value: `VC-${entry.entryNumber}-${line.lineNo}`, maxlength: 128 })),
            field(t('case.method'), methodSelect()),
            field(t('case.addressee'), input('addressee', { required: true, value: entry.importer ?? '' }), t('case.addresseeHint')),
            dueField(),
          ],
          t('officer.openCase'),
          async (form) => committed((await api.submit('case.open', withDue({
            caseId: formValue(form, 'caseId'), claimIds: [claim.claimId],
            method: formValue(form, 'method'), addressee: formValue(form, 'addressee'),
          }, form))).height), refresh)));
      }
      return out;
    }));
    replace(cases, casesTable(data.cases, refresh));
    replace(recordations, recordationsTable(data.recordations, refresh));
    const filed = new Set(data.entries.map((e) => e.entryNumber));
    replace(advance, assessmentsTable(data.assessments.filter((a) => a.entryNumber && !filed.has(a.entryNumber))));
  }).catch((err) => {
    replace(queue, errorPanel(err, 'error.load'));
    replace(cases);
    replace(recordations);
    replace(advance);
  });
}

function casesTable(all: Json[], refresh: () => void): HTMLElement {
  const open = all.filter((c) => c.state !== 'CLOSED');
  const rows = open.map((c) => [
    h('span', { class: 'mono strong' }, c.caseId),
    h('ul', { class: 'plain' }, (c.claimIds ?? []).map((id: string) => h('li', { class: 'mono' }, id))),
    c.importer,
    badge(c.effectiveState ?? c.state),
    h('ul', { class: 'plain' }, (c.requests ?? []).map((r: Json) =>
      h('li', null, `${r.addressee} · ${stateWords(r.method, lang())} · ${t('case.due', { date: formatTime(r.dueAt) })}`))),
    c.intentToDenyAt
      ? h('span', null, t('case.intentSent', { date: formatTime(c.intentToDenyAt) }), h('span', { class: 'sub' }, t('case.windowEnds', { date: formatTime(c.responseWindowEndsAt) })))
      : h('span', { class: 'muted' }, '—'),
    rowActions(c.caseId, caseActions(c, refresh)),
  ]);
  return table(t('officer.cases'),
    [t('case.id'), t('case.claims'), t('case.importer'), t('common.state'), t('case.requests'), t('case.intent'), t('common.actions')],
    rows, t('officer.noCases'));
}

function caseActions(c: Json, refresh: () => void): HTMLElement[] {
  const asked = new Set((c.requests ?? []).map((r: Json) => r.addressee));
  const nextAddressee = (c.certifierOrgs ?? []).find((o: string) => !asked.has(o)) ?? '';
  const out = [
    button(t('officer.requestInfo'), () => openDialog(t('officer.requestInfoTitle', { id: c.caseId }), [
      field(t('case.method'), methodSelect()),
      field(t('case.addressee'), input('addressee', { required: true, value: nextAddressee }), t('case.addresseeHint')),
      dueField(),
    ], t('officer.requestInfo'), async (form) => committed((await api.submit('case.request', withDue({
      caseId: c.caseId, method: formValue(form, 'method'), addressee: formValue(form, 'addressee'),
    }, form))).height), refresh)),
  ];
  if (!c.intentToDenyAt) {
    out.push(button(t('officer.intentToDeny'), () => openDialog(t('officer.intentTitle', { id: c.caseId }), [
      field(t('case.findings'), h('textarea', { name: 'findings', rows: 4, maxlength: 4096 })),
    ], t('officer.intentToDeny'), async (form) => {
      const body: Json = { caseId: c.caseId };
      const findings = formValue(form, 'findings');
      if (findings) body.findings = findings;
      return committed((await api.submit('case.intent-to-deny', body)).height);
    }, refresh)));
  }
  out.push(button(t('officer.determine'), () => openDialog(t('officer.determineTitle', { id: c.caseId }), [
    field(t('case.determination'), select('determination', [['AFFIRMED', stateWords('AFFIRMED', lang())], ['DENIED', stateWords('DENIED', lang())]])),
    field(t('case.findings'), h('textarea', { name: 'findings', rows: 4, required: true, maxlength: 4096 })),
    field(t('case.legalBasis'), input('legalBasis', { required: true, value: '19 CFR 182.75', maxlength: 1024 })),
  ], t('officer.determine'), async (form) => committed((await api.submit('case.determine', {
    caseId: c.caseId, determination: formValue(form, 'determination'),
    findings: formValue(form, 'findings'), legalBasis: formValue(form, 'legalBasis'),
  })).height), refresh), 'primary'));
  return out;
}

function recordationsTable(all: Json[], refresh: () => void): HTMLElement {
  const rows = all.map((r) => [
    h('span', { class: 'mono strong' }, r.recordationNo),
    r.mark ?? '—',
    r.owner ?? '—',
    stateWords(r.rightType, lang()),
    badge(r.effectiveState ?? r.state),
    formatTime(r.validUntil),
    rowActions(r.recordationNo, r.state === 'APPLIED' ? [
      button(t('officer.approve'), () => openDialog(t('officer.approveTitle', { id: r.recordationNo }), [
        h('p', null, t('officer.approveText', { mark: r.mark ?? '', owner: r.owner ?? '' })),
      ], t('officer.approve'), async () => committed((await api.submit('ipr.recordation.approve', { recordationNo: r.recordationNo })).height), refresh), 'primary'),
      button(t('officer.reject'), () => openDialog(t('officer.rejectTitle', { id: r.recordationNo }), [
        field(t('common.reason'), h('textarea', { name: 'reason', rows: 3, required: true, maxlength: 1024 })),
      ], t('officer.reject'), async (form) => committed((await api.submit('ipr.recordation.reject', {
        recordationNo: r.recordationNo, reason: formValue(form, 'reason'),
      })).height), refresh)),
    ] : []),
  ]);
  return table(t('officer.recordations'),
    [t('rec.no'), t('rec.mark'), t('rec.owner'), t('rec.rightType'), t('common.state'), t('rec.validUntil'), t('common.actions')],
    rows, t('officer.noRecordations'));
}

// IPR assessments of lines whose entry summary is not on the ledger yet (advance data,
// doc/rules-ipr.md): advisory to customs, never a release or a seizure.
function assessmentsTable(list: Json[]): HTMLElement {
  return table(t('officer.assessments'),
    [t('entries.entry'), t('case.importer'), t('entries.goods'), t('rights.result'), t('entries.reasons'), t('rights.licenceChain')],
    list.map((a) => [
      h('span', { class: 'mono strong' }, `${a.entryNumber} #${a.lineNo}`),
      a.importer,
      h('span', null, h('span', { class: 'mono' }, a.line?.hts10 ?? '—'),
        h('span', { class: 'sub' }, `${a.line?.countryOfOrigin ?? ''} · ${a.line?.mid ?? ''} · ${a.line?.quantity ?? ''}${a.line?.brand ? ` · ${a.line.brand}` : ''}`)),
      badge(a.result),
      reasonList(a.reasonCodes),
      h('span', { class: 'mono' }, (a.licenseChain ?? []).join(' → ') || '—'),
    ]), t('officer.noAssessments'));
}
