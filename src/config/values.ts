/**
 * Parsing and formatting of directive values, one function per type, with Redis 7.0's
 * exact acceptance rules (memtoull, string2ll, strtoll quirks) and error texts.
 *
 * Invariants: parse functions never mutate their inputs; they return either a new value
 * (plus whether it differs from the current one, which decides if change hooks run) or
 * the error reason string Redis would put after "CONFIG SET failed (...) - ".
 * Stored value shapes: bool -> boolean, string -> string | null, enum -> number (bit
 * flags for MULTI_ARG enums), num -> bigint (the int64 Redis stores), specials below.
 * Imports only src/util and ./directives.
 */
import { statSync, accessSync, constants as fsConstants } from 'node:fs';
import { resolve as resolvePath } from 'node:path';
import { isInt64String, parseDouble } from '../util/numbers.js';
import {
  MEMORY, PERCENT, OCTAL, MULTI_ARG, VOLATILE, MAX_BIND_ADDRS,
  type DirectiveDef, type EnumDef, type NumDef, type SpecialDef,
} from './directives.js';

export interface SaveParam { seconds: number; changes: number }
export interface ObufLimit { hard: bigint; soft: bigint; softSeconds: number }
/** Indexed normal, replica, pubsub (Redis's client type order). */
export type ObufLimits = readonly [ObufLimit, ObufLimit, ObufLimit];
export interface ReplicaOf { host: string; port: number }

export interface ParseCtx {
  /** Loading a config file: `save` accumulates lines instead of replacing. */
  fromFile: boolean;
  /** Whether a `save` line was already seen in this load. */
  saveSeen: boolean;
}

export type ParseResult = { ok: true; v: unknown; changed: boolean } | { ok: false; err: string };

function ok(v: unknown, changed: boolean): ParseResult { return { ok: true, v, changed }; }
function fail(err: string): ParseResult { return { ok: false, err }; }

const U64 = 1n << 64n;

/** Redis's memtoull: digits then an optional unit; no sign, no spaces; wraps mod 2^64. */
export function memToUll(p: string): bigint | null {
  if (p.charCodeAt(0) === 45 /* - */) return null;
  let i = 0;
  while (i < p.length && p.charCodeAt(i) >= 48 && p.charCodeAt(i) <= 57) i++;
  const unit = p.slice(i).toLowerCase();
  let mul: bigint;
  switch (unit) {
    case '': case 'b': mul = 1n; break;
    case 'k': mul = 1000n; break;
    case 'kb': mul = 1024n; break;
    case 'm': mul = 1000000n; break;
    case 'mb': mul = 1048576n; break;
    case 'g': mul = 1000000000n; break;
    case 'gb': mul = 1073741824n; break;
    default: return null;
  }
  if (i >= 128) return null;
  let val = i === 0 ? 0n : BigInt(p.slice(0, i));
  if (val >= U64) val = U64 - 1n; // strtoull saturates and Redis ignores ERANGE
  return (val * mul) % U64;
}

/** C strtoll: leading spaces, sign, digits in `base`; returns value and whether the whole string was used. */
export function strtoll(s: string, base = 10): { v: bigint; full: boolean; overflow: boolean } {
  let i = 0;
  while (i < s.length && isCSpace(s.charCodeAt(i))) i++;
  let neg = false;
  const c = s[i];
  if (c === '-' || c === '+') { neg = c === '-'; i++; }
  const start = i;
  let v = 0n;
  const b = BigInt(base);
  for (; i < s.length; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d >= base) break;
    v = v * b + BigInt(d);
  }
  if (i === start) return { v: 0n, full: s.length === 0, overflow: false };
  if (neg) v = -v;
  let overflow = false;
  if (v > 9223372036854775807n) { v = 9223372036854775807n; overflow = true; }
  if (v < -9223372036854775808n) { v = -9223372036854775808n; overflow = true; }
  return { v, full: i === s.length, overflow };
}

function isCSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function parseNum(def: NumDef, value: string): bigint | string {
  if (def.mode & MEMORY) {
    const m = memToUll(value);
    if (m !== null) return BigInt.asIntN(64, m);
  }
  if ((def.mode & PERCENT) && value.length > 1 && value.endsWith('%')) {
    const body = value.slice(0, -1);
    if (isInt64String(body) && !body.startsWith('-')) return -BigInt(body);
  }
  if (def.mode & OCTAL) {
    const r = strtoll(value, 8);
    if (r.full && !r.overflow) return r.v;
  }
  if (def.mode === 0 && isInt64String(value)) return BigInt(value);
  if ((def.mode & MEMORY) && (def.mode & PERCENT)) return 'argument must be a memory or percent value';
  if (def.mode & MEMORY) return 'argument must be a memory value';
  if (def.mode & OCTAL) return "argument couldn't be parsed as an octal number";
  return "argument couldn't be parsed into an integer";
}

function boundsError(def: NumDef, ll: bigint): string | null {
  if (def.unsigned) {
    const ull = BigInt.asUintN(64, ll);
    if (ull > def.max || ull < def.min) {
      if (def.mode & OCTAL) {
        return `argument must be between ${def.min.toString(8)} and ${def.max.toString(8)} inclusive`;
      }
      return `argument must be between ${def.min} and ${def.max} inclusive`;
    }
    return null;
  }
  if ((def.mode & PERCENT) && ll < 0) {
    return ll < def.min ? `percentage argument must be less or equal to ${-def.min}` : null;
  }
  if (ll > def.max || ll < def.min) return `argument must be between ${def.min} and ${def.max} inclusive`;
  return null;
}

function enumError(def: EnumDef): string {
  const msg = 'argument(s) must be one of the following: ' + def.values.map((x) => x[0]).join(', ');
  return msg.length > 255 ? msg.slice(0, 255) : msg; // Redis copies it into a 256-byte buffer
}

export function enumName(def: EnumDef, v: number): string {
  const multi = (def.flags & MULTI_ARG) !== 0;
  let names = '';
  let unmatched = v;
  for (const [name, val] of def.values) {
    if (v === val) return name;
    if (multi && val !== 0 && val === (unmatched & val)) {
      names = names ? `${names} ${name}` : name;
      unmatched &= ~val;
    }
  }
  return !names || unmatched ? 'unknown' : names;
}

// Keyspace notification class bits (Redis's NOTIFY_* values).
export const NOTIFY_KEYSPACE = 1 << 0;
export const NOTIFY_KEYEVENT = 1 << 1;
export const NOTIFY_GENERIC = 1 << 2;
export const NOTIFY_STRING = 1 << 3;
export const NOTIFY_LIST = 1 << 4;
export const NOTIFY_SET = 1 << 5;
export const NOTIFY_HASH = 1 << 6;
export const NOTIFY_ZSET = 1 << 7;
export const NOTIFY_EXPIRED = 1 << 8;
export const NOTIFY_EVICTED = 1 << 9;
export const NOTIFY_STREAM = 1 << 10;
export const NOTIFY_KEY_MISS = 1 << 11;
export const NOTIFY_MODULE = 1 << 13;
export const NOTIFY_NEW = 1 << 14;
export const NOTIFY_ALL = NOTIFY_GENERIC | NOTIFY_STRING | NOTIFY_LIST | NOTIFY_SET | NOTIFY_HASH |
  NOTIFY_ZSET | NOTIFY_EXPIRED | NOTIFY_EVICTED | NOTIFY_STREAM | NOTIFY_MODULE;

const NOTIFY_CHARS: Record<string, number> = {
  A: NOTIFY_ALL, g: NOTIFY_GENERIC, $: NOTIFY_STRING, l: NOTIFY_LIST, s: NOTIFY_SET, h: NOTIFY_HASH,
  z: NOTIFY_ZSET, x: NOTIFY_EXPIRED, e: NOTIFY_EVICTED, K: NOTIFY_KEYSPACE, E: NOTIFY_KEYEVENT,
  t: NOTIFY_STREAM, m: NOTIFY_KEY_MISS, d: NOTIFY_MODULE, n: NOTIFY_NEW,
};

export function notifyFlagsFromString(s: string): number {
  let flags = 0;
  for (const ch of s) {
    const f = NOTIFY_CHARS[ch];
    if (f === undefined) return -1;
    flags |= f;
  }
  return flags;
}

/** Redis's canonical order; note that "A" hides "n" (Redis 7.0 does the same). */
export function notifyFlagsToString(flags: number): string {
  let r = '';
  if ((flags & NOTIFY_ALL) === NOTIFY_ALL) {
    r = 'A';
  } else {
    if (flags & NOTIFY_GENERIC) r += 'g';
    if (flags & NOTIFY_STRING) r += '$';
    if (flags & NOTIFY_LIST) r += 'l';
    if (flags & NOTIFY_SET) r += 's';
    if (flags & NOTIFY_HASH) r += 'h';
    if (flags & NOTIFY_ZSET) r += 'z';
    if (flags & NOTIFY_EXPIRED) r += 'x';
    if (flags & NOTIFY_EVICTED) r += 'e';
    if (flags & NOTIFY_STREAM) r += 't';
    if (flags & NOTIFY_MODULE) r += 'd';
    if (flags & NOTIFY_NEW) r += 'n';
  }
  if (flags & NOTIFY_KEYSPACE) r += 'K';
  if (flags & NOTIFY_KEYEVENT) r += 'E';
  if (flags & NOTIFY_KEY_MISS) r += 'm';
  return r;
}

/** printf("%f") with trailing zeros (and a bare dot) trimmed, as Redis prints percentiles. */
export function formatPercentile(d: number): string {
  let f = d.toFixed(6);
  if (f.includes('.')) f = f.replace(/0+$/, '').replace(/\.$/, '');
  return f;
}

function obufClass(name: string): number {
  switch (name.toLowerCase()) {
    case 'normal': return 0;
    case 'slave': case 'replica': return 1;
    case 'pubsub': return 2;
    default: return -1; // "master" is a client type but has no limits
  }
}

const OBUF_NAMES = ['normal', 'slave', 'pubsub'] as const;

function parseSpecial(def: SpecialDef, args: string[], cur: unknown, ctx: ParseCtx): ParseResult {
  switch (def.kind) {
    case 'dir': {
      if (args.length !== 1) return fail('wrong number of arguments');
      return checkDir(cur as string, args[0]!);
    }
    case 'save': {
      let a = args;
      // A lone "" clears every save point, also after earlier `save` lines of the file.
      const reset = a.length === 1 && a[0] === '';
      if (reset) a = [];
      if (a.length & 1) return fail('Invalid save parameters');
      const out: SaveParam[] = ctx.fromFile && ctx.saveSeen && !reset ? [...(cur as SaveParam[])] : [];
      for (let j = 0; j < a.length; j++) {
        const r = strtoll(a[j]!);
        if (!r.full || ((j & 1) === 0 && r.v < 1n) || ((j & 1) === 1 && r.v < 0n)) {
          return fail('Invalid save parameters');
        }
      }
      for (let j = 0; j < a.length; j += 2) {
        out.push({
          seconds: Number(strtoll(a[j]!).v),
          changes: Number(BigInt.asIntN(32, strtoll(a[j + 1]!).v)),
        });
      }
      if (ctx.fromFile) ctx.saveSeen = true;
      return ok(out, true);
    }
    case 'obuf': {
      if (args.length % 4) return fail('Wrong number of arguments in buffer limit configuration.');
      const next = [...(cur as ObufLimits)] as ObufLimit[];
      for (let j = 0; j < args.length; j += 4) {
        const cls = obufClass(args[j]!);
        if (cls < 0) return fail('Invalid client class specified in buffer limit configuration.');
        const hard = memToUll(args[j + 1]!);
        const soft = memToUll(args[j + 2]!);
        const secs = strtoll(args[j + 3]!);
        const softSeconds = Number(BigInt.asIntN(32, secs.v));
        if (hard === null || soft === null || softSeconds < 0 || !secs.full) {
          return fail('Error in hard, soft or soft_seconds setting in buffer limit configuration.');
        }
        next[cls] = { hard, soft, softSeconds };
      }
      return ok(next, true);
    }
    case 'oom': {
      if (args.length !== 3) return fail('wrong number of arguments');
      const vals: number[] = [];
      for (const a of args) {
        const r = strtoll(a);
        if (!r.full || r.v < -2000n || r.v > 2000n) {
          return fail('Invalid oom-score-adj-values, elements must be between -2000 and 2000.');
        }
        vals.push(Number(r.v));
      }
      const old = cur as number[];
      return ok(vals, vals.some((v, i) => v !== old[i]));
    }
    case 'notify': {
      if (args.length !== 1) return fail('wrong number of arguments');
      const flags = notifyFlagsFromString(args[0]!);
      if (flags === -1) return fail("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.");
      return ok(flags, true);
    }
    case 'bind': {
      if (args.length > MAX_BIND_ADDRS) return fail('Too many bind addresses specified.');
      return ok(args.length === 1 && args[0] === '' ? [] : [...args], true);
    }
    case 'replicaof': {
      if (args.length !== 2) return fail('wrong number of arguments');
      const [host, port] = args as [string, string];
      if (host.toLowerCase() === 'no' && port.toLowerCase() === 'one') return ok(null, true);
      const r = strtoll(port);
      if (!r.full || r.v < 0n || r.v > 65535n) return fail('Invalid master port');
      return ok({ host, port: Number(r.v) } satisfies ReplicaOf, true);
    }
    case 'percentiles': {
      if (args.length === 1 && args[0] === '') return ok([], true);
      const out: number[] = [];
      for (const a of args) {
        const d = parseDouble(a);
        if (d === null || Number.isNaN(d)) return fail('Invalid latency-tracking-info-percentiles parameters');
        if (d > 100 || d < 0) {
          return fail('latency-tracking-info-percentiles parameters should sit between [0.0,100.0]');
        }
        out.push(d);
      }
      return ok(out, true);
    }
  }
}

/** Resolves a new `dir` against the current one (Redis chdir()s, so relative paths stack). */
function checkDir(cur: string, arg: string): ParseResult {
  const noent = 'No such file or directory';
  if (arg === '') return fail(noent);
  const target = resolvePath(cur, arg);
  try {
    if (!statSync(target).isDirectory()) return fail('Not a directory');
    accessSync(target, fsConstants.X_OK);
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOTDIR') return fail('Not a directory');
    if (code === 'EACCES' || code === 'EPERM') return fail('Permission denied');
    if (code === 'ELOOP') return fail('Too many levels of symbolic links');
    if (code === 'ENAMETOOLONG') return fail('File name too long');
    return fail(noent);
  }
  return ok(target, target !== cur);
}

/** Parses `args` for `def`; `cur` is the current stored value. */
export function parseValue(def: DirectiveDef, args: string[], cur: unknown, ctx: ParseCtx): ParseResult {
  const volatile = (def.flags & VOLATILE) !== 0;
  switch (def.type) {
    case 'bool': {
      const a = args[0]!.toLowerCase();
      if (a !== 'yes' && a !== 'no') return fail("argument must be 'yes' or 'no'");
      const v = a === 'yes';
      if (def.check) {
        const err = def.check(v);
        if (err !== null) return fail(err);
      }
      return ok(v, v !== cur || volatile);
    }
    case 'string': {
      const a = args[0]!;
      if (def.check) {
        const err = def.check(a);
        if (err !== null) return fail(err);
      }
      const v = def.emptyIsNull && a === '' ? null : a;
      return ok(v, v !== cur || volatile);
    }
    case 'enum': {
      const multi = (def.flags & MULTI_ARG) !== 0;
      if (args.length === 0 || (!multi && args.length !== 1)) return fail(enumError(def));
      let v = 0;
      for (const a of args) {
        const lower = a.toLowerCase();
        let matched = false;
        for (const [name, val] of def.values) {
          if (name === lower) { v |= val; matched = true; }
        }
        if (!matched) return fail(enumError(def));
      }
      if (def.check) {
        const err = def.check(v);
        if (err !== null) return fail(err);
      }
      return ok(v, v !== cur || volatile);
    }
    case 'num': {
      const r = parseNum(def, args[0]!);
      if (typeof r === 'string') return fail(r);
      const err = boundsError(def, r);
      if (err !== null) return fail(err);
      const v = def.unsigned ? BigInt.asUintN(64, r) : r;
      return ok(v, v !== cur || volatile);
    }
    case 'special':
      return parseSpecial(def, args, cur, ctx);
  }
}

/** The CONFIG GET form of a stored value. */
export function formatValue(def: DirectiveDef, v: unknown): string {
  switch (def.type) {
    case 'bool': return v ? 'yes' : 'no';
    case 'string': return (v as string | null) ?? '';
    case 'enum': return enumName(def, v as number);
    case 'num': {
      const x = v as bigint;
      if ((def.mode & PERCENT) && x < 0n) return `${-x}%`;
      if (def.mode & MEMORY) return BigInt.asUintN(64, x).toString();
      if (def.mode & OCTAL) return x.toString(8);
      return x.toString();
    }
    case 'special':
      switch (def.kind) {
        case 'dir': return v as string;
        case 'save': return (v as SaveParam[]).map((p) => `${p.seconds} ${p.changes}`).join(' ');
        case 'obuf':
          return (v as ObufLimits).map((l, i) => `${OBUF_NAMES[i]} ${l.hard} ${l.soft} ${l.softSeconds}`).join(' ');
        case 'oom': return (v as number[]).join(' ');
        case 'notify': return notifyFlagsToString(v as number);
        case 'bind': return (v as string[]).join(' ');
        case 'replicaof': {
          const r = v as ReplicaOf | null;
          return r ? `${r.host} ${r.port}` : '';
        }
        case 'percentiles': return (v as number[]).map(formatPercentile).join(' ');
      }
  }
}

/** A plain-number view used by Config.num(): numerics, bools as 0/1, enums and notify flags. */
export function numericView(def: DirectiveDef, v: unknown): number {
  switch (def.type) {
    case 'bool': return v ? 1 : 0;
    case 'num': return Number(v as bigint);
    case 'enum': return v as number;
    case 'special': return def.kind === 'notify' ? (v as number) : NaN;
    default: return NaN;
  }
}
