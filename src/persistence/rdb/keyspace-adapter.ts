/**
 * Bridges the keyspace value classes and the codec's neutral form (types.ts), so the
 * codec itself never depends on the keyspace.
 *
 * toRdbValue passes each aggregate's current encoding along as a hint: Redis saves what
 * it holds (a hashtable hash stays RDB_TYPE_HASH even when small). fromRdbValue rebuilds
 * a value with the encoding Redis's loader picks for the stored type: packed forms stay
 * packed unless the element count exceeds the limit (lengths are not re-checked), while
 * the hashtable/skiplist forms are packed again when small enough. Duplicate members,
 * which only a corrupt payload can hold, are rejected here cheaply.
 * Imports: keyspace, this folder.
 */
import { HashValue } from '../../keyspace/hash.js';
import { ListValue } from '../../keyspace/list.js';
import { SetValue } from '../../keyspace/set.js';
import { ZSet } from '../../keyspace/zset.js';
import { StreamValue } from '../../keyspace/stream.js';
import type { Value } from '../../keyspace/value.js';
import { RdbError } from './bytes.js';
import * as T from './constants.js';
import type { EncodingLimits, RdbValue } from './types.js';

/** Converts a keyspace value to the neutral form (copies; safe to serialise later). */
export function toRdbValue(v: Value): RdbValue {
  if (typeof v === 'string') return v;
  if (v instanceof ListValue) return { type: 'list', items: v.toArray() };
  if (v instanceof HashValue) {
    const entries: Array<[string, string]> = [];
    v.forEach((f, val) => {
      entries.push([f, val]);
    });
    return { type: 'hash', entries, encoding: v.isListpack ? 'listpack' : 'hashtable' };
  }
  if (v instanceof SetValue) return { type: 'set', members: v.members(), encoding: v.isIntset ? 'intset' : 'hashtable' };
  if (v instanceof ZSet) return { type: 'zset', entries: Array.from(v.entries()), encoding: v.isListpack ? 'listpack' : 'skiplist' };
  const withRdb = v as unknown as { toRdb?: () => RdbValue };
  if (typeof withRdb.toRdb === 'function') return withRdb.toRdb();
  throw new RdbError(`Cannot serialise a ${v.type} value`);
}

/** Hook for value types that live outside this adapter (streams, until wired here). */
export type ForeignLoader = (v: Exclude<RdbValue, string>, rdbType: number, limits: EncodingLimits) => Value;

/**
 * Builds a keyspace value from a decoded one, choosing the encoding as rdbLoadObject
 * does for `rdbType`. Throws RdbError on duplicate members.
 */
export function fromRdbValue(v: RdbValue, rdbType: number, limits: EncodingLimits, foreign?: ForeignLoader): Value {
  if (typeof v === 'string') return v;
  switch (v.type) {
    case 'list':
      return ListValue.from(v.items);
    case 'set': {
      const s = SetValue.fromMembers(v.members, limits.setMaxIntsetEntries);
      if (s.size !== v.members.length) throw new RdbError('Duplicate set members detected');
      return s;
    }
    case 'hash': {
      let h: HashValue;
      if (rdbType === T.RDB_TYPE_HASH || rdbType === T.RDB_TYPE_HASH_ZIPMAP) {
        h = HashValue.fromPairs(v.entries, limits.hashMaxListpackEntries, limits.hashMaxListpackValue);
      } else {
        h = new HashValue();
        if (v.entries.length > limits.hashMaxListpackEntries) h.convert();
        for (const [f, val] of v.entries) h.put(f, val);
      }
      if (h.size !== v.entries.length) throw new RdbError('Duplicate hash fields detected');
      return h;
    }
    case 'zset': {
      const n = v.entries.length;
      let listpack: boolean;
      if (rdbType === T.RDB_TYPE_ZSET || rdbType === T.RDB_TYPE_ZSET_2) {
        let maxLen = 0;
        for (const [m] of v.entries) if (m.length > maxLen) maxLen = m.length;
        listpack = n <= limits.zsetMaxListpackEntries && maxLen <= limits.zsetMaxListpackValue;
      } else {
        listpack = n <= limits.zsetMaxListpackEntries;
      }
      const z = new ZSet(listpack);
      for (const [m, score] of v.entries) {
        if (z.has(m)) throw new RdbError('Duplicate zset fields detected');
        // a listpack stores integral scores as integers, so -0 comes back as 0
        z.insertNew(listpack ? score + 0 : score, m);
      }
      return z;
    }
    case 'stream':
      // Kept in its decoded form until the stream commands arrive (keyspace/stream.ts).
      if (foreign) return foreign(v, rdbType, limits);
      return new StreamValue(v);
    default:
      throw new RdbError(`Cannot load a ${(v as { type: string }).type} value into this keyspace`);
  }
}

/** Reads the encoding thresholds from a numeric config getter (CONFIG names). */
export function limitsFromConfig(num: (name: string) => number): EncodingLimits {
  return {
    listMaxListpackSize: num('list-max-listpack-size'),
    hashMaxListpackEntries: num('hash-max-listpack-entries'),
    hashMaxListpackValue: num('hash-max-listpack-value'),
    setMaxIntsetEntries: num('set-max-intset-entries'),
    zsetMaxListpackEntries: num('zset-max-listpack-entries'),
    zsetMaxListpackValue: num('zset-max-listpack-value'),
    streamNodeMaxBytes: num('stream-node-max-bytes'),
    streamNodeMaxEntries: num('stream-node-max-entries'),
  };
}
