/**
 * Blocking list and sorted-set pops: BLPOP BRPOP BLMOVE BRPOPLPUSH BLMPOP BZPOPMIN
 * BZPOPMAX BZMPOP.
 *
 * A handler first behaves like the non-blocking form on the first non-empty key (and
 * propagates that form: LPOP key, LPOP key n, LMOVE ..., RPOPLPUSH ..., ZPOPMIN key,
 * ZPOPMIN key n). When nothing is there it returns a BlockRequest; the engine parks the
 * client and calls the matching `retry*` with the key that became ready, which serves
 * from that key only (as Redis's serveClientsBlockedOn*Key do) and returns undefined
 * when the key is not (or no longer) of the awaited type or is empty.
 * Inside EXEC nothing blocks: the reply is what a timeout would give (null for BLMOVE
 * and BRPOPLPUSH, a null array for the others).
 *
 * Argument checks follow Redis's order: for BLPOP/BRPOP/BZPOP* the timeout is parsed
 * first; BLMOVE checks its directions before the timeout; BLMPOP/BZMPOP check numkeys,
 * direction and COUNT before the timeout.
 * Imports: commands, keyspace, protocol/reply, util.
 */
import { BlockRequest, type CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { ErrorReply, NULL_ARRAY, type Reply } from '../protocol/reply.js';
import { ListValue } from '../keyspace/list.js';
import { lmoveElement, numkeysGetKeys, parseListEnd, parseMpopArgs as parseListMpop, popElements, writeListEntry, type ListEnd } from './lists.js';
import { parseMpopArgs as parseZsetMpop, PopRewrite, zpopGeneric } from './zset/pop.js';
import { parseLongDouble } from '../util/long-double.js';

// ---------------------------------------------------------------- timeout

const TWO63 = 1n << 63n;
const TWO64 = 1n << 64n;

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Seconds to whole milliseconds the way Redis computes `(long long) ceill(t * 1000.0)`
 * on x86: the product rounded to a 64-bit significand (ties to even), then the ceiling,
 * and any result beyond the long long range turns into LLONG_MIN (so "inf" and 1e30
 * read as negative). -1 stands for "negative".
 */
function secondsToMs(s: string): number {
  // Fast path: plain integers are exact in any precision.
  if (s.length <= 9 && /^\d+$/.test(s)) return Number(s) * 1000;
  const v = parseLongDouble(s);
  if (v === null) throw E.TIMEOUT_NOT_FLOAT;
  if (typeof v === 'string') return -1;
  let q = v.m * 1000n;
  let e = v.e;
  const bl = bitLength(q);
  if (bl > 64) {
    const sh = bl - 64;
    const rest = q & ((1n << BigInt(sh)) - 1n);
    const half = 1n << BigInt(sh - 1);
    q >>= BigInt(sh);
    e += sh;
    if (rest > half || (rest === half && (q & 1n) === 1n)) q++;
    if (q === TWO64) {
      q = TWO63;
      e++;
    }
  }
  let whole: bigint;
  let frac = false;
  if (e >= 0) {
    whole = q << BigInt(e);
  } else {
    whole = q >> BigInt(-e);
    frac = (q & ((1n << BigInt(-e)) - 1n)) !== 0n;
  }
  if (v.neg) return whole === 0n ? 0 : -1;
  if (frac) whole++;
  if (whole >= TWO63) return -1;
  return Number(whole);
}

/** getTimeoutFromObjectOrReply in seconds: an absolute deadline in ms, 0 for forever. */
export function parseTimeout(s: string): number {
  const ms = secondsToMs(s);
  if (ms < 0) throw E.TIMEOUT_NEGATIVE;
  return ms === 0 ? 0 : Date.now() + ms;
}

/** The keys to wait on, without repeats (Redis registers a client once per key). */
function waitKeys(argv: readonly string[], from: number, to: number): string[] {
  if (to - from > 16) return [...new Set(argv.slice(from, to))];
  const out: string[] = [];
  for (let j = from; j < to; j++) if (!out.includes(argv[j]!)) out.push(argv[j]!);
  return out;
}

// ---------------------------------------------------------------- lists

/**
 * Pops from one key for a blocking list pop: [key, element] when count is -1, else
 * [key, [elements...]]; undefined when the key is missing or empty. Throws WRONGTYPE.
 */
function popList(ctx: CommandContext, key: string, end: ListEnd, count: number): Reply | undefined {
  const e = writeListEntry(ctx, key);
  if (e === undefined) return undefined;
  const size = (e.value as ListValue).size;
  if (size === 0) return undefined;
  const op = end === 'left' ? 'LPOP' : 'RPOP';
  if (count === -1) {
    const v = popElements(ctx, key, e, end, 1)[0]!;
    ctx.rewrite([op, key]);
    return [key, v];
  }
  const items = popElements(ctx, key, e, end, count);
  ctx.rewrite([op, key, String(count > size ? size : count)]);
  return [key, items];
}

/** The ready key holds a non-empty list. */
function readyList(ctx: CommandContext, key: string): boolean {
  const e = ctx.db.lookup(key);
  return e !== undefined && e.value instanceof ListValue && e.value.size > 0;
}

function blockingPop(ctx: CommandContext, argv: string[], end: ListEnd): Reply | BlockRequest {
  const last = argv.length - 1;
  const deadline = parseTimeout(argv[last]!);
  for (let j = 1; j < last; j++) {
    const r = popList(ctx, argv[j]!, end, -1);
    if (r !== undefined) return r;
  }
  if (ctx.inExec) return NULL_ARRAY;
  return new BlockRequest(waitKeys(argv, 1, last), deadline, end === 'left' ? retryBlpop : retryBrpop, NULL_ARRAY);
}

function retryBlpop(ctx: CommandContext, _argv: string[], key: string): Reply | undefined {
  return readyList(ctx, key) ? popList(ctx, key, 'left', -1) : undefined;
}

function retryBrpop(ctx: CommandContext, _argv: string[], key: string): Reply | undefined {
  return readyList(ctx, key) ? popList(ctx, key, 'right', -1) : undefined;
}

// BLPOP key [key ...] timeout
function blpop(ctx: CommandContext, argv: string[]): Reply | BlockRequest {
  return blockingPop(ctx, argv, 'left');
}

// BRPOP key [key ...] timeout
function brpop(ctx: CommandContext, argv: string[]): Reply | BlockRequest {
  return blockingPop(ctx, argv, 'right');
}

// BLMPOP timeout numkeys key [key ...] LEFT|RIGHT [COUNT count]
function blmpop(ctx: CommandContext, argv: string[]): Reply | BlockRequest {
  const a = parseListMpop(argv, 2);
  if (a instanceof ErrorReply) return a;
  const deadline = parseTimeout(argv[1]!);
  const stop = a.firstKey + a.numkeys;
  for (let j = a.firstKey; j < stop; j++) {
    const r = popList(ctx, argv[j]!, a.end, a.count);
    if (r !== undefined) return r;
  }
  if (ctx.inExec) return NULL_ARRAY;
  return new BlockRequest(waitKeys(argv, a.firstKey, stop), deadline, retryBlmpop, NULL_ARRAY);
}

function retryBlmpop(ctx: CommandContext, argv: string[], key: string): Reply | undefined {
  if (!readyList(ctx, key)) return undefined;
  const a = parseListMpop(argv, 2) as Exclude<ReturnType<typeof parseListMpop>, ErrorReply>;
  return popList(ctx, key, a.end, a.count);
}

/** Moves one element for BLMOVE/BRPOPLPUSH and records the non-blocking form. */
function moveOne(ctx: CommandContext, argv: string[], from: ListEnd, to: ListEnd, fromWord: string, toWord: string): Reply | undefined {
  const src = argv[1]!;
  const e = writeListEntry(ctx, src);
  if (e === undefined || (e.value as ListValue).size === 0) return undefined;
  const v = lmoveElement(ctx, src, e, argv[2]!, from, to);
  if (argv.length === 4) ctx.rewrite(['RPOPLPUSH', src, argv[2]!]);
  else ctx.rewrite(['LMOVE', src, argv[2]!, fromWord, toWord]);
  return v;
}

function blmoveGeneric(ctx: CommandContext, argv: string[], from: ListEnd, to: ListEnd, deadline: number, retry: BlockRequest['retry']): Reply | BlockRequest {
  const src = writeListEntry(ctx, argv[1]!);
  if (src === undefined) {
    if (ctx.inExec) return null;
    return new BlockRequest([argv[1]!], deadline, retry, NULL_ARRAY);
  }
  // An empty list can only come from a very old RDB file; Redis answers null.
  if (argv.length === 4) return moveOne(ctx, argv, from, to, '', '') ?? null;
  return moveOne(ctx, argv, from, to, argv[3]!, argv[4]!) ?? null;
}

// BLMOVE source destination LEFT|RIGHT LEFT|RIGHT timeout
function blmove(ctx: CommandContext, argv: string[]): Reply | BlockRequest {
  const from = parseListEnd(argv[3]!);
  if (from === null) return E.SYNTAX;
  const to = parseListEnd(argv[4]!);
  if (to === null) return E.SYNTAX;
  const deadline = parseTimeout(argv[5]!);
  return blmoveGeneric(ctx, argv, from, to, deadline, retryBlmove);
}

function retryBlmove(ctx: CommandContext, argv: string[]): Reply | undefined {
  if (!readyList(ctx, argv[1]!)) return undefined;
  const from = parseListEnd(argv[3]!)!;
  const to = parseListEnd(argv[4]!)!;
  // A served client propagates the directions in lower case, whatever the spelling.
  return moveOne(ctx, argv, from, to, from, to);
}

// BRPOPLPUSH source destination timeout
function brpoplpush(ctx: CommandContext, argv: string[]): Reply | BlockRequest {
  const deadline = parseTimeout(argv[3]!);
  return blmoveGeneric(ctx, argv, 'right', 'left', deadline, retryBrpoplpush);
}

function retryBrpoplpush(ctx: CommandContext, argv: string[]): Reply | undefined {
  if (!readyList(ctx, argv[1]!)) return undefined;
  return moveOne(ctx, argv, 'right', 'left', '', '');
}

// ---------------------------------------------------------------- sorted sets

/** The ready key holds a non-empty sorted set. */
function readyZset(ctx: CommandContext, key: string): boolean {
  const e = ctx.db.lookup(key);
  if (e === undefined) return false;
  const v = e.value;
  return typeof v !== 'string' && v.type === 'zset' && v.size > 0;
}

/** First key holding a non-empty zset (WRONGTYPE on the first non-zset), or undefined. */
function firstZset(ctx: CommandContext, argv: readonly string[], from: number, to: number): string | undefined {
  for (let j = from; j < to; j++) {
    const e = ctx.db.lookup(argv[j]!);
    if (e === undefined) continue;
    const v = e.value;
    if (typeof v === 'string' || v.type !== 'zset') throw E.WRONGTYPE;
    if (v.size > 0) return argv[j]!;
  }
  return undefined;
}

function bzpop(ctx: CommandContext, argv: string[], max: boolean): Reply | BlockRequest {
  const last = argv.length - 1;
  const deadline = parseTimeout(argv[last]!);
  const key = firstZset(ctx, argv, 1, last);
  if (key !== undefined) return zpopGeneric(ctx, [key], max, true, -1, false, false, PopRewrite.Single);
  if (ctx.inExec) return NULL_ARRAY;
  return new BlockRequest(waitKeys(argv, 1, last), deadline, max ? retryBzpopmax : retryBzpopmin, NULL_ARRAY);
}

function retryBzpopmin(ctx: CommandContext, _argv: string[], key: string): Reply | undefined {
  return readyZset(ctx, key) ? zpopGeneric(ctx, [key], false, true, -1, false, false, PopRewrite.Single) : undefined;
}

function retryBzpopmax(ctx: CommandContext, _argv: string[], key: string): Reply | undefined {
  return readyZset(ctx, key) ? zpopGeneric(ctx, [key], true, true, -1, false, false, PopRewrite.Single) : undefined;
}

// BZPOPMIN key [key ...] timeout
function bzpopmin(ctx: CommandContext, argv: string[]): Reply | BlockRequest {
  return bzpop(ctx, argv, false);
}

// BZPOPMAX key [key ...] timeout
function bzpopmax(ctx: CommandContext, argv: string[]): Reply | BlockRequest {
  return bzpop(ctx, argv, true);
}

// BZMPOP timeout numkeys key [key ...] MIN|MAX [COUNT count]
function bzmpop(ctx: CommandContext, argv: string[]): Reply | BlockRequest {
  const a = parseZsetMpop(argv, 2);
  const deadline = parseTimeout(argv[1]!);
  const stop = 3 + a.keys.length;
  const key = firstZset(ctx, argv, 3, stop);
  if (key !== undefined) return zpopGeneric(ctx, [key], a.max, true, a.count, true, true, PopRewrite.Count);
  if (ctx.inExec) return NULL_ARRAY;
  return new BlockRequest(waitKeys(argv, 3, stop), deadline, retryBzmpop, NULL_ARRAY);
}

function retryBzmpop(ctx: CommandContext, argv: string[], key: string): Reply | undefined {
  if (!readyZset(ctx, key)) return undefined;
  const a = parseZsetMpop(argv, 2);
  return zpopGeneric(ctx, [key], a.max, true, a.count, true, true, PopRewrite.Count);
}

// ---------------------------------------------------------------- table

const L = { acl: 'list', group: 'list' } as const;
const Z = { acl: 'sortedset', group: 'sorted-set' } as const;

export const blockingCommands: CommandDef[] = [
  { name: 'blpop', arity: -3, flags: 'write noscript blocking', ...L, keys: [1, -2, 1], since: '2.0.0', summary: 'Remove and get the first element in a list, or block until one is available', complexity: 'O(N) where N is the number of provided keys.', run: blpop },
  { name: 'brpop', arity: -3, flags: 'write noscript blocking', ...L, keys: [1, -2, 1], since: '2.0.0', summary: 'Remove and get the last element in a list, or block until one is available', complexity: 'O(N) where N is the number of provided keys.', run: brpop },
  { name: 'blmove', arity: 6, flags: 'write denyoom noscript blocking', ...L, keys: [1, 2, 1], since: '6.2.0', summary: 'Pop an element from a list, push it to another list and return it; or block until one is available', complexity: 'O(1)', run: blmove },
  { name: 'brpoplpush', arity: 4, flags: 'write denyoom noscript blocking', ...L, keys: [1, 2, 1], since: '2.2.0', summary: 'Pop an element from a list, push it to another list and return it; or block until one is available', complexity: 'O(1)', run: brpoplpush },
  { name: 'blmpop', arity: -5, flags: 'write blocking', ...L, getKeys: numkeysGetKeys(2), since: '7.0.0', summary: 'Pop elements from a list, or block until one is available', complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', run: blmpop },
  { name: 'bzpopmin', arity: -3, flags: 'write noscript blocking fast', ...Z, keys: [1, -2, 1], since: '5.0.0', summary: 'Remove and return the member with the lowest score from one or more sorted sets, or block until one is available', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', run: bzpopmin },
  { name: 'bzpopmax', arity: -3, flags: 'write noscript blocking fast', ...Z, keys: [1, -2, 1], since: '5.0.0', summary: 'Remove and return the member with the highest score from one or more sorted sets, or block until one is available', complexity: 'O(log(N)) with N being the number of elements in the sorted set.', run: bzpopmax },
  { name: 'bzmpop', arity: -5, flags: 'write blocking', ...Z, getKeys: numkeysGetKeys(2), since: '7.0.0', summary: 'Remove and return members with scores in a sorted set or block until one is available', complexity: 'O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.', run: bzmpop },
];
