/**
 * ZPOPMIN ZPOPMAX ZMPOP, and zpopGeneric: the one pop routine the blocking forms
 * (BZPOPMIN BZPOPMAX BZMPOP) are meant to call too, with their own reply shape flags.
 *
 * Pops notify "zpopmin"/"zpopmax" once per call (not per element), count one dirty per
 * element, and delete an emptied key with a "del" event, as genericZpopCommand does.
 * Imports: commands, keyspace, protocol/reply.
 */
import type { CommandContext } from '../context.js';
import type { ZSet } from '../../keyspace/zset.js';
import { DoubleReply, NULL_ARRAY, ErrorReply, type Reply } from '../../protocol/reply.js';
import { parseInteger } from '../../util/numbers.js';
import * as E from '../errors.js';
import { isWord } from './args.js';

export const NUMKEYS_POSITIVE = new ErrorReply('ERR numkeys should be greater than 0');
export const COUNT_POSITIVE = new ErrorReply('ERR count should be greater than 0');
export const OUT_OF_RANGE_POSITIVE = new ErrorReply('ERR value is out of range, must be positive');

/**
 * How a pop is written to the AOF / replicas: left as is (ZPOPMIN, ZPOPMAX), as
 * "ZPOPMIN|ZPOPMAX key" (BZPOPMIN, BZPOPMAX), or as "ZPOPMIN|ZPOPMAX key count"
 * (ZMPOP, BZMPOP).
 */
export const PopRewrite = { None: 0, Single: 1, Count: 2 } as const;
export type PopRewrite = (typeof PopRewrite)[keyof typeof PopRewrite];

/**
 * Pops from the first existing key among `keys` (a non-zset one is WRONGTYPE, even if
 * a later key would do). count -1 means a plain single pop. Shapes:
 *   nested=false, emitKey=false: [m, s, m, s...]          ZPOPMIN/ZPOPMAX
 *   nested=true,  emitKey=false: [[m, s], ...]            ZPOPMIN count in RESP3
 *   nested=false, emitKey=true:  [key, m, s, ...]         BZPOPMIN/BZPOPMAX
 *   nested=true,  emitKey=true:  [key, [[m, s], ...]]     ZMPOP/BZMPOP
 * With no candidate key the reply is a null array when nilWhenEmpty, else [].
 */
export function zpopGeneric(
  ctx: CommandContext, keys: readonly string[], max: boolean, emitKey: boolean, count: number,
  nested: boolean, nilWhenEmpty: boolean, rewrite: PopRewrite,
): Reply {
  let zs: ZSet | undefined;
  let key = '';
  for (let i = 0; i < keys.length; i++) {
    const e = ctx.db.lookup(keys[i]!);
    if (e === undefined) continue;
    const v = e.value;
    if (typeof v === 'string' || v.type !== 'zset') throw E.WRONGTYPE;
    zs = ctx.db.touchForWrite(e).value as ZSet;
    key = keys[i]!;
    break;
  }
  if (zs === undefined) return nilWhenEmpty ? NULL_ARRAY : [];
  if (count === 0) return [];
  if (count === -1) count = 1;
  const llen = zs.size;
  const n = count > llen ? llen : count;
  const items: Reply[] = [];
  for (let i = 0; i < n; i++) {
    const node = zs.pop(max)!;
    if (nested) items.push([node.member, new DoubleReply(node.score)]);
    else items.push(node.member, new DoubleReply(node.score));
  }
  ctx.dirty(n);
  ctx.notify('z', max ? 'zpopmax' : 'zpopmin', key);
  if (zs.size === 0) {
    ctx.db.delete(key);
    ctx.notify('g', 'del', key);
  }
  if (rewrite === PopRewrite.Single) ctx.rewrite([max ? 'ZPOPMAX' : 'ZPOPMIN', key]);
  else if (rewrite === PopRewrite.Count) ctx.rewrite([max ? 'ZPOPMAX' : 'ZPOPMIN', key, String(n)]);
  if (!emitKey) return items;
  if (nested) return [key, items];
  items.unshift(key);
  return items;
}

/** getPositiveLongFromObjectOrReply: one message for "not a number" and "negative". */
function positiveCount(s: string): number {
  const v = parseInteger(s);
  if (v === null || v < 0) throw OUT_OF_RANGE_POSITIVE;
  return v;
}

// ZPOPMIN key [count]  /  ZPOPMAX key [count]
function zpopMinMax(ctx: CommandContext, argv: string[], max: boolean): Reply {
  if (argv.length > 3) return E.SYNTAX;
  const count = argv.length === 3 ? positiveCount(argv[2]!) : -1;
  const nested = ctx.client.resp > 2 && count !== -1;
  return zpopGeneric(ctx, [argv[1]!], max, false, count, nested, false, PopRewrite.None);
}

// ZPOPMIN key [count]
export function zpopmin(ctx: CommandContext, argv: string[]): Reply {
  return zpopMinMax(ctx, argv, false);
}

// ZPOPMAX key [count]
export function zpopmax(ctx: CommandContext, argv: string[]): Reply {
  return zpopMinMax(ctx, argv, true);
}

/** Parsed "numkeys key... MIN|MAX [COUNT count]" of ZMPOP/BZMPOP. */
export interface MpopArgs {
  keys: string[];
  max: boolean;
  count: number;
}

/** Parses ZMPOP's arguments starting at the numkeys index (1 for ZMPOP, 2 for BZMPOP). */
export function parseMpopArgs(argv: readonly string[], numkeysIdx: number): MpopArgs {
  const numkeys = parseInteger(argv[numkeysIdx]!);
  if (numkeys === null || numkeys < 1) throw NUMKEYS_POSITIVE;
  const whereIdx = numkeysIdx + numkeys + 1;
  if (whereIdx >= argv.length) throw E.SYNTAX;
  const where = argv[whereIdx]!;
  let max: boolean;
  if (isWord(where, 'min')) max = false;
  else if (isWord(where, 'max')) max = true;
  else throw E.SYNTAX;
  let count = -1;
  for (let j = whereIdx + 1; j < argv.length; j++) {
    if (count === -1 && isWord(argv[j]!, 'count') && j + 1 < argv.length) {
      const c = parseInteger(argv[++j]!);
      if (c === null || c < 1) throw COUNT_POSITIVE;
      count = c;
    } else {
      throw E.SYNTAX;
    }
  }
  if (count === -1) count = 1;
  return { keys: argv.slice(numkeysIdx + 1, whereIdx), max, count };
}

// ZMPOP numkeys key [key ...] MIN|MAX [COUNT count]
export function zmpop(ctx: CommandContext, argv: string[]): Reply {
  const a = parseMpopArgs(argv, 1);
  return zpopGeneric(ctx, a.keys, a.max, true, a.count, true, true, PopRewrite.Count);
}
