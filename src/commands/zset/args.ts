/**
 * Shared pieces of the sorted-set commands: key lookup with the type check, the
 * listpack thresholds from config, argument parsers (scores, score ranges, lex ranges,
 * integers) with Redis's exact acceptance rules, and the WITHSCORES reply shapes.
 *
 * Two different double parsers exist on purpose, because Redis uses two:
 * - scores, increments and weights go through string2d: no leading space, whole string,
 *   NaN and out-of-range (overflow to inf, underflow to 0) rejected;
 * - range bounds go through bare strtod: leading spaces allowed, "" reads as 0, any
 *   magnitude accepted (1e400 is inf), only NaN and trailing bytes rejected.
 * Imports: keyspace, protocol/reply, commands (errors, context types), util.
 */
import type { CommandContext } from '../context.js';
import type { Entry } from '../../keyspace/database.js';
import { ZSet, type LexRange, type ScoreRange, type ZsetLimits } from '../../keyspace/zset.js';
import { DoubleReply, ErrorReply, type Reply } from '../../protocol/reply.js';
import { parseDouble, parseInteger } from '../../util/numbers.js';
import * as E from '../errors.js';

/** The zset under key, undefined when missing; WRONGTYPE for other types. */
export function readZset(ctx: CommandContext, key: string): ZSet | undefined {
  const e = ctx.db.lookup(key);
  // lookupKeyRead: hit/miss statistics and the "keymiss" event.
  if (e === undefined) {
    ctx.server.stats.keyspaceMisses++;
    ctx.notify('m', 'keymiss', key);
    return undefined;
  }
  ctx.server.stats.keyspaceHits++;
  const v = e.value;
  if (typeof v === 'string' || v.type !== 'zset') throw E.WRONGTYPE;
  return v as ZSet;
}

/** The entry of a zset key about to be written, undefined when missing. */
export function writeZsetEntry(ctx: CommandContext, key: string): Entry | undefined {
  const e = ctx.db.lookup(key);
  if (e === undefined) return undefined;
  const v = e.value;
  if (typeof v === 'string' || v.type !== 'zset') throw E.WRONGTYPE;
  return ctx.db.touchForWrite(e);
}

export function zsetLimits(ctx: CommandContext): ZsetLimits {
  const c = ctx.server.config;
  return { maxEntries: c.num('zset-max-listpack-entries'), maxValue: c.num('zset-max-listpack-value') };
}

/** getLongFromObjectOrReply. */
export function parseLong(s: string): number {
  const v = parseInteger(s);
  if (v === null) throw E.NOT_INTEGER;
  return v;
}

const MANTISSA_NONZERO = /[1-9a-fA-F]/;
const HEX_PREFIX = /^[+-]?0[xX]/;

/**
 * string2d: a score, increment or weight. Returns null when Redis would refuse it.
 * parseDouble covers the syntax; the ERANGE cases (a finite literal that overflows to
 * inf, or a nonzero one that underflows to 0) are refused here as strtod reports them.
 */
export function parseScore(s: string): number | null {
  const v = parseDouble(s);
  if (v === null) return null;
  if (v === Infinity || v === -Infinity) return INF_WORD.test(s) ? v : null;
  if (v === 0) {
    // Only the mantissa decides: "0e-999" is a fine zero, "1e-400" underflowed.
    const hex = HEX_PREFIX.test(s);
    const mant = hex ? s.slice(s.search(/[xX]/) + 1).split(/[pP]/)[0]! : s.split(/[eE]/)[0]!;
    if (MANTISSA_NONZERO.test(mant)) return null;
  }
  return v;
}
const INF_WORD = /^[+-]?inf(inity)?$/i;

/** "ERR value is not a valid float" unless s is a valid score. */
export function scoreArg(s: string, err: ErrorReply = E.NOT_FLOAT): number {
  const v = parseScore(s);
  if (v === null) throw err;
  return v;
}

const STRTOD_DEC = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const STRTOD_HEX = /^([+-]?)0[xX]([0-9a-fA-F]*)\.?([0-9a-fA-F]*)(?:[pP]([+-]?\d+))?$/;
const STRTOD_INF = /^[+-]?inf(inity)?$/i;

/**
 * C strtod over the whole (NUL-terminated) string, as zslParseRange uses it: null when
 * bytes are left over or the value is NaN.
 */
export function strtodWhole(raw: string): number | null {
  const nul = raw.indexOf('\0');
  let s = nul >= 0 ? raw.slice(0, nul) : raw;
  if (s.length === 0) return 0;
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c === 32 || (c >= 9 && c <= 13)) i++;
    else break;
  }
  s = s.slice(i);
  if (STRTOD_DEC.test(s)) return +s;
  if (STRTOD_INF.test(s)) return s.charCodeAt(0) === 45 ? -Infinity : Infinity;
  const m = STRTOD_HEX.exec(s);
  if (m !== null && (m[2]!.length > 0 || m[3]!.length > 0)) {
    let v = 0;
    const digits = m[2]! + m[3]!;
    for (let k = 0; k < digits.length; k++) v = v * 16 + parseInt(digits[k]!, 16);
    v /= 16 ** m[3]!.length;
    if (m[4] !== undefined) v *= 2 ** +m[4];
    return m[1] === '-' ? -v : v;
  }
  return null;
}

function parseBound(s: string): { v: number; ex: boolean } | null {
  const ex = s.charCodeAt(0) === 40; /* ( */
  const v = strtodWhole(ex ? s.slice(1) : s);
  return v === null ? null : { v, ex };
}

/** zslParseRange: "ERR min or max is not a float" on failure. */
export function parseScoreRange(min: string, max: string): ScoreRange {
  const a = parseBound(min);
  const b = a === null ? null : parseBound(max);
  if (a === null || b === null) throw E.MIN_MAX_NOT_FLOAT;
  return { min: a.v, max: b.v, minex: a.ex, maxex: b.ex };
}

function lexItem(s: string): { s: string; kind: -1 | 0 | 1; ex: boolean } | null {
  switch (s.charCodeAt(0)) {
    case 43: /* + */ return s.length === 1 ? { s: '', kind: 1, ex: true } : null;
    case 45: /* - */ return s.length === 1 ? { s: '', kind: -1, ex: true } : null;
    case 40: /* ( */ return { s: s.slice(1), kind: 0, ex: true };
    case 91: /* [ */ return { s: s.slice(1), kind: 0, ex: false };
    default: return null;
  }
}

/** zslParseLexRange: "ERR min or max not valid string range item" on failure. */
export function parseLexRange(min: string, max: string): LexRange {
  const a = lexItem(min);
  const b = a === null ? null : lexItem(max);
  if (a === null || b === null) throw E.MIN_MAX_NOT_STRING;
  return { min: a.s, max: b.s, minKind: a.kind, maxKind: b.kind, minex: a.ex, maxex: b.ex };
}

/**
 * Appends one member (with its score when withScores) in the shape Redis uses for
 * ranges: RESP2 flat member, score; RESP3 a [member, score] pair per element.
 */
export function pushMember(out: Reply[], resp: number, member: string, score: number, withScores: boolean): void {
  if (!withScores) out.push(member);
  else if (resp === 2) out.push(member, new DoubleReply(score));
  else out.push([member, new DoubleReply(score)]);
}

/** Case-insensitive compare against a lowercase keyword, without allocating. */
export function isWord(arg: string, lower: string): boolean {
  if (arg.length !== lower.length) return false;
  for (let i = 0; i < arg.length; i++) {
    let c = arg.charCodeAt(i);
    if (c >= 65 && c <= 90) c += 32;
    if (c !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/**
 * Key positions for the numkeys-style commands (genericGetKeys): atoi of the count,
 * no keys at all when it is out of range; the destination, when there is one, first.
 */
export function numkeysKeys(argv: readonly string[], storeIdx: number, countIdx: number, firstIdx: number): number[] {
  const num = atoi(argv[countIdx] ?? '');
  if (num < 1 || num > argv.length - firstIdx) return [];
  const out: number[] = [];
  if (storeIdx > 0) out.push(storeIdx);
  for (let i = 0; i < num; i++) out.push(firstIdx + i);
  return out;
}

/** C atoi (an int cast of strtol): leading spaces, sign, digits, then anything. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  if (m === null) return 0;
  let v = BigInt(m[1]!);
  const LONG_MAX = 2n ** 63n - 1n;
  if (v > LONG_MAX) v = LONG_MAX;
  else if (v < -LONG_MAX - 1n) v = -LONG_MAX - 1n;
  return Number(BigInt.asIntN(32, v));
}
