// The canonical encoder and the transaction envelope, pinned against the C++ encoder's
// golden bytes (src/core/encoding_test.cc) and a transaction made by the CLI
// (golden/tx-vector.json, made by make-golden.sh).
import './setup.mjs';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Encoder, Decoder } from '../../build-test/lib/codec.js';
import { fromBase64, fromHex, toHex, toBase64 } from '../../build-test/lib/bytes.js';
import { decodeEnvelope, encodePayload, signTransaction, txId, nextNonce } from '../../build-test/lib/tx.js';
import { importSigner, parseKeyFile } from '../../build-test/lib/keyfile.js';

const vector = JSON.parse(readFileSync(new URL('./golden/tx-vector.json', import.meta.url), 'utf8'));

test('encoder matches the C++ golden bytes (encoding_test.cc Encoding.GoldenBytes)', () => {
  const e = new Encoder().u8(1).u16(0x0203).u32(0x04050607).u64(0x08090a0b0c0d0e0fn).bool(true);
  e.text('hi').bytes(Uint8Array.of(0xff));
  assert.equal(toHex(e.finish()), '01' + '0203' + '04050607' + '08090a0b0c0d0e0f' + '01' + '00000002' + '6869' + '00000001' + 'ff');
});

test('u64 and u32 are big-endian across their whole range', () => {
  assert.equal(toHex(new Encoder().u64(0xffffffffffffffffn).finish()), 'ffffffffffffffff');
  assert.equal(toHex(new Encoder().u32(0xfffffffe).finish()), 'fffffffe');
  assert.throws(() => new Encoder().u64(-1n), RangeError);
  assert.throws(() => new Encoder().u32(2 ** 32), RangeError);
});

test('text is length-prefixed UTF-8 bytes, not UTF-16 units', () => {
  assert.equal(toHex(new Encoder().text('é').finish()), '00000002c3a9');
});

test('decoder rejects trailing and truncated bytes', () => {
  const d = new Decoder(Uint8Array.of(1, 2));
  d.u8();
  assert.throws(() => d.finish());
  assert.throws(() => new Decoder(Uint8Array.of(0, 0, 0)).u32());
});

test('payload layout: version, chain id, type, nonce, body (doc/formats.md)', () => {
  const payload = encodePayload({ chainId: new Uint8Array(32).fill(0xab), type: 'a.b', nonce: 258n, body: '{}' });
  assert.equal(toHex(payload), '01' + 'ab'.repeat(32) + '00000003' + '612e62' + '0000000000000102' + '00000002' + '7b7d');
});

test('the envelope the CLI signed is reproduced byte for byte', async () => {
  const signer = await importSigner(parseKeyFile(vector.key_file));
  const envelope = await signTransaction(
    { chainId: fromHex(vector.chain_id), type: vector.type, nonce: BigInt(vector.nonce), body: vector.body },
    signer,
  );
  assert.equal(toBase64(envelope), vector.envelope_base64);
  assert.equal(await txId(envelope), vector.tx_id);
});

test('an envelope decodes to its payload fields', () => {
  const tx = decodeEnvelope(fromBase64(vector.envelope_base64));
  assert.equal(tx.type, vector.type);
  assert.equal(tx.nonce, BigInt(vector.nonce));
  assert.equal(tx.body, vector.body);
  assert.equal(tx.signer, vector.public_key);
  assert.equal(tx.chainId, vector.chain_id);
});

test('nonces are microseconds and strictly increase', () => {
  const a = nextNonce(1_700_000_000_000);
  const b = nextNonce(1_700_000_000_000);
  assert.equal(a, 1_700_000_000_000_000n);
  assert.ok(b > a);
});
