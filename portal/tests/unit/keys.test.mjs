// Key files, signed reads, IOR hashing and entry numbers.
import './setup.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromHex, toHex, utf8 } from '../../build-test/lib/bytes.js';
import { importSigner, parseKeyFile, KeyFileError } from '../../build-test/lib/keyfile.js';
import { readSigningMessage, encodeTarget } from '../../build-test/lib/readauth.js';
import { iorNumberHash, isValidIorNumber, findCleartextIor } from '../../build-test/lib/ior.js';
import { canonicalEntryNumber, makeEntryNumber } from '../../build-test/lib/entrynumber.js';

const vector = JSON.parse(readFileSync(new URL('./golden/tx-vector.json', import.meta.url), 'utf8'));

test('a key file imports as a non-extractable Ed25519 key', async () => {
  const signer = await importSigner(parseKeyFile(vector.key_file));
  assert.equal(signer.privateKey.extractable, false);
  assert.deepEqual(signer.privateKey.usages, ['sign']);
  assert.equal(toHex(signer.publicKey), vector.public_key);
});

test('a key file whose public line is not the seed’s key is KEY_FILE_CORRUPT', async () => {
  const other = vector.key_file.replace(/public ([0-9a-f]{2})/, (_, x) => `public ${x === '00' ? '01' : '00'}`);
  await assert.rejects(importSigner(parseKeyFile(other)), (e) => e instanceof KeyFileError && e.code === 'KEY_FILE_CORRUPT');
});

test('malformed key files are KEY_FILE_FORMAT', () => {
  for (const text of ['', 'tradeledger-ed25519-key-v1\nseed 00\npublic 00', 'other-v1\nseed ' + '0'.repeat(64) + '\npublic ' + '0'.repeat(64)]) {
    assert.throws(() => parseKeyFile(text), (e) => e.code === 'KEY_FILE_FORMAT');
  }
});

test('the read message is context, chain, time, method, path and sorted query (read_auth.cc)', () => {
  const chain = new Uint8Array(32).fill(1);
  const msg = readSigningMessage(chain, 1000, 'GET', '/v1/claims/ABC-1234567-8#1', { limit: '5', after: 'x y' });
  // The same bytes as ReadAuth.TheMessageLengthPrefixesEveryPart (src/api/queries_test.cc).
  const str = (t) => toHex(new Uint8Array([0, 0, 0, utf8(t).length])) + toHex(utf8(t));
  const expected = toHex(utf8('TRADELEDGER/READ/v2\0')) + '01'.repeat(32) + '00000000000003e8' +
    str('GET') + str('/v1/claims/ABC-1234567-8#1') + '00000002' + str('after') + str('x y') +
    str('limit') + str('5');
  assert.equal(toHex(msg), expected);
  assert.equal(encodeTarget('/v1/claims/ABC-1234567-8#1', { after: 'x y' }), '/v1/claims/ABC-1234567-8%231?after=x%20y');
});

test('IOR hash equals the C++ vector (ior_number_test.cc)', async () => {
  assert.equal(await iorNumberHash('0011223344556677', 'IMP', '12-3456789AB'),
    '2392db1e44c45291dababf60b6386f13780222a205498c5f613b5f523c46c51d');
  await assert.rejects(iorNumberHash('00', 'IMP', '12-3456789OI'), /IOR_FORMAT/);
});

test('IOR formats and cleartext detection mirror ior_number.cc', () => {
  for (const ok of ['12-3456789AB', '123-45-6789', '250512-00001']) assert.ok(isValidIorNumber(ok), ok);
  for (const bad of ['12345', '12-3456789OI', '12-3456789ab']) assert.ok(!isValidIorNumber(bad), bad);
  assert.equal(findCleartextIor({ iorNumber: 'x' }), '/iorNumber');
  assert.equal(findCleartextIor({ importer: 'IMP', note: 'IOR 123-45-6789 attached' }), '/note');
  assert.equal(findCleartextIor({ lines: [{ lineNo: 1, ref: '250512-00001' }] }), '/lines/0/ref');
  assert.equal(findCleartextIor({ a: { b: '12-3456789oz' } }), '/a/b');
  for (const fine of [
    { entryNumber: 'ABC-1234567-8', importDate: '2025-03-10', hts10: '8708.30.0050' },
    { zip: '20229-0001', phone: '+1-202-325-8000', uuid: '123e4567-e89b-12d3-a456-426614174000' },
    { licenseId: 'LIC-2025-0001', mid: 'MXACMMAN123MON', value: 1234567 },
  ]) assert.equal(findCleartextIor(fine), null);
});

test('entry numbers carry the luhn-mod10-v1 check digit', () => {
  const n = makeEntryNumber('ABC', '1234567');
  assert.match(n, /^ABC-1234567-\d$/);
  assert.equal(canonicalEntryNumber(n.replace(/-/g, '')), n);
  const wrong = n.slice(0, -1) + String((Number(n.at(-1)) + 1) % 10);
  assert.equal(canonicalEntryNumber(wrong), null);
  assert.equal(fromHex('00').length, 1);
});
