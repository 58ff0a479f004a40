// From the certification form's values to a cert.issue / cert.supersede body
// (TxBody_cert_issue in GET /v1/openapi.json), checking the USMCA nine data elements (rule 7),
// the NAFTA signer and CAFTA-DR elements (rule 8) and the blanket period (rule 9) first.
// Problems are reported with the node's own codes (CERT_INCOMPLETE:<element>, ...) and the
// name of the form control to focus.

import type { Json } from '../lib/api.js';
import { addMonths } from '../ui/clock.js';

export interface Problem {
  code: string;
  control: string; // the form control's name
}

export interface CertValues {
  get(name: string): string;
  all(name: string): string[];
}

const COUNTRY = /^[A-Z]{2}$/;

function party(v: CertValues, prefix: string, problems: Problem[], element: string, needContact: boolean): Json {
  const p: Json = {};
  for (const f of ['name', 'address', 'countryIso2', 'email', 'phone', 'title', 'orgId']) {
    const value = v.get(`${prefix}.${f}`);
    if (value) p[f] = f === 'countryIso2' ? value.toUpperCase() : value;
  }
  const required = ['name', 'address', 'countryIso2', ...(needContact ? ['email', 'phone'] : [])];
  for (const f of required) {
    if (!p[f]) problems.push({ code: `CERT_INCOMPLETE:${element}.${f}`, control: `${prefix}.${f}` });
  }
  if (p.countryIso2 && !COUNTRY.test(p.countryIso2)) problems.push({ code: 'COUNTRY_CODE_INVALID', control: `${prefix}.countryIso2` });
  return p;
}

export function buildCertBody(v: CertValues, contentHash: string): { body: Json; problems: Problem[] } {
  const problems: Problem[] = [];
  const agreement = v.get('agreement');
  const role = v.get('certifierRole');
  const body: Json = { certId: v.get('certId'), agreement, certifierRole: role };
  if (!/^[A-Za-z0-9._:-]{1,128}$/.test(body.certId)) problems.push({ code: 'PAYLOAD_INVALID', control: 'certId' });
  if (!role) problems.push({ code: 'CERT_INCOMPLETE:certifierRole', control: 'certifierRole' });
  if (agreement === 'NAFTA' && role !== 'EXPORTER') problems.push({ code: 'CERT_SIGNER_NOT_EXPORTER', control: 'certifierRole' });

  // 2. certifier: USMCA needs title, telephone and email too.
  body.certifier = party(v, 'certifier', problems, 'certifier', agreement === 'USMCA');
  if (agreement === 'USMCA' && !body.certifier.title) problems.push({ code: 'CERT_INCOMPLETE:certifier.title', control: 'certifier.title' });
  delete body.certifier.orgId;

  // 3. exporter: the certifier when the exporter certifies; optional when the producer
  // certifies and does not know the exporter; required when the importer certifies.
  const exporterMode = v.get('exporterMode');
  if (exporterMode === 'certifier') {
    const { title: _title, ...rest } = body.certifier;
    body.exporter = rest;
  } else if (exporterMode === 'party') {
    body.exporter = party(v, 'exporter', problems, 'exporter', false);
  } else if (role === 'IMPORTER') {
    problems.push({ code: 'CERT_INCOMPLETE:exporter', control: 'exporterMode' });
  }

  // 4. producer: omitted when the producer certifies.
  const producerMode = v.get('producerMode');
  if (producerMode === 'party') body.producer = party(v, 'producer', problems, 'producer', false);
  else if (producerMode === 'AVAILABLE_UPON_REQUEST') {
    body.producer = producerMode;
    body.producerOnRequest = party(v, 'producer', problems, 'producer', false);
  } else if (producerMode === 'VARIOUS' || producerMode === 'SAME_AS_EXPORTER') body.producer = producerMode;
  else if (role !== 'PRODUCER') problems.push({ code: 'CERT_INCOMPLETE:producer', control: 'producerMode' });
  if (agreement === 'CAFTA_DR' && (producerMode === 'VARIOUS' || producerMode === 'AVAILABLE_UPON_REQUEST')) {
    problems.push({ code: 'CERT_INCOMPLETE:producer', control: 'producerMode' });
  }

  // 5. importer: a party (with its ledger orgId when known), VARIOUS, or unknown.
  const importerMode = v.get('importerMode');
  if (importerMode === 'party') body.importer = party(v, 'importer', problems, 'importer', false);
  else if (importerMode === 'VARIOUS' && agreement !== 'CAFTA_DR') body.importer = 'VARIOUS';
  if (agreement === 'CAFTA_DR' && importerMode !== 'party') problems.push({ code: 'CERT_INCOMPLETE:importer', control: 'importerMode' });

  // 6, 7. goods with HS classification and origin criterion.
  const descriptions = v.all('good.description');
  const codes = v.all('good.hsCode');
  const criteria = v.all('good.originCriterion');
  const invoices = v.all('good.invoiceNo');
  body.goods = [];
  descriptions.forEach((description, i) => {
    const hs = (codes[i] ?? '').trim();
    const g: Json = { description: description.trim(), hsCode: hs };
    if (criteria[i]) g.originCriterion = criteria[i];
    if (invoices[i]?.trim()) g.invoiceNo = invoices[i].trim();
    if (!g.description) problems.push({ code: 'CERT_INCOMPLETE:goods.description', control: `good.description#${i}` });
    const digits = hs.replace(/\./g, '');
    if (!/^[0-9.]+$/.test(hs) || digits.length < 6 || digits.length > 10) problems.push({ code: 'CERT_INCOMPLETE:goods.hsCode', control: `good.hsCode#${i}` });
    if (agreement !== 'CAFTA_DR' && !/^[A-D]$/.test(g.originCriterion ?? '')) problems.push({ code: 'CERT_INCOMPLETE:originCriterion', control: `good.originCriterion#${i}` });
    body.goods.push(g);
  });
  if (body.goods.length === 0) problems.push({ code: 'CERT_INCOMPLETE:goods', control: 'good.description#0' });

  // 8. single shipment, or a blanket period of less than 12 months.
  body.singleShipment = v.get('scope') === 'single';
  if (body.singleShipment) {
    if (v.get('shipmentRef')) body.shipmentRef = v.get('shipmentRef');
  } else {
    body.blanketFrom = v.get('blanketFrom');
    body.blanketTo = v.get('blanketTo');
    if (!body.blanketFrom || !body.blanketTo) problems.push({ code: 'CERT_INCOMPLETE:blanketPeriod', control: body.blanketFrom ? 'blanketTo' : 'blanketFrom' });
    else if (body.blanketTo < body.blanketFrom || body.blanketTo >= addMonths(body.blanketFrom, 12)) {
      problems.push({ code: 'BLANKET_PERIOD_INVALID', control: 'blanketTo' });
    }
  }

  // 9. signature, date and the certification statement.
  body.signatory = { name: v.get('signatory.name'), title: v.get('signatory.title') };
  if (!body.signatory.name) problems.push({ code: 'CERT_INCOMPLETE:signatory', control: 'signatory.name' });
  if (!body.signatory.title && agreement !== 'CAFTA_DR') problems.push({ code: 'CERT_INCOMPLETE:signatory', control: 'signatory.title' });
  body.signedAt = v.get('signedAt');
  if (!body.signedAt) problems.push({ code: 'CERT_INCOMPLETE:signedAt', control: 'signedAt' });
  body.statementPresent = v.get('statement') === 'on';
  if (!body.statementPresent) problems.push({ code: 'CERT_INCOMPLETE:statementPresent', control: 'statement' });
  body.language = v.get('language') || 'en';
  body.contentHash = contentHash;
  const supersedes = v.get('supersedes');
  if (supersedes) body.supersedes = supersedes;
  return { body, problems };
}
