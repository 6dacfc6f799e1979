/**
 * SORT and SORT_RO: sort the elements of a list, set or sorted set numerically or
 * lexicographically, optionally by external keys (BY pattern, hash fields with `->`),
 * fetch external values (GET pattern, `#` for the element), page with LIMIT, and store
 * the result as a list (STORE, SORT only).
 *
 * Redis 7.0 facts reproduced here:
 * - options are parsed before the key is looked up, so a syntax error beats WRONGTYPE;
 * - a BY pattern without `*` means "don't sort" (native order, DESC reverses it, LIMIT
 *   slices it), except for a set with STORE, which is then sorted ALPHA for determinism;
 * - numeric weights go through strtod: leading spaces, hex and "" (as 0) are fine,
 *   trailing bytes, NaN and out-of-range values fail the whole command with
 *   "One or more scores can't be converted into double" (after parsing, never before);
 * - equal numeric weights fall back to comparing the elements bytewise; ALPHA without
 *   STORE compares like strcoll in the C locale (up to the first NUL byte), with STORE
 *   bytewise; a missing BY value sorts first under ALPHA and as 0 otherwise;
 * - sorting a sorted set converts it to the skiplist encoding (even for SORT_RO);
 * - STORE replaces the destination with a list and fires "sortstore", or deletes it
 *   (with "del") when the result is empty.
 * JS's sort is stable; Redis uses a partial quicksort when BY is combined with LIMIT, so
 * elements whose ALPHA BY values tie may come out in another order there.
 * Imports: commands, keyspace, protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { lookupRead, storeValue } from './keys.js';
import { strtodWhole } from './zset/args.js';
import { ErrorReply, type Reply } from '../protocol/reply.js';
import { HashValue } from '../keyspace/hash.js';
import { ListValue } from '../keyspace/list.js';
import { SetValue } from '../keyspace/set.js';
import type { SkipNode, ZSet } from '../keyspace/zset.js';
import { parseInteger } from '../util/numbers.js';

const NOT_DOUBLE = new ErrorReply("ERR One or more scores can't be converted into double");
const DBL_MIN = 2.2250738585072014e-308;

interface SortItem {
  obj: string;
  score: number;
  /** ALPHA with BY: the external value, null when missing. */
  cmp: string | null;
}

/** The C string view of s: everything before the first NUL. */
function cstr(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

function bytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * lookupKeyByPattern: `#` is the element itself; otherwise the first `*` is replaced by
 * the element, and a `->field` after it (with a non-empty field) reads a hash field.
 * Missing keys, wrong types and patterns without `*` give null.
 */
function lookupByPattern(ctx: CommandContext, pattern: string, subst: string): string | null {
  if (pattern.charCodeAt(0) === 35 /* # */ && (pattern.length === 1 || pattern.charCodeAt(1) === 0)) return subst;
  // Redis scans the pattern as a C string, so nothing after a NUL byte counts.
  const scan = cstr(pattern);
  const star = scan.indexOf('*');
  if (star < 0) return null;
  const arrow = scan.indexOf('->', star + 1);
  let field: string | null = null;
  let keyEnd = pattern.length;
  if (arrow >= 0 && arrow + 2 < scan.length) {
    field = pattern.slice(arrow + 2);
    keyEnd = arrow;
  }
  const key = pattern.slice(0, star) + subst + pattern.slice(star + 1, keyEnd);
  const e = lookupRead(ctx, key);
  if (e === undefined) return null;
  const v = e.value;
  if (field !== null) {
    if (!(v instanceof HashValue)) return null;
    return v.get(field) ?? null;
  }
  return typeof v === 'string' ? v : null;
}

/** strtod with Redis's checks (whole string, no NaN, no ERANGE); null when refused. */
function weight(s: string): number | null {
  const v = strtodWhole(s);
  if (v === null || Number.isNaN(v)) return null;
  if (v === Infinity || v === -Infinity) return /inf/i.test(s) ? v : null;
  if (v !== 0 && Math.abs(v) < DBL_MIN) return null;
  if (v === 0 && /[1-9]/.test(mantissa(cstr(s)))) return null;
  return v;
}

/** The significant digits of a strtod literal (before any exponent). */
function mantissa(s: string): string {
  const t = s.trim();
  if (/^[+-]?0[xX]/.test(t)) return t.replace(/^[+-]?0[xX]/, '').split(/[pP]/)[0]!.replace(/[a-fA-F]/g, '1');
  return t.split(/[eE]/)[0]!;
}

function sortGeneric(ctx: CommandContext, argv: string[], readonly: boolean): Reply {
  let desc = false;
  let alpha = false;
  let limitStart = 0;
  let limitCount = -1;
  let dontsort = false;
  let sortby: string | null = null;
  let storekey: string | null = null;
  const gets: string[] = [];
  for (let j = 2; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const left = argv.length - j - 1;
    if (opt === 'asc') desc = false;
    else if (opt === 'desc') desc = true;
    else if (opt === 'alpha') alpha = true;
    else if (opt === 'limit' && left >= 2) {
      const s = parseInteger(argv[j + 1]!);
      const c = s === null ? null : parseInteger(argv[j + 2]!);
      if (s === null || c === null) return E.NOT_INTEGER;
      limitStart = s;
      limitCount = c;
      j += 2;
    } else if (!readonly && opt === 'store' && left >= 1) {
      storekey = argv[++j]!;
    } else if (opt === 'by' && left >= 1) {
      sortby = argv[++j]!;
      // A constant BY means no sorting; a later pattern BY does not undo that.
      if (!cstr(sortby).includes('*')) dontsort = true;
    } else if (opt === 'get' && left >= 1) {
      gets.push(argv[++j]!);
    } else {
      return E.SYNTAX;
    }
  }

  const entry = lookupRead(ctx, argv[1]!);
  let value: ListValue | SetValue | ZSet;
  if (entry === undefined) {
    value = new ListValue();
  } else {
    const v = entry.value;
    if (v instanceof ListValue || v instanceof SetValue) value = v;
    else if (typeof v !== 'string' && v.type === 'zset') value = v as ZSet;
    else return E.WRONGTYPE;
  }
  const isList = value instanceof ListValue;
  const isSet = value instanceof SetValue;

  if (dontsort && isSet && storekey !== null) {
    dontsort = false;
    alpha = true;
    sortby = null;
  }
  if (!isList && !isSet) (value as ZSet).setEncoding(false);

  let vectorlen = value.size;
  let start = Math.min(Math.max(limitStart, 0), vectorlen);
  limitCount = Math.min(Math.max(limitCount, -1), vectorlen);
  let end = limitCount < 0 ? vectorlen - 1 : start + limitCount - 1;
  if (start >= vectorlen) {
    start = vectorlen - 1;
    end = vectorlen - 2;
  }
  if (end >= vectorlen) end = vectorlen - 1;
  if (!isSet && dontsort && (start !== 0 || end !== vectorlen - 1)) vectorlen = end - start + 1;

  const vector: SortItem[] = [];
  if (isList && dontsort) {
    if (end >= start) {
      const l = value as ListValue;
      const n = l.size;
      for (let k = 0; k < vectorlen; k++) vector.push(item(l.at(desc ? n - start - 1 - k : start + k)!));
      end -= start;
      start = 0;
    }
  } else if (isList) {
    const l = value as ListValue;
    for (let k = 0; k < l.size; k++) vector.push(item(l.at(k)!));
  } else if (isSet) {
    for (const m of value as SetValue) vector.push(item(m));
  } else if (dontsort) {
    const zs = value as ZSet;
    if (vectorlen > 0) {
      let n: SkipNode | null = desc ? zs.byRank(zs.size - 1 - start) : zs.byRank(start);
      for (let k = 0; k < vectorlen && n !== null; k++) {
        vector.push(item(n.member));
        n = desc ? n.backward : (n.forward[0] as SkipNode | null);
      }
    }
    end -= start;
    start = 0;
  } else {
    const zs = value as ZSet;
    for (let n = zs.first(); n !== null; n = n.forward[0] as SkipNode | null) vector.push(item(n.member));
  }

  let conversionError = false;
  if (!dontsort) {
    for (const it of vector) {
      let byval: string | null = it.obj;
      if (sortby !== null) {
        byval = lookupByPattern(ctx, sortby, it.obj);
        if (byval === null) continue;
      }
      if (alpha) {
        if (sortby !== null) it.cmp = byval;
      } else {
        const w = weight(byval);
        if (w === null) conversionError = true;
        else it.score = w;
      }
    }
    vector.sort(comparator(alpha, sortby !== null, storekey !== null, desc));
  }

  const outputlen = gets.length > 0 ? gets.length * (end - start + 1) : end - start + 1;
  if (conversionError) return NOT_DOUBLE;
  if (storekey === null) {
    const out: Reply[] = [];
    for (let j = start; j <= end; j++) {
      const obj = vector[j]!.obj;
      if (gets.length === 0) out.push(obj);
      for (const g of gets) out.push(lookupByPattern(ctx, g, obj));
    }
    return out;
  }

  const result = new ListValue();
  for (let j = start; j <= end; j++) {
    const obj = vector[j]!.obj;
    if (gets.length === 0) result.pushTail(obj);
    for (const g of gets) result.pushTail(lookupByPattern(ctx, g, obj) ?? '');
  }
  if (outputlen > 0) {
    const existed = ctx.db.lookup(storekey) !== undefined;
    storeValue(ctx, storekey, result, existed, false);
    // dbAdd wakes clients blocked on the new key; an overwrite does not.
    if (!existed) ctx.signalReady(storekey);
    ctx.notify('l', 'sortstore', storekey);
    ctx.dirty(outputlen);
  } else if (ctx.db.delete(storekey)) {
    ctx.signalModified(storekey);
    ctx.notify('g', 'del', storekey);
    ctx.dirty(1);
  }
  return outputlen;
}

function item(obj: string): SortItem {
  return { obj, score: 0, cmp: null };
}

function comparator(alpha: boolean, byPattern: boolean, store: boolean, desc: boolean): (a: SortItem, b: SortItem) => number {
  const sign = desc ? -1 : 1;
  if (!alpha) {
    return (a, b) => sign * (a.score > b.score ? 1 : a.score < b.score ? -1 : bytewise(a.obj, b.obj));
  }
  if (byPattern) {
    return (a, b) => {
      const x = a.cmp;
      const y = b.cmp;
      if (x === null || y === null) return sign * (x === y ? 0 : x === null ? -1 : 1);
      return sign * (store ? bytewise(x, y) : bytewise(cstr(x), cstr(y)));
    };
  }
  return store
    ? (a, b) => sign * bytewise(a.obj, b.obj)
    : (a, b) => sign * bytewise(cstr(a.obj), cstr(b.obj));
}

// SORT key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA] [STORE destination]
function sort(ctx: CommandContext, argv: string[]): Reply {
  return sortGeneric(ctx, argv, false);
}

// SORT_RO key [BY pattern] [LIMIT offset count] [GET pattern [GET pattern ...]] [ASC|DESC] [ALPHA]
function sortRo(ctx: CommandContext, argv: string[]): Reply {
  return sortGeneric(ctx, argv, true);
}

/** sortGetKeys: the sorted key, plus the key of the last STORE (options skipped roughly). */
function sortKeys(argv: readonly string[]): number[] {
  let store = -1;
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i]!.toLowerCase();
    if (a === 'limit') i += 2;
    else if (a === 'store' && i + 1 < argv.length) store = i + 1;
    else if (a === 'get' || a === 'by') i += 1;
  }
  return store < 0 ? [1] : [1, store];
}

const G = { acl: 'set sortedset list dangerous', group: 'generic' } as const;

export const sortCommands: CommandDef[] = [
  { name: 'sort', arity: -2, flags: 'write denyoom', ...G, keys: [1, 1, 1], getKeys: sortKeys, since: '1.0.0', summary: 'Sort the elements in a list, set or sorted set', complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).', run: sort },
  { name: 'sort_ro', arity: -2, flags: 'readonly', ...G, keys: [1, 1, 1], getKeys: () => [1], since: '7.0.0', summary: 'Sort the elements in a list, set or sorted set. Read-only variant of SORT.', complexity: 'O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).', run: sortRo },
];
