/**
 * Byte-level I/O for the RDB codec: a growable output buffer and a bounds-checked input
 * cursor. Strings are latin1 (one JS char per byte), so they map to bytes 1:1.
 *
 * Every read is bounds checked and throws RdbError rather than returning garbage, so
 * decoders can be written straight-line. Imports nothing from src.
 */

export class RdbError extends Error {
  /** 'eof' for a short read, 'corrupt' for malformed data. */
  constructor(message: string, readonly kind: 'eof' | 'corrupt' = 'corrupt') {
    super(message);
    this.name = 'RdbError';
  }
}

const TWO32 = 0x100000000;

export class ByteWriter {
  buf: Buffer;
  pos = 0;

  constructor(initial = 4096) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const nb = Buffer.allocUnsafe(size);
    this.buf.copy(nb, 0, 0, this.pos);
    this.buf = nb;
  }

  get length(): number {
    return this.pos;
  }

  byte(b: number): void {
    if (this.pos >= this.buf.length) this.ensure(1);
    this.buf[this.pos++] = b;
  }

  bytes(src: Uint8Array, start = 0, end = src.length): void {
    const n = end - start;
    this.ensure(n);
    this.buf.set(start === 0 && end === src.length ? src : src.subarray(start, end), this.pos);
    this.pos += n;
  }

  latin1(s: string): void {
    const n = s.length;
    this.ensure(n);
    if (n < 16) {
      const b = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
      this.pos = p;
    } else {
      this.pos += this.buf.write(s, this.pos, n, 'latin1');
    }
  }

  u16le(v: number): void {
    this.ensure(2);
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
  }

  u32le(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
  }

  u32be(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.pos);
    this.pos += 4;
  }

  /** Signed 64-bit little endian (millisecond times). */
  i64le(v: number | bigint): void {
    this.ensure(8);
    if (typeof v === 'bigint') this.buf.writeBigInt64LE(BigInt.asIntN(64, v), this.pos);
    else if (Number.isSafeInteger(v)) {
      const lo = v % TWO32;
      const hi = Math.floor(v / TWO32);
      this.buf.writeUInt32LE(lo < 0 ? lo + TWO32 : lo, this.pos);
      this.buf.writeInt32LE(hi, this.pos + 4);
    } else this.buf.writeBigInt64LE(BigInt(Math.trunc(v)), this.pos);
    this.pos += 8;
  }

  /** Unsigned 64-bit big endian (stream ID halves). */
  u64be(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.pos);
    this.pos += 8;
  }

  doubleLE(d: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(d, this.pos);
    this.pos += 8;
  }

  /** A copy of the bytes written so far; the writer is reset. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }

  /** A view of the bytes written so far (valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
}

export class ByteReader {
  pos: number;

  constructor(readonly buf: Buffer, start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  need(n: number, what = 'data'): void {
    if (n < 0 || this.pos + n > this.end) throw new RdbError(`Unexpected EOF reading ${what}`, 'eof');
  }

  u8(): number {
    if (this.pos >= this.end) throw new RdbError('Unexpected EOF reading RDB file', 'eof');
    return this.buf[this.pos++]!;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** n raw bytes as a latin1 string. */
  latin1(n: number): string {
    this.need(n);
    const s = this.buf.toString('latin1', this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  /** n raw bytes as a view into the underlying buffer. */
  slice(n: number): Buffer {
    this.need(n);
    const s = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return s;
  }

  u32le(): number {
    this.need(4);
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  i32le(): number {
    this.need(4);
    const v = this.buf.readInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  u32be(): number {
    this.need(4);
    const v = this.buf.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }

  /** Signed 64-bit little endian as a number (exact up to 2^53). */
  i64le(): number {
    this.need(8);
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * TWO32 + lo;
  }

  u64be(): bigint {
    this.need(8);
    const v = this.buf.readBigUInt64BE(this.pos);
    this.pos += 8;
    return v;
  }

  doubleLE(): number {
    this.need(8);
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }

  floatLE(): number {
    this.need(4);
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }
}
