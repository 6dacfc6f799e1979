/**
 * Member-level sorted-set commands: ZADD ZINCRBY ZREM ZCARD ZSCORE ZMSCORE ZRANK
 * ZREVRANK ZSCAN ZRANDMEMBER.
 *
 * ZADD keeps Redis's all-or-nothing argument check (every score is parsed before the
 * key is touched) and its reply rules: the added count (plus updated with CH), or with
 * INCR the new score, or a null when NX/XX/GT/LT made the increment a no-op.
 * Imports: commands, keyspace, protocol/reply, util.
 */
import type { CommandContext } from '../context.js';
import { ZSet, type SkipNode, ZADD_GT, ZADD_INCR, ZADD_LT, ZADD_NX, ZADD_XX,
  ZADD_OUT_ADDED, ZADD_OUT_NAN, ZADD_OUT_NOP, ZADD_OUT_UPDATED } from '../../keyspace/zset.js';
import { DoubleReply, ErrorReply, type Reply } from '../../protocol/reply.js';
import { formatG17, parseBigInt } from '../../util/numbers.js';
import * as E from '../errors.js';
import { INVALID_CURSOR, filterScanResults, parseScanArgs, parseScanCursor } from '../scan-args.js';
import { randomReplyCap } from '../keys.js';
import { isWord, pushMember, readZset, scoreArg, writeZsetEntry, zsetLimits } from './args.js';

const XX_AND_NX = new ErrorReply('ERR XX and NX options at the same time are not compatible');
const GT_LT_NX = new ErrorReply('ERR GT, LT, and/or NX options at the same time are not compatible');
const INCR_SINGLE = new ErrorReply('ERR INCR option supports a single increment-element pair');
const SCORE_NAN = new ErrorReply('ERR resulting score is not a number (NaN)');
const VALUE_OUT_OF_RANGE = new ErrorReply('ERR value is out of range');
const COUNT_RANGE = new ErrorReply('ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807');

const LONG_MAX = 2n ** 63n - 1n;

function zaddGeneric(ctx: CommandContext, argv: string[], flags: number): Reply {
  const key = argv[1]!;
  let ch = false;
  let i = 2;
  for (; i < argv.length; i++) {
    const o = argv[i]!;
    if (isWord(o, 'nx')) flags |= ZADD_NX;
    else if (isWord(o, 'xx')) flags |= ZADD_XX;
    else if (isWord(o, 'ch')) ch = true;
    else if (isWord(o, 'incr')) flags |= ZADD_INCR;
    else if (isWord(o, 'gt')) flags |= ZADD_GT;
    else if (isWord(o, 'lt')) flags |= ZADD_LT;
    else break;
  }
  const elements = argv.length - i;
  if (elements === 0 || elements % 2 !== 0) return E.SYNTAX;
  const n = elements / 2;
  const incr = (flags & ZADD_INCR) !== 0;
  const nx = (flags & ZADD_NX) !== 0;
  const gt = (flags & ZADD_GT) !== 0;
  const lt = (flags & ZADD_LT) !== 0;
  if (nx && (flags & ZADD_XX)) return XX_AND_NX;
  if ((gt && nx) || (lt && nx) || (gt && lt)) return GT_LT_NX;
  if (incr && n > 1) return INCR_SINGLE;
  const scores = new Array<number>(n);
  for (let j = 0; j < n; j++) scores[j] = scoreArg(argv[i + j * 2]!);

  const e = writeZsetEntry(ctx, key);
  let zs: ZSet;
  let created = false;
  const limits = zsetLimits(ctx);
  if (e === undefined) {
    if (flags & ZADD_XX) return incr ? null : 0;
    zs = ZSet.create(limits, argv[i + 1]!.length);
    ctx.db.set(key, zs);
    created = true;
  } else {
    zs = e.value as ZSet;
  }
  let added = 0;
  let updated = 0;
  let processed = 0;
  let score = 0;
  let failed: ErrorReply | null = null;
  for (let j = 0; j < n; j++) {
    const r = zs.add(scores[j]!, argv[i + 1 + j * 2]!, flags, limits);
    if (r & ZADD_OUT_NAN) {
      failed = SCORE_NAN;
      break;
    }
    if (r & ZADD_OUT_ADDED) added++;
    if (r & ZADD_OUT_UPDATED) updated++;
    if (!(r & ZADD_OUT_NOP)) {
      processed++;
      score = zs.newScore;
    }
  }
  if (added + updated > 0) {
    ctx.dirty(added + updated);
    ctx.notify('z', incr ? 'zincr' : 'zadd', key);
  }
  if (created || added > 0) ctx.signalReady(key);
  if (failed !== null) return failed;
  if (incr) return processed > 0 ? new DoubleReply(score) : null;
  return ch ? added + updated : added;
}

// ZADD key [NX|XX] [GT|LT] [CH] [INCR] score member [score member ...]
export function zadd(ctx: CommandContext, argv: string[]): Reply {
  return zaddGeneric(ctx, argv, 0);
}

// ZINCRBY key increment member
export function zincrby(ctx: CommandContext, argv: string[]): Reply {
  return zaddGeneric(ctx, argv, ZADD_INCR);
}

// ZREM key member [member ...]
export function zrem(ctx: CommandContext, argv: string[]): Reply {
  const key = argv[1]!;
  const e = writeZsetEntry(ctx, key);
  if (e === undefined) return 0;
  const zs = e.value as ZSet;
  let deleted = 0;
  let removed = false;
  for (let j = 2; j < argv.length; j++) {
    if (zs.remove(argv[j]!)) deleted++;
    if (zs.size === 0) {
      ctx.db.delete(key);
      removed = true;
      break;
    }
  }
  if (deleted > 0) {
    ctx.notify('z', 'zrem', key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.dirty(deleted);
  }
  return deleted;
}

// ZCARD key
export function zcard(ctx: CommandContext, argv: string[]): Reply {
  const zs = readZset(ctx, argv[1]!);
  return zs === undefined ? 0 : zs.size;
}

// ZSCORE key member
export function zscore(ctx: CommandContext, argv: string[]): Reply {
  const zs = readZset(ctx, argv[1]!);
  if (zs === undefined) return null;
  const s = zs.score(argv[2]!);
  return s === undefined ? null : new DoubleReply(s);
}

// ZMSCORE key member [member ...]
export function zmscore(ctx: CommandContext, argv: string[]): Reply {
  const zs = readZset(ctx, argv[1]!);
  const out: Reply[] = [];
  for (let j = 2; j < argv.length; j++) {
    const s = zs === undefined ? undefined : zs.score(argv[j]!);
    out.push(s === undefined ? null : new DoubleReply(s));
  }
  return out;
}

function zrankGeneric(ctx: CommandContext, argv: string[], reverse: boolean): Reply {
  const zs = readZset(ctx, argv[1]!);
  if (zs === undefined) return null;
  const r = zs.rank(argv[2]!, reverse);
  return r >= 0 ? r : null;
}

// ZRANK key member
export function zrank(ctx: CommandContext, argv: string[]): Reply {
  return zrankGeneric(ctx, argv, false);
}

// ZREVRANK key member
export function zrevrank(ctx: CommandContext, argv: string[]): Reply {
  return zrankGeneric(ctx, argv, true);
}

const TWO_62 = 2 ** 62;

/** A score as a listpack holds it: integers within +-2^62 as integers, else %.17g. */
function listpackScore(d: number): string {
  return Number.isInteger(d) && d >= -TWO_62 && d <= TWO_62 ? BigInt(d).toString() : formatG17(d);
}

// ZSCAN key cursor [MATCH pattern] [COUNT count]
export function zscan(ctx: CommandContext, argv: string[]): Reply {
  const cursor = parseScanCursor(argv[2]!);
  if (cursor === null) return INVALID_CURSOR;
  const zs = readZset(ctx, argv[1]!);
  if (zs === undefined) return ['0', []];
  const opts = parseScanArgs(argv, 3, false);
  if (opts instanceof ErrorReply) return opts;
  const items: string[] = [];
  let nextCursor = 0;
  if (zs.isListpack) {
    // A listpack is small by construction: Redis returns all of it at once.
    for (let n = zs.first(); n !== null; n = n.forward[0] as SkipNode | null) items.push(n.member, listpackScore(n.score));
  } else {
    const nodes: SkipNode[] = [];
    nextCursor = zs.scan(cursor, opts.count, nodes);
    for (let k = 0; k < nodes.length; k++) items.push(nodes[k]!.member, formatG17(nodes[k]!.score));
  }
  return [String(nextCursor), filterScanResults(items, opts.pattern, 2)];
}

// ZRANDMEMBER key [count [WITHSCORES]]
export function zrandmember(ctx: CommandContext, argv: string[]): Reply {
  if (argv.length >= 3) {
    const b = parseBigInt(argv[2]!);
    if (b === null) return E.NOT_INTEGER;
    if (b < -LONG_MAX) return COUNT_RANGE;
    let withScores = false;
    if (argv.length > 4 || (argv.length === 4 && !isWord(argv[3]!, 'withscores'))) return E.SYNTAX;
    if (argv.length === 4) {
      withScores = true;
      if (b < -LONG_MAX / 2n || b > LONG_MAX / 2n) return VALUE_OUT_OF_RANGE;
    }
    return zrandmemberCount(ctx, argv[1]!, Number(b), withScores);
  }
  const zs = readZset(ctx, argv[1]!);
  if (zs === undefined) return null;
  return zs.random()!.member;
}

function zrandmemberCount(ctx: CommandContext, key: string, l: number, withScores: boolean): Reply {
  const zs = readZset(ctx, key);
  if (zs === undefined) return [];
  const resp = ctx.client.resp;
  const size = zs.size;
  const uniq = l >= 0;
  // Past the output limit the client is closed anyway: build no more than that.
  const count = uniq ? l : Math.min(-l, randomReplyCap(ctx));
  const out: Reply[] = [];
  if (count === 0) return out;
  // Repeats allowed: independent picks, in random order.
  if (!uniq || count === 1) {
    if (count > E.MAX_RANDOM_REPLY) return E.RANDOM_COUNT_TOO_LARGE;
    for (let k = 0; k < count; k++) {
      const n = zs.random()!;
      pushMember(out, resp, n.member, n.score, withScores);
    }
    return out;
  }
  // Everything: Redis walks the set from the top down.
  if (count >= size) {
    for (let n = zs.last(); n !== null; n = n.backward) pushMember(out, resp, n.member, n.score, withScores);
    return out;
  }
  // Close to the whole set: copy it and drop random members until count remain.
  if (count * 3 > size) {
    const all: SkipNode[] = new Array<SkipNode>(size);
    for (let k = 0; k < size; k++) all[k] = zs.atSlot(k)!;
    let left = size;
    while (left > count) {
      const k = Math.floor(Math.random() * left);
      all[k] = all[--left]!;
    }
    for (let k = 0; k < count; k++) pushMember(out, resp, all[k]!.member, all[k]!.score, withScores);
    return out;
  }
  if (zs.isListpack) {
    // Selection sampling, as a listpack does it: unique picks in set order.
    let need = count;
    let left = size;
    for (let n = zs.first(); n !== null && need > 0; n = n.forward[0] as SkipNode | null, left--) {
      if (Math.random() * left < need) {
        pushMember(out, resp, n.member, n.score, withScores);
        need--;
      }
    }
    return out;
  }
  const seen = new Set<string>();
  while (seen.size < count) {
    const n = zs.random()!;
    if (seen.has(n.member)) continue;
    seen.add(n.member);
    pushMember(out, resp, n.member, n.score, withScores);
  }
  return out;
}
