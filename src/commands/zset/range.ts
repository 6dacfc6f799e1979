/**
 * Range reads and range deletes: ZRANGE (BYSCORE BYLEX REV LIMIT WITHSCORES) and its
 * older spellings ZREVRANGE Z[REV]RANGEBYSCORE Z[REV]RANGEBYLEX, ZRANGESTORE, ZCOUNT,
 * ZLEXCOUNT and ZREMRANGEBYRANK|SCORE|LEX.
 *
 * All ZRANGE spellings go through zrangeGeneric, which keeps Redis's order of checks:
 * options, option conflicts, range parsing, then the key lookup (so a syntax error
 * beats WRONGTYPE). LIMIT quirks are kept on purpose: a negative offset yields nothing,
 * a negative count means "no limit", and LIMIT with a rank range is an error only when
 * the count is not -1.
 * Imports: commands, keyspace, protocol/reply.
 */
import type { CommandContext } from '../context.js';
import { ZSet, type SkipNode, type ScoreRange, type LexRange } from '../../keyspace/zset.js';
import { scoreGteMin, scoreLteMax, lexGteMin, lexLteMax } from '../../keyspace/skiplist.js';
import { ErrorReply, type Reply } from '../../protocol/reply.js';
import * as E from '../errors.js';
import {
  isWord, parseLexRange, parseLong, parseScoreRange, pushMember, readZset, writeZsetEntry, zsetLimits,
} from './args.js';

const LIMIT_NEEDS_BY = new ErrorReply('ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX');
const WITHSCORES_BYLEX = new ErrorReply('ERR syntax error, WITHSCORES not supported in combination with BYLEX');

export const BY_AUTO = 0;
export const BY_RANK = 1;
export const BY_SCORE = 2;
export const BY_LEX = 3;
export const DIR_AUTO = 0;
export const DIR_FORWARD = 1;
export const DIR_REVERSE = 2;

function next(n: SkipNode, reverse: boolean): SkipNode | null {
  return reverse ? n.backward : (n.forward[0] as SkipNode | null);
}

/** Nodes at 0-based ranks start..end (negative counts from the end), in the asked direction. */
export function nodesByRank(zs: ZSet, start: number, end: number, reverse: boolean): SkipNode[] {
  const llen = zs.size;
  if (start < 0) start = llen + start;
  if (end < 0) end = llen + end;
  if (start < 0) start = 0;
  const out: SkipNode[] = [];
  if (start > end || start >= llen) return out;
  if (end >= llen) end = llen - 1;
  let n: SkipNode | null;
  if (reverse) n = start > 0 ? zs.zsl.getByRank(llen - start) : zs.last();
  else n = start > 0 ? zs.zsl.getByRank(start + 1) : zs.first();
  for (let k = end - start + 1; k > 0 && n !== null; k--) {
    out.push(n);
    n = next(n, reverse);
  }
  return out;
}

export function nodesByScore(zs: ZSet, r: ScoreRange, offset: number, limit: number, reverse: boolean): SkipNode[] {
  const out: SkipNode[] = [];
  if (offset > 0 && offset >= zs.size) return out;
  let n = reverse ? zs.zsl.lastInRange(r) : zs.zsl.firstInRange(r);
  while (n !== null && offset-- !== 0) n = next(n, reverse);
  while (n !== null && limit-- !== 0) {
    if (reverse ? !scoreGteMin(n.score, r) : !scoreLteMax(n.score, r)) break;
    out.push(n);
    n = next(n, reverse);
  }
  return out;
}

export function nodesByLex(zs: ZSet, r: LexRange, offset: number, limit: number, reverse: boolean): SkipNode[] {
  const out: SkipNode[] = [];
  let n = reverse ? zs.lastInLexRange(r) : zs.firstInLexRange(r);
  while (n !== null && offset-- !== 0) n = next(n, reverse);
  while (n !== null && limit-- !== 0) {
    if (reverse ? !lexGteMin(n.member, r) : !lexLteMax(n.member, r)) break;
    out.push(n);
    n = next(n, reverse);
  }
  return out;
}

/** Writes a ZRANGESTORE result: the new set, or DEL of the destination when empty. */
function storeResult(ctx: CommandContext, dst: string, nodes: SkipNode[], rankLength: number): Reply {
  if (nodes.length === 0) {
    if (ctx.db.delete(dst)) {
      ctx.notify('g', 'del', dst);
      ctx.dirty(1);
    }
    return 0;
  }
  const limits = zsetLimits(ctx);
  // Redis sizes the destination up front only when the rank range told it the length.
  const out = new ZSet(!(rankLength > limits.maxEntries));
  for (let i = 0; i < nodes.length; i++) out.add(nodes[i]!.score, nodes[i]!.member, 0, limits);
  ctx.db.set(dst, out);
  ctx.notify('z', 'zrangestore', dst);
  ctx.dirty(1);
  ctx.signalReady(dst);
  return nodes.length;
}

/**
 * ZRANGE and friends. argStart is the source key's index; by/dir are BY_AUTO/DIR_AUTO
 * for ZRANGE and ZRANGESTORE (chosen by options), fixed for the older commands.
 */
export function zrangeGeneric(ctx: CommandContext, argv: string[], argStart: number, store: boolean, by: number, dir: number): Reply {
  let withScores = false;
  let offset = 0;
  let limit = -1;
  for (let j = argStart + 3; j < argv.length; j++) {
    const a = argv[j]!;
    const left = argv.length - j - 1;
    if (!store && isWord(a, 'withscores')) withScores = true;
    else if (isWord(a, 'limit') && left >= 2) {
      offset = parseLong(argv[j + 1]!);
      limit = parseLong(argv[j + 2]!);
      j += 2;
    } else if (dir === DIR_AUTO && isWord(a, 'rev')) dir = DIR_REVERSE;
    else if (by === BY_AUTO && isWord(a, 'bylex')) by = BY_LEX;
    else if (by === BY_AUTO && isWord(a, 'byscore')) by = BY_SCORE;
    else return E.SYNTAX;
  }
  if (dir === DIR_AUTO) dir = DIR_FORWARD;
  if (by === BY_AUTO) by = BY_RANK;
  if (limit !== -1 && by === BY_RANK) return LIMIT_NEEDS_BY;
  if (withScores && by === BY_LEX) return WITHSCORES_BYLEX;
  const reverse = dir === DIR_REVERSE;
  let minIdx = argStart + 1;
  let maxIdx = argStart + 2;
  if (reverse && by !== BY_RANK) {
    minIdx = argStart + 2;
    maxIdx = argStart + 1;
  }
  let start = 0;
  let end = 0;
  let srange: ScoreRange | undefined;
  let lrange: LexRange | undefined;
  if (by === BY_RANK) {
    start = parseLong(argv[minIdx]!);
    end = parseLong(argv[maxIdx]!);
  } else if (by === BY_SCORE) {
    srange = parseScoreRange(argv[minIdx]!, argv[maxIdx]!);
  } else {
    lrange = parseLexRange(argv[minIdx]!, argv[maxIdx]!);
  }
  const zs = readZset(ctx, argv[argStart]!);
  if (zs === undefined) return store ? storeResult(ctx, argv[1]!, [], -1) : [];
  let nodes: SkipNode[];
  let rankLength = -1;
  if (by === BY_RANK) {
    nodes = nodesByRank(zs, start, end, reverse);
    rankLength = nodes.length;
  } else if (by === BY_SCORE) {
    nodes = nodesByScore(zs, srange!, offset, limit, reverse);
  } else {
    nodes = nodesByLex(zs, lrange!, offset, limit, reverse);
  }
  if (store) return storeResult(ctx, argv[1]!, nodes, rankLength);
  const resp = ctx.client.resp;
  const out: Reply[] = [];
  for (let i = 0; i < nodes.length; i++) pushMember(out, resp, nodes[i]!.member, nodes[i]!.score, withScores);
  return out;
}

// ZRANGE key start stop [BYSCORE|BYLEX] [REV] [LIMIT offset count] [WITHSCORES]
export function zrange(ctx: CommandContext, argv: string[]): Reply {
  return zrangeGeneric(ctx, argv, 1, false, BY_AUTO, DIR_AUTO);
}

// ZRANGESTORE dst src min max [BYSCORE|BYLEX] [REV] [LIMIT offset count]
export function zrangestore(ctx: CommandContext, argv: string[]): Reply {
  return zrangeGeneric(ctx, argv, 2, true, BY_AUTO, DIR_AUTO);
}

// ZREVRANGE key start stop [WITHSCORES]
export function zrevrange(ctx: CommandContext, argv: string[]): Reply {
  return zrangeGeneric(ctx, argv, 1, false, BY_RANK, DIR_REVERSE);
}

// ZRANGEBYSCORE key min max [WITHSCORES] [LIMIT offset count]
export function zrangebyscore(ctx: CommandContext, argv: string[]): Reply {
  return zrangeGeneric(ctx, argv, 1, false, BY_SCORE, DIR_FORWARD);
}

// ZREVRANGEBYSCORE key max min [WITHSCORES] [LIMIT offset count]
export function zrevrangebyscore(ctx: CommandContext, argv: string[]): Reply {
  return zrangeGeneric(ctx, argv, 1, false, BY_SCORE, DIR_REVERSE);
}

// ZRANGEBYLEX key min max [LIMIT offset count]
export function zrangebylex(ctx: CommandContext, argv: string[]): Reply {
  return zrangeGeneric(ctx, argv, 1, false, BY_LEX, DIR_FORWARD);
}

// ZREVRANGEBYLEX key max min [LIMIT offset count]
export function zrevrangebylex(ctx: CommandContext, argv: string[]): Reply {
  return zrangeGeneric(ctx, argv, 1, false, BY_LEX, DIR_REVERSE);
}

// ZCOUNT key min max
export function zcount(ctx: CommandContext, argv: string[]): Reply {
  const r = parseScoreRange(argv[2]!, argv[3]!);
  const zs = readZset(ctx, argv[1]!);
  return zs === undefined ? 0 : zs.countInRange(r);
}

// ZLEXCOUNT key min max
export function zlexcount(ctx: CommandContext, argv: string[]): Reply {
  const r = parseLexRange(argv[2]!, argv[3]!);
  const zs = readZset(ctx, argv[1]!);
  return zs === undefined ? 0 : zs.countInLexRange(r);
}

/** ZREMRANGEBYRANK|SCORE|LEX: parse, delete, notify, drop the key when emptied. */
function zremrange(ctx: CommandContext, argv: string[], by: number): Reply {
  const key = argv[1]!;
  let start = 0;
  let end = 0;
  let srange: ScoreRange | undefined;
  let lrange: LexRange | undefined;
  let event: string;
  if (by === BY_RANK) {
    event = 'zremrangebyrank';
    start = parseLong(argv[2]!);
    end = parseLong(argv[3]!);
  } else if (by === BY_SCORE) {
    event = 'zremrangebyscore';
    srange = parseScoreRange(argv[2]!, argv[3]!);
  } else {
    event = 'zremrangebylex';
    lrange = parseLexRange(argv[2]!, argv[3]!);
  }
  const e = writeZsetEntry(ctx, key);
  if (e === undefined) return 0;
  const zs = e.value as ZSet;
  let deleted: number;
  if (by === BY_RANK) {
    const llen = zs.size;
    if (start < 0) start = llen + start;
    if (end < 0) end = llen + end;
    if (start < 0) start = 0;
    if (start > end || start >= llen) return 0;
    if (end >= llen) end = llen - 1;
    deleted = zs.removeRangeByRank(start, end);
  } else if (by === BY_SCORE) {
    deleted = zs.removeRangeByScore(srange!);
  } else {
    deleted = zs.removeRangeByLex(lrange!);
  }
  const removed = zs.size === 0;
  if (removed) ctx.db.delete(key);
  if (deleted > 0) {
    ctx.notify('z', event, key);
    if (removed) ctx.notify('g', 'del', key);
    ctx.dirty(deleted);
  }
  return deleted;
}

// ZREMRANGEBYRANK key start stop
export function zremrangebyrank(ctx: CommandContext, argv: string[]): Reply {
  return zremrange(ctx, argv, BY_RANK);
}

// ZREMRANGEBYSCORE key min max
export function zremrangebyscore(ctx: CommandContext, argv: string[]): Reply {
  return zremrange(ctx, argv, BY_SCORE);
}

// ZREMRANGEBYLEX key min max
export function zremrangebylex(ctx: CommandContext, argv: string[]): Reply {
  return zremrange(ctx, argv, BY_LEX);
}
