/**
 * Serialises one value (neutral form, see types.ts) as RDB 10 writes it: the type byte
 * is chosen first (chooseRdbType), then the body (writeValueBody). DUMP payloads and RDB
 * files share this code.
 *
 * Encodings follow Redis 7.0: lists are quicklist v2 nodes filled by the
 * list-max-listpack-size rule as RPUSHes would fill them; sets are intsets when every
 * member is an int64 and there are few enough, else a plain set; hashes and zsets are
 * listpacks under the *-max-listpack-* limits, else hashtable / skiplist (scores binary,
 * highest first). A value's explicit `encoding` hint (its in-memory encoding) wins when
 * it is representable, because Redis saves what it holds, not what it would pick anew.
 * Imports: this folder only.
 */
import { ByteWriter, RdbError } from './bytes.js';
import {
  QUICKLIST_FILL_MAX,
  QUICKLIST_NODE_CONTAINER_PACKED,
  QUICKLIST_NODE_CONTAINER_PLAIN,
  QUICKLIST_OPTIMIZATION_LEVEL,
  QUICKLIST_PACKED_THRESHOLD,
  QUICKLIST_SIZE_ESTIMATE_OVERHEAD,
  QUICKLIST_SIZE_SAFETY_LIMIT,
  RDB_TYPE_HASH,
  RDB_TYPE_HASH_LISTPACK,
  RDB_TYPE_LIST_QUICKLIST_2,
  RDB_TYPE_SET,
  RDB_TYPE_SET_INTSET,
  RDB_TYPE_STREAM_LISTPACKS_2,
  RDB_TYPE_STRING,
  RDB_TYPE_ZSET_2,
  RDB_TYPE_ZSET_LISTPACK,
} from './constants.js';
import { encodeIntset, parseSetInt } from './intset.js';
import { ListpackBuilder } from './listpack.js';
import { writeBlob, writeLen, writeString, type StringSink } from './primitives.js';
import { writeStream } from './stream-codec.js';
import type { EncodingLimits, RdbHash, RdbList, RdbSet, RdbValue, RdbZset, ValueWriteOptions } from './types.js';
import { formatG17 } from '../../util/numbers.js';

/** The RDB type id Redis would save this value under. */
export function chooseRdbType(v: RdbValue, limits: EncodingLimits): number {
  if (typeof v === 'string') return RDB_TYPE_STRING;
  switch (v.type) {
    case 'list':
      return RDB_TYPE_LIST_QUICKLIST_2;
    case 'set':
      return setIsIntset(v, limits) ? RDB_TYPE_SET_INTSET : RDB_TYPE_SET;
    case 'hash':
      return hashIsListpack(v, limits) ? RDB_TYPE_HASH_LISTPACK : RDB_TYPE_HASH;
    case 'zset':
      return zsetIsListpack(v, limits) ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    case 'stream':
      return RDB_TYPE_STREAM_LISTPACKS_2;
  }
  throw new RdbError(`Cannot serialise a value of type ${(v as { type: string }).type}`);
}

function setIsIntset(v: RdbSet, limits: EncodingLimits): boolean {
  if (v.encoding === 'hashtable') return false;
  if (v.encoding !== 'intset' && v.members.length > limits.setMaxIntsetEntries) return false;
  for (const m of v.members) if (parseSetInt(m) === null) return false;
  return true;
}

function hashIsListpack(v: RdbHash, limits: EncodingLimits): boolean {
  if (v.encoding !== undefined) return v.encoding === 'listpack';
  if (v.entries.length > limits.hashMaxListpackEntries) return false;
  const max = limits.hashMaxListpackValue;
  for (const [f, val] of v.entries) if (f.length > max || val.length > max) return false;
  return true;
}

function zsetIsListpack(v: RdbZset, limits: EncodingLimits): boolean {
  if (v.encoding !== undefined) return v.encoding === 'listpack';
  if (v.entries.length > limits.zsetMaxListpackEntries) return false;
  const max = limits.zsetMaxListpackValue;
  for (const [m] of v.entries) if (m.length > max) return false;
  return true;
}

/** Writes the body of a value saved under `type` (from chooseRdbType). */
export function writeValueBody(w: ByteWriter, v: RdbValue, type: number, opts: ValueWriteOptions, sink: StringSink): void {
  if (typeof v === 'string') {
    writeString(w, v, sink);
    return;
  }
  switch (type) {
    case RDB_TYPE_LIST_QUICKLIST_2:
      writeQuicklist(w, v as RdbList, opts.listMaxListpackSize, sink);
      return;
    case RDB_TYPE_SET_INTSET: {
      const vals: bigint[] = [];
      for (const m of (v as RdbSet).members) vals.push(parseSetInt(m)!);
      writeBlob(w, encodeIntset(vals), sink);
      return;
    }
    case RDB_TYPE_SET: {
      const members = (v as RdbSet).members;
      writeLen(w, members.length);
      for (const m of members) writeString(w, m, sink);
      return;
    }
    case RDB_TYPE_HASH_LISTPACK: {
      const entries = (v as RdbHash).entries;
      const b = new ListpackBuilder(64 + entries.length * 16);
      for (const [f, val] of entries) {
        b.append(f);
        b.append(val);
      }
      writeBlob(w, b.finish(), sink);
      return;
    }
    case RDB_TYPE_HASH: {
      const entries = (v as RdbHash).entries;
      writeLen(w, entries.length);
      for (const [f, val] of entries) {
        writeString(w, f, sink);
        writeString(w, val, sink);
      }
      return;
    }
    case RDB_TYPE_ZSET_LISTPACK: {
      const sorted = sortedZset(v as RdbZset);
      const b = new ListpackBuilder(64 + sorted.length * 16);
      for (const [m, score] of sorted) {
        b.append(m);
        appendScore(b, score);
      }
      writeBlob(w, b.finish(), sink);
      return;
    }
    case RDB_TYPE_ZSET_2: {
      const sorted = sortedZset(v as RdbZset);
      writeLen(w, sorted.length);
      for (let i = sorted.length - 1; i >= 0; i--) {
        const [m, score] = sorted[i]!;
        writeString(w, m, sink);
        w.doubleLE(score);
      }
      return;
    }
    case RDB_TYPE_STREAM_LISTPACKS_2:
      if (v.type !== 'stream') break;
      writeStream(w, v, opts, sink);
      return;
  }
  throw new RdbError(`Cannot serialise a ${v.type} as RDB type ${type}`);
}

/** Ascending (score, member) order, as the skiplist and zset listpacks keep it. */
function sortedZset(z: RdbZset): Array<[string, number]> {
  const e = z.entries;
  let ordered = true;
  for (let i = 1; i < e.length; i++) {
    if (cmpZ(e[i - 1]!, e[i]!) > 0) {
      ordered = false;
      break;
    }
  }
  return ordered ? e : e.slice().sort(cmpZ);
}

function cmpZ(a: [string, number], b: [string, number]): number {
  if (a[1] !== b[1]) return a[1] < b[1] ? -1 : 1;
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

const LL_HALF = 4611686018427387904; // (double)(LLONG_MAX/2)

/** zzlInsertAt: integral scores within ±2^62 as integers, the rest as %.17g text. */
function appendScore(b: ListpackBuilder, d: number): void {
  if (Number.isInteger(d) && d >= -LL_HALF && d <= LL_HALF) {
    b.appendInt(Number.isSafeInteger(d) ? (d === 0 ? 0 : d) : BigInt(d));
    return;
  }
  b.appendStr(formatG17(d));
}

/** Fills quicklist nodes the way quicklistPushTail does for each item in order. */
function writeQuicklist(w: ByteWriter, v: RdbList, fillOpt: number, sink: StringSink): void {
  const fill = fillOpt > QUICKLIST_FILL_MAX ? QUICKLIST_FILL_MAX : fillOpt < -5 ? -5 : fillOpt;
  const nodes: Array<ListpackBuilder | string> = [];
  let cur: ListpackBuilder | null = null;
  for (const item of v.items) {
    const sz = item.length;
    if (sz >= QUICKLIST_PACKED_THRESHOLD) {
      nodes.push(item);
      cur = null;
      continue;
    }
    if (cur === null || !allowInsert(cur, fill, sz)) {
      cur = new ListpackBuilder(Math.min(9000, sz + 64));
      nodes.push(cur);
    }
    cur.append(item);
  }
  writeLen(w, nodes.length);
  for (const n of nodes) {
    if (typeof n === 'string') {
      writeLen(w, QUICKLIST_NODE_CONTAINER_PLAIN);
      writeString(w, n, sink);
    } else {
      writeLen(w, QUICKLIST_NODE_CONTAINER_PACKED);
      writeBlob(w, n.finish(), sink);
    }
  }
}

function allowInsert(node: ListpackBuilder, fill: number, sz: number): boolean {
  const newSz = node.bytes + sz + QUICKLIST_SIZE_ESTIMATE_OVERHEAD;
  if (fill < 0) {
    const limit = QUICKLIST_OPTIMIZATION_LEVEL[-fill - 1];
    if (limit !== undefined && newSz <= limit) return true;
  }
  if (newSz > QUICKLIST_SIZE_SAFETY_LIMIT) return false;
  return node.length < fill;
}

/** Writes type byte + body into w (the DUMP layout); returns the type used. */
export function writeTypedValue(w: ByteWriter, v: RdbValue, opts: ValueWriteOptions, sink: StringSink): number {
  const type = chooseRdbType(v, opts);
  w.byte(type);
  writeValueBody(w, v, type, opts, sink);
  return type;
}
