/**
 * Property tests for the list, hash and set value classes against simple reference
 * models (a JS array, an insertion-ordered Map, a JS Set), including Redis 7.0's
 * encoding rules, plus the pure argument helpers of the three command families.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { ListValue } from '../../src/keyspace/list.js';
import { HashValue } from '../../src/keyspace/hash.js';
import { SetValue } from '../../src/keyspace/set.js';
import { numkeysGetKeys, parseMpopArgs } from '../../src/commands/lists.js';
import { parseScanArgs, parseScanCursor, filterScanResults } from '../../src/commands/scan-args.js';
import { ErrorReply } from '../../src/protocol/reply.js';

const RUNS = { numRuns: 150 };

// ------------------------------------------------------------------ lists

type ListOp =
  | { op: 'pushHead' | 'pushTail'; v: string }
  | { op: 'popHead' | 'popTail' }
  | { op: 'insert'; i: number; v: string }
  | { op: 'removeAt'; i: number }
  | { op: 'set'; i: number; v: string }
  | { op: 'trim'; a: number; b: number }
  | { op: 'rem'; v: string; count: number };

const smallStr = fc.constantFrom('a', 'b', 'c', 'd');
const listOp: fc.Arbitrary<ListOp> = fc.oneof(
  fc.record({ op: fc.constant('pushHead' as const), v: smallStr }),
  fc.record({ op: fc.constant('pushTail' as const), v: smallStr }),
  fc.record({ op: fc.constant('pushTail' as const), v: smallStr }),
  fc.record({ op: fc.constant('popHead' as const) }),
  fc.record({ op: fc.constant('popTail' as const) }),
  fc.record({ op: fc.constant('insert' as const), i: fc.nat(40), v: smallStr }),
  fc.record({ op: fc.constant('removeAt' as const), i: fc.nat(40) }),
  fc.record({ op: fc.constant('set' as const), i: fc.integer({ min: -40, max: 40 }), v: smallStr }),
  fc.record({ op: fc.constant('trim' as const), a: fc.nat(5), b: fc.nat(5) }),
  fc.record({ op: fc.constant('rem' as const), v: smallStr, count: fc.integer({ min: -3, max: 3 }) }),
);

function applyList(l: ListValue, m: string[], o: ListOp): void {
  switch (o.op) {
    case 'pushHead': l.pushHead(o.v); m.unshift(o.v); break;
    case 'pushTail': l.pushTail(o.v); m.push(o.v); break;
    case 'popHead': expect(l.popHead()).to.equal(m.shift()); break;
    case 'popTail': expect(l.popTail()).to.equal(m.pop()); break;
    case 'insert': {
      const i = Math.min(o.i, m.length);
      l.insert(i, o.v);
      m.splice(i, 0, o.v);
      break;
    }
    case 'removeAt': {
      const got = l.removeAt(o.i);
      const want = o.i < m.length ? m.splice(o.i, 1)[0] : undefined;
      expect(got).to.equal(want);
      break;
    }
    case 'set': {
      const i = o.i < 0 ? m.length + o.i : o.i;
      const ok = i >= 0 && i < m.length;
      expect(l.set(o.i, o.v)).to.equal(ok);
      if (ok) m[i] = o.v;
      break;
    }
    case 'trim': {
      l.trim(o.a, o.b);
      if (o.a + o.b >= m.length) m.length = 0;
      else m.splice(m.length - o.b, o.b), m.splice(0, o.a);
      break;
    }
    case 'rem': {
      let removed = 0;
      const limit = o.count === 0 ? Infinity : Math.abs(o.count);
      if (o.count >= 0) {
        for (let i = 0; i < m.length && removed < limit;) {
          if (m[i] === o.v) { m.splice(i, 1); removed++; } else i++;
        }
      } else {
        for (let i = m.length - 1; i >= 0 && removed < limit; i--) {
          if (m[i] === o.v) { m.splice(i, 1); removed++; }
        }
      }
      expect(l.removeMatching(o.v, o.count)).to.equal(removed);
      break;
    }
  }
}

describe('ListValue', () => {
  it('behaves like an array under any sequence of operations', () => {
    fc.assert(fc.property(fc.array(listOp, { maxLength: 120 }), (ops) => {
      const l = new ListValue();
      const m: string[] = [];
      for (const o of ops) {
        applyList(l, m, o);
        expect(l.size).to.equal(m.length);
      }
      expect(l.toArray()).to.deep.equal(m);
      expect([...l]).to.deep.equal(m);
      for (let i = -m.length - 1; i <= m.length; i++) {
        expect(l.at(i)).to.equal(i < 0 ? m[m.length + i] : m[i]);
      }
      if (m.length > 0) expect(l.range(1, m.length - 1)).to.deep.equal(m.slice(1));
      expect(l.indexOf('c')).to.equal(m.indexOf('c'));
    }), RUNS);
  });

  it('grows and shrinks across many wraps of the ring', () => {
    const l = new ListValue();
    const m: string[] = [];
    for (let i = 0; i < 5000; i++) {
      if (i % 3 === 0) { l.pushHead(`h${i}`); m.unshift(`h${i}`); } else { l.pushTail(`t${i}`); m.push(`t${i}`); }
    }
    for (let i = 0; i < 4900; i++) {
      if (i % 2 === 0) expect(l.popHead()).to.equal(m.shift());
      else expect(l.popTail()).to.equal(m.pop());
    }
    expect(l.toArray()).to.deep.equal(m);
    expect(l.encoding()).to.equal('quicklist');
  });

  it('clones deeply', () => {
    const l = ListValue.from(['a', 'b']);
    const c = l.clone();
    c.pushTail('c');
    l.set(0, 'z');
    expect(l.toArray()).to.deep.equal(['z', 'b']);
    expect(c.toArray()).to.deep.equal(['a', 'b', 'c']);
  });
});

// ------------------------------------------------------------------ hashes

type HashOp = { op: 'set'; f: string; v: string } | { op: 'del'; f: string };
const field = fc.constantFrom('f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7', 'f8', 'long-field-name-xx');
const hval = fc.oneof(fc.constantFrom('1', 'v', ''), fc.string({ maxLength: 12 }));
const hashOp: fc.Arbitrary<HashOp> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), f: field, v: hval }),
  fc.record({ op: fc.constant('set' as const), f: field, v: hval }),
  fc.record({ op: fc.constant('del' as const), f: field }),
);

describe('HashValue', () => {
  it('matches an insertion-ordered map and converts exactly once, at the right moment', () => {
    fc.assert(fc.property(fc.array(hashOp, { maxLength: 80 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 14 }),
      (ops, maxEntries, maxValue) => {
        const h = new HashValue();
        const m = new Map<string, string>();
        let shouldBeTable = false;
        for (const o of ops) {
          if (o.op === 'set') {
            const isNew = !m.has(o.f);
            expect(h.set(o.f, o.v, maxEntries, maxValue)).to.equal(isNew);
            m.set(o.f, o.v);
            if (o.f.length > maxValue || o.v.length > maxValue || m.size > maxEntries) shouldBeTable = true;
          } else {
            expect(h.delete(o.f)).to.equal(m.delete(o.f));
          }
          expect(h.encoding()).to.equal(shouldBeTable ? 'hashtable' : 'listpack');
          expect(h.size).to.equal(m.size);
        }
        for (const [f, v] of m) expect(h.get(f)).to.equal(v);
        expect(h.has('absent')).to.equal(false);
        const entries = [...h];
        if (!shouldBeTable) expect(entries).to.deep.equal([...m]); // listpack keeps insertion order
        else expect(new Map(entries)).to.deep.equal(m);
        // A full HSCAN from cursor 0 sees every field.
        const seen = new Map<string, string>();
        let cursor = 0;
        do {
          const out: string[] = [];
          cursor = h.scan(cursor, 3, out);
          for (let i = 0; i < out.length; i += 2) seen.set(out[i]!, out[i + 1]!);
        } while (cursor !== 0);
        expect(seen).to.deep.equal(m);
        const c = h.clone();
        expect(c.encoding()).to.equal(h.encoding());
        expect(new Map([...c])).to.deep.equal(m);
        if (m.size > 0) expect(m.has(h.random()![0])).to.equal(true);
        else expect(h.random()).to.equal(undefined);
      }), RUNS);
  });

  it('converts up front when any argument of a multi-field write is too long', () => {
    const h = new HashValue();
    h.convertIfAnyLonger(['hset', 'k', 'a', '1', 'b', 'x'.repeat(65)], 2, 5, 64);
    expect(h.encoding()).to.equal('hashtable');
    const small = new HashValue();
    small.convertIfAnyLonger(['hset', 'k', 'a', 'x'.repeat(64)], 2, 3, 64);
    expect(small.encoding()).to.equal('listpack');
  });

  it('builds loaded hashes in the encoding loading would pick', () => {
    expect(HashValue.fromPairs([['a', '1']], 128, 64).encoding()).to.equal('listpack');
    expect(HashValue.fromPairs([['a', '1'], ['b', '2']], 1, 64).encoding()).to.equal('hashtable');
    expect(HashValue.fromPairs([['a', 'x'.repeat(65)]], 128, 64).encoding()).to.equal('hashtable');
  });
});

// ------------------------------------------------------------------ sets

type SetOp = { op: 'add' | 'remove'; m: string };
const member = fc.oneof(
  fc.integer({ min: -20, max: 20 }).map(String),
  fc.constantFrom('9223372036854775807', '-9223372036854775808', '9223372036854775808', '007', '-0', '1.0', 'x', ''),
);
const setOp: fc.Arbitrary<SetOp> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), m: member }),
  fc.record({ op: fc.constant('add' as const), m: member }),
  fc.record({ op: fc.constant('remove' as const), m: member }),
);
const isInt = (s: string) => /^(0|-?[1-9]\d*)$/.test(s) && BigInt(s) >= -(2n ** 63n) && BigInt(s) < 2n ** 63n;

describe('SetValue', () => {
  it('matches a JS Set; intsets iterate ascending and convert permanently', () => {
    fc.assert(fc.property(fc.array(setOp, { maxLength: 80 }), fc.integer({ min: 0, max: 10 }), (ops, maxIntset) => {
      const s = new SetValue();
      const m = new Set<string>();
      let table = false;
      for (const o of ops) {
        if (o.op === 'add') {
          const isNew = !m.has(o.m);
          expect(s.add(o.m, maxIntset)).to.equal(isNew);
          m.add(o.m);
          if (isNew && (!isInt(o.m) || m.size > maxIntset)) table = true;
        } else {
          expect(s.remove(o.m)).to.equal(m.delete(o.m));
        }
        expect(s.encoding()).to.equal(table ? 'hashtable' : 'intset');
        expect(s.size).to.equal(m.size);
      }
      for (const x of m) expect(s.has(x)).to.equal(true);
      for (const x of ['nope', '21', '-21']) expect(s.has(x)).to.equal(m.has(x));
      const members = s.members();
      expect(new Set(members)).to.deep.equal(m);
      if (!table) {
        const sorted = [...m].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
        expect(members).to.deep.equal(sorted);
      }
      const scanned = new Set<string>();
      let cursor = 0;
      do {
        const out: string[] = [];
        cursor = s.scan(cursor, 2, out);
        for (const x of out) scanned.add(x);
      } while (cursor !== 0);
      expect(scanned).to.deep.equal(m);
      const c = s.clone();
      expect(c.encoding()).to.equal(s.encoding());
      expect(new Set(c.members())).to.deep.equal(m);
      if (m.size > 0) expect(m.has(s.random()!)).to.equal(true);
    }), RUNS);
  });

  it('picks the creation encoding from the first member, like setTypeCreate', () => {
    expect(SetValue.forMember('12').encoding()).to.equal('intset');
    expect(SetValue.forMember('a').encoding()).to.equal('hashtable');
    expect(SetValue.forMember('012').encoding()).to.equal('hashtable');
    expect(SetValue.fromMembers(['1', '2'], 512).encoding()).to.equal('intset');
    expect(SetValue.fromMembers(['1', '2', '3'], 2).encoding()).to.equal('hashtable');
  });

  it('keeps int64 extremes exact', () => {
    const s = new SetValue();
    for (const x of ['9223372036854775807', '-9223372036854775808', '0']) s.add(x, 512);
    expect(s.members()).to.deep.equal(['-9223372036854775808', '0', '9223372036854775807']);
    expect(s.has('9223372036854775806')).to.equal(false);
  });
});

// ------------------------------------------------------------------ argument helpers

describe('list/set argument helpers', () => {
  it('parses SCAN cursors with strtoul rules', () => {
    expect(parseScanCursor('0')).to.equal(0);
    expect(parseScanCursor('')).to.equal(0);
    expect(parseScanCursor('+5')).to.equal(5);
    expect(parseScanCursor('-1')).to.equal(2 ** 64 - 1);
    expect(parseScanCursor('18446744073709551615')).to.equal(2 ** 64 - 1);
    for (const bad of ['18446744073709551616', ' 1', '1 ', 'abc', '-', '+', '1.5']) expect(parseScanCursor(bad), bad).to.equal(null);
  });

  it('parses SCAN options and filters by glob', () => {
    expect(parseScanArgs(['hscan', 'k', '0', 'COUNT', '5', 'MATCH', 'a*'], 3, false)).to.deep.equal({ count: 5, pattern: 'a*', type: null });
    expect(parseScanArgs(['hscan', 'k', '0', 'match', '*'], 3, false)).to.deep.equal({ count: 10, pattern: null, type: null });
    expect((parseScanArgs(['x', 'k', '0', 'COUNT', '0'], 3, false) as ErrorReply).text).to.equal('ERR syntax error');
    expect((parseScanArgs(['x', 'k', '0', 'COUNT', 'z'], 3, false) as ErrorReply).text).to.equal('ERR value is not an integer or out of range');
    expect((parseScanArgs(['x', 'k', '0', 'TYPE', 'set'], 3, false) as ErrorReply).text).to.equal('ERR syntax error');
    expect((parseScanArgs(['x', 'k', '0', 'COUNT'], 3, false) as ErrorReply).text).to.equal('ERR syntax error');
    expect(filterScanResults(['ab', '1', 'b', '2', 'ac', '3'], 'a*', 2)).to.deep.equal(['ab', '1', 'ac', '3']);
    expect(filterScanResults(['ab', 'b'], 'b', 1)).to.deep.equal(['b']);
  });

  it('finds numkeys keys the way genericGetKeys does', () => {
    const g = numkeysGetKeys(1);
    expect(g(['lmpop', '2', 'a', 'b', 'left'])).to.deep.equal([2, 3]);
    expect(g(['lmpop', '0', 'a', 'left'])).to.deep.equal([]);
    expect(g(['lmpop', '5', 'a', 'left'])).to.deep.equal([]);
    expect(g(['lmpop', ' 1x', 'a', 'left'])).to.deep.equal([2]);
  });

  it('parses LMPOP arguments with Redis error texts', () => {
    expect(parseMpopArgs(['lmpop', '2', 'a', 'b', 'RIGHT', 'COUNT', '3'], 1)).to.deep.equal({ firstKey: 2, numkeys: 2, end: 'right', count: 3 });
    const err = (argv: string[]) => (parseMpopArgs(argv, 1) as ErrorReply).text;
    expect(err(['lmpop', '0', 'a', 'left'])).to.equal('ERR numkeys should be greater than 0');
    expect(err(['lmpop', '3', 'a', 'left'])).to.equal('ERR syntax error');
    expect(err(['lmpop', '1', 'a', 'up'])).to.equal('ERR syntax error');
    expect(err(['lmpop', '1', 'a', 'left', 'COUNT', '0'])).to.equal('ERR count should be greater than 0');
    expect(err(['lmpop', '1', 'a', 'left', 'COUNT', '1', 'COUNT', '2'])).to.equal('ERR syntax error');
  });
});
