/**
 * LZF compression as Redis ships it (liblzf 3.6 with HLOG=16, VERY_FAST, 64-bit offsets).
 * Used for RDB/DUMP strings and quicklist nodes.
 *
 * Stream format: 000LLLLL + L+1 literal bytes; LLLooooo oooooooo is a back reference of
 * L+2 bytes at distance o+1; 111ooooo LLLLLLLL oooooooo is the long form (L+9 bytes).
 *
 * The compressor reproduces Redis's output byte for byte when Redis's hash table starts
 * empty. (Redis leaves its table uninitialised, so it can occasionally find extra matches
 * through stale slots; either output decompresses to the same bytes.) Instead of clearing
 * the 64K-slot table per call, each slot carries the generation that wrote it.
 * No module-level mutable state: a compressor owns its table. Imports nothing from src.
 */

const HSIZE = 1 << 16;
const MAX_LIT = 1 << 5;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3);

export class LzfCompressor {
  private readonly slotPos = new Int32Array(HSIZE);
  private readonly slotGen = new Uint32Array(HSIZE);
  private gen = 0;

  /**
   * Compresses src[start, end) into at most maxOut bytes. Returns the compressed bytes,
   * or null when the result would not fit (the caller then stores the data verbatim).
   */
  compress(src: Uint8Array, start: number, end: number, maxOut: number): Uint8Array | null {
    const inLen = end - start;
    if (inLen <= 0 || maxOut <= 0) return null;
    if (++this.gen === 0x100000000) {
      this.slotGen.fill(0);
      this.gen = 1;
    }
    const gen = this.gen;
    const slotPos = this.slotPos;
    const slotGen = this.slotGen;
    const inp = start === 0 && end === src.length ? src : src.subarray(start, end);
    // Slack so the speculative run-start byte never falls outside the array.
    const out = new Uint8Array(maxOut + 4);
    let ip = 0;
    let op = 1; // byte 0 is the pending literal-run header
    let lit = 0;
    let hval = ((inp[0]! << 8) | (inLen > 1 ? inp[1]! : 0)) >>> 0;
    const last = inLen - 2;

    while (ip < last) {
      hval = ((hval << 8) | inp[ip + 2]!) >>> 0;
      let slot = ((hval >>> 8) - Math.imul(hval, 5)) & 0xffff;
      const ref = slotGen[slot] === gen ? slotPos[slot]! : 0;
      slotGen[slot] = gen;
      slotPos[slot] = ip;
      const off = ip - ref - 1;
      if (ref > 0 && off < MAX_OFF && inp[ref + 2] === inp[ip + 2] && inp[ref] === inp[ip] && inp[ref + 1] === inp[ip + 1]) {
        let len = 2;
        let maxlen = inLen - ip - len;
        if (maxlen > MAX_REF) maxlen = MAX_REF;
        if (op + 4 >= maxOut && op - (lit === 0 ? 1 : 0) + 4 >= maxOut) return null;
        out[op - lit - 1] = lit - 1;
        if (lit === 0) op--;
        // Redis checks 16 bytes without the maxlen bound before its bounded loop; the
        // order matters for the exact match length near the end of the input.
        let done = false;
        if (maxlen > 16) {
          for (let k = 0; k < 16; k++) {
            len++;
            if (inp[ref + len] !== inp[ip + len]) {
              done = true;
              break;
            }
          }
        }
        if (!done) {
          do len++;
          while (len < maxlen && inp[ref + len] === inp[ip + len]);
        }
        len -= 2;
        ip++;
        if (len < 7) {
          out[op++] = (off >>> 8) + (len << 5);
        } else {
          out[op++] = (off >>> 8) + (7 << 5);
          out[op++] = len - 7;
        }
        out[op++] = off & 0xff;
        lit = 0;
        op++;
        ip += len + 1;
        if (ip >= last) break;
        ip -= 2;
        hval = ((inp[ip]! << 8) | inp[ip + 1]!) >>> 0;
        hval = ((hval << 8) | inp[ip + 2]!) >>> 0;
        slot = ((hval >>> 8) - Math.imul(hval, 5)) & 0xffff;
        slotGen[slot] = gen;
        slotPos[slot] = ip;
        ip++;
        hval = ((hval << 8) | inp[ip + 2]!) >>> 0;
        slot = ((hval >>> 8) - Math.imul(hval, 5)) & 0xffff;
        slotGen[slot] = gen;
        slotPos[slot] = ip;
        ip++;
      } else {
        if (op >= maxOut) return null;
        lit++;
        out[op++] = inp[ip++]!;
        if (lit === MAX_LIT) {
          out[op - lit - 1] = lit - 1;
          lit = 0;
          op++;
        }
      }
    }
    if (op + 3 > maxOut) return null;
    while (ip < inLen) {
      lit++;
      out[op++] = inp[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
    out[op - lit - 1] = lit - 1;
    if (lit === 0) op--;
    if (op > maxOut) return null;
    return out.subarray(0, op);
  }
}

/** One-shot compression (allocates a table; prefer a long-lived LzfCompressor). */
export function lzfCompress(src: Uint8Array, maxOut: number = src.length): Uint8Array | null {
  return new LzfCompressor().compress(src, 0, src.length, maxOut);
}

export class LzfError extends Error {}

/**
 * Decompresses src[start, end) into exactly outLen bytes. Throws LzfError on a
 * malformed stream or when the output length differs from outLen.
 */
export function lzfDecompress(src: Uint8Array, outLen: number, start = 0, end = src.length): Buffer {
  const out = Buffer.allocUnsafe(outLen);
  let ip = start;
  let op = 0;
  while (ip < end) {
    let ctrl = src[ip++]!;
    if (ctrl < MAX_LIT) {
      ctrl++;
      if (op + ctrl > outLen) throw new LzfError('LZF output overflow');
      if (ip + ctrl > end) throw new LzfError('LZF input truncated');
      if (ctrl > 8) {
        out.set(src.subarray(ip, ip + ctrl), op);
        op += ctrl;
        ip += ctrl;
      } else {
        while (ctrl--) out[op++] = src[ip++]!;
      }
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= end) throw new LzfError('LZF input truncated');
      if (len === 7) {
        len += src[ip++]!;
        if (ip >= end) throw new LzfError('LZF input truncated');
      }
      ref -= src[ip++]!;
      len += 2;
      if (op + len > outLen) throw new LzfError('LZF output overflow');
      if (ref < 0) throw new LzfError('LZF back reference before start');
      if (op >= ref + len) {
        out.copyWithin(op, ref, ref + len);
        op += len;
      } else {
        // overlapping copy repeats the pattern, byte by byte
        while (len--) out[op++] = out[ref++]!;
      }
    }
  }
  if (op !== outLen) throw new LzfError('LZF length mismatch');
  return out;
}
