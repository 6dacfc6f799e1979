/**
 * Keyspace glue: value conversion both ways with Redis's post-load encodings,
 * copy-on-write snapshots of live databases, and loading files into databases.
 */
import { expect } from 'chai';
import { Database, type KeyspaceHooks } from '../../src/keyspace/database.js';
import { HashValue } from '../../src/keyspace/hash.js';
import { ListValue } from '../../src/keyspace/list.js';
import { SetValue } from '../../src/keyspace/set.js';
import { ZSet } from '../../src/keyspace/zset.js';
import * as T from '../../src/persistence/rdb/constants.js';
import { readRdb } from '../../src/persistence/rdb/file-reader.js';
import { DEFAULT_FILE_OPTIONS, writeRdb } from '../../src/persistence/rdb/file-writer.js';
import { fromRdbValue, limitsFromConfig, toRdbValue } from '../../src/persistence/rdb/keyspace-adapter.js';
import { RdbLoader, loadRdbInto } from '../../src/persistence/rdb/loader.js';
import { RdbSaver } from '../../src/persistence/rdb/saver.js';
import { snapshotKeyspace } from '../../src/persistence/rdb-service.js';
import { DEFAULT_LIMITS, type EncodingLimits } from '../../src/persistence/rdb/types.js';

const LIM: EncodingLimits = { ...DEFAULT_LIMITS, hashMaxListpackEntries: 4, hashMaxListpackValue: 8, zsetMaxListpackEntries: 4, zsetMaxListpackValue: 8, setMaxIntsetEntries: 4 };

function newDbs(n: number, now = () => 1000000): Database[] {
  const hooks: KeyspaceHooks = { now, expired: () => undefined, modified: () => undefined, noExpireDeletes: false };
  return Array.from({ length: n }, (_, i) => new Database(i, hooks));
}

describe('rdb keyspace adapter', () => {
  it('converts keyspace values with their encodings', () => {
    const h = HashValue.fromPairs([['f', 'v']], 4, 8);
    expect(toRdbValue(h)).to.deep.equal({ type: 'hash', entries: [['f', 'v']], encoding: 'listpack' });
    h.convert();
    expect(toRdbValue(h)).to.deep.include({ encoding: 'hashtable' });
    expect(toRdbValue(ListValue.from(['a', 'b']))).to.deep.equal({ type: 'list', items: ['a', 'b'] });
    expect(toRdbValue(SetValue.fromMembers(['3', '1'], 4))).to.deep.equal({ type: 'set', members: ['1', '3'], encoding: 'intset' });
    const z = new ZSet(false);
    z.insertNew(2, 'b');
    z.insertNew(1, 'a');
    expect(toRdbValue(z)).to.deep.equal({ type: 'zset', entries: [['a', 1], ['b', 2]], encoding: 'skiplist' });
    expect(toRdbValue('plain')).to.equal('plain');
  });

  it('picks encodings on load the way rdbLoadObject does', () => {
    const pairs: Array<[string, string]> = [['f', 'a-long-value']];
    // a hashtable hash is repacked only when small and short
    expect((fromRdbValue({ type: 'hash', entries: pairs }, T.RDB_TYPE_HASH, LIM) as HashValue).encoding()).to.equal('hashtable');
    expect((fromRdbValue({ type: 'hash', entries: [['f', 'v']] }, T.RDB_TYPE_HASH, LIM) as HashValue).encoding()).to.equal('listpack');
    // a listpack hash stays a listpack whatever its lengths, unless it has too many fields
    expect((fromRdbValue({ type: 'hash', entries: pairs }, T.RDB_TYPE_HASH_LISTPACK, LIM) as HashValue).encoding()).to.equal('listpack');
    const many = Array.from({ length: 5 }, (_, i) => [`f${i}`, 'v'] as [string, string]);
    expect((fromRdbValue({ type: 'hash', entries: many }, T.RDB_TYPE_HASH_LISTPACK, LIM) as HashValue).encoding()).to.equal('hashtable');
    // sets: intset while all integers and few enough
    expect((fromRdbValue({ type: 'set', members: ['1', '2'] }, T.RDB_TYPE_SET, LIM) as SetValue).encoding()).to.equal('intset');
    expect((fromRdbValue({ type: 'set', members: ['1', 'x'] }, T.RDB_TYPE_SET, LIM) as SetValue).encoding()).to.equal('hashtable');
    expect((fromRdbValue({ type: 'set', members: ['1', '2', '3', '4', '5'] }, T.RDB_TYPE_SET_INTSET, LIM) as SetValue).encoding()).to.equal('hashtable');
    // zsets: the skiplist form is packed when small; -0 becomes 0 in a listpack
    const zs = fromRdbValue({ type: 'zset', entries: [['a', -0]] }, T.RDB_TYPE_ZSET_2, LIM) as ZSet;
    expect(zs.encoding()).to.equal('listpack');
    expect(Object.is(zs.score('a'), 0)).to.equal(true);
    const zl = fromRdbValue({ type: 'zset', entries: [['a-long-member', -0]] }, T.RDB_TYPE_ZSET_2, LIM) as ZSet;
    expect(zl.encoding()).to.equal('skiplist');
    expect(Object.is(zl.score('a-long-member'), -0)).to.equal(true);
    expect((fromRdbValue({ type: 'zset', entries: [['a-long-member', 1]] }, T.RDB_TYPE_ZSET_LISTPACK, LIM) as ZSet).encoding()).to.equal('listpack');
    expect((fromRdbValue({ type: 'list', items: ['x'] }, T.RDB_TYPE_LIST_QUICKLIST_2, LIM) as ListValue).toArray()).to.deep.equal(['x']);
  });

  it('rejects duplicates that only a corrupt payload can carry', () => {
    expect(() => fromRdbValue({ type: 'hash', entries: [['f', '1'], ['f', '2']] }, T.RDB_TYPE_HASH_LISTPACK, LIM)).to.throw(/Duplicate hash/);
    expect(() => fromRdbValue({ type: 'zset', entries: [['m', 1], ['m', 2]] }, T.RDB_TYPE_ZSET_LISTPACK, LIM)).to.throw(/Duplicate zset/);
    expect(() => fromRdbValue({ type: 'set', members: ['1', '1'] }, T.RDB_TYPE_SET_INTSET, LIM)).to.throw(/Duplicate set/);
  });

  it('reads limits from a config getter', () => {
    const cfg: Record<string, number> = { 'list-max-listpack-size': -3, 'hash-max-listpack-entries': 1, 'hash-max-listpack-value': 2, 'set-max-intset-entries': 3, 'zset-max-listpack-entries': 4, 'zset-max-listpack-value': 5, 'stream-node-max-bytes': 6, 'stream-node-max-entries': 7 };
    expect(limitsFromConfig((n) => cfg[n]!)).to.deep.equal({ listMaxListpackSize: -3, hashMaxListpackEntries: 1, hashMaxListpackValue: 2, setMaxIntsetEntries: 3, zsetMaxListpackEntries: 4, zsetMaxListpackValue: 5, streamNodeMaxBytes: 6, streamNodeMaxEntries: 7 });
  });
});

describe('rdb snapshots and loading', () => {
  it('saves the state as of the snapshot start while commands keep writing', () => {
    const [db0, db1] = newDbs(2);
    for (let i = 0; i < 10; i++) db0!.add(`k${i}`, `v${i}`, i === 3 ? 9000000 : 0);
    const list = ListValue.from(['a']);
    db1!.add('list', list);
    const snap = snapshotKeyspace([db0!, db1!]);
    const saver = new RdbSaver(snap.dbs, { ...DEFAULT_FILE_OPTIONS, ...LIM }, { ctime: 1, usedMem: 1 });
    const chunks = [saver.step(2)];
    // after two keys were written: overwrite one not yet written, delete another,
    // mutate the list in place, add a new key
    db0!.set('k5', 'changed');
    db0!.delete('k7');
    db1!.touchForWrite(db1!.peek('list')!);
    list.pushTail('b');
    db0!.add('late', 'x');
    while (!saver.done) chunks.push(saver.step(3));
    expect(db0!.observers.length).to.equal(0);
    const c = readRdb(Buffer.concat(chunks));
    const got = new Map(c.dbs.get(0)!.map((k) => [k.key, k.value]));
    expect(got.size).to.equal(10);
    expect(got.get('k5')).to.equal('v5');
    expect(got.get('k7')).to.equal('v7');
    expect(got.has('late')).to.equal(false);
    expect(c.dbs.get(0)!.find((k) => k.key === 'k3')!.expireAt).to.equal(9000000);
    // the list was touched before it was written: the snapshot has the old copy
    expect(c.dbs.get(1)![0]!.value).to.deep.equal({ type: 'list', items: ['a'] });
  });

  it('loads into databases, dropping expired keys and restoring encodings', () => {
    const buf = writeRdb(
      [
        {
          id: 0,
          keys: [
            { key: 's', value: 'v' },
            { key: 'gone', value: 'v', expireAt: 500 },
            { key: 'later', value: 'v', expireAt: 5000000 },
            { key: 'h', value: { type: 'hash', entries: [['f', '1']], encoding: 'hashtable' } },
          ],
        },
        { id: 2, keys: [{ key: 'z', value: { type: 'zset', entries: [['a', 1]] } }] },
      ],
      { ...DEFAULT_FILE_OPTIONS, ...LIM },
      { ctime: 1, usedMem: 1 },
      ['#!lua name=x\n'],
    );
    const dbs = newDbs(3);
    const fns: string[] = [];
    const stats = loadRdbInto(buf, dbs, { limits: LIM, now: 1000000, onFunction: (c) => fns.push(c) });
    expect(stats).to.include({ keysLoaded: 4, keysExpired: 1, checksum: 'ok' });
    expect(fns).to.deep.equal(['#!lua name=x\n']);
    expect(dbs[0]!.peek('gone')).to.equal(undefined);
    expect(dbs[0]!.peek('later')!.expireAt).to.equal(5000000);
    expect((dbs[0]!.peek('h')!.value as HashValue).encoding()).to.equal('listpack');
    expect((dbs[2]!.peek('z')!.value as ZSet).score('a')).to.equal(1);
    // replicas keep expired keys
    const kept = newDbs(3);
    expect(loadRdbInto(buf, kept, { limits: LIM, now: 1000000, keepExpired: true }).keysLoaded).to.equal(5);
    // a second load into the same databases hits duplicates
    expect(() => loadRdbInto(buf, dbs, { limits: LIM, now: 1000000 })).to.throw(/duplicated key 's'/);
    expect(loadRdbInto(buf, dbs, { limits: LIM, now: 1000000, allowDuplicates: true }).keysLoaded).to.equal(4);
    // too few databases
    expect(() => loadRdbInto(buf, newDbs(2), { limits: LIM, now: 1000000 })).to.throw(/more than 2 databases/);
  });

  it('loads step by step', () => {
    const keys = Array.from({ length: 100 }, (_, i) => ({ key: `k${i}`, value: String(i) }));
    const buf = writeRdb([{ id: 0, keys }], DEFAULT_FILE_OPTIONS, { ctime: 1, usedMem: 1 });
    const dbs = newDbs(1);
    const l = new RdbLoader(buf, dbs, { limits: LIM, now: 0 });
    let steps = 0;
    while (!l.step(10)) steps++;
    expect(steps).to.be.greaterThan(9);
    expect(dbs[0]!.size).to.equal(100);
    expect(l.stats.loadedBytes).to.equal(buf.length);
  });
});
