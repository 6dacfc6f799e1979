/**
 * Stream values in RDB (types 15 and 19): the radix-tree nodes (a 16-byte big-endian
 * master ID plus a listpack each), the stream metadata, and the consumer groups with
 * their PELs.
 *
 * A node listpack starts with a master entry: count, deleted, num-fields, the field
 * names, 0. Each entry follows as flags, ms-delta, seq-delta, [num-fields, fields,]
 * values, lp-count; SAMEFIELDS entries reuse the master's field names. IDs are deltas
 * from the node's master ID, in wrapping 64-bit arithmetic.
 *
 * The writer splits entries into nodes with the rule XADD uses (stream-node-max-bytes /
 * stream-node-max-entries), so a stream built by XADDs alone serialises exactly like
 * Redis's. Groups, consumers and PELs are written in radix-tree (byte) order.
 * Imports: this folder only.
 */
import { ByteReader, ByteWriter, RdbError } from './bytes.js';
import {
  RDB_TYPE_STREAM_LISTPACKS_2,
  STREAM_ITEM_FLAG_DELETED,
  STREAM_ITEM_FLAG_NONE,
  STREAM_ITEM_FLAG_SAMEFIELDS,
  STREAM_LISTPACK_MAX_SIZE,
} from './constants.js';
import { ListpackBuilder, decodeListpack, lpEntrySize, lpIntEntrySize, type LpValue } from './listpack.js';
import { readBlob, readLen, readLenBig, readString, writeBlob, writeLen, writeString, type StringSink } from './primitives.js';
import type { EncodingLimits, RdbStream, RdbStreamEntry, RdbStreamGroup, StreamId } from './types.js';

const U64 = (v: bigint): bigint => BigInt.asUintN(64, v);

export function compareIds(a: StreamId, b: StreamId): number {
  if (a.ms !== b.ms) return a.ms < b.ms ? -1 : 1;
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  return 0;
}

function byName<T extends { name: string }>(a: T, b: T): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/** The 16-byte radix-tree key of an ID, as a latin1 string. */
function idKey(id: StreamId): string {
  const b = Buffer.allocUnsafe(16);
  b.writeBigUInt64BE(U64(id.ms), 0);
  b.writeBigUInt64BE(U64(id.seq), 8);
  return b.toString('latin1');
}

function writeRawId(w: ByteWriter, id: StreamId): void {
  w.u64be(id.ms);
  w.u64be(id.seq);
}

function readRawId(r: ByteReader): StreamId {
  const ms = r.u64be();
  const seq = r.u64be();
  return { ms, seq };
}

interface PendingNode {
  master: StreamId;
  fields: string[];
  items: LpValue[];
  /** Bytes of everything but the count entry (header and EOF included). */
  bytesSansCount: number;
  count: number;
}

/** Splits live entries into node listpacks the way successive XADDs would. */
export function buildStreamNodes(entries: readonly RdbStreamEntry[], limits: Pick<EncodingLimits, 'streamNodeMaxBytes' | 'streamNodeMaxEntries'>): Array<{ key: string; lp: Buffer }> {
  const out: Array<{ key: string; lp: Buffer }> = [];
  let maxBytes = limits.streamNodeMaxBytes;
  if (maxBytes <= 0 || maxBytes > STREAM_LISTPACK_MAX_SIZE) maxBytes = STREAM_LISTPACK_MAX_SIZE;
  const maxEntries = limits.streamNodeMaxEntries;
  let cur: PendingNode | null = null;
  const flush = (n: PendingNode): void => {
    const b = new ListpackBuilder(n.bytesSansCount + 8);
    b.appendInt(n.count);
    for (const v of n.items) {
      if (typeof v === 'string') b.append(v);
      else b.appendInt(v);
    }
    out.push({ key: idKey(n.master), lp: Buffer.from(b.finish()) });
  };
  const push = (n: PendingNode, v: LpValue): void => {
    n.items.push(v);
    n.bytesSansCount += typeof v === 'string' ? lpEntrySize(v) : lpIntEntrySize(v);
  };
  for (const e of entries) {
    const nf = e.fields.length >> 1;
    let totelelen = 0;
    for (const s of e.fields) totelelen += s.length;
    if (cur !== null) {
      const lpBytes = cur.bytesSansCount + lpIntEntrySize(cur.count);
      if (lpBytes + totelelen >= maxBytes || (maxEntries > 0 && cur.count >= maxEntries)) {
        flush(cur);
        cur = null;
      }
    }
    let flags = STREAM_ITEM_FLAG_NONE;
    if (cur === null) {
      cur = { master: e.id, fields: [], items: [], bytesSansCount: 7, count: 0 };
      push(cur, 0); // deleted
      push(cur, nf);
      for (let i = 0; i < nf; i++) {
        cur.fields.push(e.fields[i * 2]!);
        push(cur, e.fields[i * 2]!);
      }
      push(cur, 0); // master entry terminator
      flags = STREAM_ITEM_FLAG_SAMEFIELDS;
    } else if (nf === cur.fields.length) {
      let same = true;
      for (let i = 0; i < nf; i++) {
        if (cur.fields[i] !== e.fields[i * 2]) {
          same = false;
          break;
        }
      }
      if (same) flags = STREAM_ITEM_FLAG_SAMEFIELDS;
    }
    cur.count++;
    push(cur, flags);
    push(cur, normInt(BigInt.asIntN(64, e.id.ms - cur.master.ms)));
    push(cur, normInt(BigInt.asIntN(64, e.id.seq - cur.master.seq)));
    const same = flags === STREAM_ITEM_FLAG_SAMEFIELDS;
    if (!same) push(cur, nf);
    for (let i = 0; i < nf; i++) {
      if (!same) push(cur, e.fields[i * 2]!);
      push(cur, e.fields[i * 2 + 1]!);
    }
    push(cur, nf + 3 + (same ? 0 : nf + 1));
  }
  if (cur !== null) flush(cur);
  return out;
}

function normInt(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

export function writeStream(w: ByteWriter, s: RdbStream, limits: EncodingLimits, sink: StringSink): void {
  const nodes = buildStreamNodes(s.entries, limits);
  writeLen(w, nodes.length);
  for (const n of nodes) {
    writeString(w, n.key, sink);
    writeBlob(w, n.lp, sink);
  }
  writeLen(w, s.length);
  writeLen(w, U64(s.lastId.ms));
  writeLen(w, U64(s.lastId.seq));
  writeLen(w, U64(s.firstId.ms));
  writeLen(w, U64(s.firstId.seq));
  writeLen(w, U64(s.maxDeletedId.ms));
  writeLen(w, U64(s.maxDeletedId.seq));
  writeLen(w, U64(s.entriesAdded));
  const groups = s.groups.slice().sort(byName);
  writeLen(w, groups.length);
  for (const g of groups) {
    writeString(w, g.name, sink);
    writeLen(w, U64(g.lastId.ms));
    writeLen(w, U64(g.lastId.seq));
    writeLen(w, U64(g.entriesRead));
    const pel = g.pel.slice().sort((a, b) => compareIds(a.id, b.id));
    writeLen(w, pel.length);
    for (const n of pel) {
      writeRawId(w, n.id);
      w.i64le(n.deliveryTime);
      writeLen(w, n.deliveryCount);
    }
    const consumers = g.consumers.slice().sort(byName);
    writeLen(w, consumers.length);
    for (const c of consumers) {
      writeString(w, c.name, sink);
      w.i64le(c.seenTime);
      const ids = c.pel.slice().sort(compareIds);
      writeLen(w, ids.length);
      for (const id of ids) writeRawId(w, id);
    }
  }
}

function asInt(v: LpValue | undefined): bigint {
  if (v === undefined) throw new RdbError('Stream listpack integrity check failed.');
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return BigInt(v);
  if (!/^-?\d{1,20}$/.test(v)) throw new RdbError('Stream listpack integrity check failed.');
  return BigInt(v);
}

function asNum(v: LpValue | undefined): number {
  const b = asInt(v);
  if (b < 0n || b > 0xffffffffn) throw new RdbError('Stream listpack integrity check failed.');
  return Number(b);
}

function asStr(v: LpValue | undefined): string {
  if (v === undefined) throw new RdbError('Stream listpack integrity check failed.');
  return typeof v === 'string' ? v : String(v);
}

/** Live entries of one node listpack, appended to `out`; returns the live count. */
export function decodeStreamNode(master: StreamId, lp: Buffer, out: RdbStreamEntry[]): number {
  const v = decodeListpack(lp, false);
  if (v.length === 0) throw new RdbError('Empty listpack inside stream');
  const fail = (): never => {
    throw new RdbError('Stream listpack integrity check failed.');
  };
  const count = asNum(v[0]);
  const deleted = asNum(v[1]);
  const mf = asNum(v[2]);
  let i = 3;
  const masterFields: string[] = [];
  for (let k = 0; k < mf; k++) masterFields.push(asStr(v[i++]));
  if (asInt(v[i++]) !== 0n) fail();
  let live = 0;
  let dead = 0;
  while (i < v.length) {
    const start = i;
    const flags = asNum(v[i++]);
    const msd = asInt(v[i++]);
    const seqd = asInt(v[i++]);
    const fields: string[] = [];
    if (flags & STREAM_ITEM_FLAG_SAMEFIELDS) {
      for (let k = 0; k < mf; k++) {
        fields.push(masterFields[k]!, asStr(v[i++]));
      }
    } else {
      const nf = asNum(v[i++]);
      for (let k = 0; k < nf; k++) {
        const f = asStr(v[i++]);
        fields.push(f, asStr(v[i++]));
      }
    }
    const lpCount = asNum(v[i++]);
    if (lpCount !== i - start - 1) fail();
    if (i > v.length) fail();
    if (flags & STREAM_ITEM_FLAG_DELETED) {
      dead++;
      continue;
    }
    live++;
    out.push({ id: { ms: U64(master.ms + msd), seq: U64(master.seq + seqd) }, fields });
  }
  if (live !== count || dead !== deleted) fail();
  return live;
}

export function readStream(r: ByteReader, rdbType: number): RdbStream {
  const nodes = readLen(r);
  const entries: RdbStreamEntry[] = [];
  let prevKey = '';
  for (let n = 0; n < nodes; n++) {
    const key = readString(r);
    if (key.length !== 16) throw new RdbError('Stream node key entry is not the size of a stream ID');
    if (n > 0 && key <= prevKey) throw new RdbError('Listpack re-added with existing key');
    prevKey = key;
    const kb = Buffer.from(key, 'latin1');
    const master = { ms: kb.readBigUInt64BE(0), seq: kb.readBigUInt64BE(8) };
    const lp = readBlob(r);
    decodeStreamNode(master, lp, entries);
  }
  const length = readLen(r);
  const lastId = { ms: readLenBig(r), seq: readLenBig(r) };
  let firstId: StreamId;
  let maxDeletedId: StreamId;
  let entriesAdded: bigint;
  if (rdbType === RDB_TYPE_STREAM_LISTPACKS_2) {
    firstId = { ms: readLenBig(r), seq: readLenBig(r) };
    maxDeletedId = { ms: readLenBig(r), seq: readLenBig(r) };
    entriesAdded = readLenBig(r);
  } else {
    firstId = entries[0]?.id ?? { ms: 0n, seq: 0n };
    maxDeletedId = { ms: 0n, seq: 0n };
    entriesAdded = BigInt(length);
  }
  if (length !== entries.length) throw new RdbError('Stream length inconsistent with rax entries');
  const groups: RdbStreamGroup[] = [];
  const ngroups = readLen(r);
  const seenGroups = new Set<string>();
  for (let g = 0; g < ngroups; g++) {
    const name = readString(r);
    if (seenGroups.has(name)) throw new RdbError(`Duplicated consumer group name ${name}`);
    seenGroups.add(name);
    const glast = { ms: readLenBig(r), seq: readLenBig(r) };
    // Old streams have no counter: -1 lets the server estimate it when needed.
    const entriesRead = rdbType === RDB_TYPE_STREAM_LISTPACKS_2 ? BigInt.asIntN(64, readLenBig(r)) : -1n;
    const group: RdbStreamGroup = { name, lastId: glast, entriesRead, pel: [], consumers: [] };
    const pelSize = readLen(r);
    const owners = new Map<string, boolean>();
    for (let k = 0; k < pelSize; k++) {
      const rawKey = r.latin1(16);
      if (owners.has(rawKey)) throw new RdbError('Duplicated global PEL entry loading stream consumer group');
      owners.set(rawKey, false);
      const kb = Buffer.from(rawKey, 'latin1');
      const id = { ms: kb.readBigUInt64BE(0), seq: kb.readBigUInt64BE(8) };
      const deliveryTime = r.i64le();
      const deliveryCount = readLen(r);
      group.pel.push({ id, deliveryTime, deliveryCount });
    }
    const nconsumers = readLen(r);
    const seenConsumers = new Set<string>();
    for (let c = 0; c < nconsumers; c++) {
      const cname = readString(r);
      if (seenConsumers.has(cname)) throw new RdbError('Duplicate stream consumer detected.');
      seenConsumers.add(cname);
      const seenTime = r.i64le();
      const n = readLen(r);
      const pel: StreamId[] = [];
      for (let k = 0; k < n; k++) {
        const rawKey = r.latin1(16);
        const owned = owners.get(rawKey);
        if (owned === undefined) throw new RdbError('Consumer entry not found in group global PEL');
        if (owned) throw new RdbError('Duplicated consumer PEL entry  loading a stream consumer group');
        owners.set(rawKey, true);
        const kb = Buffer.from(rawKey, 'latin1');
        pel.push({ ms: kb.readBigUInt64BE(0), seq: kb.readBigUInt64BE(8) });
      }
      group.consumers.push({ name: cname, seenTime, pel });
    }
    groups.push(group);
  }
  return { type: 'stream', entries, length, lastId, firstId, maxDeletedId, entriesAdded, groups };
}
