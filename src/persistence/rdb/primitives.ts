/**
 * RDB primitive encodings: lengths (6/14/32/64-bit), strings (verbatim, small integers,
 * LZF-compressed), binary and textual doubles, millisecond times.
 *
 * Write side mirrors Redis's choices exactly (integer encoding for canonical int32
 * strings of up to 11 bytes, LZF only above 20 bytes and only when it saves at least 4
 * bytes), so our output matches Redis's byte for byte. Read side accepts everything any
 * Redis version writes. Imports: util (lzf), this folder.
 */
import { LzfCompressor, LzfError, lzfDecompress } from '../../util/lzf.js';
import { ByteReader, ByteWriter, RdbError } from './bytes.js';
import {
  RDB_14BITLEN,
  RDB_32BITLEN,
  RDB_64BITLEN,
  RDB_6BITLEN,
  RDB_ENC_INT16,
  RDB_ENC_INT32,
  RDB_ENC_INT8,
  RDB_ENC_LZF,
  RDB_ENCVAL,
} from './constants.js';

/** Per-writer state for string output. */
export interface StringSink {
  /** rdbcompression: try LZF on strings longer than 20 bytes. */
  compress: boolean;
  lzf: LzfCompressor;
}

export function newStringSink(compress: boolean): StringSink {
  return { compress, lzf: new LzfCompressor() };
}

const TWO32 = 0x100000000;

export function writeLen(w: ByteWriter, n: number | bigint): void {
  if (typeof n === 'bigint') {
    if (n < 0n) n = BigInt.asUintN(64, n);
    if (n <= 0xffffffffn) {
      writeLen(w, Number(n));
      return;
    }
    w.byte(RDB_64BITLEN);
    w.u64be(n);
    return;
  }
  if (n < 64) {
    w.byte((RDB_6BITLEN << 6) | n);
  } else if (n < 16384) {
    w.ensure(2);
    w.buf[w.pos++] = (RDB_14BITLEN << 6) | (n >>> 8);
    w.buf[w.pos++] = n & 0xff;
  } else if (n < TWO32) {
    w.byte(RDB_32BITLEN);
    w.u32be(n);
  } else {
    w.byte(RDB_64BITLEN);
    w.u64be(BigInt(n));
  }
}

/**
 * Reads a length byte sequence. Returns the length, or for RDB_ENCVAL the encoding type
 * with `encoded` set. Lengths above 2^53 are returned as bigint only by readLenBig.
 */
function readLenRaw(r: ByteReader): { encoded: boolean; big: bigint | null; n: number } {
  const b = r.u8();
  const kind = (b & 0xc0) >>> 6;
  if (kind === RDB_ENCVAL) return { encoded: true, big: null, n: b & 0x3f };
  if (kind === RDB_6BITLEN) return { encoded: false, big: null, n: b & 0x3f };
  if (kind === RDB_14BITLEN) return { encoded: false, big: null, n: ((b & 0x3f) << 8) | r.u8() };
  if (b === RDB_32BITLEN) return { encoded: false, big: null, n: r.u32be() };
  if (b === RDB_64BITLEN) {
    const v = r.u64be();
    return v <= BigInt(Number.MAX_SAFE_INTEGER) ? { encoded: false, big: null, n: Number(v) } : { encoded: false, big: v, n: -1 };
  }
  throw new RdbError(`Unknown length encoding ${kind} in rdbLoadLen()`);
}

/** A plain length (element counts, ids); rejects special encodings. */
export function readLen(r: ByteReader): number {
  const l = readLenRaw(r);
  if (l.encoded) throw new RdbError('Unexpected encoded length');
  if (l.big !== null) throw new RdbError(`Length ${l.big} is too large`);
  return l.n;
}

/** A length that may use all 64 bits (stream IDs and counters). */
export function readLenBig(r: ByteReader): bigint {
  const l = readLenRaw(r);
  if (l.encoded) throw new RdbError('Unexpected encoded length');
  return l.big ?? BigInt(l.n);
}

/** The int32 value of a canonical decimal string of at most 11 bytes, else null. */
function smallIntValue(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 11) return null;
  let i = 0;
  let neg = false;
  if (s.charCodeAt(0) === 45) {
    if (n === 1) return null;
    neg = true;
    i = 1;
  }
  const c0 = s.charCodeAt(i);
  if (c0 === 48) return n === 1 ? 0 : null;
  if (c0 < 49 || c0 > 57) return null;
  let v = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return null;
    v = v * 10 + (c - 48);
  }
  if (neg) v = -v;
  return v >= -2147483648 && v <= 2147483647 ? v : null;
}

/** Writes the RDB integer encoding of v (must be an int32). */
export function writeEncodedInt(w: ByteWriter, v: number): void {
  w.ensure(5);
  const b = w.buf;
  let p = w.pos;
  if (v >= -128 && v <= 127) {
    b[p++] = (RDB_ENCVAL << 6) | RDB_ENC_INT8;
    b[p++] = v & 0xff;
  } else if (v >= -32768 && v <= 32767) {
    b[p++] = (RDB_ENCVAL << 6) | RDB_ENC_INT16;
    b[p++] = v & 0xff;
    b[p++] = (v >> 8) & 0xff;
  } else {
    b[p++] = (RDB_ENCVAL << 6) | RDB_ENC_INT32;
    b[p++] = v & 0xff;
    b[p++] = (v >> 8) & 0xff;
    b[p++] = (v >> 16) & 0xff;
    b[p++] = (v >>> 24) & 0xff;
  }
  w.pos = p;
}

/** rdbSaveRawString for a latin1 string. */
export function writeString(w: ByteWriter, s: string, sink: StringSink): void {
  const n = s.length;
  if (n <= 11) {
    const iv = smallIntValue(s);
    if (iv !== null) {
      writeEncodedInt(w, iv);
      return;
    }
  }
  if (sink.compress && n > 20) {
    // Stage the raw bytes past the largest possible header, compress from there, and
    // fall back to sliding them into place when LZF does not pay off.
    const hdr = 1 + 5 + 5;
    w.ensure(hdr + n);
    const stage = w.pos + hdr;
    w.buf.write(s, stage, n, 'latin1');
    const packed = sink.lzf.compress(w.buf, stage, stage + n, n - 4);
    if (packed !== null) {
      w.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
      writeLen(w, packed.length);
      writeLen(w, n);
      w.bytes(packed);
      return;
    }
    writeLen(w, n);
    w.buf.copyWithin(w.pos, stage, stage + n);
    w.pos += n;
    return;
  }
  writeLen(w, n);
  if (n > 0) w.latin1(s);
}

/** rdbSaveRawString for binary data (listpacks, intsets). */
export function writeBlob(w: ByteWriter, data: Uint8Array, sink: StringSink): void {
  const n = data.length;
  if (n <= 11) {
    let s = '';
    for (let i = 0; i < n; i++) s += String.fromCharCode(data[i]!);
    const iv = smallIntValue(s);
    if (iv !== null) {
      writeEncodedInt(w, iv);
      return;
    }
  }
  if (sink.compress && n > 20) {
    const packed = sink.lzf.compress(data, 0, n, n - 4);
    if (packed !== null) {
      w.byte((RDB_ENCVAL << 6) | RDB_ENC_LZF);
      writeLen(w, packed.length);
      writeLen(w, n);
      w.bytes(packed);
      return;
    }
  }
  writeLen(w, n);
  w.bytes(data);
}

/** Integer-encoded or verbatim decimal text of an int64 (rdbSaveLongLongAsStringObject). */
export function writeLongLongString(w: ByteWriter, v: number): void {
  if (v >= -2147483648 && v <= 2147483647) writeEncodedInt(w, v);
  else {
    const s = String(v);
    writeLen(w, s.length);
    w.latin1(s);
  }
}

function readEncodedInt(r: ByteReader, enc: number): number {
  if (enc === RDB_ENC_INT8) {
    const b = r.u8();
    return b > 127 ? b - 256 : b;
  }
  if (enc === RDB_ENC_INT16) {
    const lo = r.u8();
    const hi = r.u8();
    const v = lo | (hi << 8);
    return v > 32767 ? v - 65536 : v;
  }
  if (enc === RDB_ENC_INT32) return r.i32le();
  throw new RdbError(`Unknown RDB integer encoding type ${enc}`);
}

function readLzf(r: ByteReader): Buffer {
  const clen = readLen(r);
  const len = readLen(r);
  const packed = r.slice(clen);
  try {
    return lzfDecompress(packed, len);
  } catch (e) {
    if (e instanceof LzfError) throw new RdbError('Invalid LZF compressed string');
    throw e;
  }
}

/** rdbGenericLoadStringObject, as a latin1 string. */
export function readString(r: ByteReader): string {
  const b = r.u8();
  const kind = b >>> 6;
  if (kind === RDB_6BITLEN) return (b & 0x3f) === 0 ? '' : r.latin1(b & 0x3f);
  if (kind === RDB_ENCVAL) {
    const enc = b & 0x3f;
    if (enc === RDB_ENC_LZF) return readLzf(r).toString('latin1');
    if (enc <= RDB_ENC_INT32) return String(readEncodedInt(r, enc));
    throw new RdbError(`Unknown RDB string encoding type ${enc}`);
  }
  r.pos--;
  return r.latin1(readLen(r));
}

/** rdbGenericLoadStringObject(RDB_LOAD_PLAIN): the raw bytes (copied or viewed). */
export function readBlob(r: ByteReader): Buffer {
  const b = r.u8();
  if (b >>> 6 === RDB_ENCVAL) {
    const enc = b & 0x3f;
    if (enc === RDB_ENC_LZF) return readLzf(r);
    if (enc <= RDB_ENC_INT32) return Buffer.from(String(readEncodedInt(r, enc)), 'latin1');
    throw new RdbError(`Unknown RDB string encoding type ${enc}`);
  }
  r.pos--;
  return r.slice(readLen(r));
}

/** Skips one encoded string without materialising it. */
export function skipString(r: ByteReader): void {
  const b = r.u8();
  if (b >>> 6 === RDB_ENCVAL) {
    const enc = b & 0x3f;
    if (enc === RDB_ENC_LZF) {
      const clen = readLen(r);
      readLen(r);
      r.skip(clen);
    } else if (enc <= RDB_ENC_INT32) r.skip(enc === RDB_ENC_INT8 ? 1 : enc === RDB_ENC_INT16 ? 2 : 4);
    else throw new RdbError(`Unknown RDB string encoding type ${enc}`);
    return;
  }
  r.pos--;
  r.skip(readLen(r));
}

/** strtod for stored score text ("inf", "-inf", "nan", decimal). */
export function parseStoredDouble(s: string): number {
  const t = s.trim().toLowerCase();
  if (t === 'inf' || t === '+inf' || t === 'infinity' || t === '+infinity') return Infinity;
  if (t === '-inf' || t === '-infinity') return -Infinity;
  if (t === 'nan' || t === '-nan' || t === '+nan') return NaN;
  const v = Number(t);
  if (Number.isNaN(v)) {
    const f = parseFloat(t);
    return Number.isNaN(f) ? 0 : f;
  }
  return v;
}

/** rdbLoadDoubleValue: the textual form used by RDB_TYPE_ZSET (v1). */
export function readDoubleString(r: ByteReader): number {
  const len = r.u8();
  if (len === 255) return -Infinity;
  if (len === 254) return Infinity;
  if (len === 253) return NaN;
  const s = r.latin1(len);
  const v = parseStoredDouble(s);
  return v;
}
