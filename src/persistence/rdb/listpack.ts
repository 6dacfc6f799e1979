/**
 * Listpack encoder and decoder (listpack.c's format), the container behind list nodes,
 * small hashes and zsets, and stream nodes in RDB 10.
 *
 * Layout: u32le total-bytes, u16le count (saturates at 65535), entries, 0xFF. An entry
 * is <encoding+data><backlen>, where backlen is the entry's own size written as 7-bit
 * groups readable from the right. Strings that are canonical int64 decimals are stored
 * as integers (7/13/16/24/32/64-bit), exactly as lpAppend decides, so a listpack we build
 * is byte-identical to the one Redis builds from the same appends.
 * Imports: this folder only.
 */
import { ByteWriter, RdbError } from './bytes.js';
import { LP_HDR_NUMELE_UNKNOWN } from './constants.js';

const LP_HDR_SIZE = 6;
const LP_EOF = 0xff;

/** Bytes needed for the backlen of an entry of `l` bytes (lpEncodeBacklen). */
export function backlenSize(l: number): number {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

/** lpStringToInt64: canonical int64 decimal text (at most 20 bytes) → value, or null. */
export function lpStringToInt(s: string): number | bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const c0 = s.charCodeAt(i);
  if (c0 === 48) return n === 1 ? 0 : null;
  if (c0 < 49 || c0 > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  if (n - i <= 15) return +s;
  const b = BigInt(s);
  if (b > 9223372036854775807n || b < -9223372036854775808n) return null;
  return Number.isSafeInteger(Number(b)) ? Number(b) : b;
}

/** Size of the integer encoding (without backlen) for v. */
function intEncSize(v: number | bigint): number {
  if (typeof v === 'bigint') return 9;
  if (v >= 0 && v <= 127) return 1;
  if (v >= -4096 && v <= 4095) return 2;
  if (v >= -32768 && v <= 32767) return 3;
  if (v >= -8388608 && v <= 8388607) return 4;
  if (v >= -2147483648 && v <= 2147483647) return 5;
  return 9;
}

/** Bytes an entry for string s occupies, backlen included. */
export function lpEntrySize(s: string): number {
  const iv = lpStringToInt(s);
  const enc = iv !== null ? intEncSize(iv) : strEncSize(s.length);
  return enc + backlenSize(enc);
}

export function lpIntEntrySize(v: number | bigint): number {
  const enc = intEncSize(v);
  return enc + backlenSize(enc);
}

function strEncSize(len: number): number {
  return len < 64 ? 1 + len : len < 4096 ? 2 + len : 5 + len;
}

/** Builds one listpack by appending entries; finish() returns its bytes. */
export class ListpackBuilder {
  private readonly w: ByteWriter;
  private count = 0;

  constructor(sizeHint = 256) {
    this.w = new ByteWriter(sizeHint < 16 ? 16 : sizeHint);
    this.w.pos = LP_HDR_SIZE;
  }

  get length(): number {
    return this.count;
  }

  /** Current total bytes, as lpBytes would report (header and EOF included). */
  get bytes(): number {
    return this.w.pos + 1;
  }

  /** lpAppend: integer encoding when the text is a canonical int64. */
  append(s: string): void {
    const iv = lpStringToInt(s);
    if (iv !== null) this.appendInt(iv);
    else this.appendStr(s);
  }

  /** lpAppendInteger. */
  appendInt(v: number | bigint): void {
    const w = this.w;
    w.ensure(14);
    const b = w.buf;
    let p = w.pos;
    const start = p;
    if (typeof v === 'number' && !Number.isSafeInteger(v)) v = BigInt(v);
    if (typeof v === 'bigint') {
      if (v >= -9007199254740991n && v <= 9007199254740991n) v = Number(v);
    }
    if (typeof v === 'bigint') {
      b[p++] = 0xf4;
      b.writeBigUInt64LE(BigInt.asUintN(64, v), p);
      p += 8;
    } else if (v >= 0 && v <= 127) {
      b[p++] = v;
    } else if (v >= -4096 && v <= 4095) {
      const u = v < 0 ? (1 << 13) + v : v;
      b[p++] = (u >>> 8) | 0xc0;
      b[p++] = u & 0xff;
    } else if (v >= -32768 && v <= 32767) {
      const u = v < 0 ? 65536 + v : v;
      b[p++] = 0xf1;
      b[p++] = u & 0xff;
      b[p++] = u >>> 8;
    } else if (v >= -8388608 && v <= 8388607) {
      const u = v < 0 ? 16777216 + v : v;
      b[p++] = 0xf2;
      b[p++] = u & 0xff;
      b[p++] = (u >>> 8) & 0xff;
      b[p++] = u >>> 16;
    } else if (v >= -2147483648 && v <= 2147483647) {
      b[p++] = 0xf3;
      b.writeInt32LE(v, p);
      p += 4;
    } else {
      b[p++] = 0xf4;
      b.writeBigInt64LE(BigInt(v), p);
      p += 8;
    }
    w.pos = p;
    this.backlen(p - start);
    this.count++;
  }

  /** Appends s with a string encoding even if it looks like a number. */
  appendStr(s: string): void {
    const w = this.w;
    const len = s.length;
    w.ensure(len + 10);
    const b = w.buf;
    let p = w.pos;
    const start = p;
    if (len < 64) {
      b[p++] = 0x80 | len;
    } else if (len < 4096) {
      b[p++] = 0xe0 | (len >>> 8);
      b[p++] = len & 0xff;
    } else {
      b[p++] = 0xf0;
      b.writeUInt32LE(len, p);
      p += 4;
    }
    w.pos = p;
    w.latin1(s);
    this.backlen(w.pos - start);
    this.count++;
  }

  private backlen(l: number): void {
    const w = this.w;
    w.ensure(5);
    const b = w.buf;
    if (l <= 127) {
      b[w.pos++] = l;
    } else if (l < 16383) {
      b[w.pos++] = l >>> 7;
      b[w.pos++] = (l & 127) | 128;
    } else if (l < 2097151) {
      b[w.pos++] = l >>> 14;
      b[w.pos++] = ((l >>> 7) & 127) | 128;
      b[w.pos++] = (l & 127) | 128;
    } else if (l < 268435455) {
      b[w.pos++] = l >>> 21;
      b[w.pos++] = ((l >>> 14) & 127) | 128;
      b[w.pos++] = ((l >>> 7) & 127) | 128;
      b[w.pos++] = (l & 127) | 128;
    } else {
      b[w.pos++] = Math.floor(l / 268435456);
      b[w.pos++] = ((l >>> 21) & 127) | 128;
      b[w.pos++] = ((l >>> 14) & 127) | 128;
      b[w.pos++] = ((l >>> 7) & 127) | 128;
      b[w.pos++] = (l & 127) | 128;
    }
  }

  /** The finished listpack (header filled in, EOF appended). */
  finish(): Buffer {
    const w = this.w;
    w.byte(LP_EOF);
    w.buf.writeUInt32LE(w.pos, 0);
    w.buf.writeUInt16LE(this.count < LP_HDR_NUMELE_UNKNOWN ? this.count : LP_HDR_NUMELE_UNKNOWN, 4);
    return w.buf.subarray(0, w.pos);
  }
}

/** A listpack from strings in order. */
export function encodeListpack(items: readonly string[]): Buffer {
  const b = new ListpackBuilder(64 + items.length * 8);
  for (const s of items) b.append(s);
  return b.finish();
}

/** One decoded element: a string, or an integer (number when safe, else bigint). */
export type LpValue = string | number | bigint;

/**
 * Decodes and validates a listpack, returning its elements. With `asStrings`, integers
 * come back as their decimal text (what lpGet with an int buffer returns).
 */
export function decodeListpack(buf: Uint8Array, asStrings: true): string[];
export function decodeListpack(buf: Uint8Array, asStrings: false): LpValue[];
export function decodeListpack(buf: Uint8Array, asStrings: boolean): LpValue[] {
  const size = buf.length;
  if (size < LP_HDR_SIZE + 1) throw new RdbError('Listpack integrity check failed.');
  const total = (buf[0]! | (buf[1]! << 8) | (buf[2]! << 16) | (buf[3]! << 24)) >>> 0;
  if (total !== size || buf[size - 1] !== LP_EOF) throw new RdbError('Listpack integrity check failed.');
  const numele = buf[4]! | (buf[5]! << 8);
  const out: LpValue[] = [];
  const bb = Buffer.isBuffer(buf) ? buf : Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let p = LP_HDR_SIZE;
  const last = size - 1;
  while (p < last) {
    const c = bb[p]!;
    let encLen: number;
    let val: LpValue;
    if ((c & 0x80) === 0) {
      encLen = 1;
      val = c;
    } else if ((c & 0xc0) === 0x80) {
      const len = c & 0x3f;
      encLen = 1 + len;
      if (p + encLen > last) break;
      val = bb.toString('latin1', p + 1, p + encLen);
    } else if ((c & 0xe0) === 0xc0) {
      encLen = 2;
      if (p + 2 > last) break;
      const u = ((c & 0x1f) << 8) | bb[p + 1]!;
      val = u >= 4096 ? u - 8192 : u;
    } else if ((c & 0xf0) === 0xe0) {
      if (p + 2 > last) break;
      const len = ((c & 0x0f) << 8) | bb[p + 1]!;
      encLen = 2 + len;
      if (p + encLen > last) break;
      val = bb.toString('latin1', p + 2, p + encLen);
    } else if (c === 0xf1) {
      encLen = 3;
      if (p + 3 > last) break;
      val = bb.readInt16LE(p + 1);
    } else if (c === 0xf2) {
      encLen = 4;
      if (p + 4 > last) break;
      const u = bb[p + 1]! | (bb[p + 2]! << 8) | (bb[p + 3]! << 16);
      val = u >= 0x800000 ? u - 0x1000000 : u;
    } else if (c === 0xf3) {
      encLen = 5;
      if (p + 5 > last) break;
      val = bb.readInt32LE(p + 1);
    } else if (c === 0xf4) {
      encLen = 9;
      if (p + 9 > last) break;
      const big = bb.readBigInt64LE(p + 1);
      val = big >= -9007199254740991n && big <= 9007199254740991n ? Number(big) : big;
    } else if (c === 0xf0) {
      if (p + 5 > last) break;
      const len = bb.readUInt32LE(p + 1);
      encLen = 5 + len;
      if (p + encLen > last) break;
      val = bb.toString('latin1', p + 5, p + encLen);
    } else {
      throw new RdbError('Listpack integrity check failed.');
    }
    const bl = backlenSize(encLen);
    const next = p + encLen + bl;
    if (next > last) throw new RdbError('Listpack integrity check failed.');
    if (decodeBacklen(bb, next - 1) !== encLen) throw new RdbError('Listpack integrity check failed.');
    out.push(asStrings && typeof val !== 'string' ? String(val) : val);
    p = next;
  }
  if (p !== last) throw new RdbError('Listpack integrity check failed.');
  if (numele !== LP_HDR_NUMELE_UNKNOWN && numele !== out.length) throw new RdbError('Listpack integrity check failed.');
  return out;
}

function decodeBacklen(b: Uint8Array, p: number): number {
  let val = 0;
  let shift = 0;
  for (;;) {
    const c = b[p]!;
    val += (c & 127) * 2 ** shift;
    if ((c & 128) === 0) return val;
    shift += 7;
    p--;
    if (shift > 28) return -1;
  }
}
