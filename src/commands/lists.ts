/**
 * List commands: LPUSH RPUSH LPUSHX RPUSHX LPOP RPOP LLEN LRANGE LINDEX LSET LINSERT LREM
 * LTRIM LPOS LMOVE RPOPLPUSH LMPOP. The blocking forms (commands/blocking.ts) reuse the
 * exported building blocks: writeListEntry, parseListEnd, parseMpopArgs, popElements,
 * listElementsRemoved, lmoveElement, lmovePush, and numkeysGetKeys (also SINTERCARD's).
 *
 * Each handler follows Redis 7.0's order of checks (argument parsing before or after the
 * key lookup matters for which error wins), counts server.dirty the same way, and emits
 * the same keyspace events in the same order. A list emptied by a command is deleted
 * here with a "del" event. Pushes call signalReady so blocked pops can be served.
 * Imports: commands, keyspace, protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { lookupRead, lookupWrite } from './keys.js';
import { ErrorReply, NULL_ARRAY, OK, type Reply } from '../protocol/reply.js';
import type { Entry } from '../keyspace/database.js';
import { ListValue } from '../keyspace/list.js';
import { parseInteger } from '../util/numbers.js';

const LPOS_RANK_ZERO = new ErrorReply(
  "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list");
const LPOS_COUNT_NEGATIVE = new ErrorReply("ERR COUNT can't be negative");
const LPOS_MAXLEN_NEGATIVE = new ErrorReply("ERR MAXLEN can't be negative");

/** Which end of a list: Redis's LIST_HEAD ("left") / LIST_TAIL ("right"). */
export type ListEnd = 'left' | 'right';

/** lookupKeyRead (stats, keymiss event, LRU/LFU touch) plus the type check. Throws WRONGTYPE. */
function readList(ctx: CommandContext, key: string): ListValue | undefined {
  const e = lookupRead(ctx, key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof ListValue)) throw E.WRONGTYPE;
  return e.value;
}

/** lookupKeyWrite (expiry, LRU/LFU touch) plus the type check; undefined when missing. Throws WRONGTYPE. */
export function writeListEntry(ctx: CommandContext, key: string): Entry | undefined {
  const e = lookupWrite(ctx, key);
  if (e !== undefined && !(e.value instanceof ListValue)) throw E.WRONGTYPE;
  return e;
}

/** Parses LEFT / RIGHT (any case), or null. */
export function parseListEnd(s: string): ListEnd | null {
  const l = s.toLowerCase();
  return l === 'left' ? 'left' : l === 'right' ? 'right' : null;
}

/** getPositiveLongFromObjectOrReply with a custom message (used for non-integers too). */
function parseNonNegative(s: string): number | null {
  const n = parseInteger(s);
  return n === null || n < 0 ? null : n;
}

/** Clamps an inclusive Redis range to [start, end] within a list; null when empty. */
function clampRange(start: number, end: number, len: number): [number, number] | null {
  if (start < 0) start = len + start;
  if (end < 0) end = len + end;
  if (start < 0) start = 0;
  if (start > end || start >= len) return null;
  if (end >= len) end = len - 1;
  return [start, end];
}

// ---------------------------------------------------------------- push

function pushGeneric(ctx: CommandContext, argv: string[], end: ListEnd, onlyIfExists: boolean): Reply {
  const key = argv[1]!;
  const e = writeListEntry(ctx, key);
  let list: ListValue;
  if (e === undefined) {
    if (onlyIfExists) return 0;
    list = new ListValue(argv.length - 2);
    ctx.db.set(key, list);
  } else {
    ctx.db.touchForWrite(e);
    list = e.value as ListValue;
  }
  if (end === 'left') for (let j = 2; j < argv.length; j++) list.pushHead(argv[j]!);
  else for (let j = 2; j < argv.length; j++) list.pushTail(argv[j]!);
  ctx.dirty(argv.length - 2);
  ctx.notify('l', end === 'left' ? 'lpush' : 'rpush', key);
  ctx.signalReady(key);
  return list.size;
}

// LPUSH key element [element ...]
function lpush(ctx: CommandContext, argv: string[]): Reply {
  return pushGeneric(ctx, argv, 'left', false);
}

// RPUSH key element [element ...]
function rpush(ctx: CommandContext, argv: string[]): Reply {
  return pushGeneric(ctx, argv, 'right', false);
}

// LPUSHX key element [element ...]
function lpushx(ctx: CommandContext, argv: string[]): Reply {
  return pushGeneric(ctx, argv, 'left', true);
}

// RPUSHX key element [element ...]
function rpushx(ctx: CommandContext, argv: string[]): Reply {
  return pushGeneric(ctx, argv, 'right', true);
}

// ---------------------------------------------------------------- pop

/**
 * Redis's listElementsRemoved: the pop event, deletion of an emptied key with its "del"
 * event, and the dirty count. Call after removing `count` elements from `list` at `key`.
 */
export function listElementsRemoved(ctx: CommandContext, key: string, end: ListEnd, list: ListValue, count: number): void {
  ctx.notify('l', end === 'left' ? 'lpop' : 'rpop', key);
  if (list.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  ctx.dirty(count);
}

/**
 * Pops up to `count` elements from one end of a non-empty list, in pop order, with the
 * events and dirty accounting of a pop. The caller has checked the type.
 */
export function popElements(ctx: CommandContext, key: string, e: Entry, end: ListEnd, count: number): string[] {
  const list = e.value as ListValue;
  ctx.db.touchForWrite(e);
  const n = Math.min(count, list.size);
  const out = new Array<string>(n);
  if (end === 'left') for (let k = 0; k < n; k++) out[k] = list.popHead()!;
  else for (let k = 0; k < n; k++) out[k] = list.popTail()!;
  listElementsRemoved(ctx, key, end, list, n);
  return out;
}

function popGeneric(ctx: CommandContext, argv: string[], end: ListEnd): Reply {
  if (argv.length > 3) return E.wrongArity(argv[0]!.toLowerCase());
  const hasCount = argv.length === 3;
  let count = 0;
  if (hasCount) {
    const c = parseNonNegative(argv[2]!);
    if (c === null) return E.MUST_BE_POSITIVE;
    count = c;
  }
  const key = argv[1]!;
  const e = writeListEntry(ctx, key);
  if (e === undefined) return hasCount ? NULL_ARRAY : null;
  if (hasCount && count === 0) return [];
  if (!hasCount) return popElements(ctx, key, e, end, 1)[0]!;
  return popElements(ctx, key, e, end, count);
}

// LPOP key [count]
function lpop(ctx: CommandContext, argv: string[]): Reply {
  return popGeneric(ctx, argv, 'left');
}

// RPOP key [count]
function rpop(ctx: CommandContext, argv: string[]): Reply {
  return popGeneric(ctx, argv, 'right');
}

// LMPOP numkeys key [key ...] LEFT|RIGHT [COUNT count]
function lmpop(ctx: CommandContext, argv: string[]): Reply {
  const parsed = parseMpopArgs(argv, 1);
  if (parsed instanceof ErrorReply) return parsed;
  const { firstKey, numkeys, end, count } = parsed;
  for (let j = firstKey; j < firstKey + numkeys; j++) {
    const key = argv[j]!;
    const e = writeListEntry(ctx, key);
    if (e === undefined || (e.value as ListValue).size === 0) continue;
    const n = Math.min(count, (e.value as ListValue).size);
    const items = popElements(ctx, key, e, end, count);
    ctx.rewrite([end === 'left' ? 'LPOP' : 'RPOP', key, String(n)]);
    return [key, items];
  }
  return NULL_ARRAY;
}

export interface MpopArgs {
  firstKey: number;
  numkeys: number;
  end: ListEnd;
  count: number;
}

/** Parses `numkeys key... LEFT|RIGHT [COUNT n]` starting at argv[numkeysIdx] (LMPOP, BLMPOP). */
export function parseMpopArgs(argv: readonly string[], numkeysIdx: number): MpopArgs | ErrorReply {
  const nk = parseInteger(argv[numkeysIdx]!);
  if (nk === null || nk < 1) return E.NUMKEYS_POSITIVE;
  const whereIdx = numkeysIdx + nk + 1;
  if (whereIdx >= argv.length) return E.SYNTAX;
  const end = parseListEnd(argv[whereIdx]!);
  if (end === null) return E.SYNTAX;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && argv[j]!.toLowerCase() === 'count' && j + 1 < argv.length) {
      j++;
      const c = parseInteger(argv[j]!);
      if (c === null || c < 1) return E.COUNT_POSITIVE;
      count = c;
    } else {
      return E.SYNTAX;
    }
  }
  return { firstKey: numkeysIdx + 1, numkeys: nk, end, count: count === -1 ? 1 : count };
}

/** C's atoi on a numkeys argument, as the key extraction of numkeys commands reads it. */
function atoi(s: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(s);
  return m ? Number(m[1]) : 0;
}

/** Key positions for `cmd numkeys key...` shapes (genericGetKeys without a store key). */
export function numkeysGetKeys(numkeysIdx: number) {
  return (argv: readonly string[]): number[] => {
    const num = atoi(argv[numkeysIdx] ?? '');
    const first = numkeysIdx + 1;
    if (num < 1 || num > argv.length - first) return [];
    const out = new Array<number>(num);
    for (let i = 0; i < num; i++) out[i] = first + i;
    return out;
  };
}

// ---------------------------------------------------------------- read

// LLEN key
function llen(ctx: CommandContext, argv: string[]): Reply {
  const l = readList(ctx, argv[1]!);
  return l === undefined ? 0 : l.size;
}

// LRANGE key start stop
function lrange(ctx: CommandContext, argv: string[]): Reply {
  const start = parseInteger(argv[2]!);
  const stop = parseInteger(argv[3]!);
  if (start === null || stop === null) return E.NOT_INTEGER;
  const l = readList(ctx, argv[1]!);
  if (l === undefined) return [];
  const r = clampRange(start, stop, l.size);
  return r === null ? [] : l.range(r[0], r[1]);
}

// LINDEX key index
function lindex(ctx: CommandContext, argv: string[]): Reply {
  const l = readList(ctx, argv[1]!);
  if (l === undefined) return null;
  const index = parseInteger(argv[2]!);
  if (index === null) return E.NOT_INTEGER;
  return l.at(index) ?? null;
}

// LPOS key element [RANK rank] [COUNT num-matches] [MAXLEN len]
function lpos(ctx: CommandContext, argv: string[]): Reply {
  const ele = argv[2]!;
  let rank = 1;
  let count = -1; // -1: COUNT not given
  let maxlen = 0;
  for (let j = 3; j < argv.length; j++) {
    const opt = argv[j]!.toLowerCase();
    const more = j + 1 < argv.length;
    if (opt === 'rank' && more) {
      const r = parseInteger(argv[++j]!);
      if (r === null) return E.NOT_INTEGER;
      if (r === 0) return LPOS_RANK_ZERO;
      rank = r;
    } else if (opt === 'count' && more) {
      const c = parseNonNegative(argv[++j]!);
      if (c === null) return LPOS_COUNT_NEGATIVE;
      count = c;
    } else if (opt === 'maxlen' && more) {
      const m = parseNonNegative(argv[++j]!);
      if (m === null) return LPOS_MAXLEN_NEGATIVE;
      maxlen = m;
    } else {
      return E.SYNTAX;
    }
  }
  const fromTail = rank < 0;
  // Redis negates a C long: -LLONG_MIN wraps to itself, so every match qualifies and the
  // COUNT check (which then overflows negative) never stops the scan.
  const wrapped = rank === -9223372036854775808;
  if (fromTail && !wrapped) rank = -rank;
  const l = readList(ctx, argv[1]!);
  if (l === undefined) return count !== -1 ? [] : null;
  const len = l.size;
  const limit = maxlen === 0 ? len : Math.min(maxlen, len);
  const out: number[] = [];
  let matches = 0;
  for (let k = 0; k < limit; k++) {
    const idx = fromTail ? len - 1 - k : k;
    if (l.at(idx) !== ele) continue;
    matches++;
    if (matches < rank) continue;
    if (count === -1) return idx;
    out.push(idx);
    if (count !== 0 && !wrapped && matches - rank + 1 >= count) break;
  }
  return count === -1 ? null : out;
}

// ---------------------------------------------------------------- write in place

// LSET key index element
function lset(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const e = writeListEntry(ctx, key);
  if (e === undefined) return E.NO_SUCH_KEY;
  const index = parseInteger(argv[2]!);
  if (index === null) return E.NOT_INTEGER;
  const l = e.value as ListValue;
  const i = index < 0 ? l.size + index : index;
  if (i < 0 || i >= l.size) return E.OUT_OF_RANGE;
  ctx.db.touchForWrite(e);
  l.set(i, argv[3]!);
  ctx.notify('l', 'lset', key);
  ctx.dirty(1);
  return OK;
}

// LINSERT key BEFORE|AFTER pivot element
function linsert(ctx: CommandContext, argv: string[]): Reply {
  const where = argv[2]!.toLowerCase();
  if (where !== 'before' && where !== 'after') return E.SYNTAX;
  const key = argv[1]!;
  const e = writeListEntry(ctx, key);
  if (e === undefined) return 0;
  const l = e.value as ListValue;
  const pos = l.indexOf(argv[3]!);
  if (pos < 0) return -1;
  ctx.db.touchForWrite(e);
  l.insert(where === 'after' ? pos + 1 : pos, argv[4]!);
  ctx.notify('l', 'linsert', key);
  ctx.dirty(1);
  ctx.signalReady(key);
  return l.size;
}

// LREM key count element
function lrem(ctx: CommandContext, argv: string[]): Reply {
  const count = parseInteger(argv[2]!);
  if (count === null) return E.NOT_INTEGER;
  const key = argv[1]!;
  const e = writeListEntry(ctx, key);
  if (e === undefined) return 0;
  const l = e.value as ListValue;
  ctx.db.touchForWrite(e);
  const removed = l.removeMatching(argv[3]!, count);
  if (removed > 0) {
    ctx.dirty(removed);
    ctx.notify('l', 'lrem', key);
  }
  if (l.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  return removed;
}

// LTRIM key start stop
function ltrim(ctx: CommandContext, argv: string[]): Reply {
  const start = parseInteger(argv[2]!);
  const stop = parseInteger(argv[3]!);
  if (start === null || stop === null) return E.NOT_INTEGER;
  const key = argv[1]!;
  const e = writeListEntry(ctx, key);
  if (e === undefined) return OK;
  const l = e.value as ListValue;
  const len = l.size;
  const r = clampRange(start, stop, len);
  const fromHead = r === null ? len : r[0];
  const fromTail = r === null ? 0 : len - r[1] - 1;
  ctx.db.touchForWrite(e);
  l.trim(fromHead, fromTail);
  ctx.notify('l', 'ltrim', key);
  if (l.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  // Redis signals the key even when nothing was trimmed (dirty stays 0 then).
  ctx.signalModified(key);
  if (fromHead + fromTail > 0) ctx.dirty(fromHead + fromTail);
  return OK;
}

// ---------------------------------------------------------------- move

/**
 * Redis's lmoveHandlePush: pushes `value` on dst (created when absent), with the push
 * event. `dstEntry` is the destination's current entry (type already checked).
 */
export function lmovePush(ctx: CommandContext, dstKey: string, dstEntry: Entry | undefined, value: string, to: ListEnd): void {
  let dst: ListValue;
  if (dstEntry === undefined) {
    dst = new ListValue();
    ctx.db.set(dstKey, dst);
  } else {
    ctx.db.touchForWrite(dstEntry);
    dst = dstEntry.value as ListValue;
  }
  if (to === 'left') dst.pushHead(value);
  else dst.pushTail(value);
  ctx.notify('l', to === 'left' ? 'lpush' : 'rpush', dstKey);
  ctx.signalReady(dstKey);
}

/**
 * The body of LMOVE / RPOPLPUSH once the source is known to be a non-empty list: checks
 * the destination's type, moves one element and returns it (or the WRONGTYPE error).
 */
export function lmoveElement(ctx: CommandContext, srcKey: string, src: Entry, dstKey: string, from: ListEnd, to: ListEnd): Reply {
  const dstEntry = writeListEntry(ctx, dstKey);
  const list = src.value as ListValue;
  ctx.db.touchForWrite(src);
  const value = (from === 'left' ? list.popHead() : list.popTail())!;
  lmovePush(ctx, dstKey, dstEntry, value, to);
  ctx.notify('l', from === 'left' ? 'lpop' : 'rpop', srcKey);
  if (list.size === 0) {
    ctx.db.delete(srcKey);
    ctx.notify('g', 'del', srcKey);
  }
  ctx.dirty(1);
  return value;
}

function lmoveGeneric(ctx: CommandContext, argv: string[], from: ListEnd, to: ListEnd): Reply {
  const src = writeListEntry(ctx, argv[1]!);
  if (src === undefined || (src.value as ListValue).size === 0) return null;
  return lmoveElement(ctx, argv[1]!, src, argv[2]!, from, to);
}

// LMOVE source destination LEFT|RIGHT LEFT|RIGHT
function lmove(ctx: CommandContext, argv: string[]): Reply {
  const from = parseListEnd(argv[3]!);
  if (from === null) return E.SYNTAX;
  const to = parseListEnd(argv[4]!);
  if (to === null) return E.SYNTAX;
  return lmoveGeneric(ctx, argv, from, to);
}

// RPOPLPUSH source destination
function rpoplpush(ctx: CommandContext, argv: string[]): Reply {
  return lmoveGeneric(ctx, argv, 'right', 'left');
}

// ---------------------------------------------------------------- table

const G = { acl: 'list', group: 'list' } as const;

export const listCommands: CommandDef[] = [
  { name: 'lpush', arity: -3, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Prepend one or multiple elements to a list', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', run: lpush },
  { name: 'rpush', arity: -3, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Append one or multiple elements to a list', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', run: rpush },
  { name: 'lpushx', arity: -3, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '2.2.0', summary: 'Prepend an element to a list, only if the list exists', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', run: lpushx },
  { name: 'rpushx', arity: -3, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '2.2.0', summary: 'Append an element to a list, only if the list exists', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', run: rpushx },
  { name: 'lpop', arity: -2, flags: 'write fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Remove and get the first elements in a list', complexity: 'O(N) where N is the number of elements returned', run: lpop },
  { name: 'rpop', arity: -2, flags: 'write fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Remove and get the last elements in a list', complexity: 'O(N) where N is the number of elements returned', run: rpop },
  { name: 'llen', arity: 2, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Get the length of a list', complexity: 'O(1)', run: llen },
  { name: 'lrange', arity: 4, flags: 'readonly', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Get a range of elements from a list', complexity: 'O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.', run: lrange },
  { name: 'lindex', arity: 3, flags: 'readonly', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Get an element from a list by its index', complexity: 'O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).', run: lindex },
  { name: 'lset', arity: 4, flags: 'write denyoom', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Set the value of an element in a list by its index', complexity: 'O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).', run: lset },
  { name: 'linsert', arity: 5, flags: 'write denyoom', ...G, keys: [1, 1, 1], since: '2.2.0', summary: 'Insert an element before or after another element in a list', complexity: 'O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).', run: linsert },
  { name: 'lrem', arity: 4, flags: 'write', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Remove elements from a list', complexity: 'O(N+M) where N is the length of the list and M is the number of elements removed.', run: lrem },
  { name: 'ltrim', arity: 4, flags: 'write', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Trim a list to the specified range', complexity: 'O(N) where N is the number of elements to be removed by the operation.', run: ltrim },
  { name: 'lpos', arity: -3, flags: 'readonly', ...G, keys: [1, 1, 1], since: '6.0.6', summary: 'Return the index of matching elements on a list', complexity: 'O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.', run: lpos },
  { name: 'lmove', arity: 5, flags: 'write denyoom', ...G, keys: [1, 2, 1], since: '6.2.0', summary: 'Pop an element from a list, push it to another list and return it', complexity: 'O(1)', run: lmove },
  { name: 'rpoplpush', arity: 3, flags: 'write denyoom', ...G, keys: [1, 2, 1], since: '1.2.0', summary: 'Remove the last element in a list, prepend it to another list and return it', complexity: 'O(1)', run: rpoplpush },
  { name: 'lmpop', arity: -4, flags: 'write', ...G, getKeys: numkeysGetKeys(1), since: '7.0.0', summary: 'Pop elements from a list', complexity: 'O(N+M) where N is the number of provided keys and M is the number of elements returned.', run: lmpop },
];
