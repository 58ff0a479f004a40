// The certification form's checks (rules 7-9) before anything is signed, and the reason-code
// catalogue's coverage of the rules documents.
import './setup.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { buildCertBody } from '../../build-test/views/certbody.js';
import { isKnownReason, reasonWords } from '../../build-test/i18n/reasons.js';

// A complete USMCA blanket certification by an exporter, as the form's FormData holds it.
function values(overrides = {}) {
  const v = {
    certId: 'CERT-1', agreement: 'USMCA', language: 'en', certifierRole: 'EXPORTER',
    'certifier.name': 'Autopartes SA', 'certifier.title': 'Export manager', 'certifier.address': 'Av. 1, Monterrey',
    'certifier.countryIso2': 'mx', 'certifier.phone': '+52 81 1', 'certifier.email': 'a@example.com',
    exporterMode: 'certifier', producerMode: 'SAME_AS_EXPORTER', importerMode: 'party',
    'importer.name': 'Great Lakes Motors', 'importer.address': 'Detroit', 'importer.countryIso2': 'US', 'importer.orgId': 'IMP-A',
    'good.description': ['Brake parts'], 'good.hsCode': ['8708.30'], 'good.originCriterion': ['B'], 'good.invoiceNo': [''],
    scope: 'blanket', blanketFrom: '2024-08-01', blanketTo: '2025-07-31',
    'signatory.name': 'Ana Ruiz', 'signatory.title': 'Export manager', signedAt: '2024-08-01', statement: 'on',
    ...overrides,
  };
  return {
    get: (n) => (Array.isArray(v[n]) ? v[n][0] : v[n] ?? ''),
    all: (n) => (Array.isArray(v[n]) ? v[n] : v[n] === undefined ? [] : [v[n]]),
  };
}
const codes = (o) => buildCertBody(values(o), 'ab'.repeat(32)).problems.map((p) => p.code);

test('a complete certification gives the cert.issue body of the OpenAPI schema', () => {
  const { body, problems } = buildCertBody(values(), 'ab'.repeat(32));
  assert.deepEqual(problems, []);
  assert.equal(body.certifier.countryIso2, 'MX');
  assert.deepEqual(body.exporter, { name: 'Autopartes SA', address: 'Av. 1, Monterrey', countryIso2: 'MX', email: 'a@example.com', phone: '+52 81 1' });
  assert.equal(body.producer, 'SAME_AS_EXPORTER');
  assert.equal(body.importer.orgId, 'IMP-A');
  assert.deepEqual(body.goods, [{ description: 'Brake parts', hsCode: '8708.30', originCriterion: 'B' }]);
  assert.equal(body.singleShipment, false);
  assert.equal(body.statementPresent, true);
  assert.equal(body.supersedes, undefined);
});

test('each missing USMCA element is named with the node’s code', () => {
  assert.deepEqual(codes({ statement: '' }), ['CERT_INCOMPLETE:statementPresent']);
  assert.deepEqual(codes({ 'certifier.title': '' }), ['CERT_INCOMPLETE:certifier.title']);
  assert.deepEqual(codes({ 'certifier.email': '' }), ['CERT_INCOMPLETE:certifier.email']);
  assert.deepEqual(codes({ 'good.originCriterion': [''] }), ['CERT_INCOMPLETE:originCriterion']);
  assert.deepEqual(codes({ 'good.hsCode': ['8708'] }), ['CERT_INCOMPLETE:goods.hsCode']);
  assert.deepEqual(codes({ 'good.description': [] }), ['CERT_INCOMPLETE:goods']);
  assert.deepEqual(codes({ certifierRole: 'IMPORTER', exporterMode: 'unknown' }), ['CERT_INCOMPLETE:exporter']);
  assert.deepEqual(codes({ certifierRole: 'EXPORTER', producerMode: 'certifier' }), ['CERT_INCOMPLETE:producer']);
  assert.deepEqual(codes({ blanketTo: '' }), ['CERT_INCOMPLETE:blanketPeriod']);
  assert.deepEqual(codes({ signedAt: '' }), ['CERT_INCOMPLETE:signedAt']);
});

test('the producer may certify without naming itself or a known exporter', () => {
  assert.deepEqual(codes({ certifierRole: 'PRODUCER', exporterMode: 'unknown', producerMode: 'certifier' }), []);
});

test('rules 8 and 9: NAFTA needs the exporter; a blanket period is under 12 months', () => {
  assert.deepEqual(codes({ agreement: 'NAFTA', certifierRole: 'PRODUCER', producerMode: 'certifier' }), ['CERT_SIGNER_NOT_EXPORTER']);
  assert.deepEqual(codes({ blanketTo: '2025-08-01' }), ['BLANKET_PERIOD_INVALID']);
  assert.deepEqual(codes({ blanketTo: '2024-07-31' }), ['BLANKET_PERIOD_INVALID']);
  assert.deepEqual(codes({ scope: 'single', blanketFrom: '', blanketTo: '' }), []);
});

test('every reason code in the rules documents has words in both languages', () => {
  const docs = ['rules.md', 'rules-origin.md', 'rules-ipr.md']
    .map((f) => readFileSync(new URL(`../../../doc/${f}`, import.meta.url), 'utf8')).join('\n');
  const found = new Set([...docs.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)(?::<?[a-zA-Z.]+>?)?`/g)].map((m) => m[1]));
  assert.ok(found.size > 80, `found ${found.size} codes`);
  const missing = [...found].filter((c) => !isKnownReason(c));
  assert.deepEqual(missing, []);
  for (const c of found) assert.notEqual(reasonWords(c, 'en'), reasonWords(c, 'es'), c);
  assert.match(reasonWords('CERT_INCOMPLETE:certifier.phone', 'es'), /teléfono del certificador/);
});
