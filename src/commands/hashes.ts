/**
 * Hash commands: HSET HSETNX HGET HMGET HMSET HDEL HLEN HSTRLEN HEXISTS HKEYS HVALS
 * HGETALL HINCRBY HINCRBYFLOAT HRANDFIELD HSCAN.
 *
 * Conversion listpack -> hashtable follows t_hash.c: HSET/HMSET/HSETNX check every
 * argument length up front, and every single set checks the field/value lengths and
 * the entry count (so HINCRBY* convert on a long result too). Thresholds are read from
 * config on each write. HINCRBYFLOAT computes in emulated x87 long double and is
 * propagated as HSET with the final text, as Redis does.
 * Imports: commands, keyspace, protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { lookupRead, lookupWrite, randomReplyCap } from './keys.js';
import { ErrorReply, MapReply, OK, type Reply } from '../protocol/reply.js';
import type { Entry } from '../keyspace/database.js';
import { HashValue } from '../keyspace/hash.js';
import { isInt64String, parseBigInt, parseInteger, inInt64Range } from '../util/numbers.js';
import { addLongDouble, formatLongDoubleHuman, parseLongDouble } from '../util/long-double.js';
import { filterScanResults, INVALID_CURSOR, parseScanArgs, parseScanCursor } from './scan-args.js';

const HASH_NOT_INTEGER = new ErrorReply('ERR hash value is not an integer');
const HASH_NOT_FLOAT = new ErrorReply('ERR hash value is not a float');
const INCR_NAN_OR_INF = new ErrorReply('ERR value is NaN or Infinity');
const VALUE_OUT_OF_RANGE = new ErrorReply('ERR value is out of range');

const LONG_MAX = 2n ** 63n - 1n;
const HALF_LONG_MAX = LONG_MAX / 2n;

/** lookupKeyRead (stats, keymiss event, LRU/LFU touch) plus the type check. Throws WRONGTYPE. */
function readHash(ctx: CommandContext, key: string): HashValue | undefined {
  const e = lookupRead(ctx, key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof HashValue)) throw E.WRONGTYPE;
  return e.value;
}

/** lookupKeyWrite (expiry, LRU/LFU touch) plus the type check; undefined when missing. Throws WRONGTYPE. */
function writeHashEntry(ctx: CommandContext, key: string): Entry | undefined {
  const e = lookupWrite(ctx, key);
  if (e !== undefined && !(e.value instanceof HashValue)) throw E.WRONGTYPE;
  return e;
}

/**
 * hashTypeLookupWriteOrCreate's second half: the hash to mutate, created when `e` (the
 * result of writeHashEntry) is undefined, else touched for copy-on-write.
 */
function hashForWrite(ctx: CommandContext, key: string, e: Entry | undefined): HashValue {
  if (e === undefined) {
    const h = new HashValue();
    ctx.db.set(key, h);
    return h;
  }
  ctx.db.touchForWrite(e);
  return e.value as HashValue;
}

function maxEntries(ctx: CommandContext): number {
  return ctx.server.config.num('hash-max-listpack-entries');
}

function maxValue(ctx: CommandContext): number {
  return ctx.server.config.num('hash-max-listpack-value');
}

// ---------------------------------------------------------------- writes

function hsetGeneric(ctx: CommandContext, argv: string[], isHmset: boolean): Reply {
  if (argv.length % 2 === 1) return E.wrongArity(isHmset ? 'hmset' : 'hset');
  const key = argv[1]!;
  const h = hashForWrite(ctx, key, writeHashEntry(ctx, key));
  const me = maxEntries(ctx);
  const mv = maxValue(ctx);
  h.convertIfAnyLonger(argv, 2, argv.length - 1, mv);
  let created = 0;
  for (let i = 2; i < argv.length; i += 2) {
    if (h.set(argv[i]!, argv[i + 1]!, me, mv)) created++;
  }
  ctx.notify('h', 'hset', key);
  ctx.dirty((argv.length - 2) / 2);
  return isHmset ? OK : created;
}

// HSET key field value [field value ...]
function hset(ctx: CommandContext, argv: string[]): Reply {
  return hsetGeneric(ctx, argv, false);
}

// HMSET key field value [field value ...]
function hmset(ctx: CommandContext, argv: string[]): Reply {
  return hsetGeneric(ctx, argv, true);
}

// HSETNX key field value
function hsetnx(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const e = writeHashEntry(ctx, key);
  if (e !== undefined && (e.value as HashValue).has(argv[2]!)) return 0;
  const h = hashForWrite(ctx, key, e);
  const mv = maxValue(ctx);
  h.convertIfAnyLonger(argv, 2, 3, mv);
  h.set(argv[2]!, argv[3]!, maxEntries(ctx), mv);
  ctx.notify('h', 'hset', key);
  ctx.dirty(1);
  return 1;
}

// HDEL key field [field ...]
function hdel(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const e = writeHashEntry(ctx, key);
  if (e === undefined) return 0;
  const h = e.value as HashValue;
  ctx.db.touchForWrite(e);
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (!h.delete(argv[j]!)) continue;
    deleted++;
    if (h.size === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    ctx.notify('h', 'hdel', key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.dirty(deleted);
  }
  return deleted;
}

// HINCRBY key field increment
function hincrby(ctx: CommandContext, argv: string[]): Reply {
  const incr = parseBigInt(argv[3]!);
  if (incr === null) return E.NOT_INTEGER;
  const key = argv[1]!;
  const field = argv[2]!;
  const e = writeHashEntry(ctx, key);
  const cur = e === undefined ? undefined : (e.value as HashValue).get(field);
  let value = 0n;
  if (cur !== undefined) {
    if (!isInt64String(cur)) return HASH_NOT_INTEGER;
    value = BigInt(cur);
  }
  const sum = value + incr;
  if (!inInt64Range(sum)) return E.OVERFLOW;
  const h = hashForWrite(ctx, key, e);
  const text = sum.toString();
  h.set(field, text, maxEntries(ctx), maxValue(ctx));
  ctx.notify('h', 'hincrby', key);
  ctx.dirty(1);
  return Number.isSafeInteger(Number(sum)) ? Number(sum) : sum;
}

// HINCRBYFLOAT key field increment
function hincrbyfloat(ctx: CommandContext, argv: string[]): Reply {
  const incr = parseLongDouble(argv[3]!);
  if (incr === null) return E.NOT_FLOAT;
  if (incr === 'inf' || incr === '-inf') return INCR_NAN_OR_INF;
  const key = argv[1]!;
  const field = argv[2]!;
  const e = writeHashEntry(ctx, key);
  const cur = e === undefined ? undefined : (e.value as HashValue).get(field);
  let sumText = argv[3]!;
  if (cur !== undefined) {
    const base = parseLongDouble(cur);
    if (base === null) return HASH_NOT_FLOAT;
    const sum = addLongDouble(base, incr);
    if (typeof sum === 'string') return E.NAN_OR_INF;
    sumText = formatLongDoubleHuman(sum);
  } else {
    sumText = formatLongDoubleHuman(addLongDouble({ neg: false, m: 0n, e: 0 }, incr));
  }
  const h = hashForWrite(ctx, key, e);
  h.set(field, sumText, maxEntries(ctx), maxValue(ctx));
  ctx.notify('h', 'hincrbyfloat', key);
  ctx.dirty(1);
  ctx.rewrite(['HSET', key, field, sumText]);
  return sumText;
}

// ---------------------------------------------------------------- reads

// HGET key field
function hget(ctx: CommandContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return h === undefined ? null : h.get(argv[2]!) ?? null;
}

// HMGET key field [field ...]
function hmget(ctx: CommandContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  const out = new Array<Reply>(argv.length - 2);
  for (let i = 2; i < argv.length; i++) out[i - 2] = h === undefined ? null : h.get(argv[i]!) ?? null;
  return out;
}

// HLEN key
function hlen(ctx: CommandContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return h === undefined ? 0 : h.size;
}

// HSTRLEN key field
function hstrlen(ctx: CommandContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return 0;
  const v = h.get(argv[2]!);
  return v === undefined ? 0 : v.length;
}

// HEXISTS key field
function hexists(ctx: CommandContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return h !== undefined && h.has(argv[2]!) ? 1 : 0;
}

// HKEYS key
function hkeys(ctx: CommandContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return h === undefined ? [] : h.fields();
}

// HVALS key
function hvals(ctx: CommandContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return h === undefined ? [] : h.values();
}

// HGETALL key
function hgetall(ctx: CommandContext, argv: string[]): Reply {
  const h = readHash(ctx, argv[1]!);
  return new MapReply(h === undefined ? [] : h.flat());
}

// HSCAN key cursor [MATCH pattern] [COUNT count]
function hscan(ctx: CommandContext, argv: string[]): Reply {
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) return INVALID_CURSOR;
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return ['0', []];
  const opts = parseScanArgs(argv, 3, false);
  if (opts instanceof ErrorReply) return opts;
  const items: string[] = [];
  const next = h.scan(cursor, opts.count, items);
  return [String(next), filterScanResults(items, opts.pattern, 2)];
}

// HRANDFIELD key [count [WITHVALUES]]
function hrandfield(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length >= 3) {
    const raw = argv[2]!;
    const big = parseBigInt(raw);
    if (big === null) return E.NOT_INTEGER;
    if (big < -LONG_MAX) return E.RANDOM_COUNT_RANGE;
    let withValues = false;
    if (argv.length > 4 || (argv.length === 4 && argv[3]!.toLowerCase() !== 'withvalues')) return E.SYNTAX;
    if (argv.length === 4) {
      withValues = true;
      if (big < -HALF_LONG_MAX || big > HALF_LONG_MAX) return VALUE_OUT_OF_RANGE;
    }
    return hrandfieldWithCount(ctx, argv[1]!, Number(big), withValues);
  }
  const h = readHash(ctx, argv[1]!);
  if (h === undefined) return null;
  return h.random()![0];
}

function hrandfieldWithCount(ctx: CommandContext, key: string, l: number, withValues: boolean): Reply {
  const h = readHash(ctx, key);
  if (h === undefined) return [];
  const size = h.size;
  const unique = l >= 0;
  // Past the output limit the client is closed anyway: build no more than that.
  const count = unique ? l : Math.min(-l, randomReplyCap(ctx));
  if (count === 0) return [];
  const resp3 = ctx.client.resp === 3;
  const out: Reply[] = [];
  const emit = (f: string, v: string): void => {
    if (!withValues) out.push(f);
    else if (resp3) out.push([f, v]);
    else out.push(f, v);
  };

  // Repeats allowed (or a single pick): independent uniform picks.
  if (!unique || count === 1) {
    if (count > E.MAX_RANDOM_REPLY) return E.RANDOM_COUNT_TOO_LARGE;
    if (h.isListpack) {
      const all = h.flat();
      const n = all.length / 2;
      for (let k = 0; k < count; k++) {
        const i = Math.floor(Math.random() * n) * 2;
        emit(all[i]!, all[i + 1]!);
      }
    } else {
      for (let k = 0; k < count; k++) {
        const s = h.slotAt(Math.floor(Math.random() * size))!;
        emit(s.key, s.value);
      }
    }
    return out;
  }

  // Asking for at least the whole hash: all of it, in encoding order.
  if (count >= size) {
    h.forEach(emit);
    return out;
  }

  // A unique random subset. Listpacks answer in their own order, as lpRandomPairsUnique does.
  if (h.isListpack || count * 3 > size) {
    const all = h.flat();
    const n = all.length / 2;
    const idx = new Array<number>(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (n - i));
      const t = idx[i]!;
      idx[i] = idx[j]!;
      idx[j] = t;
    }
    const picked = idx.slice(0, count);
    if (h.isListpack) picked.sort((a, b) => a - b);
    for (const i of picked) emit(all[i * 2]!, all[i * 2 + 1]!);
    return out;
  }
  const seen = new Set<number>();
  while (seen.size < count) {
    const i = Math.floor(Math.random() * size);
    if (seen.has(i)) continue;
    seen.add(i);
    const s = h.slotAt(i)!;
    emit(s.key, s.value);
  }
  return out;
}

// ---------------------------------------------------------------- table

const G = { acl: 'hash', group: 'hash' } as const;

export const hashCommands: CommandDef[] = [
  { name: 'hset', arity: -4, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Set the string value of a hash field', complexity: 'O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.', run: hset },
  { name: 'hsetnx', arity: 4, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Set the value of a hash field, only if the field does not exist', complexity: 'O(1)', run: hsetnx },
  { name: 'hget', arity: 3, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Get the value of a hash field', complexity: 'O(1)', run: hget },
  { name: 'hmget', arity: -3, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Get the values of all the given hash fields', complexity: 'O(N) where N is the number of fields being requested.', run: hmget },
  { name: 'hmset', arity: -4, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Set multiple hash fields to multiple values', complexity: 'O(N) where N is the number of fields being set.', run: hmset },
  { name: 'hdel', arity: -3, flags: 'write fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Delete one or more hash fields', complexity: 'O(N) where N is the number of fields to be removed.', run: hdel },
  { name: 'hlen', arity: 2, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Get the number of fields in a hash', complexity: 'O(1)', run: hlen },
  { name: 'hstrlen', arity: 3, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '3.2.0', summary: 'Get the length of the value of a hash field', complexity: 'O(1)', run: hstrlen },
  { name: 'hexists', arity: 3, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Determine if a hash field exists', complexity: 'O(1)', run: hexists },
  { name: 'hkeys', arity: 2, flags: 'readonly', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Get all the fields in a hash', complexity: 'O(N) where N is the size of the hash.', run: hkeys },
  { name: 'hvals', arity: 2, flags: 'readonly', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Get all the values in a hash', complexity: 'O(N) where N is the size of the hash.', run: hvals },
  { name: 'hgetall', arity: 2, flags: 'readonly', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Get all the fields and values in a hash', complexity: 'O(N) where N is the size of the hash.', run: hgetall },
  { name: 'hincrby', arity: 4, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '2.0.0', summary: 'Increment the integer value of a hash field by the given number', complexity: 'O(1)', run: hincrby },
  { name: 'hincrbyfloat', arity: 4, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '2.6.0', summary: 'Increment the float value of a hash field by the given amount', complexity: 'O(1)', run: hincrbyfloat },
  { name: 'hrandfield', arity: -2, flags: 'readonly', ...G, keys: [1, 1, 1], since: '6.2.0', summary: 'Get one or multiple random fields from a hash', complexity: 'O(N) where N is the number of fields returned', run: hrandfield },
  { name: 'hscan', arity: -3, flags: 'readonly', ...G, keys: [1, 1, 1], since: '2.8.0', summary: 'Incrementally iterate hash fields and associated values', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', run: hscan },
];
