/**
 * Intset encoder and decoder (intset.c's format): u32le element width (2, 4 or 8),
 * u32le count, then the values ascending, little endian, all of that width. The width is
 * the smallest that holds every value, as Redis's upgrade-on-insert ends up with.
 * Imports: this folder only.
 */
import { RdbError } from './bytes.js';

/** Canonical int64 decimal text → value, or null (Redis's string2ll). */
export function parseSetInt(s: string): bigint | null {
  const n = s.length;
  if (n === 0 || n > 20) return null;
  let i = 0;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    i = 1;
  }
  const c0 = s.charCodeAt(i);
  if (c0 === 48) return n === 1 ? 0n : null;
  if (c0 < 49 || c0 > 57) return null;
  for (let j = i + 1; j < n; j++) {
    const c = s.charCodeAt(j);
    if (c < 48 || c > 57) return null;
  }
  const b = BigInt(s);
  return b > 9223372036854775807n || b < -9223372036854775808n ? null : b;
}

/** Encodes distinct int64 values (any order) as an intset. */
export function encodeIntset(values: readonly bigint[]): Buffer {
  const sorted = values.slice().sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  let width = 2;
  for (const v of sorted) {
    if (v < -2147483648n || v > 2147483647n) {
      width = 8;
      break;
    }
    if (v < -32768n || v > 32767n) width = 4;
  }
  const out = Buffer.allocUnsafe(8 + width * sorted.length);
  out.writeUInt32LE(width, 0);
  out.writeUInt32LE(sorted.length, 4);
  let p = 8;
  for (const v of sorted) {
    if (width === 2) out.writeInt16LE(Number(v), p);
    else if (width === 4) out.writeInt32LE(Number(v), p);
    else out.writeBigInt64LE(v, p);
    p += width;
  }
  return out;
}

/** Decodes and validates an intset (sorted, no duplicates, non-empty), as decimal text. */
export function decodeIntset(buf: Buffer): string[] {
  if (buf.length < 8) throw new RdbError('Intset integrity check failed.');
  const width = buf.readUInt32LE(0);
  if (width !== 2 && width !== 4 && width !== 8) throw new RdbError('Intset integrity check failed.');
  const count = buf.readUInt32LE(4);
  if (8 + count * width !== buf.length || count === 0) throw new RdbError('Intset integrity check failed.');
  const out = new Array<string>(count);
  let prev: bigint | number | null = null;
  for (let i = 0, p = 8; i < count; i++, p += width) {
    const v: bigint | number = width === 2 ? buf.readInt16LE(p) : width === 4 ? buf.readInt32LE(p) : buf.readBigInt64LE(p);
    if (prev !== null && v <= prev) throw new RdbError('Intset integrity check failed.');
    prev = v;
    out[i] = String(v);
  }
  return out;
}
