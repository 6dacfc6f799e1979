/**
 * Decoders for containers only found in RDB files from older Redis versions: ziplists
 * (lists, hashes and zsets before 7.0; quicklist v1 nodes) and zipmaps (hashes before
 * 2.6). Nothing here is ever written.
 *
 * Ziplist: u32le zlbytes, u32le zltail, u16le count, entries, 0xFF. Each entry is
 * <prevlen 1 or 0xFE+4 bytes><encoding><data>. Zipmap: u8 count, then
 * <len>key<len><free>value<free bytes>..., 0xFF; lengths are 1 byte or 0xFE + u32le.
 * Imports: this folder only.
 */
import { RdbError } from './bytes.js';
import { ZIPLIST_LEN_UNKNOWN } from './constants.js';

/** Decodes and validates a ziplist into its elements as text. */
export function decodeZiplist(buf: Buffer): string[] {
  const size = buf.length;
  const fail = (): never => {
    throw new RdbError('Ziplist integrity check failed.');
  };
  if (size < 11) fail();
  if (buf.readUInt32LE(0) !== size || buf[size - 1] !== 0xff) fail();
  const tail = buf.readUInt32LE(4);
  const count = buf.readUInt16LE(8);
  const out: string[] = [];
  let p = 10;
  let prevEntryLen = 0;
  let lastEntry = -1;
  const end = size - 1;
  while (p < end) {
    const start = p;
    let prevlen: number;
    if (buf[p] === 0xfe) {
      if (p + 5 > end) fail();
      prevlen = buf.readUInt32LE(p + 1);
      p += 5;
    } else {
      prevlen = buf[p]!;
      p += 1;
    }
    if (prevlen !== prevEntryLen) fail();
    if (p >= end) fail();
    const e = buf[p]!;
    let val: string;
    if (e >>> 6 === 0) {
      const len = e & 0x3f;
      p += 1;
      if (p + len > end) fail();
      val = buf.toString('latin1', p, p + len);
      p += len;
    } else if (e >>> 6 === 1) {
      if (p + 2 > end) fail();
      const len = ((e & 0x3f) << 8) | buf[p + 1]!;
      p += 2;
      if (p + len > end) fail();
      val = buf.toString('latin1', p, p + len);
      p += len;
    } else if (e === 0x80) {
      if (p + 5 > end) fail();
      const len = buf.readUInt32BE(p + 1);
      p += 5;
      if (p + len > end) fail();
      val = buf.toString('latin1', p, p + len);
      p += len;
    } else if (e === 0xc0) {
      if (p + 3 > end) fail();
      val = String(buf.readInt16LE(p + 1));
      p += 3;
    } else if (e === 0xd0) {
      if (p + 5 > end) fail();
      val = String(buf.readInt32LE(p + 1));
      p += 5;
    } else if (e === 0xe0) {
      if (p + 9 > end) fail();
      val = String(buf.readBigInt64LE(p + 1));
      p += 9;
    } else if (e === 0xf0) {
      if (p + 4 > end) fail();
      const u = buf[p + 1]! | (buf[p + 2]! << 8) | (buf[p + 3]! << 16);
      val = String(u >= 0x800000 ? u - 0x1000000 : u);
      p += 4;
    } else if (e === 0xfe) {
      if (p + 2 > end) fail();
      val = String(buf.readInt8(p + 1));
      p += 2;
    } else if (e >= 0xf1 && e <= 0xfd) {
      val = String((e & 0x0f) - 1);
      p += 1;
    } else {
      return fail();
    }
    out.push(val);
    prevEntryLen = p - start;
    lastEntry = start;
  }
  if (p !== end) fail();
  if (count !== ZIPLIST_LEN_UNKNOWN && count !== out.length) fail();
  if (out.length > 0 && tail !== lastEntry) fail();
  return out;
}

/** Decodes a zipmap into [field, value] pairs. */
export function decodeZipmap(buf: Buffer): Array<[string, string]> {
  const fail = (): never => {
    throw new RdbError('Zipmap integrity check failed.');
  };
  const end = buf.length;
  if (end < 2) fail();
  let p = 1;
  const readLen = (): number => {
    if (p >= end) fail();
    const b = buf[p]!;
    if (b < 254) {
      p += 1;
      return b;
    }
    if (b === 255) return -1;
    if (p + 5 > end) fail();
    const v = buf.readUInt32LE(p + 1);
    p += 5;
    return v;
  };
  const out: Array<[string, string]> = [];
  for (;;) {
    const klen = readLen();
    if (klen < 0) break;
    if (p + klen > end) fail();
    const key = buf.toString('latin1', p, p + klen);
    p += klen;
    const vlen = readLen();
    if (vlen < 0) fail();
    if (p >= end) fail();
    const free = buf[p++]!;
    if (p + vlen + free > end) fail();
    const val = buf.toString('latin1', p, p + vlen);
    p += vlen + free;
    out.push([key, val]);
  }
  if (p !== end - 1) fail();
  return out;
}
