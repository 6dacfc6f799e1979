/**
 * The commands that rebuild one key in a plain (RESP) AOF base, as
 * rewriteAppendOnlyFileRio writes them: SET, RPUSH / SADD / ZADD / HMSET in batches of
 * AOF_REWRITE_ITEMS_PER_CMD, the XADD / XSETID / XGROUP / XCLAIM sequence for streams,
 * then PEXPIREAT when the key has a TTL.
 *
 * Invariants: scores are written with "%.17g" (they read back bit-exact); stream IDs
 * as "<ms>-<seq>". Streams come in the RDB codec's neutral form, so this file needs no
 * knowledge of the stream class.
 * Imports: keyspace, util, persistence/rdb (types only), this folder.
 */
import type { Value } from '../../keyspace/value.js';
import type { ListValue } from '../../keyspace/list.js';
import type { SetValue } from '../../keyspace/set.js';
import type { HashValue } from '../../keyspace/hash.js';
import type { ZSet } from '../../keyspace/zset.js';
import { formatG17 } from '../../util/numbers.js';
import type { RdbStream, StreamId } from '../rdb/types.js';
import type { AofBuffer } from './buffer.js';

export const AOF_REWRITE_ITEMS_PER_CMD = 64;

/** Turns a value the emitter has no direct knowledge of (streams) into neutral form. */
export type NeutralConverter = (v: Value) => RdbStream | null;

export class UnknownTypeError extends Error {}

/** Emits the commands that rebuild `key`; the caller has already selected the db. */
export function emitKey(out: AofBuffer, key: string, v: Value, expireAt: number, toNeutral: NeutralConverter | null): void {
  if (typeof v === 'string') {
    out.raw('*3\r\n$3\r\nSET\r\n');
    out.bulk(key);
    out.bulk(v);
  } else {
    switch (v.type) {
      case 'list': emitItems(out, 'RPUSH', key, (v as ListValue).size, v as ListValue); break;
      case 'set': emitItems(out, 'SADD', key, (v as SetValue).size, v as SetValue); break;
      case 'hash': emitPairs(out, 'HMSET', key, (v as HashValue).size, (v as HashValue)[Symbol.iterator]()); break;
      case 'zset': emitPairs(out, 'ZADD', key, (v as ZSet).size, zsetPairs(v as ZSet)); break;
      case 'stream': {
        const s = toNeutral ? toNeutral(v) : null;
        if (s === null) throw new UnknownTypeError('Unknown object type');
        emitStream(out, key, s);
        break;
      }
      default:
        throw new UnknownTypeError('Unknown object type');
    }
  }
  if (expireAt !== 0) {
    out.raw('*3\r\n$9\r\nPEXPIREAT\r\n');
    out.bulk(key);
    out.bulk(String(expireAt));
  }
}

function emitItems(out: AofBuffer, cmd: string, key: string, total: number, items: Iterable<string>): void {
  let left = total;
  let count = 0;
  for (const it of items) {
    if (count === 0) {
      out.header(2 + Math.min(left, AOF_REWRITE_ITEMS_PER_CMD));
      out.bulk(cmd);
      out.bulk(key);
    }
    out.bulk(it);
    if (++count === AOF_REWRITE_ITEMS_PER_CMD) count = 0;
    left--;
  }
}

/** Pairs in command order: field/value for HMSET, score/member for ZADD. */
function emitPairs(out: AofBuffer, cmd: string, key: string, total: number, pairs: Iterator<[string, string]>): void {
  let left = total;
  let count = 0;
  for (let r = pairs.next(); !r.done; r = pairs.next()) {
    if (count === 0) {
      out.header(2 + Math.min(left, AOF_REWRITE_ITEMS_PER_CMD) * 2);
      out.bulk(cmd);
      out.bulk(key);
    }
    out.bulk(r.value[0]);
    out.bulk(r.value[1]);
    if (++count === AOF_REWRITE_ITEMS_PER_CMD) count = 0;
    left--;
  }
}

function* zsetPairs(z: ZSet): Generator<[string, string]> {
  for (let n = z.first(); n !== null; n = n.forward[0] ?? null) yield [formatG17(n.score), n.member];
}

function streamId(id: StreamId): string {
  return `${id.ms}-${id.seq}`;
}

/** rewriteStreamObject over the neutral stream model. */
export function emitStream(out: AofBuffer, key: string, s: RdbStream): void {
  if (s.entries.length > 0) {
    for (const e of s.entries) {
      out.header(3 + e.fields.length);
      out.bulk('XADD');
      out.bulk(key);
      out.bulk(streamId(e.id));
      for (const f of e.fields) out.bulk(f);
    }
  } else {
    // An empty stream is created with the XADD MAXLEN 0 trick.
    out.command(['XADD', key, 'MAXLEN', '0', '0-1', 'x', 'y']);
  }
  out.command(['XSETID', key, streamId(s.lastId), 'ENTRIESADDED', String(s.entriesAdded), 'MAXDELETEDID', streamId(s.maxDeletedId)]);
  for (const g of s.groups) {
    out.command(['XGROUP', 'CREATE', key, g.name, streamId(g.lastId), 'ENTRIESREAD', String(g.entriesRead)]);
    const nacks = new Map<string, { deliveryTime: number; deliveryCount: number }>();
    for (const n of g.pel) nacks.set(streamId(n.id), n);
    for (const c of g.consumers) {
      if (c.pel.length === 0) {
        out.command(['XGROUP', 'CREATECONSUMER', key, g.name, c.name]);
        continue;
      }
      for (const id of c.pel) {
        const sid = streamId(id);
        const n = nacks.get(sid) ?? { deliveryTime: 0, deliveryCount: 0 };
        out.command(['XCLAIM', key, g.name, c.name, '0', sid, 'TIME', String(n.deliveryTime),
          'RETRYCOUNT', String(n.deliveryCount), 'JUSTID', 'FORCE']);
      }
    }
  }
}
