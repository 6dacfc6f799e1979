/**
 * x87 80-bit `long double` arithmetic, emulated exactly with BigInt, for INCRBYFLOAT and
 * HINCRBYFLOAT.
 *
 * Redis on x86-64 parses both operands with strtold (correctly rounded to a 64-bit
 * significand), adds them in extended precision (round half to even), and prints the sum
 * with "%.17Lf" minus trailing zeros (ld2string, LD_STR_HUMAN). Doing the same in binary64
 * gives different digits (0.1 + 0.2 would print 0.30000000000000004), and clients
 * compare these bytes, so every step here is exact: values are sign * m * 2^e with m a
 * BigInt below 2^64, and each rounding looks at the exact remainder.
 *
 * Invariants: finite values only have m < 2^64 and EXP_MIN <= e <= EXP_MAX; m = 0 is a
 * (signed) zero. Infinities are separate values; NaN is never produced by parsing.
 * Imports nothing from src. Not a hot path beyond the two float increment commands.
 */

/** A finite extended-precision value: (-1)^neg * m * 2^e. */
export interface LongDouble {
  readonly neg: boolean;
  readonly m: bigint;
  readonly e: number;
}

/** Parse / arithmetic result: a finite value, an infinity, or NaN. */
export type LongDoubleValue = LongDouble | 'inf' | '-inf' | 'nan';

const MANT_BITS = 64;
const TWO64 = 1n << 64n;
const TWO63 = 1n << 63n;
/** Exponent of the lowest significand bit of the smallest subnormal (2^-16445). */
const EXP_MIN = -16445;
/** Largest exponent with m < 2^64 below 2^16384 (the overflow threshold). */
const EXP_MAX = 16383 - 63;
/** strtold refuses inputs this long in string2ld (MAX_LONG_DOUBLE_CHARS). */
const MAX_CHARS = 5 * 1024;

const ZERO: LongDouble = { neg: false, m: 0n, e: 0 };
const NEG_ZERO: LongDouble = { neg: true, m: 0n, e: 0 };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Rounds num/den * 2^exp2 (num, den > 0) to the nearest long double, ties to even,
 * with gradual underflow. Returns 'inf' on overflow; a zero when it underflows.
 */
function roundQuotient(neg: boolean, num: bigint, den: bigint, exp2: number): LongDouble | 'inf' | '-inf' {
  // Choose e so that the quotient lands in [2^63, 2^65); fix up the one-bit overshoot below.
  let e = bitLength(num) - bitLength(den) + exp2 - MANT_BITS;
  if (e < EXP_MIN) e = EXP_MIN;
  for (;;) {
    const shift = exp2 - e;
    let n = num;
    let d = den;
    if (shift >= 0) n <<= BigInt(shift);
    else d <<= BigInt(-shift);
    let q = n / d;
    if (q >= TWO64) {
      e++;
      continue;
    }
    const twiceRem = (n - q * d) * 2n;
    if (twiceRem > d || (twiceRem === d && (q & 1n) === 1n)) q++;
    if (q === TWO64) {
      q = TWO63;
      e++;
    }
    if (e > EXP_MAX) return neg ? '-inf' : 'inf';
    return { neg, m: q, e };
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function hexVal(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const l = c | 0x20;
  if (l >= 97 && l <= 102) return l - 87;
  return -1;
}

/**
 * Parses a whole string the way Redis's string2ld does: strtold must consume every byte,
 * no leading whitespace, and a result that overflowed to infinity, underflowed to zero,
 * or is NaN is refused. Accepts decimal and hex floats with exponents, and inf/infinity
 * (an explicit infinity is valid input). Returns null when refused.
 */
export function parseLongDouble(s: string): LongDouble | 'inf' | '-inf' | null {
  const len = s.length;
  if (len === 0 || len >= MAX_CHARS) return null;
  let i = 0;
  let neg = false;
  const c0 = s.charCodeAt(0);
  if (c0 === 43 /* + */ || c0 === 45 /* - */) {
    neg = c0 === 45;
    i = 1;
  }
  if (i >= len) return null;
  const c = s.charCodeAt(i);
  if (!isDigit(c) && c !== 46 /* . */) {
    const word = s.slice(i).toLowerCase();
    if (word === 'inf' || word === 'infinity') return neg ? '-inf' : 'inf';
    return null; // nan, nan(...) and anything else
  }
  if (c === 48 && i + 1 < len && (s.charCodeAt(i + 1) | 0x20) === 120 /* x */) {
    return parseHex(s, i + 2, neg);
  }
  return parseDecimal(s, i, neg);
}

function parseDecimal(s: string, i: number, neg: boolean): LongDouble | 'inf' | '-inf' | null {
  const len = s.length;
  let digits = '';
  let sawDigit = false;
  let fracDigits = 0;
  while (i < len && isDigit(s.charCodeAt(i))) {
    digits += s[i];
    sawDigit = true;
    i++;
  }
  if (i < len && s.charCodeAt(i) === 46) {
    i++;
    while (i < len && isDigit(s.charCodeAt(i))) {
      digits += s[i];
      fracDigits++;
      sawDigit = true;
      i++;
    }
  }
  if (!sawDigit) return null;
  let exp10 = 0;
  if (i < len) {
    if ((s.charCodeAt(i) | 0x20) !== 101 /* e */) return null;
    i++;
    let eneg = false;
    if (i < len && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) {
      eneg = s.charCodeAt(i) === 45;
      i++;
    }
    if (i >= len) return null;
    let ev = 0;
    for (; i < len; i++) {
      const d = s.charCodeAt(i);
      if (!isDigit(d)) return null;
      if (ev < 1e9) ev = ev * 10 + (d - 48);
    }
    exp10 = eneg ? -ev : ev;
  }
  const stripped = digits.replace(/^0+/, '');
  if (stripped === '') return neg ? NEG_ZERO : ZERO;
  const p = exp10 - fracDigits;
  // Magnitude is about 10^(digits + p): settle overflow and underflow without huge powers.
  const mag = stripped.length + p;
  if (mag > 4940) return null; // overflow: strtold returns HUGE_VALL with ERANGE
  if (mag < -4960) return null; // underflow to zero with ERANGE
  const d = BigInt(stripped);
  const r = p >= 0 ? roundQuotient(neg, d * 10n ** BigInt(p), 1n, 0) : roundQuotient(neg, d, 10n ** BigInt(-p), 0);
  if (typeof r === 'string') return null;
  if (r.m === 0n) return null;
  return r;
}

function parseHex(s: string, i: number, neg: boolean): LongDouble | 'inf' | '-inf' | null {
  const len = s.length;
  let mant = 0n;
  let sawDigit = false;
  let fracDigits = 0;
  let v: number;
  while (i < len && (v = hexVal(s.charCodeAt(i))) >= 0) {
    mant = (mant << 4n) | BigInt(v);
    sawDigit = true;
    i++;
  }
  if (i < len && s.charCodeAt(i) === 46) {
    i++;
    while (i < len && (v = hexVal(s.charCodeAt(i))) >= 0) {
      mant = (mant << 4n) | BigInt(v);
      fracDigits++;
      sawDigit = true;
      i++;
    }
  }
  // "0x" with no hex digits: strtold stops after the "0", leaving "x..." unparsed.
  if (!sawDigit) return null;
  let exp2 = 0;
  if (i < len) {
    if ((s.charCodeAt(i) | 0x20) !== 112 /* p */) return null;
    i++;
    let eneg = false;
    if (i < len && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) {
      eneg = s.charCodeAt(i) === 45;
      i++;
    }
    if (i >= len) return null;
    let ev = 0;
    for (; i < len; i++) {
      const d = s.charCodeAt(i);
      if (!isDigit(d)) return null;
      if (ev < 1e9) ev = ev * 10 + (d - 48);
    }
    exp2 = eneg ? -ev : ev;
  }
  if (mant === 0n) return neg ? NEG_ZERO : ZERO;
  exp2 -= 4 * fracDigits;
  const mag = bitLength(mant) + exp2;
  if (mag > 16400) return null;
  if (mag < -16500) return null;
  const r = roundQuotient(neg, mant, 1n, exp2);
  if (typeof r === 'string') return null;
  if (r.m === 0n) return null;
  return r;
}

/** a + b in extended precision, round half to even, as the x87 FPU computes it. */
export function addLongDouble(a: LongDoubleValue, b: LongDoubleValue): LongDoubleValue {
  if (a === 'nan' || b === 'nan') return 'nan';
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a === 'string' && typeof b === 'string' && a !== b) return 'nan';
    return typeof a === 'string' ? a : b;
  }
  if (a.m === 0n && b.m === 0n) return a.neg && b.neg ? NEG_ZERO : ZERO;
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  const e = a.e < b.e ? a.e : b.e;
  const av = a.m << BigInt(a.e - e);
  const bv = b.m << BigInt(b.e - e);
  const sum = (a.neg ? -av : av) + (b.neg ? -bv : bv);
  if (sum === 0n) return ZERO; // exact cancellation gives +0 when rounding to nearest
  return sum < 0n ? roundQuotient(true, -sum, 1n, e) : roundQuotient(false, sum, 1n, e);
}

const TEN17 = 10n ** 17n;

/**
 * printf("%.17Lf") followed by ld2string's LD_STR_HUMAN clean-up: trailing zeros and a
 * bare '.' removed, and "-0" written as "0". Infinities print as inf / -inf.
 */
export function formatLongDoubleHuman(v: LongDoubleValue): string {
  if (v === 'inf' || v === '-inf') return v;
  if (v === 'nan') return 'nan';
  let scaled: bigint; // the value times 10^17, rounded to an integer (ties to even)
  if (v.e >= 0) {
    scaled = (v.m << BigInt(v.e)) * TEN17;
  } else {
    const n = v.m * TEN17;
    const sh = BigInt(-v.e);
    scaled = n >> sh;
    const twiceRem = (n - (scaled << sh)) * 2n;
    const half = 1n << sh;
    if (twiceRem > half || (twiceRem === half && (scaled & 1n) === 1n)) scaled++;
  }
  const intPart = (scaled / TEN17).toString();
  const frac = (scaled % TEN17).toString().padStart(17, '0').replace(/0+$/, '');
  const out = (v.neg ? '-' : '') + intPart + (frac.length > 0 ? '.' + frac : '');
  return out === '-0' ? '0' : out;
}

/** A JS double as an exact long double (every binary64 value is representable). */
export function longDoubleFromNumber(d: number): LongDoubleValue {
  if (Number.isNaN(d)) return 'nan';
  if (d === Infinity) return 'inf';
  if (d === -Infinity) return '-inf';
  const neg = d < 0 || Object.is(d, -0);
  let x = Math.abs(d);
  if (x === 0) return neg ? NEG_ZERO : ZERO;
  let e = 0;
  // Scale to an integer significand; at most ~1100 doublings for subnormals.
  while (!Number.isInteger(x)) {
    x *= 2;
    e--;
  }
  let m = BigInt(x);
  while (m >= TWO64) {
    m >>= 1n;
    e++;
  }
  return { neg, m, e };
}

/** The nearest JS double (for callers that store scores). Round half to even. */
export function longDoubleToNumber(v: LongDoubleValue): number {
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (v === 'nan') return NaN;
  if (v.m === 0n) return v.neg ? -0 : 0;
  return Number.parseFloat(formatExact(v));
}

/** Exact decimal expansion; parseFloat of it rounds correctly. */
function formatExact(v: LongDouble): string {
  if (v.e >= 0) return (v.neg ? '-' : '') + (v.m << BigInt(v.e)).toString();
  const k = -v.e;
  const digits = (v.m * 5n ** BigInt(k)).toString().padStart(k + 1, '0');
  return (v.neg ? '-' : '') + digits.slice(0, digits.length - k) + '.' + digits.slice(digits.length - k);
}

/**
 * INCRBYFLOAT's arithmetic on string operands: the new value as Redis would store and
 * reply it. Returns null when either operand is not a valid float (the caller replies
 * "ERR value is not a valid float"), and undefined when the sum is NaN or infinite
 * ("ERR increment would produce NaN or Infinity").
 */
export function incrByFloatString(current: string, incr: string): string | null | undefined {
  const a = parseLongDouble(current);
  if (a === null) return null;
  const b = parseLongDouble(incr);
  if (b === null) return null;
  const sum = addLongDouble(a, b);
  if (typeof sum === 'string') return undefined;
  return formatLongDoubleHuman(sum);
}
