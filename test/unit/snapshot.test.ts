/**
 * Keyspace snapshots (src/keyspace/snapshot.ts): whatever the interleaving of writes and
 * snapshot steps, a snapshot hands out exactly the dataset as of its start, once per key,
 * in the database each key was in at the start; two overlapping snapshots each get their
 * own start-time dataset; starting one does not walk the keys.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { Database, type Entry, type KeyspaceHooks } from '../../src/keyspace/database.js';
import { HashValue } from '../../src/keyspace/hash.js';
import { ListValue } from '../../src/keyspace/list.js';
import { KeyspaceSnapshot } from '../../src/keyspace/snapshot.js';
import type { Value } from '../../src/keyspace/value.js';

const NOW = 1_000_000;
const DBS = 3;
const KEYS = 12;

function newDbs(n = DBS): Database[] {
  const hooks: KeyspaceHooks = { now: () => NOW, expired: () => undefined, modified: () => undefined, noExpireDeletes: false };
  return Array.from({ length: n }, (_, i) => new Database(i, hooks));
}

/** A value as text, so a copy made at copy-on-write time cannot change afterwards. */
function show(v: Value): string {
  if (typeof v === 'string') return `s:${v}`;
  if (v instanceof ListValue) return `l:${JSON.stringify(v.toArray())}`;
  if (v instanceof HashValue) return `h:${JSON.stringify(v.flat().join('\n'))}`;
  throw new Error('unexpected value type');
}

function showEntry(e: Entry): string {
  return `${show(e.value)} @${e.expireAt}`;
}

type Dataset = Array<Map<string, string>>;

function dataset(dbs: Database[]): Dataset {
  return dbs.map((db) => new Map(db.entries().map((e) => [e.key, showEntry(e)])));
}

/** Collects what a snapshot hands out; a key handed out twice is an error. */
class Collector {
  readonly got: Dataset = Array.from({ length: DBS }, () => new Map<string, string>());
  early = 0;

  take(db: number, e: Entry): void {
    const m = this.got[db]!;
    if (m.has(e.key)) throw new Error(`${e.key} in db ${db} handed out twice`);
    m.set(e.key, showEntry(e));
  }
}

/** One snapshot under test, driven either by step() (AOF style) or next(d) (RDB style). */
class Driven {
  readonly c = new Collector();
  readonly snap: KeyspaceSnapshot;
  readonly expected: Dataset;
  private d = 0;
  private readonly n: number;

  constructor(dbs: Database[], readonly pull: boolean) {
    this.n = dbs.length;
    this.expected = dataset(dbs);
    this.snap = new KeyspaceSnapshot(dbs, (db, e, early) => {
      if (early) this.c.early++;
      else if (pull) throw new Error('pull mode got a walked entry through the sink');
      this.c.take(db, e);
    });
  }

  advance(n: number): void {
    if (!this.pull) {
      this.snap.step(n);
      return;
    }
    for (let i = 0; i < n && this.d < this.n; i++) {
      const e = this.snap.next(this.d);
      if (e === undefined) this.d++;
      else this.c.take(this.d, e);
    }
  }

  drain(): void {
    for (let guard = 0; guard < 100000 && !this.snap.done; guard++) this.advance(7);
    expect(this.snap.done).to.equal(true);
  }
}

type Op =
  | { t: 'set'; db: number; k: number; v: string }
  | { t: 'del'; db: number; k: number }
  | { t: 'push'; db: number; k: number; v: string }
  | { t: 'hset'; db: number; k: number; f: string; v: string }
  | { t: 'expire'; db: number; k: number; at: number }
  | { t: 'persist'; db: number; k: number }
  | { t: 'expireNow'; db: number; k: number }
  | { t: 'flush'; db: number }
  | { t: 'swap'; a: number; b: number }
  | { t: 'step'; which: number; n: number };

const dbArb = fc.integer({ min: 0, max: DBS - 1 });
// Keys beyond the initial ones make new keys during the snapshot too.
const keyArb = fc.integer({ min: 0, max: KEYS + 4 });
const word = fc.constantFrom('a', 'b', 'c', 'd', 'e');

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('set' as const), db: dbArb, k: keyArb, v: word }),
  fc.record({ t: fc.constant('del' as const), db: dbArb, k: keyArb }),
  fc.record({ t: fc.constant('push' as const), db: dbArb, k: keyArb, v: word }),
  fc.record({ t: fc.constant('hset' as const), db: dbArb, k: keyArb, f: word, v: word }),
  fc.record({ t: fc.constant('expire' as const), db: dbArb, k: keyArb, at: fc.integer({ min: NOW + 1, max: NOW + 5 }) }),
  fc.record({ t: fc.constant('persist' as const), db: dbArb, k: keyArb }),
  fc.record({ t: fc.constant('expireNow' as const), db: dbArb, k: keyArb }),
  fc.record({ t: fc.constant('flush' as const), db: dbArb }),
  fc.record({ t: fc.constant('swap' as const), a: dbArb, b: dbArb }),
  fc.record({ t: fc.constant('step' as const), which: fc.integer({ min: 0, max: 1 }), n: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ t: fc.constant('step' as const), which: fc.integer({ min: 0, max: 1 }), n: fc.integer({ min: 1, max: 6 }) }),
);

/** Initial contents: per database, key index -> 0 string, 1 list, 2 hash, 3 absent; TTL. */
const initArb = fc.array(fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { minLength: KEYS, maxLength: KEYS }), { minLength: DBS, maxLength: DBS });

function populate(dbs: Database[], init: Array<Array<[number, number]>>): void {
  init.forEach((keys, d) => {
    keys.forEach(([kind, ttl], k) => {
      const key = `k${k}`;
      const value: Value | null = kind === 0 ? `v${k}` : kind === 1 ? ListValue.from(['x', `${k}`]) : kind === 2 ? HashValue.fromPairs([['f', `${k}`]], 128, 64) : null;
      if (value !== null) dbs[d]!.add(key, value, ttl === 0 ? NOW + 100 + k : 0);
    });
  });
}

function apply(dbs: Database[], op: Op, snaps: Driven[]): void {
  switch (op.t) {
    case 'step':
      snaps[op.which % snaps.length]!.advance(op.n);
      return;
    case 'flush':
      dbs[op.db]!.flush();
      return;
    case 'swap':
      if (op.a !== op.b) dbs[op.a]!.swapWith(dbs[op.b]!);
      return;
    default:
  }
  const db = dbs[op.db]!;
  const key = `k${op.k}`;
  const e = db.lookup(key);
  switch (op.t) {
    case 'set':
      db.set(key, op.v);
      break;
    case 'del':
      db.delete(key);
      break;
    case 'push':
      if (e === undefined) db.set(key, ListValue.from([op.v]));
      else if (e.value instanceof ListValue) (db.touchForWrite(e).value as ListValue).pushTail(op.v);
      break;
    case 'hset':
      if (e === undefined) db.set(key, HashValue.fromPairs([[op.f, op.v]], 128, 64));
      else if (e.value instanceof HashValue) (db.touchForWrite(e).value as HashValue).set(op.f, op.v, 128, 64);
      break;
    case 'expire':
      if (e !== undefined) db.setExpire(e, op.at);
      break;
    case 'persist':
      if (e !== undefined && e.expireAt !== 0) db.clearExpire(e);
      break;
    case 'expireNow':
      // Lazy expiry: the removal goes through the expiring path of Database.remove.
      if (e !== undefined) {
        db.setExpire(e, NOW - 1);
        expect(db.lookup(key)).to.equal(undefined);
      }
      break;
  }
}

function same(got: Dataset, want: Dataset): void {
  for (let d = 0; d < DBS; d++) {
    const g = [...got[d]!.entries()].sort();
    const w = [...want[d]!.entries()].sort();
    expect(g, `database ${d}`).to.deep.equal(w);
  }
}

describe('keyspace snapshots', () => {
  it('hand out exactly the dataset as of their start under any interleaving of writes (property)', () => {
    fc.assert(
      fc.property(initArb, fc.array(opArb, { maxLength: 60 }), fc.boolean(), (init, ops, pull) => {
        const dbs = newDbs();
        populate(dbs, init);
        const s = new Driven(dbs, pull);
        for (const op of ops) apply(dbs, op, [s]);
        s.drain();
        same(s.c.got, s.expected);
        for (const db of dbs) expect(db.observers.length).to.equal(0);
      }),
      { numRuns: 400 },
    );
  });

  it('two overlapping snapshots each get their own start-time dataset (property)', () => {
    fc.assert(
      fc.property(
        initArb,
        fc.array(opArb, { maxLength: 40 }),
        fc.array(opArb, { maxLength: 40 }),
        fc.boolean(),
        fc.boolean(),
        (init, before, during, pullA, pullB) => {
          const dbs = newDbs();
          populate(dbs, init);
          const a = new Driven(dbs, pullA);
          for (const op of before) apply(dbs, op, [a]);
          const b = new Driven(dbs, pullB);
          for (const op of during) apply(dbs, op, [a, b]);
          a.drain();
          b.drain();
          same(a.c.got, a.expected);
          same(b.c.got, b.expected);
          // Stamps left by both must not hide anything from a later snapshot.
          const c = new Driven(dbs, false);
          c.drain();
          same(c.c.got, c.expected);
          for (const db of dbs) expect(db.observers.length).to.equal(0);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('copies a value at the moment it is about to change, and only then', () => {
    const dbs = newDbs(1);
    const db = dbs[0]!;
    db.set('l', ListValue.from(['a']));
    db.set('s', 'old');
    const s = new Driven(dbs, false);
    (db.touchForWrite(db.peek('l')!).value as ListValue).pushTail('b');
    (db.touchForWrite(db.peek('l')!).value as ListValue).pushTail('c');
    db.set('s', 'new');
    db.set('s', 'newer');
    expect(s.c.early).to.equal(2);
    expect(s.snap.cowKeys).to.equal(2);
    s.drain();
    expect(s.c.got[0]!.get('l')).to.equal('l:["a"] @0');
    expect(s.c.got[0]!.get('s')).to.equal('s:old @0');
    expect(s.snap.emitted).to.equal(2);
  });

  it('keeps FLUSHDB and SWAPDB out of a running snapshot, attributing keys to their start database', () => {
    const dbs = newDbs(2);
    dbs[0]!.set('a', '1');
    dbs[1]!.set('b', '2');
    dbs[1]!.set('c', '3');
    const s = new Driven(dbs, true);
    dbs[0]!.swapWith(dbs[1]!);
    dbs[0]!.set('b', 'changed');
    dbs[1]!.flush();
    dbs[1]!.set('a', 'new');
    s.drain();
    expect([...s.c.got[0]!.entries()]).to.deep.equal([['a', 's:1 @0']]);
    expect([...s.c.got[1]!.entries()].sort()).to.deep.equal([['b', 's:2 @0'], ['c', 's:3 @0']]);
    expect(s.c.early).to.equal(1);
  });

  it('costs nothing per write when no snapshot runs and detaches when released', () => {
    const dbs = newDbs(1);
    dbs[0]!.set('k', 'v');
    const s = new KeyspaceSnapshot(dbs, () => { throw new Error('released snapshots get nothing'); });
    expect(dbs[0]!.observers.length).to.equal(1);
    s.release();
    s.release();
    expect(dbs[0]!.observers.length).to.equal(0);
    dbs[0]!.set('k', 'w');
    expect(s.step(10)).to.equal(false);
  });

  it('starts without walking the keys', () => {
    // A database whose entry array reports a million entries and counts every read of one:
    // a per-key start (a Set/Map of the entries, or a copy of the array) reads them all.
    const n = 1_000_000;
    let reads = 0;
    const arr = new Proxy(new Array<Entry>(n), {
      get(target, prop, receiver) {
        if (typeof prop === 'string' && /^[0-9]+$/.test(prop)) reads++;
        return Reflect.get(target, prop, receiver) as unknown;
      },
    });
    class Big extends Database {
      override entryArray(): readonly Entry[] {
        return arr;
      }
    }
    const hooks: KeyspaceHooks = { now: () => NOW, expired: () => undefined, modified: () => undefined, noExpireDeletes: false };
    const dbs = [new Big(0, hooks), new Database(1, hooks)];
    const s = new KeyspaceSnapshot(dbs, () => undefined);
    expect(s.total).to.equal(n);
    expect(s.sizes).to.deep.equal([n, 0]);
    expect(reads).to.equal(0);
    expect(dbs[0]!.epoch).to.equal(s.epoch);
    expect(dbs[1]!.epoch).to.equal(s.epoch);
    s.release();
  });
});
