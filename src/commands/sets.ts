/**
 * Set commands: SADD SREM SCARD SISMEMBER SMISMEMBER SMEMBERS SPOP SRANDMEMBER SMOVE
 * SINTER SINTERCARD SUNION SDIFF SINTERSTORE SUNIONSTORE SDIFFSTORE SSCAN.
 *
 * Results of the set algebra are built as Redis builds them (an empty intset that
 * converts as members arrive), so both their reply order (ascending for all-integer
 * results) and the encoding of a stored result match. SPOP with a count is propagated
 * as DEL (whole set) or one SREM per popped member, never as SPOP.
 * Imports: commands, keyspace, protocol/reply, util.
 */
import type { CommandContext } from './context.js';
import type { CommandDef } from './spec.js';
import * as E from './errors.js';
import { lookupRead, lookupWrite, randomReplyCap } from './keys.js';
import { ErrorReply, SetReply, type Reply } from '../protocol/reply.js';
import type { Entry } from '../keyspace/database.js';
import { SetValue } from '../keyspace/set.js';
import { parseBigInt, parseInteger } from '../util/numbers.js';
import { filterScanResults, INVALID_CURSOR, parseScanArgs, parseScanCursor } from './scan-args.js';
import { numkeysGetKeys } from './lists.js';

const LIMIT_NEGATIVE = new ErrorReply("ERR LIMIT can't be negative");
const LONG_MAX = 2n ** 63n - 1n;

/** lookupKeyRead (stats, keymiss event, LRU/LFU touch) plus the type check. Throws WRONGTYPE. */
function readSet(ctx: CommandContext, key: string): SetValue | undefined {
  const e = lookupRead(ctx, key);
  if (e === undefined) return undefined;
  if (!(e.value instanceof SetValue)) throw E.WRONGTYPE;
  return e.value;
}

/** lookupKeyWrite (expiry, LRU/LFU touch) plus the type check; undefined when missing. Throws WRONGTYPE. */
function writeSetEntry(ctx: CommandContext, key: string): Entry | undefined {
  const e = lookupWrite(ctx, key);
  if (e !== undefined && !(e.value instanceof SetValue)) throw E.WRONGTYPE;
  return e;
}

function maxIntset(ctx: CommandContext): number {
  return ctx.server.config.num('set-max-intset-entries');
}

// ---------------------------------------------------------------- single-key writes

// SADD key member [member ...]
function sadd(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const e = writeSetEntry(ctx, key);
  let s: SetValue;
  if (e === undefined) {
    s = SetValue.forMember(argv[2]!);
    ctx.db.set(key, s);
  } else {
    ctx.db.touchForWrite(e);
    s = e.value as SetValue;
  }
  const max = maxIntset(ctx);
  let added = 0;
  for (let j = 2; j < argv.length; j++) if (s.add(argv[j]!, max)) added++;
  if (added > 0) {
    ctx.notify('s', 'sadd', key);
    ctx.dirty(added);
  }
  return added;
}

// SREM key member [member ...]
function srem(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const e = writeSetEntry(ctx, key);
  if (e === undefined) return 0;
  const s = e.value as SetValue;
  ctx.db.touchForWrite(e);
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (!s.remove(argv[j]!)) continue;
    deleted++;
    if (s.size === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    ctx.notify('s', 'srem', key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.dirty(deleted);
  }
  return deleted;
}

// SMOVE source destination member
function smove(ctx: CommandContext, argv: string[]): Reply {
  const srcKey = argv[1]!;
  const dstKey = argv[2]!;
  const member = argv[3]!;
  const src = lookupWrite(ctx, srcKey);
  const dst = lookupWrite(ctx, dstKey);
  if (src === undefined) return 0;
  if (!(src.value instanceof SetValue)) return E.WRONGTYPE;
  if (dst !== undefined && !(dst.value instanceof SetValue)) return E.WRONGTYPE;
  const srcSet = src.value;
  if (src === dst) return srcSet.has(member) ? 1 : 0;
  if (!srcSet.has(member)) return 0;
  ctx.db.touchForWrite(src);
  srcSet.remove(member);
  ctx.notify('s', 'srem', srcKey);
  if (srcSet.size === 0) {
    ctx.db.delete(srcKey);
    ctx.notify('g', 'del', srcKey);
  }
  let dstSet: SetValue;
  if (dst === undefined) {
    dstSet = SetValue.forMember(member);
    ctx.db.set(dstKey, dstSet);
  } else {
    dstSet = dst.value as SetValue;
    // Redis signals the destination only when the member was really added.
    if (!dstSet.has(member)) ctx.db.touchForWrite(dst);
  }
  ctx.dirty(1);
  if (dstSet.add(member, maxIntset(ctx))) {
    ctx.dirty(1);
    ctx.notify('s', 'sadd', dstKey);
  }
  return 1;
}

// SPOP key [count]
function spop(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length === 3) return spopWithCount(ctx, argv);
  if (argv.length > 3) return E.SYNTAX;
  const key = argv[1]!;
  const e = writeSetEntry(ctx, key);
  if (e === undefined) return null;
  const s = e.value as SetValue;
  ctx.db.touchForWrite(e);
  const m = s.random()!;
  s.remove(m);
  ctx.notify('s', 'spop', key);
  ctx.rewrite(['SREM', key, m]);
  if (s.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  ctx.dirty(1);
  return m;
}

function spopWithCount(ctx: CommandContext, argv: string[]): Reply {
  const count = parseInteger(argv[2]!);
  if (count === null || count < 0) return E.MUST_BE_POSITIVE;
  const key = argv[1]!;
  const e = writeSetEntry(ctx, key);
  if (e === undefined || count === 0) return new SetReply([]);
  const s = e.value as SetValue;
  const size = s.size;
  ctx.notify('s', 'spop', key);
  ctx.dirty(Math.min(count, size));
  const max = maxIntset(ctx);

  // Everything goes: reply like SUNION of the key, propagate as DEL.
  if (count >= size) {
    const all = new SetValue();
    s.forEach((m) => { all.add(m, max); });
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
    ctx.rewrite(['DEL', key]);
    return new SetReply(all.members());
  }

  ctx.db.touchForWrite(e);
  ctx.preventPropagation();
  let remaining = size - count;
  const out: string[] = [];
  if (remaining * 5 > count) {
    // Few to pop: pop them one by one.
    for (let k = 0; k < count; k++) {
      const m = s.random()!;
      s.remove(m);
      out.push(m);
      ctx.propagate(['SREM', key, m]);
    }
  } else {
    // Most of the set goes: move the survivors into a new set and return the rest.
    let kept: SetValue | null = null;
    while (remaining-- > 0) {
      const m = s.random()!;
      kept ??= SetValue.forMember(m);
      kept.add(m, max);
      s.remove(m);
    }
    s.forEach((m) => {
      out.push(m);
      ctx.propagate(['SREM', key, m]);
    });
    ctx.db.set(key, kept!, true);
  }
  return new SetReply(out);
}

// ---------------------------------------------------------------- single-key reads

// SCARD key
function scard(ctx: CommandContext, argv: string[]): Reply {
  const s = readSet(ctx, argv[1]!);
  return s === undefined ? 0 : s.size;
}

// SISMEMBER key member
function sismember(ctx: CommandContext, argv: string[]): Reply {
  const s = readSet(ctx, argv[1]!);
  return s !== undefined && s.has(argv[2]!) ? 1 : 0;
}

// SMISMEMBER key member [member ...]
function smismember(ctx: CommandContext, argv: string[]): Reply {
  const s = readSet(ctx, argv[1]!);
  const out = new Array<Reply>(argv.length - 2);
  for (let j = 2; j < argv.length; j++) out[j - 2] = s !== undefined && s.has(argv[j]!) ? 1 : 0;
  return out;
}

// SMEMBERS key
function smembers(ctx: CommandContext, argv: string[]): Reply {
  const s = readSet(ctx, argv[1]!);
  return new SetReply(s === undefined ? [] : s.members());
}

// SRANDMEMBER key [count]
function srandmember(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length > 3) return E.SYNTAX;
  if (argv.length === 2) {
    const s = readSet(ctx, argv[1]!);
    return s === undefined ? null : s.random()!;
  }
  const big = parseBigInt(argv[2]!);
  if (big === null) return E.NOT_INTEGER;
  if (big < -LONG_MAX) return E.RANDOM_COUNT_RANGE;
  const s = readSet(ctx, argv[1]!);
  if (s === undefined) return [];
  const l = Number(big);
  // Past the output limit the client is closed anyway: build no more than that.
  const count = l >= 0 ? l : Math.min(-l, randomReplyCap(ctx));
  if (count === 0) return [];
  const size = s.size;
  // Repeats allowed (or a single pick): independent uniform picks.
  if (l < 0 || count === 1) {
    if (count > E.MAX_RANDOM_REPLY) return E.RANDOM_COUNT_TOO_LARGE;
    const out = new Array<string>(count);
    for (let k = 0; k < count; k++) out[k] = s.random()!;
    return out;
  }
  if (count >= size) return s.members();
  if (count * 3 > size) {
    // Close to the whole set: shuffle-select from all members.
    const all = s.members();
    for (let i = 0; i < count; i++) {
      const j = i + Math.floor(Math.random() * (size - i));
      const t = all[i]!;
      all[i] = all[j]!;
      all[j] = t;
    }
    all.length = count;
    return all;
  }
  const picked = new Set<string>();
  while (picked.size < count) picked.add(s.random()!);
  return [...picked];
}

// SSCAN key cursor [MATCH pattern] [COUNT count]
function sscan(ctx: CommandContext, argv: string[]): Reply {
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) return INVALID_CURSOR;
  const s = readSet(ctx, argv[1]!);
  if (s === undefined) return ['0', []];
  const opts = parseScanArgs(argv, 3, false);
  if (opts instanceof ErrorReply) return opts;
  const items: string[] = [];
  const next = s.scan(cursor, opts.count, items);
  return [String(next), filterScanResults(items, opts.pattern, 1)];
}

// ---------------------------------------------------------------- algebra

/** Reads the source sets (null for a missing key); throws WRONGTYPE. */
function readSets(ctx: CommandContext, keys: readonly string[], from: number, to: number): Array<SetValue | null> {
  const out = new Array<SetValue | null>(to - from);
  for (let j = from; j < to; j++) out[j - from] = readSet(ctx, keys[j]!) ?? null;
  return out;
}

/** Stores a *STORE result, or deletes dst when it is empty; returns the reply. */
function storeResult(ctx: CommandContext, dstKey: string, result: SetValue, event: string): Reply {
  if (result.size > 0) {
    ctx.db.set(dstKey, result);
    ctx.notify('s', event, dstKey);
    ctx.dirty(1);
    return result.size;
  }
  if (ctx.db.delete(dstKey)) {
    ctx.dirty(1);
    ctx.notify('g', 'del', dstKey);
  }
  return 0;
}

/**
 * SINTER / SMEMBERS-like / SINTERSTORE / SINTERCARD. `limit` 0 means no limit; `cardOnly`
 * answers the count.
 */
function sinterGeneric(
  ctx: CommandContext, argv: string[], from: number, to: number,
  dstKey: string | null, cardOnly: boolean, limit: number,
): Reply {
  const sets = readSets(ctx, argv, from, to);
  if (sets.includes(null)) {
    if (dstKey !== null) return storeResult(ctx, dstKey, new SetValue(), 'sinterstore');
    return cardOnly ? 0 : new SetReply([]);
  }
  const ordered = (sets as SetValue[]).slice().sort((a, b) => a.size - b.size);
  const first = ordered[0]!;
  const max = maxIntset(ctx);
  const dst = dstKey !== null ? new SetValue() : null;
  const out: string[] = [];
  let card = 0;
  for (const m of first) {
    let inAll = true;
    for (let j = 1; j < ordered.length; j++) {
      const o = ordered[j]!;
      if (o !== first && !o.has(m)) {
        inAll = false;
        break;
      }
    }
    if (!inAll) continue;
    if (cardOnly) {
      card++;
      if (limit > 0 && card >= limit) break;
    } else if (dst !== null) {
      dst.add(m, max);
    } else {
      out.push(m);
    }
  }
  if (cardOnly) return card;
  if (dst !== null) return storeResult(ctx, dstKey!, dst, 'sinterstore');
  return new SetReply(out);
}

/** SUNION / SDIFF and their STORE forms. */
function sunionDiffGeneric(ctx: CommandContext, argv: string[], from: number, to: number, dstKey: string | null, op: 'union' | 'diff'): Reply {
  const sets = readSets(ctx, argv, from, to);
  const max = maxIntset(ctx);
  const result = new SetValue();
  const head = sets[0] ?? null;
  if (op === 'union') {
    for (const s of sets) if (s !== null) s.forEach((m) => { result.add(m, max); });
  } else if (head !== null && !sets.some((s, j) => j > 0 && s === head)) {
    const others = sets.slice(1).filter((s): s is SetValue => s !== null);
    // Redis picks between two algorithms by estimated work. The choice is visible: the
    // second one adds the whole first set before subtracting, which can convert the
    // result to a hashtable for good (SDIFFSTORE's stored encoding).
    let total = head.size;
    for (const o of others) total += o.size;
    const algoOne = Math.floor((head.size * (others.length + 1)) / 2) <= total;
    if (algoOne) {
      // Subtract the biggest sets first: a member present anywhere is found sooner.
      others.sort((a, b) => b.size - a.size);
      head.forEach((m) => {
        for (const o of others) if (o.has(m)) return;
        result.add(m, max);
      });
    } else {
      head.forEach((m) => { result.add(m, max); });
      for (const o of others) {
        if (result.size === 0) break;
        o.forEach((m) => { result.remove(m); });
      }
    }
  }
  if (dstKey !== null) return storeResult(ctx, dstKey, result, op === 'union' ? 'sunionstore' : 'sdiffstore');
  return new SetReply(result.members());
}

// SINTER key [key ...]
function sinter(ctx: CommandContext, argv: string[]): Reply {
  return sinterGeneric(ctx, argv, 1, argv.length, null, false, 0);
}

// SINTERSTORE destination key [key ...]
function sinterstore(ctx: CommandContext, argv: string[]): Reply {
  return sinterGeneric(ctx, argv, 2, argv.length, argv[1]!, false, 0);
}

// SINTERCARD numkeys key [key ...] [LIMIT limit]
function sintercard(ctx: CommandContext, argv: string[]): Reply {
  const numkeys = parseInteger(argv[1]!);
  if (numkeys === null || numkeys < 1) return E.NUMKEYS_POSITIVE;
  if (numkeys > argv.length - 2) return E.NUMKEYS_TOO_MANY;
  let limit = 0;
  for (let j = 2 + numkeys; j < argv.length; j++) {
    if (argv[j]!.toLowerCase() === 'limit' && j + 1 < argv.length) {
      const l = parseInteger(argv[++j]!);
      if (l === null || l < 0) return LIMIT_NEGATIVE;
      limit = l;
    } else {
      return E.SYNTAX;
    }
  }
  return sinterGeneric(ctx, argv, 2, 2 + numkeys, null, true, limit);
}

// SUNION key [key ...]
function sunion(ctx: CommandContext, argv: string[]): Reply {
  return sunionDiffGeneric(ctx, argv, 1, argv.length, null, 'union');
}

// SUNIONSTORE destination key [key ...]
function sunionstore(ctx: CommandContext, argv: string[]): Reply {
  return sunionDiffGeneric(ctx, argv, 2, argv.length, argv[1]!, 'union');
}

// SDIFF key [key ...]
function sdiff(ctx: CommandContext, argv: string[]): Reply {
  return sunionDiffGeneric(ctx, argv, 1, argv.length, null, 'diff');
}

// SDIFFSTORE destination key [key ...]
function sdiffstore(ctx: CommandContext, argv: string[]): Reply {
  return sunionDiffGeneric(ctx, argv, 2, argv.length, argv[1]!, 'diff');
}

// ---------------------------------------------------------------- table

const G = { acl: 'set', group: 'set' } as const;

export const setCommands: CommandDef[] = [
  { name: 'sadd', arity: -3, flags: 'write denyoom fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Add one or more members to a set', complexity: 'O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.', run: sadd },
  { name: 'srem', arity: -3, flags: 'write fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Remove one or more members from a set', complexity: 'O(N) where N is the number of members to be removed.', run: srem },
  { name: 'scard', arity: 2, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Get the number of members in a set', complexity: 'O(1)', run: scard },
  { name: 'sismember', arity: 3, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Determine if a given value is a member of a set', complexity: 'O(1)', run: sismember },
  { name: 'smismember', arity: -3, flags: 'readonly fast', ...G, keys: [1, 1, 1], since: '6.2.0', summary: 'Returns the membership associated with the given elements for a set', complexity: 'O(N) where N is the number of elements being checked for membership', run: smismember },
  { name: 'smembers', arity: 2, flags: 'readonly', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Get all the members in a set', complexity: 'O(N) where N is the set cardinality.', run: smembers },
  { name: 'spop', arity: -2, flags: 'write fast', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Remove and return one or multiple random members from a set', complexity: 'Without the count argument O(1), otherwise O(N) where N is the value of the passed count.', run: spop },
  { name: 'srandmember', arity: -2, flags: 'readonly', ...G, keys: [1, 1, 1], since: '1.0.0', summary: 'Get one or multiple random members from a set', complexity: 'Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.', run: srandmember },
  { name: 'smove', arity: 4, flags: 'write fast', ...G, keys: [1, 2, 1], since: '1.0.0', summary: 'Move a member from one set to another', complexity: 'O(1)', run: smove },
  { name: 'sinter', arity: -2, flags: 'readonly', ...G, keys: [1, -1, 1], since: '1.0.0', summary: 'Intersect multiple sets', complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.', run: sinter },
  { name: 'sintercard', arity: -3, flags: 'readonly', ...G, getKeys: numkeysGetKeys(1), since: '7.0.0', summary: 'Intersect multiple sets and return the cardinality of the result', complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.', run: sintercard },
  { name: 'sunion', arity: -2, flags: 'readonly', ...G, keys: [1, -1, 1], since: '1.0.0', summary: 'Add multiple sets', complexity: 'O(N) where N is the total number of elements in all given sets.', run: sunion },
  { name: 'sdiff', arity: -2, flags: 'readonly', ...G, keys: [1, -1, 1], since: '1.0.0', summary: 'Subtract multiple sets', complexity: 'O(N) where N is the total number of elements in all given sets.', run: sdiff },
  { name: 'sinterstore', arity: -3, flags: 'write denyoom', ...G, keys: [1, -1, 1], since: '1.0.0', summary: 'Intersect multiple sets and store the resulting set in a key', complexity: 'O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.', run: sinterstore },
  { name: 'sunionstore', arity: -3, flags: 'write denyoom', ...G, keys: [1, -1, 1], since: '1.0.0', summary: 'Add multiple sets and store the resulting set in a key', complexity: 'O(N) where N is the total number of elements in all given sets.', run: sunionstore },
  { name: 'sdiffstore', arity: -3, flags: 'write denyoom', ...G, keys: [1, -1, 1], since: '1.0.0', summary: 'Subtract multiple sets and store the resulting set in a key', complexity: 'O(N) where N is the total number of elements in all given sets.', run: sdiffstore },
  { name: 'sscan', arity: -3, flags: 'readonly', ...G, keys: [1, 1, 1], since: '2.8.0', summary: 'Incrementally iterate Set elements', complexity: 'O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..', run: sscan },
];
