/**
 * Sorted-set algebra: ZUNION ZINTER ZDIFF, their *STORE forms, and ZINTERCARD.
 *
 * Inputs may be sorted sets or plain sets (every set member scores 1). As in Redis,
 * the keys are looked up (and type-checked) before the options are parsed, and for
 * union and intersection the inputs are ordered by size first. Scores combine with
 * Redis's conventions: weight * score that is NaN (0 * inf) counts as 0, and a SUM
 * that is NaN (inf + -inf) is 0; MIN/MAX keep the current value when a comparison
 * with NaN fails. ZDIFF ignores weights (it refuses the option).
 * Imports: commands, keyspace, protocol/reply.
 */
import type { CommandContext } from '../context.js';
import type { SetValue } from '../../keyspace/set.js';
import { ZSet, type SkipNode } from '../../keyspace/zset.js';
import { ErrorReply, type Reply } from '../../protocol/reply.js';
import * as E from '../errors.js';
import { isWord, parseLong, parseScore, pushMember, zsetLimits } from './args.js';

const WEIGHT_NOT_FLOAT = new ErrorReply('ERR weight value is not a float');
const LIMIT_NEGATIVE = new ErrorReply("ERR LIMIT can't be negative");
const atLeastOneKey = (cmd: string) => new ErrorReply(`ERR at least 1 input key is needed for '${cmd}' command`);

const OP_UNION = 0;
const OP_INTER = 1;
const OP_DIFF = 2;
const AGG_SUM = 0;
const AGG_MIN = 1;
const AGG_MAX = 2;

/** One input: a zset, a set (scores 1) or a missing key (empty). */
interface Source {
  zs: ZSet | null;
  set: SetValue | null;
  weight: number;
  size: number;
}

function bySize(x: Source, y: Source): number {
  return x.size - y.size;
}

function aggregate(target: number, val: number, agg: number): number {
  if (agg === AGG_SUM) {
    const t = target + val;
    return Number.isNaN(t) ? 0 : t;
  }
  if (agg === AGG_MIN) return val < target ? val : target;
  return val > target ? val : target;
}

/** The score of member in src, undefined when absent. */
function find(src: Source, member: string): number | undefined {
  if (src.zs !== null) return src.zs.score(member);
  if (src.set !== null) return src.set.has(member) ? 1 : undefined;
  return undefined;
}

function sameObject(a: Source, b: Source): boolean {
  return (a.zs !== null && a.zs === b.zs) || (a.set !== null && a.set === b.set);
}

/** Walks one input: zsets from the top down (as Redis iterates them), sets in their order. */
class SourceCursor {
  member = '';
  score = 0;
  private node: SkipNode | null = null;
  private list: string[] | null = null;
  private i = 0;

  constructor(src: Source) {
    if (src.zs !== null) this.node = src.zs.last();
    else if (src.set !== null) this.list = src.set.members();
  }

  next(): boolean {
    const l = this.list;
    if (l !== null) {
      if (this.i >= l.length) return false;
      this.member = l[this.i++]!;
      this.score = 1;
      return true;
    }
    const n = this.node;
    if (n === null) return false;
    this.member = n.member;
    this.score = n.score;
    this.node = n.backward;
    return true;
  }
}

/**
 * The shared body (zunionInterDiffGenericCommand). dst is the destination key for the
 * *STORE forms, null otherwise; numkeysIdx is where numkeys sits.
 */
function zsetOp(ctx: CommandContext, argv: string[], dst: string | null, numkeysIdx: number, op: number, cardOnly: boolean): Reply {
  const setnum = parseLong(argv[numkeysIdx]!);
  if (setnum < 1) return atLeastOneKey(argv[0]!.toLowerCase());
  if (setnum > argv.length - (numkeysIdx + 1)) return E.SYNTAX;
  const src: Source[] = new Array<Source>(setnum);
  let j = numkeysIdx + 1;
  for (let i = 0; i < setnum; i++, j++) {
    const e = ctx.db.lookup(argv[j]!);
    const s: Source = { zs: null, set: null, weight: 1, size: 0 };
    // Sources are read with lookupKeyRead, even for the *STORE forms.
    if (e === undefined) {
      ctx.server.stats.keyspaceMisses++;
      ctx.notify('m', 'keymiss', argv[j]!);
    } else {
      ctx.server.stats.keyspaceHits++;
    }
    if (e !== undefined) {
      const v = e.value;
      if (typeof v === 'string' || (v.type !== 'zset' && v.type !== 'set')) return E.WRONGTYPE;
      if (v.type === 'zset') s.zs = v as ZSet;
      else s.set = v as SetValue;
      s.size = v.size;
    }
    src[i] = s;
  }
  let agg = AGG_SUM;
  let withScores = false;
  let limit = 0;
  while (j < argv.length) {
    const remaining = argv.length - j;
    const a = argv[j]!;
    if (op !== OP_DIFF && !cardOnly && remaining >= setnum + 1 && isWord(a, 'weights')) {
      j++;
      for (let i = 0; i < setnum; i++, j++) {
        const w = parseScore(argv[j]!);
        if (w === null) return WEIGHT_NOT_FLOAT;
        src[i]!.weight = w;
      }
    } else if (op !== OP_DIFF && !cardOnly && remaining >= 2 && isWord(a, 'aggregate')) {
      const v = argv[j + 1]!;
      if (isWord(v, 'sum')) agg = AGG_SUM;
      else if (isWord(v, 'min')) agg = AGG_MIN;
      else if (isWord(v, 'max')) agg = AGG_MAX;
      else return E.SYNTAX;
      j += 2;
    } else if (remaining >= 1 && dst === null && !cardOnly && isWord(a, 'withscores')) {
      withScores = true;
      j++;
    } else if (cardOnly && remaining >= 2 && isWord(a, 'limit')) {
      const l = parseLongOr(argv[j + 1]!);
      if (l === null || l < 0) return LIMIT_NEGATIVE;
      limit = l;
      j += 2;
    } else {
      return E.SYNTAX;
    }
  }
  // A stable sort by size: the order SUM adds in is part of the result's bits.
  if (op !== OP_DIFF) src.sort(bySize);

  const out = new ZSet(false);
  let cardinality = 0;
  if (op === OP_INTER) {
    const s0 = src[0]!;
    if (s0.size > 0) {
      const c = new SourceCursor(s0);
      while (c.next()) {
        const m = c.member;
        const sc = c.score;
        let score = s0.weight * sc;
        if (Number.isNaN(score)) score = 0;
        let k = 1;
        for (; k < setnum; k++) {
          const sk = src[k]!;
          if (sameObject(sk, s0)) {
            score = aggregate(score, sc * sk.weight, agg);
          } else {
            const v = find(sk, m);
            if (v === undefined) break;
            score = aggregate(score, v * sk.weight, agg);
          }
        }
        if (k < setnum) continue;
        if (cardOnly) {
          cardinality++;
          if (limit !== 0 && cardinality >= limit) break;
        } else {
          out.insertNew(score, m);
        }
      }
    }
  } else if (op === OP_UNION) {
    const acc = new Map<string, number>();
    for (let i = 0; i < setnum; i++) {
      const si = src[i]!;
      if (si.size === 0) continue;
      const c = new SourceCursor(si);
      while (c.next()) {
        const m = c.member;
        let score = si.weight * c.score;
        if (Number.isNaN(score)) score = 0;
        const cur = acc.get(m);
        acc.set(m, cur === undefined ? score : aggregate(cur, score, agg));
      }
    }
    for (const [m, score] of acc) out.insertNew(score, m);
  } else {
    const s0 = src[0]!;
    let self = false;
    for (let k = 1; k < setnum; k++) if (sameObject(src[k]!, s0)) self = true;
    if (s0.size > 0 && !self) {
      const c = new SourceCursor(s0);
      while (c.next()) {
        const m = c.member;
        let k = 1;
        while (k < setnum && find(src[k]!, m) === undefined) k++;
        if (k === setnum) out.insertNew(c.score, m);
      }
    }
  }

  if (cardOnly) return cardinality;
  if (dst !== null) {
    if (out.size > 0) {
      out.shrinkIfSmall(zsetLimits(ctx));
      ctx.db.set(dst, out);
      ctx.notify('z', op === OP_UNION ? 'zunionstore' : op === OP_INTER ? 'zinterstore' : 'zdiffstore', dst);
      ctx.dirty(1);
      ctx.signalReady(dst);
      return out.size;
    }
    if (ctx.db.delete(dst)) {
      ctx.notify('g', 'del', dst);
      ctx.dirty(1);
    }
    return 0;
  }
  const resp = ctx.client.resp;
  const reply: Reply[] = [];
  for (let n = out.first(); n !== null; n = n.forward[0] as SkipNode | null) pushMember(reply, resp, n.member, n.score, withScores);
  return reply;
}

function parseLongOr(s: string): number | null {
  try {
    return parseLong(s);
  } catch {
    return null;
  }
}

// ZUNIONSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
export function zunionstore(ctx: CommandContext, argv: string[]): Reply {
  return zsetOp(ctx, argv, argv[1]!, 2, OP_UNION, false);
}

// ZINTERSTORE destination numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX]
export function zinterstore(ctx: CommandContext, argv: string[]): Reply {
  return zsetOp(ctx, argv, argv[1]!, 2, OP_INTER, false);
}

// ZDIFFSTORE destination numkeys key [key ...]
export function zdiffstore(ctx: CommandContext, argv: string[]): Reply {
  return zsetOp(ctx, argv, argv[1]!, 2, OP_DIFF, false);
}

// ZUNION numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
export function zunion(ctx: CommandContext, argv: string[]): Reply {
  return zsetOp(ctx, argv, null, 1, OP_UNION, false);
}

// ZINTER numkeys key [key ...] [WEIGHTS weight [weight ...]] [AGGREGATE SUM|MIN|MAX] [WITHSCORES]
export function zinter(ctx: CommandContext, argv: string[]): Reply {
  return zsetOp(ctx, argv, null, 1, OP_INTER, false);
}

// ZDIFF numkeys key [key ...] [WITHSCORES]
export function zdiff(ctx: CommandContext, argv: string[]): Reply {
  return zsetOp(ctx, argv, null, 1, OP_DIFF, false);
}

// ZINTERCARD numkeys key [key ...] [LIMIT limit]
export function zintercard(ctx: CommandContext, argv: string[]): Reply {
  return zsetOp(ctx, argv, null, 1, OP_INTER, true);
}
