// The canonical encoder and a strict decoder, byte for byte those of src/core/encoding.h
// (doc/formats.md, ADR 0002): fixed-width big-endian integers, `bytes` = u32 length then the
// bytes, `text` = `bytes` holding valid UTF-8, booleans 0x00/0x01, a version byte first.
// The unit test pins the output against vectors made by the C++ encoder and the CLI.

import { utf8, fromUtf8 } from './bytes.js';

export class Encoder {
  private parts: number[] = [];

  u8(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xff) throw new RangeError('u8 out of range');
    this.parts.push(v);
    return this;
  }

  u16(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError('u16 out of range');
    this.parts.push(v >>> 8, v & 0xff);
    return this;
  }

  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError('u32 out of range');
    this.parts.push(v >>> 24, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff);
    return this;
  }

  u64(v: bigint): this {
    if (v < 0n || v > 0xffffffffffffffffn) throw new RangeError('u64 out of range');
    for (let shift = 56n; shift >= 0n; shift -= 8n) this.parts.push(Number((v >> shift) & 0xffn));
    return this;
  }

  bool(v: boolean): this {
    return this.u8(v ? 1 : 0);
  }

  // Raw bytes without a length: only for fields whose size the format fixes (hash, key, sig).
  fixed(bytes: Uint8Array): this {
    for (const b of bytes) this.parts.push(b);
    return this;
  }

  // u32 length, then the bytes.
  bytes(bytes: Uint8Array): this {
    return this.u32(bytes.length).fixed(bytes);
  }

  text(s: string): this {
    return this.bytes(utf8(s));
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

// Reads a borrowed buffer; every getter throws DecodeError on truncation or a bad value.
export class DecodeError extends Error {}

export class Decoder {
  private at = 0;
  constructor(private readonly data: Uint8Array) {}

  version(expected: number): void {
    const v = this.u8();
    if (v !== expected) throw new DecodeError(`version ${v}, expected ${expected}`);
  }

  u8(): number {
    return this.take(1)[0];
  }

  u32(): number {
    const b = this.take(4);
    return ((b[0] << 24) >>> 0) + (b[1] << 16) + (b[2] << 8) + b[3];
  }

  u64(): bigint {
    const b = this.take(8);
    let v = 0n;
    for (const x of b) v = (v << 8n) | BigInt(x);
    return v;
  }

  fixed(n: number): Uint8Array {
    return this.take(n);
  }

  bytes(max: number): Uint8Array {
    const n = this.u32();
    if (n > max) throw new DecodeError(`length ${n} exceeds ${max}`);
    return this.take(n);
  }

  text(max: number): string {
    try {
      return fromUtf8(this.bytes(max));
    } catch (e) {
      if (e instanceof DecodeError) throw e;
      throw new DecodeError('text is not UTF-8');
    }
  }

  finish(): void {
    if (this.at !== this.data.length) throw new DecodeError('trailing bytes');
  }

  private take(n: number): Uint8Array {
    if (this.at + n > this.data.length) throw new DecodeError('truncated');
    const out = this.data.subarray(this.at, this.at + n);
    this.at += n;
    return out;
  }
}
