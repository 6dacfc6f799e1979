/**
 * Number parsing and formatting with Redis's exact rules.
 *
 * Redis is strict about integers (string2ll: no spaces, no '+', no leading zeros,
 * 64-bit signed range) and formats doubles with printf's "%.17g". Clients compare
 * these bytes, so every reply that carries a number goes through this file.
 * Imports nothing from src.
 */

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
export const LLONG_MAX = INT64_MAX;
export const LLONG_MIN = INT64_MIN;

/** True when `s` is a canonical int64 decimal, as Redis's string2ll accepts it. */
export function isInt64String(s: string): boolean {
  const n = s.length;
  if (n === 0 || n > 20) return false;
  let i = 0;
  if (s.charCodeAt(0) === 45 /* - */) {
    if (n === 1) return false;
    i = 1;
  }
  const first = s.charCodeAt(i);
  if (first === 48 /* 0 */) return n === 1; // "0" only; "-0" and "01" are rejected
  if (first < 49 || first > 57) return false;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  if (n >= 19) {
    const b = BigInt(s);
    return b >= INT64_MIN && b <= INT64_MAX;
  }
  return true;
}

/**
 * Parses an int64 argument into a JS number. Values beyond 2^53 lose precision,
 * which is fine for counts, indexes and timeouts; arithmetic commands use parseBigInt.
 */
export function parseInteger(s: string): number | null {
  if (s.length < 16) {
    if (!isInt64String(s)) return null;
    return +s;
  }
  return isInt64String(s) ? Number(s) : null;
}

export function parseBigInt(s: string): bigint | null {
  return isInt64String(s) ? BigInt(s) : null;
}

export function inInt64Range(b: bigint): boolean {
  return b >= INT64_MIN && b <= INT64_MAX;
}

/**
 * Parses a double the way Redis's string2d / getDoubleFromObject do: strtod on the whole
 * string, no leading space, "inf"/"-inf"/"+inf" accepted, NaN rejected.
 */
export function parseDouble(s: string): number | null {
  const n = s.length;
  if (n === 0 || n > 5000) return null;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || c0 === 9 || c0 === 10 || c0 === 13 || c0 === 11 || c0 === 12) return null;
  const lower = s.toLowerCase();
  if (lower === 'inf' || lower === '+inf' || lower === 'infinity' || lower === '+infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  if (!DOUBLE_RE.test(s)) {
    if (HEX_RE.test(s)) return parseHexDouble(s);
    return null;
  }
  const v = +s;
  if (Number.isNaN(v)) return null;
  // strtod reports ERANGE on overflow (1e400) and on underflow to zero (1e-400): Redis refuses both.
  if (v === Infinity || v === -Infinity) return null;
  if (v === 0 && /[1-9]/.test(s.replace(/[eE].*$/, ''))) return null;
  return v;
}
const DOUBLE_RE = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const HEX_RE = /^[+-]?0[xX]([0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)([pP][+-]?\d+)?$/;

function parseHexDouble(s: string): number | null {
  const m = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/.exec(s);
  if (!m) return null;
  const sign = m[1] === '-' ? -1 : 1;
  const intPart = m[2] ?? '';
  const frac = m[3] ?? '';
  let v = 0;
  for (const ch of intPart + frac) v = v * 16 + parseInt(ch, 16);
  v = v / 16 ** frac.length;
  const exp = m[4] ? parseInt(m[4], 10) : 0;
  return sign * v * 2 ** exp;
}

/** printf("%.17g", d) for finite d, as Redis's addReplyDouble writes it. */
export function formatG17(d: number): string {
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  if (Number.isNaN(d)) return 'nan';
  if (d === 0) return Object.is(d, -0) ? '-0' : '0';
  const e = d.toExponential(16); // d.dddddddddddddddde±x
  const ePos = e.indexOf('e');
  const exp = +e.slice(ePos + 1);
  if (exp < -4 || exp >= 17) {
    let mant = e.slice(0, ePos);
    if (mant.indexOf('.') >= 0) mant = mant.replace(/0+$/, '').replace(/\.$/, '');
    const a = Math.abs(exp);
    return `${mant}e${exp < 0 ? '-' : '+'}${a < 10 ? '0' : ''}${a}`;
  }
  let f = d.toFixed(16 - exp);
  if (f.indexOf('.') >= 0) f = f.replace(/0+$/, '').replace(/\.$/, '');
  return f;
}

/**
 * Redis's d2string: integers that fit in a long long print as integers, everything
 * else as "%.17g". Used for scores written back as strings (ZINCRBY replies in RESP2,
 * ZSCORE, sort keys...).
 */
export function formatDouble(d: number): string {
  if (Number.isInteger(d) && d >= -4503599627370495 && d <= 4503599627370496) {
    return Object.is(d, -0) ? '-0' : String(d);
  }
  return formatG17(d);
}

/** Clamp helper for counts that Redis stores in a long. */
export function clamp(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}
