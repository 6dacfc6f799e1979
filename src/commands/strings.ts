/**
 * String commands: GET SET SETNX SETEX PSETEX GETSET GETDEL GETEX MGET MSET MSETNX APPEND
 * STRLEN GETRANGE SUBSTR SETRANGE INCR DECR INCRBY DECRBY INCRBYFLOAT LCS.
 *
 * Invariants: values are latin1 JS strings (one char per byte). SET and its variants go
 * through one setGeneric, as Redis's setGenericCommand, so flag conflicts, reply shapes,
 * events ("new", "set", "expire") and propagation agree. Relative expiries never reach
 * the write log: they are rewritten as SET key value PXAT <ms> / PEXPIREAT; INCRBYFLOAT
 * is logged as SET key value KEEPTTL so replicas never redo float arithmetic.
 * In-place updates (APPEND, SETRANGE, INCR*) keep the key's TTL, like dbOverwrite.
 * Imports: commands, keyspace, protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { lookupRead, lookupWrite, storeValue } from './keys.js';
import { ErrorReply, MapReply, OK, type Reply } from '../protocol/reply.js';
import type { Entry } from '../keyspace/database.js';
import { StrEnc } from '../keyspace/value.js';
import { LLONG_MAX, LLONG_MIN, parseBigInt, parseInteger } from '../util/numbers.js';
import { incrByFloatString } from '../util/long-double.js';

// Option flags shared by SET and GETEX (OBJ_SET_* / OBJ_* in t_string.c).
const F_NX = 1 << 0;
const F_XX = 1 << 1;
const F_EX = 1 << 2;
const F_PX = 1 << 3;
const F_KEEPTTL = 1 << 4;
const F_GET = 1 << 5;
const F_EXAT = 1 << 6;
const F_PXAT = 1 << 7;
const F_PERSIST = 1 << 8;
const ANY_EXPIRE = F_EX | F_PX | F_EXAT | F_PXAT;

/** V8's longest string; beyond it a value cannot exist here even if the config allows it. */
const MAX_JS_STRING = 2 ** 29 - 24;

/** checkStringLength: would a string of size + append bytes exceed proto-max-bulk-len? */
function tooLong(ctx: CommandContext, size: number, append: number): boolean {
  const total = size + append;
  return total > ctx.server.config.num('proto-max-bulk-len') || total > MAX_JS_STRING;
}

/** The string at key for a read, null when missing. Throws WRONGTYPE. */
function readString(ctx: CommandContext, key: string): string | null {
  const e = lookupRead(ctx, key);
  if (e === undefined) return null;
  const v = e.value;
  if (typeof v !== 'string') throw E.WRONGTYPE;
  return v;
}

/** The entry at key for a write, or undefined; throws WRONGTYPE for a non-string. */
function writeString(ctx: CommandContext, key: string): Entry | undefined {
  const e = lookupWrite(ctx, key);
  if (e !== undefined && typeof e.value !== 'string') throw E.WRONGTYPE;
  return e;
}

/**
 * parseExtendedStringArgumentsOrReply: SET options from argv[3], GETEX options from
 * argv[2]. Every combination Redis refuses is a syntax error. Returns the flags and the
 * index of the expire argument (0 when none).
 */
function parseStringOptions(argv: string[], forSet: boolean): { flags: number; expireIdx: number } | ErrorReply {
  let flags = 0;
  let expireIdx = 0;
  for (let j = forSet ? 3 : 2; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const hasNext = j + 1 < argv.length;
    if (opt === 'nx' && forSet && !(flags & F_XX)) {
      flags |= F_NX;
    } else if (opt === 'xx' && forSet && !(flags & F_NX)) {
      flags |= F_XX;
    } else if (opt === 'get' && forSet) {
      flags |= F_GET;
    } else if (opt === 'keepttl' && forSet && !(flags & (F_PERSIST | ANY_EXPIRE))) {
      flags |= F_KEEPTTL;
    } else if (opt === 'persist' && !forSet && !(flags & (ANY_EXPIRE | F_KEEPTTL))) {
      flags |= F_PERSIST;
    } else if (opt === 'ex' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EXAT | F_PX | F_PXAT))) {
      flags |= F_EX;
      expireIdx = ++j;
    } else if (opt === 'px' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PXAT))) {
      flags |= F_PX;
      expireIdx = ++j;
    } else if (opt === 'exat' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_PX | F_PXAT))) {
      flags |= F_EXAT;
      expireIdx = ++j;
    } else if (opt === 'pxat' && hasNext && !(flags & (F_KEEPTTL | F_PERSIST | F_EX | F_EXAT | F_PX))) {
      flags |= F_PXAT;
      expireIdx = ++j;
    } else {
      return E.SYNTAX;
    }
  }
  return { flags, expireIdx };
}

/**
 * getExpireMillisecondsOrReply: the absolute expiry in ms (and its exact decimal text,
 * which may pass 2^53), or the error. Zero and negative inputs are refused; EX/PX add
 * the command time.
 */
function expireMillis(ctx: CommandContext, arg: string, flags: number, name: string): { ms: number; text: string } | ErrorReply {
  const seconds = (flags & (F_EX | F_EXAT)) !== 0;
  const relative = (flags & (F_EX | F_PX)) !== 0;
  const n = parseInteger(arg);
  if (n === null) return E.NOT_INTEGER;
  if (n <= 0) return E.INVALID_EXPIRE(name);
  if (n < 2 ** 43) {
    const ms = (seconds ? n * 1000 : n) + (relative ? ctx.now : 0);
    return { ms, text: String(ms) };
  }
  let v = parseBigInt(arg)!;
  if (seconds) {
    if (v > LLONG_MAX / 1000n) return E.INVALID_EXPIRE(name);
    v *= 1000n;
  }
  if (relative) v += BigInt(ctx.now);
  if (v > LLONG_MAX) return E.INVALID_EXPIRE(name); // the C addition would wrap negative
  return { ms: Number(v), text: v.toString() };
}

/**
 * The one implementation behind SET, SETNX, SETEX, PSETEX and GETSET (setGenericCommand).
 * `okReply`/`abortReply` are what a plain form answers when it did or did not set; with
 * F_GET the old value is the reply either way.
 */
function setGeneric(
  ctx: CommandContext, argv: string[], flags: number, key: string, value: string,
  expireArg: string | null, okReply: Reply, abortReply: Reply, name: string,
): Reply {
  let expire: { ms: number; text: string } | null = null;
  if (expireArg !== null) {
    const r = expireMillis(ctx, expireArg, flags, name);
    if (r instanceof ErrorReply) return r;
    expire = r;
  }
  let old: string | null = null;
  if (flags & F_GET) old = readString(ctx, key);
  const found = lookupWrite(ctx, key) !== undefined;
  if ((flags & F_NX && found) || (flags & F_XX && !found)) {
    return flags & F_GET ? old : abortReply;
  }
  const e = storeValue(ctx, key, value, found, (flags & F_KEEPTTL) !== 0);
  ctx.dirty();
  ctx.notify('$', 'set', key);
  if (expire !== null) {
    ctx.db.setExpire(e, expire.ms);
    ctx.rewrite(['SET', key, value, 'PXAT', expire.text]);
    ctx.notify('g', 'expire', key);
  } else if (flags & F_GET) {
    if (name === 'getset') {
      ctx.rewrite(['SET', key, value]);
    } else {
      // Replicas must not answer anything: drop every GET token from the logged command.
      const out = argv.slice(0, 3);
      for (let j = 3; j < argv.length; j++) if (argv[j]!.toLowerCase() !== 'get') out.push(argv[j]!);
      ctx.rewrite(out);
    }
  }
  return flags & F_GET ? old : okReply;
}

// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | KEEPTTL]
function set(ctx: CommandContext, argv: string[]): Reply {
  const opts = parseStringOptions(argv, true);
  if (opts instanceof ErrorReply) return opts;
  const expireArg = opts.expireIdx === 0 ? null : argv[opts.expireIdx]!;
  return setGeneric(ctx, argv, opts.flags, argv[1]!, argv[2]!, expireArg, OK, null, 'set');
}

// SETNX key value
function setnx(ctx: CommandContext, argv: string[]): Reply {
  return setGeneric(ctx, argv, F_NX, argv[1]!, argv[2]!, null, 1, 0, 'setnx');
}

// SETEX key seconds value
function setex(ctx: CommandContext, argv: string[]): Reply {
  return setGeneric(ctx, argv, F_EX, argv[1]!, argv[3]!, argv[2]!, OK, null, 'setex');
}

// PSETEX key milliseconds value
function psetex(ctx: CommandContext, argv: string[]): Reply {
  return setGeneric(ctx, argv, F_PX, argv[1]!, argv[3]!, argv[2]!, OK, null, 'psetex');
}

// GETSET key value
function getset(ctx: CommandContext, argv: string[]): Reply {
  return setGeneric(ctx, argv, F_GET, argv[1]!, argv[2]!, null, OK, null, 'getset');
}

// GET key
function get(ctx: CommandContext, argv: string[]): Reply {
  return readString(ctx, argv[1]!);
}

// GETDEL key
function getdel(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const v = readString(ctx, key);
  if (v !== null && ctx.db.delete(key)) {
    ctx.rewrite([ctx.server.config.num('lazyfree-lazy-user-del') ? 'UNLINK' : 'DEL', key]);
    ctx.notify('g', 'del', key);
    ctx.dirty();
  }
  return v;
}

// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds | PXAT unix-time-milliseconds | PERSIST]
function getex(ctx: CommandContext, argv: string[]): Reply {
  const opts = parseStringOptions(argv, false);
  if (opts instanceof ErrorReply) return opts;
  const key = argv[1]!;
  const e = lookupRead(ctx, key);
  if (e === undefined) return null;
  const v = e.value;
  if (typeof v !== 'string') return E.WRONGTYPE;
  const { flags, expireIdx } = opts;
  let expire: { ms: number; text: string } | null = null;
  if (expireIdx !== 0) {
    const r = expireMillis(ctx, argv[expireIdx]!, flags, 'getex');
    if (r instanceof ErrorReply) return r;
    expire = r;
  }
  if (expire !== null && flags & (F_EXAT | F_PXAT) && expire.ms <= ctx.now) {
    ctx.db.delete(key);
    ctx.rewrite([ctx.server.config.num('lazyfree-lazy-expire') ? 'UNLINK' : 'DEL', key]);
    ctx.notify('g', 'del', key);
    ctx.dirty();
  } else if (expire !== null) {
    ctx.db.setExpire(e, expire.ms);
    ctx.rewrite(['PEXPIREAT', key, expire.text]);
    ctx.notify('g', 'expire', key);
    ctx.dirty();
  } else if (flags & F_PERSIST && e.expireAt !== 0) {
    ctx.db.clearExpire(e);
    ctx.rewrite(['PERSIST', key]);
    ctx.notify('g', 'persist', key);
    ctx.dirty();
  }
  return v;
}

// MGET key [key ...]
function mget(ctx: CommandContext, argv: string[]): Reply {
  const out: Reply[] = new Array(argv.length - 1);
  for (let j = 1; j < argv.length; j++) {
    const e = lookupRead(ctx, argv[j]!);
    out[j - 1] = e !== undefined && typeof e.value === 'string' ? e.value : null;
  }
  return out;
}

function msetGeneric(ctx: CommandContext, argv: string[], nx: boolean): Reply {
  if (argv.length % 2 === 0) return E.wrongArity(nx ? 'msetnx' : 'mset');
  if (nx) {
    for (let j = 1; j < argv.length; j += 2) if (lookupWrite(ctx, argv[j]!) !== undefined) return 0;
  }
  for (let j = 1; j < argv.length; j += 2) {
    const key = argv[j]!;
    storeValue(ctx, key, argv[j + 1]!, lookupWrite(ctx, key) !== undefined, false);
    ctx.notify('$', 'set', key);
  }
  ctx.dirty((argv.length - 1) / 2);
  return nx ? 1 : OK;
}

// MSET key value [key value ...]
function mset(ctx: CommandContext, argv: string[]): Reply {
  return msetGeneric(ctx, argv, false);
}

// MSETNX key value [key value ...]
function msetnx(ctx: CommandContext, argv: string[]): Reply {
  return msetGeneric(ctx, argv, true);
}

// APPEND key value
function append(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const add = argv[2]!;
  const e = writeString(ctx, key);
  let total: number;
  if (e === undefined) {
    storeValue(ctx, key, add, false, false);
    total = add.length;
  } else {
    const cur = e.value as string;
    if (tooLong(ctx, cur.length, add.length)) return E.STRING_TOO_LONG;
    const next = cur + add;
    ctx.db.set(key, next, true).strEnc = StrEnc.RAW;
    total = next.length;
  }
  ctx.notify('$', 'append', key);
  ctx.dirty();
  return total;
}

// STRLEN key
function strlen(ctx: CommandContext, argv: string[]): Reply {
  const v = readString(ctx, argv[1]!);
  return v === null ? 0 : v.length;
}

// GETRANGE key start end
function getrange(ctx: CommandContext, argv: string[]): Reply {
  let start = parseInteger(argv[2]!);
  if (start === null) return E.NOT_INTEGER;
  let end = parseInteger(argv[3]!);
  if (end === null) return E.NOT_INTEGER;
  const v = readString(ctx, argv[1]!);
  if (v === null) return '';
  const len = v.length;
  if (start < 0 && end < 0 && start > end) return '';
  if (start < 0) start += len;
  if (end < 0) end += len;
  if (start < 0) start = 0;
  if (end < 0) end = 0;
  if (end >= len) end = len - 1;
  if (start > end || len === 0) return '';
  return v.slice(start, end + 1);
}

const OFFSET_OUT_OF_RANGE = new ErrorReply('ERR offset is out of range');

// SETRANGE key offset value
function setrange(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const value = argv[3]!;
  const offset = parseInteger(argv[2]!);
  if (offset === null) return E.NOT_INTEGER;
  if (offset < 0) return OFFSET_OUT_OF_RANGE;
  const e = writeString(ctx, key);
  let next: string;
  if (e === undefined) {
    if (value.length === 0) return 0;
    if (tooLong(ctx, offset, value.length)) return E.STRING_TOO_LONG;
    next = '\0'.repeat(offset) + value;
    // Built as a raw buffer, never tried as an integer.
    storeValue(ctx, key, next, false, false).strEnc = StrEnc.RAW;
  } else {
    const cur = e.value as string;
    if (value.length === 0) return cur.length;
    if (tooLong(ctx, offset, value.length)) return E.STRING_TOO_LONG;
    const head = cur.length >= offset ? cur.slice(0, offset) : cur + '\0'.repeat(offset - cur.length);
    next = head + value + cur.slice(offset + value.length);
    ctx.db.set(key, next, true).strEnc = StrEnc.RAW;
  }
  ctx.notify('$', 'setrange', key);
  ctx.dirty();
  return next.length;
}

// ---- counters --------------------------------------------------------------------------------

/** An int64 argument: a number when exact, a bigint past 2^53, or null. */
function parseInt64(s: string): number | bigint | null {
  if (s.length < 16) return parseInteger(s);
  const b = parseBigInt(s);
  if (b === null) return null;
  return b >= -9007199254740991n && b <= 9007199254740991n ? Number(b) : b;
}

/** incrDecrCommand: adds `incr` to the integer at key (0 when missing), keeping the TTL. */
function incrDecr(ctx: CommandContext, key: string, incr: number | bigint): Reply {
  const e = writeString(ctx, key);
  let cur: number | bigint = 0;
  if (e !== undefined) {
    const c = parseInt64(e.value as string);
    if (c === null) return E.NOT_INTEGER;
    cur = c;
  }
  let result: number | bigint;
  if (typeof cur === 'number' && typeof incr === 'number' && Number.isSafeInteger(cur + incr)) {
    result = cur + incr;
  } else {
    const r = BigInt(cur) + BigInt(incr);
    if (r > LLONG_MAX || r < LLONG_MIN) return E.OVERFLOW;
    result = r >= -9007199254740991n && r <= 9007199254740991n ? Number(r) : r;
  }
  const text = String(result);
  if (e !== undefined) ctx.db.set(key, text, true);
  else storeValue(ctx, key, text, false, false);
  ctx.notify('$', 'incrby', key);
  ctx.dirty();
  return result;
}

// INCR key
function incr(ctx: CommandContext, argv: string[]): Reply {
  return incrDecr(ctx, argv[1]!, 1);
}

// DECR key
function decr(ctx: CommandContext, argv: string[]): Reply {
  return incrDecr(ctx, argv[1]!, -1);
}

// INCRBY key increment
function incrby(ctx: CommandContext, argv: string[]): Reply {
  const n = parseInt64(argv[2]!);
  if (n === null) return E.NOT_INTEGER;
  return incrDecr(ctx, argv[1]!, n);
}

const DECREMENT_OVERFLOW = new ErrorReply('ERR decrement would overflow');

// DECRBY key decrement
function decrby(ctx: CommandContext, argv: string[]): Reply {
  const n = parseInt64(argv[2]!);
  if (n === null) return E.NOT_INTEGER;
  if (n === LLONG_MIN) return DECREMENT_OVERFLOW;
  return incrDecr(ctx, argv[1]!, typeof n === 'number' ? -n : -n as bigint);
}

// INCRBYFLOAT key increment
function incrbyfloat(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const e = writeString(ctx, key);
  const r = incrByFloatString(e === undefined ? '0' : (e.value as string), argv[2]!);
  if (r === null) return E.NOT_FLOAT;
  if (r === undefined) return E.NAN_OR_INF;
  // The result is a plain string object (embstr or raw), never an integer one.
  (e !== undefined ? ctx.db.set(key, r, true) : storeValue(ctx, key, r, false, false)).strEnc = StrEnc.NO_INT;
  ctx.notify('$', 'incrbyfloat', key);
  ctx.dirty();
  // Logged as the resulting value so replicas and AOF replays never redo float math.
  ctx.rewrite(['SET', key, r, 'KEEPTTL']);
  return r;
}

// ---- LCS -----------------------------------------------------------------------------------

const LCS_WRONGTYPE = new ErrorReply('ERR The specified keys must contain string values');
const LCS_LEN_AND_IDX = new ErrorReply('ERR If you want both the length and indexes, please just use IDX.');
const LCS_TOO_BIG = new ErrorReply('ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len');

// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
function lcs(ctx: CommandContext, argv: string[]): Reply {
  const ea = lookupRead(ctx, argv[1]!);
  const eb = lookupRead(ctx, argv[2]!);
  if ((ea !== undefined && typeof ea.value !== 'string') || (eb !== undefined && typeof eb.value !== 'string')) {
    return LCS_WRONGTYPE;
  }
  const a = ea === undefined ? '' : (ea.value as string);
  const b = eb === undefined ? '' : (eb.value as string);
  let getLen = false;
  let getIdx = false;
  let withMatchLen = false;
  let minMatchLen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    if (opt === 'idx') getIdx = true;
    else if (opt === 'len') getLen = true;
    else if (opt === 'withmatchlen') withMatchLen = true;
    else if (opt === 'minmatchlen' && j + 1 < argv.length) {
      const n = parseInteger(argv[++j]!);
      if (n === null) return E.NOT_INTEGER;
      minMatchLen = n < 0 ? 0 : n;
    } else return E.SYNTAX;
  }
  if (getLen && getIdx) return LCS_LEN_AND_IDX;
  const alen = a.length;
  const blen = b.length;
  const w = blen + 1;
  if ((alen + 1) * w * 4 > ctx.server.config.num('proto-max-bulk-len')) return LCS_TOO_BIG;
  // table[i*w + j] = LCS length of a[0..i) and b[0..j)
  const table = new Uint32Array((alen + 1) * w);
  for (let i = 1; i <= alen; i++) {
    const ca = a.charCodeAt(i - 1);
    const row = i * w;
    const prev = row - w;
    for (let j = 1; j <= blen; j++) {
      if (ca === b.charCodeAt(j - 1)) table[row + j] = table[prev + j - 1]! + 1;
      else {
        const up = table[prev + j]!;
        const left = table[row + j - 1]!;
        table[row + j] = up > left ? up : left;
      }
    }
  }
  const total = table[alen * w + blen]!;
  if (getLen) return total;
  // Walk back from the end, collecting the common subsequence and, for IDX, the ranges
  // of contiguous matches (emitted from the end of the strings towards the start).
  const chars: number[] = new Array(total);
  let k = total;
  const matches: Reply[] = [];
  let aStart = -1; // -1: no open range
  let aEnd = 0;
  let bStart = 0;
  let bEnd = 0;
  let i = alen;
  let j = blen;
  while (i > 0 && j > 0) {
    let emit = false;
    if (a.charCodeAt(i - 1) === b.charCodeAt(j - 1)) {
      chars[--k] = a.charCodeAt(i - 1);
      if (aStart === -1) {
        aStart = aEnd = i - 1;
        bStart = bEnd = j - 1;
      } else if (aStart === i && bStart === j) {
        aStart--;
        bStart--;
      } else {
        emit = true;
      }
      if (aStart === 0 || bStart === 0) emit = true;
      i--;
      j--;
    } else {
      if (table[(i - 1) * w + j]! > table[i * w + j - 1]!) i--;
      else j--;
      if (aStart !== -1) emit = true;
    }
    if (emit) {
      const len = aEnd - aStart + 1;
      if (getIdx && (minMatchLen === 0 || len >= minMatchLen)) {
        const m: Reply[] = [[aStart, aEnd], [bStart, bEnd]];
        if (withMatchLen) m.push(len);
        matches.push(m);
      }
      aStart = -1;
    }
  }
  if (getIdx) return new MapReply(['matches', matches, 'len', total]);
  let out = '';
  for (let c = 0; c < chars.length; c += 8192) out += String.fromCharCode(...chars.slice(c, c + 8192));
  return out;
}

// ---- table ---------------------------------------------------------------------------------

const def = (
  name: string, arity: number, flags: string, keys: [number, number, number], since: string, summary: string,
  complexity: string, run: CommandDef['run'],
): CommandDef => ({ name, arity, flags, acl: 'string', keys, group: 'string', since, summary, complexity, run });

const K1: [number, number, number] = [1, 1, 1];

export const stringCommands: CommandDef[] = [
  def('get', 2, 'readonly fast', K1, '1.0.0', 'Get the value of a key', 'O(1)', get),
  def('set', -3, 'write denyoom', K1, '1.0.0', 'Set the string value of a key', 'O(1)', set),
  def('setnx', 3, 'write denyoom fast', K1, '1.0.0', 'Set the value of a key, only if the key does not exist', 'O(1)', setnx),
  def('setex', 4, 'write denyoom', K1, '2.0.0', 'Set the value and expiration of a key', 'O(1)', setex),
  def('psetex', 4, 'write denyoom', K1, '2.6.0', 'Set the value and expiration in milliseconds of a key', 'O(1)', psetex),
  def('getset', 3, 'write denyoom fast', K1, '1.0.0', 'Set the string value of a key and return its old value', 'O(1)', getset),
  def('getdel', 2, 'write fast', K1, '6.2.0', 'Get the value of a key and delete the key', 'O(1)', getdel),
  def('getex', -2, 'write fast', K1, '6.2.0', 'Get the value of a key and optionally set its expiration', 'O(1)', getex),
  def('mget', -2, 'readonly fast', [1, -1, 1], '1.0.0', 'Get the values of all the given keys',
    'O(N) where N is the number of keys to retrieve.', mget),
  def('mset', -3, 'write denyoom', [1, -1, 2], '1.0.1', 'Set multiple keys to multiple values',
    'O(N) where N is the number of keys to set.', mset),
  def('msetnx', -3, 'write denyoom', [1, -1, 2], '1.0.1', 'Set multiple keys to multiple values, only if none of the keys exist',
    'O(N) where N is the number of keys to set.', msetnx),
  def('append', 3, 'write denyoom fast', K1, '2.0.0', 'Append a value to a key',
    'O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.',
    append),
  def('strlen', 2, 'readonly fast', K1, '2.2.0', 'Get the length of the value stored in a key', 'O(1)', strlen),
  def('getrange', 4, 'readonly', K1, '2.4.0', 'Get a substring of the string stored at a key',
    'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    getrange),
  def('substr', 4, 'readonly', K1, '1.0.0', 'Get a substring of the string stored at a key',
    'O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.',
    getrange),
  def('setrange', 4, 'write denyoom', K1, '2.2.0', 'Overwrite part of a string at key starting at the specified offset',
    'O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.',
    setrange),
  def('incr', 2, 'write denyoom fast', K1, '1.0.0', 'Increment the integer value of a key by one', 'O(1)', incr),
  def('decr', 2, 'write denyoom fast', K1, '1.0.0', 'Decrement the integer value of a key by one', 'O(1)', decr),
  def('incrby', 3, 'write denyoom fast', K1, '1.0.0', 'Increment the integer value of a key by the given amount', 'O(1)', incrby),
  def('decrby', 3, 'write denyoom fast', K1, '1.0.0', 'Decrement the integer value of a key by the given number', 'O(1)', decrby),
  def('incrbyfloat', 3, 'write denyoom fast', K1, '2.6.0', 'Increment the float value of a key by the given amount', 'O(1)', incrbyfloat),
  def('lcs', -3, 'readonly', [1, 2, 1], '7.0.0', 'Find longest common substring',
    'O(N*M) where N and M are the lengths of s1 and s2, respectively', lcs),
];
