/**
 * CRC-64 "Jones" as Redis uses it for RDB files and DUMP payloads: reflected input and
 * output, polynomial 0xad93d23594c935a9 (0x95ac9329ac4bc9b5 reflected), init 0, no final
 * xor. crc64("123456789") = 0xe9c6d914c4b8d9ca.
 *
 * JS has no fast 64-bit integers, so the running value is kept as two uint32 halves and
 * the tables are split the same way; eight bytes are folded per step (slicing-by-8).
 * The tables are constants built once at load time; callers hold their own Crc64 state.
 * Imports nothing from src.
 */

const POLY_LO = 0xac4bc9b5;
const POLY_HI = 0x95ac9329;

/** TLO[k*256+i] / THI[k*256+i]: slice k of the table, low and high 32 bits. */
const TLO = new Uint32Array(8 * 256);
const THI = new Uint32Array(8 * 256);

for (let i = 0; i < 256; i++) {
  let lo = i;
  let hi = 0;
  for (let b = 0; b < 8; b++) {
    const bit = lo & 1;
    lo = ((lo >>> 1) | ((hi & 1) << 31)) >>> 0;
    hi = hi >>> 1;
    if (bit) {
      lo = (lo ^ POLY_LO) >>> 0;
      hi = (hi ^ POLY_HI) >>> 0;
    }
  }
  TLO[i] = lo;
  THI[i] = hi;
}
for (let k = 1; k < 8; k++) {
  for (let i = 0; i < 256; i++) {
    const plo = TLO[(k - 1) * 256 + i]!;
    const phi = THI[(k - 1) * 256 + i]!;
    const idx = plo & 0xff;
    // shift the previous slice right by 8 and fold in the table entry of its low byte
    TLO[k * 256 + i] = (((plo >>> 8) | (phi << 24)) ^ TLO[idx]!) >>> 0;
    THI[k * 256 + i] = ((phi >>> 8) ^ THI[idx]!) >>> 0;
  }
}

/** A running CRC-64; feed it any number of chunks, read it at any time. */
export class Crc64 {
  lo = 0;
  hi = 0;

  update(buf: Uint8Array, start = 0, end = buf.length): this {
    let lo = this.lo;
    let hi = this.hi;
    let i = start;
    const fast = end - 8;
    while (i <= fast) {
      lo = (lo ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24))) >>> 0;
      hi = (hi ^ (buf[i + 4]! | (buf[i + 5]! << 8) | (buf[i + 6]! << 16) | (buf[i + 7]! << 24))) >>> 0;
      const a = 7 * 256 + (lo & 0xff);
      const b = 6 * 256 + ((lo >>> 8) & 0xff);
      const c = 5 * 256 + ((lo >>> 16) & 0xff);
      const d = 4 * 256 + (lo >>> 24);
      const e = 3 * 256 + (hi & 0xff);
      const f = 2 * 256 + ((hi >>> 8) & 0xff);
      const g = 256 + ((hi >>> 16) & 0xff);
      const h = hi >>> 24;
      lo = (TLO[a]! ^ TLO[b]! ^ TLO[c]! ^ TLO[d]! ^ TLO[e]! ^ TLO[f]! ^ TLO[g]! ^ TLO[h]!) >>> 0;
      hi = (THI[a]! ^ THI[b]! ^ THI[c]! ^ THI[d]! ^ THI[e]! ^ THI[f]! ^ THI[g]! ^ THI[h]!) >>> 0;
      i += 8;
    }
    for (; i < end; i++) {
      const idx = (lo ^ buf[i]!) & 0xff;
      lo = (((lo >>> 8) | (hi << 24)) ^ TLO[idx]!) >>> 0;
      hi = ((hi >>> 8) ^ THI[idx]!) >>> 0;
    }
    this.lo = lo;
    this.hi = hi;
    return this;
  }

  value(): bigint {
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** The checksum as Redis stores it: 8 bytes, little endian. */
  bytes(): Buffer {
    const out = Buffer.allocUnsafe(8);
    out.writeUInt32LE(this.lo, 0);
    out.writeUInt32LE(this.hi, 4);
    return out;
  }

  /** True when the 8 little-endian bytes at buf[off] equal this checksum. */
  matches(buf: Uint8Array, off: number): boolean {
    const lo = (buf[off]! | (buf[off + 1]! << 8) | (buf[off + 2]! << 16) | (buf[off + 3]! << 24)) >>> 0;
    const hi = (buf[off + 4]! | (buf[off + 5]! << 8) | (buf[off + 6]! << 16) | (buf[off + 7]! << 24)) >>> 0;
    return lo === this.lo && hi === this.hi;
  }
}

/** CRC-64 of a whole buffer (or a slice of it). */
export function crc64(buf: Uint8Array, start = 0, end = buf.length): bigint {
  return new Crc64().update(buf, start, end).value();
}
